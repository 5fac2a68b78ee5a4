// `scan --fix` and `--fix-dry-run`, and the fixes SARIF carries: the findings of a scan whose
// fixes are certain, with their edits, and the files as all of them together leave them.
//
// A fix is offered when (1) its rule attached one (engine/fix.ts), (2) its change can be made
// where the value is written (src/fix/terraform.ts), and (3) evaluating the edited files again
// changes exactly the tags it sets (src/fix/verify.ts). Fixes that edit the same text are
// not combined: the first keeps it (a second `--fix` run finds what is left).

import fs from "node:fs";
import path from "node:path";
import type { TagChange } from "../engine/fix.js";
import type { Finding } from "../engine/runner.js";
import type { ScanResult } from "../scan.js";
import type { ProjectOptions } from "../terraform/project.js";
import { intentsOf, renderFile, spanEdit, type FixContext, type Intent } from "./terraform.js";
import { verifyEdits } from "./verify.js";

export interface FileChange {
  /** As finding paths show it. */
  path: string;
  absolute: string;
  before: string;
  after: string;
}

export interface ScanFixes {
  /** Findings with a certain fix (their `fix.edits` set), in the report's order. */
  fixed: Finding[];
  /** Findings whose rule attached a fix that cannot be made certain, with why. */
  notOffered: Array<{ finding: Finding; reason: string }>;
  /** The files as every fix in `fixed` leaves them. */
  files: FileChange[];
}

export interface FindFixesOptions extends ProjectOptions {
  /** The scan's paths (fixes edit files under them only). */
  paths: string[];
}

export function findScanFixes(result: ScanResult, options: FindFixesOptions): ScanFixes {
  const displayRoot = path.resolve(options.displayRoot ?? process.cwd());
  const roots = options.paths.map((p) => {
    const abs = path.resolve(p);
    return fs.existsSync(abs) && fs.statSync(abs).isFile() ? path.dirname(abs) : abs;
  });
  const ctx: FixContext = { inventory: result.inventory, sources: result.sources, absolute: (p) => path.resolve(displayRoot, p), roots };
  const notOffered: ScanFixes["notOffered"] = [];
  const plans = options.paths.some((p) => p.endsWith(".json") && !p.endsWith(".tf.json"));
  // 1. What each fix needs, and whether it can be made alone.
  const candidates: Array<{ finding: Finding; intents: Intent[] }> = [];
  for (const finding of result.findings) {
    if (!finding.fix) continue;
    if (plans) {
      notOffered.push({ finding, reason: "the scan reads a Terraform plan" });
      continue;
    }
    const intents = intentsOf(finding.fix, ctx);
    if (typeof intents === "string") {
      notOffered.push({ finding, reason: intents });
      continue;
    }
    const alone = renderAll(intents, ctx);
    if ("reason" in alone) {
      notOffered.push({ finding, reason: alone.reason });
      continue;
    }
    candidates.push({ finding, intents });
  }
  // 2. Together: a fix that conflicts with those before it waits for the next run.
  let accepted: typeof candidates = [];
  for (const c of candidates) {
    const together = renderAll([...accepted, c].flatMap((x) => x.intents), ctx);
    if ("reason" in together) notOffered.push({ finding: c.finding, reason: `${together.reason}; run --fix again once the others are fixed` });
    else accepted.push(c);
  }
  // 3. Checked by evaluating the edited files: together, else one by one.
  const verify = (set: typeof candidates): string | undefined => {
    const files = renderAll(set.flatMap((x) => x.intents), ctx);
    if ("reason" in files) return files.reason;
    const changes: TagChange[] = set.flatMap((x) => x.finding.fix!.tags);
    return verifyEdits({
      projects: result.projects,
      options: { ...options, displayRoot },
      ids: options.paths.length > 1 ? { alwaysPrefix: true, prefixBase: displayRoot } : {},
      texts: new Map(files.files.map((f) => [f.absolute, f.after])),
      changes,
    });
  };
  if (accepted.length > 0 && verify(accepted) !== undefined) {
    const alone = accepted.filter((c) => {
      const why = verify([c]);
      if (why !== undefined) notOffered.push({ finding: c.finding, reason: why });
      return why === undefined;
    });
    accepted = alone.length > 0 && verify(alone) === undefined ? alone : [];
    if (alone.length > 0 && accepted.length === 0) for (const c of alone) notOffered.push({ finding: c.finding, reason: "the fixes change more than their tags together" });
  }
  // 4. Each finding's own edits (SARIF), and the files with all of them.
  for (const c of accepted) {
    const own = renderAll(c.intents, ctx) as { files: FileChange[] };
    c.finding.fix!.edits = own.files.map((f) => spanEdit(f.path, f.before, f.after)).filter((e) => e !== undefined);
  }
  for (const n of notOffered) delete n.finding.fix?.edits;
  const all = renderAll(accepted.flatMap((x) => x.intents), ctx);
  return { fixed: accepted.map((c) => c.finding), notOffered, files: "reason" in all ? [] : all.files };
}

/** Every file the intents edit, rendered. */
function renderAll(intents: Intent[], ctx: FixContext): { files: FileChange[] } | { reason: string } {
  const byFile = new Map<string, Intent[]>();
  for (const it of intents) byFile.set(it.path, [...(byFile.get(it.path) ?? []), it]);
  const files: FileChange[] = [];
  for (const [p, list] of byFile) {
    const before = ctx.sources.get(p);
    if (before === undefined) return { reason: `${p} was not read` };
    const after = renderFile(p, before, list);
    if (typeof after !== "string") return after;
    if (after !== before) files.push({ path: p, absolute: ctx.absolute(p), before, after });
  }
  return { files };
}
