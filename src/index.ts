// The library API: the HCL parser and its syntax tree, the scan (in the JSON format's shape, or
// with the inventory), the rule catalogue and the reporters, for other tools (README, "Library").
export { parseHcl, parseTemplateSource, parseExpressionSource } from "./hcl/parser.js";
export { parseHclJson } from "./hcl/json.js";
export type * from "./hcl/ast.js";
export { isStringLiteral, stringLiteralValue } from "./hcl/ast.js";
export { lint, formatScan } from "./lint.js";
export { scanPaths, scanDirectory, type ScanOptions, type ScanResult } from "./scan.js";
export {
  REPORT_FORMATS,
  formatReport,
  toCompact,
  toGithub,
  toJson,
  toJsonReport,
  toSarif,
  toText,
  type JsonFinding,
  type JsonReport,
  type ReportFormat,
  type ReportInput,
  type RunSummary,
} from "./report/index.js";
export { allRules } from "../rules/index.js";
export type { Inventory } from "./inventory/model.js";
export type { Finding } from "./engine/runner.js";
