// skillbook quizzes: grades the quiz markup in the browser and reports results to
// Skillbook.progress. The page holds salted SHA-256 hashes of the answers, not the answers,
// and veiled texts (feedback, explanations) revealed after answering: this deters a curious
// look, it is not exam security. The hash and veil functions mirror src/render/quiz_key.rs.
(function () {
  "use strict";

  // SHA-256 of a string's UTF-8 bytes, as bytes. Plain JS: crypto.subtle is missing on
  // plain-http intranet pages.
  var K = [];
  (function () {
    var n = 2, found = 0;
    function frac(x) { return ((x - Math.floor(x)) * 4294967296) | 0; }
    while (found < 64) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) { if (n % d === 0) { prime = false; break; } }
      if (prime) { K[found++] = frac(Math.pow(n, 1 / 3)); }
      n++;
    }
  })();

  function utf8(text) {
    if (typeof TextEncoder !== "undefined") { return new TextEncoder().encode(text); }
    var s = unescape(encodeURIComponent(text)), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) { out[i] = s.charCodeAt(i); }
    return out;
  }

  function sha256(text) {
    var bytes = utf8(text), len = bytes.length;
    var words = new Array(((len + 9 + 63) >> 6) << 4);
    for (var i = 0; i < words.length; i++) { words[i] = 0; }
    for (i = 0; i < len; i++) { words[i >> 2] |= bytes[i] << (24 - (i % 4) * 8); }
    words[len >> 2] |= 0x80 << (24 - (len % 4) * 8);
    words[words.length - 1] = len * 8;
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }
    for (var block = 0; block < words.length; block += 16) {
      for (i = 0; i < 64; i++) {
        if (i < 16) { w[i] = words[block + i]; continue; }
        var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + hh) | 0;
    }
    var out = [];
    for (i = 0; i < 32; i++) { out.push((h[i >> 2] >>> (24 - (i % 4) * 8)) & 255); }
    return out;
  }

  function hex(bytes, digits) {
    var s = "";
    for (var i = 0; s.length < digits; i++) { s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return s.slice(0, digits);
  }

  function hash(salt, text) { return hex(sha256(salt + ":" + text), 16); }

  // White space as the build's normalize has it (Unicode White_Space): JS's \s would also take
  // U+FEFF and leave out U+0085.
  var SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

  function normalize(text) { return text.toLowerCase().split(SPACE).filter(Boolean).join(" "); }

  function unveil(salt, b64) {
    var pad = sha256("skillbook-veil:" + salt), raw = atob(b64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i) ^ pad[i % 32]; }
    if (typeof TextDecoder !== "undefined") { return new TextDecoder().decode(bytes); }
    return decodeURIComponent(escape(String.fromCharCode.apply(null, bytes)));
  }

  var api = { sha256: function (t) { return hex(sha256(t), 64); }, hash: hash, normalize: normalize, unveil: unveil };
  // Node (tests/js/) has no window: it takes the functions above and stops here.
  if (typeof window === "undefined") {
    module.exports = api;
    return;
  }

  function shuffle(list) {
    for (var i = list.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1)), t = list[i];
      list[i] = list[j]; list[j] = t;
    }
    return list;
  }

  function all(css, root) { return Array.prototype.slice.call((root || document).querySelectorAll(css)); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  function button(cls, text, onClick) {
    var b = el("button", "button " + cls, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  // The learner's answer to one question, as the keyed strings it may match.
  function answers(li) {
    var q = li.getAttribute("data-q"), kind = li.getAttribute("data-kind");
    var checked = all("input:checked", li).map(function (i) { return i.value; });
    if (kind === "single" || kind === "true_false") { return checked.length ? [q + ":" + checked[0]] : []; }
    if (kind === "multiple") {
      return checked.length ? [q + ":" + checked.map(Number).sort(function (a, b) { return a - b; }).join(",")] : [];
    }
    if (kind === "order") {
      return [q + ":" + all(".quiz-order-item", li).map(function (i) { return i.getAttribute("data-i"); }).join(",")];
    }
    if (kind === "match") {
      var picks = all("select", li).map(function (s) { return s.value; });
      return picks.indexOf("") >= 0 ? [] : [q + ":" + picks.join(",")];
    }
    if (kind === "tracing") {
      if (!checked.length) { return []; }
      var detail = checked[0] === "yes" ? normalize(li.querySelector("[data-role=stdout]").value)
        : li.querySelector("[data-role=line]").value.trim();
      return [q + ":" + checked[0] + "|" + detail, q + ":" + checked[0] + "|"];
    }
    return [];
  }

  function isCorrect(li, salt) {
    if (li.getAttribute("data-kind") === "text") {
      var input = li.querySelector(".quiz-input"), typed = input.value;
      if (input.hasAttribute("data-pattern")) {
        var patterns = JSON.parse(unveil(salt, input.getAttribute("data-pattern")));
        return patterns.some(function (p) { return new RegExp("^(?:" + p + ")$", "i").test(typed.trim()); });
      }
      var keys = input.getAttribute("data-keys").split(" ");
      return typed.trim() !== "" && keys.indexOf(hash(salt, li.getAttribute("data-q") + ":" + normalize(typed))) >= 0;
    }
    var key = li.getAttribute("data-key");
    return answers(li).some(function (a) { return hash(salt, a) === key; });
  }

  // Order questions: Move up / Move down buttons on every item, and drag and drop.
  function enhanceOrder(li, announce) {
    var list = li.querySelector(".quiz-order");
    var dragged = null;
    function move(item, delta) {
      var items = all(".quiz-order-item", list), i = items.indexOf(item), j = i + delta;
      if (j < 0 || j >= items.length) { return; }
      if (delta < 0) { list.insertBefore(item, items[j]); } else { list.insertBefore(items[j], item); }
      announce(item.querySelector(".quiz-item-text").textContent + ": position " + (j + 1) + " of " + items.length);
    }
    all(".quiz-order-item", list).forEach(function (item) {
      var name = item.querySelector(".quiz-item-text").textContent;
      var up = button("quiz-move", "↑", function () { move(item, -1); up.focus(); });
      var down = button("quiz-move", "↓", function () { move(item, 1); down.focus(); });
      up.setAttribute("aria-label", "Move up: " + name);
      down.setAttribute("aria-label", "Move down: " + name);
      var tools = el("span", "quiz-move-tools");
      tools.appendChild(up);
      tools.appendChild(down);
      item.appendChild(tools);
      item.draggable = true;
      item.addEventListener("dragstart", function (e) { dragged = item; e.dataTransfer.setData("text/plain", name); });
      item.addEventListener("dragover", function (e) { e.preventDefault(); });
      item.addEventListener("drop", function (e) {
        e.preventDefault();
        if (!dragged || dragged === item || list.classList.contains("is-locked")) { return; }
        var items = all(".quiz-order-item", list);
        list.insertBefore(dragged, items.indexOf(dragged) < items.indexOf(item) ? item.nextSibling : item);
        announce(dragged.querySelector(".quiz-item-text").textContent + ": position "
          + (all(".quiz-order-item", list).indexOf(dragged) + 1) + " of " + items.length);
      });
    });
  }

  function enhanceHints(li) {
    var hints = all(".quiz-hint", li);
    if (!hints.length) { return; }
    var box = li.querySelector(".quiz-hints");
    box.setAttribute("aria-live", "polite");
    var shown = 0;
    var b = button("quiz-hint-button", "Show a hint", function () {
      if (shown < hints.length) { hints[shown++].hidden = false; }
      b.disabled = shown >= hints.length;
      b.textContent = shown >= hints.length ? "No more hints" : "Show another hint";
    });
    box.insertBefore(b, box.firstChild);
    li.resetHints = function () {
      shown = 0;
      hints.forEach(function (h) { h.hidden = true; });
      b.disabled = false;
      b.textContent = "Show a hint";
    };
  }

  function Quiz(root) {
    this.root = root;
    this.id = root.getAttribute("data-quiz-id");
    this.rev = root.getAttribute("data-rev");
    this.salt = root.getAttribute("data-salt");
    this.passMark = Number(root.getAttribute("data-pass-mark"));
    this.draw = Number(root.getAttribute("data-draw")) || 0;
    this.maxAttempts = Number(root.getAttribute("data-max-attempts")) || 0;
    this.oneAtATime = root.getAttribute("data-layout") === "one";
    this.list = root.querySelector(".quiz-questions");
    this.bank = all(".quiz-question", root);
    this.status = root.querySelector(".quiz-status");
    this.status.tabIndex = -1;
    this.lastDraw = [];
    this.setup();
    this.start(false);
  }

  Quiz.prototype.progress = function () {
    var p = window.Skillbook && window.Skillbook.progress;
    var entry = p ? p.quiz(this.id, this.rev) : null;
    return entry && entry.current ? entry : null;
  };

  Quiz.prototype.setup = function () {
    var self = this;
    this.root.classList.add("is-enhanced");
    this.bank.forEach(function (li) {
      li.serverOrder = all(".quiz-order-item", li);
      var live = el("p", "quiz-announce visually-hidden");
      live.setAttribute("aria-live", "polite");
      li.appendChild(live);
      if (li.getAttribute("data-kind") === "order") {
        enhanceOrder(li, function (text) { live.textContent = text; });
      }
      enhanceHints(li);
      var number = el("p", "quiz-number");
      li.insertBefore(number, li.firstChild);
    });
    var actions = this.root.querySelector(".quiz-actions");
    this.prev = button("quiz-prev button-secondary", "Previous question", function () { self.show(self.current - 1); });
    this.next = button("quiz-next button-secondary", "Next question", function () { self.show(self.current + 1); });
    this.submit = button("quiz-submit", "Submit answers", function () { self.grade(); });
    this.retry = button("quiz-retry", "Try again", function () { self.start(true); });
    [this.prev, this.next, this.submit, this.retry].forEach(function (b) { actions.appendChild(b); });
  };

  // A new attempt: fresh draw, shuffles, cleared answers.
  Quiz.prototype.start = function (focus) {
    var self = this;
    var asked = this.bank.slice();
    if (this.draw && this.draw < asked.length) {
      // Prefer questions not asked last time, so each attempt is a fresh draw.
      var last = this.lastDraw;
      asked = shuffle(asked).sort(function (a, b) { return (last.indexOf(a) >= 0) - (last.indexOf(b) >= 0); });
      asked = asked.slice(0, this.draw);
      asked.sort(function (a, b) { return self.bank.indexOf(a) - self.bank.indexOf(b); });
    }
    if (this.root.hasAttribute("data-shuffle-questions")) { shuffle(asked); }
    this.lastDraw = asked;
    this.asked = asked;
    this.bank.forEach(function (li) { li.hidden = asked.indexOf(li) < 0; self.reset(li); });
    asked.forEach(function (li, i) {
      self.list.appendChild(li);
      li.querySelector(".quiz-number").textContent = "Question " + (i + 1) + " of " + asked.length;
    });
    this.submitted = false;
    this.status.textContent = "";
    this.retry.hidden = true;
    var entry = this.progress();
    if (this.maxAttempts && entry && entry.attempts >= this.maxAttempts) {
      this.lock();
      this.status.textContent = "You have used all " + this.maxAttempts + " attempts. Your best score is "
        + entry.best + "%.";
      this.submit.hidden = this.prev.hidden = this.next.hidden = true;
      return;
    }
    this.show(0);
    if (focus) {
      var first = asked[0].querySelector("input, select, textarea, button");
      if (first) { first.focus(); }
    }
  };

  Quiz.prototype.reset = function (li) {
    li.classList.remove("is-correct", "is-wrong");
    all("input, select, textarea", li).forEach(function (i) {
      i.disabled = false;
      if (i.type === "radio" || i.type === "checkbox") { i.checked = false; } else { i.value = ""; }
    });
    all(".quiz-move, .quiz-hint-button", li).forEach(function (b) { b.disabled = false; });
    var order = li.querySelector(".quiz-order");
    if (order) {
      order.classList.remove("is-locked");
      li.serverOrder.forEach(function (item) { order.appendChild(item); });
    }
    var options = li.querySelector(".quiz-options");
    if (options && li.hasAttribute("data-shuffle")) {
      shuffle(all(".quiz-option", options)).forEach(function (o) { options.appendChild(o); });
    }
    if (li.resetHints) { li.resetHints(); }
    var fb = li.querySelector(".quiz-feedback");
    fb.hidden = true;
    fb.innerHTML = "";
  };

  // One question at a time: shows question `i` of this attempt.
  Quiz.prototype.show = function (i) {
    var asked = this.asked;
    this.current = Math.max(0, Math.min(i, asked.length - 1));
    var one = this.oneAtATime && !this.submitted;
    var current = this.current;
    asked.forEach(function (li, k) { li.hidden = one && k !== current; });
    this.prev.hidden = !one || current === 0;
    this.next.hidden = !one || current === asked.length - 1;
    this.submit.hidden = this.submitted || (one && current !== asked.length - 1);
    if (one && i !== 0 && asked[current]) {
      var first = asked[current].querySelector("input, select, textarea, button");
      if (first) { first.focus(); }
    }
  };

  Quiz.prototype.lock = function () {
    all(".quiz-question input, .quiz-question select, .quiz-question textarea, .quiz-move", this.root)
      .forEach(function (i) { i.disabled = true; });
    all(".quiz-order", this.root).forEach(function (o) { o.classList.add("is-locked"); });
  };

  Quiz.prototype.grade = function () {
    var self = this, got = 0, total = 0, right = 0;
    this.asked.forEach(function (li) {
      var points = Number(li.getAttribute("data-points")) || 1, ok = isCorrect(li, self.salt);
      total += points;
      if (ok) { got += points; right++; }
      self.reveal(li, ok);
    });
    this.submitted = true;
    this.lock();
    var score = total ? Math.round((100 * got) / total) : 0, passed = score >= this.passMark;
    var p = window.Skillbook && window.Skillbook.progress;
    var entry = p ? p.recordQuiz(this.id, { score: score, passed: passed, rev: this.rev }) : null;
    var left = this.maxAttempts && entry ? this.maxAttempts - entry.attempts : -1;
    this.status.textContent = "You scored " + score + "% (" + right + " of " + this.asked.length
      + " questions right). The pass mark is " + this.passMark + "%: "
      + (passed ? "passed." : "not passed yet.")
      + (entry ? " Your best score is " + entry.best + "%." : "")
      + (left === 0 ? " You have no attempts left." : left > 0 ? " Attempts left: " + left + "." : "");
    this.root.classList.toggle("is-passed", passed);
    this.root.classList.toggle("is-failed", !passed);
    this.show(0);
    this.retry.hidden = left === 0;
    this.status.focus();
  };

  Quiz.prototype.reveal = function (li, ok) {
    var salt = this.salt;
    li.classList.add(ok ? "is-correct" : "is-wrong");
    var fb = li.querySelector(".quiz-feedback"), html = "";
    html += "<p class=\"quiz-verdict\">" + (ok ? "Correct" : "Not quite") + "</p>";
    all("input:checked[data-feedback]", li).forEach(function (i) {
      html += "<div class=\"quiz-option-feedback\">" + unveil(salt, i.getAttribute("data-feedback")) + "</div>";
    });
    if (li.hasAttribute("data-reveal")) { html += unveil(salt, li.getAttribute("data-reveal")); }
    fb.innerHTML = html;
    fb.hidden = false;
  };

  window.Skillbook = window.Skillbook || {};
  window.Skillbook.quiz = api;

  function init() {
    all(".quiz[data-quiz-id]").forEach(function (root) { root.skillbookQuiz = new Quiz(root); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
