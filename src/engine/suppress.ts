// Inline suppressions: `# secretlint:ignore RULE_ID[,RULE_ID] -- reason` (or `//`) on the line
// before a block or argument, or at the end of the reported line; `# secretlint:ignore-file
// RULE_ID` anywhere in a file. Comments of other tools (`secretlint-disable`) are not read.

import type { Attribute, Block, Body, File, Range } from "../hcl/ast.js";
import type { Finding } from "./runner.js";

const IGNORE = /^(?:#|\/\/)\s*secretlint:ignore(-file)?\s+([\w/,\s*-]+?)(?:\s+--\s*(.*))?\s*$/;

interface Directive {
  fileWide: boolean;
  ruleIds: string[];
  reason?: string;
  line: number;
  /** The comment shares its line with code before it (an end-of-line comment). */
  trailing: boolean;
}

/** Parses a suppression comment's text; null when it is not one. */
export function parseDirective(text: string): { fileWide: boolean; ruleIds: string[]; reason?: string } | null {
  const m = IGNORE.exec(text.trim());
  if (!m) return null;
  const ruleIds = m[2].split(",").map((s) => s.trim()).filter(Boolean);
  return ruleIds.length ? { fileWide: m[1] === "-file", ruleIds, reason: m[3] } : null;
}

function matches(ids: string[], ruleId: string): boolean {
  return ids.some((id) => id === ruleId || id === "*" || (id.endsWith("/*") && ruleId.startsWith(id.slice(0, -1))));
}

export class SuppressionIndex {
  private readonly byFile = new Map<string, { directives: Directive[]; file: File }>();

  /** Files by the path findings carry (relative to the scan root). */
  addHclFile(file: File): void {
    const directives: Directive[] = [];
    for (const c of file.comments) {
      const d = parseDirective(c.text);
      if (!d) continue;
      const lineStart = file.source.lastIndexOf("\n", c.range.start.offset - 1) + 1;
      const before = file.source.slice(lineStart, c.range.start.offset);
      directives.push({ fileWide: d.fileWide, ruleIds: d.ruleIds, reason: d.reason, line: c.range.start.line, trailing: before.trim().length > 0 });
    }
    if (directives.length) this.byFile.set(file.fileName, { directives, file });
  }

  /** Adds line comments of a non-HCL file (YAML, Python): `#` comments, found by a scanner of that language. */
  addComments(path: string, comments: Array<{ text: string; line: number; trailing: boolean }>, file?: File): void {
    const directives: Directive[] = [];
    for (const c of comments) {
      const d = parseDirective(c.text);
      if (d) directives.push({ fileWide: d.fileWide, ruleIds: d.ruleIds, reason: d.reason, line: c.line, trailing: c.trailing });
    }
    if (directives.length) this.byFile.set(path, { directives, file: file ?? emptyFile(path) });
  }

  isSuppressed(f: Finding): boolean {
    return this.match(f) !== undefined;
  }

  /**
   * The comment that suppresses a finding: at its place, or at any place its value passed
   * through on the way to where it is used (Origin.flow: a module call argument, the
   * variable, the use), so a comment at one caller silences that caller's finding only and a
   * comment in a shared module silences it for every caller.
   */
  match(f: Finding): { reason?: string } | undefined {
    const places: Array<{ path: string; range: Range }> = [];
    if (f.origin.file) places.push(f.origin.file);
    for (const p of f.origin.flow ?? []) if (p.file) places.push(p.file);
    for (const place of places) {
      const d = this.matchAt(place.path, place.range, f.ruleId);
      if (d) return d;
    }
    return undefined;
  }

  private matchAt(path: string, range: Range, ruleId: string): Directive | undefined {
    const entry = this.byFile.get(path);
    if (!entry) return undefined;
    const line = range.start.line;
    for (const d of entry.directives) {
      if (!matches(d.ruleIds, ruleId)) continue;
      if (d.fileWide) return d;
      if (d.trailing && d.line === line) return d;
      if (!d.trailing && d.line === line - 1) return d;
    }
    // A comment on the line before a block or argument that encloses the finding.
    const starts = new Set<number>();
    enclosingStarts(entry.file.body, range, starts);
    for (const d of entry.directives) {
      if (d.fileWide || !matches(d.ruleIds, ruleId)) continue;
      if (!d.trailing && starts.has(d.line + 1)) return d;
      if (d.trailing && starts.has(d.line)) return d;
    }
    return undefined;
  }
}

function contains(outer: Range, inner: Range): boolean {
  return outer.start.offset <= inner.start.offset && inner.start.offset <= outer.end.offset;
}

function enclosingStarts(body: Body, range: Range, out: Set<number>): void {
  const visit = (item: Attribute | Block) => {
    if (!contains(item.range, range)) return;
    out.add(item.range.start.line);
    if (item.type === "Block") enclosingStarts(item.body, range, out);
  };
  for (const a of body.attributes) visit(a);
  for (const b of body.blocks) visit(b);
}

function emptyFile(path: string): File {
  const p = { offset: 0, byte: 0, line: 1, column: 1 };
  return { fileName: path, body: { type: "Body", attributes: [], blocks: [], range: { start: p, end: p } }, comments: [], diagnostics: [], source: "" };
}
