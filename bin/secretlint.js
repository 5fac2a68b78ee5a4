#!/usr/bin/env node
// The command line's entry: checks the Node version and answers `--version` before loading
// the tool (dist/cli.js, one bundled file; `npm run build` makes it). Written so that an old
// Node reads it without a syntax error and prints one line instead. On Node 22 and later,
// Node's compile cache (in the temporary directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off)
// spares later runs most of the bundle's compile.
import { readFileSync } from "node:fs";
import module from "node:module";
import v8 from "node:v8";

const major = Number(process.versions.node.split(".")[0]);
const args = process.argv.slice(2);
if (major < 20) {
  process.stderr.write(`secretlint: Node.js ${process.versions.node} is not supported; install Node.js 20, 22 or 24 (the versions secretlint is tested on)\n`);
  process.exitCode = 2;
} else if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  process.stdout.write(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version + "\n");
} else {
  // A scan keeps little (its inventory) but makes much on the way (syntax trees, values), and
  // V8 lets the heap grow to four times what survived the last full collection before the next
  // one: on a large tree, most of the process's memory is garbage waiting. Twice is enough for
  // one command's run (on the ×10 benchmark tree: peak about 337 → 247 MB, for more collections:
  // up to a tenth more CPU in one measurement, within noise in the next; see bench/scan.mjs).
  // A value given to Node itself wins.
  if (!process.execArgv.some((a) => a.includes("heap-growing-percent"))) v8.setFlagsFromString("--heap-growing-percent=100");
  module.enableCompileCache?.();
  import("../dist/cli.js").catch((err) => {
    if (err?.code !== "ERR_MODULE_NOT_FOUND" || !String(err.url ?? err.message).includes("/dist/cli.js")) throw err;
    process.stderr.write("secretlint: dist/cli.js is missing: run `npm run build` in the secretlint checkout\n");
    process.exitCode = 2;
  });
}
