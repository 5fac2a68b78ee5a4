// The library API: the HCL parser and its syntax tree, and the scan itself, for other tools.
export { parseHcl, parseTemplateSource, parseExpressionSource } from "./hcl/parser.js";
export { parseHclJson } from "./hcl/json.js";
export type * from "./hcl/ast.js";
export { isStringLiteral, stringLiteralValue } from "./hcl/ast.js";
export { scanPaths, scanDirectory, type ScanOptions, type ScanResult } from "./scan.js";
export { allRules } from "../rules/index.js";
export type { Inventory } from "./inventory/model.js";
export type { Finding } from "./engine/runner.js";
