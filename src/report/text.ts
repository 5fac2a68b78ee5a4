// The text format, for people:
//
//   main.tf:12:5  error  Secret "db" lacks the tag SymEnv …  sym/symenv-tag-missing
//     12 |   name = "db"
//        |   ^^^^^^^^^^^
//     related: main.tf:3:1  the Sym access policy conditions on SymEnv here
//
// Findings grouped by file (then by resource for live findings without a file), a code frame
// of the reported lines when the file's text is given (at most MAX_FRAME_LINES lines; long
// lines cut around the range), the tool's notifications, and a summary line. Lines of
// findings that may show a secret value are masked (ReportOptions.maskLines). Colour (ANSI
// codes written here: no dependency) only when `color` is true; control characters in
// messages and sources are made visible so no input can drive the terminal.

import type { Finding, Notification, RunResult } from "../engine/runner.js";
import type { Origin } from "../inventory/model.js";
import {
  allNotifications,
  defaultMaskLines,
  maskLine,
  plainLine,
  resourceLabel,
  SourceLines,
  spanOf,
  suppressionOf,
  type ReportOptions,
} from "./common.js";
import { controlsText, type FrameworkSummary } from "./controls.js";
import { inert, inertKeepingWidth } from "./escape.js";
import { nothingScanned, summaryLine, type RunSummary } from "./summary.js";

export interface TextOptions extends ReportOptions {
  color?: boolean;
  /** What the run read and hid, for the summary line. */
  summary?: RunSummary;
  /** The invocation's notifications, shown with the rules' before the summary. */
  notifications?: Notification[];
  /** The per-control summary of the frameworks a preset selected, shown before the summary line. */
  controls?: readonly FrameworkSummary[];
}

export const MAX_FRAME_LINES = 5;
const MAX_LINE_WIDTH = 160;

interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  level(level: string, s: string): string;
  ok(s: string): string;
}

const ANSI: Paint = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  level: (level, s) => `\x1b[${level === "error" ? 31 : level === "warning" ? 33 : 36}m${s}\x1b[39m`,
  ok: (s) => `\x1b[32m${s}\x1b[39m`,
};
const PLAIN: Paint = { bold: (s) => s, dim: (s) => s, level: (_l, s) => s, ok: (s) => s };

export function toText(result: RunResult, options: TextOptions = {}): string {
  const paint = options.color ? ANSI : PLAIN;
  const lines = new SourceLines(options.sources);
  const mask = options.maskLines ?? defaultMaskLines;
  const out: string[] = [];

  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const key = f.origin.file ? `f:${f.origin.file.path}` : `r:${resourceLabel(f.origin)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(f);
  }
  for (const findings of groups.values()) {
    if (out.length) out.push("");
    for (const [i, f] of findings.entries()) {
      // A blank line between findings that show more than their one line.
      if (i > 0 && out[out.length - 1] !== "" && (lines.get(f.origin.file?.path ?? "") || findings[i - 1].related.length)) out.push("");
      const suppressed = suppressionOf(options, f) ? paint.dim(" (suppressed)") : "";
      out.push(
        `${paint.bold(place(f.origin, lines))}  ${paint.level(f.level, f.level)}  ${inert(f.message)}  ${paint.dim(f.ruleId)}${suppressed}`,
      );
      out.push(...frame(f, lines, mask(f), paint));
      for (const r of f.related) out.push(`    ${paint.dim("related:")} ${place(r.origin, lines)}  ${inert(r.message)}`);
    }
  }

  const notifications = allNotifications({ result, invocation: options.notifications ? { notifications: options.notifications } : undefined });
  if (notifications.length) {
    if (out.length) out.push("");
    for (const n of notifications) out.push(`${paint.level(n.level, n.level)}  ${inert(n.message)}${n.ruleId ? `  ${paint.dim(n.ruleId)}` : ""}`);
  }

  if (options.controls?.length) {
    if (out.length) out.push("");
    out.push(controlsText(options.controls));
  }

  if (out.length) out.push("");
  out.push(summary(result.findings.filter((f) => !suppressionOf(options, f)), paint, options.summary));
  return out.join("\n") + "\n";
}

/** The summary line (see summary.ts), its counts coloured: `2 errors, 1 warning, 0 notes in 12 files (3 modules).` */
export function summary(findings: Finding[], paint: Paint = PLAIN, run?: RunSummary): string {
  const line = summaryLine(findings, run);
  if (findings.length === 0) return nothingScanned(run) ? paint.level("warning", line) : paint.ok(line);
  return line.replace(/^(\d+) (errors?), (\d+) (warnings?), (\d+) (notes?)/, (_m, e, ew, w, ww, n, nw) =>
    [[e, ew, "error"], [w, ww, "warning"], [n, nw, "note"]].map(([c, word, level]) => (c === "0" ? `${c} ${word}` : paint.level(level, paint.bold(`${c} ${word}`)))).join(", "),
  );
}

function place(origin: Origin, lines: SourceLines): string {
  if (origin.file) {
    const span = spanOf(origin.file.range, lines.get(origin.file.path));
    return `${inert(origin.file.path.replace(/\\/g, "/"))}:${span.startLine}:${span.startColumn}`;
  }
  const where = resourceLabel(origin);
  const region = origin.aws?.region && !(origin.aws.arn ?? "").includes(`:${origin.aws.region}:`) ? ` (${origin.aws.region})` : "";
  return inert(where + region);
}

/** The code frame: the reported lines with a gutter, each underlined where the range covers it. */
function frame(f: Finding, lines: SourceLines, masked: boolean, paint: Paint): string[] {
  const file = f.origin.file;
  if (!file) return [];
  const src = lines.get(file.path);
  if (!src) return [];
  const span = spanOf(file.range, src);
  if (span.startLine > src.length) return [];
  const last = Math.min(span.endLine, src.length);
  const shownLast = Math.min(last, span.startLine + MAX_FRAME_LINES - 1);
  const width = String(shownLast).length;
  const out: string[] = [];
  for (let n = span.startLine; n <= shownLast; n++) {
    const raw = src[n - 1];
    const line = masked ? maskLine(raw) : plainLine(raw);
    // The underlined part of this line, in original indexes.
    let from = n === span.startLine ? span.startColumn - 1 : raw.length - raw.trimStart().length;
    let to = n === span.endLine ? span.endColumn - 1 : raw.trimEnd().length;
    from = Math.min(from, raw.length);
    to = Math.max(from, Math.min(to, raw.length));
    let a = line.map(from);
    let b = line.map(to, true);
    let text = line.text;
    // Long lines: a window around the range.
    if (text.length > MAX_LINE_WIDTH) {
      const start = Math.max(0, Math.min(a - 20, text.length - MAX_LINE_WIDTH));
      const end = start + MAX_LINE_WIDTH;
      const prefix = start > 0 ? "…" : "";
      const clip = (i: number) => prefix.length + Math.max(0, Math.min(i - start, MAX_LINE_WIDTH));
      a = clip(a);
      b = clip(b);
      text = prefix + text.slice(start, end) + (end < text.length ? "…" : "");
    }
    const shown = inertKeepingWidth(text);
    out.push(`  ${paint.dim(`${String(n).padStart(width)} |`)} ${shown}`);
    if (b > a || n === span.startLine) {
      const pad = [...text.slice(0, a)].map((c) => (c === "\t" ? "\t" : " ")).join("");
      const marks = "^".repeat(Math.max(1, b - a));
      out.push(`  ${paint.dim(`${" ".repeat(width)} |`)} ${pad}${paint.level(f.level, marks)}`);
    }
  }
  if (last > shownLast) out.push(`  ${paint.dim(`${" ".repeat(width)} |`)} ${paint.dim(`… ${last - shownLast} more line${last - shownLast === 1 ? "" : "s"}`)}`);
  return out;
}


