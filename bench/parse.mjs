#!/usr/bin/env node
// bench:parse — parse throughput of our HCL parser against HashiCorp's Go parser
// (shared/anchors/hcl-go) on the large tree (shared/bench/make-large-tree.sh OUT 10).
//
// Both sides are timed as whole processes (start-up, walk, read, parse, exit) on the same
// tree in the same run, interleaved (ours, go, ours, go, …) after one warm-up of each, one
// child at a time. Wall time: process.hrtime around spawnSync. Peak memory: GNU time's %M
// when /usr/bin/time is there, else our own max_rss_kb report (and n/a for Go).
//
// Usage: node bench/parse.mjs [--runs N] [--build-anchor] [--copies N]
//   HCL_GO_ANCHOR   path of the hclparse-go binary (default /tmp/hclparse-go)
//   HCL_PARSER_MODULE  module exporting parseHcl (default dist/index.js)
//   SHARED_DIR      the shared/ folder (default ../shared beside the repository)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensureLargeTree, fmt, hasGnuTime, median, parseKv, repoRoot, sharedDir, timeProcess } from "./lib.mjs";

function usage(msg) {
  if (msg) console.error(msg);
  console.error("usage: node bench/parse.mjs [--runs N] [--build-anchor] [--copies N]");
  process.exit(2);
}

let runs = 5;
let copies = 10;
let buildAnchor = false;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--runs") runs = Number(argv[++i]);
  else if (a.startsWith("--runs=")) runs = Number(a.slice(7));
  else if (a === "--copies") copies = Number(argv[++i]);
  else if (a.startsWith("--copies=")) copies = Number(a.slice(9));
  else if (a === "--build-anchor") buildAnchor = true;
  else if (a === "-h" || a === "--help") usage();
  else usage(`unknown argument: ${a}`);
}
if (!Number.isInteger(runs) || runs < 1) usage("--runs takes a positive integer");
if (!Number.isInteger(copies) || copies < 1) usage("--copies takes a positive integer");

const tree = path.join(repoRoot, ".bench", copies === 10 ? "large-tree" : `large-tree-${copies}`);
const anchor = path.resolve(process.env.HCL_GO_ANCHOR ?? "/tmp/hclparse-go");
const buildScript = path.join(sharedDir, "anchors", "hcl-go", "build.sh");

ensureLargeTree(tree, copies);

if (!fs.existsSync(anchor) && buildAnchor) {
  console.log(`building the Go anchor with ${buildScript} ${anchor} (installs Go and HCL from Debian; takes minutes) ...`);
  const r = spawnSync("bash", [buildScript, anchor], { stdio: "inherit" });
  if (r.status !== 0) console.log(`building the Go anchor failed (exit ${r.status}); measuring ours alone`);
}
const haveGo = fs.existsSync(anchor);
if (!haveGo) {
  console.log(`Go anchor not found at ${anchor}: build it with \`bash ${path.relative(repoRoot, buildScript)}\` ` +
    `(or pass --build-anchor; HCL_GO_ANCHOR sets its path). Measuring ours alone.`);
}

const useTime = hasGnuTime();
const memSource = useTime ? "GNU time (/usr/bin/time -f %M)" : "our own process.resourceUsage().maxRSS (no /usr/bin/time; Go: n/a)";

const ourCmd = [process.execPath, [path.join(repoRoot, "bench", "parse-tree.mjs"), tree]];
const goCmd = [anchor, [tree]];

function runOurs() {
  const r = timeProcess(ourCmd[0], ourCmd[1], { useTime });
  const kv = parseKv(r.stdout);
  if (kv.files == null) throw new Error(`unexpected output from parse-tree.mjs:\n${r.stdout}\n${r.stderr}`);
  return { wall: r.wall, cpu: r.cpu, rssKb: r.rssKb ?? kv.max_rss_kb ?? null, files: kv.files, bytes: kv.bytes, errors: kv.parse_errors };
}
function runGo() {
  const r = timeProcess(goCmd[0], goCmd[1], { useTime });
  const kv = parseKv(r.stdout);
  if (kv.files == null) throw new Error(`unexpected output from ${anchor}:\n${r.stdout}\n${r.stderr}`);
  return { wall: r.wall, cpu: r.cpu, rssKb: r.rssKb, files: kv.files, bytes: kv.bytes, errors: kv.parse_errors };
}

console.log(`tree: ${path.relative(repoRoot, tree)} (${copies} copies of the corpus)`);
console.log(`runs: ${runs} interleaved after 1 warm-up each, one process at a time; peak RSS from ${memSource}`);

// Warm-up (page cache, binaries): not counted.
const warmOurs = runOurs();
const warmGo = haveGo ? runGo() : null;

const mb = (kb) => (kb == null ? "n/a" : `${fmt(kb / 1024, 0)} MB`);
const ours = [];
const go = [];
for (let i = 0; i < runs; i++) {
  ours.push(runOurs());
  if (haveGo) go.push(runGo());
  const o = ours[i];
  const g = go[i];
  console.log(`  run ${i + 1}: ours ${fmt(o.wall, 3)} s ${mb(o.rssKb)}` + (g ? ` | go ${fmt(g.wall, 3)} s ${mb(g.rssKb)}` : ""));
}

function summarise(samples, warm) {
  const wall = median(samples.map((s) => s.wall));
  const rssKb = median(samples.map((s) => s.rssKb));
  const cpu = median(samples.map((s) => s.cpu));
  return {
    files: warm.files,
    bytes: warm.bytes,
    parse_errors: warm.errors,
    wall_s: wall,
    mb_per_s: warm.bytes / 1e6 / wall,
    cpu_s: cpu,
    peak_rss_mb: rssKb == null ? null : rssKb / 1024,
  };
}

const o = summarise(ours, warmOurs);
const g = haveGo ? summarise(go, warmGo) : null;
const wallRatio = g ? g.wall_s / o.wall_s : null;
const memRatio = g && g.peak_rss_mb != null && o.peak_rss_mb != null ? o.peak_rss_mb / g.peak_rss_mb : null;

console.log("");
console.log(`files: ${o.files}   bytes: ${o.bytes} (${fmt(o.bytes / 1e6, 1)} MB)`);
const row = (name, s) =>
  `${name.padEnd(5)} median wall ${fmt(s.wall_s, 3)} s   ${fmt(s.mb_per_s, 2)} MB/s   cpu ${fmt(s.cpu_s, 2)} s   median peak RSS ${s.peak_rss_mb == null ? "n/a" : `${fmt(s.peak_rss_mb, 0)} MB`}   parse_errors ${s.parse_errors}`;
console.log(row("ours", o));
if (g) {
  console.log(row("go", g));
  console.log(`throughput ratio go_wall/our_wall: ${fmt(wallRatio, 2)}x   (target >= 3.00: ${wallRatio >= 3 ? "met" : "NOT met"})`);
  console.log(`memory ratio our_rss/go_rss: ${fmt(memRatio, 2)}   (target < 1.00: ${memRatio == null ? "n/a" : memRatio < 1 ? "met" : "NOT met"})`);
  if (g.files !== o.files || g.bytes !== o.bytes) {
    console.log(`WARNING: the two sides saw different input (go: files=${g.files} bytes=${g.bytes})`);
  }
}
if (o.parse_errors !== 0) {
  console.log(`FAIL: our parser reported errors in ${o.parse_errors} file(s) of the corpus (see: node bench/parse-tree.mjs ${path.relative(repoRoot, tree)} -v)`);
  process.exitCode = 1;
}

const round = (x, d) => (x == null ? null : Number(x.toFixed(d)));
const side = (s) => s && {
  wall_s: round(s.wall_s, 4),
  mb_per_s: round(s.mb_per_s, 2),
  cpu_s: round(s.cpu_s, 2),
  peak_rss_mb: round(s.peak_rss_mb, 1),
  parse_errors: s.parse_errors,
};
console.log(JSON.stringify({
  bench: "parse",
  files: o.files,
  bytes: o.bytes,
  runs,
  rss_source: useTime ? "gnu-time" : "self",
  ours: side(o),
  go: side(g),
  go_wall_over_our_wall: round(wallRatio, 3),
  our_rss_over_go_rss: round(memRatio, 3),
}));
