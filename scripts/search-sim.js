// Runs themes/default/static/search.js under node against a built portal, the way a browser
// would: index files are loaded as scripts from disk, and every byte loaded is counted.
//   node scripts/search-sim.js PORTAL_DIR [--vectors FILE] QUERY...
// Prints, for each query, the files it loaded, their total size and the top results.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const args = process.argv.slice(2);
const portal = args.shift();
let vectors = null;
if (args[0] === "--vectors") { args.shift(); vectors = args.shift(); }
const root = path.resolve(__dirname, "..");
let loadedBytes = 0, loadedFiles = [];
const head = { appendChild(el) {
  setImmediate(() => {
    const file = path.join(portal, el.src);
    let code;
    try { code = fs.readFileSync(file); } catch (e) { el.onerror && el.onerror(); return; }
    loadedBytes += code.length; loadedFiles.push(el.src);
    vm.runInContext(code.toString(), ctx, { filename: file });
    el.onload && el.onload();
  });
} };
const sandbox = {
  console, setTimeout, clearTimeout, URLSearchParams, TextEncoder, Map, Promise,
  location: { protocol: "file:", search: "" },
  document: { head, createElement: () => ({}), querySelectorAll: () => [], getElementById: () => null },
};
sandbox.window = sandbox;
const ctx = vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(path.join(root, "themes/default/static/search.js"), "utf8"), ctx);
const S = sandbox.skillbookSearch;

if (vectors) {
  let bad = 0;
  for (const line of fs.readFileSync(vectors, "utf8").split("\n").filter(Boolean)) {
    const [w, expected] = line.split(" ");
    if (S.stem(w) !== expected) { bad++; console.log(`stem(${w}) = ${S.stem(w)}, expected ${expected}`); }
  }
  console.log(bad ? `${bad} stems differ` : "stems agree");
  process.exit(bad ? 1 : 0);
}

(async () => {
  const engine = new S.Engine("");
  for (const q of args) {
    loadedBytes = 0; loadedFiles = [];
    const t0 = process.hrtime.bigint();
    const r = await engine.search(q, {}, false);
    const top = await Promise.all(r.hits.slice(0, 8).map(h => engine.details(h, r.words)));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(JSON.stringify({ query: q, bytes: loadedBytes, files: loadedFiles.length, ms: +ms.toFixed(1),
      hits: r.hits.length, complete: r.complete,
      top: top.map(d => d.title + (d.heading.length ? " › " + d.heading.map(p => p[0]).join("") : "") + " -> " + d.url) }));
  }
})();
