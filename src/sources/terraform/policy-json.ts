// IAM policy JSON: its value (from a known string, a partly known template, or the object a
// `jsonencode` came from) and where each part of it is written (inside a heredoc, a quoted
// string, a `jsonencode({...})` object, a plan file's JSON string), so every statement can
// carry its own range. Shared by the Terraform collector (iam.ts) and the plan reader.

import { parseTree, type Node as JsonNode, type ParseError } from "jsonc-parser";
import type { Expression, Pos, Range, TemplateExpr } from "../../hcl/ast.js";
import { isStringLiteral, stringLiteralValue } from "../../hcl/ast.js";
import type { Located, Origin, PolicyDocument, PolicyStatement } from "../../inventory/model.js";
import { evaluate, type Scope } from "../../terraform/evaluate.js";
import { numberToString } from "../../terraform/functions/support/convert.js";
import { sortedEntries, valueOfJSON } from "../../terraform/functions/support/json.js";
import { encodePolicyDocument, policyDocumentObject } from "../../terraform/models.js";
import { Failure, ObjectValue, Unknown, fromJSON, isWhollyKnown, joinPieces, type StringPiece, type Value } from "../../terraform/values.js";

// ---------------------------------------------------------------- positions

/** Offsets of one text → positions (1-based lines, UTF-16 columns, UTF-8 bytes), as the HCL parser counts them. */
export class LineIndex {
  private readonly starts: number[] = [0];
  private readonly startBytes: number[] = [0];
  private readonly bom: boolean;
  constructor(private readonly source: string) {
    this.bom = source.charCodeAt(0) === 0xfeff;
    let byte = 0;
    let last = 0;
    for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) {
      byte += Buffer.byteLength(source.slice(last, i + 1), "utf8");
      last = i + 1;
      this.starts.push(last);
      this.startBytes.push(byte);
    }
  }
  pos(offset: number): Pos {
    offset = Math.max(0, Math.min(offset, this.source.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const start = this.starts[lo];
    let column = offset - start + 1;
    if (lo === 0 && this.bom && offset > 0) column--; // the BOM takes no column
    // Counted from the last position asked on the same line when it is before this one (positions
    // come in order): from the line start each time was quadratic on one long line.
    const from = this.last && this.last.line === lo && this.last.offset <= offset ? this.last : { line: lo, offset: start, byte: this.startBytes[lo] };
    const byte = from.byte + Buffer.byteLength(this.source.slice(from.offset, offset), "utf8");
    this.last = { line: lo, offset, byte };
    return { offset, byte, line: lo + 1, column };
  }
  private last: { line: number; offset: number; byte: number } | undefined;
  range(start: number, end: number): Range {
    return { start: this.pos(start), end: this.pos(end) };
  }
}

const lineIndexes = new WeakMap<object, LineIndex>();

/** A LineIndex cached per owner object (a parsed File, a plan document). */
export function lineIndexFor(owner: object, source: string): LineIndex {
  let idx = lineIndexes.get(owner);
  if (!idx) {
    idx = new LineIndex(source);
    lineIndexes.set(owner, idx);
  }
  return idx;
}

// ---------------------------------------------------------------- syntax nodes

/**
 * A place in the source that holds (part of) a policy: an object whose members are reached by
 * key, an array whose elements are reached by index, or a leaf. Implemented over HCL object
 * expressions, JSON text (in a heredoc, a string, a plan file) and `aws_iam_policy_document` blocks.
 */
export interface SyntaxNode {
  /** The file the range is in (as findings show it). */
  file: string;
  range: Range;
  get(key: string | number): SyntaxNode | undefined;
  /** For an object member (`"Key": value`, `key = value`): the value alone. */
  value?: SyntaxNode;
}

/** A leaf: a range with nothing inside that can be told apart. */
export function leafNode(file: string, range: Range): SyntaxNode {
  return { file, range, get: () => undefined };
}

/** Text decoded from a source (escapes resolved), with the source offset of every character. */
export interface MappedText {
  text: string;
  /** `offsets[i]` is the source offset of `text[i]`; one more entry for the end. */
  offsets: number[];
}

/** Stands for an interpolation inside a JSON string (a private-use character, never in policies). */
const MARK = "\uE000";

/** The JSON nodes of a mapped text, as syntax nodes with source ranges. */
export function jsonSyntax(mapped: MappedText, index: LineIndex, file: string): SyntaxNode | undefined {
  const errors: ParseError[] = [];
  let root: JsonNode | undefined;
  try {
    root = parseTree(mapped.text, errors, { disallowComments: false, allowTrailingComma: true });
  } catch {
    return undefined; // absurd nesting
  }
  if (!root) return undefined;
  const toRange = (n: JsonNode): Range => {
    const end = Math.min(n.offset + n.length, mapped.offsets.length - 1);
    return index.range(mapped.offsets[n.offset], mapped.offsets[end]);
  };
  const wrap = (n: JsonNode): SyntaxNode => ({
    file,
    range: toRange(n),
    get(key) {
      if (n.type === "array" && typeof key === "number") {
        const c = n.children?.[key];
        return c ? wrap(c) : undefined;
      }
      if (n.type === "object" && typeof key === "string") {
        // The last of duplicate keys wins, as in JSON.parse.
        let found: JsonNode | undefined;
        for (const p of n.children ?? []) {
          const [k, v] = p.children ?? [];
          if (k && v && k.value === key) found = p;
        }
        if (!found) return undefined;
        const [, v] = found.children as JsonNode[];
        // The member's range covers `"Key": value`; its children are the value's.
        const inner = wrap(v);
        return { file, range: toRange(found), get: inner.get, value: inner };
      }
      return undefined;
    },
  });
  return wrap(root);
}

/**
 * Where JSON text fails to parse as AWS parses policies (no trailing comma, no comment): the
 * first error's message and its range in the source, or undefined when it parses.
 */
export function jsonProblem(mapped: MappedText, index: LineIndex): { message: string; range: Range } | undefined {
  const errors: ParseError[] = [];
  try {
    parseTree(mapped.text, errors, { disallowComments: true, allowTrailingComma: false });
  } catch {
    return { message: "the JSON nests too deeply", range: index.range(mapped.offsets[0] ?? 0, mapped.offsets[0] ?? 0) };
  }
  const e = errors[0];
  if (!e) return undefined;
  const at = (o: number) => mapped.offsets[Math.min(o, mapped.offsets.length - 1)] ?? 0;
  const before = mapped.text.slice(0, e.offset).trimEnd();
  const trailingComma = (e.error === 3 || e.error === 4) && before.endsWith(",");
  const message = trailingComma ? "a trailing comma before the closing bracket (JSON allows none)" : (JSON_ERRORS[e.error] ?? "invalid JSON");
  return { message, range: index.range(at(e.offset), at(e.offset + Math.max(1, e.length))) };
}

const JSON_ERRORS: Record<number, string> = {
  1: "an invalid symbol",
  2: "an invalid number",
  3: "a property name was expected",
  4: "a value was expected",
  5: "a colon was expected",
  6: "a comma was expected",
  7: "a closing brace was expected",
  8: "a closing bracket was expected",
  9: "the text ends too early",
  10: "a comment (JSON has none)",
  11: "an unterminated comment",
  12: "an unterminated string",
  13: "an unterminated number",
  14: "an invalid Unicode escape",
  15: "an invalid escape character",
  16: "an invalid character",
};

/** Decodes the source of a JSON string node (quotes excluded) keeping offsets. */
export function jsonStringContent(source: string, node: JsonNode): MappedText | undefined {
  if (node.type !== "string") return undefined;
  return decodeEscapes(source, node.offset + 1, node.offset + node.length - 1, "json");
}

const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f" };

/** Decodes backslash escapes of source[start, end) (HCL quoted strings or JSON strings), keeping offsets. */
function decodeEscapes(source: string, start: number, end: number, syntax: "hcl" | "json", out: MappedText = { text: "", offsets: [] }): MappedText {
  let text = "";
  const offsets: number[] = [];
  let i = start;
  while (i < end) {
    const ch = source[i];
    if (ch === "\\" && i + 1 < end) {
      const e = source[i + 1];
      if (e in SIMPLE_ESCAPES && (syntax === "json" || e !== "/")) {
        text += SIMPLE_ESCAPES[e];
        offsets.push(i);
        i += 2;
        continue;
      }
      const hexLen = e === "u" ? 4 : e === "U" && syntax === "hcl" ? 8 : 0;
      if (hexLen > 0) {
        const hex = source.slice(i + 2, i + 2 + hexLen);
        const cp = /^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLen ? parseInt(hex, 16) : NaN;
        if (!Number.isNaN(cp) && cp <= 0x10ffff) {
          const s = String.fromCodePoint(cp);
          for (let k = 0; k < s.length; k++) {
            text += s[k];
            offsets.push(i);
          }
          i += 2 + hexLen;
          continue;
        }
      }
    }
    text += ch;
    offsets.push(i);
    i++;
  }
  out.text += text;
  out.offsets.push(...offsets);
  return out;
}

/** Tracks whether the end of a growing JSON text is inside a string. */
class JsonStringState {
  inString = false;
  private escape = false;
  feed(s: string): void {
    for (const ch of s) {
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (ch === "\\") this.escape = true;
        else if (ch === '"') this.inString = false;
      } else if (ch === '"') this.inString = true;
    }
  }
}

/**
 * The JSON text a template (heredoc or quoted string) holds, with source offsets:
 * interpolations become a placeholder of the right kind (a character inside a JSON string, a
 * number outside), so the JSON structure and every statement's place survive unknown parts.
 * Undefined for templates with `%{…}` directives (their structure is not in the text).
 */
export function templateJsonText(t: TemplateExpr, source: string, jsonSyntaxFile: boolean): MappedText | undefined {
  if (t.wrapped) return undefined;
  const out: MappedText = { text: "", offsets: [] };
  const state = new JsonStringState();
  for (const part of t.parts) {
    if (part.type === "TemplateLiteral") {
      const before = out.text.length;
      if (t.heredoc) {
        // Heredocs take no escapes: the source is the text (with indentation, which JSON ignores).
        for (let i = part.range.start.offset; i < part.range.end.offset; i++) {
          out.text += source[i];
          out.offsets.push(i);
        }
      } else decodeEscapes(source, part.range.start.offset, part.range.end.offset, jsonSyntaxFile ? "json" : "hcl", out);
      state.feed(out.text.slice(before));
    } else if (part.type === "TemplateInterpolation") {
      out.text += state.inString ? MARK : "0";
      out.offsets.push(part.range.start.offset);
    } else return undefined;
  }
  const last = t.parts[t.parts.length - 1];
  out.offsets.push(last ? last.range.end.offset : t.range.end.offset);
  return out;
}

// ---------------------------------------------------------------- HCL syntax nodes

/** Resolves an expression one step through names (locals, variables…); the identity by default. */
export type ExprResolver = (e: Expression, scope: Scope, file: string) => { expr: Expression; scope: Scope; file: string } | undefined;

/**
 * An HCL expression as a syntax node: object items by key (bare names, literal strings, or
 * keys that evaluate to the string), tuple items by index. `resolve` follows references to
 * locals and variables so `Statement = local.statements` still finds the items.
 */
export function hclSyntax(expr: Expression, scope: Scope, file: string, resolve?: ExprResolver): SyntaxNode {
  const follow = (e: Expression, s: Scope, f: string): { expr: Expression; scope: Scope; file: string } => {
    for (let i = 0; i < 16; i++) {
      if (e.type === "Parens") {
        e = e.expr;
        continue;
      }
      if (e.type === "Template" && e.wrapped) {
        e = e.wrapped;
        continue;
      }
      const r = resolve?.(e, s, f);
      if (!r || r.expr === e) break;
      e = r.expr;
      s = r.scope;
      f = r.file;
    }
    return { expr: e, scope: s, file: f };
  };
  const node = (e: Expression, s: Scope, f: string, outerRange?: Range): SyntaxNode => {
    const { expr: inner, scope: innerScope, file: innerFile } = follow(e, s, f);
    return {
      file: f,
      range: outerRange ?? e.range,
      get(key) {
        if (inner.type === "Tuple" && typeof key === "number") {
          const item = inner.items[key];
          return item ? node(item, innerScope, innerFile) : undefined;
        }
        // `[for x in xs : { … }]`: every element is written by the one object after the colon.
        if (inner.type === "For" && !inner.isObject && typeof key === "number") return node(inner.valueExpr, innerScope, innerFile);
        if (inner.type === "Object" && typeof key === "string") {
          let found: (typeof inner.items)[number] | undefined;
          for (const item of inner.items) {
            let k: Value | undefined;
            if (item.bareKey && item.key.type === "Variable") k = item.key.name;
            else if (isStringLiteral(item.key)) k = stringLiteralValue(item.key);
            else k = evaluate(item.key, innerScope);
            if (k === key) found = item;
          }
          if (!found) return undefined;
          return { ...node(found.value, innerScope, innerFile, found.range), value: node(found.value, innerScope, innerFile) };
        }
        return undefined;
      },
    };
  };
  return node(expr, scope, file);
}

// ---------------------------------------------------------------- values

/**
 * The policy document a policy argument's value holds: a known JSON string is parsed, a partly
 * known one (a template with unknown pieces) is parsed around its unknown pieces, a jsonencode
 * of a partly known object gives that object. Anything else is returned as it is (unknown,
 * failure), or a Failure when it is not a string.
 */
export function policyValue(v: Value | undefined): Value {
  if (v === undefined || v === null) return new Failure("no policy");
  if (typeof v === "string") {
    // A text jsonencode wrote lately: its value, as parsing the text gives it.
    const encoded = valueOfJSON(v);
    const parsed = encoded !== undefined ? jsonRoundTrip(encoded, 0) : undefined;
    return parsed !== undefined ? parsed : parsePartialJson([v]);
  }
  if (v instanceof Unknown) {
    if (v.json !== undefined) return v.json;
    if (v.template) return parsePartialJson(v.template);
    return v;
  }
  if (v instanceof ObjectValue) return v; // already a document (a plan, a model)
  if (v instanceof Failure) return v;
  return new Failure("a policy must be a JSON string");
}

/** Parses JSON text made of known and unknown pieces; unknown pieces stay unknown in the result. */
export function parsePartialJson(pieces: readonly StringPiece[]): Value {
  let text = "";
  const state = new JsonStringState();
  const inside: StringPiece[] = []; // unknown pieces inside strings, in text order
  const outside = new Map<number, Unknown | Failure>(); // placeholder offset → unknown piece
  for (const p of pieces) {
    if (typeof p === "string") {
      text += p;
      state.feed(p);
    } else if (state.inString) {
      inside.push(p);
      text += MARK;
    } else {
      outside.set(text.length, p);
      text += "0";
    }
  }
  const hasUnknown = inside.length > 0 || outside.size > 0;
  const errors: ParseError[] = [];
  let root: JsonNode | undefined;
  try {
    root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  } catch {
    root = undefined;
  }
  if (!root || errors.length > 0) {
    if (hasUnknown) return new Unknown("dynamic", undefined, undefined, "policy JSON with unknown parts");
    return new Failure("the policy is not valid JSON");
  }
  let insideAt = 0;
  const convert = (n: JsonNode): Value => {
    switch (n.type) {
      case "object": {
        const out = new ObjectValue();
        let unknownKey = false;
        for (const p of n.children ?? []) {
          const [k, v] = p.children ?? [];
          if (!k || !v) continue;
          const key = String(k.value);
          const marks = countMarks(key);
          if (marks > 0) {
            insideAt += marks;
            unknownKey = true;
          }
          const value = convert(v);
          if (!unknownKey) out.set(key, value);
        }
        // An unknown key makes the whole object's keys unknown (as Terraform does).
        return unknownKey ? new Unknown("dynamic", undefined, undefined, "a policy object key") : out;
      }
      case "array":
        return (n.children ?? []).map(convert);
      case "string": {
        const s = String(n.value);
        if (!s.includes(MARK)) return s;
        const parts = s.split(MARK);
        const out: StringPiece[] = [parts[0]];
        for (let i = 1; i < parts.length; i++) {
          out.push(inside[insideAt++] ?? new Unknown("dynamic"));
          out.push(parts[i]);
        }
        return joinPieces(out);
      }
      case "number": {
        const u = outside.get(n.offset);
        if (u !== undefined && n.length === 1) return u instanceof Unknown && u.json !== undefined ? u.json : u;
        return n.value as number;
      }
      case "boolean":
        return n.value as boolean;
      default:
        return null;
    }
  };
  return convert(root);
}

function countMarks(s: string): number {
  let n = 0;
  for (const ch of s) if (ch === MARK) n++;
  return n;
}

/**
 * An `aws_iam_policy_document`'s value as a policy: what policyValue(policyDocumentJson(doc))
 * gives, without writing the JSON text and parsing it back when the document is wholly known
 * (jsonRoundTrip says what the parse would give; where it cannot say exactly, the round trip
 * is made as before).
 */
export function policyDocumentValue(doc: ObjectValue): Value {
  const document = policyDocumentObject(doc);
  if (document instanceof ObjectValue && isWhollyKnown(document)) {
    const v = jsonRoundTrip(document, 0);
    if (v !== undefined) return v;
  }
  return policyValue(document instanceof Unknown ? document : encodePolicyDocument(document));
}

/** Deeper than this, jsonRoundTrip leaves the value to the real round trip. */
const ROUND_TRIP_DEPTH = 32;
/** A UTF-16 surrogate (jsonencode writes a lone one as U+FFFD) or the template mark (parsePartialJson reads it as unknown). */
const NOT_VERBATIM = /[\uD800-\uDFFF\uE000]/;

/**
 * A fresh copy of a wholly known value as parsePartialJson([encodeJSON(v)]) reads it back:
 * object keys in jsonencode's order (sorted), numbers as the text jsonencode writes reads
 * (`Number(numberToString(n))`: 15 significant digits, no -0), strings and booleans as they
 * are. Undefined where that is not certain (a non-finite number, whose text is not JSON; a
 * string or key with a surrogate or the mark; anything nested deeper than ROUND_TRIP_DEPTH;
 * anything else): the caller then makes the round trip. test/sources/policy-round-trip.test.ts
 * compares the two.
 */
export function jsonRoundTrip(v: Value, depth: number): Value | undefined {
  if (v === null || typeof v === "boolean") return v;
  if (typeof v === "string") return NOT_VERBATIM.test(v) ? undefined : v;
  if (typeof v === "number") return Number.isFinite(v) ? Number(numberToString(v)) : undefined;
  if (depth >= ROUND_TRIP_DEPTH) return undefined;
  if (Array.isArray(v)) {
    const out: Value[] = [];
    for (const x of v) {
      const y = jsonRoundTrip(x, depth + 1);
      if (y === undefined) return undefined;
      out.push(y);
    }
    return out;
  }
  if (v instanceof ObjectValue) {
    const out = new ObjectValue();
    for (const [k, x] of sortedEntries(v)) {
      if (NOT_VERBATIM.test(k)) return undefined;
      const y = jsonRoundTrip(x, depth + 1);
      if (y === undefined) return undefined;
      out.set(k, y);
    }
    return out;
  }
  return undefined;
}

// ---------------------------------------------------------------- statements

/** JSON keys of a statement, in the order kept. */
const LIST_KEYS = [
  ["Action", "actions"],
  ["NotAction", "notActions"],
  ["Resource", "resources"],
  ["NotResource", "notResources"],
] as const;

/** `"x"` → `["x"]`: Action and Resource lists are lists in the inventory. */
export function normaliseList(v: Value): Value {
  if (typeof v === "string") return [v];
  if (v instanceof Unknown && v.template) return [v]; // a partly known string
  return v;
}

/**
 * A document's statements from its value, each placed at its own syntax node when there is
 * one (the n-th item of the Statement list), else at `fallback`.
 */
export function documentFrom(
  value: Value,
  origin: Origin,
  syntax: SyntaxNode | undefined,
  at: (n: SyntaxNode) => Origin,
  fallback: Origin = origin,
): PolicyDocument {
  if (!(value instanceof ObjectValue)) return { statements: [], complete: false, origin };
  const raw = value.get("Statement");
  const stmtSyntax = syntax?.get("Statement");
  const statements: PolicyStatement[] = [];
  let complete = true;
  const list: Value[] | undefined = Array.isArray(raw) ? raw : raw instanceof ObjectValue ? [raw] : undefined;
  if (!list) return { statements: [], complete: raw === undefined ? true : false, origin };
  list.forEach((st, i) => {
    const node = Array.isArray(raw) ? stmtSyntax?.get(i) : (stmtSyntax?.value ?? stmtSyntax);
    // The statement's index is its identity inside the document (two equal statements differ by it).
    const stOrigin: Origin = { ...(node ? at(node) : stmtSyntax ? at(stmtSyntax) : fallback), part: `Statement[${i}]` };
    const s = statementFrom(st, stOrigin, node, at);
    if (s) statements.push(s);
    else complete = false;
  });
  const version = value.get("Version");
  return version !== undefined ? { statements, complete, version, origin } : { statements, complete, origin };
}

/**
 * A document from parsed JSON (an AWS managed policy's, a live account's) whose every
 * statement is placed at one origin.
 */
export function documentFromJson(doc: unknown, origin: Origin): PolicyDocument {
  if (doc === null || typeof doc !== "object") return { statements: [], complete: false, origin };
  const value = fromJSON(doc);
  if (value instanceof Failure) return { statements: [], complete: false, origin };
  return documentFrom(value, origin, undefined, () => origin, origin);
}

/**
 * The syntax node each statement was read from (for origins deeper than the inventory keeps).
 * A node reaches into its module instance (and so every syntax tree of its root module): inside
 * a collection scope (withStatementSyntax) the nodes are let go when the scope ends, so the
 * inventory a scan keeps holds no syntax tree; outside one, they last as long as the statement.
 */
const lastingNodes = new WeakMap<PolicyStatement, SyntaxNode>();
let scopedNodes: Map<PolicyStatement, SyntaxNode> | undefined;

export function statementSyntax(st: PolicyStatement): SyntaxNode | undefined {
  return scopedNodes?.get(st) ?? lastingNodes.get(st);
}

function setStatementSyntax(st: PolicyStatement, node: SyntaxNode): void {
  (scopedNodes ?? lastingNodes).set(st, node);
}

/** Runs a collection whose statements' syntax nodes are needed only while it runs (see statementSyntax). */
export function withStatementSyntax<T>(fn: () => T): T {
  const before = scopedNodes;
  scopedNodes = new Map();
  try {
    return fn();
  } finally {
    scopedNodes = before;
  }
}

/** Gives `to` the syntax node of `from` (a plan's statement placed at its source statement). */
export function copyStatementSyntax(from: PolicyStatement, to: PolicyStatement): void {
  const n = statementSyntax(from);
  if (n) setStatementSyntax(to, n);
}

/** One statement from its value; undefined when the statement itself is not known. */
export function statementFrom(st: Value, origin: Origin, node: SyntaxNode | undefined, at: (n: SyntaxNode) => Origin): PolicyStatement | undefined {
  if (!(st instanceof ObjectValue)) return undefined;
  const located = (key: string, v: Value): Located => {
    const n = node?.get(key);
    return { value: v, origin: n ? { ...at(n), ...(origin.part ? { part: `${origin.part}.${key}` } : {}) } : origin };
  };
  const out: PolicyStatement = { effect: located("Effect", st.has("Effect") ? (st.get("Effect") as Value) : null), origin };
  const sid = st.get("Sid");
  if (typeof sid === "string") out.sid = sid;
  for (const [key, field] of LIST_KEYS) {
    if (st.has(key)) out[field] = located(key, normaliseList(st.get(key) as Value));
  }
  if (st.has("Principal")) out.principals = located("Principal", st.get("Principal") as Value);
  if (st.has("NotPrincipal")) out.notPrincipals = located("NotPrincipal", st.get("NotPrincipal") as Value);
  if (st.has("Condition")) out.condition = located("Condition", st.get("Condition") as Value);
  if (node) setStatementSyntax(out, node);
  return out;
}

/** The origin of a value inside a statement's condition (`Condition.Op.Key`), or the condition's. */
export function conditionValueOrigin(stmtNode: SyntaxNode | undefined, op: string, key: string, at: (n: SyntaxNode) => Origin): Origin | undefined {
  const n = stmtNode?.get("Condition")?.get(op)?.get(key);
  return n ? at(n) : undefined;
}
