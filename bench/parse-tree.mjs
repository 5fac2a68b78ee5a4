#!/usr/bin/env node
// parse-tree: the parse-only process, twin of shared/anchors/hcl-go (hclparse-go). Walks DIR,
// reads every .tf file as UTF-8, parses it with parseHcl, keeps nothing, and prints
//   files=N bytes=N parse_errors=N
//   max_rss_kb=N
// Usage: node bench/parse-tree.mjs DIR [-v]
// The parser comes from dist/index.js (run `npm run build`); HCL_PARSER_MODULE overrides
// it with the path of another module exporting parseHcl.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot, walkFiles } from "./lib.mjs";

const dir = process.argv[2];
const verbose = process.argv[3] === "-v";
if (!dir) {
  console.error("usage: node bench/parse-tree.mjs DIR [-v]");
  process.exit(2);
}
const modPath = path.resolve(process.env.HCL_PARSER_MODULE ?? path.join(repoRoot, "dist", "index.js"));
let parseHcl;
try {
  ({ parseHcl } = await import(pathToFileURL(modPath).href));
} catch (e) {
  console.error(`cannot load the parser from ${modPath} (run \`npm run build\`): ${e.message}`);
  process.exit(2);
}
if (typeof parseHcl !== "function") {
  console.error(`${modPath} does not export parseHcl`);
  process.exit(2);
}

let files = 0;
let bytes = 0;
let bad = 0;
walkFiles(dir, ".tf", (p) => {
  let buf;
  try {
    buf = fs.readFileSync(p);
  } catch {
    return;
  }
  files++;
  bytes += buf.length;
  const file = parseHcl(buf.toString("utf8"), p);
  const diags = file.diagnostics;
  for (let i = 0; i < diags.length; i++) {
    if (diags[i].severity === "error") {
      bad++;
      if (verbose) {
        for (const d of diags) {
          if (d.severity === "error") console.log(`error: ${p}:${d.range.start.line}:${d.range.start.column}: ${d.message}`);
        }
      }
      break;
    }
  }
});
console.log(`files=${files} bytes=${bytes} parse_errors=${bad}`);
console.log(`max_rss_kb=${process.resourceUsage().maxRSS}`);
