// Checks xAPI statements with Learning Locker's validator (npm @learninglocker/xapi-validation,
// which `.ci/run` installs into target/lms). Reads a JSON array of statements on standard
// input and prints one line per problem: the statement's index, the path of the bad value,
// the kind of problem and the value. Exits 0 when every statement is valid, 1 when one is
// not, 2 when the validator or the input cannot be read. tests/integration/package_cmi5.rs
// runs it on every statement its LMS stand-in records.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const modules = process.env.SKILLBOOK_LMS_MODULES
  || path.join(__dirname, "..", "..", "target", "lms", "node_modules");

let validate;
try {
  validate = require(path.join(modules, "@learninglocker", "xapi-validation")).default;
} catch (e) {
  console.error(`cannot load @learninglocker/xapi-validation from ${modules}: ${e.message}`);
  process.exit(2);
}

let statements;
try {
  statements = JSON.parse(fs.readFileSync(0, "utf8"));
} catch (e) {
  console.error(`standard input is not JSON: ${e.message}`);
  process.exit(2);
}
if (!Array.isArray(statements)) {
  console.error("standard input is not a JSON array of statements");
  process.exit(2);
}

let problems = 0;
statements.forEach((statement, i) => {
  for (const warning of validate(statement)) {
    problems += 1;
    const kind = warning.typeName ? `${warning.name} (${warning.typeName})` : warning.name;
    console.log(`statement ${i}: ${warning.path.join(".")}: ${kind}: ${JSON.stringify(warning.data)}`);
  }
});
console.log(`${statements.length} statements, ${problems} problems`);
process.exit(problems ? 1 : 0);
