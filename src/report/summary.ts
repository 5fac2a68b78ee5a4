// What a run read and what it hid, for the summary every format carries: files and modules
// scanned (or, for an audit, the account's secrets and principals read), and how many findings
// suppression comments and the baseline hid. An empty scan says so.

import type { Finding } from "../engine/runner.js";

export interface RunSummary {
  /** What was read, by kind, in the order to show: `files`, `modules` (Terraform), `secrets`, `principals` (an account). */
  scanned: Array<{ what: "files" | "modules" | "secrets" | "principals" | "policies"; count: number }>;
  /** Findings hidden by `secretlint:ignore` comments. */
  hiddenByComments: number;
  /** Findings hidden by the baseline. */
  hiddenByBaseline: number;
}

const NOUNS: Record<RunSummary["scanned"][number]["what"], [string, string]> = {
  files: ["file", "files"],
  modules: ["module", "modules"],
  secrets: ["secret", "secrets"],
  principals: ["IAM principal", "IAM principals"],
  policies: ["policy", "policies"],
};

function count(n: number, [one, many]: [string, string]): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `12 files (3 modules)`, `340 secrets, 25 IAM principals`. */
export function scannedText(summary: RunSummary): string {
  const [first, ...rest] = summary.scanned;
  if (!first) return "";
  if (first.what === "files" && rest.length > 0 && rest[0].what === "modules") {
    const others = rest.slice(1).map((s) => count(s.count, NOUNS[s.what]));
    return [`${count(first.count, NOUNS.files)} (${count(rest[0].count, NOUNS.modules)})`, ...others].join(", ");
  }
  return summary.scanned.map((s) => count(s.count, NOUNS[s.what])).join(", ");
}

/** True when nothing at all was read. */
export function nothingScanned(summary: RunSummary | undefined): boolean {
  return summary !== undefined && summary.scanned.every((s) => s.count === 0);
}

/** `; hidden: 2 by secretlint:ignore comments, 5 by the baseline`, or "". */
export function hiddenText(summary: RunSummary | undefined): string {
  if (!summary) return "";
  const parts: string[] = [];
  if (summary.hiddenByComments > 0) parts.push(`${summary.hiddenByComments} by secretlint:ignore comment${summary.hiddenByComments === 1 ? "" : "s"}`);
  if (summary.hiddenByBaseline > 0) parts.push(`${summary.hiddenByBaseline} by the baseline`);
  return parts.length ? `; hidden: ${parts.join(", ")}` : "";
}

/** Counts of findings by level: `2 errors, 1 warning, 0 notes`, or `No findings`. */
export function levelCounts(findings: Finding[]): string {
  if (findings.length === 0) return "No findings";
  const n = (level: string) => findings.filter((f) => f.level === level).length;
  return [count(n("error"), ["error", "errors"]), count(n("warning"), ["warning", "warnings"]), count(n("note"), ["note", "notes"])].join(", ");
}

/** The summary line: `2 errors, 1 warning, 0 notes in 12 files (3 modules); hidden: 1 by …`. */
export function summaryLine(findings: Finding[], summary?: RunSummary): string {
  if (nothingScanned(summary)) return "Nothing was scanned: no Terraform, plan or app configuration file was found.";
  const scanned = summary ? scannedText(summary) : "";
  return `${levelCounts(findings)}${scanned ? ` in ${scanned}` : ""}${hiddenText(summary)}.`;
}

/** The summary as data (JSON's `summary`, SARIF's `run.properties.summary`): counts of the findings shown (suppressed ones left out). */
export interface SummaryObject {
  scanned: Partial<Record<RunSummary["scanned"][number]["what"], number>>;
  findings: number;
  errors: number;
  warnings: number;
  notes: number;
  hiddenByComments: number;
  hiddenByBaseline: number;
}

export function summaryObject(findings: Finding[], summary: RunSummary | undefined): SummaryObject {
  const scanned: SummaryObject["scanned"] = {};
  for (const s of summary?.scanned ?? []) scanned[s.what] = s.count;
  return {
    scanned,
    findings: findings.length,
    errors: findings.filter((f) => f.level === "error").length,
    warnings: findings.filter((f) => f.level === "warning").length,
    notes: findings.filter((f) => f.level === "note").length,
    hiddenByComments: summary?.hiddenByComments ?? 0,
    hiddenByBaseline: summary?.hiddenByBaseline ?? 0,
  };
}
