// Fingerprints: a finding's identity across runs, for SARIF `partialFingerprints`, the JSON
// format and baselines. They must survive unrelated edits — lines inserted above, CRLF,
// re-indentation, another identical block added above — so they hash what the finding is
// about, not where it is:
//
//   sha256("secretlint/v2" \0 ruleId \0 place \0 entity \0 text), first 32 hex digits
//
// - place: the file's path relative to the scan root with forward slashes; for a finding
//   without a file, "aws:" + its ARN (else its Terraform address, else account and region).
// - entity: the stable identity of what the finding is about: its Terraform address relative
//   to the module instance whose file holds the place (so a place written once in a shared
//   module has one identity whoever calls the module), instance keys of module calls dropped
//   (`module.db["a"]` and `module.db["b"]` share one written value), then `#` and the part
//   inside it when there is one (`tags.SymEnv`, `Statement[2]`). Empty when the finding has no
//   address (app configurations, parse errors): then place and text decide.
// - text: the reported snippet with runs of white space collapsed to one space — the range's
//   text when it lies on one line, else the first line's part from the start column; the
//   whole start line when that is empty. Lines that may hold a secret value are masked first
//   (see ReportOptions.maskLines), so no fingerprint depends on a secret. Without the file's
//   text, or without a file: the message id (and the region).
// - Only when two findings of a run still have the same key (the same rule, place, entity and
//   text: two equal `.env` lines, say), the second and later get `\0` + their rank in report
//   order appended.
//
// The key is `secretlint/v2`, not GitHub's `primaryLocationLineHash`, which GitHub computes
// itself from the source (and reports as inconsistent when a tool sends its own).
//
// `secretlint/v1` (rule, place, text and an occurrence index always) is kept only to read
// baselines written before v2 (see src/engine/baseline.ts).

import { nodeCrypto } from "../util/builtins.js";
import type { Finding } from "../engine/runner.js";
import type { Origin } from "../inventory/model.js";
import { defaultMaskLines, maskLine, SourceLines, spanOf, type ReportOptions } from "./common.js";

export const FINGERPRINT_KEY = "secretlint/v2";
/** The key of fingerprints in baselines of the first format. */
export const FINGERPRINT_KEY_V1 = "secretlint/v1";

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
 * The entity part: the address relative to the module instance holding the place, without the
 * instance keys of module calls, and the part inside the entity (see the head of this file).
 */
export function entityIdentity(o: Origin): string {
  let address = o.address ?? "";
  if (address && o.module && address.startsWith(`${o.module}.`)) address = address.slice(o.module.length + 1);
  address = address.replace(/(^|\.)(module\.[^.[\]]+)\[[^\]]*\]/g, "$1$2");
  return o.part ? `${address}#${o.part}` : address;
}

/**
 * Fingerprints of findings, in order (ties are ranked within this list, so pass the whole run's
 * findings). `lines` shares a reporter's split sources.
 */
export function fingerprintFindings(findings: Finding[], options: ReportOptions = {}, lines = new SourceLines(options.sources)): string[] {
  const mask = options.maskLines ?? defaultMaskLines;
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const key = `${FINGERPRINT_KEY}\u0000${f.ruleId}\u0000${fingerprintPlace(f)}\u0000${entityIdentity(f.origin)}\u0000${textOf(f, lines, mask)}`;
    const rank = seen.get(key) ?? 0;
    seen.set(key, rank + 1);
    return hash(rank === 0 ? key : `${key}\u0000${rank}`);
  });
}

/** Fingerprints as `secretlint/v1` computed them (rule, place, text, occurrence), to match baselines of the first format. */
export function fingerprintFindingsV1(findings: Finding[], options: ReportOptions = {}, lines = new SourceLines(options.sources)): string[] {
  const mask = options.maskLines ?? defaultMaskLines;
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const key = `${FINGERPRINT_KEY_V1}\u0000${f.ruleId}\u0000${fingerprintPlace(f)}\u0000${textOf(f, lines, mask)}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return hash(`${key}\u0000${occurrence}`);
  });
}

function textOf(f: Finding, lines: SourceLines, mask: (f: Finding) => boolean): string {
  return f.origin.file ? fingerprintText(f, lines.get(f.origin.file.path), mask(f)) : `message:${f.messageId}\u0000${f.origin.aws?.region ?? ""}`;
}

function hash(s: string): string {
  return nodeCrypto().createHash("sha256").update(s).digest("hex").slice(0, 32);
}
