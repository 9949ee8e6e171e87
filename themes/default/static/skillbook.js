// skillbook default theme: progressive enhancement only. Every page works without it. Marks
// the page as scripted, opens the search box and the menu from their header buttons on
// phones, and loads search.js when the search box is used. The learner's saved progress is
// Skillbook.progress, in store.js.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Phones: the header is one row, with the search box and the menu behind buttons (the
  // stylesheet shows the buttons only on narrow screens where scripts run). A button opens
  // the panel it controls and closes the other.
  var header = document.querySelector(".site-header");
  var toggles = header ? Array.prototype.slice.call(header.querySelectorAll("[data-header-toggle]")) : [];
  function setOpen(button, on) {
    header.classList.toggle("is-" + button.getAttribute("data-header-toggle") + "-open", on);
    button.setAttribute("aria-expanded", on ? "true" : "false");
  }
  function isOpen(button) { return button.getAttribute("aria-expanded") === "true"; }
  toggles.forEach(function (button) {
    button.addEventListener("click", function () {
      var on = !isOpen(button);
      toggles.forEach(function (b) { setOpen(b, b === button && on); });
      var box = document.getElementById("site-search-q");
      if (on && button.getAttribute("data-header-toggle") === "search" && box) box.focus();
    });
  });
  // Escape closes what a button opened and goes back to that button; the search box's own
  // uses of Escape (closing its results, then clearing it) come first.
  if (header) header.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || e.defaultPrevented) return;
    toggles.forEach(function (button) {
      var panel = document.getElementById(button.getAttribute("aria-controls"));
      if (isOpen(button) && panel && (panel.contains(e.target) || e.target === button)) {
        setOpen(button, false);
        button.focus();
      }
    });
  });

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
    var button = header && header.querySelector("[data-header-toggle=search]");
    // On a phone the box is behind its button: open it first.
    if (!main && button && button.getClientRects().length && !isOpen(button)) button.click();
    (main || input).focus();
  });
})();
