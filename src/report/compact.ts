// The compact format: one line per finding, as ESLint's and TFLint's compact formats, for
// editors' error lists (`errorformat`) and grep:
//
//   main.tf:12:5: error sym/symenv-tag-missing Secret "db" lacks the tag SymEnv …
//
// Paths as in the text format (absolute when they lead out of the working directory). A
// finding without a file starts with its resource (ARN or address) instead of the place. The
// tool's notifications follow as `secretlint: level: message`, then the summary line.

import type { Notification, RunResult } from "../engine/runner.js";
import { inert } from "./escape.js";
import { allNotifications, displayPath, displayPathsIn, knownPaths, resourceLabel, SourceLines, spanOf, suppressionOf, type ReportOptions } from "./common.js";
import { summaryLine, type RunSummary } from "./summary.js";

export interface CompactOptions extends ReportOptions {
  notifications?: Notification[];
  summary?: RunSummary;
  /** The absolute directory the findings' paths are relative to: paths leading out of it are shown absolute (as in the text format). */
  scanRoot?: string;
}

export function toCompact(result: RunResult, options: CompactOptions = {}): string {
  const lines = new SourceLines(options.sources);
  const out: string[] = [];
  const known = knownPaths(result.findings, options.sources);
  const shownText = (t: string) => displayPathsIn(t, known, options.scanRoot);
  for (const f of result.findings) {
    let place: string;
    if (f.origin.file) {
      const span = spanOf(f.origin.file.range, lines.get(f.origin.file.path));
      place = `${displayPath(f.origin.file.path, options.scanRoot)}:${span.startLine}:${span.startColumn}`;
    } else place = resourceLabel(f.origin);
    const suppressed = suppressionOf(options, f) ? " (suppressed)" : "";
    out.push(inert(`${place}: ${f.level} ${f.ruleId} ${shownText(f.message)}${suppressed}`));
  }
  const notifications = allNotifications({ result, invocation: options.notifications ? { notifications: options.notifications } : undefined });
  for (const n of notifications) out.push(inert(`secretlint: ${n.level}: ${shownText(n.message)}`));
  out.push(summaryLine(result.findings.filter((f) => !suppressionOf(options, f)), options.summary));
  return out.join("\n") + "\n";
}
