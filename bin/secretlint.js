#!/usr/bin/env node
// `--version` needs no module of the tool: answer it before loading anything.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  process.stdout.write(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version + "\n");
} else {
  await import("../dist/src/cli/main.js");
}
