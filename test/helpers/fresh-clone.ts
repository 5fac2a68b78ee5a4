// A copy of the repository as a fresh clone has it, for the tests of what users install
// (the package, the pre-commit hook).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const projectRoot = path.resolve(import.meta.dirname, "../..");

/**
 * The files a fresh clone has: tracked, plus new files not ignored (so a file not yet committed
 * counts). Outside a git checkout, every file but installed and built ones.
 */
export function cloneFiles(root = projectRoot): string[] {
  let listed: string[];
  try {
    listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" }).split("\0");
  } catch {
    const skip = new Set(["node_modules", "dist", ".git", ".bench", "scratch"]);
    listed = [];
    const walk = (rel: string): void => {
      for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
        const f = path.join(rel, e.name);
        if (e.isDirectory() && !skip.has(e.name)) walk(f);
        else if (e.isFile()) listed.push(f);
      }
    };
    walk("");
  }
  return [...new Set(listed.filter(Boolean))].filter((f) => fs.existsSync(path.join(root, f)));
}

/** Copies the fresh-clone files of the repository to `to`. */
export function copyFreshClone(to: string, root = projectRoot): void {
  for (const f of cloneFiles(root)) {
    fs.mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
    fs.copyFileSync(path.join(root, f), path.join(to, f));
  }
}
