#!/usr/bin/env node
// bench:live — `secretlint audit --live` against the loopback emulator (test/aws/emulator.ts):
// an account of 1,000 secrets and 300 IAM principals, 20 ms latency on every answer, and
// GetResourcePolicy limited to 50 requests a second per region (beyond it: ThrottlingException).
//
// The audit runs as the real CLI (dist/, a child process: start-up included in the wall
// time); the emulator, in this process, counts every request by API. Printed: the calls made
// by API (retries included), the minimum the audit needs (1 GetCallerIdentity, the IAM pages,
// the ListSecrets pages, one GetResourcePolicy per secret, and with --read-values one
// BatchGetSecretValue per 20 secrets), the retries, and the wall time against the rate-limit
// floor (secrets / 50 s: GetResourcePolicy cannot go faster). SPEC §8: calls within 5 % of the
// minimum, wall within 1.15× the floor.
//
// Usage: node bench/live.mjs [--secrets N] [--principals N] [--latency MS] [--limit N] [--runs N] [--read-values]
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { repoRoot } from "./lib.mjs";

function usage(msg) {
  if (msg) console.error(msg);
  console.error("usage: node bench/live.mjs [--secrets N] [--principals N] [--latency MS] [--limit N] [--runs N] [--read-values]");
  process.exit(2);
}

const opts = { secrets: 1000, principals: 300, latency: 20, limit: 50, runs: 1, readValues: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const num = (name) => {
    const v = Number(argv[++i]);
    if (!Number.isFinite(v) || v < 0) usage(`${name} takes a number`);
    return v;
  };
  if (a === "--secrets") opts.secrets = num(a);
  else if (a === "--principals") opts.principals = num(a);
  else if (a === "--latency") opts.latency = num(a);
  else if (a === "--limit") opts.limit = num(a);
  else if (a === "--runs") opts.runs = Math.max(1, num(a));
  else if (a === "--read-values") opts.readValues = true;
  else if (a === "-h" || a === "--help") usage();
  else usage(`unknown argument: ${a}`);
}

const bin = path.join(repoRoot, "bin", "secretlint.js");
if (!fs.existsSync(path.join(repoRoot, "dist", "cli.js"))) usage("dist/ is missing: run `npm run build` (npm run bench:live does)");

/** The emulator and the account builders are TypeScript (test/aws/): transpiled here, as they are. */
async function loadTestModules() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-bench-live-"));
  for (const name of ["emulator", "accounts"]) {
    const src = fs.readFileSync(path.join(repoRoot, "test", "aws", `${name}.ts`), "utf8");
    const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
    fs.writeFileSync(path.join(out, `${name}.js`), js);
  }
  const emulator = await import(pathToFileURL(path.join(out, "emulator.js")).href);
  const accounts = await import(pathToFileURL(path.join(out, "accounts.js")).href);
  return { ...emulator, ...accounts, cleanup: () => fs.rmSync(out, { recursive: true, force: true }) };
}

function runCli(args, env) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr, wall: Number(process.hrtime.bigint() - t0) / 1e9 }));
  });
}

const m = await loadTestModules();
const account = m.largeAccount(opts.secrets, opts.principals);
const emu = new m.Emulator(account, { latencyMs: opts.latency, rateLimits: { GetResourcePolicy: opts.limit } });
await emu.start();

const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_"))),
  AWS_ACCESS_KEY_ID: "AKIDBENCH",
  AWS_SECRET_ACCESS_KEY: "bench-secret",
  AWS_CONFIG_FILE: path.join(os.tmpdir(), "secretlint-bench-no-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), "secretlint-bench-no-aws-credentials"),
  AWS_EC2_METADATA_DISABLED: "true",
  NO_COLOR: "1",
};

const iamItems = account.principals.length + account.policies.length;
const perPage = Math.min(1000, emu.iamPageSize);
const minimum = {
  GetCallerIdentity: 1,
  GetAccountAuthorizationDetails: Math.max(1, Math.ceil(iamItems / perPage)),
  ListSecrets: Math.max(1, Math.ceil(opts.secrets / 100)),
  GetResourcePolicy: opts.secrets,
  ...(opts.readValues ? { BatchGetSecretValue: Math.ceil(opts.secrets / 20) } : {}),
};
const minTotal = Object.values(minimum).reduce((a, b) => a + b, 0);
const floor = opts.secrets / opts.limit;

console.log(
  `bench:live — ${opts.secrets} secrets, ${opts.principals} IAM principals (+${account.policies.length} managed policies), ${opts.latency} ms latency, GetResourcePolicy limited to ${opts.limit}/s${opts.readValues ? ", --read-values" : ""}`,
);
let failed = false;
try {
  for (let run = 1; run <= opts.runs; run++) {
    emu.resetStats();
    const args = ["audit", "--live", "--regions", "us-east-1", "--endpoint-url", emu.url, "-f", "json", "-o", os.devNull, "--fail-on", "never", ...(opts.readValues ? ["--read-values"] : [])];
    const r = await runCli(args, env);
    if (r.code !== 0) {
      console.error(`run ${run}: the audit exited ${r.code}\n${r.stderr}`);
      failed = true;
      break;
    }
    const rows = Object.entries(emu.stats).sort((a, b) => b[1].requests - a[1].requests);
    const total = emu.totalRequests();
    const retries = rows.reduce((n, [, s]) => n + s.throttled + s.serverErrors + s.hung, 0);
    console.log(`\nrun ${run}/${opts.runs}`);
    console.log("  API                                requests  minimum  throttled  5xx");
    for (const [api, s] of rows) {
      console.log(`  ${api.padEnd(34)} ${String(s.requests).padStart(8)} ${String(minimum[api] ?? "-").padStart(8)} ${String(s.throttled).padStart(10)} ${String(s.serverErrors).padStart(4)}`);
    }
    const callRatio = total / minTotal;
    const wallRatio = r.wall / floor;
    const callsOk = callRatio <= 1.05;
    const wallOk = wallRatio <= 1.15;
    console.log(`  calls   ${total} made, ${minTotal} needed, ${retries} retries: ${callRatio.toFixed(3)}× the minimum (target ≤ 1.05) ${callsOk ? "ok" : "FAIL"}`);
    console.log(`  wall    ${r.wall.toFixed(2)} s (whole process), rate-limit floor ${floor.toFixed(2)} s: ${wallRatio.toFixed(3)}× (target ≤ 1.15) ${wallOk ? "ok" : "FAIL"}`);
    if (!callsOk || !wallOk) failed = true;
  }
} finally {
  await emu.stop();
  m.cleanup();
}
process.exitCode = failed ? 1 : 0;
