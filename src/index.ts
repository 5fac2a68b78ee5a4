// The library API: the parser and its syntax tree, for other tools to use.
export { parseHcl, parseTemplateSource, parseExpressionSource } from "./hcl/parser.js";
export type * from "./hcl/ast.js";
export { isStringLiteral, stringLiteralValue } from "./hcl/ast.js";
