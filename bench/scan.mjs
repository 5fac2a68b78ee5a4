#!/usr/bin/env node
// bench:scan — SPEC section 8's scan figures: `secretlint scan --format sarif -o /dev/null`
// end to end on the large tree against HashiCorp's Go parser only parsing it (target: at most
// half its wall time, peak memory at most 250 MB), and start-up (`--version` under 100 ms,
// a 10-file scan under 250 ms). Whole processes, interleaved, medians.
//
// Usage: node bench/scan.mjs [--runs N]
//   HCL_GO_ANCHOR  path of the hclparse-go binary (default /tmp/hclparse-go)
import fs from "node:fs";
import path from "node:path";
import { ensureLargeTree, fmt, hasGnuTime, median, repoRoot, timeProcess } from "./lib.mjs";

let runs = 3;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--runs") runs = Number(argv[++i]);
  else {
    console.error("usage: node bench/scan.mjs [--runs N]");
    process.exit(2);
  }
}
const bin = path.join(repoRoot, "bin", "secretlint.js");
const tree = path.join(repoRoot, ".bench", "large-tree");
ensureLargeTree(tree, 10);
const anchor = process.env.HCL_GO_ANCHOR ?? "/tmp/hclparse-go";
const haveAnchor = fs.existsSync(anchor);
const useTime = hasGnuTime();
if (!haveAnchor) console.log(`Go anchor not found at ${anchor}: build it with ../shared/anchors/hcl-go/build.sh (timing ours alone)`);

const scanArgs = [bin, "scan", tree, "--format", "sarif", "-o", "/dev/null", "--fail-on", "never"];
const ours = [];
const go = [];
timeProcess(process.execPath, scanArgs, { useTime }); // warm-up
if (haveAnchor) timeProcess(anchor, [tree], { useTime });
for (let r = 0; r < runs; r++) {
  ours.push(timeProcess(process.execPath, scanArgs, { useTime }));
  if (haveAnchor) go.push(timeProcess(anchor, [tree], { useTime }));
  console.log(`  run ${r + 1}: scan ${fmt(ours[r].wall, 3)} s ${ours[r].rssKb ? Math.round(ours[r].rssKb / 1024) + " MB" : ""}` + (haveAnchor ? ` | go parse ${fmt(go[r].wall, 3)} s` : ""));
}
const small = path.join(repoRoot, "fixtures", "examples", "quickstart");
const version = [];
const smallScan = [];
for (let r = 0; r < 7; r++) {
  version.push(timeProcess(process.execPath, [bin, "--version"]).wall);
  smallScan.push(timeProcess(process.execPath, [bin, "scan", small, "-q", "--fail-on", "never"]).wall);
}
const scanWall = median(ours.map((x) => x.wall));
const scanRss = ours[0].rssKb ? median(ours.map((x) => x.rssKb)) / 1024 : null;
const goWall = haveAnchor ? median(go.map((x) => x.wall)) : null;
console.log(`scan of the large tree: median ${fmt(scanWall, 3)} s, peak ${scanRss ? Math.round(scanRss) + " MB" : "n/a"} (target <= 250 MB)`);
if (goWall) console.log(`Go parse only: median ${fmt(goWall, 3)} s; scan / go parse = ${fmt(scanWall / goWall, 2)} (target <= 0.50)`);
console.log(`start-up: --version median ${fmt(median(version) * 1000, 0)} ms (target < 100); scan of the quick-start example ${fmt(median(smallScan) * 1000, 0)} ms (target < 250)`);
console.log(
  JSON.stringify({
    bench: "scan",
    scan_wall_s: scanWall,
    scan_peak_rss_mb: scanRss,
    go_parse_wall_s: goWall,
    scan_over_go: goWall ? scanWall / goWall : null,
    version_ms: median(version) * 1000,
    small_scan_ms: median(smallScan) * 1000,
  }),
);
