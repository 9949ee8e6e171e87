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
  var toggles = Array.from(document.querySelectorAll(".site-header [data-header-toggle]"));
  function isOpen(button) { return button.getAttribute("aria-expanded") === "true"; }
  function open(button, on) {
    header.classList.toggle("is-" + button.dataset.headerToggle + "-open", on);
    button.setAttribute("aria-expanded", on);
  }
  toggles.forEach(function (button) {
    button.addEventListener("click", function () {
      var on = !isOpen(button);
      toggles.forEach(function (b) { open(b, b === button && on); });
      if (on && button.dataset.headerToggle === "search") document.getElementById("site-search-q").focus();
    });
    // Escape closes what the button opened and goes back to it; the search box's own uses of
    // Escape (closing its results, then clearing it) come first.
    [button, document.getElementById(button.getAttribute("aria-controls"))].forEach(function (el) {
      if (el) el.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && !e.defaultPrevented && isOpen(button)) { open(button, false); button.focus(); }
      });
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
