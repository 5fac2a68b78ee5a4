// The one reading policy for every file secretlint opens: Terraform and tfvars files, app
// configurations, files named by `file()`-family functions, `.gitignore`s, downloaded-module
// records, configs, baselines, snapshots and plans.
//
// A file is read only when it is a regular file (checked on the opened descriptor, not by
// name, so a FIFO, a device or a socket named `x.tf` is refused without blocking), not in a
// kernel file system (/proc, /sys, /dev), no larger than the size limit (read at most that
// much, whatever the file's size claims), and, for files the scanned content names or the
// walk finds, inside the scanned roots once symbolic links are resolved. What is refused
// comes back as a one-line reason naming no content; callers turn it into a notice or a
// `terraform/parse-error` result. This module is a leaf: every layer may use it.

import fs from "node:fs";
import path from "node:path";

/**
 * The size limit for every kind of file the scanned tree holds or names, and for the
 * hand-written files the user names (a config, a `--var-file`): nobody writes 8 MB of HCL,
 * YAML or Python by hand.
 */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/**
 * The size limit for machine-written files the user names: Terraform plans, snapshots of an
 * account (about 500 bytes a secret), baselines. Large accounts and plans pass 8 MB.
 */
export const MAX_DATA_FILE_BYTES = 256 * 1024 * 1024;

/** Kernel file systems: their "files" are endless (/dev/zero), change as read, or hold the process's environment. */
const SPECIAL_ROOTS = ["/proc", "/sys", "/dev"];

export type Refusal = "missing" | "not-regular" | "special" | "outside" | "too-large" | "unreadable";

export type ReadResult =
  | { ok: true; bytes: Buffer; realPath: string }
  | { ok: false; refusal: Refusal; reason: string };

export interface ReadOptions {
  /**
   * Real paths of the directories the file must resolve into (see {@link Roots}). Omitted for
   * files the user named on the command line (`--var-file`, `-c`, `--baseline`, a plan): the
   * user chose them, so only their kind and size are checked.
   */
  roots?: Roots;
  /** Bytes at most (default {@link MAX_FILE_BYTES}). */
  maxBytes?: number;
}

/** A path's real path (every symbolic link resolved), or the system's error code for why it has none. */
export type RealPath = { ok: true; path: string } | { ok: false; code: string };

/** The directories a scan may read from: each scan root and the git work tree around it. */
export class Roots {
  private readonly dirs: string[];
  /**
   * Real paths of the directories asked about during the scan, by absolute path. Asking the
   * system for a path's real path costs a call per component of the path; a scan reads
   * thousands of files from hundreds of directories, so a file's real path is its directory's
   * (asked once) plus its name, unless the file itself is a link (one lstat tells).
   */
  private readonly realDirs = new Map<string, string>();
  constructor(dirs: Iterable<string>) {
    const real = new Set<string>();
    for (const d of dirs) real.add(realPathOf(d) ?? path.resolve(d));
    this.dirs = [...real];
  }

  /** The roots of a scan of `dir`: the directory itself and, when it is inside a git work tree, that tree's top. */
  static forScan(dir: string): Roots {
    const top = gitTopOf(dir);
    return new Roots(top ? [dir, top] : [dir]);
  }

  get list(): readonly string[] {
    return this.dirs;
  }

  /**
   * The real path of an absolute, normalized path (as `fs.realpathSync.native` gives it), its
   * directory's taken from this scan's cache. A path that changes into a link during the scan
   * is still caught where it matters: readFileBytes checks the opened descriptor's own path.
   */
  realPathOf(abs: string): RealPath {
    const known = this.realDirs.get(abs);
    if (known !== undefined) return { ok: true, path: known };
    const dir = path.dirname(abs);
    if (dir === abs) return this.realDirOf(abs);
    const parent = this.realDirOf(dir);
    if (!parent.ok) return parent;
    const st = lstatOrCode(abs);
    if ("ok" in st) return st;
    if (st.isSymbolicLink()) return realPathOrCode(abs);
    const real = childOf(parent.path, abs);
    if (st.isDirectory()) this.realDirs.set(abs, real);
    return { ok: true, path: real };
  }

  /**
   * A directory's real path: from the nearest ancestor already known, one lstat per component
   * below it (a link among them is resolved by the system). A missing directory (`.terraform/modules`
   * of a module never initialised is common) is said without an exception.
   */
  private realDirOf(dir: string): RealPath {
    const known = this.realDirs.get(dir);
    if (known !== undefined) return { ok: true, path: known };
    const below: string[] = [];
    let at = dir;
    let real: string | undefined;
    for (;;) {
      real = this.realDirs.get(at);
      if (real !== undefined) break;
      const up = path.dirname(at);
      if (up === at) {
        const r = realPathOrCode(at); // the file system's root
        if (!r.ok) return r;
        real = r.path;
        this.realDirs.set(at, real);
        break;
      }
      below.push(at);
      at = up;
    }
    for (let i = below.length - 1; i >= 0; i--) {
      const p = below[i];
      const st = lstatOrCode(p);
      if ("ok" in st) return st;
      if (st.isSymbolicLink()) {
        const r = realPathOrCode(p);
        if (!r.ok) return r;
        real = r.path;
      } else real = childOf(real, p);
      // Only directories are cached; a file here makes the next component ENOTDIR, as realpath says.
      if (i > 0 && !st.isSymbolicLink() && !st.isDirectory()) return { ok: false, code: "ENOTDIR" };
      if (st.isDirectory() || st.isSymbolicLink()) this.realDirs.set(p, real);
    }
    return { ok: true, path: real };
  }

  /** Whether a real (symlink-free) absolute path is inside one of the roots. */
  contains(realPath: string): boolean {
    return this.dirs.some((d) => isInside(realPath, d));
  }
}

function isInside(p: string, dir: string): boolean {
  if (p === dir) return true;
  const withSep = dir.endsWith(path.sep) ? dir : dir + path.sep;
  return p.startsWith(withSep);
}

/** The nearest ancestor directory (or the directory itself) holding `.git`, or null. */
export function gitTopOf(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, ".git"))) return d;
    if (path.dirname(d) === d) return null;
  }
}

/** A path with every symbolic link resolved, or undefined when it does not resolve. */
export function realPathOf(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}

/** A path's own status (a link is not followed), or why there is none. */
function lstatOrCode(p: string): fs.Stats | { ok: false; code: string } {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false }) ?? { ok: false, code: "ENOENT" };
  } catch (err) {
    return { ok: false, code: (err as NodeJS.ErrnoException).code ?? "error" };
  }
}

/** The real path of `abs`'s last component inside its directory's real path. */
function childOf(realDir: string, abs: string): string {
  return realDir === path.sep ? realDir + path.basename(abs) : realDir + path.sep + path.basename(abs);
}

function realPathOrCode(p: string): RealPath {
  try {
    return { ok: true, path: fs.realpathSync.native(p) };
  } catch (err) {
    return { ok: false, code: (err as NodeJS.ErrnoException).code ?? "error" };
  }
}

/** Whether a real path is in a kernel file system (/proc, /sys, /dev). */
export function isSpecialPath(realPath: string): boolean {
  return SPECIAL_ROOTS.some((r) => isInside(realPath, r));
}

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MB` : `${bytes} bytes`;
}

function tooLarge(max: number): string {
  return `file is larger than ${sizeText(max)} (the size limit); it was not read`;
}

/** What a non-regular file is, in words. */
function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return "a FIFO";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  if (st.isDirectory()) return "a directory";
  return "something else";
}

function refuse(refusal: Refusal, reason: string): ReadResult {
  return { ok: false, refusal, reason };
}

/** Files up to this size (most) are read through one shared buffer, not one of their own each. */
const SCRATCH_BYTES = 64 * 1024;
let scratch: Buffer | undefined;

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/** Reads a file under the policy (see the top of this file). Never throws for what the file is. */
export function readFileBytes(file: string, options: ReadOptions = {}): ReadResult {
  const max = options.maxBytes ?? MAX_FILE_BYTES;
  const abs = path.resolve(file);
  // Files of a scan resolve through the scan's cache of directories (see Roots.realPathOf).
  const resolved = options.roots ? options.roots.realPathOf(abs) : realPathOrCode(abs);
  if (!resolved.ok) {
    const code = resolved.code;
    if (code === "ENOENT") return refuse("missing", "no such file");
    if (code === "ELOOP") return refuse("unreadable", "file is a loop of symbolic links; it was not read");
    return refuse("unreadable", `cannot read the file (${code})`);
  }
  const real = resolved.path;
  if (isSpecialPath(real)) return refuse("special", `file resolves to ${real}, in a kernel file system; it was not read`);
  if (options.roots && !options.roots.contains(real)) return refuse("outside", `file resolves outside the scanned tree (to ${real}); it was not read`);
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = fs.openSync(real, OPEN_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENXIO: a socket (or a FIFO with no writer on some systems).
    if (code === "ENXIO") return refuse("not-regular", "file is not a regular file; it was not read");
    if (code === "EISDIR") return refuse("not-regular", "file is a directory, not a regular file; it was not read");
    return refuse("unreadable", `cannot read the file (${code ?? "error"})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return refuse("not-regular", `file is ${kindOf(st)}, not a regular file; it was not read`);
    // The descriptor must be the file that was checked (nothing swapped in between).
    const opened = openedPath(fd);
    if (opened !== undefined && opened !== real) {
      if (isSpecialPath(opened) || (options.roots && !options.roots.contains(opened))) return refuse("outside", "file changed while it was opened; it was not read");
    }
    if (st.size > max) return refuse("too-large", tooLarge(max));
    // Read at most max + 1 bytes whatever the size says (files in odd file systems claim 0).
    const chunks: Buffer[] = [];
    let total = 0;
    const size = Math.min(max + 1, Math.max(st.size + 1, SCRATCH_BYTES));
    // Each piece read is copied out (Buffer.from below): one scratch buffer serves every read of its size.
    const chunk = size === SCRATCH_BYTES ? (scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES)) : Buffer.allocUnsafe(size);
    for (;;) {
      const want = Math.min(chunk.length, max + 1 - total);
      if (want <= 0) break;
      let n: number;
      try {
        n = fs.readSync(fd, chunk, 0, want, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") return refuse("not-regular", "file is not a regular file; it was not read");
        throw err;
      }
      if (n === 0) break;
      chunks.push(Buffer.from(chunk.subarray(0, n)));
      total += n;
    }
    if (total > max) return refuse("too-large", tooLarge(max));
    return { ok: true, bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total), realPath: real };
  } catch (err) {
    return refuse("unreadable", `cannot read the file (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Where an open descriptor points (Linux), or undefined where that cannot be asked. */
function openedPath(fd: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/** A file's text (UTF-8) under the policy. */
export function readFileText(file: string, options: ReadOptions = {}): { ok: true; text: string; realPath: string } | { ok: false; refusal: Refusal; reason: string } {
  const r = readFileBytes(file, options);
  if (!r.ok) return r;
  return { ok: true, text: r.bytes.toString("utf8"), realPath: r.realPath };
}

/**
 * Reads a file the user named on the command line (a config, a baseline, a snapshot, a plan, a
 * `--var-file`): its text, or an Error whose message is one line, `FILE: reason`, for the
 * caller to raise as its own kind of user error.
 */
export function readNamedFile(file: string, what: string, maxBytes = MAX_FILE_BYTES): string | { error: string } {
  const r = readFileText(file, { maxBytes });
  if (r.ok) return r.text;
  if (r.refusal === "missing") return { error: `${file}: no such ${what}` };
  return { error: `${file}: ${r.reason.replace(/; it was not read$/, "")}; give the path of a ${what}` };
}
