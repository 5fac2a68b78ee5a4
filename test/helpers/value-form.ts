// The "value form" of a syntax tree: what tmccombs/hcl2json (v0.3.3, on HashiCorp HCL 2.10,
// as compiled to JavaScript in the npm package `hcl2-parser` 1.0.3) makes of a native-syntax
// file. Used to compare our parser with HashiCorp's (test/hcl/oracle.test.ts).
//
// hcl2json's rules, read from its convert/convert.go and checked against the package itself
// (where they disagree, the package wins: it is what we compare with):
//
// - A body is an object. Blocks are converted first, in source order, then attributes, so an
//   attribute replaces a block of the same name.
// - A block is nested by its type and then by each label into objects; the innermost key holds
//   an array of the bodies of all blocks with that type and those labels, in source order.
//   (`b {}` and `b "x" {}` in one body is an error in hcl2json: the key is an array in one
//   block and an object in the other. We throw too.)
// - Expressions:
//   - number, bool and null literals give their value;
//   - `-`/`!` applied directly to a literal gives the computed value (`-1` is -1, `!true` is
//     false); on anything else the whole expression is source text, as below;
//   - a string or heredoc without interpolations or directives gives its text;
//   - `"${ e }"` alone gives the value form of `e` itself (`"${1}"` is 1, `"${x}"` is "${x}");
//   - other templates give a string: literal text as is (escapes decoded, `~` stripping
//     applied, so `$${` reads `${`); each interpolation `${ e }` as `e`'s string-part form
//     (below); `%{if c}…%{else}…%{endif}` re-printed with `c`'s source text (no `~` markers,
//     no spaces inside the braces, `%{else}` dropped when its branch gives ""), and
//     `%{for k, v in c}…%{endfor}` likewise;
//   - tuples give arrays; objects give objects (a later duplicate key wins), with keys:
//     a bare name or a traversal (`a`, `a.b`, `a[0]`) as its source text, anything else by
//     the string-part rule (`"k"` is k, `1` is "1", `(k)` is "${(k)}", `"${k}"` is "${k}");
//   - every other expression is "${" + its exact source text + "}": references, function
//     calls, operators, conditionals, for expressions, splats, parentheses (kept).
// - String-part form (an interpolation's expression, a directive's branch, an object key):
//   a number literal gives its decimal text (`1.50` is "1.5", `1e3` is "1000"), a bool
//   "true"/"false"; a template gives its template form (a wrapped one, that of its
//   expression); a conditional `c ? a : b` gives `%{if c}a%{else}b%{endif}` (yes: hcl2json
//   cannot tell an interpolated conditional from an `%{if}` directive); anything else, a
//   negative number included, "${" + source text + "}".
// - Source text is the raw slice of the file (not NFC-normalised; string literal *values*
//   are, in both parsers). hcl2json appends one `)` when the character right after an
//   expression's range is `)` (a workaround for old HCL ranges); we do the same, though no
//   valid file we know of reaches it.
import type { Block, Body, Expression, File, ObjectItem, TemplateExpr, TemplatePart } from "../../src/hcl/ast.js";

/** A construct hcl2json fails on (so the oracle returns an error instead of a value). */
export class ValueFormError extends Error {}

type Obj = Record<string, unknown>;

/** Sets an own, enumerable property (safe for keys like `__proto__`, as JSON.parse does). */
function setKey(obj: Obj, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function hasKey(obj: Obj, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function isPlainObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A decimal number in Go's `big.Float.Text('f', -1)` style: no exponent, no superfluous zeros
 * ("1.50" → "1.5", "1e3" → "1000", "007" → "7", "-0.0" → "-0"). Input: an HCL number literal.
 */
export function canonicalDecimal(raw: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(raw.trim());
  if (!m) throw new ValueFormError(`not a number literal: ${raw}`);
  const sign = m[1] === "-" ? "-" : "";
  const intDigits = m[2] ?? "";
  const fracDigits = m[3] ?? "";
  const exp = Number(m[4] ?? "0");
  // value = 0.<digits> × 10^point, with `point` the position of the decimal point in digits
  let digits = intDigits + fracDigits;
  let point = intDigits.length + exp;
  const lead = digits.length - digits.replace(/^0+/, "").length;
  digits = digits.slice(lead);
  point -= lead;
  digits = digits.replace(/0+$/, "");
  if (digits === "") return `${sign}0`;
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + out;
}

class Converter {
  constructor(private readonly source: string) {}

  /** An expression's source text, as hcl2json's `rangeSource` slices it. */
  private text(expr: { range: { start: { offset: number }; end: { offset: number } } }): string {
    let end = expr.range.end.offset;
    if (this.source[end] === ")") end++;
    return this.source.slice(expr.range.start.offset, end);
  }

  private wrap(expr: Expression): string {
    return "${" + this.text(expr) + "}";
  }

  body(body: Body): Obj {
    const out: Obj = {};
    for (const block of body.blocks) this.block(block, out);
    for (const attr of body.attributes) setKey(out, attr.name, this.expr(attr.expr));
    return out;
  }

  private block(block: Block, target: Obj): void {
    let out = target;
    let key = block.blockType;
    for (const label of block.labels) {
      if (hasKey(out, key)) {
        const next = out[key];
        if (!isPlainObject(next)) throw new ValueFormError(`block ${block.blockType}: label nesting conflicts`);
        out = next;
      } else {
        const next: Obj = {};
        setKey(out, key, next);
        out = next;
      }
      key = label.value;
    }
    const value = this.body(block.body);
    if (hasKey(out, key)) {
      const current = out[key];
      if (!Array.isArray(current)) throw new ValueFormError(`block ${block.blockType}: label nesting conflicts`);
      current.push(value);
    } else {
      setKey(out, key, [value]);
    }
  }

  /** hcl2json's `convertExpression`. */
  expr(expr: Expression): unknown {
    switch (expr.type) {
      case "Literal":
        return expr.value; // a folded `-1` too: hcl2json folds `-` on a literal as well
      case "Unary": {
        const operand = expr.operand;
        if (operand.type !== "Literal" || isNegativeNumber(operand)) return this.wrap(expr);
        if (expr.op === "-" && typeof operand.value === "number") return -operand.value;
        if (expr.op === "!" && typeof operand.value === "boolean") return !operand.value;
        throw new ValueFormError(`cannot apply ${expr.op} to ${operand.raw}`);
      }
      case "Template":
        if (expr.wrapped !== undefined) return this.expr(expr.wrapped);
        return this.template(expr);
      case "Tuple":
        return expr.items.map((item) => this.expr(item));
      case "Object": {
        const out: Obj = {};
        for (const item of expr.items) setKey(out, this.key(item), this.expr(item.value));
        return out;
      }
      case "Invalid":
        throw new ValueFormError("invalid expression");
      default:
        return this.wrap(expr);
    }
  }

  /** hcl2json's `convertTemplate` (for a template that is not `"${ e }"` alone). */
  private template(t: TemplateExpr): string {
    let out = "";
    for (const part of t.parts) out += this.templatePart(part);
    return out;
  }

  private templatePart(part: TemplatePart): string {
    switch (part.type) {
      case "TemplateLiteral":
        return part.value;
      case "TemplateInterpolation":
        return this.stringPart(part.expr);
      case "TemplateIf": {
        let out = `%{if ${this.text(part.condition)}}` + this.stringPart(part.then);
        const otherwise = part.else === null ? "" : this.stringPart(part.else);
        if (otherwise.length > 0) out += "%{else}" + otherwise;
        return out + "%{endif}";
      }
      case "TemplateFor": {
        const vars = part.keyVar !== null ? `${part.keyVar}, ${part.valueVar}` : part.valueVar;
        return `%{for ${vars} in ${this.text(part.collection)}}` + this.stringPart(part.body) + "%{endfor}";
      }
    }
  }

  /** hcl2json's `convertStringPart`. */
  private stringPart(expr: Expression): string {
    switch (expr.type) {
      case "Literal":
        if (isNegativeNumber(expr)) return this.wrap(expr); // Go: a unary minus, not a literal
        if (expr.value === null) throw new ValueFormError("null in a string part");
        if (typeof expr.value === "boolean") return String(expr.value);
        return canonicalDecimal(expr.raw);
      case "Template":
        if (expr.wrapped !== undefined) return this.stringPart(expr.wrapped);
        return this.template(expr);
      case "Conditional": {
        let out = `%{if ${this.text(expr.condition)}}` + this.stringPart(expr.then);
        const otherwise = this.stringPart(expr.else);
        if (otherwise.length > 0) out += "%{else}" + otherwise;
        return out + "%{endif}";
      }
      case "Invalid":
        throw new ValueFormError("invalid expression");
      default:
        return this.wrap(expr);
    }
  }

  /** hcl2json's `convertKey`. */
  private key(item: ObjectItem): string {
    if (item.bareKey || isTraversal(item.key)) return this.text(item.key);
    return this.stringPart(item.key);
  }
}

/** Our parser may fold `-1` into a literal; HCL keeps it a unary minus on the literal 1. */
function isNegativeNumber(expr: Expression): boolean {
  return expr.type === "Literal" && typeof expr.value === "number" && expr.raw.trimStart().startsWith("-");
}

/** What HCL parses into a ScopeTraversalExpr: a name, then `.name`, `.0`, `[literal]` steps. */
function isTraversal(expr: Expression): boolean {
  switch (expr.type) {
    case "Variable":
      return true;
    case "GetAttr":
      return isTraversal(expr.object);
    case "Index": {
      if (!isTraversal(expr.object)) return false;
      if (expr.legacy) return true;
      const key = expr.key;
      if (key.type === "Literal") return !isNegativeNumber(key);
      return key.type === "Template" && key.heredoc === undefined && isPlainString(key);
    }
    default:
      return false;
  }
}

function isPlainString(t: TemplateExpr): boolean {
  return t.wrapped === undefined && t.parts.every((p) => p.type === "TemplateLiteral");
}

/** The value form of a parsed native-syntax file: what hcl2json would produce for it. */
export function toValueForm(file: File): unknown {
  return new Converter(file.source).body(file.body);
}
