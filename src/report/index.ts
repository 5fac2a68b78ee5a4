// The reporters: pure functions from a run's result to the text of one output format.
// The CLI picks one by name (`--format`), writes the string where it must, and decides colour.

import type { ReportFormat, ReportInput } from "./common.js";
import { toCompact } from "./compact.js";
import { toGithub } from "./github.js";
import { toJson } from "./json.js";
import { toSarif, type SarifInput } from "./sarif.js";
import { toText } from "./text.js";

export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "compact", "json", "sarif", "github"];

/** The report of a run in a format. SARIF-only options (informationUri, helpUri, category) may be passed too. */
export function formatReport(format: ReportFormat, input: ReportInput | SarifInput): string {
  const common = { sources: input.sources, maskLines: input.maskLines, suppression: input.suppression, summary: input.summary, notifications: input.invocation?.notifications };
  switch (format) {
    case "sarif":
      return toSarif(input);
    case "json":
      return toJson(input.result, { ...common, kind: input.kind, toolVersion: input.toolVersion });
    case "github":
      return toGithub(input.result, common);
    case "text":
      return toText(input.result, { ...common, color: input.color ?? false, ...(input.controls ? { controls: input.controls } : {}), ...(input.scanRoot ? { scanRoot: input.scanRoot } : {}) });
    case "compact":
      return toCompact(input.result, { ...common, ...(input.scanRoot ? { scanRoot: input.scanRoot } : {}) });
    default: {
      const never: never = format;
      throw new Error(`unknown report format ${String(never)}`);
    }
  }
}

export type { ReportFormat, ReportInput, ReportOptions, Suppression } from "./common.js";
export { defaultMaskLines, maskLine, SECRET_VALUE_RULES } from "./common.js";
export { FINGERPRINT_KEY, fingerprintFindings, fingerprintFindingsV1 } from "./fingerprint.js";
export { escapeData, escapeProperty, toGithub, type GithubOptions } from "./github.js";
export { toJson, toJsonFindings, toJsonReport, type JsonFinding, type JsonReport } from "./json.js";
export { toCompact } from "./compact.js";
export { summaryLine, type RunSummary } from "./summary.js";
export { GITHUB_LIMITS, toSarif, type SarifInput } from "./sarif.js";
export { summary, TEXT_WIDTH, toText, type TextOptions } from "./text.js";
export { controlsJson, controlsText, summarise, type ControlSummary, type FrameworkSummary } from "./controls.js";
export { inert, inertExceptLineBreaks, inertJson, inertKeepingWidth } from "./escape.js";
