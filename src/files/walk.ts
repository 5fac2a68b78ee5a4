// The directory walk of a scan: which files of which directories to read, with the skips every
// scanner has (`.terraform`, `.git`, `node_modules`, `.gitignore`d and `--exclude`d paths).
// Terraform modules (src/terraform/project.ts) and app configurations (src/sources/apps/) are
// both found through it.
//
// Iterative (no recursion, whatever the depth). Symbolic links to directories are followed
// once and only inside the scan's roots (a link to `/`, `/proc` or a home directory is a
// notice, not a walk of the machine); a loop ends where it meets a directory already seen. A
// directory that cannot be read is a notice that makes the run partial: its files were not
// scanned, and the user must know.

import fs from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import { isSpecialPath, readFileText, realPathOf, Roots, gitTopOf } from "./read.js";

/** Never scanned: VCS metadata, downloaded modules and Terragrunt's working copies (copies of modules found elsewhere). */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([".terraform", ".git", "node_modules", ".terragrunt-cache", ".terragrunt-stack"]);

/** Something the walk (or a read) skipped that the user should know about. */
export interface FileNotice {
  /** Absolute path of what was skipped. */
  path: string;
  /** Why, in one line, naming no content (the caller prefixes the path). */
  message: string;
  /** Files that should have been scanned were not: the run is partial (exit 2 unless --allow-partial). */
  partial: boolean;
}

export interface WalkOptions {
  /** Where links may lead (default: the root and the git work tree around it). */
  roots?: Roots;
  /** Receives what was skipped. */
  notices?: FileNotice[];
  /**
   * Told every directory's whole listing as read (ignored and excluded names too), for callers
   * that would otherwise list it again (a root module's variables files).
   */
  onListing?(dir: string, entries: readonly fs.Dirent[]): void;
}

type Ignores = Array<{ base: string; ig: Ignore }>;

/**
 * Directories under root with the names of their files that `accept` takes (sorted), in
 * depth-first order, every real directory before any reached through a symbolic link (so a
 * linked directory is found by its own path).
 */
export function findFilesByDir(rootDir: string, exclude: string[], accept: (name: string) => boolean, options: WalkOptions = {}): Map<string, string[]> {
  const roots = options.roots ?? Roots.forScan(rootDir);
  const notices = options.notices ?? [];
  const out = new Map<string, string[]>();
  const excluded = exclude.length > 0 ? picomatch(exclude, { dot: true }) : null;
  const seen = new Set<string>();

  const isIgnored = (abs: string, isDir: boolean, ignores: Ignores) => {
    const rel = path.relative(rootDir, abs).split(path.sep).join("/");
    if (excluded && (excluded(rel) || (isDir && excluded(rel + "/")))) return true;
    // As git does: a deeper .gitignore overrides a shallower one (`!name` re-includes).
    let ignored = false;
    for (const { base, ig } of ignores) {
      const r = path.relative(base, abs).split(path.sep).join("/");
      if (!r || r.startsWith("..")) continue;
      const t = ig.test(isDir ? r + "/" : r);
      if (t.ignored) ignored = true;
      else if (t.unignored) ignored = false;
    }
    return ignored;
  };

  // Each directory's real path is its parent's plus its name, unless it is a link (resolved
  // then): asking the system for every directory's real path costs its depth each time.
  type Entry = { dir: string; real: string | undefined; ignores: Ignores };
  const stack: Entry[] = [{ dir: rootDir, real: realPathOf(rootDir), ignores: ancestorIgnores(rootDir, roots) }];
  // Links to directories are walked after every real directory (in the order found), so a
  // directory the tree holds is found by its own path, not through a link that happens to be
  // walked first (`a/x -> ../good` before `good/`).
  const links: Entry[] = [];
  while (stack.length > 0 || links.length > 0) {
    const { dir, real, ignores: inherited } = stack.length > 0 ? stack.pop()! : links.shift()!;
    if (real === undefined) continue; // vanished or a dangling link
    if (seen.has(real)) continue; // symlink loops, and a directory reached twice
    seen.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "error";
      notices.push({ path: dir, message: `cannot read the directory (${code}); its files were not scanned`, partial: true });
      continue;
    }
    options.onListing?.(dir, entries);
    let ignores = inherited;
    if (entries.some((e) => e.name === ".gitignore")) {
      const gi = readFileText(path.join(dir, ".gitignore"), { roots });
      // An unreadable or refused .gitignore ignores nothing.
      if (gi.ok) ignores = [...ignores, { base: dir, ig: ignore().add(gi.text) }];
    }
    const accepted = entries
      .filter((e) => !e.isDirectory() && accept(e.name) && !isIgnored(path.join(dir, e.name), false, ignores))
      .map((e) => e.name)
      .sort();
    if (accepted.length > 0) out.set(dir, accepted);
    const children: Array<{ dir: string; real: string | undefined }> = [];
    // Only directories and links can be walked into: the files are left out before the sort (stable, so the order is the same).
    const walkable = entries.filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !SKIPPED_DIRS.has(e.name));
    for (const e of walkable.sort((a, b) => a.name.localeCompare(b.name))) {
      const abs = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let childReal: string | undefined = path.join(real, e.name);
      if (e.isSymbolicLink()) {
        const target = realPathOf(abs);
        childReal = target;
        let st: fs.Stats | undefined;
        try {
          st = target === undefined ? undefined : fs.statSync(target);
        } catch {
          st = undefined;
        }
        isDir = st?.isDirectory() ?? false;
        if (isDir && target !== undefined && !isIgnored(abs, true, ignores)) {
          if (isSpecialPath(target)) {
            notices.push({ path: abs, message: `a symbolic link to ${target}, in a kernel file system; not followed`, partial: false });
            continue;
          }
          if (!roots.contains(target)) {
            notices.push({ path: abs, message: `a symbolic link to a directory outside the scanned tree (${target}); not followed`, partial: false });
            continue;
          }
        }
      }
      if (!isDir || isIgnored(abs, true, ignores)) continue;
      if (e.isSymbolicLink()) links.push({ dir: abs, real: childReal, ignores });
      else children.push({ dir: abs, real: childReal });
    }
    // Pushed in reverse, so the first child is walked first (depth-first, as written).
    for (let i = children.length - 1; i >= 0; i--) stack.push({ ...children[i], ignores });
  }
  return out;
}

/**
 * The .gitignore files above the scan root, from the enclosing git repository's top (the
 * nearest ancestor holding `.git`) down: git applies them to the scanned tree too. None when
 * the scan root is not inside a repository, or when those rules ignore the scan root itself
 * (the user asked for it explicitly).
 */
function ancestorIgnores(rootDir: string, roots: Roots): Ignores {
  if (fs.existsSync(path.join(rootDir, ".git"))) return [];
  const top = gitTopOf(path.dirname(path.resolve(rootDir)));
  if (top === null) return [];
  const chain: string[] = [];
  for (let d = path.dirname(path.resolve(rootDir)); ; d = path.dirname(d)) {
    chain.unshift(d);
    if (d === top || path.dirname(d) === d) break;
  }
  const out: Ignores = [];
  for (const d of chain) {
    const gi = readFileText(path.join(d, ".gitignore"), { roots });
    if (gi.ok) out.push({ base: d, ig: ignore().add(gi.text) });
  }
  let rootIgnored = false;
  for (const { base, ig } of out) {
    const t = ig.test(path.relative(base, rootDir).split(path.sep).join("/") + "/");
    if (t.ignored) rootIgnored = true;
    else if (t.unignored) rootIgnored = false;
  }
  return rootIgnored ? [] : out;
}
