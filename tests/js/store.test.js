// The pure parts of the progress store (store.js): clean, usable, merge and validate, on
// documents of the shape docs/progress-api.md describes.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { script } = require("./load.js");

const store = script("store.js");

const T1 = "2026-01-02T03:04:05Z", T2 = "2026-02-03T04:05:06Z";

test("clean drops parts and entries of the wrong shape, counts them, and keeps unknown fields", () => {
  const doc = {
    v: 1, role: 7, learner: "Ada", theme: { font: "large" },
    lessons: { "m/a": { done: T1 }, "m/b": "done", "m/c": { done: "yesterday" } },
    quizzes: {
      "m/quiz": { best: 80, attempts: 2, rev: "r1", passed: T1 },
      "m/text": { best: "80", attempts: 2 },
      "m/frac": { best: 50, attempts: 1.5 },
      "m/high": { best: 101, attempts: 1 },
      "m/early": { best: 50, attempts: 1, earlier: { best: 10, attempts: "1" } }
    },
    checklists: { "playbooks/p": [true, false], "playbooks/q": [true, "yes"] }
  };
  const before = JSON.stringify(doc);
  const { doc: clean, dropped } = store.clean(doc);
  assert.equal(JSON.stringify(doc), before, "the input is not changed");
  assert.equal(dropped, 8);
  assert.deepEqual(clean, {
    v: 1, learner: "Ada", theme: { font: "large" },
    lessons: { "m/a": { done: T1 } },
    quizzes: { "m/quiz": { best: 80, attempts: 2, rev: "r1", passed: T1 } },
    checklists: { "playbooks/p": [true, false] }
  });
  assert.deepEqual(store.clean({ v: 1, lessons: [1, 2], quizzes: "oops" }), { doc: { v: 1 }, dropped: 2 });
});

test("usable takes only a whole, well-formed version-1 document", () => {
  assert.equal(store.usable({ v: 1, lessons: { "m/a": { done: T1 } }, extra: true }), true);
  assert.equal(store.usable({ v: 1, lessons: { "m/a": { done: 5 } } }), false);
  assert.equal(store.usable({ v: 2 }), false);
  assert.equal(store.usable([1, 2, 3]), false);
  assert.equal(store.usable(null), false);
  assert.equal(store.usable("{\"v\":1}"), false);
});

test("merge keeps everything of the base and adds what is newer or better", () => {
  const base = {
    v: 1, role: "hr", lessons: { "m/a": { done: T1 }, "m/b": { done: T2 } },
    quizzes: { "m/quiz": { best: 60, attempts: 3, rev: "r1" } },
    checklists: { "playbooks/p": [true, false, false] }
  };
  const incoming = {
    v: 1, role: "sales", learner: "Ada", lessons: { "m/a": { done: T2 }, "m/b": { done: T1 }, "m/c": { done: T1 } },
    quizzes: { "m/quiz": { best: 90, attempts: 1, rev: "r1", passed: T2 } },
    checklists: { "playbooks/p": [false, true], "playbooks/q": [true] }
  };
  const before = JSON.stringify(base);
  const { doc, changed } = store.merge(base, incoming);
  assert.equal(JSON.stringify(base), before, "the base is not changed");
  assert.deepEqual(doc, {
    v: 1, role: "hr", learner: "Ada",
    lessons: { "m/a": { done: T2 }, "m/b": { done: T2 }, "m/c": { done: T1 } },
    quizzes: { "m/quiz": { best: 90, attempts: 3, rev: "r1", passed: T2 } },
    checklists: { "playbooks/p": [true, true, false], "playbooks/q": [true] }
  });
  assert.deepEqual(changed, { lessons: 2, quizzes: 1, checklists: 2, role: false, learner: true });
  assert.deepEqual(store.merge(doc, doc).changed, { lessons: 0, quizzes: 0, checklists: 0, role: false, learner: false },
    "merging a document into itself changes nothing");
});

test("merge keeps the current revision of a quiz and makes the other its earlier result", () => {
  const old = { best: 100, attempts: 2, rev: "r1", passed: T2 }, cur = { best: 40, attempts: 1, rev: "r2" };
  const mine = { v: 1, quizzes: { q: old } }, theirs = { v: 1, quizzes: { q: cur } };
  assert.deepEqual(store.merge(mine, theirs, { q: "r2" }).doc.quizzes.q,
    { best: 40, attempts: 1, rev: "r2", earlier: { best: 100, attempts: 2, passed: T2, rev: "r1" } });
  assert.deepEqual(store.merge(theirs, mine, { q: "r2" }).doc.quizzes.q,
    { best: 40, attempts: 1, rev: "r2", earlier: { best: 100, attempts: 2, passed: T2, rev: "r1" } });
  // Without the current revision the more recent pass wins.
  const passedLater = { best: 70, attempts: 1, rev: "r3", passed: "2026-03-01T00:00:00Z" };
  assert.equal(store.merge(mine, { v: 1, quizzes: { q: passedLater } }).doc.quizzes.q.rev, "r3");
  assert.equal(store.merge(mine, theirs).doc.quizzes.q.rev, "r1", "a result never passed does not replace a pass");
});

test("a quiz's last attempt must have its shape, and the later one is kept in a merge", () => {
  const last = (score, at) => ({ score, at, answers: [{ q: 0, v: ["1"] }, { q: 2, v: ["typed"] }] });
  const good = { best: 50, attempts: 2, rev: "r1", last: last(50, T1) };
  assert.equal(store.usable({ v: 1, quizzes: { q: good } }), true);
  const bad = [
    { ...good, last: "50" },
    { ...good, last: { score: "50", answers: [] } },
    { ...good, last: { score: 101, answers: [] } },
    { ...good, last: { score: 50, at: "yesterday", answers: [] } },
    { ...good, last: { score: 50 } },
    { ...good, last: { score: 50, answers: [{ q: "0", v: ["1"] }] } },
    { ...good, last: { score: 50, answers: [{ q: 1.5, v: ["1"] }] } },
    { ...good, last: { score: 50, answers: [{ q: 0, v: [1] }] } },
    { ...good, last: { score: 50, answers: [{ q: 0 }] } }
  ];
  for (const entry of bad) {
    assert.equal(store.usable({ v: 1, quizzes: { q: entry } }), false, JSON.stringify(entry));
    assert.deepEqual(store.clean({ v: 1, quizzes: { q: entry } }), { doc: { v: 1, quizzes: {} }, dropped: 1 });
  }
  // The same revision: the figures add up and the more recent last attempt is kept.
  const newer = { best: 20, attempts: 3, rev: "r1", last: last(20, T2) };
  assert.deepEqual(store.merge({ v: 1, quizzes: { q: good } }, { v: 1, quizzes: { q: newer } }).doc.quizzes.q,
    { best: 50, attempts: 3, rev: "r1", last: last(20, T2) });
  assert.deepEqual(store.merge({ v: 1, quizzes: { q: newer } }, { v: 1, quizzes: { q: good } }).doc.quizzes.q,
    { best: 50, attempts: 3, rev: "r1", last: last(20, T2) });
  // Another revision: the kept one keeps its own last attempt; the earlier result has none.
  const other = { best: 90, attempts: 1, rev: "r2", last: last(90, T1) };
  assert.deepEqual(store.merge({ v: 1, quizzes: { q: good } }, { v: 1, quizzes: { q: other } }, { q: "r2" }).doc.quizzes.q,
    { best: 90, attempts: 1, rev: "r2", last: last(90, T1), earlier: { best: 50, attempts: 2, passed: undefined, rev: "r1" } });
});

test("validate reads an export file of this portal and says why another cannot be used", () => {
  const file = {
    v: 1, site: "t", exported: T2, role: "hr", learner: "x".repeat(201), theme: "dark",
    lessons: { "m/a": { done: T1 }, "m/b": { done: 3 } }
  };
  assert.deepEqual(store.validate(file, "t"), { doc: { v: 1, role: "hr", lessons: { "m/a": { done: T1 } } }, dropped: 2 });
  assert.deepEqual(store.validate({ v: 1, lessons: {} }, "t"), { doc: { v: 1, lessons: {} }, dropped: 0 }, "no site: any portal");
  assert.deepEqual(store.validate({ v: 1, site: "other" }, "t"), { error: "it holds progress of another portal (other)" });
  assert.deepEqual(store.validate({ v: 2 }, "t"), { error: "it was written by a newer version of this portal" });
  for (const value of [null, [], "text", { v: "1" }, { v: 0 }, {}]) {
    assert.deepEqual(store.validate(value, "t"), { error: "it is not a skillbook progress file" }, JSON.stringify(value));
  }
});
