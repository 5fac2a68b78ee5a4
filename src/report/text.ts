// The text format, for people, readable at 100 columns: findings grouped by file (the path
// once, as ESLint's stylish format does), each with a short header (place, level, rule), its
// message wrapped on word boundaries, a code frame and the related places:
//
//   main.tf
//     12:5  error  sym/symenv-tag-missing
//       Secret "db" lacks the tag SymEnv, which the Sym access policy conditions on, so Sym's
//       read fails with AccessDenied. Add the tag.
//       12 |   tags = local.common_tags
//          |   ^^^^^^^^^^^^^^^^^^^^^^^^
//       related: 3:1  the Sym access policy conditions on SymEnv here
//
// Live findings without a file are grouped by resource (ARN) the same way, without a line and
// column. Then the tool's notifications, the per-control table of a preset, and a summary line.
//
// The code frame shows the reported lines (at most MAX_FRAME_LINES; long lines cut to a
// window around the range), underlined on the first line only. Lines of findings that may
// show a secret value are masked (ReportOptions.maskLines; in HCL a heredoc's closing marker
// and other syntax that holds no value stay, see maskFrameLines). Paths are as the findings
// hold them (relative to the working directory) when inside it, absolute when they lead out
// (options.scanRoot). Colour (ANSI codes written here: no dependency) only when `color` is
// true; every string from the input goes through the escape helper (escape.ts), so no input
// can drive the terminal or forge a line. Wrapping is wrap.ts's (as wrap-ansi wraps, wide characters counted).

import type { Finding, Notification, RunResult } from "../engine/runner.js";
import type { Origin } from "../inventory/model.js";
import {
  allNotifications,
  defaultMaskLines,
  displayPath,
  displayPathsIn,
  isHclFile,
  knownPaths,
  maskFrameLines,
  plainLine,
  resourceLabel,
  SourceLines,
  spanOf,
  suppressionOf,
  type ReportOptions,
} from "./common.js";
import { controlsText, type FrameworkSummary } from "./controls.js";
import { inert, inertKeepingWidth } from "./escape.js";
import { wrapOnSpaces } from "./wrap.js";
import { nothingScanned, summaryLine, type RunSummary } from "./summary.js";

export interface TextOptions extends ReportOptions {
  color?: boolean;
  /** What the run read and hid, for the summary line. */
  summary?: RunSummary;
  /** The invocation's notifications, shown with the rules' before the summary. */
  notifications?: Notification[];
  /** The per-control summary of the frameworks a preset selected, shown before the summary line. */
  controls?: readonly FrameworkSummary[];
  /** The absolute directory the findings' paths are relative to: paths leading out of it are shown absolute. */
  scanRoot?: string;
  /** The width messages are wrapped to (default {@link TEXT_WIDTH}). */
  width?: number;
}

/** The width the text format fits in (a word longer than a line is not cut). */
export const TEXT_WIDTH = 100;
export const MAX_FRAME_LINES = 5;
/** Indent of a finding's header under its file, and of its message, frame and related places. */
const HEAD = "  ";
const BODY = "    ";

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

/** Plain (already inert) text wrapped on word boundaries to `width` columns: the lines, without indent. */
export function wrapWords(text: string, width: number): string[] {
  return wrapOnSpaces(text, Math.max(20, width));
}

/** `first` before the first line, `rest` before the others; the text wrapped to fit `width` with them. */
function hanging(text: string, first: string, rest: string, width: number): string[] {
  return wrapWords(text, width - rest.length).map((l, i) => (i === 0 ? first : rest) + l);
}

export function toText(result: RunResult, options: TextOptions = {}): string {
  const paint = options.color ? ANSI : PLAIN;
  const width = options.width ?? TEXT_WIDTH;
  const lines = new SourceLines(options.sources);
  const mask = options.maskLines ?? defaultMaskLines;
  const shownPath = (p: string) => inert(displayPath(p, options.scanRoot));
  const known = knownPaths(result.findings, options.sources);
  /** A message or notice, its places shown as file places are, made inert. */
  const shownText = (t: string) => inert(displayPathsIn(t, known, options.scanRoot));
  const out: string[] = [];

  // Groups: one per file, then one per live resource, in the findings' order.
  const groups = new Map<string, { title: string; file?: string; findings: Finding[] }>();
  for (const f of result.findings) {
    const file = f.origin.file?.path;
    const key = file !== undefined ? `f:${file}` : `r:${resourceLabel(f.origin)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { title: file !== undefined ? shownPath(file) : resourceTitle(f.origin), findings: [], ...(file !== undefined ? { file } : {}) }));
    g.findings.push(f);
  }
  for (const g of groups.values()) {
    if (out.length) out.push("");
    out.push(paint.bold(g.title));
    for (const [i, f] of g.findings.entries()) {
      if (i > 0) out.push("");
      const suppressed = suppressionOf(options, f) ? `  ${paint.dim("(suppressed)")}` : "";
      const at = f.origin.file ? `${position(f.origin, lines)}  ` : "";
      out.push(`${HEAD}${at}${paint.level(f.level, f.level)}  ${paint.dim(inert(f.ruleId))}${suppressed}`);
      out.push(...hanging(shownText(f.message), BODY, BODY, width));
      out.push(...frame(f, lines, mask(f), paint, width));
      for (const r of f.related) {
        // In the finding's own file: the line and column; at its own live resource: said so.
        const place = r.origin.file
          ? r.origin.file.path === g.file
            ? position(r.origin, lines)
            : relatedPlace(r.origin, lines, shownPath)
          : g.file === undefined && resourceTitle(r.origin) === g.title
            ? "(same resource)"
            : relatedPlace(r.origin, lines, shownPath);
        const label = `${BODY}related: `;
        const text = hanging(`${place}  ${shownText(r.message)}`, label, " ".repeat(label.length + 2), width);
        out.push(...text.map((l, k) => (k === 0 ? `${BODY}${paint.dim("related:")} ${l.slice(label.length)}` : l)));
      }
    }
  }

  const notifications = allNotifications({ result, invocation: options.notifications ? { notifications: options.notifications } : undefined });
  if (notifications.length) {
    if (out.length) out.push("");
    for (const n of notifications) {
      const rule = n.ruleId ? `  ${inert(n.ruleId)}` : "";
      const text = hanging(`${shownText(n.message)}${rule}`, `${n.level}  `, " ".repeat(n.level.length + 2), width);
      text[0] = paint.level(n.level, n.level) + text[0].slice(n.level.length);
      const last = text.length - 1;
      if (rule && text[last].endsWith(rule.trim())) text[last] = text[last].slice(0, -rule.trim().length) + paint.dim(rule.trim());
      out.push(...text);
    }
  }

  if (options.controls?.length) {
    if (out.length) out.push("");
    out.push(controlsText(options.controls));
  }

  if (out.length) out.push("");
  out.push(summary(result.findings.filter((f) => !suppressionOf(options, f)), paint, options.summary, width));
  return out.join("\n") + "\n";
}

/** The summary line (see summary.ts), wrapped to `width`, its counts coloured: `2 errors, 1 warning, 0 notes in 12 files (3 modules).` */
export function summary(findings: Finding[], paint: Paint = PLAIN, run?: RunSummary, width = TEXT_WIDTH): string {
  const text = wrapWords(summaryLine(findings, run), width);
  if (findings.length === 0) return text.map((l) => (nothingScanned(run) ? paint.level("warning", l) : paint.ok(l))).join("\n");
  text[0] = text[0].replace(/^(\d+) (errors?), (\d+) (warnings?), (\d+) (notes?)/, (_m, e, ew, w, ww, n, nw) =>
    [[e, ew, "error"], [w, ww, "warning"], [n, nw, "note"]].map(([c, word, level]) => (c === "0" ? `${c} ${word}` : paint.level(level, paint.bold(`${c} ${word}`)))).join(", "),
  );
  return text.join("\n");
}

/** `12:5`: where a finding starts in its file. */
function position(origin: Origin, lines: SourceLines): string {
  const span = spanOf(origin.file!.range, lines.get(origin.file!.path));
  return `${span.startLine}:${span.startColumn}`;
}

/** A live resource as a group's title: its ARN (else address), and its region when the ARN does not say it. */
function resourceTitle(origin: Origin): string {
  const region = origin.aws?.region && !(origin.aws.arn ?? "").includes(`:${origin.aws.region}:`) ? ` (${origin.aws.region})` : "";
  return inert(resourceLabel(origin) + region);
}

function relatedPlace(origin: Origin, lines: SourceLines, shownPath: (p: string) => string): string {
  return origin.file ? `${shownPath(origin.file.path)}:${position(origin, lines)}` : resourceTitle(origin);
}

/**
 * The code frame: the reported lines (at most MAX_FRAME_LINES) with a gutter, the first one
 * underlined from the range's start to its end on that line (or the line's end). Lines longer
 * than the frame's width are cut to a window around the underline.
 */
function frame(f: Finding, lines: SourceLines, masked: boolean, paint: Paint, width: number): string[] {
  const file = f.origin.file;
  if (!file) return [];
  const src = lines.get(file.path);
  if (!src) return [];
  const span = spanOf(file.range, src);
  if (span.startLine > src.length) return [];
  const last = Math.min(span.endLine, src.length);
  const shownLast = Math.min(last, span.startLine + MAX_FRAME_LINES - 1);
  const gutter = String(shownLast).length;
  // `    12 | ` before the code; the code gets the rest of the width (never under 40).
  const codeWidth = Math.max(40, width - BODY.length - gutter - 3 - 2); // 2: the ellipses of a cut line
  const raws = src.slice(span.startLine - 1, shownLast);
  const shownLines = masked ? maskFrameLines(raws, isHclFile(file.path)) : raws.map((l) => plainLine(l));
  const out: string[] = [];
  for (const [k, raw] of raws.entries()) {
    const n = span.startLine + k;
    const line = shownLines[k];
    let text = line.text;
    let a = 0;
    let b = 0;
    if (k === 0) {
      // The underlined part, in original indexes, then in the shown line's.
      const from = Math.min(span.startColumn - 1, raw.length);
      const to = Math.max(from, Math.min(n === span.endLine ? span.endColumn - 1 : raw.trimEnd().length, raw.length));
      a = line.map(from);
      b = line.map(to, true);
    }
    if (text.length > codeWidth) {
      // A window around the underline (around the start of the line for lines without one).
      const start = k === 0 ? Math.max(0, Math.min(a - 20, text.length - codeWidth)) : 0;
      const end = start + codeWidth;
      const prefix = start > 0 ? "…" : "";
      const clip = (i: number) => prefix.length + Math.max(0, Math.min(i - start, codeWidth));
      a = clip(a);
      b = clip(b);
      text = prefix + text.slice(start, end) + (end < text.length ? "…" : "");
    }
    out.push(`${BODY}${paint.dim(`${String(n).padStart(gutter)} |`)} ${inertKeepingWidth(text)}`);
    if (k === 0) {
      const pad = [...text.slice(0, a)].map((c) => (c === "\t" ? "\t" : " ")).join("");
      const marks = "^".repeat(Math.max(1, b - a));
      out.push(`${BODY}${paint.dim(`${" ".repeat(gutter)} |`)} ${pad}${paint.level(f.level, marks)}`);
    }
  }
  if (last > shownLast) out.push(`${BODY}${paint.dim(`${" ".repeat(gutter)} |`)} ${paint.dim(`… ${last - shownLast} more line${last - shownLast === 1 ? "" : "s"}`)}`);
  return out;
}
