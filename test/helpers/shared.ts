// Locates the shared test data (`../shared` beside the project root) and lists files in it.
// The shared directory is optional: tests that use it skip, saying why, when it is absent.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

/** The project root: the nearest directory above this file holding a package.json. */
export const projectRoot: string = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const sharedCandidate = resolve(projectRoot, "..", "shared");

/** `<root>/../shared`, or null when it does not exist. */
export const sharedDir: string | null = isDir(sharedCandidate) ? sharedCandidate : null;

/** `<shared>/corpus`, or null when it does not exist. */
export const corpusDir: string | null =
  sharedDir !== null && isDir(join(sharedDir, "corpus")) ? join(sharedDir, "corpus") : null;

/** Why the shared corpus is unavailable (for skip messages), or null when it is there. */
export const corpusMissingReason: string | null =
  corpusDir !== null ? null : `shared corpus not found at ${join(sharedCandidate, "corpus")}`;

/**
 * Every file under `dir` (recursively) whose name ends with one of `extensions` (given with
 * or without the leading dot, e.g. ".tf" or "hcl.json"), as absolute paths sorted by path.
 * Symbolic links to directories are not followed; a missing `dir` gives an empty list.
 */
export function listFiles(dir: string, ...extensions: string[]): string[] {
  const suffixes = extensions.map((e) => (e.startsWith(".") ? e : `.${e}`));
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && suffixes.some((s) => entry.name.endsWith(s))) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}
