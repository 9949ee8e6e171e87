// The LMS packages' runtime (src/package/lms.js): the compact progress it keeps in the LMS
// against the largest size the build computes for it (src/package/suspend.rs), the round trip
// of the progress document, the status it reports, and the time formats of SCORM and xAPI.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const { vectors } = require("./load.js");

const lms = require(path.join(__dirname, "..", "..", "src", "package", "lms.js"));
const v = vectors();
const LATEST = "2100-01-01T00:00:00Z";

function pkgOf(shape) {
  return {
    modules: [{ id: "m", lessons: shape.lessons, quiz: null }],
    quizIds: shape.quizzes.map((q) => q[0]),
    checklists: shape.checklists,
  };
}

test(`lms.js writes the fullest progress of ${v.suspend.length} packages as the build sizes it`, () => {
  for (const shape of v.suspend) {
    const result = (q) => ({ best: 100, attempts: q[2] === null ? 5000 : q[2], passed: LATEST, rev: q[1] });
    const doc = { v: 1, lessons: {}, quizzes: {}, checklists: {} };
    if (shape.role) doc.role = shape.role;
    shape.lessons.forEach((id) => { doc.lessons[id] = { done: LATEST }; });
    shape.quizzes.forEach((q) => { doc.quizzes[q[0]] = Object.assign(result(q), { earlier: result(q) }); });
    shape.checklists.forEach((c) => { doc.checklists[c[0]] = new Array(c[1]).fill(true); });
    assert.equal(lms.encode(doc, pkgOf(shape)), shape.fullest);
  }
});

test("progress comes back from the LMS as it was, without what the package does not hold", () => {
  const shape = v.suspend[0];
  const doc = {
    v: 1,
    role: "customer-service",
    learner: "Ada",
    lessons: { "listening/why-listen": { done: "2026-11-22T10:00:00Z" }, "other/lesson": { done: "2026-11-22T10:00:00Z" } },
    quizzes: { "listening/quiz": { best: 60, attempts: 2, rev: "34990dad6bb3", earlier: { best: 90, attempts: 1, passed: "2026-01-02T03:04:05Z", rev: "aaaaaaaaaaaa" } } },
    checklists: { "playbooks/answering-a-complaint": [true, false, true, false] },
  };
  const back = lms.decode(lms.encode(doc, pkgOf(shape)));
  assert.deepEqual(back, {
    v: 1,
    role: "customer-service",
    lessons: { "listening/why-listen": { done: "2026-11-22T10:00:00Z" } },
    quizzes: { "listening/quiz": { best: 60, attempts: 2, rev: "34990dad6bb3", earlier: { best: 90, attempts: 1, passed: "2026-01-02T03:04:05Z", rev: "aaaaaaaaaaaa" } } },
    checklists: { "playbooks/answering-a-complaint": [true, false, true, false] },
  });
  assert.deepEqual(lms.decode("not json"), { v: 1 });
  assert.deepEqual(lms.decode('{"v":2}'), { v: 1 });
});

test("the status: lessons, a failed then passed assessment, a module without one", () => {
  const modules = [{ id: "m", lessons: ["m/a", "m/b"], quiz: "m/quiz" }];
  const quizzes = [{ id: "m/quiz", rev: "r", pass_mark: 80 }];
  const doc = { v: 1, lessons: { "m/a": { done: LATEST } }, quizzes: {} };
  assert.deepEqual(lms.state(doc, modules, quizzes), { lessons: 2, done: 1, completed: false, success: "unknown", score: null });
  doc.lessons["m/b"] = { done: LATEST };
  doc.quizzes["m/quiz"] = { best: 40, attempts: 1, rev: "r" };
  assert.deepEqual(lms.state(doc, modules, quizzes), { lessons: 2, done: 2, completed: false, success: "failed", score: 40 });
  doc.quizzes["m/quiz"] = { best: 90, attempts: 2, rev: "r", passed: LATEST };
  assert.deepEqual(lms.state(doc, modules, quizzes), { lessons: 2, done: 2, completed: true, success: "passed", score: 90 });
  const plain = [{ id: "p", lessons: ["p/a"], quiz: null }];
  assert.deepEqual(lms.state({ v: 1, lessons: { "p/a": { done: LATEST } } }, plain, quizzes), { lessons: 1, done: 1, completed: true, success: null, score: null });
});

test("session times in SCORM 1.2's and ISO 8601's forms; the LMS's learner name turned round", () => {
  assert.equal(lms.scorm12Time(0), "0000:00:00.00");
  assert.equal(lms.scorm12Time(252_345), "0000:04:12.35");
  assert.equal(lms.scorm12Time(3_723_000), "0001:02:03.00");
  assert.equal(lms.isoDuration(252_000), "PT4M12S");
  assert.equal(lms.isoDuration(3_723_500), "PT1H2M3.5S");
  assert.equal(lms.isoDuration(0), "PT0S");
  assert.equal(lms.displayName("Lovelace, Ada"), "Ada Lovelace");
  assert.equal(lms.displayName("Ada Lovelace"), "Ada Lovelace");
});
