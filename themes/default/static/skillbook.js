// skillbook default theme: progressive enhancement only. Every page works without it. Marks
// the page as scripted and loads search.js when the search box is used. The learner's saved
// progress is Skillbook.progress, in store.js.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

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
