// The library's one-call API: scan paths and get the findings in the JSON format's shape (the
// same objects `--format json` prints: docs/json-format.md), or any report format as a string.
// `scanPaths` (src/scan.ts) stays the lower-level call, with the inventory and internal findings.

import { packageVersion } from "./package-root.js";
import { formatReport, toJsonReport, type JsonReport, type ReportFormat, type ReportInput } from "./report/index.js";
import { scanPaths, type ScanOptions, type ScanResult } from "./scan.js";

/**
 * Scans Terraform and app configurations under `paths` (a path or several; default `.`) with
 * every rule at its default level unless `options` says otherwise, and returns the JSON
 * format's report: `{ version, tool, kind, summary, findings, notifications }`. Suppressed
 * findings are left out (`suppressed: true` in `findings` with `includeSuppressed`).
 */
export function lint(paths: string | string[] = ".", options: ScanOptions & { includeSuppressed?: boolean } = {}): JsonReport {
  const scan = scanPaths(Array.isArray(paths) ? paths : [paths], options);
  return toJsonReport(
    { findings: options.includeSuppressed ? [...scan.findings, ...scan.suppressed] : scan.findings, notifications: scan.notifications, rules: scan.rules },
    { sources: scan.sources, summary: summaryOf(scan), notifications: scan.notices, kind: "scan", toolVersion: packageVersion() },
  );
}

/** A scan's report in any format (`text`, `compact`, `json`, `sarif`, `github`), as the command line writes it. */
export function formatScan(scan: ScanResult, format: ReportFormat, options: { color?: boolean; scanRoot?: string } = {}): string {
  const input: ReportInput = {
    result: { findings: scan.findings, notifications: scan.notifications, rules: scan.rules },
    kind: "scan",
    toolVersion: packageVersion(),
    sources: scan.sources,
    scanRoot: options.scanRoot ?? process.cwd(),
    invocation: { notifications: scan.notices, successful: !scan.partial },
    summary: summaryOf(scan),
    color: options.color ?? false,
  };
  return formatReport(format, input);
}

function summaryOf(scan: ScanResult) {
  return { scanned: scan.scanned, hiddenByComments: scan.suppressed.length, hiddenByBaseline: 0 };
}
