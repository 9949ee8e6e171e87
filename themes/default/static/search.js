// skillbook search: reads the index that `skillbook build` writes to search/ (see
// docs/search.md) and drives the header search box and the search page. Index files are
// scripts, not JSON, so they load from file:// too, where browsers block fetch.
(function () {
  "use strict";

  // ---- Words and terms: must match src/render/search/text.rs ----
  var SINGLE = /[\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/u;
  var WORD = /[\p{Alphabetic}\p{N}\u0300-\u036F\u0483-\u0489\u0591-\u05C7\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0900-\u0963\u0966-\u0DFF\u0E31-\u0E4E\u1AB0-\u1AFF\u1DC0-\u1DFF\u200C\u200D\u20D0-\u20FF\uFE20-\uFE2F]/u;
  var STOP = {};
  ("a an and are as at be but by for if in into is it no not of on or s such t that the their then " +
    "there these they this to was will with").split(" ").forEach(function (w) { STOP[w] = true; });

  /**
   * Lowercase words of `text` with their UTF-16 start and end. Lowercased one character at a
   * time, as text.rs does: a word's final capital sigma is σ, not ς.
   */
  function tokens(text) {
    var out = [], cur = "", start = 0, i = 0;
    function flush() { if (cur) { out.push({ w: cur, start: start, end: i }); cur = ""; } }
    for (var ch of text) {
      if (SINGLE.test(ch)) { flush(); out.push({ w: ch.toLowerCase(), start: i, end: i + ch.length }); }
      else if (WORD.test(ch)) { if (!cur) start = i; cur += ch.toLowerCase(); }
      else flush();
      i += ch.length;
    }
    flush();
    return out;
  }

  /** Porter stemmer, the same steps as text.rs (reference C code, `bli` and `logi`). */
  function stem(word) {
    if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
    var b = word.split(""), k = b.length - 1, j = 0;
    function cons(i) {
      var c = b[i];
      if (c === "a" || c === "e" || c === "i" || c === "o" || c === "u") return false;
      if (c === "y") return i === 0 || !cons(i - 1);
      return true;
    }
    function m() {
      var n = 0, i = 0;
      for (;;) { if (i > j) return n; if (!cons(i)) break; i++; }
      i++;
      for (;;) {
        for (;;) { if (i > j) return n; if (cons(i)) break; i++; }
        i++; n++;
        for (;;) { if (i > j) return n; if (!cons(i)) break; i++; }
        i++;
      }
    }
    function vowelInStem() { for (var i = 0; i <= j; i++) if (!cons(i)) return true; return false; }
    function doubleC(x) { return x >= 1 && b[x] === b[x - 1] && cons(x); }
    function cvc(i) { return i >= 2 && cons(i) && !cons(i - 1) && cons(i - 2) && "wxy".indexOf(b[i]) < 0; }
    function ends(s) {
      if (s.length > k + 1 || b.slice(k + 1 - s.length, k + 1).join("") !== s) return false;
      j = k - s.length;
      return true;
    }
    function setTo(s) { b.length = j + 1; for (var c of s) b.push(c); k = b.length - 1; }
    function r(s) { if (m() > 0) setTo(s); }
    function rules(list) {
      for (var i = 0; i < list.length; i += 2) if (ends(list[i])) { r(list[i + 1]); return; }
    }
    // Step 1ab
    if (b[k] === "s") {
      if (ends("sses")) k -= 2;
      else if (ends("ies")) setTo("i");
      else if (b[k - 1] !== "s") k--;
    }
    if (ends("eed")) { if (m() > 0) k--; }
    else if ((ends("ed") || ends("ing")) && vowelInStem()) {
      k = j;
      if (ends("at")) setTo("ate");
      else if (ends("bl")) setTo("ble");
      else if (ends("iz")) setTo("ize");
      else if (doubleC(k)) { if ("lsz".indexOf(b[k]) < 0) k--; }
      else if (j === k && m() === 1 && cvc(k)) { k++; b.length = k; b.push("e"); }
    }
    if (k > 0) {
      // Step 1c
      if (ends("y") && vowelInStem()) b[k] = "i";
      // Step 2
      var s2 = {
        a: ["ational", "ate", "tional", "tion"], c: ["enci", "ence", "anci", "ance"], e: ["izer", "ize"],
        l: ["bli", "ble", "alli", "al", "entli", "ent", "eli", "e", "ousli", "ous"],
        o: ["ization", "ize", "ation", "ate", "ator", "ate"],
        s: ["alism", "al", "iveness", "ive", "fulness", "ful", "ousness", "ous"],
        t: ["aliti", "al", "iviti", "ive", "biliti", "ble"], g: ["logi", "log"]
      };
      if (k >= 1) rules(s2[b[k - 1]] || []);
      // Step 3
      var s3 = { e: ["icate", "ic", "ative", "", "alize", "al"], i: ["iciti", "ic"], l: ["ical", "ic", "ful", ""], s: ["ness", ""] };
      rules(s3[b[k]] || []);
      // Step 4
      if (k >= 1) {
        var c = b[k - 1], hit = false;
        if (c === "o") hit = (ends("ion") && j >= 0 && (b[j] === "s" || b[j] === "t")) || ends("ou");
        else {
          var s4 = { a: ["al"], c: ["ance", "ence"], e: ["er"], i: ["ic"], l: ["able", "ible"], n: ["ant", "ement", "ment", "ent"],
            s: ["ism"], t: ["ate", "iti"], u: ["ous"], v: ["ive"], z: ["ize"] }[c] || [];
          hit = s4.some(ends);
        }
        if (hit && m() > 1) k = j;
      }
      // Step 5
      j = k;
      if (b[k] === "e") { var a = m(); if (a > 1 || (a === 1 && !(k >= 1 && cvc(k - 1)))) k--; }
      if (b[k] === "l" && doubleC(k) && m() > 1) k--;
    }
    return b.slice(0, k + 1).join("");
  }

  function shardKey(term) { return Array.from(term).slice(0, 2).join(""); }
  function shardFile(key) {
    if (/^[a-z0-9]+$/.test(key)) return key;
    return "x" + Array.from(new TextEncoder().encode(key), function (x) { return x.toString(16).padStart(2, "0"); }).join("");
  }

  /** The word a term is shown as, from the code its shard keeps (text.rs, display_code). */
  function display(term, code) {
    if (code === undefined || code === null) return term;
    var m = /^(\d*)(.*)$/.exec(code);
    return term.slice(0, term.length - (m[1] ? +m[1] : 0)) + m[2];
  }

  /**
   * Edit distance between `a` and `b` (code points): insertions, deletions, substitutions and
   * swaps of two neighbours, each counting 1 (optimal string alignment). When `max` is given,
   * anything farther than `max` is `max + 1`, found without finishing the table.
   */
  function distance(a, b, max) {
    var s = Array.from(a), t = Array.from(b), n = s.length, m = t.length;
    if (max === undefined) max = Infinity;
    if (Math.abs(n - m) > max) return max + 1;
    var before = null, prev = [], cur;
    for (var j = 0; j <= m; j++) prev.push(j);
    for (var i = 1; i <= n; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= m; j++) {
        var cost = s[i - 1] === t[j - 1] ? 0 : 1;
        var d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (before && i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, before[j - 2] + 1);
        cur.push(d);
        if (d < low) low = d;
      }
      if (low > max) return max + 1;
      before = prev;
      prev = cur;
    }
    return Math.min(prev[m], max + 1);
  }

  /**
   * The indexed word nearest to a query word that found nothing, from the terms in `heads`
   * (term → shard entry), or null: at most 1 edit away for a word of 3 or 4 letters, 2 for a
   * longer one, none for a shorter one. The word is compared as typed with the words terms are
   * shown as, and its stem with the terms; the nearest wins, then one with the same first
   * letter, then the one in the most sections, then the first term in alphabetical order.
   */
  function nearest(word, heads, stemming) {
    var raw = word.raw, n = Array.from(raw).length, max = n > 4 ? 2 : 1, best = null, low = Infinity;
    if (n < 3 || SINGLE.test(raw)) return null;
    Object.keys(heads).sort().forEach(function (t) {
      var shown = display(t, heads[t][3]);
      var d = Math.min(distance(raw, shown, max), stemming ? distance(word.term, t, max) : max + 1);
      // Section counts are far below 1e9.
      var score = (2 * d + (shown[0] !== raw[0])) * 1e9 - heads[t][0];
      if (d <= max && shown !== raw && score < low) { low = score; best = shown; }
    });
    return best;
  }

  // ---- Loading index files as scripts ----
  var loaded = {}, waiting = {};
  function add(name, data) {
    loaded[name] = data;
    if (waiting[name]) { waiting[name].resolve(data); delete waiting[name]; }
  }
  function load(name, url) {
    if (loaded[name]) return Promise.resolve(loaded[name]);
    if (waiting[name]) return waiting[name].promise;
    var w = {};
    w.promise = new Promise(function (resolve, reject) {
      w.resolve = resolve;
      var el = document.createElement("script");
      el.src = url;
      el.async = true;
      el.onerror = function () { delete waiting[name]; reject(new Error("could not load " + url)); };
      document.head.appendChild(el);
    });
    waiting[name] = w;
    return w.promise;
  }

  /** Decodes postings (see postings.rs): [page, section, weight] triples, pages delta-coded. */
  function decode(text) {
    var out = [], n = 0, page = 0, field = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 93) {
        n = n * 32 + (c - 93);
        if (field === 0) { page += n; out.push(page); } else out.push(n);
        field = (field + 1) % 3;
        n = 0;
      } else n = n * 32 + (c - 40);
    }
    return out;
  }

  // ---- Searching ----
  function Engine(root) { this.root = root; this.decoded = {}; }

  Engine.prototype.index = function () {
    var self = this;
    if (!this.ready) {
      this.ready = load("index", this.root + "search/index.js").then(function (ix) {
        self.ix = ix;
        self.shards = {};
        ix.shards.forEach(function (s) { self.shards[s] = true; });
        return ix;
      });
    }
    return this.ready;
  };

  Engine.prototype.shard = function (key, tail) {
    if (!this.shards[key]) return Promise.resolve({});
    var name = "t/" + shardFile(key) + (tail ? ".tail" : "");
    return load(name, this.root + this.ix.dir + name + ".js");
  };

  Engine.prototype.fragment = function (page) {
    var size = this.ix.bundle, name = "f/" + Math.floor(page / size);
    return load(name, this.root + this.ix.dir + name + ".js").then(function (bundle) {
      return bundle[page % size];
    });
  };

  /** Query words → [{term, raw, prefix}]; the last word is a prefix while it is being typed. */
  Engine.prototype.parse = function (q) {
    var ix = this.ix, words = tokens(q), out = [];
    var typing = q.length > 0 && WORD.test(Array.from(q).pop());
    words.forEach(function (t, i) {
      var prefix = typing && i === words.length - 1 && !SINGLE.test(t.w);
      if (ix.stem && STOP[t.w] && !(prefix && words.length === 1)) return;
      if (prefix && Array.from(t.w).length < 2) return;
      out.push({ raw: t.w, term: ix.stem ? stem(t.w) : t.w, prefix: prefix, start: t.start, end: t.end });
    });
    return out;
  };

  /** Terms of the index a query word stands for, with how much a match counts. */
  function expand(word, heads) {
    var found = [];
    Object.keys(heads).sort().forEach(function (t) {
      if (t === word.term) found.push([t, 1]);
      else if (word.prefix && (t.indexOf(word.term) === 0 || t.indexOf(word.raw) === 0)) found.push([t, 0.6]);
      else if (word.prefix && word.raw.indexOf(t) === 0 && t.length >= 3 && word.raw.length - t.length <= 4) found.push([t, 0.9]);
    });
    return found;
  }

  /** A test of page numbers for the module and role ids of `filter` (empty: any). */
  Engine.prototype.keep = function (filter) {
    var ix = this.ix, groups = ix.groups;
    if (!filter.module && !filter.role) return function () { return true; };
    var find = function (list, id) { for (var i = 0; i < list.length; i++) if (list[i][0] === id) return i; return -2; };
    var mod = filter.module ? find(ix.modules, filter.module) : -1;
    var role = filter.role ? find(ix.roles, filter.role) : -1;
    return function (page) {
      var lo = 0, hi = groups.length - 1;
      while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (groups[mid][0] <= page) lo = mid; else hi = mid - 1; }
      var g = groups[lo];
      if (mod !== -1 && g[1] !== mod) return false;
      if (role !== -1 && g[2] !== null && g[2].indexOf(role) < 0) return false;
      return true;
    };
  };

  /** The shards a query word's terms can be in: its stem's, and while typed its own. */
  Engine.prototype.shardsOf = function (w) {
    var keys = {};
    keys[shardKey(w.term)] = true;
    if (w.prefix) keys[shardKey(w.raw)] = true;
    return Object.keys(keys);
  };

  /**
   * Ranked pages for `q`: [{page, section, score}]. Uses the heads of the posting lists, and
   * the tails too when `full` is set; `complete` tells whether the tails could add a page.
   */
  Engine.prototype.search = function (q, filter, full) {
    var self = this;
    return this.index().then(function (ix) {
      var words = self.parse(q);
      if (!words.length) return { words: words, hits: [], complete: true };
      var keys = {};
      words.forEach(function (w) { self.shardsOf(w).forEach(function (k) { keys[k] = true; }); });
      return Promise.all(Object.keys(keys).map(function (k) { return self.shard(k, false); })).then(function (shards) {
        var heads = Object.assign.apply(null, [{}].concat(shards));
        var needTails = false, tailKeys = {};
        var lists = words.map(function (w) {
          return expand(w, heads).map(function (e) {
            var entry = heads[e[0]];
            if (entry[2]) { needTails = true; tailKeys[shardKey(e[0])] = true; }
            return { term: e[0], factor: e[1], df: entry[0], head: entry[1], tail: !!entry[2] };
          });
        });
        var tails = full && needTails
          ? Promise.all(Object.keys(tailKeys).map(function (k) { return self.shard(k, true); }))
          : Promise.resolve([]);
        return tails.then(function (ts) {
          var tail = Object.assign.apply(null, [{}].concat(ts));
          var r = self.rank(lists, tail, self.keep(filter || {}), full);
          return { words: words, hits: r.hits, complete: !needTails || full || r.settled };
        });
      });
    });
  };

  /**
   * A query like `q` with each word that the index does not hold replaced by the nearest
   * word it does (`nearest`), if that query has results; else null. Looks in the shards of
   * each word (which its search has loaded), and, when they hold no near word, in the shard
   * of the word with its second and third letters swapped (`lsiten` is in `li`).
   */
  Engine.prototype.suggest = function (q, filter) {
    var self = this;
    return this.index().then(function (ix) {
      var words = self.parse(q);
      var pool = function (keys) {
        return Promise.all(keys.map(function (k) { return self.shard(k, false); })).then(function (shards) {
          return Object.assign.apply(null, [{}].concat(shards));
        });
      };
      return Promise.all(words.map(function (w) {
        return pool(self.shardsOf(w)).then(function (heads) {
          if (expand(w, heads).length) return w.raw;
          var found = nearest(w, heads, ix.stem), c = Array.from(w.raw);
          if (found || c.length < 3) return found;
          return pool([c[0] + c[2]]).then(function (more) { return nearest(w, more, ix.stem); });
        });
      })).then(function (fixed) {
        if (!words.length || fixed.indexOf(null) >= 0) return null;
        var out = "", at = 0;
        words.forEach(function (w, i) {
          if (fixed[i] === w.raw) return;
          out += q.slice(at, w.start) + fixed[i];
          at = w.end;
        });
        if (!at) return null;
        out = (out + q.slice(at)).trim();
        return self.search(out, filter, false).then(function (r) { return r.hits.length ? out : null; });
      });
    });
  };

  /**
   * Pages that hold every word, ranked. `settled`: no tail could add one, because some word's
   * pages are all known (its terms have no tail, or their tails are loaded) and every page of
   * those words that passes the filter is among the hits already.
   */
  Engine.prototype.rank = function (lists, tail, keep, full) {
    var n = this.ix.sections, self = this;
    var perWord = lists.map(function (terms) {
      var pages = new Map();
      terms.forEach(function (t) {
        var idf = Math.log(1 + (n - t.df + 0.5) / (t.df + 0.5));
        [t.head, tail[t.term] || ""].forEach(function (text) {
          var key = t.term + "|" + text.length + "|" + (text === t.head ? "h" : "t");
          var p = self.decoded[key] || (self.decoded[key] = decode(text));
          for (var i = 0; i < p.length; i += 3) {
            if (!keep(p[i])) continue;
            var score = p[i + 2] * idf * t.factor;
            var secs = pages.get(p[i]);
            if (!secs) pages.set(p[i], secs = new Map());
            if (!(secs.get(p[i + 1]) >= score)) secs.set(p[i + 1], score);
          }
        });
      });
      return pages;
    });
    var hits = [];
    perWord[0].forEach(function (_, page) {
      if (!perWord.every(function (m) { return m.has(page); })) return;
      var total = 0, sections = new Map();
      perWord.forEach(function (m) {
        var best = 0;
        m.get(page).forEach(function (score, sec) {
          best = Math.max(best, score);
          var s = sections.get(sec) || [0, 0];
          sections.set(sec, [s[0] + 1, s[1] + score]);
        });
        total += best;
      });
      var bestSec = 0, bestVal = [-1, -1];
      sections.forEach(function (v, sec) {
        if (v[0] > bestVal[0] || (v[0] === bestVal[0] && (v[1] > bestVal[1] || (v[1] === bestVal[1] && sec < bestSec)))) {
          bestSec = sec; bestVal = v;
        }
      });
      // The best single section counts most, more so when it holds every word of the query.
      var whole = bestVal[0] === perWord.length ? 1.5 : 1;
      hits.push({ page: page, section: bestSec, score: whole * bestVal[1] + 0.3 * total });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.page - b.page; });
    var known = perWord.filter(function (m, i) { return full || lists[i].every(function (t) { return !t.tail; }); });
    var settled = known.length > 0 && !Array.from(known[0].keys()).some(function (page) {
      return known.every(function (m) { return m.has(page); }) && !perWord.every(function (m) { return m.has(page); });
    });
    return { hits: hits, settled: settled };
  };

  /** Result details for display: title, heading, URL, module name, kind and an excerpt. */
  Engine.prototype.details = function (hit, words) {
    var ix = this.ix, self = this;
    return this.fragment(hit.page).then(function (f) {
      var sec = f.s[hit.section] || f.s[0];
      var g = ix.groups.filter(function (x) { return x[0] <= hit.page; }).pop();
      return {
        url: self.root + f.u + (sec[0] ? "#" + encodeURIComponent(sec[0]) : ""),
        title: f.t, heading: excerpt(sec[1], words, ix.stem, true), kind: f.k,
        module: g && g[1] !== null ? ix.modules[g[1]][1] : "",
        excerpt: excerpt(sec[2] || f.s[0][2], words, ix.stem)
      };
    });
  };

  function matches(w, words, stemming) {
    var t = stemming ? stem(w) : w;
    return words.some(function (q) {
      return t === q.term || (q.prefix && (w.indexOf(q.raw) === 0 || t.indexOf(q.term) === 0));
    });
  }

  /** About 160 characters around the first match (or all of `text` when `whole`), as [text, marked] pieces. */
  function excerpt(text, words, stemming, whole) {
    var toks = tokens(text), hits = toks.filter(function (t) { return matches(t.w, words, stemming); });
    var from = hits.length && !whole ? Math.max(0, hits[0].start - 60) : 0;
    if (from > 0) { var sp = text.indexOf(" ", from); from = sp >= 0 && sp < hits[0].start ? sp + 1 : from; }
    var to = whole ? text.length : Math.min(text.length, from + 180);
    if (to < text.length) { var back = text.lastIndexOf(" ", to); if (back > from + 100) to = back; }
    var pieces = [], at = from;
    hits.forEach(function (h) {
      if (h.start < from || h.end > to) return;
      if (h.start > at) pieces.push([text.slice(at, h.start), false]);
      pieces.push([text.slice(h.start, h.end), true]);
      at = h.end;
    });
    if (at < to) pieces.push([text.slice(at, to), false]);
    if (from > 0) pieces.unshift(["… ", false]);
    if (to < text.length) pieces.push([" …", false]);
    return pieces;
  }

  // Node (tests/js/) has no window: it takes the pure functions.
  if (typeof window === "undefined") {
    module.exports = {
      stem: stem, tokens: tokens, excerpt: excerpt, shardKey: shardKey, shardFile: shardFile,
      stopWords: Object.keys(STOP), display: display, distance: distance, nearest: nearest
    };
    return;
  }
  window.skillbookSearch = { add: add, Engine: Engine, stem: stem, tokens: tokens, excerpt: excerpt };
})();

// ---- The header search box (a combobox) and the search page ----
(function () {
  "use strict";
  if (typeof window === "undefined") return;
  var S = window.skillbookSearch;
  var KIND = { lesson: "Lesson", module: "Module", playbook: "Playbook", role: "Role", home: "Home" };

  function failure(err) {
    var msg = location.protocol === "file:"
      ? "Search could not load its index: this browser blocks it for pages opened as files (file://). " +
        "Open the portal through a web server instead (any static server, or skillbook serve)."
      : "Search could not load its index. Check that the search/ folder was published with the portal.";
    if (window.console) console.warn("skillbook search:", err);
    return msg;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  /** The inside of one result link: title, heading, kind and module, excerpt with marks. */
  function hitContent(link, d) {
    var title = el("span", "search-hit-title", d.title);
    if (d.heading.length) {
      var h = el("span", "search-hit-heading", " › ");
      marked(h, d.heading);
      title.appendChild(h);
    }
    link.appendChild(title);
    var meta = [KIND[d.kind] || d.kind];
    if (d.module && d.kind !== "module") meta.push(d.module);
    link.appendChild(el("span", "search-hit-meta", meta.join(" · ")));
    var ex = el("span", "search-hit-excerpt");
    marked(ex, d.excerpt);
    link.appendChild(ex);
  }

  /** Appends [text, marked] pieces to `parent`, marked ones in <mark>. */
  function marked(parent, pieces) {
    pieces.forEach(function (p) { parent.appendChild(p[1] ? el("mark", "", p[0]) : document.createTextNode(p[0])); });
  }

  /** Adds "Did you mean …?" to `status` for a query without results, once the suggestion is
   *  found, if `still` holds: `make` gives the element that runs the suggested query. */
  function offer(engine, q, filter, status, still, make) {
    engine.suggest(q, filter).then(function (s) { if (s && still()) status.append(". Did you mean ", make(s), "?"); })
      .catch(function () {});
  }

  function details(engine, hits, words) {
    return Promise.all(hits.map(function (h) { return engine.details(h, words); }));
  }

  function header(form) {
    var input = form.querySelector("input[name=q]");
    var panel = form.querySelector(".search-panel");
    var list = panel.querySelector("[role=listbox]");
    var status = panel.querySelector(".search-status");
    var all = panel.querySelector(".search-all");
    var engine = new S.Engine(form.getAttribute("data-root") || "");
    var seq = 0, active = -1, items = [];

    function open(on) {
      panel.hidden = !on;
      input.setAttribute("aria-expanded", on ? "true" : "false");
      if (!on) setActive(-1);
    }
    function setActive(i) {
      if (items[active]) items[active].setAttribute("aria-selected", "false");
      active = i;
      if (items[i]) {
        items[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[i].id);
        items[i].scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    }
    function run() {
      var q = input.value, mine = ++seq;
      all.href = form.getAttribute("action") + "?q=" + encodeURIComponent(q.trim());
      if (!q.trim()) { open(false); return; }
      engine.search(q, {}, false).then(function (r) {
        if (!r.words.length) return [r, []];
        return details(engine, r.hits.slice(0, 8), r.words).then(function (d) { return [r, d]; });
      }).then(function (rd) {
        if (mine !== seq) return;
        var r = rd[0], d = rd[1];
        list.textContent = "";
        items = d.map(function (x, i) {
          var li = el("li", "search-hit");
          li.id = "site-search-opt-" + i;
          li.setAttribute("role", "option");
          li.setAttribute("aria-selected", "false");
          var a = el("a");
          a.href = x.url;
          a.tabIndex = -1;
          hitContent(a, x);
          li.appendChild(a);
          list.appendChild(li);
          return li;
        });
        active = -1;
        status.textContent = !r.words.length ? "Keep typing to search" :
          r.hits.length ? (r.hits.length > d.length ? "Top " + d.length + " of " + r.hits.length + (r.complete ? "" : "+") + " results" : r.hits.length + (r.hits.length === 1 ? " result" : " results"))
            : "No results for “" + q.trim() + "”";
        open(true);
        if (r.words.length && !r.hits.length) {
          offer(engine, q, {}, status, function () { return mine === seq; }, function (s) {
            var b = el("button", "search-suggestion", s);
            b.type = "button";
            b.onclick = function () { input.value = s; input.focus(); run(); };
            return b;
          });
        }
      }).catch(function (err) {
        if (mine !== seq) return;
        list.textContent = "";
        items = [];
        status.textContent = failure(err);
        open(true);
      });
    }
    input.addEventListener("input", run);
    input.addEventListener("focus", function () { if (input.value.trim() && list.children.length) open(true); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (panel.hidden) { if (input.value.trim()) run(); return; }
        e.preventDefault();
        if (!items.length) return;
        var n = items.length, d = e.key === "ArrowDown" ? 1 : -1;
        setActive(active < 0 ? (d > 0 ? 0 : n - 1) : (active + d + n) % n);
      } else if (e.key === "Enter" && active >= 0 && items[active]) {
        e.preventDefault();
        var href = items[active].querySelector("a").href;
        open(false);
        location.href = href;
      } else if (e.key === "Escape") {
        if (!panel.hidden) { e.preventDefault(); open(false); }
        else if (input.value) { e.preventDefault(); input.value = ""; }
        else input.blur();
      }
    });
    form.addEventListener("focusout", function (e) { if (!form.contains(e.relatedTarget)) open(false); });
    // This runs when the box is first used: fetch the small entry file now, so the first
    // keystroke only waits for its shard. A failure is reported when a search needs it.
    engine.index().catch(function () {});
    if (input.value.trim()) run();
  }

  function page(form) {
    var input = form.querySelector("input[name=q]");
    var selects = form.querySelectorAll("select");
    var results = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var more = document.getElementById("search-more");
    var engine = new S.Engine(form.getAttribute("data-root") || "");
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    selects.forEach(function (s) { s.value = params.get(s.name) || ""; });
    var seq = 0, shown = 0, want = 0, current = null, timer = 0;

    function filter() {
      var f = {};
      selects.forEach(function (s) { f[s.name] = s.value; });
      return f;
    }
    function show(n) {
      var mine = seq, hits = current.hits.slice(shown, shown + n);
      want = shown + n;
      return details(engine, hits, current.words).then(function (d) {
        if (mine !== seq) return;
        d.forEach(function (x) {
          var li = el("li", "search-hit"), a = el("a");
          a.href = x.url;
          hitContent(a, x);
          li.appendChild(a);
          results.appendChild(li);
        });
        shown += d.length;
        settle(mine);
      });
    }
    /** Shows "More results" only when there are more: when the shown results use up the
     *  heads of the posting lists and their tails could hold more, those are loaded first,
     *  and fill the page of results that asked for them. */
    function settle(mine) {
      var q = input.value.trim();
      if (shown >= current.hits.length && !current.complete) {
        more.hidden = true;
        engine.search(input.value, filter(), true).then(function (r) {
          if (mine !== seq) return;
          var seen = {};
          current.hits.slice(0, shown).forEach(function (h) { seen[h.page] = true; });
          var rest = r.hits.filter(function (h) { return !seen[h.page]; });
          current = { words: r.words, hits: current.hits.slice(0, shown).concat(rest), complete: true };
          if (shown < want && rest.length) show(want - shown); else settle(mine);
        }).catch(function (err) { if (mine === seq) status.textContent = failure(err); });
      } else more.hidden = shown >= current.hits.length;
      var total = current.hits.length;
      status.textContent = !current.words.length ? "Type a word to search" : total === 0 ? "No results for “" + q + "”"
        : total + (current.complete ? "" : "+") + (total === 1 ? " result" : " results") + " for “" + q + "”";
      if (total === 0 && current.words.length && current.complete) {
        var f = filter();
        offer(engine, input.value, f, status, function () { return mine === seq; }, function (s) {
          var qs = new URLSearchParams({ q: s }), a = el("a", "search-suggestion", s);
          Object.keys(f).forEach(function (k) { if (f[k]) qs.set(k, f[k]); });
          a.href = "?" + qs;
          a.onclick = function (e) { e.preventDefault(); input.value = s; run(); input.focus(); };
          return a;
        });
      }
    }
    function run() {
      var mine = ++seq, q = input.value, f = filter();
      var qs = new URLSearchParams();
      if (q.trim()) qs.set("q", q.trim());
      Object.keys(f).forEach(function (k) { if (f[k]) qs.set(k, f[k]); });
      history.replaceState(null, "", "?" + qs.toString());
      if (!q.trim()) { results.textContent = ""; status.textContent = "Type a word to search"; more.hidden = true; return; }
      status.textContent = "Searching…";
      engine.search(q, f, false).then(function (r) {
        if (mine !== seq) return;
        current = r; shown = 0;
        results.textContent = "";
        more.hidden = true;
        return show(20);
      }).catch(function (err) { if (mine === seq) { results.textContent = ""; more.hidden = true; status.textContent = failure(err); } });
    }
    more.addEventListener("click", function () { show(20); });
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 80); });
    selects.forEach(function (s) { s.addEventListener("change", function () { run(); }); });
    results.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(results.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (i < 0) return;
      if (e.key === "ArrowDown" && links[i + 1]) { e.preventDefault(); links[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (links[i - 1] || input).focus(); }
    });
    input.addEventListener("keydown", function (e) {
      var first = results.querySelector("a");
      if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
    });
    run();
  }

  document.querySelectorAll("form.site-search").forEach(header);
  var p = document.getElementById("search-page");
  if (p) page(p);
})();
