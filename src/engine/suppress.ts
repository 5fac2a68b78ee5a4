// Inline suppressions: `# secretlint:ignore RULE_ID[,RULE_ID] -- reason` (or `//`) on the line
// before a block or argument, or at the end of the reported line; `# secretlint:ignore-file
// RULE_ID` anywhere in a file. `family/*` covers a family. Comments of other tools
// (`secretlint-disable`) are not read.
//
// A comment applies at every place of a finding's chain (its place, and for a value used
// elsewhere than where it is written, each place the value passed through: see Origin.flow).
// After the rules ran, each comment's fate goes into the inventory (`suppressionComments`: the
// ids it names that no rule has, whether it hid anything), and the rules of the
// "after-suppressions" phase report on the comments themselves (`secretlint/unused-ignore`),
// in the manner of ESLint's unused-disable reports.

import type { Body, File, Range } from "../hcl/ast.js";
import type { Inventory, Origin, SuppressionComment } from "../inventory/model.js";
import { closest } from "../util/suggest.js";
import type { Rule } from "./rule.js";
import { runRules, sortFindings, type Finding, type RunOptions, type RunResult } from "./runner.js";

const IGNORE = /^(?:#|\/\/)\s*secretlint:ignore(-file)?\s+([\w/,\s*.-]+?)(?:\s+--\s*(.*?))?\s*$/;

export interface Directive {
  path: string;
  fileWide: boolean;
  ruleIds: string[];
  reason?: string;
  line: number;
  /** The comment's own range, when known (for reports on the comment). */
  range?: Range;
  /** The comment shares its line with code before it (an end-of-line comment). */
  trailing: boolean;
  /** It hid at least one finding. */
  used: boolean;
}

/** Parses a suppression comment's text; null when it is not one. */
export function parseDirective(text: string): { fileWide: boolean; ruleIds: string[]; reason?: string } | null {
  const m = IGNORE.exec(text.trim());
  if (!m) return null;
  const ruleIds = m[2].split(",").map((s) => s.trim()).filter(Boolean);
  if (ruleIds.length === 0) return null;
  return m[3] ? { fileWide: m[1] === "-file", ruleIds, reason: m[3] } : { fileWide: m[1] === "-file", ruleIds };
}

/** Whether a rule id is named by one of `ids` (an id, `family/*`, or `*`). */
export function idsMatch(ids: string[], ruleId: string): boolean {
  return ids.some((id) => id === ruleId || id === "*" || (id.endsWith("/*") && ruleId.startsWith(id.slice(0, -1))));
}

/** A line comment of a non-HCL file: its text, line, whether code precedes it, and its range when known. */
export interface LineComment {
  text: string;
  line: number;
  trailing: boolean;
  range?: Range;
}

/**
 * A file's suppression comments, with what a comment on the line before may cover: the start
 * line and extent of every argument and block (at any depth), not the syntax tree.
 */
export interface FileSuppressions {
  path: string;
  directives: Directive[];
  /** Per argument or block: start offset, end offset, start line. */
  items: Int32Array;
}

/** The suppression comments of a parsed file (undefined when it has none): kept instead of the file. */
export function hclFileSuppressions(file: File): FileSuppressions | undefined {
  const directives: Directive[] = [];
  for (const c of file.comments) {
    const d = parseDirective(c.text);
    if (!d) continue;
    const lineStart = file.source.lastIndexOf("\n", c.range.start.offset - 1) + 1;
    const before = file.source.slice(lineStart, c.range.start.offset);
    directives.push({ ...d, path: file.fileName, line: c.range.start.line, range: c.range, trailing: before.trim().length > 0, used: false });
  }
  return directives.length ? { path: file.fileName, directives, items: itemsOf(file.body) } : undefined;
}

function itemsOf(body: Body): Int32Array {
  const out: number[] = [];
  const stack: Body[] = [body];
  while (stack.length > 0) {
    const b = stack.pop() as Body;
    for (const item of [...b.attributes, ...b.blocks]) {
      out.push(item.range.start.offset, item.range.end.offset, item.range.start.line);
      if (item.type === "Block") stack.push(item.body);
    }
  }
  return Int32Array.from(out);
}

export class SuppressionIndex {
  private readonly byFile = new Map<string, FileSuppressions>();

  /** Files by the path findings carry (relative to the scan root). */
  addHclFile(file: File): void {
    const s = hclFileSuppressions(file);
    if (s) this.byFile.set(file.fileName, s);
  }

  /** A file's suppression comments, made beforehand (hclFileSuppressions). */
  addFile(s: FileSuppressions): void {
    this.byFile.set(s.path, s);
  }

  /** Adds line comments of a non-HCL file (YAML, Python): `#` comments, found by a scanner of that language. */
  addComments(path: string, comments: LineComment[], file?: File): void {
    const directives: Directive[] = [];
    for (const c of comments) {
      const d = parseDirective(c.text);
      if (d) directives.push({ ...d, path, line: c.line, range: c.range, trailing: c.trailing, used: false });
    }
    if (directives.length) this.byFile.set(path, { path, directives, items: file ? itemsOf(file.body) : new Int32Array(0) });
  }

  isSuppressed(f: Finding): boolean {
    return this.match(f) !== undefined;
  }

  /**
   * The comment that suppresses a finding (marked used): at its place, or at any place its
   * value passed through on the way to where it is used (Origin.flow: a module call argument,
   * the variable, the use), so a comment at one caller silences that caller's finding only and
   * a comment in a shared module silences it for every caller.
   */
  match(f: Finding): { reason?: string } | undefined {
    const places: Array<{ path: string; range: Range }> = [];
    if (f.origin.file) places.push(f.origin.file);
    for (const p of f.origin.flow ?? []) if (p.file) places.push(p.file);
    for (const place of places) {
      const d = this.matchAt(place.path, place.range, f.ruleId);
      if (d) {
        d.used = true;
        return d;
      }
    }
    return undefined;
  }

  /** Every suppression comment, by file then line. */
  directives(): Directive[] {
    return [...this.byFile.values()].flatMap((e) => e.directives);
  }

  private matchAt(path: string, range: Range, ruleId: string): Directive | undefined {
    const entry = this.byFile.get(path);
    if (!entry) return undefined;
    const line = range.start.line;
    for (const d of entry.directives) {
      if (!idsMatch(d.ruleIds, ruleId)) continue;
      if (d.fileWide) return d;
      if (d.trailing && d.line === line) return d;
      if (!d.trailing && d.line === line - 1) return d;
    }
    // A comment on the line before a block or argument that encloses the finding.
    const starts = new Set<number>();
    const items = entry.items;
    for (let i = 0; i < items.length; i += 3) {
      if (items[i] <= range.start.offset && range.start.offset <= items[i + 1]) starts.add(items[i + 2]);
    }
    for (const d of entry.directives) {
      if (d.fileWide || !idsMatch(d.ruleIds, ruleId)) continue;
      if (!d.trailing && starts.has(d.line + 1)) return d;
      if (d.trailing && starts.has(d.line)) return d;
    }
    return undefined;
  }
}

export interface SuppressedRun extends RunResult {
  /** Findings hidden by comments; each carries its `suppression` (kind and the comment's reason). */
  suppressed: Finding[];
}

/**
 * Runs the rules over an inventory, hides the findings suppression comments cover, records
 * each comment's fate in the inventory, then runs the rules that report on the comments
 * (phase "after-suppressions"). `filter` says which findings the comments may hide (the audit
 * leaves live findings without a file alone).
 */
export function runWithSuppressions(
  inventory: Inventory,
  rules: Rule[],
  options: RunOptions,
  index: SuppressionIndex,
  filter: (f: Finding) => boolean = () => true,
): SuppressedRun {
  const first = runRules(inventory, rules, { ...options, phase: "rules" });
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  const split = (findings: Finding[]) => {
    for (const f of findings) {
      const d = filter(f) ? index.match(f) : undefined;
      if (!d) kept.push(f);
      else {
        f.suppression = d.reason ? { kind: "inSource", justification: d.reason } : { kind: "inSource" };
        suppressed.push(f);
      }
    }
  };
  split(first.findings);
  const ran = new Set(first.rules.map((r) => r.id));
  inventory.suppressionComments = index.directives().map((d) => commentOf(d, rules, ran));
  const after = runRules(inventory, rules, { ...options, phase: "after-suppressions" });
  split(after.findings);
  return {
    findings: sortFindings(kept),
    suppressed: sortFindings(suppressed),
    notifications: [...first.notifications, ...after.notifications],
    rules: [...first.rules, ...after.rules],
    levels: { ...first.levels, ...after.levels },
    coverage: new Map([...(first.coverage ?? []), ...(after.coverage ?? [])]),
  };
}

function commentOf(d: Directive, rules: Rule[], ran: ReadonlySet<string>): SuppressionComment {
  const known = rules.map((r) => r.id);
  const families = new Set(known.map((id) => id.split("/")[0]));
  const unknownIds: SuppressionComment["unknownIds"] = [];
  for (const id of d.ruleIds) {
    if (id === "*" || known.includes(id)) continue;
    if (id.endsWith("/*") && families.has(id.slice(0, -2))) continue;
    const candidates = id.endsWith("/*") ? [...families].map((f) => `${f}/*`) : known;
    const suggestion = closest(id, candidates);
    unknownIds.push(suggestion ? { id, suggestion } : { id });
  }
  // "Hid nothing" means something only when every rule it names ran (not off, not left out by --only).
  const checked = unknownIds.length === 0 && known.filter((id) => idsMatch(d.ruleIds, id)).every((id) => ran.has(id));
  const origin: Origin = { file: { path: d.path, range: d.range ?? lineRange(d.line) } };
  const out: SuppressionComment = { fileWide: d.fileWide, ruleIds: d.ruleIds, unknownIds, used: d.used, checked, origin };
  if (d.reason) out.reason = d.reason;
  return out;
}

function lineRange(line: number): Range {
  const p = { offset: 0, byte: 0, line, column: 1 };
  return { start: p, end: p };
}
