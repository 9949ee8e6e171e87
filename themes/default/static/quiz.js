// skillbook quizzes: grades the quiz markup in the browser and reports results to
// Skillbook.progress. The page holds salted SHA-256 hashes of the answers, not the answers,
// and veiled texts (solutions, feedback, explanations) shown after answering when the quiz's
// `reveal` allows (data-reveal-mode): this deters a curious look, it is not exam security.
// A submission with an unanswered question is refused and counts for nothing. The last
// attempt's answers are saved with the result, so reopening the quiz shows that result.
// The hash and veil functions mirror src/render/quiz_key.rs.
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

  // Whether the learner has answered a question: every kind needs a choice, typed text, a
  // side for every row, or (order) at least one move, since the items start in a wrong order.
  function answered(li) {
    var kind = li.getAttribute("data-kind");
    if (kind === "text") { return li.querySelector(".quiz-input").value.trim() !== ""; }
    if (kind === "order") { return !!li.touched; }
    if (kind === "match") { return all("select", li).every(function (s) { return s.value !== ""; }); }
    return all("input:checked", li).length > 0;
  }

  // A typed answer kept with the result is cut at this length.
  var KEEP = 1000;

  // The learner's answer to one question as it is saved with the attempt (docs/progress-api.md):
  // the values of the picked options, the typed text, the order of the items (data-i), the side
  // chosen for each row, or for tracing the choice, the output and the line.
  function response(li) {
    var kind = li.getAttribute("data-kind"), v;
    var checked = all("input:checked", li).map(function (i) { return i.value; });
    if (kind === "text") { v = [li.querySelector(".quiz-input").value]; }
    else if (kind === "order") { v = all(".quiz-order-item", li).map(function (i) { return i.getAttribute("data-i"); }); }
    else if (kind === "match") { v = all("select", li).map(function (s) { return s.value; }); }
    else if (kind === "tracing") {
      v = [checked[0] || "", li.querySelector("[data-role=stdout]").value, li.querySelector("[data-role=line]").value];
    } else { v = checked; }
    return { q: Number(li.getAttribute("data-q")), v: v.map(function (x) { return String(x).slice(0, KEEP); }) };
  }

  // Puts a saved response back into a question's inputs; false when it does not fit them.
  function restore(li, v) {
    var kind = li.getAttribute("data-kind");
    if (!Array.isArray(v)) { return false; }
    if (kind === "text") { li.querySelector(".quiz-input").value = v[0] || ""; return true; }
    if (kind === "order") {
      var list = li.querySelector(".quiz-order"), items = all(".quiz-order-item", list);
      var found = v.map(function (i) { return list.querySelector(".quiz-order-item[data-i='" + i + "']"); });
      if (found.length !== items.length || found.some(function (x, k) { return !x || found.indexOf(x) !== k; })) {
        return false;
      }
      found.forEach(function (item) { list.appendChild(item); });
      li.touched = true;
      return true;
    }
    if (kind === "match") {
      var selects = all("select", li);
      if (v.length !== selects.length) { return false; }
      selects.forEach(function (s, j) { s.value = v[j]; });
      return true;
    }
    var picked = kind === "tracing" ? [v[0]] : v;
    all("input[type=radio], input[type=checkbox]", li).forEach(function (i) { i.checked = picked.indexOf(i.value) >= 0; });
    if (kind === "tracing") {
      li.querySelector("[data-role=stdout]").value = v[1] || "";
      li.querySelector("[data-role=line]").value = v[2] || "";
    }
    return true;
  }

  // "question 2", "questions 2 and 4", "questions 1, 2 and 3".
  function numbers(list) {
    if (list.length === 1) { return "question " + list[0]; }
    return "questions " + list.slice(0, -1).join(", ") + " and " + list[list.length - 1];
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // Order questions: Move up / Move down buttons on every item, and drag and drop.
  function enhanceOrder(li, announce) {
    var list = li.querySelector(".quiz-order");
    var dragged = null;
    function moved(item, items) {
      li.touched = true;
      announce(item.querySelector(".quiz-item-text").textContent + ": position "
        + (all(".quiz-order-item", list).indexOf(item) + 1) + " of " + items.length);
      if (li.onAnswer) { li.onAnswer(); }
    }
    function move(item, delta) {
      var items = all(".quiz-order-item", list), i = items.indexOf(item), j = i + delta;
      if (j < 0 || j >= items.length) { return; }
      if (delta < 0) { list.insertBefore(item, items[j]); } else { list.insertBefore(items[j], item); }
      moved(item, items);
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
        moved(dragged, items);
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

  // A mark beside an option or answer: an icon and words, so it never rests on colour alone.
  function mark(kind, text) {
    var m = el("span", "quiz-mark quiz-mark-" + kind);
    var icon = el("span", "quiz-mark-icon", kind === "right" ? "✓" : kind === "wrong" ? "✗" : kind === "answer" ? "→" : "•");
    icon.setAttribute("aria-hidden", "true");
    m.appendChild(icon);
    m.appendChild(document.createTextNode(" " + text));
    return m;
  }

  var MARKS = {
    right: "Your answer — correct",
    wrong: "Your answer — incorrect",
    picked: "Your answer",
    answer: "Correct answer",
    missed: "Correct answer — not chosen"
  };

  var WITHHELD = {
    after_pass: "The correct answers are shown once you pass.",
    after_last_attempt: "The correct answers are shown after your last attempt.",
    never: "This quiz does not show the correct answers."
  };

  function Quiz(root) {
    this.root = root;
    this.id = root.getAttribute("data-quiz-id");
    this.rev = root.getAttribute("data-rev");
    this.salt = root.getAttribute("data-salt");
    this.passMark = Number(root.getAttribute("data-pass-mark"));
    this.draw = Number(root.getAttribute("data-draw")) || 0;
    this.maxAttempts = Number(root.getAttribute("data-max-attempts")) || 0;
    this.oneAtATime = root.getAttribute("data-layout") === "one";
    this.revealMode = root.getAttribute("data-reveal-mode") || "always";
    this.list = root.querySelector(".quiz-questions");
    this.bank = all(".quiz-question", root);
    this.status = root.querySelector(".quiz-status");
    this.status.tabIndex = -1;
    this.steps = root.querySelector(".quiz-steps");
    this.check = root.querySelector(".quiz-check");
    this.lastDraw = [];
    // Attempts on this page, for when there is no progress store to count them.
    this.here = 0;
    this.setup();
    this.open();
  }

  Quiz.prototype.progress = function () {
    var p = window.Skillbook && window.Skillbook.progress;
    var entry = p ? p.quiz(this.id, this.rev) : null;
    return entry && entry.current ? entry : null;
  };

  Quiz.prototype.used = function (entry) {
    return entry ? entry.attempts : this.here;
  };

  // Attempts left: -1 when unlimited.
  Quiz.prototype.left = function (entry) {
    return this.maxAttempts ? Math.max(0, this.maxAttempts - this.used(entry)) : -1;
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
      var missing = el("p", "quiz-missing", "Not answered yet");
      missing.id = li.id + "-missing";
      missing.hidden = true;
      li.insertBefore(missing, li.querySelector(".quiz-fieldset"));
      li.onAnswer = function () { self.answeredOne(li); };
      li.addEventListener("change", li.onAnswer);
      li.addEventListener("input", li.onAnswer);
    });
    var actions = this.root.querySelector(".quiz-actions");
    this.prev = button("quiz-prev button-secondary", "Previous question", function () { self.show(self.current - 1); });
    this.next = button("quiz-next button-secondary", "Next question", function () { self.show(self.current + 1); });
    this.submit = button("quiz-submit", "Submit answers", function () { if (!self.submitted) { self.attempt(); } });
    this.retry = button("quiz-retry", "Try again", function () { self.start(true); });
    this.retryEnd = button("quiz-retry-end", "Try again", function () { self.start(true); });
    [this.prev, this.next, this.submit, this.retryEnd].forEach(function (b) { actions.appendChild(b); });
  };

  // Opening the page: the last attempt's result when it is saved, else a new attempt.
  Quiz.prototype.open = function () {
    var entry = this.progress();
    if (entry && entry.last && this.restoreLast(entry.last)) {
      this.result(entry, false);
      return;
    }
    this.start(false);
  };

  // The questions of an attempt, in order: the others are hidden, every one is cleared.
  Quiz.prototype.arrange = function (asked) {
    var self = this;
    this.lastDraw = asked;
    this.asked = asked;
    this.bank.forEach(function (li) { li.hidden = asked.indexOf(li) < 0; self.reset(li); });
    asked.forEach(function (li, i) {
      self.list.appendChild(li);
      li.querySelector(".quiz-number").textContent = "Question " + (i + 1) + " of " + asked.length;
    });
    this.check.textContent = "";
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
    this.arrange(asked);
    this.submitted = false;
    this.status.textContent = "";
    this.steps.textContent = "";
    this.retry.hidden = this.retryEnd.hidden = true;
    this.root.classList.remove("is-passed", "is-failed");
    var entry = this.progress();
    if (this.left(entry) === 0) {
      this.lock();
      this.say([
        "You have used all " + plural(this.maxAttempts, "attempt", "attempts") + ". Your best score is "
          + (entry ? entry.best : 0) + "%.",
        this.attemptLine(entry),
        this.advice(false, 0)
      ]);
      this.nextSteps(false, 0);
      this.submit.hidden = this.prev.hidden = this.next.hidden = true;
      return;
    }
    // Reopened with a result saved before attempts were kept: the figures only.
    if (!focus && entry && entry.attempts) { this.say(["", this.attemptLine(entry), ""]); }
    this.show(0);
    if (focus) {
      var first = asked[0].querySelector("input, select, textarea, button");
      if (first) { first.focus(); }
    }
  };

  // The saved responses of the last attempt back in their questions; false when they do not
  // fit this quiz (then a new attempt starts instead).
  Quiz.prototype.restoreLast = function (last) {
    var byQ = {}, asked = [];
    this.bank.forEach(function (li) { byQ[li.getAttribute("data-q")] = li; });
    var answers = Array.isArray(last.answers) ? last.answers : [];
    for (var i = 0; i < answers.length; i++) {
      var li = answers[i] && byQ[String(answers[i].q)];
      if (!li || asked.indexOf(li) >= 0) { return false; }
      asked.push(li);
    }
    if (!asked.length) { return false; }
    this.arrange(asked);
    for (i = 0; i < asked.length; i++) {
      if (!restore(asked[i], answers[i].v)) { this.arrange(this.bank.slice()); return false; }
    }
    return true;
  };

  Quiz.prototype.reset = function (li) {
    li.classList.remove("is-correct", "is-wrong");
    li.touched = false;
    this.unflag(li);
    all("input, select, textarea", li).forEach(function (i) {
      i.disabled = false;
      if (i.type === "radio" || i.type === "checkbox") { i.checked = false; } else { i.value = ""; }
    });
    all(".quiz-mark", li).forEach(function (m) { m.parentNode.removeChild(m); });
    all(".is-picked, .is-answer, .is-right-pick, .is-wrong-pick", li).forEach(function (o) {
      o.classList.remove("is-picked", "is-answer", "is-right-pick", "is-wrong-pick");
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

  Quiz.prototype.flag = function (li) {
    li.classList.add("is-unanswered");
    li.querySelector(".quiz-missing").hidden = false;
    li.querySelector(".quiz-fieldset").setAttribute("aria-describedby", li.id + "-missing");
  };

  Quiz.prototype.unflag = function (li) {
    li.classList.remove("is-unanswered");
    var note = li.querySelector(".quiz-missing");
    if (note) { note.hidden = true; }
    li.querySelector(".quiz-fieldset").removeAttribute("aria-describedby");
  };

  // An answer given after a refused submission clears that question's note, and the message
  // once every question is answered.
  Quiz.prototype.answeredOne = function (li) {
    if (!li.classList.contains("is-unanswered") || !answered(li)) { return; }
    this.unflag(li);
    if (!this.asked.some(function (q) { return q.classList.contains("is-unanswered"); })) {
      this.check.textContent = "";
    }
  };

  // Submit: refused, without counting or revealing anything, while a question is unanswered.
  Quiz.prototype.attempt = function () {
    var self = this, missing = [];
    this.asked.forEach(function (li, i) {
      if (answered(li)) { self.unflag(li); } else { self.flag(li); missing.push(i + 1); }
    });
    if (!missing.length) {
      this.check.textContent = "";
      this.grade();
      return;
    }
    this.check.textContent = "Not submitted: answer every question first. Not answered yet: "
      + numbers(missing) + ".";
    var first = this.asked[missing[0] - 1];
    if (this.oneAtATime) { this.show(missing[0] - 1); }
    var control = first.querySelector("input:not([disabled]), select, textarea, .quiz-move");
    if (control) { control.focus(); }
  };

  // Score of the answers in the asked questions.
  Quiz.prototype.evaluate = function () {
    var salt = this.salt, got = 0, total = 0, right = 0;
    var verdicts = this.asked.map(function (li) {
      var points = Number(li.getAttribute("data-points")) || 1, ok = isCorrect(li, salt);
      total += points;
      if (ok) { got += points; right++; }
      return ok;
    });
    var score = total ? Math.round((100 * got) / total) : 0;
    return { score: score, right: right, verdicts: verdicts, passed: score >= this.passMark };
  };

  Quiz.prototype.grade = function () {
    var res = this.evaluate();
    this.here++;
    var p = window.Skillbook && window.Skillbook.progress;
    var entry = p ? p.recordQuiz(this.id, {
      score: res.score, passed: res.passed, rev: this.rev, answers: this.asked.map(response)
    }) : null;
    this.result(entry, true, res);
  };

  // Whether correct answers, explanations and feedback are shown now (`reveal`).
  Quiz.prototype.revealing = function (entry, res) {
    switch (this.revealMode) {
      case "always": return true;
      case "after_pass": return res.passed || !!(entry && entry.passed);
      case "after_last_attempt": return this.left(entry) === 0;
      default: return false;
    }
  };

  Quiz.prototype.attemptLine = function (entry) {
    var used = this.used(entry);
    if (!used) { return ""; }
    return "Attempt " + used + (this.maxAttempts ? " of " + this.maxAttempts : "")
      + (entry ? " · best " + entry.best + "%" : "");
  };

  // What to do next, in words.
  Quiz.prototype.advice = function (passed, left, reveal) {
    var module = this.root.getAttribute("data-module-title");
    var review = module ? "Review the lessons of " + module + "." : "Read the lesson again.";
    if (left === 0 && !passed) {
      return review + " If you need another attempt, ask the person who runs this training.";
    }
    if (passed) { return ""; }
    return reveal ? "Look at the answers below, then try again." : "Look at the questions marked below, then try again.";
  };

  // The status at the top: [score, attempts, advice], each a paragraph when not empty.
  Quiz.prototype.say = function (lines) {
    var status = this.status, names = ["quiz-score", "quiz-attempt", "quiz-advice"];
    status.textContent = "";
    lines.forEach(function (text, i) {
      if (text) { status.appendChild(el("p", names[i], text)); }
    });
  };

  // The links and buttons under the result: on to the next module or back to this one, or
  // try again.
  Quiz.prototype.nextSteps = function (passed, left) {
    var root = this.root, steps = this.steps;
    steps.textContent = "";
    function link(url, text, secondary) {
      var a = el("a", "button" + (secondary ? " button-secondary" : ""), text);
      a.href = url;
      steps.appendChild(a);
    }
    var module = root.getAttribute("data-module-url"), next = root.getAttribute("data-next-url");
    var canRetry = left !== 0;
    this.retry.classList.toggle("button-secondary", passed);
    this.retry.hidden = this.retryEnd.hidden = !canRetry;
    if (passed && next) { link(next, "Continue to " + root.getAttribute("data-next-title"), false); }
    if (!passed) { steps.appendChild(this.retry); }
    if (module) { link(module, "Back to " + root.getAttribute("data-module-title"), passed ? !!next : canRetry); }
    if (passed) { steps.appendChild(this.retry); }
  };

  // Shows the result of the asked questions: marks, what the reveal allows, the score and
  // attempts at the top, and what to do next. `now`: just submitted (else reopened).
  Quiz.prototype.result = function (entry, now, res) {
    var self = this;
    res = res || this.evaluate();
    this.submitted = true;
    var left = this.left(entry), reveal = this.revealing(entry, res);
    this.asked.forEach(function (li, i) { self.reveal(li, res.verdicts[i], reveal); });
    this.lock();
    var score = (now ? "You scored " : "Your last attempt scored ") + res.score + "% ("
      + res.right + " of " + plural(this.asked.length, "question", "questions") + " right). The pass mark is "
      + this.passMark + "%: " + (res.passed ? "passed." : "not passed yet.");
    var end = left === 0 ? (now ? "You have no attempts left. " : "You have used all "
      + plural(this.maxAttempts, "attempt", "attempts") + ". ") : "";
    var advice = this.advice(res.passed, left, reveal);
    var withheld = reveal ? "" : WITHHELD[this.revealMode] || "";
    this.say([score, this.attemptLine(entry), (end + advice + (advice && withheld ? " " : "") + withheld).trim()]);
    this.nextSteps(res.passed, left);
    this.root.classList.toggle("is-passed", res.passed);
    this.root.classList.toggle("is-failed", !res.passed);
    this.show(0);
    if (now) { this.status.focus(); }
  };

  // Marks one question: the verdict, the learner's choices (right, wrong, or only "yours" when
  // that is all that may be said), and when `reveal` allows, the right answers, feedback and
  // explanation.
  Quiz.prototype.reveal = function (li, ok, reveal) {
    var salt = this.salt, kind = li.getAttribute("data-kind");
    li.classList.add(ok ? "is-correct" : "is-wrong");
    var solution = reveal && li.hasAttribute("data-solution")
      ? unveil(salt, li.getAttribute("data-solution")).split(",") : null;
    var single = kind === "single" || kind === "true_false";
    all(".quiz-options input", li).forEach(function (input) {
      var option = input.closest(".quiz-option"), label = input.closest("label");
      var isAnswer = solution ? solution.indexOf(input.value) >= 0 : null, state = null;
      if (input.checked) {
        var right = solution ? isAnswer : ok ? true : single ? false : null;
        state = right === true ? "right" : right === false ? "wrong" : "picked";
        option.classList.add("is-picked", right === true ? "is-right-pick" : right === false ? "is-wrong-pick" : "is-picked");
      } else if (isAnswer) {
        state = kind === "multiple" ? "missed" : "answer";
        option.classList.add("is-answer");
      }
      if (state) { label.appendChild(mark(state === "missed" ? "answer" : state, MARKS[state])); }
    });
    if (kind === "text") {
      var input = li.querySelector(".quiz-input");
      input.parentNode.insertBefore(mark(ok ? "right" : "wrong", ok ? MARKS.right : MARKS.wrong), input.nextSibling);
    }
    if (solution && kind === "match") {
      all(".quiz-match-row", li).forEach(function (row, j) {
        var good = row.querySelector("select").value === solution[j];
        row.appendChild(mark(good ? "right" : "wrong", good ? "Correct" : "Incorrect"));
      });
    }
    if (solution && kind === "order") {
      all(".quiz-order-item", li).forEach(function (item, k) {
        var good = item.getAttribute("data-i") === solution[k];
        item.querySelector(".quiz-item-text").appendChild(mark(good ? "right" : "wrong",
          good ? "In the right place" : "Not in the right place"));
      });
    }
    var fb = li.querySelector(".quiz-feedback"), html = "";
    html += "<p class=\"quiz-verdict\">" + (ok ? "Correct" : "Not quite") + "</p>";
    if (reveal) {
      all("input:checked[data-feedback]", li).forEach(function (i) {
        html += "<div class=\"quiz-option-feedback\">" + unveil(salt, i.getAttribute("data-feedback")) + "</div>";
      });
      if (li.hasAttribute("data-reveal")) { html += unveil(salt, li.getAttribute("data-reveal")); }
    }
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
