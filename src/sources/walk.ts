// Finds the Terraform files under the paths a user names.

import fs from "node:fs";
import path from "node:path";

/** Directories never descended into: tool caches and VCS metadata. */
const SKIPPED_DIRS = new Set([".terraform", ".git", "node_modules"]);

export interface FoundFile {
  /** Absolute path. */
  path: string;
  syntax: "native" | "json";
}

/** Lists `.tf` and `.tf.json` files under each path (a file path is taken as it is), sorted. */
export function findTerraformFiles(paths: string[]): FoundFile[] {
  const out: FoundFile[] = [];
  const seenDirs = new Set<string>();
  const visit = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      // Real paths guard against symlink loops.
      const real = fs.realpathSync(p);
      if (seenDirs.has(real)) return;
      seenDirs.add(real);
      for (const e of fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (e.isDirectory() && SKIPPED_DIRS.has(e.name)) continue;
        visit(path.join(p, e.name));
      }
    } else if (st.isFile()) {
      const syntax = syntaxOf(p);
      if (syntax) out.push({ path: path.resolve(p), syntax });
    }
  };
  for (const p of paths) visit(p);
  return out;
}

export function syntaxOf(file: string): FoundFile["syntax"] | null {
  if (file.endsWith(".tf.json")) return "json";
  if (file.endsWith(".tf")) return "native";
  return null;
}
