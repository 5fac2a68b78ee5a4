// `scan --fix` and `scan --fix-dry-run`, and the fixes a SARIF report carries. Loaded only when
// one of them is asked for.
//
// --fix writes the certain fixes (src/fix/scan-fixes.ts) and scans again: the report shows what
// is left. --fix-dry-run prints them as a unified diff on stdout and writes nothing; the report
// (of what the fixes would leave) goes only where -o or --sarif-file say.

import fs from "node:fs";
import { createTwoFilesPatch } from "diff";
import type { Finding } from "../engine/runner.js";
import { findScanFixes, type FileChange } from "../fix/scan-fixes.js";
import type { ScanResult } from "../scan.js";
import type { ProjectOptions } from "../terraform/project.js";
import { inert } from "../report/escape.js";

export interface ScanFixOptions extends ProjectOptions {
  paths: string[];
  mode: "fix" | "dry-run" | "attach";
  debug: boolean;
  /** Scans again (after --fix wrote the files). */
  rescan: () => ScanResult;
}

const say = (line: string) => process.stderr.write(`secretlint: ${inert(line)}\n`);

/** The scan result to report: the new scan after --fix; without the fixed findings for a dry run. */
export function runScanFixes(result: ScanResult, options: ScanFixOptions): ScanResult {
  const fixes = findScanFixes(result, options);
  if (options.debug) for (const n of fixes.notOffered) say(`debug: no fix for ${n.finding.ruleId} at ${where(n.finding)}: ${n.reason}`);
  if (options.mode === "attach") return result;
  const count = `${fixes.fixed.length} finding${fixes.fixed.length === 1 ? "" : "s"}`;
  const files = `${fixes.files.length} file${fixes.files.length === 1 ? "" : "s"}`;
  const notOffered =
    fixes.notOffered.length > 0
      ? ` (${fixes.notOffered.length} other finding${fixes.notOffered.length === 1 ? " has" : "s have"} no certain fix${options.debug ? "" : "; --debug says why"})`
      : "";
  if (options.mode === "dry-run") {
    // A patch must stay exact for `git apply`; on a terminal, no control character of the sources gets through.
    const diff = unifiedDiff(fixes.files);
    process.stdout.write(process.stdout.isTTY === true ? diff.split("\n").map(inert).join("\n") : diff);
    say(`--fix would fix ${count} in ${files}; nothing was written${notOffered}`);
    const fixed = new Set(fixes.fixed);
    return { ...result, findings: result.findings.filter((f) => !fixed.has(f)) };
  }
  for (const f of fixes.files) fs.writeFileSync(f.absolute, f.after);
  say(`fixed ${count} in ${files}${notOffered}`);
  return fixes.files.length > 0 ? options.rescan() : result;
}

function where(f: Finding): string {
  const file = f.origin.file;
  return file ? `${file.path}:${file.range.start.line}` : (f.origin.aws?.arn ?? f.origin.address ?? "?");
}

/** Git-style unified diffs (`a/` and `b/` paths relative to the working directory), 3 lines of context. */
export function unifiedDiff(files: FileChange[]): string {
  return files
    .map((f) => {
      const patch = createTwoFilesPatch(`a/${f.path}`, `b/${f.path}`, f.before, f.after, undefined, undefined, { context: 3 });
      // jsdiff starts with an `Index:`/`===` header; git's starts at `---`.
      return `diff --git a/${f.path} b/${f.path}\n` + patch.slice(patch.indexOf("--- "));
    })
    .join("");
}
