// search.js against the build's search index (src/render/search/text.rs): stems, words,
// stop words and shard names from the vectors; excerpts by hand.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { script, vectors, some } = require("./load.js");

const search = script("search.js");
const v = vectors();

// Lowercase one character at a time, as the build does.
function lower(text) {
  return Array.from(text, (c) => c.toLowerCase()).join("");
}

test(`the stems of all ${Object.keys(v.stems).length} words of the sample site and the corpus are the build's`, () => {
  const wrong = Object.entries(v.stems)
    .filter(([word, stem]) => search.stem(word) !== stem)
    .map(([word, stem]) => `${word}: ${search.stem(word)}, the build ${stem}`);
  assert.equal(wrong.length, 0, some(wrong));
});

test(`the words of ${v.tokens.length} texts are the build's, at the places they are found`, () => {
  const wrong = [];
  for (const [name, text, words] of v.tokens) {
    const found = search.tokens(text);
    const got = found.map((t) => t.w);
    const at = got.findIndex((w, i) => w !== words[i]);
    if (at >= 0 || got.length !== words.length) {
      const i = at >= 0 ? at : Math.min(got.length, words.length);
      wrong.push(`${name}: word ${i} is ${JSON.stringify(got[i])}, the build ${JSON.stringify(words[i])}`);
      continue;
    }
    const misplaced = found.find((t) => lower(text.slice(t.start, t.end)) !== t.w);
    if (misplaced) {
      wrong.push(`${name}: ${JSON.stringify(misplaced)} is ${JSON.stringify(text.slice(misplaced.start, misplaced.end))}`);
    }
  }
  assert.equal(wrong.length, 0, some(wrong));
});

test("the stop words are the build's", () => {
  assert.deepEqual([...search.stopWords].sort(), [...v.stop_words].sort());
});

test(`the shard files of ${Object.keys(v.shards).length} terms are the build's`, () => {
  const wrong = Object.entries(v.shards)
    .filter(([term, file]) => search.shardFile(search.shardKey(term)) !== file)
    .map(([term, file]) => `${term}: ${search.shardFile(search.shardKey(term))}, the build ${file}`);
  assert.equal(wrong.length, 0, some(wrong));
});

test("an excerpt marks the words that match, stemmed or as a prefix", () => {
  const alerts = { raw: "alerts", term: "alert", prefix: false }, bra = { raw: "bra", term: "bra", prefix: true };
  assert.deepEqual(search.excerpt("Set up Alerting for the brand", [alerts, bra], true, true), [
    ["Set up ", false], ["Alerting", true], [" for the ", false], ["brand", true]
  ]);
  assert.deepEqual(search.excerpt("Alerts, then alert.", [alerts], true, true), [
    ["Alerts", true], [", then ", false], ["alert", true], [".", false]
  ]);
  assert.deepEqual(search.excerpt("Alerts", [alerts], false, true), [["Alerts", false]], "unstemmed, alerts is not alert");
});

test("a long excerpt is about 160 characters around the first match, cut at spaces", () => {
  const before = "word ".repeat(40), after = " text".repeat(60);
  const text = before + "listening" + after;
  const pieces = search.excerpt(text, [{ raw: "listening", term: "listen", prefix: false }], true, false);
  assert.equal(pieces[0][0], "… ");
  assert.equal(pieces[pieces.length - 1][0], " …");
  const marked = pieces.filter((p) => p[1]).map((p) => p[0]);
  assert.deepEqual(marked, ["listening"]);
  const shown = pieces.slice(1, -1).map((p) => p[0]).join("");
  assert.ok(text.includes(shown) && shown.length <= 180 && shown.length >= 100, shown);
  assert.ok(shown.startsWith("word ") && shown.endsWith("text"), "cut at spaces: " + JSON.stringify(shown));
});

test(`the words ${v.displays.length} stemmed words are shown as are the build's`, () => {
  const wrong = v.displays
    .filter(([term, code, word]) => search.display(term, code) !== word)
    .map(([term, code, word]) => `${term} + ${code}: ${search.display(term, code)}, the build ${word}`);
  assert.equal(wrong.length, 0, some(wrong));
  assert.equal(search.display("listen", undefined), "listen", "a term without a code is shown as itself");
});

test(`the edit distances of ${v.distances.length} pairs of words are strsim's`, () => {
  const wrong = [];
  for (const [a, b, d] of v.distances) {
    if (search.distance(a, b) !== d) wrong.push(`${a} ${b}: ${search.distance(a, b)}, strsim ${d}`);
    // With a limit, anything farther than it is the limit plus one.
    for (const max of [0, 1, 2]) {
      if (search.distance(a, b, max) !== Math.min(d, max + 1)) wrong.push(`${a} ${b} within ${max}: ${search.distance(a, b, max)}`);
    }
  }
  assert.equal(wrong.length, 0, some(wrong));
  assert.equal(search.distance("lsitening", "listening"), 1, "a swap of neighbours is one edit");
  assert.equal(search.distance("ca", "abc"), 3, "optimal string alignment: a swapped pair is not edited again");
  assert.equal(search.distance("", "abc"), 3);
  assert.equal(search.distance("日本語", "日本"), 1, "characters, not UTF-16 units");
});

test("the nearest word is the closest, then of the same first letter, then the most frequent", () => {
  const word = (raw) => ({ raw, term: search.stem(raw), prefix: false });
  // term → [sections, head, tail, display code]
  const heads = { listen: [31, "", 0, "ing"], list: [14, "", 0], lisbon: [1, "", 0], link: [27, "", 0] };
  assert.equal(search.nearest(word("lisening"), heads, true), "listening", "shown as the word, not the stem");
  assert.equal(search.nearest(word("listning"), heads, true), "listening");
  assert.equal(search.nearest(word("lisbn"), heads, true), "lisbon", "one edit beats a more frequent two");
  assert.equal(search.nearest(word("lint"), heads, true), "link", "a tie goes to the word in more sections");
  assert.equal(search.nearest(word("zzzzzz"), heads, true), null, "nothing near");
  assert.equal(search.nearest(word("lx"), heads, true), null, "too short to guess");
  assert.equal(search.nearest(word("lsxt"), heads, true), null, "two edits are too many for four letters");
  assert.equal(search.nearest(word("oist"), { list: [1, "", 0], oust: [1, "", 0] }, true), "oust", "same first letter first");
  assert.equal(search.nearest({ raw: "lisen", term: "lisen", prefix: false }, { listen: [3, "", 0] }, false), "listen",
    "unstemmed, the word is compared as it is");
});
