// Fingerprints: a finding's identity across runs, for SARIF `partialFingerprints`, the JSON
// format and baselines. They must survive unrelated edits (lines inserted above move every
// line number), so they hash what was reported, not where:
//
//   sha256("secretlint/v1" \0 ruleId \0 place \0 text \0 occurrence), first 32 hex digits
//
// - place: the file's path relative to the scan root with forward slashes; for a finding
//   without a file, "aws:" + its ARN (else its Terraform address, else account and region).
// - text: the reported snippet with runs of white space collapsed to one space — the range's
//   text when it lies on one line, else the first line's part from the start column; the
//   whole start line when that is empty (a zero-width parse-error position). The lines of
//   findings whose source holds a secret value (see ReportOptions.maskLines) are masked
//   before hashing, so no fingerprint depends on a secret. Without the file's text: the
//   message id. For a finding without a file: the message id and the region.
// - occurrence: 0 for the first finding with the same rule, place and text (in report
//   order, which is source order), 1 for the next, and so on.
//
// The key is `secretlint/v1`, not GitHub's `primaryLocationLineHash`, which GitHub computes
// itself from the source (and reports as inconsistent when a tool sends its own).

import { createHash } from "node:crypto";
import type { Finding } from "../engine/runner.js";
import { defaultMaskLines, maskLine, SourceLines, spanOf, spanText, type ReportOptions } from "./common.js";

export const FINGERPRINT_KEY = "secretlint/v1";

/** The normalised text a finding's fingerprint hashes (never a secret: masked where it could be one). */
export function fingerprintText(finding: Finding, lines: string[] | null, mask: boolean): string {
  const file = finding.origin.file;
  if (!file || !lines) return `message:${finding.messageId}`;
  const span = spanOf(file.range, lines);
  if (span.startLine > lines.length) return `message:${finding.messageId}`;
  const line = lines[span.startLine - 1];
  const shown = mask ? maskLine(line) : { text: line, map: (i: number) => i };
  let text: string;
  if (span.endLine === span.startLine) {
    text = shown.text.slice(shown.map(span.startColumn - 1), shown.map(span.endColumn - 1, true));
  } else {
    text = shown.text.slice(shown.map(span.startColumn - 1));
  }
  text = normalise(text);
  if (text === "") text = normalise(shown.text);
  return text;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The place part of the fingerprint. */
export function fingerprintPlace(finding: Finding): string {
  const o = finding.origin;
  if (o.file) return o.file.path.replace(/\\/g, "/").replace(/^(?:\.\/)+/, "");
  const id = o.aws?.arn ?? o.address ?? `${o.aws?.account ?? ""}/${o.aws?.region ?? ""}`;
  return `aws:${id}`;
}

/**
 * Fingerprints of findings, in order (occurrence indexes count within this list, so pass the
 * whole run's findings). `lines` shares a reporter's split sources.
 */
export function fingerprintFindings(findings: Finding[], options: ReportOptions = {}, lines = new SourceLines(options.sources)): string[] {
  const mask = options.maskLines ?? defaultMaskLines;
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const place = fingerprintPlace(f);
    const text = f.origin.file
      ? fingerprintText(f, lines.get(f.origin.file.path), mask(f))
      : `message:${f.messageId}\u0000${f.origin.aws?.region ?? ""}`;
    const key = `${FINGERPRINT_KEY}\u0000${f.ruleId}\u0000${place}\u0000${text}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash("sha256").update(`${key}\u0000${occurrence}`).digest("hex").slice(0, 32);
  });
}
