// skillbook default theme: progressive enhancement only. Every page works without it.
// Skillbook.progress is the learner's saved progress; docs/progress-api.md documents it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var VERSION = 1;
  var siteId = document.body ? document.body.getAttribute("data-site-id") || "skillbook" : "skillbook";
  var KEY = "skillbook:" + siteId;
  var memory = null; // used when localStorage is unavailable (private mode, file:// policies)
  var listeners = [];

  function storage() {
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

  function fresh() {
    return { v: VERSION };
  }

  function usable(doc) {
    return doc !== null && typeof doc === "object" && !Array.isArray(doc) && doc.v === VERSION;
  }

  // Reads the stored document. A corrupt, foreign or newer value is not used (and is moved
  // aside on the next save), so a page never breaks on it.
  function load() {
    var s = storage();
    if (!s) {
      return memory ? JSON.parse(JSON.stringify(memory)) : fresh();
    }
    var raw = s.getItem(KEY);
    if (raw === null) {
      return fresh();
    }
    try {
      var doc = JSON.parse(raw);
      return usable(doc) ? doc : fresh();
    } catch (e) {
      return fresh();
    }
  }

  function save(doc) {
    doc.v = VERSION;
    var text = JSON.stringify(doc);
    var s = storage();
    if (!s) {
      memory = JSON.parse(text);
      return false;
    }
    try {
      var raw = s.getItem(KEY);
      if (raw !== null) {
        var old = null;
        try { old = JSON.parse(raw); } catch (e) { old = null; }
        if (!usable(old)) {
          s.setItem(KEY + ":aside:" + new Date().toISOString(), raw);
        }
      }
      s.setItem(KEY, text);
      return true;
    } catch (e) {
      memory = JSON.parse(text);
      return false;
    }
  }

  // Applies fn to the document and saves it; fields fn does not touch are kept as they were.
  function update(fn) {
    var doc = load();
    var result = fn(doc);
    save(doc);
    for (var i = 0; i < listeners.length; i++) {
      try { listeners[i](doc); } catch (e) { /* a listener never breaks a save */ }
    }
    return result;
  }

  function section(doc, name) {
    if (!doc[name] || typeof doc[name] !== "object" || Array.isArray(doc[name])) {
      doc[name] = {};
    }
    return doc[name];
  }

  // Records one finished attempt of quiz `id`: {score: 0–100, passed: bool, rev: "<hash>"}.
  // A result for an earlier revision of the quiz is kept under `earlier`.
  function recordQuiz(id, result) {
    return update(function (doc) {
      var quizzes = section(doc, "quizzes");
      var entry = quizzes[id] && typeof quizzes[id] === "object" ? quizzes[id] : {};
      if (entry.rev && result.rev && entry.rev !== result.rev && entry.attempts) {
        entry = { earlier: { best: entry.best, attempts: entry.attempts, passed: entry.passed, rev: entry.rev } };
      }
      entry.rev = result.rev || entry.rev;
      entry.attempts = (entry.attempts || 0) + 1;
      var score = Math.max(0, Math.min(100, Math.round(result.score)));
      entry.best = Math.max(entry.best || 0, score);
      if (result.passed) {
        entry.passed = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
      }
      quizzes[id] = entry;
      return entry;
    });
  }

  // The saved result of quiz `id`, or null. `current` is false when it is for an earlier `rev`.
  function quiz(id, rev) {
    var doc = load();
    var entry = doc.quizzes && doc.quizzes[id];
    if (!entry || typeof entry !== "object") {
      return null;
    }
    var copy = JSON.parse(JSON.stringify(entry));
    copy.current = !rev || !entry.rev || entry.rev === rev;
    return copy;
  }

  window.Skillbook = window.Skillbook || {};
  window.Skillbook.progress = {
    key: KEY,
    version: VERSION,
    load: load,
    save: save,
    update: update,
    section: section,
    recordQuiz: recordQuiz,
    quiz: quiz,
    onChange: function (fn) { listeners.push(fn); }
  };

  // The best score of a module's assessment, on the module page.
  function showBest() {
    var nodes = document.querySelectorAll(".quiz-best[data-quiz-id]");
    for (var i = 0; i < nodes.length; i++) {
      var q = quiz(nodes[i].getAttribute("data-quiz-id"));
      if (q && q.attempts) {
        nodes[i].textContent = "Your best score: " + q.best + "%" + (q.passed ? " · passed" : "");
        nodes[i].hidden = false;
      }
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showBest);
  } else {
    showBest();
  }

  // Search: the header box is a plain form to the search page until search.js arrives,
  // which is loaded the first time the box is used so that other pages stay light.
  var form = document.querySelector("form.site-search");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  function loadSearch() {
    if (window.skillbookSearch || document.getElementById("skillbook-search-js")) return;
    var s = document.createElement("script");
    s.id = "skillbook-search-js";
    s.src = form.getAttribute("data-search-js");
    document.head.appendChild(s);
  }
  input.addEventListener("focus", loadSearch);
  input.addEventListener("input", loadSearch);
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    var main = document.getElementById("search-page-q");
    (main || input).focus();
  });
})();
