// The launch page's runtime of an LMS package made by `skillbook package` (docs/lms.md). It
// finds the LMS (the SCORM 1.2 `API` or SCORM 2004 `API_1484_11` object in a parent or opener
// window, or the cmi5 launch parameters), opens one session for the launch, and shows the
// package's pages in a frame. The pages' progress store keeps its document here instead of
// in localStorage (`skillbookLms.storage`); every change is reported: completion, pass or
// fail, score, the page to come back to, and the progress itself as suspend data, so a later
// launch starts where the learner left off. Without an LMS the pages work as a portal does.
(function (root) {
  "use strict";

  var EPOCH = Date.UTC(2020, 0, 1) / 1000;
  var MAX_ATTEMPTS = 999;

  // ---- Pure functions (mirrored by src/package/suspend.rs; tested by tests/js/lms.test.js) ----

  function seconds(iso) {
    var t = Date.parse(iso);
    return isNaN(t) ? null : Math.max(0, Math.round(t / 1000 - EPOCH));
  }
  function iso(s) {
    return new Date((s + EPOCH) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  function sorted(obj) {
    var out = {};
    Object.keys(obj).sort().forEach(function (k) { out[k] = obj[k]; });
    return out;
  }
  function ids(pkg) {
    var lessons = {}, quizzes = {}, checklists = {};
    pkg.modules.forEach(function (m) {
      m.lessons.forEach(function (id) { lessons[id] = true; });
    });
    (pkg.quizIds || []).forEach(function (id) { quizzes[id] = true; });
    pkg.checklists.forEach(function (c) { checklists[c[0]] = c[1]; });
    return { lessons: lessons, quizzes: quizzes, checklists: checklists };
  }
  function result(q) {
    var list = [Math.round(q.best) || 0, Math.min(q.attempts || 0, MAX_ATTEMPTS), q.passed ? seconds(q.passed) || 0 : 0, String(q.rev || "")];
    return list;
  }

  // The progress document of the store, restricted to what the package holds, in the
  // compact form of suspend data.
  function encode(doc, pkg) {
    var known = ids(pkg);
    var c = {}, l = {}, q = {};
    Object.keys(doc.checklists || {}).forEach(function (id) {
      var boxes = doc.checklists[id];
      if (!(id in known.checklists) || !Array.isArray(boxes)) return;
      c[id] = boxes.slice(0, known.checklists[id]).map(function (b) { return b ? "1" : "0"; }).join("");
    });
    Object.keys(doc.lessons || {}).forEach(function (id) {
      var t = doc.lessons[id] && seconds(doc.lessons[id].done);
      if (known.lessons[id] && t !== null) l[id] = t;
    });
    Object.keys(doc.quizzes || {}).forEach(function (id) {
      var entry = doc.quizzes[id];
      if (!known.quizzes[id] || !entry) return;
      var list = result(entry);
      if (entry.earlier) list.push(result(entry.earlier));
      q[id] = list;
    });
    var out = { c: sorted(c), l: sorted(l), q: sorted(q) };
    if (doc.role) out.r = doc.role;
    out.v = 1;
    return JSON.stringify(out);
  }

  function unresult(list) {
    var entry = { best: list[0], attempts: list[1], rev: list[3] };
    if (list[2]) entry.passed = iso(list[2]);
    return entry;
  }

  // The store's document from suspend data; `{v: 1}` from anything else.
  function decode(text) {
    var doc = { v: 1 };
    var data;
    try { data = JSON.parse(text); } catch (e) { return doc; }
    if (!data || data.v !== 1) return doc;
    if (typeof data.r === "string") doc.role = data.r;
    doc.lessons = {};
    Object.keys(data.l || {}).forEach(function (id) {
      if (typeof data.l[id] === "number") doc.lessons[id] = { done: iso(data.l[id]) };
    });
    doc.quizzes = {};
    Object.keys(data.q || {}).forEach(function (id) {
      var list = data.q[id];
      if (!Array.isArray(list) || list.length < 4) return;
      var entry = unresult(list);
      if (Array.isArray(list[4])) entry.earlier = unresult(list[4]);
      doc.quizzes[id] = entry;
    });
    doc.checklists = {};
    Object.keys(data.c || {}).forEach(function (id) {
      if (typeof data.c[id] === "string") doc.checklists[id] = data.c[id].split("").map(function (b) { return b === "1"; });
    });
    return doc;
  }

  // Where the learner stands in `modules` (the package's, or one AU's): lessons done, whether
  // every lesson is done and every assessment passed, and the assessments' result.
  function state(doc, modules, quizzes) {
    var lessons = 0, done = 0;
    modules.forEach(function (m) {
      m.lessons.forEach(function (id) {
        lessons += 1;
        if (doc.lessons && doc.lessons[id] && doc.lessons[id].done) done += 1;
      });
    });
    var inScope = {};
    modules.forEach(function (m) { if (m.quiz) inScope[m.quiz] = true; });
    var assessed = quizzes.filter(function (q) { return inScope[q.id]; });
    var passed = 0, attempted = 0, total = 0;
    assessed.forEach(function (q) {
      var entry = doc.quizzes && doc.quizzes[q.id];
      var best = 0, ok = false, tried = false;
      [entry, entry && entry.earlier].forEach(function (e) {
        if (!e) return;
        if (e.attempts > 0) tried = true;
        if (e.passed) ok = true;
        best = Math.max(best, e.best || 0);
      });
      if (ok) passed += 1;
      if (tried || ok) attempted += 1;
      total += best;
    });
    var success = null;
    if (assessed.length) {
      if (passed === assessed.length) success = "passed";
      else if (attempted > 0) success = "failed";
      else success = "unknown";
    }
    return {
      lessons: lessons,
      done: done,
      completed: done === lessons && (success === null || success === "passed"),
      success: success,
      score: assessed.length && attempted ? Math.round(total / assessed.length) : null,
    };
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }
  // SCORM 1.2 CMITimespan: HHHH:MM:SS.SS.
  function scorm12Time(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60;
    return pad(Math.min(h, 9999), 4) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(cs % 100, 2);
  }
  // ISO 8601 duration, as SCORM 2004 and xAPI take it: PT1H4M12.5S.
  function isoDuration(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + (Math.round(s * 100) / 100) + "S";
  }
  // "Lovelace, Ada" (SCORM's form) → "Ada Lovelace".
  function displayName(name) {
    var parts = String(name || "").split(",");
    return parts.length === 2 ? (parts[1].trim() + " " + parts[0].trim()).trim() : String(name || "").trim();
  }

  var exported = { encode: encode, decode: decode, state: state, scorm12Time: scorm12Time, isoDuration: isoDuration, displayName: displayName };
  if (typeof module === "object" && module.exports) {
    module.exports = exported;
    return;
  }

  // ---- The launch page ----

  var doc = root.document;
  var pkg = JSON.parse(doc.getElementById("skillbook-package").textContent);
  pkg.quizIds = pkg.quiz_ids;
  var frame = doc.getElementById("skillbook-frame");
  var KEY = "skillbook:" + pkg.site;
  var started = Date.now();
  var params = new URLSearchParams(root.location.search);
  // The first page: the module a cmi5 AU launches, else the package's start. The frame
  // gets it once the session is open, so its pages find their progress here from the start.
  var first = pkg.start;
  var scope = pkg.modules;
  if (params.get("module")) {
    scope = pkg.modules.filter(function (m) { return m.id === params.get("module"); });
    if (scope.length) first = scope[0].url;
    else scope = pkg.modules;
  }

  function notice(text) {
    var p = doc.getElementById("skillbook-lms-notice");
    p.textContent = text;
    p.hidden = false;
    frame.style.height = "calc(100% - " + p.offsetHeight + "px)";
  }

  // ADL's search: up the parents (at most 500), then the opener's.
  function find(win, name) {
    for (var tries = 0; win && tries < 500; tries += 1) {
      try {
        if (win[name]) return win[name];
      } catch (e) { /* another origin */ }
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  function findApi(name) {
    var api = find(root.parent !== root ? root.parent : null, name);
    if (!api && root.opener) api = find(root.opener, name);
    return api;
  }

  function scormAdapter(version) {
    var v12 = version === "1.2";
    var api = findApi(v12 ? "API" : "API_1484_11");
    if (!api) return null;
    var call = function (name12, name2004) {
      var args = Array.prototype.slice.call(arguments, 2);
      var fn = api[v12 ? name12 : name2004];
      return fn ? String(fn.apply(api, args)) : "";
    };
    if (call("LMSInitialize", "Initialize", "") !== "true") return null;
    var get = function (e12, e2004) { return call("LMSGetValue", "GetValue", v12 ? e12 : e2004); };
    var set = function (e12, e2004, value) { call("LMSSetValue", "SetValue", v12 ? e12 : e2004, String(value)); };
    var commitTimer = null, lastCommit = 0, finished = false;
    function commit() {
      clearTimeout(commitTimer);
      commitTimer = null;
      lastCommit = Date.now();
      call("LMSCommit", "Commit", "");
    }
    var adapter = {
      name: v12 ? "SCORM 1.2" : "SCORM 2004",
      limit: pkg.limit,
      learner: displayName(get("cmi.core.student_name", "cmi.learner_name")),
      suspend: get("cmi.suspend_data", "cmi.suspend_data"),
      location: get("cmi.core.lesson_location", "cmi.location"),
      report: function (st, data, location) {
        if (finished) return;
        if (data !== null) set("cmi.suspend_data", "cmi.suspend_data", data);
        if (location) set("cmi.core.lesson_location", "cmi.location", location);
        if (v12) {
          var status;
          if (st.success === "passed") status = "passed";
          else if (st.success === "failed") status = pkg.report_failed ? "failed" : "incomplete";
          else status = st.completed ? "completed" : "incomplete";
          set("cmi.core.lesson_status", "", status);
          set("cmi.core.exit", "", st.completed ? "" : "suspend");
        } else {
          set("", "cmi.completion_status", st.completed ? "completed" : "incomplete");
          set("", "cmi.success_status", st.success || "unknown");
          set("", "cmi.exit", st.completed ? "normal" : "suspend");
        }
        if (st.score !== null) {
          set("cmi.core.score.raw", "cmi.score.raw", st.score);
          set("cmi.core.score.min", "cmi.score.min", 0);
          set("cmi.core.score.max", "cmi.score.max", 100);
          if (!v12) set("", "cmi.score.scaled", st.score / 100);
        }
        // Committed after changes, at most every few seconds.
        if (!commitTimer) commitTimer = setTimeout(commit, Math.max(0, 3000 - (Date.now() - lastCommit)));
      },
      finish: function () {
        if (finished) return;
        var ms = Date.now() - started;
        set("cmi.core.session_time", "cmi.session_time", v12 ? scorm12Time(ms) : isoDuration(ms));
        commit();
        finished = true;
        call("LMSFinish", "Terminate", "");
      },
    };
    if (v12 && get("cmi.core.lesson_status") === "not attempted") set("cmi.core.lesson_status", "", "incomplete");
    return adapter;
  }

  // ---- cmi5 ----

  var CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  var VERBS = {
    initialized: "http://adlnet.gov/expapi/verbs/initialized",
    completed: "http://adlnet.gov/expapi/verbs/completed",
    passed: "http://adlnet.gov/expapi/verbs/passed",
    failed: "http://adlnet.gov/expapi/verbs/failed",
    terminated: "http://adlnet.gov/expapi/verbs/terminated",
  };
  // Requests still sent after the page is gone (fetch's keepalive) may carry about 64 KB
  // between them; a larger body goes without it.
  var KEEPALIVE = 16000;
  var RETRY_MS = 5000;

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    var b = new Uint8Array(16);
    root.crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // What is kept in localStorage under `key`, parsed; null when nothing (or nothing usable) is.
  function stored(key) {
    try { return JSON.parse(root.localStorage.getItem(key)); } catch (e) { return null; }
  }
  function store(key, value) {
    try {
      if (value === null) root.localStorage.removeItem(key);
      else root.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* kept in memory for this launch only */ }
  }

  // The cmi5 AU (docs/lms.md, cmi5). The session follows cmi5's rules for "cmi5 defined"
  // statements: `initialized` first and `terminated` last; within a session no verb twice and
  // never both `passed` and `failed`; within the registration `completed` and `passed` once
  // each and no `failed` after `passed`. So a failed attempt is held back until the session
  // ends, and reported then unless the learner passed in the meantime. Pass or fail is judged
  // by the LMS's masteryScore when its launch data gives one (cmi5 10.2.4), else by the
  // assessment's own pass mark. Statements wait in localStorage until the LMS has them, and so
  // does a progress document the LMS has not confirmed, so neither is lost when the network or
  // the LMS fails; both are sent again on `online`, on a timer and with the next change.
  function cmi5Adapter(ready) {
    var endpoint = params.get("endpoint"), fetchUrl = params.get("fetch"), registration = params.get("registration");
    var activityId = params.get("activityId"), actorText = params.get("actor");
    if (!endpoint || !fetchUrl || !registration || !activityId || !actorText) return false;
    if (endpoint.slice(-1) !== "/") endpoint += "/";
    var actor = JSON.parse(actorText);
    var token = null, launchData = {}, sent = {}, finished = false;
    var queueKey = "skillbook-cmi5:" + registration + ":queue";
    var stateKey = "skillbook-cmi5:" + registration + ":state";
    var stateId = "skillbook-progress";
    // This session: when it was initialized, its latest statement's time, the assessment
    // attempts it started with, and the `failed` statement it holds back.
    var session = { started: null, last: 0, attempts: null, failed: null };
    // The time of a new statement: never the same as an earlier one's, so that the LMS, which
    // orders a session's statements by their timestamps, sees `initialized` first, `terminated`
    // last, and the others in the order they were made.
    function clock() {
      session.last = Math.max(Date.now(), session.last + 1);
      return session.last;
    }

    function headers() {
      return { "Authorization": "Basic " + token, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json" };
    }
    function stateUrl(id) {
      return endpoint + "activities/state?stateId=" + encodeURIComponent(id) + "&activityId=" + encodeURIComponent(activityId) +
        "&agent=" + encodeURIComponent(JSON.stringify(actor)) + "&registration=" + encodeURIComponent(registration);
    }
    function send(url, method, body) {
      return fetch(url, { method: method, headers: headers(), body: body, keepalive: body.length < KEEPALIVE });
    }
    var retry = null;
    function retryLater() {
      if (!retry) retry = setTimeout(function () { retry = null; resend(); }, RETRY_MS);
    }
    function resend() {
      flush(false);
      saveState(false);
    }
    root.addEventListener("online", resend);

    // ---- Statements: a queue, posted one batch at a time, in order ----

    var queue = stored(queueKey);
    if (!Array.isArray(queue)) queue = [];
    var inFlight = {}, posting = 0, oneByOne = false;
    function keep(list) {
      queue = list;
      store(queueKey, list.length ? list : null);
    }
    function flush(leaving) {
      if (!token) return;
      var waiting = queue.filter(function (s) { return !inFlight[s.id]; });
      if (!waiting.length || (posting && !leaving)) return;
      // After the LMS refused a batch, statements go one by one, so that one it already has
      // or will never take does not hold up the rest.
      var batches = !oneByOne ? [waiting] : leaving ? waiting.map(function (s) { return [s]; }) : [waiting.slice(0, 1)];
      batches.forEach(post);
    }
    function post(list) {
      list.forEach(function (s) { inFlight[s.id] = true; });
      posting += 1;
      var settle = function () {
        posting -= 1;
        list.forEach(function (s) { delete inFlight[s.id]; });
      };
      send(endpoint + "statements", "POST", JSON.stringify(list))
        .then(function (r) {
          settle();
          // 400, 403 and 409: the LMS will never take the batch as it is (409: it has one of
          // its statements already, from a post whose answer was lost or a page that closed
          // before the answer came). Sent again alone, such a statement is dropped.
          var refused = r.status === 400 || r.status === 403 || r.status === 409;
          if (r.ok || (refused && list.length === 1)) {
            var ids = {};
            list.forEach(function (s) { ids[s.id] = true; });
            keep(queue.filter(function (s) { return !ids[s.id]; }));
            if (!queue.length) oneByOne = false;
          } else if (refused) {
            oneByOne = true;
          } else {
            retryLater();
            return;
          }
          flush(false);
        }, function () {
          settle();
          retryLater();
        });
    }
    function statement(verb, at, result, extensions) {
      var context = JSON.parse(JSON.stringify(launchData.contextTemplate || {}));
      context.registration = registration;
      context.contextActivities = context.contextActivities || {};
      var category = context.contextActivities.category || [];
      category.push({ id: CMI5 });
      if (result && ("success" in result || "completion" in result)) category.push({ id: MOVEON });
      context.contextActivities.category = category;
      if (extensions) {
        context.extensions = context.extensions || {};
        Object.keys(extensions).forEach(function (k) { if (!(k in context.extensions)) context.extensions[k] = extensions[k]; });
      }
      var s = {
        id: uuid(),
        timestamp: new Date(at).toISOString(),
        actor: actor,
        verb: { id: VERBS[verb], display: { "en-US": verb } },
        object: { id: activityId, objectType: "Activity" },
        context: context,
      };
      if (result) s.result = result;
      return s;
    }
    function enqueue(s) {
      keep(queue.concat([s]));
      flush(false);
    }

    // ---- The progress document: one write at a time, the newest last ----

    // `unsaved` is the newest document the LMS has not confirmed, `onServer` the last one it
    // has, `tried` those written since without an answer. The newest is kept in localStorage
    // with the other two, so the next launch on this device writes it, unless the LMS's copy
    // has meanwhile become one this device did not write (another device's).
    var unsaved = null, onServer = null, tried = [], saving = false;
    function remember() {
      store(stateKey, unsaved === null ? null : { doc: unsaved, base: onServer, tried: tried });
    }
    function saveState(leaving) {
      if (unsaved === null || !token || (saving && !leaving)) return;
      var body = unsaved;
      saving = true;
      if (tried.indexOf(body) < 0) {
        tried.push(body);
        remember();
      }
      send(stateUrl(stateId), "PUT", body)
        .then(function (r) {
          saving = false;
          if (!r.ok) throw new Error("status " + r.status);
          onServer = body;
          tried = [];
          if (unsaved === body) unsaved = null;
          remember();
          saveState(false);
        })
        .catch(function () {
          saving = false;
          retryLater();
        });
    }
    function changed(data) {
      var doc = JSON.stringify({ progress: data, sent: sent });
      if (doc === (unsaved !== null ? unsaved : onServer)) return;
      unsaved = doc;
      remember();
      saveState(false);
    }

    // ---- What the learner's progress means to the LMS ----

    function judge(st) {
      if (session.attempts === null) session.attempts = st.attempts;
      var mastery = typeof launchData.masteryScore === "number" ? launchData.masteryScore : null;
      var scaled = st.score === null ? null : st.score / 100;
      var verdict = st.success;
      if ((verdict === "passed" || verdict === "failed") && mastery !== null && scaled !== null) {
        verdict = scaled >= mastery ? "passed" : "failed";
      }
      var extensions = mastery === null ? null : {};
      if (extensions) extensions[MASTERY] = mastery;
      var score = scaled === null ? null : { scaled: scaled, raw: st.score, min: 0, max: 100 };
      var at;
      if (st.done === st.lessons && (st.success === null || verdict === "passed") && !sent.completed) {
        sent.completed = true;
        at = clock();
        enqueue(statement("completed", at, { completion: true, duration: isoDuration(at - session.started) }));
      }
      var attempted = st.attempts > session.attempts;
      session.attempts = st.attempts;
      if (verdict === "passed" && !sent.passed) {
        sent.passed = true;
        session.failed = null;
        at = clock();
        enqueue(statement("passed", at, { score: score, success: true, duration: isoDuration(at - session.started) }, extensions));
      } else if (verdict === "failed" && attempted && !sent.passed) {
        at = clock();
        session.failed = statement("failed", at, { score: score, success: false, duration: isoDuration(at - session.started) }, extensions);
      }
    }

    var adapter = {
      name: "cmi5",
      limit: null,
      learner: actor.name || "",
      suspend: "",
      location: "",
      report: function (st, data) {
        if (finished) return;
        // Browse and Review launches send only `initialized` and `terminated` (cmi5 10.2.2).
        if (launchData.launchMode === "Normal" || !launchData.launchMode) judge(st);
        if (data !== null) changed(data);
      },
      finish: function () {
        if (finished) return;
        finished = true;
        if (session.failed) keep(queue.concat([session.failed]));
        var at = clock();
        keep(queue.concat([statement("terminated", at, { duration: isoDuration(at - session.started) })]));
        flush(true);
        saveState(true);
      },
    };

    function json(r) {
      if (!r.ok) throw new Error("status " + r.status);
      return r.json();
    }
    fetch(fetchUrl, { method: "POST" })
      .then(json)
      .then(function (body) {
        token = body["auth-token"];
        if (!token) throw new Error(body["error-text"] || "no auth-token");
        return fetch(stateUrl("LMS.LaunchData"), { headers: headers() }).then(json);
      })
      .then(function (data) {
        launchData = data || {};
        // The learner's preferences are read at the start (cmi5 11.0); the pages have one
        // language and no sound of their own, so they change nothing yet.
        var prefs = endpoint + "agents/profile?profileId=cmi5LearnerPreferences&agent=" + encodeURIComponent(JSON.stringify(actor));
        var ignore = function () { return null; };
        return fetch(prefs, { headers: headers() }).then(ignore, ignore);
      })
      .then(function () {
        return fetch(stateUrl(stateId), { headers: headers() }).then(function (r) {
          return r.ok ? r.text() : r.status === 404 ? null : Promise.reject(new Error("status " + r.status));
        });
      })
      .then(function (text) {
        onServer = text;
        var local = stored(stateKey);
        var mine = local && typeof local.doc === "string" &&
          (local.base === onServer || (Array.isArray(local.tried) && local.tried.indexOf(onServer) >= 0));
        if (mine && local.doc !== onServer) unsaved = local.doc;
        remember();
        var saved = null;
        try { saved = JSON.parse(unsaved !== null ? unsaved : onServer); } catch (e) { saved = null; }
        if (saved && typeof saved.progress === "string") adapter.suspend = saved.progress;
        if (saved && saved.sent) sent = saved.sent;
        session.started = clock();
        enqueue(statement("initialized", session.started));
        saveState(false);
        ready(adapter);
      })
      .catch(function (e) {
        notice("This course could not reach the learning system (" + e.message + "); your progress will not be recorded.");
        ready(null);
      });
    return true;
  }

  // ---- The store's storage, and reporting ----

  var memory = {};
  var adapter = null;
  var current = { v: 1 };
  var learner = "";

  // Attempts at the assessments in scope, this revision's and earlier ones'.
  function attempts(d) {
    var n = 0;
    scope.forEach(function (m) {
      var e = m.quiz && d.quizzes && d.quizzes[m.quiz];
      [e, e && e.earlier].forEach(function (x) { if (x) n += x.attempts || 0; });
    });
    return n;
  }
  function where() {
    try {
      var here = frame.contentWindow.location.href;
      var base = root.location.href.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
      return here.indexOf(base) === 0 ? here.slice(base.length).replace(/#.*$/, "") : "";
    } catch (e) {
      return "";
    }
  }
  function report() {
    if (!adapter) return;
    var data = encode(current, pkg);
    if (adapter.limit && data.length > adapter.limit) {
      notice("Your progress no longer fits what " + adapter.name + " keeps; the latest changes are recorded as completion and score only.");
      data = null;
    }
    var st = state(current, scope, pkg.quizzes);
    st.attempts = attempts(current);
    adapter.report(st, data, where());
  }

  var storage = {
    getItem: function (key) {
      if (key !== KEY) return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
      var out = JSON.parse(JSON.stringify(current));
      if (learner) out.learner = learner;
      return JSON.stringify(out);
    },
    setItem: function (key, value) {
      if (key !== KEY) {
        memory[key] = String(value);
        return;
      }
      var next = JSON.parse(value);
      delete next.learner;
      current = next;
      report();
    },
    removeItem: function (key) {
      if (key === KEY) {
        current = { v: 1 };
        report();
      } else {
        delete memory[key];
      }
    },
  };

  function start(found) {
    adapter = found;
    if (adapter) {
      learner = adapter.learner;
      if (adapter.suspend) current = decode(adapter.suspend);
      if (pkg.role && !current.role) current.role = pkg.role;
      // The bookmark: a page of this package, never a URL elsewhere.
      if (adapter.location && !params.get("module") && /^[^:/\\][^:]*$/.test(adapter.location)) first = adapter.location;
      report();
    } else {
      notice("This course is not connected to a learning system: your progress is kept in this window only.");
    }
    root.skillbookLms.connected = !!adapter;
    frame.src = first;
  }

  root.skillbookLms = { site: pkg.site, storage: storage, connected: false, format: pkg.format, state: function () { return state(current, scope, pkg.quizzes); } };
  frame.addEventListener("load", function () { if (adapter) report(); });
  root.addEventListener("pagehide", function () { if (adapter) adapter.finish(); });

  if (pkg.format === "cmi5") {
    if (!cmi5Adapter(start)) start(null);
  } else {
    start(scormAdapter(pkg.format === "scorm12" ? "1.2" : "2004"));
  }
})(typeof window === "undefined" ? this : window);
