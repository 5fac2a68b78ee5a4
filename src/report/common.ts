// What every reporter shares: the input they format, source lines for code frames and
// fingerprints, the masking of lines that hold secret values, and where a finding is.
// Reporters are pure functions from results to a string: no I/O, no clock, no environment.

import nodePath from "node:path";
import type { Finding, Notification, RunResult, Suppression } from "../engine/runner.js";
import type { Range } from "../hcl/ast.js";
import type { Origin } from "../inventory/model.js";
import type { FrameworkSummary } from "./controls.js";
import type { RunSummary } from "./summary.js";

export type ReportFormat = "text" | "compact" | "json" | "sarif" | "github";

export type { Suppression } from "../engine/runner.js";

/** The common options of every reporter. */
export interface ReportOptions {
  /** File path (as in `Origin.file.path`, relative to the scan root) → its text: for code frames, snippets and fingerprints. */
  sources?: Map<string, string>;
  /**
   * Which findings' source lines hold a secret value and must be masked (string contents
   * replaced by `****`) wherever source text is shown or hashed. Default: {@link defaultMaskLines}.
   */
  maskLines?: (finding: Finding) => boolean;
  /** Marks suppressed findings (shown only with `--include-suppressed`). Default: the finding's own `suppression`. */
  suppression?: (finding: Finding) => Suppression | undefined;
}

/** The input of {@link formatReport}: a run's result and what to say about the run. */
export interface ReportInput extends ReportOptions {
  result: RunResult;
  kind: "scan" | "audit";
  /** secretlint's version (SARIF `semanticVersion`). */
  toolVersion: string;
  /** The invocation's own notifications (denied API calls, skipped files), exit code and success. */
  invocation?: { notifications: Notification[]; exitCode?: number; successful: boolean };
  /** Absolute path of the scan root: SARIF `originalUriBaseIds["%SRCROOT%"]`. */
  scanRoot?: string;
  /**
   * A file (relative to the scan root) that stands for the live account, e.g. the snapshot of
   * `audit --snapshot`: SARIF's physical location for live findings without a declaration.
   */
  liveArtifact?: string;
  /** Colour in the text format (the CLI decides: a TTY and no `--no-color`). Default false. */
  color?: boolean;
  /** The per-control summary (text format), when a preset selected a framework. */
  controls?: readonly FrameworkSummary[];
  /** What the run read and hid, for the summary every format carries. */
  summary?: RunSummary;
}

/** Rules whose reported lines hold secret values. */
export const SECRET_VALUE_RULES: ReadonlySet<string> = new Set(["secret/hardcoded-value", "mage/hardcoded-aws-credentials"]);

export function defaultMaskLines(finding: Finding): boolean {
  return SECRET_VALUE_RULES.has(finding.ruleId);
}

/** Every notification of the run: the rules' (a rule that threw) and the invocation's, once each. */
export function allNotifications(input: { result: RunResult; invocation?: { notifications: Notification[] } }): Notification[] {
  const out: Notification[] = [];
  const seen = new Set<string>();
  for (const n of [...input.result.notifications, ...(input.invocation?.notifications ?? [])]) {
    const key = `${n.level}\u0000${n.ruleId ?? ""}\u0000${n.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(n);
  }
  return out;
}

// ---------------------------------------------------------------- source lines

/**
 * A file's lines as positions count them: split at `\n` (a `\r` before it is dropped), the
 * BOM dropped from the first line (it counts in offsets but not in columns).
 */
export function splitLines(text: string): string[] {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.endsWith("\r")) lines[i] = l.slice(0, -1);
  }
  if (lines[0].charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  return lines;
}

/** Splits each file once per report. */
export class SourceLines {
  private readonly cache = new Map<string, string[] | null>();
  constructor(private readonly sources: Map<string, string> | undefined) {}

  get(path: string): string[] | null {
    let lines = this.cache.get(path);
    if (lines === undefined) {
      const text = this.sources?.get(path);
      lines = text === undefined ? null : splitLines(text);
      this.cache.set(path, lines);
    }
    return lines;
  }
}

/** A range's line/column span, 1-based, end exclusive. */
export interface Span {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/**
 * The range as a span. A range that ends at column 1 of a later line (it took the newline)
 * ends instead at the end of the line before, when the source tells that line's length.
 */
export function spanOf(range: Range, lines: string[] | null): Span {
  const s: Span = {
    startLine: Math.max(1, range.start.line),
    startColumn: Math.max(1, range.start.column),
    endLine: Math.max(1, range.end.line),
    endColumn: Math.max(1, range.end.column),
  };
  if (s.endLine < s.startLine || (s.endLine === s.startLine && s.endColumn < s.startColumn)) {
    s.endLine = s.startLine;
    s.endColumn = s.startColumn;
  }
  if (s.endColumn === 1 && s.endLine > s.startLine && lines && s.endLine - 2 < lines.length) {
    s.endLine -= 1;
    s.endColumn = lines[s.endLine - 1].length + 1;
  }
  return s;
}

/**
 * The text a span covers (lines joined by `\n`; "" where the source does not reach), each line
 * masked first when `masked` (see maskLine).
 */
export function spanText(lines: string[], span: Span, masked = false): string {
  const out: string[] = [];
  for (let n = span.startLine; n <= span.endLine && n <= lines.length; n++) {
    const line = masked ? maskLine(lines[n - 1]) : plainLine(lines[n - 1]);
    const from = n === span.startLine ? line.map(span.startColumn - 1) : 0;
    const to = n === span.endLine ? line.map(span.endColumn - 1, true) : line.text.length;
    out.push(line.text.slice(from, Math.max(from, to)));
  }
  return out.join("\n");
}

// ---------------------------------------------------------------- masking

/** A masked line and where each original column went. */
export interface MaskedLine {
  text: string;
  /** Original 0-based index (0..length) → index in `text`; `end` for an exclusive end inside a masked part. */
  map(index: number, end?: boolean): number;
}

const BLOCK_HEADER = /^\s*[A-Za-z_][\w-]*(?:\s+(?:"[^"\\]*"|[A-Za-z_][\w-]*))*\s*\{\s*$/;
const KEY_PREFIX = /^\s*(?:export\s+)?(?:[A-Za-z_][\w.-]*|"[^"\\]*"|'[^'\\]*')\s*(?:=(?![=>])|:(?=\s|$))\s*/;
const MASK = "****";

/** The contents (without the quotes) of every quoted string of a line; an unterminated one runs to the end. */
function quotedContents(line: string): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  let i = 0;
  while (i < line.length) {
    const q = line[i];
    if (q !== '"' && q !== "'") {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < line.length && line[j] !== q) j += line[j] === "\\" ? 2 : 1;
    out.push({ from: i + 1, to: Math.min(j, line.length) });
    i = j + 1;
  }
  return out;
}

/**
 * Hides what may be a secret in a line. Block headers (`resource "type" "name" {`) stay as
 * they are: they hold no values. Otherwise, the part after `key =` / `key:` (or the whole
 * line when there is no key): when it is only quoted strings and punctuation, the contents
 * of each string become `****`; when it holds anything else (an unquoted `.env` or YAML
 * value, a heredoc's body, an expression), all of it becomes `****`, keeping indentation,
 * a YAML list dash and trailing punctuation (only `,` and `;` after a key).
 */
export function maskLine(line: string): MaskedLine {
  const pieces: Array<{ from: number; to: number }> = [];
  if (!BLOCK_HEADER.test(line)) {
    const key = KEY_PREFIX.exec(line);
    const start = key ? key[0].length : 0;
    const quoted = quotedContents(line).filter((q) => q.from >= start);
    let rest = "";
    let k = start;
    for (const q of quoted) {
      rest += line.slice(k, q.from - 1);
      k = Math.min(line.length, q.to + 1);
    }
    rest += line.slice(k);
    const words = /[A-Za-z0-9]/.test(rest.replace(/<<-?[A-Za-z_]\w*\s*$/, "").replace(/\b(?:true|false|null)\b/g, ""));
    if (words) {
      const lead = key ? start : /^\s*(?:-\s+)?/.exec(line)![0].length;
      const trail = (key ? /[\s,;]*$/ : /[\s,;\]})]*$/).exec(line.slice(lead))![0].length;
      if (line.length - trail > lead) pieces.push({ from: lead, to: line.length - trail });
    } else {
      for (const q of quoted) if (q.to > q.from) pieces.push(q);
    }
  }
  let text = "";
  let k = 0;
  const marks: Array<{ from: number; to: number; outFrom: number; outTo: number }> = [];
  for (const p of pieces) {
    text += line.slice(k, p.from);
    const outFrom = text.length;
    text += MASK;
    marks.push({ from: p.from, to: p.to, outFrom, outTo: text.length });
    k = p.to;
  }
  text += line.slice(k);
  return {
    text,
    map(index: number, end = false): number {
      let delta = 0;
      for (const m of marks) {
        if (index <= m.from) break;
        if (index < m.to) return end ? m.outTo : m.outFrom;
        delta = m.outTo - m.to;
      }
      return index + delta;
    },
  };
}

/** Files in HCL's native syntax, where a frame may show more syntax (see maskFrameLines). */
export function isHclFile(path: string): boolean {
  return /\.(?:tf|hcl|tfvars)$/i.test(path);
}

const HEREDOC_OPENER = /<<-?([A-Za-z_][\w-]*)\s*$/;
/** `jsonencode({`, `merge(`, `trimspace(<<-EOT`: a function call opened at the end of a line, nothing else after the key. */
const CALL_OPENER = /^[a-z][a-z0-9_]*(?:::[a-z][a-z0-9_]*)*\((?:\s*[[{(])*\s*(?:<<-?[A-Za-z_][\w-]*\s*)?$/;

/**
 * The lines of a code frame, masked: each as {@link maskLine} masks it, except, in HCL's native
 * syntax, what cannot hold a value.
 * - A heredoc's closing marker (`EOT`): a line whose text is the marker that an earlier line of
 *   the same frame opened and still shows once masked (`secret_string = <<-EOT`). The body's
 *   lines stay masked; a marker the frame did not show stays masked too, so nothing shown here
 *   is not already shown on the opening line.
 * - A function call opened at the end of a line (`secret_string = jsonencode({`): in HCL a bare
 *   identifier is syntax (a function, a keyword or a reference), never a literal value. Not in
 *   a heredoc's body, which is text.
 * Fingerprints and SARIF snippets keep using maskLine: fingerprints must not change.
 */
export function maskFrameLines(lines: readonly string[], hcl: boolean): MaskedLine[] {
  if (!hcl) return lines.map((l) => maskLine(l));
  const out: MaskedLine[] = [];
  let marker: string | null = null;
  for (const line of lines) {
    if (marker !== null) {
      if (line.trim() === marker) {
        out.push(plainLine(line));
        marker = null;
      } else out.push(maskLine(line));
      continue;
    }
    const key = KEY_PREFIX.exec(line);
    const masked = CALL_OPENER.test(line.slice(key ? key[0].length : 0).trimStart()) ? plainLine(line) : maskLine(line);
    const opened = HEREDOC_OPENER.exec(line);
    const shown = HEREDOC_OPENER.exec(masked.text);
    if (opened && shown && shown[1] === opened[1]) marker = opened[1];
    out.push(masked);
  }
  return out;
}

/** The identity mapping, for lines shown as they are. */
export function plainLine(line: string): MaskedLine {
  return { text: line, map: (i) => i };
}

// ---------------------------------------------------------------- places

/** A path as a relative URI with forward slashes, each segment percent-encoded. */
export function pathToUri(path: string): string {
  return path
    .replace(/\\/g, "/")
    .replace(/^(?:\.\/)+/, "")
    .split("/")
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

/**
 * A finding's path for people (text and compact formats): as it is when inside `base` (the
 * absolute directory paths are relative to: the working directory for the CLI), absolute when
 * it leads out of it (`../../infra/main.tf` → `/home/me/infra/main.tf`). Forward slashes.
 */
export function displayPath(p: string, base?: string): string {
  const slashed = p.replace(/\\/g, "/");
  if (base && (slashed === ".." || slashed.startsWith("../"))) return nodePath.resolve(base, p).replace(/\\/g, "/");
  return slashed;
}

/**
 * The same for the places rules and notices write into their messages (`main.tf:63`): an
 * occurrence of a known file path of the run (`known`: paths as findings hold them) that leads
 * out of `base`, followed by `:` and a line number, is shown absolute. Other text (a module
 * source `"../.."`) is left as written.
 */
export function displayPathsIn(text: string, known: ReadonlySet<string>, base?: string): string {
  if (!base || !text.includes("../")) return text;
  return text.replace(/(^|[\s(`'"])(\.\.\/[^\s:()`'"]+)(?=:\d)/g, (m, before: string, p: string) => (known.has(p) ? before + displayPath(p, base) : m));
}

/** The file paths a run's report names (its sources, its findings' and related places), for {@link displayPathsIn}. */
export function knownPaths(findings: readonly Finding[], sources?: Map<string, string>): Set<string> {
  const out = new Set<string>(sources?.keys() ?? []);
  for (const f of findings) {
    if (f.origin.file) out.add(f.origin.file.path);
    for (const r of f.related) if (r.origin.file) out.add(r.origin.file.path);
  }
  return out;
}

/** Where a finding without a file is, for people: its ARN, else its address, else its account and region. */
export function resourceLabel(origin: Origin): string {
  if (origin.aws?.arn) return origin.aws.arn;
  if (origin.address) return origin.address;
  const parts = [origin.aws?.account, origin.aws?.region].filter(Boolean);
  return parts.length ? `aws ${parts.join(" ")}` : "(no location)";
}


export const LEVEL_RANK: Record<string, number> = { error: 0, warning: 1, note: 2 };

/** How a finding is suppressed, by the reporter's option or else by the finding itself. */
export function suppressionOf(options: { suppression?: (f: Finding) => Suppression | undefined }, f: Finding): Suppression | undefined {
  return options.suppression ? options.suppression(f) : f.suppression;
}
