// Hostile inputs, made at test time (FIFOs, links, big files are never committed): a tree with
// one good module whose one finding must survive whatever sits beside it, and the built CLI
// run under a generous process-level timeout (no timed assertions: a hang fails the run as a
// killed process, not as a slow one).

import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const projectDir = path.resolve(import.meta.dirname, "../..");
export const bin = path.join(projectDir, "bin", "secretlint.js");
export const built = fs.existsSync(path.join(projectDir, "dist", "cli.js"));
if (!built) console.warn("hostile CLI tests skipped: dist/cli.js is missing; run `npm run build` (npm test does it)");

/** The good module: one `secret/immediate-deletion` warning at good/main.tf:3. */
export const GOOD_MODULE = 'resource "aws_secretsmanager_secret" "good" {\n  name                    = "app/good"\n  recovery_window_in_days = 0\n}\n';
export const GOOD_FINDING = { ruleId: "secret/immediate-deletion", file: "good/main.tf", line: 3 };

/** A generous bound on one CLI run: far above any honest run, far below a hang. */
export const PROCESS_TIMEOUT_MS = 60_000;

/** A fresh directory (world-readable, so a test may run the CLI as another user). */
export function tempTree(files: Record<string, string | Buffer> = {}, prefix = "secretlint-hostile-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  writeTree(dir, files);
  return dir;
}

export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, body] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
  }
}

/** A tree with the good module in `good/`. */
export function treeWithGood(files: Record<string, string | Buffer> = {}): string {
  return tempTree({ "good/main.tf": GOOD_MODULE, ...files });
}

export function mkfifo(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync("mkfifo", [file]);
}

export const canMkfifo = (() => {
  if (process.platform === "win32") return false;
  try {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-fifo-probe-"));
    execFileSync("mkfifo", [path.join(d, "p")]);
    fs.rmSync(d, { recursive: true });
    return true;
  } catch {
    return false;
  }
})();

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed by the process-level timeout (a hang). */
  timedOut: boolean;
  signal: NodeJS.Signals | null;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user id (a root test process dropping its rights, so permissions apply). */
  uid?: number;
  timeoutMs?: number;
}

export function runCli(args: string[], options: CliOptions = {}): CliRun {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? projectDir,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    timeout: options.timeoutMs ?? PROCESS_TIMEOUT_MS,
    maxBuffer: 256 * 1024 * 1024,
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT";
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", timedOut, signal: r.signal };
}

/** The JSON findings of a run's stdout (`-f json`). */
export function jsonFindings(stdout: string): Array<{ ruleId: string; file?: string; line?: number; message: string }> {
  const parsed = JSON.parse(stdout) as { findings?: unknown } | unknown[];
  const list = (Array.isArray(parsed) ? parsed : ((parsed as { findings?: unknown[] }).findings ?? [])) as Array<Record<string, unknown>>;
  return list.map((f) => {
    const loc = (f.location ?? {}) as Record<string, unknown>;
    return {
      ruleId: String(f.ruleId),
      ...(typeof (f.file ?? loc.file) === "string" ? { file: String(f.file ?? loc.file) } : {}),
      ...(typeof (f.line ?? loc.line) === "number" ? { line: Number(f.line ?? loc.line) } : {}),
      message: String(f.message),
    };
  });
}

/** Whether the good module's finding is among a JSON report's findings. */
export function keptGood(stdout: string): boolean {
  try {
    return jsonFindings(stdout).some((f) => f.ruleId === GOOD_FINDING.ruleId && f.file === GOOD_FINDING.file && f.line === GOOD_FINDING.line);
  } catch {
    return false;
  }
}

/** A user id that is not root, when the tests run as root (so that file permissions apply to the CLI). */
export const dropToUid: number | undefined = process.getuid?.() === 0 ? 65534 : undefined;
