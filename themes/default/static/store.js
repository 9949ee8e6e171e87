// skillbook default theme: the progress store, Skillbook.progress, the learner's saved
// progress in localStorage (docs/progress-api.md). The theme's other scripts read and write
// progress through it only. Its pure parts, which need neither storage nor a page, come first:
// the node tests of tests/js/ load this file for them.
(function () {
  "use strict";

  var VERSION = 1;
  var DAY = 86400000;

  function clone(value) {
    return JSON.parse(JSON.stringify(value));
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isText(value) {
    return typeof value === "string";
  }

  function isDate(value) {
    return isText(value) && !isNaN(Date.parse(value));
  }

  function fresh() {
    return { v: VERSION };
  }

  function maybe(value, ok) {
    return value === undefined || ok(value);
  }

  // One quiz result: an entry of `quizzes`, or its `earlier`.
  function result(e) {
    return isObject(e) && typeof e.best === "number" && e.best >= 0 && e.best <= 100
      && typeof e.attempts === "number" && e.attempts >= 0 && e.attempts % 1 === 0
      && maybe(e.passed, isDate) && maybe(e.rev, isText);
  }

  // The last attempt of a quiz: its score, when, and the learner's response to each question
  // asked, in the order asked ({q: position in the bank, v: [values]}).
  function attempt(e) {
    return isObject(e) && typeof e.score === "number" && e.score >= 0 && e.score <= 100
      && maybe(e.at, isDate) && Array.isArray(e.answers) && e.answers.every(function (a) {
        return isObject(a) && typeof a.q === "number" && a.q >= 0 && a.q % 1 === 0
          && Array.isArray(a.v) && a.v.every(isText);
      });
  }

  // The shape of the entries of each part of the document (docs/progress-api.md).
  var ENTRIES = {
    lessons: function (e) { return isObject(e) && isDate(e.done); },
    quizzes: function (e) { return result(e) && maybe(e.earlier, result) && maybe(e.last, attempt); },
    checklists: function (e) {
      return Array.isArray(e) && e.every(function (b) { return typeof b === "boolean"; });
    }
  };

  // A copy of a version-1 document without its parts and entries of the wrong shape (fields
  // it does not know are kept), and how many were dropped.
  function clean(value) {
    var doc = clone(value), dropped = 0;
    ["role", "learner"].forEach(function (name) {
      if (name in doc && !isText(doc[name])) { delete doc[name]; dropped++; }
    });
    Object.keys(ENTRIES).forEach(function (name) {
      if (!(name in doc)) { return; }
      var part = doc[name];
      if (!isObject(part)) { delete doc[name]; dropped++; return; }
      Object.keys(part).forEach(function (id) {
        if (!ENTRIES[name](part[id])) { delete part[id]; dropped++; }
      });
    });
    return { doc: doc, dropped: dropped };
  }

  function usable(doc) {
    return isObject(doc) && doc.v === VERSION && clean(doc).dropped === 0;
  }

  function section(doc, name) {
    if (!isObject(doc[name])) {
      doc[name] = {};
    }
    return doc[name];
  }

  function later(a, b) {
    if (!isDate(a)) { return b; }
    if (!isDate(b)) { return a; }
    return Date.parse(b) > Date.parse(a) ? b : a;
  }

  // Two results of one quiz as one: the same revision adds up to the better figures; of two
  // revisions the current one (`rev`, when known) or else the more recent pass is kept, and the
  // other becomes `earlier`.
  function mergeQuiz(a, b, rev) {
    if (!a) { return clone(b); }
    if (!a.rev || !b.rev || a.rev === b.rev) {
      var out = clone(a);
      out.rev = a.rev || b.rev;
      out.best = Math.max(a.best || 0, b.best || 0);
      out.attempts = Math.max(a.attempts || 0, b.attempts || 0);
      var passed = later(a.passed, b.passed);
      if (passed) { out.passed = passed; }
      if (!out.earlier && b.earlier) { out.earlier = clone(b.earlier); }
      if (b.last && (!a.last || later(a.last.at, b.last.at) !== a.last.at)) { out.last = clone(b.last); }
      return out;
    }
    var keepB = rev && (a.rev === rev || b.rev === rev) ? b.rev === rev
      : isDate(b.passed) && (!isDate(a.passed) || Date.parse(b.passed) > Date.parse(a.passed));
    var keep = clone(keepB ? b : a), other = keepB ? a : b;
    keep.earlier = { best: other.best, attempts: other.attempts, passed: other.passed, rev: other.rev };
    return keep;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // `incoming` merged into `base`: nothing of base is lost. `revs` maps quiz ids to their
  // current revision, where known. Returns the merged document and counts of what changed.
  function merge(base, incoming, revs) {
    var doc = clone(base);
    var changed = { lessons: 0, quizzes: 0, checklists: 0, role: false, learner: false };
    ["role", "learner"].forEach(function (name) {
      if (typeof incoming[name] === "string" && incoming[name] && !doc[name]) {
        doc[name] = incoming[name];
        changed[name] = true;
      }
    });
    var lessons = incoming.lessons || {};
    Object.keys(lessons).forEach(function (id) {
      var mine = section(doc, "lessons"), was = mine[id] && mine[id].done;
      var done = later(was, lessons[id].done);
      if (done !== was) {
        mine[id] = { done: done };
        changed.lessons++;
      }
    });
    var quizzes = incoming.quizzes || {};
    Object.keys(quizzes).forEach(function (id) {
      var mine = section(doc, "quizzes");
      var merged = mergeQuiz(isObject(mine[id]) ? mine[id] : null, quizzes[id], revs && revs[id]);
      if (!same(merged, mine[id])) {
        mine[id] = merged;
        changed.quizzes++;
      }
    });
    var lists = incoming.checklists || {};
    Object.keys(lists).forEach(function (id) {
      var mine = section(doc, "checklists"), was = Array.isArray(mine[id]) ? mine[id] : [];
      var list = was.slice();
      lists[id].forEach(function (on, i) { list[i] = !!list[i] || on; });
      if (!same(list, was)) {
        mine[id] = list;
        changed.checklists++;
      }
    });
    return { doc: doc, changed: changed };
  }

  // Checks a document read from a file for portal `site`. Returns {doc} with only well-formed
  // entries (and `dropped`, how many were not), or {error} saying why the file cannot be used.
  function validate(value, site) {
    if (!isObject(value)) { return { error: "it is not a skillbook progress file" }; }
    if (typeof value.v !== "number") { return { error: "it is not a skillbook progress file" }; }
    if (value.v > VERSION) { return { error: "it was written by a newer version of this portal" }; }
    if (value.v !== VERSION) { return { error: "it is not a skillbook progress file" }; }
    if (typeof value.site === "string" && value.site !== site) {
      return { error: "it holds progress of another portal (" + value.site + ")" };
    }
    var checked = clean(value), doc = fresh(), dropped = checked.dropped;
    ["role", "learner", "lessons", "quizzes", "checklists"].forEach(function (name) {
      if (name in checked.doc) { doc[name] = checked.doc[name]; }
    });
    ["role", "learner"].forEach(function (name) {
      if (name in doc && doc[name].length > 200) { delete doc[name]; dropped++; }
    });
    return { doc: doc, dropped: dropped };
  }

  // Node (tests/js/) has no window: it takes the pure parts and stops here.
  if (typeof window === "undefined") {
    module.exports = { version: VERSION, clean: clean, usable: usable, merge: merge, validate: validate };
    return;
  }

  // ---- The stored document ----

  var siteId = document.body ? document.body.getAttribute("data-site-id") || "skillbook" : "skillbook";
  var KEY = "skillbook:" + siteId;
  // Where progress is saved while KEY holds a value that could not be set aside (see open).
  var NEXT = KEY + ":next";
  // The document when it could not be written (storage unavailable or full): progress goes on
  // in memory for the page's lifetime, merged into what is stored when a later write succeeds.
  var memory = null;
  var listeners = [];
  var problem = null; // "aside", "moved", "unavailable" or "full": what the notice says
  var asideKey = null;

  // Inside an LMS package (docs/lms.md) the launch page around this page keeps the progress
  // in the LMS's record of the learner: its storage stands in for localStorage.
  function packageStorage() {
    try {
      var shell = window.parent !== window && window.parent.skillbookLms;
      return shell && shell.site === siteId ? shell.storage : null;
    } catch (e) {
      return null; // a frame of another origin
    }
  }

  function storage() {
    var lms = packageStorage();
    if (lms) return lms;
    try {
      var s = window.localStorage;
      var probe = KEY + ":probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null;
    }
  }

  function now() {
    return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  function write(s, key, doc) {
    try {
      s.setItem(key, JSON.stringify(doc));
      return true;
    } catch (e) {
      return false;
    }
  }

  // Copies `raw` to a new `<key>:aside:<time>`; false when there is no room for it.
  function setAside(s, raw) {
    var base = KEY + ":aside:" + now(), key = base;
    for (var n = 2; s.getItem(key) !== null; n++) { key = base + "-" + n; }
    try {
      s.setItem(key, raw);
      asideKey = key;
      return true;
    } catch (e) {
      return false;
    }
  }

  // Reads the stored document: from NEXT when it exists, else from KEY. A value this script
  // cannot use (corrupt, another program's, a newer version, a part or entry of the wrong
  // shape) is never overwritten before it is copied aside whole; it is then replaced by its
  // well-formed parts (a version-1 document) or nothing. When there is no room for the copy
  // (a huge value in a full quota), the value stays under KEY untouched and progress moves to
  // NEXT; when not even that can be written, it lives in memory. Returns {doc, key}: the key
  // to save to, or null when saving would destroy a value.
  function open(s) {
    var key = s.getItem(NEXT) === null ? KEY : NEXT;
    var raw = s.getItem(key), doc = null;
    if (raw === null) { return { doc: fresh(), key: key }; }
    try { doc = JSON.parse(raw); } catch (e) { doc = null; }
    if (usable(doc)) { return { doc: doc, key: key }; }
    var kept = isObject(doc) && doc.v === VERSION ? clean(doc).doc : fresh();
    if (setAside(s, raw)) {
      // Never larger than raw, so it fits where raw was; if not, raw is safe aside anyway.
      if (!write(s, key, kept)) { s.removeItem(key); }
      report("aside");
      return { doc: kept, key: key };
    }
    if (key === KEY && write(s, NEXT, kept)) {
      report("moved");
      return { doc: kept, key: NEXT };
    }
    report("full");
    return { doc: kept, key: null };
  }

  // The current document: what is stored, plus what could only be kept in memory.
  function load() {
    var s = storage();
    if (!s) {
      report("unavailable");
      return memory ? clone(memory) : fresh();
    }
    var doc = open(s).doc;
    return memory ? merge(doc, memory).doc : doc;
  }

  function save(doc) {
    doc.v = VERSION;
    var text = JSON.stringify(doc);
    var s = storage();
    if (!s) {
      memory = JSON.parse(text);
      report("unavailable");
      return false;
    }
    try {
      var key = open(s).key;
      if (key) {
        s.setItem(key, text);
        memory = null;
        return true;
      }
    } catch (e) {
      report("full");
    }
    memory = JSON.parse(text);
    return false;
  }

  function tell(doc) {
    for (var i = 0; i < listeners.length; i++) {
      try { listeners[i](doc); } catch (e) { /* a listener never breaks a save */ }
    }
  }

  // Applies fn to the latest document and saves it; fields fn does not touch are kept as they
  // were. The document is read right before fn runs, so a write never erases what another tab
  // wrote in the meantime.
  function update(fn) {
    var doc = load();
    var result = fn(doc);
    save(doc);
    tell(doc);
    return result;
  }

  // Records one finished attempt of quiz `id`: {score: 0–100, passed: bool, rev: "<hash>",
  // answers: [{q, v}]}; with `answers` it becomes the entry's `last`. A result for an earlier
  // revision of the quiz is kept under `earlier`.
  function recordQuiz(id, result) {
    return update(function (doc) {
      var quizzes = section(doc, "quizzes");
      var entry = isObject(quizzes[id]) ? quizzes[id] : {};
      if (entry.rev && result.rev && entry.rev !== result.rev && entry.attempts) {
        entry = { earlier: { best: entry.best, attempts: entry.attempts, passed: entry.passed, rev: entry.rev } };
      }
      entry.rev = result.rev || entry.rev;
      entry.attempts = (entry.attempts || 0) + 1;
      var score = Math.max(0, Math.min(100, Math.round(result.score) || 0));
      entry.best = Math.max(entry.best || 0, score);
      if (result.passed) {
        entry.passed = now();
      }
      if (Array.isArray(result.answers)) {
        entry.last = { score: score, at: now(), answers: clone(result.answers) };
      } else {
        delete entry.last;
      }
      quizzes[id] = entry;
      return entry;
    });
  }

  // The saved result of quiz `id`, or null. `current` is false when it is for an earlier `rev`.
  function quiz(id, rev) {
    var doc = load();
    var entry = doc.quizzes && doc.quizzes[id];
    if (!isObject(entry)) {
      return null;
    }
    var copy = clone(entry);
    copy.current = !rev || !entry.rev || entry.rev === rev;
    return copy;
  }

  function markLesson(id, done) {
    return update(function (doc) {
      var lessons = section(doc, "lessons");
      if (done) {
        lessons[id] = { done: now() };
      } else {
        delete lessons[id];
      }
    });
  }

  function lesson(id) {
    var entry = (load().lessons || {})[id];
    return isObject(entry) && typeof entry.done === "string" ? clone(entry) : null;
  }

  // Ticks box `n` of checklist `id`; `defaults` are the states of the page's boxes, used for
  // boxes the learner has not touched.
  function setCheck(id, n, checked, defaults) {
    return update(function (doc) {
      var lists = section(doc, "checklists");
      var list = Array.isArray(lists[id]) ? lists[id] : [];
      for (var i = 0; i < Math.max(defaults.length, n); i++) {
        if (typeof list[i] !== "boolean") { list[i] = !!defaults[i]; }
      }
      list[n] = !!checked;
      lists[id] = list;
      return list.slice();
    });
  }

  function checklist(id) {
    var list = (load().checklists || {})[id];
    return Array.isArray(list) ? list.slice() : null;
  }

  function resetChecklist(id) {
    update(function (doc) { delete section(doc, "checklists")[id]; });
  }

  function setField(name, value) {
    update(function (doc) {
      if (value) { doc[name] = value; } else { delete doc[name]; }
    });
  }

  // Deletes every saved field of this site. Asides are kept, and so is a value left under KEY
  // for want of room to set it aside (progress is then under NEXT).
  function reset() {
    memory = null;
    var s = storage();
    if (s) {
      try {
        var key = open(s).key;
        if (key) { s.removeItem(key); }
      } catch (e) { /* nothing stored */ }
    }
    tell(fresh());
  }

  // Validates the text of an exported file and merges it in. Returns {changed, dropped} or
  // {error}.
  function importText(text, revs) {
    var value;
    try { value = JSON.parse(text); } catch (e) { return { error: "it is not valid JSON" }; }
    var checked = validate(value, siteId);
    if (checked.error) { return checked; }
    var changed = null;
    update(function (doc) {
      var merged = merge(doc, checked.doc, revs);
      Object.keys(merged.doc).forEach(function (k) { doc[k] = merged.doc[k]; });
      changed = merged.changed;
    });
    return { changed: changed, dropped: checked.dropped };
  }

  // The document as an export file: the stored fields plus the site id and the export time.
  function exportText() {
    var doc = load();
    var out = { v: VERSION, site: siteId, exported: now() };
    Object.keys(doc).forEach(function (k) { if (k !== "v") { out[k] = doc[k]; } });
    return JSON.stringify(out, null, 2) + "\n";
  }

  var NOTICES = {
    aside: "Your saved progress in this browser could not be read, in whole or in part, so what could not be "
      + "read starts afresh. The old value is kept, unchanged, under the storage key \u201c{aside}\u201d.",
    moved: "Your saved progress in this browser could not be read, in whole or in part, and there is no room "
      + "to keep a copy of it: it is left unchanged under the storage key \u201c{key}\u201d, and your progress "
      + "is saved under \u201c{key}:next\u201d from now on.",
    unavailable: "This browser does not let this page save your progress (private browsing or a site setting). "
      + "It is kept until you close the page: export it from My progress to keep it.",
    full: "Your browser's storage is full, so your latest progress could not be saved. It is kept until you "
      + "close the page: export it from My progress to keep it."
  };

  // Shows a short notice at the top of the page, once per kind.
  function report(kind) {
    if (problem === kind) { return; }
    problem = kind;
    var main = document.getElementById("main");
    if (!main) {
      document.addEventListener("DOMContentLoaded", function () { problem = null; report(kind); });
      return;
    }
    var box = document.querySelector(".progress-notice");
    if (!box) {
      box = document.createElement("div");
      box.className = "progress-notice";
      box.setAttribute("role", "status");
      var text = document.createElement("p");
      var close = document.createElement("button");
      close.type = "button";
      close.className = "button button-quiet";
      close.textContent = "Dismiss";
      close.addEventListener("click", function () { box.hidden = true; });
      box.appendChild(text);
      box.appendChild(close);
      main.insertBefore(box, main.firstChild);
    }
    box.hidden = false;
    box.setAttribute("data-problem", kind);
    box.firstChild.textContent = NOTICES[kind].replace("{aside}", asideKey).replace(/\{key\}/g, KEY);
  }

  // Another tab changed the stored progress: tell this page's listeners.
  window.addEventListener("storage", function (e) {
    if (e.key === KEY || e.key === NEXT || e.key === null) { tell(load()); }
  });

  window.Skillbook = window.Skillbook || {};
  window.Skillbook.progress = {
    key: KEY,
    site: siteId,
    version: VERSION,
    day: DAY,
    load: load,
    save: save,
    update: update,
    section: section,
    recordQuiz: recordQuiz,
    quiz: quiz,
    markLesson: markLesson,
    lesson: lesson,
    setCheck: setCheck,
    checklist: checklist,
    resetChecklist: resetChecklist,
    setRole: function (id) { setField("role", id); },
    setLearner: function (name) { setField("learner", name); },
    reset: reset,
    merge: merge,
    validate: function (value) { return validate(value, siteId); },
    importText: importText,
    exportText: exportText,
    problem: function () { return problem; },
    onChange: function (fn) { listeners.push(fn); }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", load);
  } else {
    load();
  }
})();
