// What the tests beside this file load: the theme's scripts, from SKILLBOOK_JS_DIR (the
// theme's sources when unset), and the vectors the build's own functions wrote to
// SKILLBOOK_JS_VECTORS. `cargo test --test integration js` sets both (HACKING.md).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.SKILLBOOK_JS_DIR || path.join(__dirname, "..", "..", "themes", "default", "static");

function script(name) {
  return require(path.resolve(dir, name));
}

function vectors() {
  const file = process.env.SKILLBOOK_JS_VECTORS;
  if (!file) {
    throw new Error("SKILLBOOK_JS_VECTORS is not set: `cargo test --test integration js` writes the vectors "
      + "to target/tmp/js/vectors.json and runs these tests");
  }
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

// At most `n` of `list`, one a line, for a failure message.
function some(list, n = 20) {
  return list.slice(0, n).join("\n") + (list.length > n ? `\n… and ${list.length - n} more` : "");
}

module.exports = { script, vectors, some };
