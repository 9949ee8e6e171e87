// quiz.js against the build's answer key (src/render/quiz_key.rs): answer hashes, typed-answer
// normalisation and veils from the vectors; SHA-256 against its published test vectors.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { script, vectors, some } = require("./load.js");

const quiz = script("quiz.js");
const v = vectors();

test("SHA-256 gives the digests of FIPS 180-2's examples", () => {
  assert.equal(quiz.sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(quiz.sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(quiz.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
});

test(`the hashes of ${v.hashes.length} keyed answers are the build's`, () => {
  const wrong = v.hashes
    .filter(([salt, text, hash]) => quiz.hash(salt, text) !== hash)
    .map(([salt, text, hash]) => `${salt} ${JSON.stringify(text)}: ${quiz.hash(salt, text)}, the build ${hash}`);
  assert.equal(wrong.length, 0, some(wrong));
});

test(`${v.normalize.length} typed answers are compared as the build keys them`, () => {
  const wrong = v.normalize
    .filter(([typed, key]) => quiz.normalize(typed) !== key)
    .map(([typed, key]) => `${JSON.stringify(typed)}: ${JSON.stringify(quiz.normalize(typed))}, the build ${JSON.stringify(key)}`);
  assert.equal(wrong.length, 0, some(wrong));
});

test(`${v.veils.length} veiled texts unveil to what the build veiled`, () => {
  const wrong = v.veils
    .filter(([salt, text, veiled]) => quiz.unveil(salt, veiled) !== text)
    .map(([salt, text, veiled]) => `${salt} ${JSON.stringify(text)}: ${JSON.stringify(quiz.unveil(salt, veiled))}`);
  assert.equal(wrong.length, 0, some(wrong));
});
