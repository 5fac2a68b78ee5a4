// Shared helpers for the benchmarks: walking a tree, building the large tree, timing a
// whole child process (wall time and peak RSS), and small statistics.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** shared/ sits beside the repository (locally and in CI); SHARED_DIR overrides. */
export const sharedDir = path.resolve(process.env.SHARED_DIR ?? path.join(repoRoot, "..", "shared"));

/** Calls fn(fullPath) for every regular file under dir whose name ends with ext. */
export function walkFiles(dir, ext, fn) {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  for (const e of entries) {
    const p = dir + path.sep + e.name;
    if (e.isDirectory()) walkFiles(p, ext, fn);
    else if (e.isFile() && e.name.endsWith(ext)) fn(p);
  }
}

export function countFiles(dir, ext) {
  let n = 0;
  walkFiles(dir, ext, () => n++);
  return n;
}

/**
 * Makes sure `out` holds `copies` copies of the shared corpus (shared/bench/make-large-tree.sh),
 * rebuilding only when it is missing or its .tf count is not copies × the corpus's.
 */
export function ensureLargeTree(out, copies = 10, log = console.log) {
  const corpus = path.join(sharedDir, "corpus");
  const script = path.join(sharedDir, "bench", "make-large-tree.sh");
  if (!fs.existsSync(corpus) || !fs.existsSync(script)) {
    throw new Error(`shared corpus not found at ${sharedDir} (set SHARED_DIR)`);
  }
  const expected = countFiles(corpus, ".tf") * copies;
  if (fs.existsSync(out) && countFiles(out, ".tf") === expected) return expected;
  log(`building the large tree (${copies} copies of the corpus) in ${path.relative(repoRoot, out) || out} ...`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = spawnSync("bash", [script, out, String(copies)], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (r.status !== 0) throw new Error(`make-large-tree.sh failed (exit ${r.status})`);
  const got = countFiles(out, ".tf");
  if (got !== expected) throw new Error(`large tree has ${got} .tf files, expected ${expected}`);
  return got;
}

export const GNU_TIME = "/usr/bin/time";

/** True when /usr/bin/time is GNU time (supports -f %M and -o); BENCH_NO_GNU_TIME=1 forces false. */
export function hasGnuTime() {
  if (process.env.BENCH_NO_GNU_TIME) return false; // to exercise the fallback
  if (!fs.existsSync(GNU_TIME)) return false;
  const r = spawnSync(GNU_TIME, ["-f", "%M", "true"], { encoding: "utf8" });
  return r.status === 0 && /^\d+\s*$/m.test(r.stderr ?? "");
}

/** How to run cmd under GNU time, which writes peak RSS and CPU to a temporary file (`timeFile`; null without useTime). */
function underTime(cmd, args, useTime) {
  if (!useTime) return { file: cmd, argv: args, timeFile: null };
  const timeFile = path.join(os.tmpdir(), `bench-time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  return { file: GNU_TIME, argv: ["-f", "%M %U %S", "-o", timeFile, cmd, ...args], timeFile };
}

/** Peak RSS in KB and CPU seconds (user + sys, 10 ms resolution) from underTime's file, which is then removed; nulls without one. */
function readTimeFile(timeFile) {
  let rssKb = null;
  let cpu = null;
  if (timeFile) {
    try {
      const m = /(\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\s*$/.exec(fs.readFileSync(timeFile, "utf8"));
      if (m) {
        rssKb = Number(m[1]);
        cpu = Number(m[2]) + Number(m[3]);
      }
    } catch {
      /* no figure */
    }
    fs.rmSync(timeFile, { force: true });
  }
  return { rssKb, cpu };
}

/**
 * Runs cmd args to completion, one process at a time. Returns wall seconds (hrtime around
 * spawnSync), stdout, and from GNU time when useTime (else null) peak RSS in KB and CPU
 * seconds (user + sys, 10 ms resolution).
 */
export function timeProcess(cmd, args, { useTime = false, env = process.env } = {}) {
  const { file, argv, timeFile } = underTime(cmd, args, useTime);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, argv, { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const { rssKb, cpu } = readTimeFile(timeFile);
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status ?? r.signal}:\n${(r.stderr ?? "").slice(-2000)}`);
  }
  return { wall, rssKb, cpu, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs several commands at once, each [cmd, args], and waits for all. Returns the wall seconds
 * until the last one exits (hrtime around the lot) and, from GNU time when useTime (else null),
 * their CPU seconds added up. Output is discarded; a failing command throws.
 */
export async function timeTogether(commands, { useTime = false, env = process.env } = {}) {
  const t0 = process.hrtime.bigint();
  const runs = commands.map(([cmd, args]) => {
    const { file, argv, timeFile } = underTime(cmd, args, useTime);
    const child = spawn(file, argv, { env, stdio: "ignore" });
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => {
        const { cpu } = readTimeFile(timeFile);
        if (code !== 0) reject(new Error(`${cmd} ${args.join(" ")} exited ${code ?? signal}`));
        else resolve(cpu);
      });
    });
  });
  const cpus = await Promise.all(runs);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return { wall, cpu: cpus.some((c) => c == null) ? null : cpus.reduce((a, b) => a + b, 0) };
}

/** Parses `key=value` pairs (numbers) from a line of output. */
export function parseKv(text) {
  const out = {};
  for (const m of text.matchAll(/([a-z_]+)=(\d+(?:\.\d+)?)/g)) out[m[1]] = Number(m[2]);
  return out;
}

export function median(xs) {
  const v = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function fmt(x, digits = 2) {
  return x == null || !Number.isFinite(x) ? "n/a" : x.toFixed(digits);
}
