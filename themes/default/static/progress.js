// skillbook learner progress: the role chooser and learning path, lesson completion,
// recertification, playbook checklists, the "My progress" page and the certificate.
// Everything here enhances pages that work without it: the parts it shows carry `hidden` in
// the HTML. State lives in Skillbook.progress (store.js); the structure of the site comes
// from the progress map the pages embed (docs/progress-api.md).
(function () {
  "use strict";
  var P = window.Skillbook && window.Skillbook.progress;
  if (!P) { return; }
  var DAY = 86400000;
  var SOON = 30 * DAY;
  var LABELS = { "not-started": "Not started", "in-progress": "In progress", done: "Done", due: "Due again" };
  var kind = document.body.getAttribute("data-page-kind");
  var map = readMap();
  var modules = {};
  var roles = {};
  if (map) {
    map.modules.forEach(function (m) { modules[m.id] = m; });
    map.roles.forEach(function (r) { roles[r.id] = r; });
  }

  function readMap() {
    var node = document.getElementById("skillbook-map");
    if (!node) { return null; }
    try {
      // A module page carries its own module's map; other pages load the site's map script.
      var m = node.src ? window.skillbookMap : JSON.parse(node.textContent);
      if (!m) { return null; }
      m.root = node.getAttribute("data-root") || "";
      return m;
    } catch (e) {
      return null;
    }
  }

  function all(css, root) { return Array.prototype.slice.call((root || document).querySelectorAll(css)); }

  function one(css, root) { return (root || document).querySelector(css); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function link(url, text) {
    var a = el("a", null, text);
    a.href = (map ? map.root : "") + url;
    return a;
  }

  function date(ms) {
    var d = new Date(ms);
    try {
      return d.toLocaleDateString(document.documentElement.lang || undefined, { year: "numeric", month: "long", day: "numeric" });
    } catch (e) {
      return d.toISOString().slice(0, 10);
    }
  }

  function pct(n) { return n + "%"; }

  // ---- Status of lessons, assessments, modules and role paths ----

  // A completion at `iso`, valid for `days` (or for ever): done, or lapsed on a date.
  function dated(iso, days, now) {
    var t = typeof iso === "string" ? Date.parse(iso) : NaN;
    if (isNaN(t)) { return { done: false }; }
    var expires = days ? t + days * DAY : null;
    if (expires !== null && expires <= now) { return { done: false, lapsed: expires, date: t }; }
    return { done: true, date: t, expires: expires };
  }

  function lessonState(doc, id, days, now) {
    var e = doc.lessons && doc.lessons[id];
    return dated(e && e.done, days, now);
  }

  function quizState(doc, q, days, now) {
    var e = doc.quizzes && doc.quizzes[q.id];
    if (!e || typeof e !== "object") { return { done: false, taken: false }; }
    if (e.rev && q.rev && e.rev !== q.rev) {
      return { done: false, taken: false, earlier: true, best: e.best, passedOn: e.passed };
    }
    var s = dated(e.passed, days, now);
    s.taken = !!e.attempts;
    s.best = e.best;
    s.attempts = e.attempts;
    return s;
  }

  function moduleState(doc, m, now) {
    var lessons = m.lessons.map(function (l) { return lessonState(doc, l.id, m.days, now); });
    var quiz = m.quiz ? quizState(doc, m.quiz, m.days, now) : null;
    var parts = quiz ? lessons.concat([quiz]) : lessons;
    var done = parts.filter(function (p) { return p.done; });
    var st = {
      lessons: lessons,
      quiz: quiz,
      done: done.length,
      total: parts.length,
      lessonsDone: lessons.filter(function (p) { return p.done; }).length,
      percent: parts.length ? Math.round((100 * done.length) / parts.length) : 100
    };
    if (done.length === parts.length) {
      st.status = "done";
      st.date = Math.max.apply(null, done.map(function (p) { return p.date; }).concat([0]));
      var ends = done.map(function (p) { return p.expires; }).filter(function (x) { return x !== null; });
      st.expires = ends.length ? Math.min.apply(null, ends) : null;
    } else if (parts.every(function (p) { return p.done || p.lapsed; })) {
      st.status = "due";
      st.lapsed = Math.min.apply(null, parts.filter(function (p) { return p.lapsed; }).map(function (p) { return p.lapsed; }));
    } else {
      var touched = parts.some(function (p) { return p.done || p.lapsed || p.taken || p.earlier; });
      st.status = touched ? "in-progress" : "not-started";
    }
    return st;
  }

  function roleState(doc, role, now) {
    var required = role.required.map(function (id) { return modules[id]; }).filter(Boolean);
    var states = required.map(function (m) { return moduleState(doc, m, now); });
    var done = states.filter(function (s) { return s.status === "done"; });
    var parts = states.reduce(function (n, s) { return n + s.total; }, 0);
    var partsDone = states.reduce(function (n, s) { return n + s.done; }, 0);
    var lessons = required.reduce(function (n, m) { return n + m.lessons.length; }, 0);
    return {
      modules: required,
      states: states,
      done: done.length,
      total: required.length,
      lessons: lessons,
      lessonsDone: states.reduce(function (n, s) { return n + s.lessonsDone; }, 0),
      // Lessons and assessments done, so that the figure moves with every lesson.
      percent: parts ? Math.round((100 * partsDone) / parts) : 0,
      complete: required.length > 0 && done.length === required.length,
      date: Math.max.apply(null, done.map(function (s) { return s.date; }).concat([0]))
    };
  }

  function statusText(st) {
    if (st.status === "due") { return "Due again: lapsed on " + date(st.lapsed); }
    return LABELS[st.status];
  }

  function badge(st) {
    return el("span", "status status-" + st.status, statusText(st));
  }

  // Puts the status badge of `st` into `node` (replacing an earlier one).
  function setBadge(node, st, where) {
    var old = one(":scope > .progress-status", where || node);
    var box = el("span", "progress-status");
    box.appendChild(badge(st));
    if (old) { old.parentNode.replaceChild(box, old); } else { (where || node).appendChild(box); }
  }

  function quizSummary(q) {
    if (!q || (!q.taken && !q.earlier && !q.lapsed)) { return "Not taken"; }
    if (q.earlier) { return "Best " + pct(q.best) + " for an earlier version: take it again"; }
    if (q.lapsed) { return "Passed, lapsed on " + date(q.lapsed) + ": take it again"; }
    if (q.done) { return "Best " + pct(q.best) + ", passed on " + date(q.date); }
    return "Best " + pct(q.best) + ", not passed yet (" + q.attempts + (q.attempts === 1 ? " attempt)" : " attempts)");
  }

  // A module's lessons and assessment, each with its status.
  function partsList(m, st) {
    var list = el("ul", "part-list");
    m.lessons.forEach(function (l, i) {
      var s = st.lessons[i], li = el("li", "part part-" + (s.done ? "done" : s.lapsed ? "due" : "todo"));
      li.appendChild(link(l.url, l.title));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "part-state", s.done ? "done" : s.lapsed ? "due again" : "not done"));
      list.appendChild(li);
    });
    if (m.quiz) {
      var li = el("li", "part part-" + (st.quiz.done ? "done" : "todo"));
      li.appendChild(link(m.quiz.url, "Assessment: " + m.quiz.title));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "part-state", quizSummary(st.quiz)));
      list.appendChild(li);
    }
    return list;
  }

  // ---- Home: role chooser, learning path, due soon ----

  function initHome() {
    var chooser = document.getElementById("role-chooser");
    if (!chooser || !map) { return; }
    var live = el("p", "role-chooser-status");
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    chooser.appendChild(live);
    // The role links become buttons that choose the role; without JS they lead to the role pages.
    all(".role-option[data-role]", chooser).forEach(function (a) {
      var b = el("button", a.className);
      b.type = "button";
      b.setAttribute("data-role", a.getAttribute("data-role"));
      b.setAttribute("aria-pressed", "false");
      while (a.firstChild) { b.appendChild(a.firstChild); }
      b.addEventListener("click", function () {
        var role = roles[b.getAttribute("data-role")];
        P.setRole(role.id);
        live.textContent = "Your role is now " + role.name + ". Your learning path is shown above the roles.";
      });
      a.parentNode.replaceChild(b, a);
    });
  }

  function renderPath(box, doc, now) {
    var role = roles[doc.role];
    box.hidden = !role;
    if (!role) { return; }
    var body = one("[data-progress=path-body]", box);
    var rs = roleState(doc, role, now);
    body.textContent = "";
    var line = el("p", "path-line");
    line.appendChild(document.createTextNode("Role: "));
    line.appendChild(link(role.url, role.name));
    line.appendChild(document.createTextNode(" · " + rs.done + " of " + rs.total + " required modules done · "
      + rs.lessonsDone + " of " + plural(rs.lessons, "lesson", "lessons") + " done"));
    body.appendChild(line);
    body.appendChild(meter(rs.percent, "Learning path complete"));
    var next = el("div", "path-continue");
    next.setAttribute("data-progress", "continue");
    renderContinue(next, role, doc, now);
    body.appendChild(next);
    // The path is made of the page's own module cards (partials/module-card.html), the cards
    // of the role page; renderCards fills them in.
    var list = el("ol", "path-steps");
    rs.modules.forEach(function (m, i) {
      var li = el("li", "path-step");
      var n = el("span", "path-step-number", String(i + 1));
      n.setAttribute("aria-hidden", "true");
      li.appendChild(n);
      li.appendChild(cardOf(m));
      list.appendChild(li);
    });
    if (!rs.modules.length) { body.appendChild(el("p", "empty", "This role has no required modules.")); }
    body.appendChild(list);
    var optional = role.optional.map(function (id) { return modules[id]; }).filter(Boolean);
    if (optional.length) {
      body.appendChild(el("h3", "list-label", "Optional"));
      var ul = el("ul", "card-grid path-optional");
      optional.forEach(function (m) {
        var li = el("li");
        li.appendChild(cardOf(m));
        ul.appendChild(li);
      });
      body.appendChild(ul);
    }
  }

  // A copy of the page's card of module `m`, as the page had it before any script changed it.
  var cards = {};
  function keepCards() {
    all(".module-card[data-module-id]").forEach(function (card) {
      var id = card.getAttribute("data-module-id");
      if (!cards[id]) { cards[id] = card.cloneNode(true); }
    });
  }

  function cardOf(m) {
    if (cards[m.id]) { return cards[m.id].cloneNode(true); }
    // A theme whose home page has no card of this module: its title and status alone.
    var card = el("article", "card module-card");
    card.setAttribute("data-module-id", m.id);
    card.appendChild(el("h3", "card-title")).appendChild(link(m.url, m.title));
    return card;
  }

  function meter(percent, label) {
    var wrap = el("p", "meter");
    var bar = el("progress");
    bar.max = 100;
    bar.value = percent;
    bar.setAttribute("aria-label", label);
    wrap.appendChild(bar);
    wrap.appendChild(el("span", "meter-text", pct(percent) + " complete"));
    return wrap;
  }

  // Modules whose completion lapsed, or lapses within 30 days.
  function renderDue(box, doc, now) {
    var items = [];
    map.modules.forEach(function (m) {
      var st = moduleState(doc, m, now);
      if (st.status === "due") {
        items.push({ m: m, at: st.lapsed, text: "due again: lapsed on " + date(st.lapsed) });
      } else if (st.status === "done" && st.expires !== null && st.expires - now <= SOON) {
        items.push({ m: m, at: st.expires, text: "due again on " + date(st.expires) });
      }
    });
    box.hidden = !items.length;
    box.textContent = "";
    if (!items.length) { return; }
    box.appendChild(el("h3", "list-label", "Due soon"));
    var ul = el("ul", "due-list");
    items.sort(function (a, b) { return a.at - b.at; }).forEach(function (item) {
      var li = el("li");
      li.appendChild(link(item.m.url, item.m.title));
      li.appendChild(document.createTextNode(": " + item.text));
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function renderHome(doc, now) {
    if (!map) { return; }
    all("#role-chooser .role-option[data-role]").forEach(function (b) {
      var chosen = b.getAttribute("data-role") === doc.role;
      b.setAttribute("aria-pressed", chosen ? "true" : "false");
      b.classList.toggle("is-chosen", chosen);
    });
    var path = one("[data-progress=path]");
    if (path) {
      renderPath(path, doc, now);
      var due = one("[data-progress=due]", path);
      renderDue(due, doc, now);
      if (!roles[doc.role] && !due.hidden) {
        // Things due again are shown even before a role is chosen.
        path.hidden = false;
        one("[data-progress=path-body]", path).textContent = "";
      }
    }
  }

  // ---- Module cards: status, lessons done, and on a path each lesson and the assessment ----

  function lessonMeter(done, total, title) {
    var wrap = el("p", "meter");
    var bar = el("progress");
    bar.max = total;
    bar.value = done;
    bar.setAttribute("aria-label", "Lessons done in " + title);
    wrap.appendChild(bar);
    wrap.appendChild(el("span", "meter-text", done + " of " + plural(total, "lesson", "lessons") + " done"));
    return wrap;
  }

  function quizLine(q) {
    if (q.done) { return "Assessment passed"; }
    if (q.earlier || q.lapsed) { return "Assessment to take again"; }
    return q.taken ? "Assessment not passed yet" : "Assessment not taken";
  }

  function renderCard(card, doc, now) {
    var m = modules[card.getAttribute("data-module-id")];
    if (!m) { return; }
    var st = moduleState(doc, m, now);
    var box = one(":scope > [data-progress=card]", card);
    if (!box) {
      setBadge(card, st);
      return;
    }
    box.hidden = false;
    box.textContent = "";
    var line = el("p", "card-status");
    line.appendChild(el("span", "progress-status")).appendChild(badge(st));
    if (m.quiz) { line.appendChild(el("span", "card-quiz", quizLine(st.quiz))); }
    box.appendChild(line);
    if (m.lessons.length) { box.appendChild(lessonMeter(st.lessonsDone, m.lessons.length, m.title)); }
    if (card.closest(".path-steps")) { box.appendChild(partsList(m, st)); }
  }

  function renderCards(doc, now) {
    if (!map) { return; }
    all(".module-card[data-module-id]").forEach(function (card) { renderCard(card, doc, now); });
  }

  // ---- Continue where you left off ----

  // The first lesson or assessment of the role's path that is not done: of its required
  // modules, or of its optional ones for a path of optional modules only. Null when none.
  function firstUnfinished(role, doc, now) {
    var ids = role.required.length ? role.required : role.optional;
    for (var i = 0; i < ids.length; i++) {
      var m = modules[ids[i]];
      if (!m) { continue; }
      var st = moduleState(doc, m, now);
      for (var j = 0; j < m.lessons.length; j++) {
        if (!st.lessons[j].done) { return { url: m.lessons[j].url, title: m.lessons[j].title, module: m }; }
      }
      if (m.quiz && !st.quiz.done) { return { url: m.quiz.url, title: "Assessment: " + m.quiz.title, module: m }; }
    }
    return null;
  }

  // Fills `box` with the way on along the role's path: a button to the first unfinished lesson
  // or assessment ("Start" while nothing of the path is done), or that the path is complete.
  function renderContinue(box, role, doc, now) {
    box.textContent = "";
    box.hidden = false;
    var next = firstUnfinished(role, doc, now);
    if (!next) {
      var rs = roleState(doc, role, now), p = el("p", "path-complete");
      if (rs.complete) {
        p.appendChild(document.createTextNode("You have completed your learning path. "));
        p.appendChild(link("certificate.html", "View your certificate"));
      } else {
        p.appendChild(document.createTextNode("Your learning path has no lessons yet."));
      }
      box.appendChild(p);
      return;
    }
    var ids = role.required.concat(role.optional);
    var started = ids.some(function (id) {
      return modules[id] && moduleState(doc, modules[id], now).status !== "not-started";
    });
    var a = link(next.url, started ? "Continue where you left off" : "Start");
    a.className = "button";
    a.setAttribute("data-progress", "continue-link");
    var what = el("p", "path-continue-what", (started ? "Next: " : "First: ") + next.title + " · " + next.module.title);
    what.id = "path-continue-what";
    a.setAttribute("aria-describedby", what.id);
    box.appendChild(a);
    box.appendChild(what);
  }

  // ---- Roles index and role pages ----

  function renderRoles(doc, now) {
    if (!map) { return; }
    all(".path-summary[data-role]").forEach(function (item) {
      var role = roles[item.getAttribute("data-role")];
      if (!role) { return; }
      var rs = roleState(doc, role, now);
      var line = one(":scope > .path-progress", item);
      if (!line) {
        line = el("p", "path-progress");
        item.insertBefore(line, one(".path-columns", item));
      }
      line.textContent = (doc.role === role.id ? "Your role · " : "") + rs.done + " of " + rs.total
        + " required modules done (" + pct(rs.percent) + ")";
      item.classList.toggle("is-chosen", doc.role === role.id);
      all("li[data-module-id]", item).forEach(function (li) {
        var m = modules[li.getAttribute("data-module-id")];
        if (m) { setBadge(li, moduleState(doc, m, now)); }
      });
    });
  }

  function initRole() {
    var box = one("[data-progress=role-choose]");
    if (!box || !map) { return; }
    box.hidden = false;
    var button = one("[data-progress=choose-role]", box);
    button.addEventListener("click", function () {
      var role = roles[box.getAttribute("data-role")];
      var chosen = load().role === role.id;
      P.setRole(chosen ? "" : role.id);
      one(".role-choose-status", box).textContent = chosen ? "You have no role chosen now."
        : role.name + " is now your role: this is your learning path.";
    });
  }

  function renderRole(doc, now) {
    var box = one("[data-progress=role-choose]");
    if (!box || !map) { return; }
    var role = roles[box.getAttribute("data-role")];
    var chosen = doc.role === role.id;
    var button = one("[data-progress=choose-role]", box);
    button.setAttribute("aria-pressed", chosen ? "true" : "false");
    button.textContent = chosen ? "This is your role" : "Make this my role";
    var rs = roleState(doc, role, now);
    var old = one(".meter", box);
    var bar = meter(rs.percent, "Learning path complete");
    if (old) { box.replaceChild(bar, old); } else { box.insertBefore(bar, button); }
    var next = one("[data-progress=continue]", box);
    if (next) {
      if (chosen) { renderContinue(next, role, doc, now); } else { next.hidden = true; }
    }
  }

  // ---- Module page ----

  function renderModule(doc, now) {
    var box = one("[data-progress=module]");
    var m = box && modules[box.getAttribute("data-module-id")];
    if (!m) { return; }
    box.hidden = false;
    var st = moduleState(doc, m, now);
    var p = one(".module-progress-status", box);
    p.textContent = "";
    p.appendChild(badge(st));
    var more = st.status === "done"
      ? (st.expires !== null ? " Valid until " + date(st.expires) + "." : " You have completed this module.")
      : st.status === "due" ? " Take the lessons" + (m.quiz ? " and the assessment" : "") + " again to renew it."
        : " " + st.done + " of " + st.total + " steps done.";
    p.appendChild(document.createTextNode(more));
    m.lessons.forEach(function (l, i) {
      var item = one(".lesson-item[data-lesson-id='" + l.id.replace(/'/g, "\\'") + "']");
      if (!item) { return; }
      var s = st.lessons[i];
      setBadge(item, { status: s.done ? "done" : s.lapsed ? "due" : "not-started", lapsed: s.lapsed }, one(".lesson-body", item));
    });
    var best = one(".quiz-best[data-quiz-id]");
    if (best && st.quiz) {
      best.hidden = !(st.quiz.taken || st.quiz.earlier);
      best.textContent = st.quiz.earlier
        ? "Your best score of " + pct(st.quiz.best) + " is for an earlier version of this assessment. Take it again to count it."
        : "Your best score: " + pct(st.quiz.best) + (st.quiz.done ? " · passed" : st.quiz.lapsed ? " · due again" : "");
    }
  }

  // ---- Lesson and assessment pages: the module's lessons, and Next after the module ----

  // The list of the module's lessons is open beside the text on wide screens and folded above
  // it on narrow ones (the width is the stylesheet's, where .lesson-layout becomes two columns).
  function initLessonNav() {
    var fold = one("[data-progress=lesson-nav] details");
    if (!fold || !window.matchMedia) { return; }
    var wide = window.matchMedia("(min-width: 64rem)");
    var follow = function () { fold.open = wide.matches; };
    follow();
    if (wide.addEventListener) { wide.addEventListener("change", follow); } else if (wide.addListener) { wide.addListener(follow); }
  }

  var NAV_STATES = { done: "done", due: "due again", todo: "not started" };

  function renderLessonNav(doc, now) {
    var nav = one("[data-progress=lesson-nav]");
    if (!nav) { return; }
    var days = Number(nav.getAttribute("data-valid-for-days")) || 0, done = 0, lessons = 0;
    all(".lesson-nav-item", nav).forEach(function (item) {
      var id = item.getAttribute("data-lesson-id"), qid = item.getAttribute("data-quiz-id"), s, words = NAV_STATES;
      if (id) {
        s = lessonState(doc, id, days, now);
        lessons++;
        if (s.done) { done++; }
      } else if (qid) {
        s = quizState(doc, { id: qid, rev: item.getAttribute("data-rev") }, days, now);
        words = { done: "passed", due: "due again", todo: s.taken || s.earlier ? "not passed yet" : "not taken" };
      } else {
        return;
      }
      var state = s.done ? "done" : s.lapsed ? "due" : "todo";
      ["done", "due", "todo"].forEach(function (x) { item.classList.toggle("is-" + x, x === state); });
      var text = one(".lesson-nav-state", item);
      if (text) { text.textContent = " (" + words[state] + ")"; }
    });
    var count = one(".lesson-nav-done", nav);
    if (count) {
      count.hidden = false;
      count.textContent = " · " + done + " of " + lessons + " done";
    }
  }

  // Next after a module's end: the next module of the learner's role's path, which the page
  // lists for each role whose path holds the module (partials/pager.html), or what the page
  // links without a role: the next module of the site.
  var firstNext = [];
  function renderNext(doc) {
    var targets = all("[data-progress=next], [data-progress=next-step]");
    var list = one("template[data-progress=path-next]");
    var pick = null;
    if (list && list.content && doc.role) {
      all("a[data-role]", list.content).forEach(function (a) {
        if (a.getAttribute("data-role") === doc.role) { pick = a; }
      });
    }
    targets.forEach(function (a, i) {
      var label = one("[data-step=label]", a), title = one("[data-step=title]", a);
      if (!firstNext[i]) {
        firstNext[i] = { href: a.getAttribute("href"), label: label && label.textContent, title: title && title.textContent };
      }
      var to = pick ? {
        href: pick.getAttribute("href"),
        label: one("[data-step=label]", pick).textContent,
        title: one("[data-step=title]", pick).textContent
      } : firstNext[i];
      a.setAttribute("href", to.href);
      if (label) { label.textContent = to.label; }
      if (title) { title.textContent = to.title; }
    });
  }

  // ---- Lesson page: mark complete, auto-complete at the end ----

  function initLesson() {
    var box = one("[data-progress=lesson]");
    if (!box) { return; }
    box.hidden = false;
    var id = box.getAttribute("data-lesson-id");
    var days = Number(box.getAttribute("data-valid-for-days")) || 0;
    var status = one(".lesson-complete-status", box);
    var unmarked = false;
    one("[data-progress=mark-complete]", box).addEventListener("click", function () {
      var s = lessonState(load(), id, days, Date.now());
      P.markLesson(id, !s.done);
      unmarked = s.done;
      status.textContent = s.done ? "This lesson is no longer marked complete." : "Lesson marked complete.";
      // The button the learner pressed is now the undo: the focus goes on to the next step.
      var next = one("[data-progress=next-step]", box);
      if (!s.done && next && !next.hidden) { next.focus(); }
    });
    // Auto-complete: once the learner has scrolled the end of the lesson into view. A lesson
    // short enough to fit the window is never marked without a click.
    if (box.hasAttribute("data-auto-complete")) {
      var onScroll = function () {
        if (unmarked || box.getBoundingClientRect().top > window.innerHeight) { return; }
        window.removeEventListener("scroll", onScroll);
        if (!lessonState(load(), id, days, Date.now()).done) {
          P.markLesson(id, true);
          status.textContent = "Lesson marked complete: you reached its end.";
        }
      };
      window.addEventListener("scroll", onScroll, { passive: true });
    }
  }

  function renderLesson(doc, now) {
    var box = one("[data-progress=lesson]");
    if (!box) { return; }
    var days = Number(box.getAttribute("data-valid-for-days")) || 0;
    var s = lessonState(doc, box.getAttribute("data-lesson-id"), days, now);
    var button = one("[data-progress=mark-complete]", box);
    var next = one("[data-progress=next-step]", box);
    button.textContent = s.done ? "Mark as not complete" : s.lapsed ? "Mark lesson complete again" : "Mark lesson complete";
    // Once the lesson is done, the next step is the main button and the undo a quiet one.
    if (next) { next.hidden = !s.done; }
    button.classList.toggle("button-quiet", s.done && !!next);
    box.classList.toggle("is-done", s.done);
    var note = one(".lesson-complete-date", box) || el("p", "lesson-complete-date");
    note.textContent = s.done ? "Completed on " + date(s.date) + "." : s.lapsed
      ? "Completed on " + date(s.date) + "; due again since " + date(s.lapsed) + "." : "";
    note.hidden = !note.textContent;
    if (!note.parentNode) { box.insertBefore(note, button.parentNode === box ? button : button.parentNode); }
  }

  // ---- Quizzes: results for an earlier version ----

  function renderQuizzes(doc) {
    all(".quiz[data-quiz-id][data-rev]").forEach(function (q) {
      var e = doc.quizzes && doc.quizzes[q.getAttribute("data-quiz-id")];
      var earlier = e && typeof e === "object" && e.rev && e.rev !== q.getAttribute("data-rev") && e.attempts;
      var note = one(".quiz-earlier", q);
      if (!earlier) {
        if (note) { note.hidden = true; }
        return;
      }
      if (!note) {
        note = el("p", "quiz-earlier");
        q.insertBefore(note, one(".quiz-questions", q));
      }
      note.hidden = false;
      note.textContent = "Your earlier result (best score " + pct(e.best) + (e.passed ? ", passed" : "")
        + ") is for an earlier version of this quiz. Take it again to count it.";
    });
  }

  // ---- Playbook checklists ----

  function checks() { return all(".prose input[type=checkbox][data-check]"); }

  function initChecklist() {
    var box = one("[data-progress=checklist]");
    var boxes = checks();
    if (!box || kind !== "playbook" || !boxes.length) { return; }
    box.hidden = false;
    var id = box.getAttribute("data-checklist-id");
    var defaults = boxes.map(function (b) { return b.defaultChecked; });
    boxes.forEach(function (b) {
      b.disabled = false;
      b.addEventListener("change", function () {
        P.setCheck(id, Number(b.getAttribute("data-check")), b.checked, defaults);
      });
    });
    one("[data-progress=reset-checklist]", box).addEventListener("click", function () {
      P.resetChecklist(id);
      one(".checklist-status", box).textContent = "Checklist reset. " + count();
    });
  }

  function count() {
    var boxes = checks();
    var on = boxes.filter(function (b) { return b.checked; }).length;
    return on + " of " + boxes.length + " steps checked.";
  }

  function renderChecklist(doc) {
    var box = one("[data-progress=checklist]");
    if (!box || box.hidden) { return; }
    var list = (doc.checklists || {})[box.getAttribute("data-checklist-id")];
    checks().forEach(function (b) {
      var n = Number(b.getAttribute("data-check"));
      b.checked = Array.isArray(list) && typeof list[n] === "boolean" ? list[n] : b.defaultChecked;
    });
    one(".checklist-status", box).textContent = count();
  }

  // ---- My progress ----

  function initDashboard() {
    var app = one("[data-progress=dashboard]");
    if (!app || !map) { return; }
    app.hidden = false;
    var select = one("[data-progress=role-select]", app);
    select.addEventListener("change", function () { P.setRole(select.value); });
    learnerField(one("[data-progress=learner]", app));
    var status = one("[data-progress=data-status]", app);
    one("[data-progress=export]", app).addEventListener("click", function () {
      var name = P.site + "-progress-" + new Date().toISOString().slice(0, 10) + ".json";
      var blob = new Blob([P.exportText()], { type: "application/json" });
      var a = el("a");
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
      status.textContent = "Your progress was exported to the file " + name + ".";
    });
    var input = one("[data-progress=import]", app);
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        status.textContent = importSummary(file.name, P.importText(String(reader.result), revisions()));
        input.value = "";
      };
      reader.onerror = function () { status.textContent = "The file " + file.name + " could not be read."; };
      reader.readAsText(file);
    });
    var reset = one("[data-progress=reset]", app), confirm = one("[data-progress=reset-confirm]", app);
    function ask(open) {
      confirm.hidden = !open;
      reset.setAttribute("aria-expanded", open ? "true" : "false");
      (open ? one("#progress-reset-question") : reset).focus();
    }
    reset.addEventListener("click", function () { ask(confirm.hidden); });
    one("[data-progress=reset-no]", app).addEventListener("click", function () { ask(false); });
    one("[data-progress=reset-yes]", app).addEventListener("click", function () {
      P.reset();
      ask(false);
      status.textContent = "All your progress in this browser was deleted.";
    });
  }

  // A name field that saves as the learner types, and is not overwritten while focused.
  function learnerField(input) {
    if (!input) { return; }
    input.addEventListener("input", function () { P.setLearner(input.value.trim()); });
  }

  function revisions() {
    var revs = {};
    map.modules.forEach(function (m) { if (m.quiz) { revs[m.quiz.id] = m.quiz.rev; } });
    return revs;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function importSummary(name, result) {
    if (result.error) { return "The file " + name + " was not imported: " + result.error + "."; }
    var c = result.changed, parts = [];
    if (c.lessons) { parts.push(plural(c.lessons, "lesson", "lessons") + " completed or renewed"); }
    if (c.quizzes) { parts.push(plural(c.quizzes, "assessment result", "assessment results") + " added or improved"); }
    if (c.checklists) { parts.push(plural(c.checklists, "checklist", "checklists") + " updated"); }
    if (c.role) { parts.push("your role set"); }
    if (c.learner) { parts.push("your name set"); }
    var text = "Imported " + name + ": " + (parts.length ? parts.join(", ") + "." : "nothing new, this browser already had all of it.");
    if (result.dropped) { text += " " + plural(result.dropped, "entry was", "entries were") + " not valid and skipped."; }
    return text;
  }

  function cell(row, name, content) {
    var td = one("[data-cell=" + name + "]", row);
    td.textContent = "";
    if (typeof content === "string") { td.textContent = content; } else { td.appendChild(content); }
  }

  function renderDashboard(doc, now) {
    var app = one("[data-progress=dashboard]");
    if (!app || app.hidden) { return; }
    var select = one("[data-progress=role-select]", app);
    select.value = roles[doc.role] ? doc.role : "";
    var learner = one("[data-progress=learner]", app);
    if (document.activeElement !== learner) { learner.value = doc.learner || ""; }
    var role = roles[doc.role], summary = one("[data-progress=summary]", app);
    if (role) {
      var rs = roleState(doc, role, now);
      summary.textContent = "Your role: " + role.name + ". " + rs.done + " of " + rs.total + " required modules done ("
        + pct(rs.percent) + ")." + (rs.complete ? " Your learning path is complete." : "");
    } else {
      summary.textContent = "Choose your role to see your learning path.";
    }
    all("tr[data-role]", app).forEach(function (row) {
      var r = roles[row.getAttribute("data-role")];
      var rs = roleState(doc, r, now);
      row.classList.toggle("is-chosen", doc.role === r.id);
      cell(row, "modules", rs.done + " of " + rs.total);
      cell(row, "percent", pct(rs.percent));
      cell(row, "certificate", rs.complete ? link("certificate.html?role=" + encodeURIComponent(r.id), "View certificate") : "Not yet");
    });
    all("tr[data-module-id]", app).forEach(function (row) {
      var m = modules[row.getAttribute("data-module-id")];
      var st = moduleState(doc, m, now);
      cell(row, "status", badge(st));
      cell(row, "lessons", st.lessonsDone + " of " + m.lessons.length);
      cell(row, "percent", pct(st.percent));
      cell(row, "quiz", m.quiz ? quizSummary(st.quiz) : "None");
    });
  }

  // ---- Certificate ----

  function initCertificate() {
    var cert = one("[data-progress=certificate]");
    if (!cert || !map) { return; }
    learnerField(one("[data-cert=learner]", cert));
    one("[data-cert=print]", cert).addEventListener("click", function () { window.print(); });
  }

  function renderCertificate(doc, now) {
    var cert = one("[data-progress=certificate]");
    if (!cert || !map) { return; }
    var missing = one("[data-progress=certificate-missing]");
    var wanted = /[?&]role=([^&#]*)/.exec(window.location.search);
    var role = roles[wanted ? decodeURIComponent(wanted[1]) : doc.role];
    var rs = role ? roleState(doc, role, now) : null;
    cert.hidden = !(rs && rs.complete);
    missing.hidden = !cert.hidden;
    if (cert.hidden) {
      one("[data-progress=certificate-why]", missing).textContent = !role ? "You have not chosen a role yet."
        : "Your learning path as " + role.name + ": " + rs.done + " of " + rs.total + " required modules done.";
      return;
    }
    one("[data-cert=name]", cert).textContent = doc.learner || "Add your name below";
    one("[data-cert=name]", cert).classList.toggle("is-empty", !doc.learner);
    one("[data-cert=role]", cert).textContent = role.name;
    one("[data-cert=date]", cert).textContent = date(rs.date);
    var input = one("[data-cert=learner]", cert);
    if (document.activeElement !== input) { input.value = doc.learner || ""; }
    var body = one("[data-cert=modules]", cert);
    body.textContent = "";
    rs.modules.forEach(function (m, i) {
      var st = rs.states[i], tr = el("tr");
      tr.appendChild(el("th", null, m.title)).setAttribute("scope", "row");
      tr.appendChild(el("td", null, date(st.date)));
      tr.appendChild(el("td", null, st.quiz ? pct(st.quiz.best) : "No assessment"));
      body.appendChild(tr);
    });
  }

  // ---- Wiring ----

  function load() { return P.load(); }

  function render(doc) {
    var now = Date.now();
    renderHome(doc, now);
    renderRoles(doc, now);
    renderRole(doc, now);
    renderCards(doc, now);
    renderModule(doc, now);
    renderLessonNav(doc, now);
    renderNext(doc);
    renderLesson(doc, now);
    renderQuizzes(doc);
    renderChecklist(doc);
    renderDashboard(doc, now);
    renderCertificate(doc, now);
  }

  function init() {
    keepCards();
    if (kind === "home") { initHome(); }
    initRole();
    initLessonNav();
    initLesson();
    initChecklist();
    initDashboard();
    initCertificate();
    P.onChange(function (doc) { render(doc); });
    render(load());
  }

  window.Skillbook.progressView = { moduleState: moduleState, roleState: roleState, map: map };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
