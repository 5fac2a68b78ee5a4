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
  const cli = options.uid === undefined ? { node: process.execPath, script: bin } : cliForUser(options.uid);
  const r: SpawnSyncReturns<string> = spawnSync(cli.node, [cli.script, ...args], {
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

/**
 * Node and the CLI as another user can run them. A checkout, or a Node installed into a scratch
 * directory (as .ci/run does), may sit under a directory only root can enter (mkdtemp makes them
 * 0700): the user then cannot start the CLI at all (spawn fails, no exit code). In that case the
 * package's runtime files (package.json `files`), and if need be the Node binary, are copied once
 * into a world-readable temporary directory.
 */
const cliForUsers = new Map<number, { node: string; script: string }>();
function cliForUser(uid: number): { node: string; script: string } {
  const known = cliForUsers.get(uid);
  if (known) return known;
  // `--help` loads dist/cli.js; `--version` alone would not.
  const runs = (node: string, script: string) =>
    spawnSync(node, [script, "--help"], { cwd: os.tmpdir(), uid, gid: uid, encoding: "utf8", timeout: PROCESS_TIMEOUT_MS }).status === 0;
  let cli = { node: process.execPath, script: bin };
  if (!runs(cli.node, cli.script)) {
    const copy = tempTree({}, "secretlint-cli-for-user-");
    const manifest = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8")) as { files: string[] };
    for (const entry of ["package.json", ...manifest.files]) {
      const from = path.join(projectDir, entry);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(copy, entry), { recursive: true });
    }
    cli = { node: process.execPath, script: path.join(copy, "bin", "secretlint.js") };
    if (!runs(cli.node, cli.script)) {
      const node = path.join(copy, path.basename(process.execPath));
      fs.copyFileSync(process.execPath, node);
      fs.chmodSync(node, 0o755);
      cli = { node, script: cli.script };
    }
    // Everything in the copy readable (and directories enterable) by the other user.
    execFileSync("chmod", ["-R", "a+rX", copy]);
    if (!runs(cli.node, cli.script)) throw new Error(`cannot run the CLI as user ${uid}, even from a copy in ${copy}`);
  }
  cliForUsers.set(uid, cli);
  return cli;
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
