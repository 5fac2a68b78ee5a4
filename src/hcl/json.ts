// The HCL JSON syntax (Terraform `.tf.json`): JSON text → the same `File` tree the native parser
// builds (see ast.ts), with positions on every node.
//
// Tokenizing: Microsoft's `jsonc-parser` (`visit`), run strict (comments and trailing commas are
// errors). It is small, dependency-free, widely used, recovers from errors and reports offsets;
// the visitor's nesting tells us whether an error is inside an object or an array, which is all a
// precise message needs. Two things it does not do are done here: a UTF-8 BOM is blanked before
// it scans (it would call the BOM an invalid symbol), and string contents are decoded here (with
// a map from decoded text back to source offsets) so positions inside strings stay exact.
//
// Block or attribute? JSON alone cannot say: HCL decides with the application's schema. We use
// Terraform's schema at the top level and a fixed rule below it:
//   - top level: `resource`, `data`, `ephemeral` are blocks with two labels; `module`, `variable`,
//     `output`, `provider`, `check` one; `locals`, `terraform`, `moved`, `import`, `removed` none.
//     Any other top-level key is kept as an attribute.
//   - inside those bodies every property is an attribute (an object value is an ObjectExpr, an
//     array a TupleExpr) EXCEPT Terraform's well-known meta blocks, which are blocks:
//     resource/data/ephemeral: `lifecycle`, `provisioner` (1 label), `connection`, `dynamic`
//     (1 label; its `content` is a block); lifecycle: `precondition`, `postcondition`;
//     provisioner: `connection`; provider: `dynamic`; variable: `validation`; output:
//     `precondition`; terraform: `backend` (1 label), `cloud` (with `workspaces`),
//     `required_providers` (its properties are attributes), `provider_meta` (1 label);
//     check: `data` (2 labels), `assert`; removed: `lifecycle`, `provisioner`.
//     Provider-defined nested blocks (`ingress`, `versioning`, …) stay attributes: the evaluator
//     treats an object attribute and a block alike where it matters.
//   - a block (or label) level may hold an array of objects: each element is one more block
//     with the labels collected so far (`"provider": {"aws": [{…}, {"alias": "west"}]}`);
//     `null` there means no block.
//   - a property named `//` in a body or a label level is a comment and is skipped; inside an
//     object expression it is an ordinary key (as in HCL).
//
// Values: strings are HCL templates (parsed by the native template parser), numbers, true, false
// and null are LiteralExprs, arrays TupleExprs, objects ObjectExprs whose keys are templates
// (`bareKey: false`). Like Terraform, a few arguments' strings are read as one expression, not a
// template, so they give the same tree as native syntax: `depends_on`, `provider`,
// `lifecycle.ignore_changes`/`replace_triggered_by`, `variable.type`, module `providers` values,
// `moved.from`/`to`, `import.to`/`provider`, `removed.from` (see EXPRESSION_ARGS; a string there
// holding `${` stays a template). Positions inside every string are exact, escapes included.
//
// Never throws: bad JSON gives diagnostics (at most one syntax error per line, so one mistake
// does not cascade) and a best-effort body from what the recovering tokenizer could read.

import { printParseErrorCode, visit } from "jsonc-parser";
import type {
  Attribute,
  Block,
  BlockLabel,
  Body,
  Diagnostic,
  Expression,
  File,
  ObjectItem,
  Pos,
  Range,
  TemplateExpr,
} from "./ast.js";
import { MAX_NESTING, parseExpressionSource, parseTemplateSource } from "./parser.js";
import { jsonNestingBeyond } from "../util/json.js";

export function parseHclJson(text: string, fileName: string): File {
  const table = new PosTable(text);
  const diagnostics: Diagnostic[] = [];
  let root: JValue | null = null;
  let syntaxErrors: Diagnostic[] = [];
  // jsonc-parser recurses per level: deep text is refused before it can exhaust the stack.
  const deep = jsonNestingBeyond(text, MAX_NESTING);
  if (deep >= 0) {
    const at = table.range(deep, deep + 1);
    return { fileName, body: { type: "Body", attributes: [], blocks: [], range: table.range(0, text.length) }, comments: [], diagnostics: [diag(fileName, at, `nesting is deeper than ${MAX_NESTING} levels; the file is not parsed`)], source: text };
  }
  try {
    const scanned = scan(text, table, fileName);
    root = scanned.root;
    syntaxErrors = scanned.errors;
  } catch (e) {
    // jsonc-parser recurses; only absurd nesting can overflow it.
    syntaxErrors = [diag(fileName, table.range(0, 0), tooDeep(e))];
  }
  diagnostics.push(...syntaxErrors);

  const whole = table.range(0, text.length);
  let body: Body = { type: "Body", attributes: [], blocks: [], range: whole };
  if (root !== null) {
    if (root.kind === "object") {
      try {
        body = new Converter(text, fileName, table, diagnostics).body(root, "root");
      } catch (e) {
        diagnostics.push(diag(fileName, table.range(root.start, root.start + 1), tooDeep(e)));
      }
    } else {
      diagnostics.push(
        diag(
          fileName,
          table.range(root.start, root.end),
          `the root of a JSON configuration file must be an object, not ${describe(root)}`,
        ),
      );
    }
  } else if (syntaxErrors.length === 0) {
    diagnostics.push(diag(fileName, table.range(0, text.length), "expected a JSON object"));
  }
  return { fileName, body, comments: [], diagnostics, source: text };
}

function tooDeep(e: unknown): string {
  if (e instanceof RangeError) return "the JSON is nested too deeply to be read";
  return `the JSON could not be read: ${e instanceof Error ? e.message : String(e)}`;
}

function diag(file: string, range: Range, message: string): Diagnostic {
  return { severity: "error", message, file, range };
}

// ---------------------------------------------------------------------------------------------
// Positions

/** Offsets → positions: a line-start table, and a UTF-8 prefix table when the text is not ASCII. */
class PosTable {
  private readonly lineStarts: number[] = [0];
  /** byteAt[i] = UTF-8 length of text.slice(0, i); null when the text is pure ASCII. */
  private readonly byteAt: Uint32Array | null = null;
  private readonly bom: boolean;

  constructor(private readonly text: string) {
    this.bom = text.charCodeAt(0) === 0xfeff;
    let ascii = true;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c > 0x7f) ascii = false;
    }
    if (!ascii) {
      const b = new Uint32Array(text.length + 1);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        let n: number;
        if (c < 0x80) n = 1;
        else if (c < 0x800) n = 2;
        else if (c >= 0xd800 && c <= 0xdbff) {
          const d = text.charCodeAt(i + 1);
          n = d >= 0xdc00 && d <= 0xdfff ? 2 : 3; // a pair is 4 bytes: 2 + 2 (as the native scanner)
        } else if (c >= 0xdc00 && c <= 0xdfff) {
          const p = text.charCodeAt(i - 1);
          n = p >= 0xd800 && p <= 0xdbff ? 2 : 3; // a lone surrogate is written as U+FFFD
        } else n = 3;
        b[i + 1] = b[i] + n;
      }
      this.byteAt = b;
    }
  }

  pos(offset: number): Pos {
    offset = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    let column = offset - starts[lo] + 1;
    if (lo === 0 && this.bom && offset > 0) column--; // the BOM takes no column
    return { offset, byte: this.byteAt ? this.byteAt[offset] : offset, line: lo + 1, column };
  }

  range(start: number, end: number): Range {
    return { start: this.pos(start), end: this.pos(end) };
  }
}

// ---------------------------------------------------------------------------------------------
// Scanning: jsonc-parser's visitor → a small raw tree of offsets.

interface JObject {
  kind: "object";
  start: number;
  /** Exclusive; the end of `}`, or where the tokenizer stopped when it is missing. */
  end: number;
  props: JProp[];
  closeStart: number;
  closeEnd: number;
}
interface JArray {
  kind: "array";
  start: number;
  end: number;
  items: JValue[];
}
/** A string token, quotes included (the closing one may be missing). */
interface JString {
  kind: "string";
  start: number;
  end: number;
}
interface JNumber {
  kind: "number";
  start: number;
  end: number;
  value: number;
}
interface JKeyword {
  kind: "keyword";
  start: number;
  end: number;
  value: boolean | null;
}
type JValue = JObject | JArray | JString | JNumber | JKeyword;
interface JProp {
  key: JString;
  value: JValue | null;
  /** Where the value should have been, when it is missing. */
  missing: { start: number; end: number } | null;
}

interface RawError {
  code: string;
  offset: number;
  length: number;
  /** The innermost open object or array when the error was reported. */
  inside: JObject | JArray | null;
  /** The container that ended last (for "expected `}`" after its end callback). */
  lastEnded: JObject | JArray | null;
  rootDone: boolean;
}

function scan(text: string, table: PosTable, fileName: string): { root: JValue | null; errors: Diagnostic[] } {
  // jsonc-parser treats a BOM as an invalid symbol; a space keeps every offset the same.
  const input = text.charCodeAt(0) === 0xfeff ? " " + text.slice(1) : text;
  const stack: (JObject | JArray)[] = [];
  let root: JValue | null = null;
  let lastEnded: JObject | JArray | null = null;
  const raw: RawError[] = [];

  const top = (): JObject | JArray | null => (stack.length ? stack[stack.length - 1] : null);
  const attach = (v: JValue): void => {
    const t = top();
    if (t === null) {
      if (root === null) root = v;
    } else if (t.kind === "array") t.items.push(v);
    else {
      const p = t.props[t.props.length - 1];
      if (p && p.value === null) p.value = v;
    }
  };

  visit(
    input,
    {
      onObjectBegin(offset) {
        const o: JObject = { kind: "object", start: offset, end: offset + 1, props: [], closeStart: -1, closeEnd: -1 };
        attach(o);
        stack.push(o);
      },
      onObjectProperty(_name, offset, length) {
        const t = top();
        if (t && t.kind === "object") {
          t.props.push({ key: { kind: "string", start: offset, end: offset + length }, value: null, missing: null });
        }
      },
      onObjectEnd(offset, length) {
        const o = stack.pop();
        if (!o || o.kind !== "object") return;
        if (input.charCodeAt(offset) === 0x7d /* } */) {
          o.closeStart = offset;
          o.closeEnd = offset + length;
        } else {
          o.closeStart = o.closeEnd = offset;
        }
        o.end = o.closeEnd;
        lastEnded = o;
      },
      onArrayBegin(offset) {
        const a: JArray = { kind: "array", start: offset, end: offset + 1, items: [] };
        attach(a);
        stack.push(a);
      },
      onArrayEnd(offset, length) {
        const a = stack.pop();
        if (!a || a.kind !== "array") return;
        a.end = input.charCodeAt(offset) === 0x5d /* ] */ ? offset + length : offset;
        lastEnded = a;
      },
      onLiteralValue(value: unknown, offset, length) {
        const end = offset + length;
        if (typeof value === "string") attach({ kind: "string", start: offset, end });
        else if (typeof value === "number") attach({ kind: "number", start: offset, end, value });
        else attach({ kind: "keyword", start: offset, end, value: value as boolean | null });
      },
      onError(error, offset, length) {
        const t = top();
        if (t && t.kind === "object") {
          const p = t.props[t.props.length - 1];
          if (p && p.value === null && p.missing === null) p.missing = { start: offset, end: offset + length };
        }
        raw.push({
          code: printParseErrorCode(error),
          offset,
          length,
          inside: t,
          lastEnded,
          rootDone: t === null && root !== null,
        });
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );

  // One syntax error per line: jsonc-parser's recovery often reports a mistake two or three ways.
  const errors: Diagnostic[] = [];
  let lastLine = -1;
  for (const r of raw) {
    const d = describeError(input, table, fileName, r);
    if (d.range.start.line === lastLine) continue;
    lastLine = d.range.start.line;
    errors.push(d);
  }
  return { root, errors };
}

function describeError(text: string, table: PosTable, fileName: string, r: RawError): Diagnostic {
  let start = r.offset;
  let end = r.offset + r.length;
  const tok = text.slice(start, end);
  const atEof = start >= text.length;
  const found = atEof ? "the end of the file" : `\`${tok.length > 20 ? tok.slice(0, 20) + "…" : tok}\``;
  let message: string;
  const inObject = r.inside?.kind === "object";
  const prevComma = (): number => {
    let i = r.offset - 1;
    while (i >= 0 && " \t\r\n".includes(text[i])) i--;
    return i >= 0 && text[i] === "," ? i : -1;
  };

  switch (r.code) {
    case "CommaExpected":
      message = inObject
        ? `expected \`,\` or \`}\` after an object property, found ${found}`
        : `expected \`,\` or \`]\` after an array element, found ${found}`;
      break;
    case "ColonExpected":
      message = `expected \`:\` after the property name, found ${found}`;
      break;
    case "PropertyNameExpected":
    case "ValueExpected": {
      const comma = prevComma();
      if ((tok === "}" || tok === "]") && comma >= 0) {
        message = `a trailing \`,\` is not allowed in JSON before \`${tok}\``;
        start = comma;
        end = comma + 1;
      } else if (r.code === "PropertyNameExpected") {
        message = tok.startsWith("'")
          ? "JSON strings and property names must be in double quotes"
          : `expected a property name in double quotes, found ${found}`;
      } else if (r.inside === null && !r.rootDone && atEof) {
        message = "the file is empty: expected a JSON object";
      } else {
        message = `expected a JSON value (a string, number, object, array, true, false or null), found ${found}`;
      }
      break;
    }
    case "CloseBraceExpected": {
      const o = r.lastEnded;
      message = `expected \`}\` to close the object opened at line ${o ? table.pos(o.start).line : "?"}, found ${found}`;
      break;
    }
    case "CloseBracketExpected": {
      const a = r.lastEnded;
      message = `expected \`]\` to close the array opened at line ${a ? table.pos(a.start).line : "?"}, found ${found}`;
      break;
    }
    case "EndOfFileExpected":
      message = `unexpected ${found} after the root object`;
      break;
    case "InvalidSymbol":
      if (r.rootDone) message = `unexpected ${found} after the root object`;
      else if (tok.startsWith("'")) message = "JSON strings and property names must be in double quotes";
      else message = `unexpected ${found}: not valid JSON`;
      break;
    case "InvalidNumberFormat":
    case "UnexpectedEndOfNumber":
      message = `invalid number ${found}`;
      break;
    case "InvalidCommentToken":
      message = 'comments are not allowed in JSON; a "//" property can hold a comment';
      break;
    case "UnexpectedEndOfString":
      message = "unterminated string: expected a closing `\"` on the same line";
      break;
    case "InvalidCharacter":
    case "InvalidEscapeCharacter":
    case "InvalidUnicode": {
      const bad = findBadStringChar(text, start, end);
      start = bad.start;
      end = bad.end;
      message = bad.message;
      break;
    }
    default:
      message = `invalid JSON (${r.code})`;
  }
  return diag(fileName, table.range(start, end), message);
}

/** The first control character or bad escape in a string token. */
function findBadStringChar(text: string, start: number, end: number): { start: number; end: number; message: string } {
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      return { start: i, end: i + 1, message: "control characters must be escaped in JSON strings (e.g. `\\t`, `\\n`)" };
    }
    if (c === 0x5c /* \ */) {
      const e = text[i + 1];
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          return { start: i, end: Math.min(i + 6, end), message: "invalid `\\u` escape: expected four hex digits" };
        }
        i += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
      else return { start: i, end: Math.min(i + 2, end), message: `invalid escape \`\\${e ?? ""}\` in a JSON string` };
    }
  }
  return { start, end, message: "invalid JSON string" };
}

function describe(v: JValue): string {
  switch (v.kind) {
    case "object":
      return "an object";
    case "array":
      return "an array";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "keyword":
      return v.value === null ? "null" : "a bool";
  }
}

// ---------------------------------------------------------------------------------------------
// Strings

interface Decoded {
  value: string;
  /** Offset just after the opening quote. */
  contentStart: number;
  /**
   * Set when the string has escapes: map[i] is the source offset of decoded code unit i, and
   * map[value.length] the offset of the closing quote (or of the token end).
   */
  map: number[] | null;
}

function decodeString(text: string, s: JString): Decoded {
  const contentStart = s.start + 1;
  let i = contentStart;
  while (i < s.end && text.charCodeAt(i) !== 0x22 && text.charCodeAt(i) !== 0x5c) i++;
  if (i >= s.end || text.charCodeAt(i) === 0x22) return { value: text.slice(contentStart, i), contentStart, map: null };

  let value = text.slice(contentStart, i);
  const map: number[] = [];
  for (let k = contentStart; k < i; k++) map.push(k);
  while (i < s.end) {
    const c = text.charCodeAt(i);
    if (c === 0x22) break;
    if (c !== 0x5c) {
      value += text[i];
      map.push(i);
      i++;
      continue;
    }
    const e = text[i + 1];
    let out: string;
    let len = 2;
    switch (e) {
      case '"':
      case "\\":
      case "/":
        out = e;
        break;
      case "b":
        out = "\b";
        break;
      case "f":
        out = "\f";
        break;
      case "n":
        out = "\n";
        break;
      case "r":
        out = "\r";
        break;
      case "t":
        out = "\t";
        break;
      case "u": {
        const hex = text.slice(i + 2, i + 6);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          out = String.fromCharCode(parseInt(hex, 16));
          len = 6;
        } else out = "\\u"; // reported by the tokenizer; kept as written
        break;
      }
      default:
        out = e === undefined ? "\\" : "\\" + e; // reported by the tokenizer; kept as written
        if (e === undefined) len = 1;
    }
    for (let k = 0; k < out.length; k++) map.push(i + (out.length > 1 ? k : 0));
    value += out;
    i += len;
  }
  map.push(Math.min(i, s.end));
  return { value, contentStart, map };
}

/** Rewrites, in place, every Pos reachable from `roots`: decoded-text offsets → source positions. */
function remapPositions(roots: unknown[], map: number[], table: PosTable): void {
  const seen = new Set<object>();
  const work: unknown[] = [...roots];
  while (work.length) {
    const v = work.pop();
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    const o = v as Record<string, unknown>;
    if (
      typeof o.offset === "number" &&
      typeof o.byte === "number" &&
      typeof o.line === "number" &&
      typeof o.column === "number"
    ) {
      const idx = Math.max(0, Math.min(o.offset, map.length - 1));
      Object.assign(o, table.pos(map[idx]));
      continue;
    }
    for (const k in o) {
      const c = o[k];
      if (typeof c === "object" && c !== null) work.push(c);
    }
  }
}

const ZERO: Pos = { offset: 0, byte: 0, line: 1, column: 1 };

// ---------------------------------------------------------------------------------------------
// The schema (see the comment at the top of the file).

type Ctx =
  | "root"
  | "attrs"
  | "module"
  | "moved"
  | "import"
  | "resource"
  | "lifecycle"
  | "provisioner"
  | "dynamic"
  | "content"
  | "provider"
  | "variable"
  | "output"
  | "terraform"
  | "cloud"
  | "check"
  | "removed";

interface BlockSpec {
  labels: number;
  body: Ctx;
}

const spec = (entries: [string, number, Ctx][]): Map<string, BlockSpec> =>
  new Map(entries.map(([name, labels, body]) => [name, { labels, body }]));

const SCHEMA: Record<Ctx, Map<string, BlockSpec>> = {
  root: spec([
    ["resource", 2, "resource"],
    ["data", 2, "resource"],
    ["ephemeral", 2, "resource"],
    ["module", 1, "module"],
    ["variable", 1, "variable"],
    ["output", 1, "output"],
    ["provider", 1, "provider"],
    ["check", 1, "check"],
    ["locals", 0, "attrs"],
    ["terraform", 0, "terraform"],
    ["moved", 0, "moved"],
    ["import", 0, "import"],
    ["removed", 0, "removed"],
  ]),
  attrs: spec([]),
  module: spec([]),
  moved: spec([]),
  import: spec([]),
  resource: spec([
    ["lifecycle", 0, "lifecycle"],
    ["provisioner", 1, "provisioner"],
    ["connection", 0, "attrs"],
    ["dynamic", 1, "dynamic"],
  ]),
  lifecycle: spec([
    ["precondition", 0, "attrs"],
    ["postcondition", 0, "attrs"],
  ]),
  provisioner: spec([["connection", 0, "attrs"]]),
  dynamic: spec([["content", 0, "content"]]),
  content: spec([["dynamic", 1, "dynamic"]]),
  provider: spec([["dynamic", 1, "dynamic"]]),
  variable: spec([["validation", 0, "attrs"]]),
  output: spec([["precondition", 0, "attrs"]]),
  terraform: spec([
    ["backend", 1, "attrs"],
    ["cloud", 0, "cloud"],
    ["required_providers", 0, "attrs"],
    ["provider_meta", 1, "attrs"],
  ]),
  cloud: spec([["workspaces", 0, "attrs"]]),
  check: spec([
    ["data", 2, "resource"],
    ["assert", 0, "attrs"],
  ]),
  removed: spec([
    ["lifecycle", 0, "lifecycle"],
    ["provisioner", 1, "provisioner"],
  ]),
};

/**
 * Arguments whose strings Terraform reads as expressions (references, type constraints), not
 * templates: `expr` the string itself, `items` each string of an array (or a lone string),
 * `values` each string value of an object. A string holding `${` or `%{` stays a template.
 */
type StringMode = "template" | "expr" | "items" | "values";

const EXPRESSION_ARGS: Partial<Record<Ctx, Map<string, StringMode>>> = {
  resource: new Map([
    ["depends_on", "items"],
    ["provider", "expr"],
  ]),
  module: new Map([
    ["depends_on", "items"],
    ["providers", "values"],
  ]),
  output: new Map([["depends_on", "items"]]),
  variable: new Map([["type", "expr"]]),
  lifecycle: new Map([
    ["ignore_changes", "items"],
    ["replace_triggered_by", "items"],
  ]),
  moved: new Map([
    ["from", "expr"],
    ["to", "expr"],
  ]),
  import: new Map([
    ["to", "expr"],
    ["provider", "expr"],
  ]),
  removed: new Map([["from", "expr"]]),
};

// ---------------------------------------------------------------------------------------------
// Raw tree → HCL tree

class Converter {
  constructor(
    private readonly text: string,
    private readonly fileName: string,
    private readonly table: PosTable,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private range(start: number, end: number): Range {
    return this.table.range(start, end);
  }

  private error(start: number, end: number, message: string): void {
    this.diagnostics.push(diag(this.fileName, this.range(start, end), message));
  }

  private str(s: JString): string {
    return decodeString(this.text, s).value;
  }

  body(obj: JObject, ctx: Ctx): Body {
    const body: Body = { type: "Body", attributes: [], blocks: [], range: this.range(obj.start, obj.end) };
    const schema = SCHEMA[ctx];
    const seen = new Map<string, JString>();
    for (const prop of obj.props) {
      const name = this.str(prop.key);
      if (name === "//") continue;
      const blockSpec = schema.get(name);
      if (blockSpec) {
        if (prop.value !== null) this.blocks(body, prop.key, name, blockSpec, prop.value, []);
        continue;
      }
      const first = seen.get(name);
      if (first) {
        this.error(
          prop.key.start,
          prop.key.end,
          `attribute \`${name}\` is set twice; first set at line ${this.table.pos(first.start).line}`,
        );
      } else seen.set(name, prop.key);
      const expr = this.valueOf(prop, EXPRESSION_ARGS[ctx]?.get(name) ?? "template");
      const attr: Attribute = {
        type: "Attribute",
        name,
        nameRange: this.range(prop.key.start, prop.key.end),
        expr,
        range: this.range(prop.key.start, prop.value ? prop.value.end : expr.range.end.offset),
      };
      body.attributes.push(attr);
    }
    return body;
  }

  /** One level of a block: `labels` collected so far; `value` holds more labels or the body(s). */
  private blocks(out: Body, typeKey: JString, blockType: string, bs: BlockSpec, value: JValue, labels: BlockLabel[]): void {
    if (value.kind === "keyword" && value.value === null) return; // null: no block
    if (value.kind === "array") {
      for (const item of value.items) this.blocks(out, typeKey, blockType, bs, item, labels);
      return;
    }
    if (value.kind !== "object") {
      const what =
        labels.length < bs.labels
          ? `an object whose properties are the block's ${labelWord(bs.labels - labels.length)}`
          : "an object (the block's body)";
      this.error(
        value.start,
        value.end,
        `\`${blockType}\` block: expected ${what} or an array of them, found ${describe(value)}`,
      );
      return;
    }
    if (labels.length < bs.labels) {
      for (const prop of value.props) {
        const label = this.str(prop.key);
        if (label === "//") continue;
        if (prop.value === null) continue;
        const l: BlockLabel = { value: label, quoted: true, range: this.range(prop.key.start, prop.key.end) };
        this.blocks(out, typeKey, blockType, bs, prop.value, [...labels, l]);
      }
      return;
    }
    const block: Block = {
      type: "Block",
      blockType,
      typeRange: this.range(typeKey.start, typeKey.end),
      labels,
      body: this.body(value, bs.body),
      openBraceRange: this.range(value.start, value.start + 1),
      closeBraceRange: this.range(value.closeStart, value.closeEnd),
      range: this.range(typeKey.start, value.end),
    };
    out.blocks.push(block);
  }

  private valueOf(prop: JProp, mode: StringMode = "template"): Expression {
    if (prop.value !== null) return this.expr(prop.value, mode);
    const m = prop.missing ?? { start: prop.key.end, end: prop.key.end };
    return { type: "Invalid", range: this.range(m.start, m.end) };
  }

  expr(v: JValue, mode: StringMode = "template"): Expression {
    switch (v.kind) {
      case "string":
        return mode === "template" || mode === "values" ? this.template(v) : this.expression(v);
      case "number":
        return { type: "Literal", value: v.value, raw: this.text.slice(v.start, v.end), range: this.range(v.start, v.end) };
      case "keyword":
        return { type: "Literal", value: v.value, raw: String(v.value), range: this.range(v.start, v.end) };
      case "array":
        return {
          type: "Tuple",
          items: v.items.map((i) => this.expr(i, mode === "items" ? "expr" : "template")),
          range: this.range(v.start, v.end),
        };
      case "object": {
        const items: ObjectItem[] = [];
        const seen = new Map<string, JString>();
        for (const prop of v.props) {
          const key = this.template(prop.key);
          const name = this.str(prop.key);
          const first = seen.get(name);
          if (first && !/[$%]\{/.test(name)) {
            this.error(
              prop.key.start,
              prop.key.end,
              `object key \`${name}\` is set twice; first set at line ${this.table.pos(first.start).line}`,
            );
          } else if (!first) seen.set(name, prop.key);
          const value = this.valueOf(prop, mode === "values" ? "expr" : "template");
          const end = prop.value ? prop.value.end : value.range.end.offset;
          items.push({ key, bareKey: false, value, range: this.range(prop.key.start, end) });
        }
        return { type: "Object", items, range: this.range(v.start, v.end) };
      }
    }
  }

  /**
   * A JSON string as an HCL template. Without backslash escapes the decoded text is the source
   * text, so the template parser counts positions from just after the opening quote. With
   * escapes it parses the decoded text from a zero origin and every position is then mapped back
   * through the decode map, so inner positions stay exact (an escape's decoded character maps to
   * its backslash). The template's own range is the whole JSON string, quotes included.
   */
  private template(s: JString): TemplateExpr {
    const t = this.embedded(s, (text, origin) => {
      const r = parseTemplateSource(text, this.fileName, origin);
      return { node: r.template, diagnostics: r.diagnostics };
    });
    t.range = this.range(s.start, s.end);
    return t;
  }

  /** A JSON string read as one HCL expression (see EXPRESSION_ARGS); a template if it has `${`/`%{`. */
  private expression(s: JString): Expression {
    const d = decodeString(this.text, s);
    if (/[$%]\{/.test(d.value)) return this.template(s);
    return this.embedded(s, (text, origin) => {
      const r = parseExpressionSource(text, this.fileName, origin);
      return { node: r.expr, diagnostics: r.diagnostics };
    });
  }

  private embedded<T extends Expression>(
    s: JString,
    parse: (text: string, origin: Pos) => { node: T; diagnostics: Diagnostic[] },
  ): T {
    const d = decodeString(this.text, s);
    let result: { node: T; diagnostics: Diagnostic[] };
    if (d.map === null) {
      result = parse(d.value, this.table.pos(d.contentStart));
    } else {
      result = parse(d.value, { ...ZERO });
      remapPositions([result.node, ...result.diagnostics.map((x) => x.range)], d.map, this.table);
    }
    for (const x of result.diagnostics) this.diagnostics.push({ ...x, file: this.fileName });
    return result.node;
  }
}

function labelWord(n: number): string {
  return n === 1 ? "label" : `${n} labels`;
}
