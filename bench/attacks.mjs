// The hostile-input attacks of issue 11, each beside a good module (or a good live finding)
// whose one finding must survive: runs each attack through one or more builds of the CLI and
// prints a table: exit code, wall time, peak RSS (/usr/bin/time -v) and whether the good
// finding was kept, with notes (a hang killed, an internal error, raw control characters in
// the output, the canary leaked).
//
//   node bench/attacks.mjs [--bin NAME=path/to/bin/secretlint.js ...] [--only SUBSTRING] [--timeout S] [--max-rss MB]
//
// Default: this checkout's bin. Each run is capped (default 60 s and 4,096 MB: a run past a cap
// is killed and shown as such), so a "before" build that hangs or grows does not take the
// machine. Inputs are generated in a temporary directory and removed afterwards; the live
// attacks run against the loopback emulator (test/aws/emulator.ts, bundled with esbuild here).

import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./lib.mjs";

// ---------------------------------------------------------------- arguments

const args = process.argv.slice(2);
const bins = [];
let only = null;
let timeoutS = 60;
let maxRssMb = 4096;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--bin") {
    const [name, p] = args[++i].split("=");
    bins.push({ name, bin: path.resolve(p) });
  } else if (args[i] === "--only") only = args[++i];
  else if (args[i] === "--timeout") timeoutS = Number(args[++i]);
  else if (args[i] === "--max-rss") maxRssMb = Number(args[++i]);
}
if (bins.length === 0) bins.push({ name: "this", bin: path.join(repoRoot, "bin", "secretlint.js") });

// ---------------------------------------------------------------- the emulator

async function loadEmulator() {
  const { build } = await import("esbuild");
  const out = path.join(os.tmpdir(), `secretlint-attacks-emu-${process.pid}.mjs`);
  const entry = path.join(os.tmpdir(), `secretlint-attacks-entry-${process.pid}.ts`);
  fs.writeFileSync(entry, `export { Emulator } from ${JSON.stringify(path.join(repoRoot, "test/aws/emulator.ts"))};\nexport { emulatedAccount, CLEAN } from ${JSON.stringify(path.join(repoRoot, "test/aws/accounts.ts"))};\n`);
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile: out, logLevel: "silent" });
  const mod = await import(pathToFileURL(out).href);
  fs.rmSync(out, { force: true });
  fs.rmSync(entry, { force: true });
  return mod;
}

// ---------------------------------------------------------------- inputs

const GOOD = 'resource "aws_secretsmanager_secret" "good" {\n  name                    = "app/good"\n  recovery_window_in_days = 0\n}\n';
const CANARY = "CANARY-ENV-7d3a91";
const FORGED = "main.tf:1:1  error  forged finding  sym/forged";

function tree(files = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-attack-"));
  fs.chmodSync(dir, 0o755);
  write(dir, { "good/main.tf": GOOD, ...files });
  return dir;
}
function write(dir, files) {
  for (const [name, body] of Object.entries(files)) {
    const f = path.join(dir, name);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, body);
  }
}
const fifo = (dir, name) => {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  execFileSync("mkfifo", [path.join(dir, name)]);
};
const secretWithTag = (expr) => `resource "aws_secretsmanager_secret" "x" {\n  name = "x"\n  tags = { a = ${expr} }\n}\n`;
const big = (prefix) => Buffer.concat([Buffer.from(prefix), Buffer.alloc(8 * 1024 * 1024 + 1 - prefix.length, 0x20)]);

/** Each attack: a tree and the command's arguments (cwd: the tree). `kind` says what "kept" means. */
const scan = (files, extra = [], setup) => () => {
  const dir = tree(files);
  setup?.(dir);
  return { dir, args: ["scan", ".", "-f", "json", ...extra] };
};

function moduleFanOut(levels) {
  const files = { "fan/main.tf": 'module "m" {\n  source = "./m0"\n  count = 2\n}\n' };
  for (let i = 0; i < levels; i++) {
    files[`fan/m${i}/main.tf`] = i + 1 < levels ? `module "m" {\n  source = "../m${i + 1}"\n  count = 2\n}\nresource "aws_secretsmanager_secret" "s" {\n  name = "s${i}"\n}\n` : 'resource "aws_secretsmanager_secret" "s" {\n  name = "leaf"\n}\n';
  }
  return files;
}

function manySecrets(n, root) {
  let s = "";
  for (let i = 0; i < n; i++) s += `resource "aws_secretsmanager_secret" "s${i}" {\n  name = "${root}/s${i}"\n}\nresource "sym_secret" "s${i}" {\n  path = aws_secretsmanager_secret.s${i}.name\n  source_id = "x"\n}\n`;
  return s;
}

function bigSnapshot(n) {
  const example = JSON.parse(fs.readFileSync(path.join(repoRoot, "fixtures/snapshots/example/snapshot.json"), "utf8"));
  const base = example.secrets.find((s) => s.name.startsWith("sym/")) ?? example.secrets[0];
  for (let i = 0; i < n; i++) {
    const name = i % 2 ? `sym/prod/s${i}` : `apono/prod/s${i}`;
    example.secrets.push({ ...base, name, arn: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}-Ab12Cd`, tags: i % 2 ? { SymEnv: "prod" } : { "apono-connector-read": "true" } });
  }
  return JSON.stringify(example);
}

function aliasBomb() {
  let b = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  let prev = "a";
  for (let i = 0; i < 9; i++) {
    b += `b${i}: &b${i} [${Array(9).fill(`*${prev}`).join(", ")}]\n`;
    prev = `b${i}`;
  }
  return b;
}

const pyDoubling = (fstring) => {
  let s = 'from flytekit import Secret\nA0 = "ab"\n';
  for (let i = 0; i < 30; i++) s += fstring ? `A${i + 1} = f"{A${i}}{A${i}}"\n` : `A${i + 1} = A${i} + A${i}\n`;
  return s + 'S = Secret(group=A30, key="k")\n';
};

/** A billion iterations that build nothing (only a step budget stops them). */
const emptyLoops = "length([for i in range(1000) : [for j in range(1000) : [for k in range(1000) : k if false]]])";

const ATTACKS = [
  // --- hangs and unbounded memory
  ["FIFO named x.tf", scan({ "bad/main.tf": 'resource "aws_x" "y" {}\n' }, [], (d) => fifo(d, "bad/x.tf"))],
  ["FIFO named x.tf.json", scan({ "bad/main.tf": 'resource "aws_x" "y" {}\n' }, [], (d) => fifo(d, "bad/x.tf.json"))],
  ["FIFO named terraform.tfvars", scan({ "bad/main.tf": 'variable "v" {}\n' }, [], (d) => fifo(d, "bad/terraform.tfvars"))],
  ["link z.tf -> /dev/zero", scan({}, [], (d) => (fs.mkdirSync(path.join(d, "bad")), fs.symlinkSync("/dev/zero", path.join(d, "bad/z.tf"))))],
  ['file("/dev/zero")', scan({ "bad/main.tf": secretWithTag('file("/dev/zero")') })],
  ['filesha256("/dev/urandom")', scan({ "bad/main.tf": secretWithTag('filesha256("/dev/urandom")') })],
  ["--var-file /dev/zero", scan({}, ["--var-file", "/dev/zero"])],
  ["link to /", scan({}, [], (d) => fs.symlinkSync("/", path.join(d, "machine")))],
  ["link to /proc", scan({}, [], (d) => fs.symlinkSync("/proc", path.join(d, "proc")))],
  ['regex("(a+)+$", "aaa…!")', scan({ "bad/main.tf": secretWithTag(`regex("(a+)+$", "${"a".repeat(40)}!")`) })],
  ['regexall("(a+)+$", …)', scan({ "bad/main.tf": secretWithTag(`length(regexall("(a+)+$", "${"a".repeat(40)}!"))`) })],
  ['replace(…, "/(a+)+$/", …)', scan({ "bad/main.tf": secretWithTag(`replace("${"a".repeat(40)}!", "/(a+)+$/", "b")`) })],
  ['can(regex("(a+)+$", …))', scan({ "bad/main.tf": secretWithTag(`can(regex("(a+)+$", "${"a".repeat(40)}!"))`) })],
  ["heredoc of 8,000 lines", scan({ "bad/main.tf": `locals {\n  h = <<EOT\n${"αβγ line\n".repeat(8000)}EOT\n}\n${secretWithTag("local.h")}` })],
  ["2 roots × 4,000 secrets", scan({ "r1/main.tf": manySecrets(4000, "r1"), "r2/main.tf": manySecrets(4000, "r2") })],
  ["for_each over 100k keys", scan({ "bad/main.tf": 'resource "aws_secretsmanager_secret" "x" {\n  for_each = toset(flatten([for a in range(100) : [for b in range(1000) : "k${a}-${b}"]]))\n  name = each.key\n}\n' })],
  ["13-level module fan-out (8,192)", scan(moduleFanOut(13))],
  ["count = 1e6", scan({ "bad/main.tf": 'resource "aws_secretsmanager_secret" "x" {\n  count = 1000000\n  name = "x${count.index}"\n}\n' })],
  ["count = 1e9", scan({ "bad/main.tf": 'resource "aws_secretsmanager_secret" "x" {\n  count = 1000000000\n  name = "x${count.index}"\n}\n' })],
  ["tfvars: a billion empty loop iterations", scan({ "bad/main.tf": 'variable "n" {}\n', "bad/terraform.tfvars": `n = ${emptyLoops}\n` })],
  ["terragrunt.hcl: a billion empty loop iterations", scan({ "bad/main.tf": 'variable "n" {}\n', "bad/terragrunt.hcl": `locals {\n  n = ${emptyLoops}\n}\ninputs = { n = local.n }\n` })],
  ["link a/x -> ../good walked before good/", scan({}, [], (d) => (fs.mkdirSync(path.join(d, "a")), fs.symlinkSync("../good", path.join(d, "a/x"))))],
  ["20k aws_secret_var on one line", scan({ "mage/io_config.yml": `default:\n  AWS_SECRET_ACCESS_KEY: "${"{{ aws_secret_var('s') }}".repeat(20000)}"\n` })],
  ["Python constants doubling (f-strings)", scan({ "flyte/task.py": pyDoubling(true) })],
  // --- crashes
  ["5,000-term 1+1+…", scan({ "bad/main.tf": secretWithTag(Array(5000).fill("1").join("+")) })],
  ["5,000 .x steps", scan({ "bad/main.tf": `locals { o = {} }\n${secretWithTag("local.o" + ".x".repeat(5000))}` })],
  ["5,000 [0] steps", scan({ "bad/main.tf": `locals { o = [] }\n${secretWithTag("local.o" + "[0]".repeat(5000))}` })],
  ["5,000 .x steps in .tf.json", scan({ "bad/main.tf.json": JSON.stringify({ resource: { aws_secretsmanager_secret: { x: { name: "x", tags: { a: "${local.o" + ".x".repeat(5000) + "}" } } } }, locals: { o: {} } }) })],
  ["flytekit A=A+A, 30 levels", scan({ "flyte/task.py": pyDoubling(false) })],
  ["deep tfvars JSON", scan({ "bad/main.tf": 'variable "v" {}\n', "bad/terraform.tfvars.json": `{"v": ${"[".repeat(100000)}${"]".repeat(100000)}}` })],
  ["deep config YAML", scan({ "secretlint.config.yaml": `rules: ${"[".repeat(50000)}${"]".repeat(50000)}\n` })],
  ["deep io_config.yml", scan({ "mage/io_config.yml": `default: ${"[".repeat(50000)}${"]".repeat(50000)}\n` })],
  // --- leaks
  ['SymEnv = file("/proc/self/environ")', scan({ "sym/main.tf": 'resource "aws_secretsmanager_secret" "db" {\n  name = "app/db"\n  tags = { SymEnv = file("/proc/self/environ") }\n}\nresource "sym_secret" "db" {\n  path = aws_secretsmanager_secret.db.name\n  source_id = "x"\n}\n' }, ["-f", "sarif"])],
  ['templatefile("/etc/passwd", {})', scan({ "bad/main.tf": secretWithTag('templatefile("/etc/passwd", {})') }, ["-f", "text"])],
  // --- terminal injection
  ["github: ESC/BEL in strings and file names", scan({ "bad/main.tf": `resource "aws_secretsmanager_secret" "x" {\n  name = "x\\u001b[2J\\u0007"\n  recovery_window_in_days = 0\n}\n` }, ["-f", "github"], (d) => write(d, { "e\x1b]0;t\x07/main.tf": 'resource "aws_secretsmanager_secret" "e" {\n  name = "e"\n  recovery_window_in_days = 0\n}\n' }))],
  ["text: LF in a secret name forges a line", scan({ "bad/main.tf": `resource "aws_secretsmanager_secret" "x" {\n  name = "x\\n${FORGED}"\n  recovery_window_in_days = 0\n}\n` }, ["-f", "text"])],
  // --- lost without a notice
  [".py over 8 MB", scan({ "flyte/big.py": big("from flytekit import Secret\n") })],
  [".env over 8 MB", scan({ "app/.env": big("A=1\n") })],
  ["modules calling each other", scan({ "a/main.tf": 'module "b" {\n  source = "../b"\n}\nresource "aws_secretsmanager_secret" "a" {\n  name = "a"\n  recovery_window_in_days = 0\n}\n', "b/main.tf": 'module "a" {\n  source = "../a"\n}\n' })],
  ["unreadable directory", scan({ "locked/main.tf": 'resource "aws_x" "y" {}\n' }, [], (d) => fs.chmodSync(path.join(d, "locked"), 0))],
  // --- unclear
  ["-o DIR", scan({}, ["-o", "good"])],
  ["-o missing/report", scan({}, ["-o", "missing/report.json"])],
  ["-o unwritable", scan({}, ["-o", "/proc/version"])],
  ["--write-baseline DIR", scan({}, ["--write-baseline", "good"])],
  ["--sarif-file DIR", scan({}, ["--sarif-file", "good"])],
  ["baseline with a null entry", scan({ "b.json": '{"version": 1, "tool": "secretlint", "findings": [null]}' }, ["--baseline", "b.json"])],
  ["config YAML alias bomb", scan({ "secretlint.config.yaml": aliasBomb() })],
];

/** Live attacks: emulator faults; the good finding is apono/read-tag-value on apono/prod/postgres. */
const LIVE = [
  ["ListSecrets repeats its NextToken", { repeatPageToken: ["ListSecrets"] }],
  ["GetAccountAuthorizationDetails repeats its Marker", { repeatPageToken: ["GetAccountAuthorizationDetails"] }],
  ["BatchGetSecretValue repeats its NextToken", { repeatPageToken: ["BatchGetSecretValue"] }, ["--read-values"]],
  ["GetResourcePolicy body trickles (--timeout 2)", { trickle: { apis: ["GetResourcePolicy"], intervalMs: 1000 } }, ["--timeout", "2"]],
  ["HTTP 502 with an HTML body", { htmlErrors: ["GetResourcePolicy"] }],
  ["unparseable STS reply", { garbageBodies: ["GetCallerIdentity"] }],
  ["error codes with ESC on stderr", { deny: ["GetResourcePolicy"], deniedCode: "Denied\x1b[2J\x07" }],
];

// ---------------------------------------------------------------- running

function children(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Runs the CLI under /usr/bin/time -v, capped in time and RSS. */
function run(bin, argv, cwd, env = {}) {
  return new Promise((resolve) => {
    const outFile = path.join(os.tmpdir(), `secretlint-attack-out-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const out = fs.openSync(outFile + ".out", "w");
    const err = fs.openSync(outFile + ".err", "w");
    const started = performance.now();
    const child = spawn("/usr/bin/time", ["-v", process.execPath, bin, ...argv], { cwd, env: { ...process.env, NO_COLOR: "1", [CANARY.split("-")[0] + "_CANARY"]: CANARY, ...env }, stdio: ["ignore", out, err] });
    let killed = null;
    const watch = setInterval(() => {
      for (const pid of children(child.pid)) {
        if (rssKb(pid) > maxRssMb * 1024) {
          killed = `killed over ${maxRssMb} MB`;
          try {
            process.kill(pid, "SIGKILL");
          } catch {}
        }
      }
      if (performance.now() - started > timeoutS * 1000) {
        killed = `killed after ${timeoutS} s`;
        for (const pid of children(child.pid)) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {}
        }
      }
    }, 50);
    child.on("exit", () => {
      clearInterval(watch);
      const wall = (performance.now() - started) / 1000;
      fs.closeSync(out);
      fs.closeSync(err);
      const stdout = fs.readFileSync(outFile + ".out", "utf8");
      const stderrAll = fs.readFileSync(outFile + ".err", "utf8");
      fs.rmSync(outFile + ".out");
      fs.rmSync(outFile + ".err");
      // /usr/bin/time's report follows the program's stderr.
      const at = stderrAll.lastIndexOf("\tCommand being timed:");
      const stderr = at >= 0 ? stderrAll.slice(0, at) : stderrAll;
      const report = at >= 0 ? stderrAll.slice(at) : "";
      const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1] ?? 0);
      const status = /Exit status: (\d+)/.exec(report)?.[1];
      const signal = /Command terminated by signal (\d+)/.exec(report)?.[1];
      resolve({ code: killed ? "killed" : signal ? `sig${signal}` : status ?? "?", wall, rssMb: Math.round(rss / 1024), stdout, stderr, killed });
    });
  });
}

function keptGood(stdout) {
  try {
    const parsed = JSON.parse(stdout);
    if (Array.isArray(parsed?.runs)) {
      // SARIF
      return parsed.runs.some((run) => (run.results ?? []).some((r) => r.ruleId === "secret/immediate-deletion" && r.locations?.some((l) => l.physicalLocation?.artifactLocation?.uri === "good/main.tf")));
    }
    const list = Array.isArray(parsed) ? parsed : parsed.findings ?? [];
    return list.some((f) => f.ruleId === "secret/immediate-deletion" && (f.file ?? f.location?.file) === "good/main.tf");
  } catch {
    // text, sarif, github: look for the place
    return /good\/main\.tf/.test(stdout) && /immediate-deletion/.test(stdout);
  }
}
const keptLive = (stdout) => /apono\/read-tag-value/.test(stdout);

// eslint-disable-next-line no-control-regex
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
function notes(r) {
  const n = [];
  if (r.killed) n.push(r.killed);
  if (/internal error|Maximum call stack|out of memory|FATAL ERROR/.test(r.stderr)) n.push("internal error / crash");
  if (r.stdout.includes(CANARY) || r.stderr.includes(CANARY) || /root:x:0:0/.test(r.stdout + r.stderr)) n.push("LEAK");
  if (RAW.test(r.stdout) || RAW.test(r.stderr)) n.push("raw control chars");
  if (r.stdout.split("\n").some((l) => l.trimStart().startsWith(FORGED))) n.push("forged line");
  if (/\$response/.test(r.stderr + r.stdout)) n.push("SDK hint");
  return n.join("; ");
}

const rows = [];
const selected = (name) => only === null || name.toLowerCase().includes(only.toLowerCase());
const asUser = process.getuid?.() === 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : null;

for (const [name, make] of ATTACKS) {
  if (!selected(name)) continue;
  const cells = [];
  for (const b of bins) {
    const { dir, args: argv } = make();
    // Permissions apply only to a non-root user: the unreadable-directory attack drops to one.
    const r = name === "unreadable directory" && asUser ? await runAs(b.bin, argv, dir) : await run(b.bin, argv, dir);
    cells.push({ ...r, kept: keptGood(r.stdout), note: notes(r) });
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
  rows.push({ name, cells });
  process.stderr.write(`${name}: ${cells.map((c) => `${c.code} ${c.wall.toFixed(1)}s ${c.rssMb}MB ${c.kept ? "kept" : "LOST"} ${c.note}`).join(" | ")}\n`);
}

async function runAs(bin, argv, dir) {
  // /usr/bin/time under setpriv: the child is the CLI as nobody.
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(asUser[0], [...asUser.slice(1), "/usr/bin/time", "-v", process.execPath, bin, ...argv], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderrAll = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderrAll += c));
    const t = setTimeout(() => child.kill("SIGKILL"), timeoutS * 1000);
    child.on("exit", () => {
      clearTimeout(t);
      const at = stderrAll.lastIndexOf("\tCommand being timed:");
      const report = at >= 0 ? stderrAll.slice(at) : "";
      resolve({
        code: /Exit status: (\d+)/.exec(report)?.[1] ?? "?",
        wall: (performance.now() - started) / 1000,
        rssMb: Math.round(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1] ?? 0) / 1024),
        stdout,
        stderr: at >= 0 ? stderrAll.slice(0, at) : stderrAll,
        killed: null,
      });
    });
  });
}

const liveSelected = LIVE.filter(([name]) => selected(name));
const snapshotSelected = selected("audit --snapshot of 20k secrets");
if (liveSelected.length > 0 || snapshotSelected) {
  const { Emulator, emulatedAccount, CLEAN } = await loadEmulator();
  for (const [name, faults, extra = []] of liveSelected) {
    const cells = [];
    for (const b of bins) {
      const emu = new Emulator(emulatedAccount({ ...CLEAN, aponoTagWrong: true }), faults);
      await emu.start();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-attack-live-"));
      const env = { AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_REGION: "us-east-1", AWS_MAX_ATTEMPTS: "2", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
      const r = await run(b.bin, ["audit", "--live", "--regions", "us-east-1", "--endpoint-url", emu.url, "-f", "text", ...extra], dir, env);
      await emu.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      cells.push({ ...r, kept: keptLive(r.stdout), note: notes(r) });
    }
    rows.push({ name: `audit: ${name}`, cells });
    process.stderr.write(`audit: ${name}: ${cells.map((c) => `${c.code} ${c.wall.toFixed(1)}s ${c.rssMb}MB ${c.kept ? "kept" : "LOST"} ${c.note}`).join(" | ")}\n`);
  }
  if (snapshotSelected) {
    const cells = [];
    for (const b of bins) {
      const dir = tree({ "snap.json": bigSnapshot(20000) });
      const r = await run(b.bin, ["audit", "--snapshot", "snap.json", "-f", "json"], dir);
      fs.rmSync(dir, { recursive: true, force: true });
      cells.push({ ...r, kept: /apono\/read-tag-value/.test(r.stdout), note: notes(r) });
    }
    rows.push({ name: "audit --snapshot of 20k secrets", cells });
    process.stderr.write(`audit --snapshot of 20k secrets: ${cells.map((c) => `${c.code} ${c.wall.toFixed(1)}s ${c.rssMb}MB ${c.note}`).join(" | ")}\n`);
  }
}

// ---------------------------------------------------------------- the table

const head = ["attack", ...bins.flatMap((b) => [`${b.name}: exit`, "time", "peak RSS", "good kept", "notes"])];
console.log(`| ${head.join(" | ")} |`);
console.log(`| ${head.map(() => "---").join(" | ")} |`);
for (const r of rows) {
  const cells = r.cells.flatMap((c) => [c.code, `${c.wall.toFixed(1)} s`, `${c.rssMb} MB`, c.kept ? "yes" : "no", c.note || ""]);
  console.log(`| ${r.name} | ${cells.join(" | ")} |`);
}
