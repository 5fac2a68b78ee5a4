// The HCL syntax tree. Native syntax (.tf) and JSON syntax (.tf.json) both produce it.
// Every node carries a Range: start and end positions, end exclusive.

/** A point in a source file. `column` counts UTF-16 code units (what SARIF and editors use). */
export interface Pos {
  /** Index into the JavaScript string (UTF-16 code units), for slicing source text. */
  offset: number;
  /** UTF-8 byte offset, as HashiCorp's HCL reports it. */
  byte: number;
  /** 1-based line. */
  line: number;
  /** 1-based column in UTF-16 code units. */
  column: number;
}

export interface Range {
  start: Pos;
  end: Pos;
}

export interface Diagnostic {
  severity: "error" | "warning";
  /** One sentence a person understands, e.g. "expected `=` or a block after `name`". */
  message: string;
  file: string;
  range: Range;
}

export interface Comment {
  /** `#` and `//` are line comments; `/* … *\/` is a block comment. */
  kind: "line" | "block";
  /** The whole comment text, markers included, without the line ending. */
  text: string;
  range: Range;
}

export interface File {
  fileName: string;
  body: Body;
  comments: Comment[];
  diagnostics: Diagnostic[];
  /**
   * The source text the ranges' `offset`s index into, exactly as given (a UTF-8 BOM stays in
   * it and counts in `offset`/`byte`, but not in columns: the first character is column 1).
   */
  source: string;
}

export interface Body {
  type: "Body";
  attributes: Attribute[];
  blocks: Block[];
  range: Range;
}

export interface Attribute {
  type: "Attribute";
  name: string;
  nameRange: Range;
  expr: Expression;
  /** From the name to the end of the expression. */
  range: Range;
}

export interface BlockLabel {
  value: string;
  /** True for `"quoted"` labels, false for bare identifiers. */
  quoted: boolean;
  range: Range;
}

export interface Block {
  type: "Block";
  blockType: string;
  typeRange: Range;
  labels: BlockLabel[];
  body: Body;
  openBraceRange: Range;
  closeBraceRange: Range;
  /** From the block type to the closing brace. */
  range: Range;
}

export type Expression =
  | LiteralExpr
  | TemplateExpr
  | VariableExpr
  | GetAttrExpr
  | IndexExpr
  | SplatExpr
  | SplatItemExpr
  | FunctionCallExpr
  | TupleExpr
  | ObjectExpr
  | UnaryExpr
  | BinaryExpr
  | ConditionalExpr
  | ForExpr
  | ParensExpr
  | InvalidExpr;

/** Numbers, `true`, `false`, `null`. Strings are TemplateExpr (see `isStringLiteral`). */
export interface LiteralExpr {
  type: "Literal";
  value: number | boolean | null;
  /** The source text of a number, e.g. "1.5e3" (HCL numbers are arbitrary precision). */
  raw: string;
  range: Range;
}

/** A quoted string or heredoc. A plain string is a template with one literal part. */
export interface TemplateExpr {
  type: "Template";
  parts: TemplatePart[];
  /** Set for heredocs: the marker (`EOF`) and whether it was `<<-` (indentation stripped). */
  heredoc?: { marker: string; flush: boolean };
  /** Set when the template is `"${ expr }"` alone: HCL then yields expr's value unchanged. */
  wrapped?: Expression;
  range: Range;
}

export type TemplatePart = TemplateLiteral | TemplateInterpolation | TemplateIf | TemplateFor;

/** Literal text, escapes decoded, strip markers applied. */
export interface TemplateLiteral {
  type: "TemplateLiteral";
  value: string;
  range: Range;
}

export interface TemplateInterpolation {
  type: "TemplateInterpolation";
  expr: Expression;
  stripLeft: boolean;
  stripRight: boolean;
  range: Range;
}

export interface TemplateIf {
  type: "TemplateIf";
  condition: Expression;
  then: TemplateExpr;
  else: TemplateExpr | null;
  range: Range;
}

export interface TemplateFor {
  type: "TemplateFor";
  keyVar: string | null;
  valueVar: string;
  collection: Expression;
  body: TemplateExpr;
  range: Range;
}

/** A root name: `var`, `local`, `aws_instance`, `each`, `count`, a for-expression variable. */
export interface VariableExpr {
  type: "Variable";
  name: string;
  range: Range;
}

/** `object.name` */
export interface GetAttrExpr {
  type: "GetAttr";
  object: Expression;
  name: string;
  nameRange: Range;
  range: Range;
}

/** `object[key]`; also the legacy `object.0` form (`legacy: true`). */
export interface IndexExpr {
  type: "Index";
  object: Expression;
  key: Expression;
  legacy?: boolean;
  range: Range;
}

/**
 * `object.*.a.b` (attribute-only splat, `full: false`) or `object[*].a[0]` (`full: true`).
 * `each` is the traversal applied to every element, rooted at a SplatItemExpr.
 */
export interface SplatExpr {
  type: "Splat";
  object: Expression;
  each: Expression;
  full: boolean;
  range: Range;
}

/** The element placeholder at the root of a SplatExpr's `each`. */
export interface SplatItemExpr {
  type: "SplatItem";
  range: Range;
}

export interface FunctionCallExpr {
  type: "FunctionCall";
  /** Full name, namespaces included: `provider::aws::arn_parse`. */
  name: string;
  nameRange: Range;
  args: Expression[];
  /** The last argument was followed by `...`. */
  expandFinal: boolean;
  range: Range;
}

export interface TupleExpr {
  type: "Tuple";
  items: Expression[];
  range: Range;
}

export interface ObjectItem {
  /**
   * The key. A bare identifier key (`name = 1`) is a VariableExpr with `bareKey` set on the
   * item: HCL takes it as the string "name", not a reference. `(name) = 1` is a reference.
   */
  key: Expression;
  bareKey: boolean;
  value: Expression;
  range: Range;
}

export interface ObjectExpr {
  type: "Object";
  items: ObjectItem[];
  range: Range;
}

export interface UnaryExpr {
  type: "Unary";
  op: "!" | "-";
  operand: Expression;
  range: Range;
}

export type BinaryOp = "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%";

export interface BinaryExpr {
  type: "Binary";
  op: BinaryOp;
  left: Expression;
  right: Expression;
  range: Range;
}

export interface ConditionalExpr {
  type: "Conditional";
  condition: Expression;
  then: Expression;
  else: Expression;
  range: Range;
}

/** `[for k, v in coll : expr if cond]` or `{for k, v in coll : key => value... if cond}`. */
export interface ForExpr {
  type: "For";
  keyVar: string | null;
  valueVar: string;
  collection: Expression;
  /** Only for object `for`: the key expression. */
  keyExpr: Expression | null;
  valueExpr: Expression;
  condition: Expression | null;
  /** Object `for` with `...` after the value: values grouped into tuples by key. */
  grouping: boolean;
  isObject: boolean;
  range: Range;
}

export interface ParensExpr {
  type: "Parens";
  expr: Expression;
  range: Range;
}

/** Stands where an expression could not be parsed; a diagnostic says why. */
export interface InvalidExpr {
  type: "Invalid";
  range: Range;
}

/** A template with no interpolation or directive: its value is known text. */
export function isStringLiteral(expr: Expression): expr is TemplateExpr {
  return expr.type === "Template" && expr.wrapped === undefined && expr.parts.every((p) => p.type === "TemplateLiteral");
}

/** The text of a string-literal template. */
export function stringLiteralValue(expr: TemplateExpr): string {
  let out = "";
  for (const part of expr.parts) if (part.type === "TemplateLiteral") out += part.value;
  return out;
}

/**
 * Calls `fn` on each direct sub-expression of `e`, in source order. A `"${x}"` template's
 * `wrapped` is its one interpolation's expression, so it is not a second child.
 */
export function forEachChild(e: Expression, fn: (child: Expression) => void): void {
  switch (e.type) {
    case "Template":
      for (const p of e.parts) {
        if (p.type === "TemplateInterpolation") fn(p.expr);
        else if (p.type === "TemplateIf") {
          fn(p.condition);
          fn(p.then);
          if (p.else) fn(p.else);
        } else if (p.type === "TemplateFor") {
          fn(p.collection);
          fn(p.body);
        }
      }
      break;
    case "GetAttr":
      fn(e.object);
      break;
    case "Index":
      fn(e.object);
      fn(e.key);
      break;
    case "Splat":
      fn(e.object);
      fn(e.each);
      break;
    case "FunctionCall":
      for (const a of e.args) fn(a);
      break;
    case "Tuple":
      for (const a of e.items) fn(a);
      break;
    case "Object":
      for (const it of e.items) {
        fn(it.key);
        fn(it.value);
      }
      break;
    case "Unary":
      fn(e.operand);
      break;
    case "Binary":
      fn(e.left);
      fn(e.right);
      break;
    case "Conditional":
      fn(e.condition);
      fn(e.then);
      fn(e.else);
      break;
    case "For":
      fn(e.collection);
      if (e.keyExpr) fn(e.keyExpr);
      fn(e.valueExpr);
      if (e.condition) fn(e.condition);
      break;
    case "Parens":
      fn(e.expr);
      break;
  }
}
