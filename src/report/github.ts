// The github format: GitHub Actions workflow commands, one a finding, which the runner turns
// into annotations on the pull request's diff:
//
//   ::error file=main.tf,line=12,col=5,endLine=12,endColumn=16,title=sym/symenv-tag-missing::message
//
// `warning` for warnings, `notice` for notes. GitHub's escaping: in the message `%` → %25,
// CR → %0D, LF → %0A; in property values also `:` → %3A and `,` → %2C. Columns are sent only
// for a one-line range (GitHub drops them otherwise), the end column inclusive (the last
// character's column), as the annotation API counts it. A finding without a file is an
// annotation without a place, its message prefixed with the resource's ARN. The tool's
// notifications follow as annotations titled `secretlint`. GitHub shows at most 10
// annotations of each kind per step (and 50 per job); the rest stay in the log.

import type { Finding, Notification, RunResult } from "../engine/runner.js";
import { inertExceptLineBreaks } from "./escape.js";
import { summaryLine, type RunSummary } from "./summary.js";
import { allNotifications, resourceLabel, SourceLines, spanOf, suppressionOf, type ReportOptions } from "./common.js";

export interface GithubOptions extends ReportOptions {
  /** The invocation's notifications, emitted after the findings with the rules'. */
  notifications?: Notification[];
  /** What the run read and hid: the last line, a notice titled `secretlint summary`. */
  summary?: RunSummary;
}

const COMMAND: Record<string, string> = { error: "error", warning: "warning", note: "notice" };

/**
 * Escapes a workflow command's message: control characters made visible first (no ESC or BEL
 * reaches the log), then GitHub's own escapes (a line break is `%0A`: never a second command).
 */
export function escapeData(s: string): string {
  return inertExceptLineBreaks(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a workflow command's property value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(level: string, props: Array<[string, string | number]>, message: string): string {
  const p = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(",");
  return `::${COMMAND[level] ?? "warning"}${p ? ` ${p}` : ""}::${escapeData(message)}`;
}

export function githubCommand(f: Finding, lines: SourceLines, suppressed = false): string {
  const props: Array<[string, string | number]> = [];
  let message = suppressed ? `${f.message} (suppressed)` : f.message;
  const file = f.origin.file;
  if (file) {
    const span = spanOf(file.range, lines.get(file.path));
    props.push(["file", file.path.replace(/\\/g, "/")], ["line", span.startLine]);
    // An end at column 1 of a later line means the line before, whole.
    const endLine = span.endColumn === 1 && span.endLine > span.startLine ? span.endLine - 1 : span.endLine;
    if (endLine === span.startLine && span.endLine === span.startLine) {
      props.push(["col", span.startColumn], ["endLine", endLine], ["endColumn", Math.max(span.startColumn, span.endColumn - 1)]);
    } else {
      props.push(["endLine", endLine]);
    }
  } else {
    message = `${resourceLabel(f.origin)}: ${message}`;
  }
  props.push(["title", f.ruleId]);
  return command(f.level, props, message);
}

export function toGithub(result: RunResult, options: GithubOptions = {}): string {
  const lines = new SourceLines(options.sources);
  const out = result.findings.map((f) => githubCommand(f, lines, !!suppressionOf(options, f)));
  const notifications = allNotifications({ result, invocation: options.notifications ? { notifications: options.notifications } : undefined });
  for (const n of notifications) out.push(command(n.level, [["title", n.ruleId ? `secretlint ${n.ruleId}` : "secretlint"]], n.message));
  if (options.summary) out.push(command("note", [["title", "secretlint summary"]], summaryLine(result.findings.filter((f) => !suppressionOf(options, f)), options.summary)));
  return out.length ? out.join("\n") + "\n" : "";
}
