// The JSON format: an object with the run's summary, its findings and its notifications
// (version 2; version 1 was the bare array of findings). Documented in docs/json-format.md; the
// fields below are a public contract: new fields may be added, none is renamed or removed
// without a new version.
//
//   version        2
//   tool           { name: "secretlint", version }
//   kind           "scan" | "audit"
//   summary        { scanned: { files?, modules?, secrets?, principals? }, findings, errors,
//                    warnings, notes, hiddenByComments, hiddenByBaseline }
//   findings       the findings shown, in report order (by file, then position, then rule id;
//                  findings without a file last, by ARN), each:
//   notifications  the tool's own notices: { level, message, ruleId? }
//
// A finding:
//
//   ruleId      string    "sym/symenv-tag-missing"
//   level       string    "error" | "warning" | "note" (after configuration overrides)
//   message     string    the finding, in one sentence
//   file        string | null   path relative to the scan root, forward slashes; null for a
//                               finding in the live account without a declaration
//   line, column, endLine, endColumn   number | null   1-based; columns count UTF-16 code
//                               units; the end is exclusive (endColumn is the column after
//                               the last character); null when file is null
//   address     string    the Terraform address, when there is one      (omitted otherwise)
//   arn         string    the AWS resource's ARN, when known            (omitted otherwise)
//   account     string    the AWS account id, when known                (omitted otherwise)
//   region      string    the AWS region, when known                    (omitted otherwise)
//   related     array     other places that explain the finding: { message, file, line,
//                         column, endLine, endColumn, address?, arn?, account?, region? }
//   controls    array     the framework controls the rule answers ("AWS-FSBP SecretsManager.1"), when any (omitted otherwise)
//   suppressed  boolean   present (true) only for suppressed findings, shown with --include-suppressed
//   suppression object    with suppressed: { kind: "inSource" (a comment) | "external" (a baseline),
//                         justification?: the comment's `-- reason`, or the baseline's name }
//   fingerprint string    32 hex digits, stable across unrelated edits (see fingerprint.ts);
//                         the same as SARIF's partialFingerprints["secretlint/v2"]

import type { Finding, Notification, RunResult } from "../engine/runner.js";
import { summaryObject, type RunSummary, type SummaryObject } from "./summary.js";
import type { Origin } from "../inventory/model.js";
import { allNotifications, SourceLines, spanOf, suppressionOf, type ReportOptions } from "./common.js";
import { fingerprintFindings } from "./fingerprint.js";
import { controlLabel } from "../engine/frameworks.js";
import { inertJson } from "./escape.js";

export interface JsonPlace {
  file: string | null;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  address?: string;
  arn?: string;
  account?: string;
  region?: string;
}

export interface JsonFinding extends JsonPlace {
  ruleId: string;
  level: Finding["level"];
  message: string;
  related: Array<{ message: string } & JsonPlace>;
  controls?: string[];
  suppressed?: true;
  /** How it is suppressed: `inSource` (a comment, with its `-- reason` as justification) or `external` (a baseline). */
  suppression?: { kind: "inSource" | "external"; justification?: string };
  fingerprint: string;
}

export function toJsonFindings(result: RunResult, options: ReportOptions = {}): JsonFinding[] {
  const lines = new SourceLines(options.sources);
  const prints = fingerprintFindings(result.findings, options, lines);
  const controls = new Map(result.rules.filter((r) => r.controls?.length).map((r) => [r.id, r.controls!.map(controlLabel)]));
  return result.findings.map((f, i) => {
    const out: JsonFinding = {
      ruleId: f.ruleId,
      level: f.level,
      message: f.message,
      ...place(f.origin, lines),
      related: f.related.map((r) => ({ message: r.message, ...place(r.origin, lines) })),
      fingerprint: prints[i],
    };
    const c = controls.get(f.ruleId);
    if (c) out.controls = c;
    const suppression = suppressionOf(options, f);
    if (suppression) {
      out.suppressed = true;
      out.suppression = suppression.justification ? { kind: suppression.kind, justification: suppression.justification } : { kind: suppression.kind };
    }
    // Fixed key order: the place's optional keys sit after the position, fingerprint last.
    const { fingerprint, ...rest } = out;
    return { ...rest, fingerprint };
  });
}

export interface JsonReport {
  version: 2;
  tool: { name: "secretlint"; version: string };
  kind: "scan" | "audit";
  summary: SummaryObject;
  findings: JsonFinding[];
  notifications: Array<{ level: Notification["level"]; message: string; ruleId?: string }>;
}

export interface JsonOptions extends ReportOptions {
  summary?: RunSummary;
  notifications?: Notification[];
  kind?: "scan" | "audit";
  toolVersion?: string;
}

/** The JSON report as an object (see the head of this file). */
export function toJsonReport(result: RunResult, options: JsonOptions = {}): JsonReport {
  const findings = toJsonFindings(result, options);
  return {
    version: 2,
    tool: { name: "secretlint", version: options.toolVersion ?? "" },
    kind: options.kind ?? "scan",
    summary: summaryObject(
      result.findings.filter((f) => !suppressionOf(options, f)),
      options.summary,
    ),
    findings,
    notifications: allNotifications({ result, invocation: options.notifications ? { notifications: options.notifications } : undefined }).map((n) =>
      n.ruleId ? { level: n.level, message: n.message, ruleId: n.ruleId } : { level: n.level, message: n.message },
    ),
  };
}

export function toJson(result: RunResult, options: JsonOptions = {}): string {
  return inertJson(JSON.stringify(toJsonReport(result, options), null, 2)) + "\n";
}

function place(origin: Origin, lines: SourceLines): JsonPlace {
  const p: JsonPlace = { file: null, line: null, column: null, endLine: null, endColumn: null };
  if (origin.file) {
    const span = spanOf(origin.file.range, lines.get(origin.file.path));
    p.file = origin.file.path.replace(/\\/g, "/");
    p.line = span.startLine;
    p.column = span.startColumn;
    p.endLine = span.endLine;
    p.endColumn = span.endColumn;
  }
  if (origin.address) p.address = origin.address;
  if (origin.aws?.arn) p.arn = origin.aws.arn;
  if (origin.aws?.account) p.account = origin.aws.account;
  if (origin.aws?.region) p.region = origin.aws.region;
  return p;
}
