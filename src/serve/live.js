// Injected into pages by `skillbook serve` only (never in built output): reloads the page when
// the site is rebuilt, keeping the scroll position; shows build errors in an overlay; adds the
// author bar. Reconnects by itself when the server restarts.
(function () {
  "use strict";
  var script = document.currentScript;
  var tag = script.getAttribute("data-tag");
  var source = script.getAttribute("data-source") || "";
  var scrollKey = "skillbook-serve-scroll:" + location.pathname;

  function restoreScroll() {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved === null) return;
    sessionStorage.removeItem(scrollKey);
    window.scrollTo({ top: Number(saved) || 0, left: 0, behavior: "instant" });
  }
  // The browser's own restoration would fight ours after a reload.
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  if (document.readyState === "complete") restoreScroll();
  else window.addEventListener("load", restoreScroll);

  function reload() {
    try { sessionStorage.setItem(scrollKey, String(window.scrollY)); } catch (e) { /* private mode */ }
    location.reload();
  }

  // Warnings of the served build, from the event stream; shown by the author bar and under
  // the errors of a failed build.
  var warnings = [];
  var warningsChanged = function () {};
  function block(text, edge) {
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = "white-space:pre-wrap;margin:0 0 1rem;padding:.75rem;background:#000;color:#fff;border-left:4px solid " + edge;
    return pre;
  }

  var overlay = null;
  function showErrors(errors) {
    hideErrors();
    overlay = document.createElement("div");
    overlay.id = "skillbook-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);" +
      "color:#fff;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem";
    var h = document.createElement("h2");
    h.textContent = "The site has " + errors.length + " error" + (errors.length === 1 ? "" : "s") +
      " — still showing the last good build";
    h.style.cssText = "font:600 18px/1.4 system-ui,sans-serif;margin:0 0 1rem;color:#ffb4a9";
    overlay.appendChild(h);
    errors.forEach(function (text) { overlay.appendChild(block(text, "#ff6b5b")); });
    if (warnings.length) {
      var w = document.createElement("h3");
      w.textContent = warnings.length + " warning" + (warnings.length === 1 ? "" : "s");
      w.style.cssText = "font:600 16px/1.4 system-ui,sans-serif;margin:1.5rem 0 1rem;color:#fcd34d";
      overlay.appendChild(w);
      warnings.forEach(function (text) { overlay.appendChild(block(text, "#f59e0b")); });
    }
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide until the next build";
    close.style.cssText = "font:inherit;padding:.4rem .8rem;cursor:pointer";
    close.addEventListener("click", hideErrors);
    overlay.appendChild(close);
    document.body.appendChild(overlay);
  }
  function hideErrors() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function connect() {
    var events = new EventSource("/_skillbook/events");
    events.addEventListener("reload", function (e) {
      hideErrors();
      if (e.data !== tag) reload();
    });
    events.addEventListener("warnings", function (e) {
      warnings = JSON.parse(e.data);
      warningsChanged();
    });
    events.addEventListener("errors", function (e) {
      showErrors(JSON.parse(e.data));
    });
    events.onerror = function () {
      // The server stopped or restarted: EventSource retries by itself; a new server sends
      // its own tag, which differs, so the page reloads once it is back.
    };
  }
  connect();

  // The author bar: preview-only tools. "View as" and "Reset my progress" go through the
  // theme's progress store, which reads the document wherever it is kept and never overwrites
  // or deletes a saved value it cannot use. On a page without the store (a theme that does
  // not load it, the page shown while the site does not build) the bar has neither: this
  // script never reads or writes localStorage itself.
  function bar(info, store) {
    var el = document.createElement("div");
    el.id = "skillbook-author-bar";
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", "Author preview tools");
    el.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483646;display:flex;flex-wrap:wrap;gap:.5rem 1rem;" +
      "align-items:center;padding:.35rem .75rem;background:#1d2330;color:#f3f4f6;font:13px/1.4 system-ui,sans-serif;" +
      "box-shadow:0 -1px 4px rgba(0,0,0,.3)";
    var label = document.createElement("strong");
    label.textContent = "Preview";
    el.appendChild(label);
    // The bar sets its own colours on everything it adds: the theme's styles for `code`,
    // `button` and `select` are made for the page, not for this dark bar.
    var src = document.createElement(source ? "code" : "span");
    src.id = "skillbook-source-path";
    src.textContent = source || "generated page (no source file of its own)";
    src.title = source ? "Source file of this page" : "Made from the whole site";
    src.style.cssText = "color:#f3f4f6;background:#2c3444;padding:.1rem .35rem;border-radius:3px;" +
      "font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    el.appendChild(src);
    warningsTool(el);
    if (store) progressTools(el, info, store);
    var quizzes = document.querySelectorAll("[data-quiz-id]");
    if (quizzes.length) {
      var show = document.createElement("button");
      show.type = "button";
      show.id = "skillbook-show-answers";
      show.textContent = "Show answer key";
      show.setAttribute("aria-expanded", "false");
      show.addEventListener("click", function () { toggleAnswers(show, quizzes); });
      el.appendChild(show);
    }
    document.body.appendChild(el);
    document.body.style.paddingBottom = "3rem";
  }
  function warningsTool(el) {
    var button = document.createElement("button");
    button.type = "button";
    button.id = "skillbook-warnings";
    button.setAttribute("aria-expanded", "false");
    button.style.cssText = "font:inherit;color:#1f2937;background:#fcd34d;border:0;border-radius:3px;padding:.1rem .5rem;cursor:pointer";
    var panel = document.createElement("div");
    panel.id = "skillbook-warnings-list";
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", "Warnings of this build");
    panel.hidden = true;
    panel.style.cssText = "position:fixed;left:0;right:0;bottom:2.5rem;max-height:50vh;overflow:auto;z-index:2147483646;" +
      "background:rgba(20,20,20,.96);color:#fff;font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:1rem";
    button.addEventListener("click", function () {
      panel.hidden = !panel.hidden;
      button.setAttribute("aria-expanded", String(!panel.hidden));
    });
    warningsChanged = function () {
      button.hidden = warnings.length === 0;
      button.textContent = "⚠ " + warnings.length + " warning" + (warnings.length === 1 ? "" : "s");
      panel.textContent = "";
      warnings.forEach(function (text) { panel.appendChild(block(text, "#f59e0b")); });
      if (!warnings.length) {
        panel.hidden = true;
        button.setAttribute("aria-expanded", "false");
      }
    };
    warningsChanged();
    el.appendChild(button);
    document.body.appendChild(panel);
  }
  function progressTools(el, info, store) {
    var roleLabel = document.createElement("label");
    roleLabel.textContent = "View as ";
    var select = document.createElement("select");
    select.id = "skillbook-view-as";
    var current = store.load().role || "";
    [{ id: "", name: "(no role)" }].concat(info.roles).forEach(function (role) {
      var opt = document.createElement("option");
      opt.value = role.id;
      opt.textContent = role.name;
      opt.selected = role.id === current;
      select.appendChild(opt);
    });
    select.addEventListener("change", function () {
      store.update(function (progress) {
        if (select.value) progress.role = select.value; else delete progress.role;
      });
      reload();
    });
    roleLabel.appendChild(select);
    el.appendChild(roleLabel);
    var reset = document.createElement("button");
    reset.type = "button";
    reset.id = "skillbook-reset-progress";
    reset.textContent = "Reset my progress";
    reset.addEventListener("click", function () {
      if (!window.confirm("Delete your saved progress for this portal in this browser?")) return;
      store.reset();
      reload();
    });
    el.appendChild(reset);
  }
  function toggleAnswers(button, quizzes) {
    var open = document.querySelectorAll(".skillbook-answer-key");
    if (open.length) {
      open.forEach(function (n) { n.remove(); });
      button.setAttribute("aria-expanded", "false");
      button.textContent = "Show answer key";
      return;
    }
    fetch("/_skillbook/answers.json").then(function (r) { return r.json(); }).then(function (key) {
      quizzes.forEach(function (quiz) {
        var list = key[quiz.getAttribute("data-quiz-id")];
        if (!list) return;
        var box = document.createElement("aside");
        box.className = "skillbook-answer-key";
        box.setAttribute("aria-label", "Answer key (preview only)");
        box.style.cssText = "border:2px dashed #b45309;background:#fffbeb;color:#1f2937;padding:.75rem 1rem;margin:1rem 0;font:14px/1.5 system-ui,sans-serif";
        var h = document.createElement("strong");
        h.textContent = "Answer key (preview only)";
        box.appendChild(h);
        var ol = document.createElement("ol");
        list.forEach(function (q) {
          var li = document.createElement("li");
          li.textContent = q.prompt + " — " + q.answer;
          ol.appendChild(li);
        });
        box.appendChild(ol);
        quiz.parentNode.insertBefore(box, quiz);
      });
      button.setAttribute("aria-expanded", "true");
      button.textContent = "Hide answer key";
    });
  }

  // The theme's scripts are deferred: the store, if the page has one, is there at
  // DOMContentLoaded, which fires after them. (readyState turns "interactive" before the
  // deferred scripts run, so it cannot tell.) This script is parser-inserted and runs while
  // the page is loading, so the event is still ahead of it here.
  var contentLoaded = document.readyState === "complete";
  var waiting = [];
  document.addEventListener("DOMContentLoaded", function () {
    contentLoaded = true;
    waiting.splice(0).forEach(function (fn) { fn(); });
  });
  function parsed(fn) {
    if (contentLoaded) fn();
    else waiting.push(fn);
  }
  fetch("/_skillbook/info.json").then(function (r) { return r.json(); }).then(function (info) {
    parsed(function () { bar(info, window.Skillbook && window.Skillbook.progress); });
  }, function () { /* server gone */ });
})();
