// Terraform's built-in functions, over Values with unknowns.
//
// Each function follows Terraform's documented behaviour on known values. On values that are
// not (wholly) known the rules are:
// - a Failure argument makes the result that Failure (errors propagate like unknowns);
// - an unknown argument makes the result unknown (`what` names the call), except where
//   Terraform's result keeps known structure: then the known part survives (a partly known
//   string keeps its known pieces, a list keeps its length, an object keeps its keys, a
//   jsonencode result keeps the encoded value in `Unknown.json`);
// - a wrong argument type is a Failure whose message says what was expected.
// Functions that are impure (timestamp, uuid, bcrypt…) or need what a static scan cannot see
// (a file that is not there, a directory listing) give an Unknown with reason "function".

import { createHash } from "node:crypto";
import { posix as posixPath } from "node:path";
import { parseTemplateSource } from "../hcl/parser.js";
import { evaluateTemplate, type Scope } from "./evaluate.js";
import {
  Failure,
  ObjectValue,
  Unknown,
  isWhollyKnown,
  joinPieces,
  knownPrefix,
  knownSuffix,
  typeName,
  valuesEqual,
  type StringPiece,
  type UnknownReason,
  type Value,
} from "./values.js";

export interface FunctionContext {
  /** The module directory, for path-relative functions (file, fileexists, templatefile). */
  readonly baseDir: string;
  /** Reads a file relative to the module (undefined when absent or unreadable). */
  readFile(path: string): string | undefined;
}

export type TfFunction = (args: Value[], ctx: FunctionContext) => Value;

export const functions: Record<string, TfFunction> = {};

// ================================================================== helpers: shapes

/** An unknown result of `name(…)`. */
function unk(name: string, reason: UnknownReason = "dynamic"): Unknown {
  return new Unknown(reason, undefined, undefined, `${name}(…)`);
}

/** An unknown standing for a changed (transformed) unknown string: it keeps no template or json. */
function opaque(u: Unknown): Unknown {
  return u.template === undefined && u.json === undefined ? u : new Unknown(u.reason, undefined, undefined, u.what);
}

function arityFailure(args: Value[], min: number, max: number): Failure | undefined {
  if (args.length >= min && args.length <= max) return undefined;
  const want =
    min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  return new Failure(`expects ${want} argument${want === "1" ? "" : "s"}, got ${args.length}`);
}

/** The first Failure anywhere inside v. */
function findFailure(v: Value): Failure | undefined {
  if (v instanceof Failure) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const f = findFailure(x);
      if (f) return f;
    }
  } else if (v instanceof ObjectValue) {
    for (const x of v.entries.values()) {
      const f = findFailure(x);
      if (f) return f;
    }
  }
  return undefined;
}

type Impl = (args: Value[], ctx: FunctionContext, name: string) => Value;

/**
 * Registers a function that needs its arguments known at the top level (a list argument may
 * still hold unknown elements): a Failure argument is returned, an unknown one gives unknown.
 */
function def(name: string, min: number, max: number, impl: Impl): void {
  functions[name] = (args, ctx) => {
    const bad = arityFailure(args, min, max);
    if (bad) return bad;
    for (const a of args) if (a instanceof Failure) return a;
    for (const a of args) if (a instanceof Unknown) return unk(name);
    return impl(args, ctx, name);
  };
}

/** Registers a function that needs its arguments known at every depth. */
function defDeep(name: string, min: number, max: number, impl: Impl): void {
  functions[name] = (args, ctx) => {
    const bad = arityFailure(args, min, max);
    if (bad) return bad;
    for (const a of args) {
      const f = findFailure(a);
      if (f) return f;
    }
    for (const a of args) if (!isWhollyKnown(a)) return unk(name);
    return impl(args, ctx, name);
  };
}

/** Registers a function that handles unknown arguments itself (top-level Failures still propagate). */
function defPartial(name: string, min: number, max: number, impl: Impl): void {
  functions[name] = (args, ctx) => {
    const bad = arityFailure(args, min, max);
    if (bad) return bad;
    for (const a of args) if (a instanceof Failure) return a;
    return impl(args, ctx, name);
  };
}

// ================================================================== helpers: conversions

/**
 * A number as Terraform prints it (`tostring`, templates, jsonencode): decimal, no exponent,
 * no trailing zeros. Terraform numbers are arbitrary-precision decimals and ours are doubles,
 * so a fraction is printed to 15 significant digits: `0.1 + 0.2` prints "0.3", as in Terraform.
 */
export function numberToString(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Object.is(n, -0)) return "0";
  const s = String(Number.isInteger(n) ? n : Number(n.toPrecision(15)));
  if (!s.includes("e")) return s;
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] ?? "");
  const point = 1 + Number(m[4]);
  if (point <= 0) return `${m[1]}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return m[1] + digits + "0".repeat(point - digits.length);
  return `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Terraform's string → number conversion: a decimal number, nothing around it. */
function parseNumber(s: string): number | undefined {
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

function asString(v: Value, what = "argument"): string | Failure {
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberToString(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v === null) return new Failure(`${what} must not be null`);
  if (v instanceof Failure) return v;
  return new Failure(`${what} must be a string, not ${typeName(v)}`);
}

function asNumber(v: Value, what = "argument"): number | Failure {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const n = parseNumber(v);
    return n === undefined ? new Failure(`${what} must be a number, not the string ${JSON.stringify(v)}`) : n;
  }
  if (v === null) return new Failure(`${what} must not be null`);
  if (v instanceof Failure) return v;
  return new Failure(`${what} must be a number, not ${typeName(v)}`);
}

function asInt(v: Value, what = "argument"): number | Failure {
  const n = asNumber(v, what);
  if (n instanceof Failure) return n;
  if (!Number.isInteger(n)) return new Failure(`${what} must be a whole number, not ${numberToString(n)}`);
  return n;
}

function asBool(v: Value, what = "argument"): boolean | Failure {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  if (v === null) return new Failure(`${what} must not be null`);
  if (v instanceof Failure) return v;
  return new Failure(`${what} must be a bool, not ${typeof v === "string" ? JSON.stringify(v) : typeName(v)}`);
}

function asList(v: Value, what = "argument"): Value[] | Failure {
  if (Array.isArray(v)) return v;
  if (v === null) return new Failure(`${what} must not be null`);
  if (v instanceof Failure) return v;
  return new Failure(`${what} must be a list, set or tuple, not ${typeName(v)}`);
}

function asObject(v: Value, what = "argument"): ObjectValue | Failure {
  if (v instanceof ObjectValue) return v;
  if (v === null) return new Failure(`${what} must not be null`);
  if (v instanceof Failure) return v;
  return new Failure(`${what} must be a map or object, not ${typeName(v)}`);
}

/** Normalised pieces: known runs merged, "" dropped, nested templates flattened. */
function normPieces(ps: readonly StringPiece[]): StringPiece[] {
  const out: StringPiece[] = [];
  for (const p of ps) {
    if (typeof p === "string") {
      if (p === "") continue;
      const last = out[out.length - 1];
      if (typeof last === "string") out[out.length - 1] = last + p;
      else out.push(p);
    } else if (p instanceof Unknown && p.template) {
      for (const q of normPieces(p.template)) {
        const last = out[out.length - 1];
        if (typeof q === "string" && typeof last === "string") out[out.length - 1] = last + q;
        else out.push(q);
      }
    } else out.push(p);
  }
  return out;
}

/** The pieces of a (partly known) string argument, or a Failure for a non-string. */
function asPieces(v: Value, what = "argument"): StringPiece[] | Failure {
  if (v instanceof Unknown) return v.template ? normPieces(v.template) : [v];
  const s = asString(v, what);
  return s instanceof Failure ? s : s === "" ? [] : [s];
}

/** Applies f to the known text of the pieces; unknown pieces stay unknown. */
function mapPieces(ps: StringPiece[], f: (s: string) => string): Value {
  return joinPieces(ps.map((p) => (typeof p === "string" ? f(p) : p instanceof Unknown ? opaque(p) : p)));
}

// ================================================================== helpers: text

let segmenter: Intl.Segmenter | undefined;

/** The user-perceived characters (grapheme clusters) of s, as Terraform counts them. */
function graphemes(s: string): string[] {
  if (/^[\x00-\x7f]*$/.test(s) && !s.includes("\r\n")) return s.split("");
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

/** Go's string order (bytes of UTF-8), i.e. code point order. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Go's simple per-rune case mapping: a character without a one-character mapping stays. */
function caseMap(s: string, upper: boolean): string {
  if (/^[\x00-\x7f]*$/.test(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = "";
  for (const ch of s) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += m.length === ch.length || [...m].length === 1 ? m : ch;
  }
  return out;
}

/** Go's strings.Title notion of a word separator. */
function isTitleSeparator(ch: string): boolean {
  const c = ch.codePointAt(0) as number;
  if (c <= 0x7f) return !/[0-9A-Za-z_]/.test(ch);
  if (/[\p{L}\p{Nd}]/u.test(ch)) return false;
  return /[\s\u0085]/u.test(ch) && ch !== "\ufeff";
}

/** Go's unicode.IsSpace. */
const SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING_SPACE = new RegExp(`^[${SPACE}]+`);
const TRAILING_SPACE = new RegExp(`[${SPACE}]+$`);

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

/**
 * A string as Go's encoding/json writes it (what Terraform's jsonencode and `%q` produce):
 * `<`, `>`, `&`, U+2028 and U+2029 escaped as \uXXXX, invalid UTF-16 as \ufffd.
 */
function jsonQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
      } else out += "\\ufffd";
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += "\\ufffd";
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += "\\\\";
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x08:
        out += "\\b";
        break;
      case 0x0c:
        out += "\\f";
        break;
      case 0x3c:
      case 0x3e:
      case 0x26:
      case 0x2028:
      case 0x2029:
        out += "\\u" + c.toString(16).padStart(4, "0");
        break;
      default:
        out += c < 0x20 ? "\\u00" + c.toString(16).padStart(2, "0") : s[i];
    }
  }
  return out + '"';
}

/** Object entries in Terraform's order (keys sorted). */
function sortedEntries(o: ObjectValue): Array<[string, Value]> {
  return [...o.entries].sort((a, b) => compareStrings(a[0], b[0]));
}

function sortedObject(entries: Iterable<readonly [string, Value]>): ObjectValue {
  return new ObjectValue([...entries].sort((a, b) => compareStrings(a[0], b[0])));
}

/** The JSON text of a wholly known value, exactly as Terraform's jsonencode renders it. */
function encodeJSON(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return numberToString(v);
  if (typeof v === "string") return jsonQuote(v);
  if (Array.isArray(v)) return `[${v.map(encodeJSON).join(",")}]`;
  if (v instanceof ObjectValue) {
    return `{${sortedEntries(v)
      .map(([k, x]) => `${jsonQuote(k)}:${encodeJSON(x)}`)
      .join(",")}}`;
  }
  throw new Error("encodeJSON needs a wholly known value");
}

/** A decoded JSON value, objects with sorted keys. */
function decodedToValue(j: unknown): Value {
  if (j === null || typeof j === "boolean" || typeof j === "number" || typeof j === "string") return j;
  if (Array.isArray(j)) return j.map(decodedToValue);
  if (typeof j === "object") {
    return sortedObject(Object.entries(j as Record<string, unknown>).map(([k, x]) => [k, decodedToValue(x)] as [string, Value]));
  }
  return null;
}

// ================================================================== helpers: comparing

/** Whether two partly known strings can be told apart by their known ends. */
function definitelyDifferentStrings(a: Value, b: Value): boolean {
  const stringy = (v: Value) => typeof v === "string" || (v instanceof Unknown && v.template !== undefined);
  if (!stringy(a) || !stringy(b)) return false;
  const pa = knownPrefix(a);
  const pb = knownPrefix(b);
  if (!pa.startsWith(pb) && !pb.startsWith(pa)) return true;
  const sa = knownSuffix(a);
  const sb = knownSuffix(b);
  return !sa.endsWith(sb) && !sb.endsWith(sa);
}

/** Three-valued equality: true, false, or undefined when an unknown decides. */
function equal3(a: Value, b: Value): boolean | undefined {
  const e = valuesEqual(a, b);
  if (e !== undefined) return e;
  return definitelyDifferentStrings(a, b) ? false : undefined;
}

type Kind = "string" | "number" | "bool" | "list" | "object" | "unknown" | "null";

function kindOf(v: Value): Kind {
  if (v === null) return "null";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "list";
  if (v instanceof ObjectValue) return "object";
  if (v instanceof Unknown && v.template) return "string";
  return "unknown";
}

/**
 * Terraform's type unification for a collection's elements, as far as values tell: mixed
 * primitives become strings; primitives mixed with lists or objects are an error.
 */
function unify(values: Value[], what: string): Value[] | Failure {
  const kinds = new Set(values.map(kindOf));
  kinds.delete("null");
  kinds.delete("unknown");
  if (kinds.size <= 1) return values;
  if (kinds.has("list") || kinds.has("object")) {
    return new Failure(`all ${what} must have the same type (found ${[...kinds].join(" and ")})`);
  }
  return values.map((v) => (typeof v === "number" || typeof v === "boolean" ? (asString(v) as string) : v));
}

/**
 * Removes duplicates (first occurrence kept). Undefined when an unknown element might equal
 * another one, so the count is not known.
 */
function dedupe(values: Value[]): Value[] | undefined {
  const out: Value[] = [];
  for (const v of values) {
    let dup = false;
    for (const o of out) {
      const e = equal3(v, o);
      if (e === undefined) return undefined;
      if (e) {
        dup = true;
        break;
      }
    }
    if (!dup) out.push(v);
  }
  return out;
}

/** Terraform's set order: strings lexically, numbers ascending, false before true; unknowns last. */
function setOrder(values: Value[]): Value[] {
  const known = values.filter((v) => !(v instanceof Unknown));
  const unknowns = values.filter((v) => v instanceof Unknown);
  if (known.every((v) => typeof v === "string")) known.sort((a, b) => compareStrings(a as string, b as string));
  else if (known.every((v) => typeof v === "number")) known.sort((a, b) => (a as number) - (b as number));
  else if (known.every((v) => typeof v === "boolean")) known.sort((a, b) => Number(a) - Number(b));
  return [...known, ...unknowns];
}

/** A set from a list: unified, deduplicated, ordered; undefined when its size is unknown. */
function makeSet(values: Value[], what: string): Value[] | Failure | undefined {
  const u = unify(values, what);
  if (u instanceof Failure) return u;
  const d = dedupe(u);
  return d === undefined ? undefined : setOrder(d);
}

// ================================================================== encoding

defPartial("jsonencode", 1, 1, ([v], _ctx, name) => {
  const f = findFailure(v);
  if (f) return f;
  if (isWhollyKnown(v)) return encodeJSON(v);
  // A wholly unknown value keeps nothing; a partly known string or structure is kept for jsondecode.
  if (v instanceof Unknown && !v.template) return unk(name);
  return new Unknown("dynamic", undefined, v, `${name}(…)`);
});

defPartial("jsondecode", 1, 1, ([v], _ctx, name) => {
  if (v instanceof Unknown) return v.json !== undefined ? v.json : unk(name);
  const s = asString(v);
  if (s instanceof Failure) return s;
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch (err) {
    // Node's message quotes the input, which may be a secret value: keep only where it failed.
    const at = /position (\d+)/.exec((err as Error).message);
    return new Failure(`the string is not valid JSON${at ? ` (at character ${at[1]})` : ""}`);
  }
  return decodedToValue(parsed);
});

def("base64encode", 1, 1, ([v]) => {
  const s = asString(v);
  return s instanceof Failure ? s : Buffer.from(s, "utf8").toString("base64");
});

def("base64decode", 1, 1, ([v]) => {
  const s = asString(v);
  if (s instanceof Failure) return s;
  // Go's StdEncoding is strict: the standard alphabet, padded to a multiple of 4.
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return new Failure("failed to decode base64 data");
  const bytes = Buffer.from(s, "base64");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new Failure("the result of decoding the provided string is not valid UTF-8");
  }
});

def("urlencode", 1, 1, ([v]) => {
  const s = asString(v);
  if (s instanceof Failure) return s;
  // Go's url.QueryEscape: unreserved characters stay, space is "+", the rest %XX.
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (b === 0x20) out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
});

for (const [name, algo, enc] of [
  ["md5", "md5", "hex"],
  ["sha1", "sha1", "hex"],
  ["sha256", "sha256", "hex"],
  ["sha512", "sha512", "hex"],
  ["base64sha256", "sha256", "base64"],
  ["base64sha512", "sha512", "base64"],
] as const) {
  def(name, 1, 1, ([v]) => {
    const s = asString(v);
    return s instanceof Failure ? s : createHash(algo).update(s, "utf8").digest(enc);
  });
}

const UUID_NAMESPACES: Record<string, string> = {
  dns: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
  url: "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
  oid: "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
  x500: "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
};

def("uuidv5", 2, 2, ([ns, nm]) => {
  const n = asString(ns, "namespace");
  if (n instanceof Failure) return n;
  const name = asString(nm, "name");
  if (name instanceof Failure) return name;
  const uuid = UUID_NAMESPACES[n] ?? n;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(uuid)) {
    return new Failure(`uuidv5() doesn't support namespace prefix ${JSON.stringify(n)}`);
  }
  const h = createHash("sha1")
    .update(Buffer.from(uuid.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
});

// ================================================================== format

interface Verb {
  raw: string;
  offset: number;
  argNum: number;
  mode: string;
  zero: boolean;
  sharp: boolean;
  plus: boolean;
  minus: boolean;
  space: boolean;
  width: number; // -1: none
  prec: number; // -1: none
}

/** Splits a format spec into literal text and verbs, as cty's format scanner does. */
function parseFormat(spec: string): Array<string | Verb> | Failure {
  const out: Array<string | Verb> = [];
  let text = "";
  let nextArg = 1;
  let i = 0;
  while (i < spec.length) {
    const c = spec[i];
    if (c !== "%") {
      text += c;
      i++;
      continue;
    }
    if (spec[i + 1] === "%") {
      text += "%";
      i += 2;
      continue;
    }
    const start = i;
    i++;
    const verb: Verb = {
      raw: "",
      offset: start,
      argNum: 0,
      mode: "",
      zero: false,
      sharp: false,
      plus: false,
      minus: false,
      space: false,
      width: -1,
      prec: -1,
    };
    for (; i < spec.length; i++) {
      const f = spec[i];
      if (f === "0") verb.zero = true;
      else if (f === "#") verb.sharp = true;
      else if (f === "+") verb.plus = true;
      else if (f === "-") verb.minus = true;
      else if (f === " ") verb.space = true;
      else break;
    }
    const bad = (): Failure => {
      const ch = String.fromCodePoint(spec.codePointAt(i) ?? 0);
      return i >= spec.length
        ? new Failure(`the format sequence at offset ${start} is incomplete`)
        : new Failure(`unrecognized format character '${ch}' at offset ${i}`);
    };
    if (spec[i] === "[") {
      i++;
      if (!/[1-9]/.test(spec[i] ?? "")) return bad();
      let n = "";
      while (/[0-9]/.test(spec[i] ?? "")) n += spec[i++];
      if (spec[i] !== "]") return bad();
      i++;
      nextArg = Number(n);
    }
    if (/[1-9]/.test(spec[i] ?? "")) {
      let n = "";
      while (/[0-9]/.test(spec[i] ?? "")) n += spec[i++];
      verb.width = Number(n);
    }
    if (spec[i] === ".") {
      i++;
      if (!/[0-9]/.test(spec[i] ?? "")) return bad();
      let n = "";
      while (/[0-9]/.test(spec[i] ?? "")) n += spec[i++];
      verb.prec = Number(n);
    }
    if (!/[A-Za-z]/.test(spec[i] ?? "")) return bad();
    verb.mode = spec[i];
    i++;
    verb.raw = spec.slice(start, i);
    verb.argNum = nextArg++;
    if (text) out.push(text);
    text = "";
    out.push(verb);
  }
  if (text) out.push(text);
  return out;
}

/** Pads to the verb's width (counted in characters), as cty's formatPadWidth. */
function padWidth(verb: Verb, s: string): string {
  if (verb.width < 0) return s;
  const len = graphemes(s).length;
  if (len >= verb.width) return s;
  const pad = (verb.zero ? "0" : " ").repeat(verb.width - len);
  return verb.minus ? s + pad : pad + s;
}

/** Decimal digits (no trailing zeros) and decimal point position of |n|, rounded to prec significant digits (-1: shortest). */
function decimalDigits(n: number, prec: number): { digits: string; dp: number } {
  if (n === 0) return { digits: "0", dp: 1 };
  const e = prec < 0 ? Math.abs(n).toExponential() : Math.abs(n).toExponential(Math.max(prec, 1) - 1);
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e) as RegExpExecArray;
  const digits = (m[1] + (m[2] ?? "")).replace(/0+$/, "") || "0";
  return { digits, dp: Number(m[3]) + 1 };
}

function fixedFromDigits(digits: string, dp: number, frac: number): string {
  let int = "";
  if (dp <= 0) int = "0";
  else for (let i = 0; i < dp; i++) int += digits[i] ?? "0";
  let fr = "";
  for (let i = 0; i < frac; i++) {
    const idx = dp + i;
    fr += idx < 0 ? "0" : (digits[idx] ?? "0");
  }
  return frac > 0 ? `${int}.${fr}` : int;
}

function expFromDigits(digits: string, dp: number, frac: number, e: string): string {
  let mant = digits[0];
  if (frac > 0) mant += "." + digits.slice(1).padEnd(frac, "0").slice(0, frac);
  const x = digits === "0" ? 0 : dp - 1;
  return `${mant}${e}${x < 0 ? "-" : "+"}${String(Math.abs(x)).padStart(2, "0")}`;
}

/** Go's %g/%G of |n| (prec -1: shortest), as big.Float formats it. */
function goG(n: number, prec: number, upper: boolean): string {
  const { digits, dp } = decimalDigits(n, prec === 0 ? 1 : prec);
  const nd = digits.length;
  let p = prec < 0 ? nd : prec === 0 ? 1 : prec;
  let eprec = p;
  if (eprec > nd && nd >= dp) eprec = nd;
  if (prec < 0) eprec = 6;
  const x = dp - 1;
  if (x < -4 || x >= eprec) {
    if (p > nd) p = nd;
    return expFromDigits(digits, dp, p - 1, upper ? "E" : "e");
  }
  if (p > dp) p = nd;
  return fixedFromDigits(digits, dp, Math.max(p - dp, 0));
}

/** Go's %e/%f of |n| with precision prec. */
function goFloat(n: number, mode: string, prec: number): string {
  const a = Math.abs(n);
  if (mode === "f" || mode === "F") {
    if (a < 1e21) return a.toFixed(prec);
    return BigInt(a).toString() + (prec > 0 ? "." + "0".repeat(prec) : "");
  }
  const { digits, dp } = decimalDigits(a, prec + 1);
  return expFromDigits(digits, dp, prec, mode === "E" ? "E" : "e");
}

/** A number for %e %E %f %g %G, with Go's sign and padding flags. */
function formatFloat(verb: Verb, n: number): string {
  const body =
    verb.mode === "g" || verb.mode === "G"
      ? goG(n, verb.prec, verb.mode === "G")
      : goFloat(n, verb.mode, verb.prec < 0 ? 6 : verb.prec);
  const sign = n < 0 || Object.is(n, -0) ? "-" : verb.plus ? "+" : verb.space ? " " : "";
  const padding = Math.max(verb.width - sign.length - body.length, 0);
  if (verb.zero) return sign + "0".repeat(padding) + body;
  if (verb.minus) return sign + body + " ".repeat(padding);
  return " ".repeat(padding) + sign + body;
}

/** An integer for %b %d %o %x %X, as Go's big.Int formats it. */
function formatInteger(verb: Verb, n: number): string {
  const base = { b: 2, d: 10, o: 8, x: 16, X: 16 }[verb.mode as "b" | "d" | "o" | "x" | "X"];
  const big = BigInt(n);
  const neg = big < 0n;
  let digits = (neg ? -big : big).toString(base);
  if (verb.mode === "X") digits = digits.toUpperCase();
  const sign = neg ? "-" : verb.plus ? "+" : verb.space ? " " : "";
  let prefix = "";
  if (verb.sharp) prefix = { b: "0b", d: "", o: "0", x: "0x", X: "0X" }[verb.mode as "b" | "d" | "o" | "x" | "X"];
  let zeros = 0;
  if (verb.prec >= 0) {
    if (digits.length < verb.prec) zeros = verb.prec - digits.length;
    else if (digits === "0" && verb.prec === 0) return "";
  }
  let left = 0;
  let right = 0;
  const length = sign.length + prefix.length + zeros + digits.length;
  if (verb.width >= 0 && length < verb.width) {
    const d = verb.width - length;
    if (verb.minus) right = d;
    else if (verb.zero && verb.prec < 0) zeros = d;
    else left = d;
  }
  return " ".repeat(left) + sign + prefix + "0".repeat(zeros) + digits + " ".repeat(right);
}

/** One verb applied to a known argument. */
function formatOne(verb: Verb, arg: Value): string | Failure {
  const where = `for ${JSON.stringify(verb.raw)} at ${verb.offset}`;
  if (verb.mode !== "v" && arg === null) return new Failure(`unsupported value ${where}: null value cannot be formatted`);
  switch (verb.mode) {
    case "v":
      if (!verb.sharp && typeof arg === "string") return padWidth(verb, arg);
      if (!verb.sharp && typeof arg === "number") return padWidth(verb, (arg < 0 ? "-" : "") + goG(arg, -1, false));
      return padWidth(verb, encodeJSON(arg));
    case "t": {
      const b = asBool(arg);
      return b instanceof Failure ? new Failure(`unsupported value ${where}: bool required`) : b ? "true" : "false";
    }
    case "b":
    case "d":
    case "o":
    case "x":
    case "X":
    case "e":
    case "E":
    case "f":
    case "g":
    case "G": {
      const n = asNumber(arg);
      if (n instanceof Failure) return new Failure(`unsupported value ${where}: number required`);
      if ("bdoxX".includes(verb.mode)) {
        if (!Number.isInteger(n)) return new Failure(`unsupported value ${where}: an integer is required`);
        return formatInteger(verb, n);
      }
      return formatFloat(verb, n);
    }
    case "s":
    case "q": {
      let s = asString(arg);
      if (s instanceof Failure) return new Failure(`unsupported value ${where}: string required`);
      if (verb.prec > 0) s = graphemes(s).slice(0, verb.prec).join("");
      return padWidth(verb, verb.mode === "q" ? jsonQuote(s) : s);
    }
    default:
      return new Failure(`unsupported format verb '${verb.mode}' in ${JSON.stringify(verb.raw)} at offset ${verb.offset}`);
  }
}

/**
 * format() over parsed verbs. Unknown arguments give unknown pieces; a partly known string
 * under a plain `%s`/`%v` keeps its known pieces.
 */
function formatPieces(parts: Array<string | Verb>, args: Value[]): Value {
  const out: StringPiece[] = [];
  let maxUsed = 0;
  let verbs = 0;
  for (const part of parts) {
    if (typeof part === "string") {
      out.push(part);
      continue;
    }
    verbs++;
    const idx = part.argNum - 1;
    if (idx >= args.length) {
      return new Failure(
        `not enough arguments for ${JSON.stringify(part.raw)} at ${part.offset}: need index ${part.argNum} but have ${args.length} total`,
      );
    }
    maxUsed = Math.max(maxUsed, part.argNum);
    const arg = args[idx];
    const failure = findFailure(arg);
    if (failure) return failure;
    if (!"bdoxXeEfgGtsqv".includes(part.mode)) {
      return new Failure(`unsupported format verb '${part.mode}' in ${JSON.stringify(part.raw)} at offset ${part.offset}`);
    }
    if (!isWhollyKnown(arg)) {
      const plain = (part.mode === "s" || (part.mode === "v" && !part.sharp)) && part.width < 0 && part.prec < 0;
      if (plain && arg instanceof Unknown) out.push(...(arg.template ? normPieces(arg.template) : [arg]));
      else out.push(new Unknown("dynamic", undefined, undefined, "format(…)"));
      continue;
    }
    const s = formatOne(part, arg);
    if (s instanceof Failure) return s;
    out.push(s);
  }
  if (maxUsed < args.length) {
    return new Failure(
      verbs === 0 ? "too many arguments; no verbs in format string" : `too many arguments; only ${maxUsed} used by format string`,
    );
  }
  return joinPieces(out);
}

defPartial("format", 1, Infinity, ([spec, ...args], _ctx, name) => {
  if (spec instanceof Unknown) return unk(name);
  const s = asString(spec, "format");
  if (s instanceof Failure) return s;
  const parts = parseFormat(s);
  if (parts instanceof Failure) return parts;
  return formatPieces(parts, args);
});

defPartial("formatlist", 1, Infinity, ([spec, ...args], _ctx, name) => {
  if (spec instanceof Unknown) return unk(name);
  const s = asString(spec, "format");
  if (s instanceof Failure) return s;
  const parts = parseFormat(s);
  if (parts instanceof Failure) return parts;
  let len = -1;
  let chooser = -1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    // A wholly unknown argument might be a list: the number of results is unknown.
    if (a instanceof Unknown && !a.template) return unk(name);
    if (Array.isArray(a)) {
      if (len === -1) {
        len = a.length;
        chooser = i;
      } else if (a.length !== len) {
        return new Failure(
          `argument ${i + 2} has length ${a.length}, which is inconsistent with argument ${chooser + 2} of length ${len}`,
        );
      }
    }
  }
  if (len === -1) len = 1;
  const out: Value[] = [];
  for (let k = 0; k < len; k++) {
    const r = formatPieces(
      parts,
      args.map((a) => (Array.isArray(a) ? a[k] : a)),
    );
    if (r instanceof Failure) return new Failure(`error on format iteration ${k}: ${r.message}`);
    out.push(r);
  }
  return out;
});

// ================================================================== strings

defPartial("join", 1, Infinity, ([sepV, ...lists], _ctx, name) => {
  if (lists.length === 0) return new Failure("at least one list is required");
  if (sepV instanceof Unknown) return unk(name);
  const sep = asString(sepV, "separator");
  if (sep instanceof Failure) return sep;
  const out: StringPiece[] = [];
  let first = true;
  for (const lv of lists) {
    if (lv instanceof Unknown) return unk(name);
    const list = asList(lv);
    if (list instanceof Failure) return list;
    for (let i = 0; i < list.length; i++) {
      const el = list[i];
      if (el === null) return new Failure(`element ${i} is null; cannot concatenate null values`);
      const ps = asPieces(el, `element ${i}`);
      if (ps instanceof Failure) return ps;
      if (!first) out.push(sep);
      first = false;
      out.push(...ps);
    }
  }
  return joinPieces(out);
});

def("split", 2, 2, ([sepV, strV]) => {
  const sep = asString(sepV, "separator");
  if (sep instanceof Failure) return sep;
  const s = asString(strV, "string");
  if (s instanceof Failure) return s;
  return sep === "" ? Array.from(s) : s.split(sep);
});

/** Registers a one-string function that maps the known text of a partly known string. */
function defPieceMap(name: string, f: (s: string) => string): void {
  defPartial(name, 1, 1, ([v]) => {
    const ps = asPieces(v);
    return ps instanceof Failure ? ps : mapPieces(ps, f);
  });
}

defPieceMap("lower", (s) => caseMap(s, false));
defPieceMap("upper", (s) => caseMap(s, true));

defPartial("title", 1, 1, ([v], _ctx, name) => {
  const ps = asPieces(v);
  if (ps instanceof Failure) return ps;
  let prevSeparator: boolean | undefined = true; // undefined: after an unknown stretch
  const out: StringPiece[] = [];
  for (const p of ps) {
    if (typeof p !== "string") {
      out.push(p instanceof Unknown ? opaque(p) : p);
      prevSeparator = undefined;
      continue;
    }
    let s = "";
    for (const ch of p) {
      const t = caseMap(ch, true);
      if (prevSeparator === undefined && t !== ch) return unk(name); // a word start or not: unknown
      s += prevSeparator ? t : ch;
      prevSeparator = isTitleSeparator(ch);
    }
    out.push(s);
  }
  return joinPieces(out);
});

defPieceMap("strrev", (s) => graphemes(s).reverse().join(""));

/** Whether a match of `sub` could cross the edge of a known piece into an unknown neighbour. */
function matchMayCrossEdge(p: string, sub: string, leftOpen: boolean, rightOpen: boolean): boolean {
  const n = p.length;
  const m = sub.length;
  for (let o = -(m - 1); o < n; o++) {
    const end = o + m;
    if (o >= 0 && end <= n) continue;
    if (o < 0 && !leftOpen) continue;
    if (end > n && !rightOpen) continue;
    let agrees = true;
    for (let j = Math.max(0, o); j < Math.min(n, end); j++) {
      if (p[j] !== sub[j - o]) {
        agrees = false;
        break;
      }
    }
    if (agrees) return true;
  }
  return false;
}

defPartial("replace", 3, 3, ([strV, subV, repV], _ctx, name) => {
  if (subV instanceof Unknown) return unk(name);
  const sub = asString(subV, "substring");
  if (sub instanceof Failure) return sub;
  const strPs = asPieces(strV, "string");
  if (strPs instanceof Failure) return strPs;
  const repPs = asPieces(repV, "replacement");
  if (repPs instanceof Failure) return repPs;
  if (sub.length > 1 && sub.startsWith("/") && sub.endsWith("/")) {
    // A regular expression: only on wholly known text and replacement.
    if (strPs.some((p) => typeof p !== "string") || repPs.some((p) => typeof p !== "string")) return unk(name);
    const re = compileRe2(sub.slice(1, -1), name);
    if (!(re instanceof RegExp)) return re;
    return regexReplaceAll(re, strPs.join(""), repPs.join(""));
  }
  if (sub === "") {
    if (strPs.some((p) => typeof p !== "string")) return unk(name);
    // Go's strings.Replace with an empty old string inserts at every character boundary.
    const chars = Array.from(strPs.join(""));
    const out: StringPiece[] = [...repPs];
    for (const ch of chars) out.push(ch, ...repPs);
    return joinPieces(out);
  }
  // Plain text: replace in each known piece, unless a match could span into an unknown one.
  for (let i = 0; i < strPs.length; i++) {
    const p = strPs[i];
    if (typeof p === "string" && matchMayCrossEdge(p, sub, i > 0, i < strPs.length - 1)) return unk(name);
  }
  const out: StringPiece[] = [];
  for (const p of strPs) {
    if (typeof p !== "string") {
      out.push(p instanceof Unknown ? opaque(p) : p);
      continue;
    }
    const segs = p.split(sub);
    segs.forEach((seg, k) => {
      if (k > 0) out.push(...repPs);
      out.push(seg);
    });
  }
  return joinPieces(out);
});

defPartial("trimprefix", 2, 2, ([strV, preV], _ctx, name) => {
  if (preV instanceof Unknown) return unk(name);
  const prefix = asString(preV, "prefix");
  if (prefix instanceof Failure) return prefix;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  const kp = typeof ps[0] === "string" ? ps[0] : "";
  const whole = ps.every((p) => typeof p === "string");
  if (kp.startsWith(prefix)) return joinPieces([kp.slice(prefix.length), ...ps.slice(typeof ps[0] === "string" ? 1 : 0)]);
  if (!whole && prefix.startsWith(kp)) return unk(name);
  return joinPieces(ps);
});

defPartial("trimsuffix", 2, 2, ([strV, sufV], _ctx, name) => {
  if (sufV instanceof Unknown) return unk(name);
  const suffix = asString(sufV, "suffix");
  if (suffix instanceof Failure) return suffix;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  const last = ps[ps.length - 1];
  const ks = typeof last === "string" ? last : "";
  const whole = ps.every((p) => typeof p === "string");
  if (ks.endsWith(suffix)) return joinPieces([...ps.slice(0, typeof last === "string" ? -1 : ps.length), ks.slice(0, ks.length - suffix.length)]);
  if (!whole && suffix.endsWith(ks)) return unk(name);
  return joinPieces(ps);
});

defPartial("startswith", 2, 2, ([strV, preV], _ctx, name) => {
  if (preV instanceof Unknown) return unk(name);
  const prefix = asString(preV, "prefix");
  if (prefix instanceof Failure) return prefix;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  const kp = typeof ps[0] === "string" ? ps[0] : "";
  if (kp.startsWith(prefix)) return true;
  if (ps.every((p) => typeof p === "string")) return false;
  return prefix.startsWith(kp) ? unk(name) : false;
});

defPartial("endswith", 2, 2, ([strV, sufV], _ctx, name) => {
  if (sufV instanceof Unknown) return unk(name);
  const suffix = asString(sufV, "suffix");
  if (suffix instanceof Failure) return suffix;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  const last = ps[ps.length - 1];
  const ks = typeof last === "string" ? last : "";
  if (ks.endsWith(suffix)) return true;
  if (ps.every((p) => typeof p === "string")) return false;
  return suffix.endsWith(ks) ? unk(name) : false;
});

defPartial("strcontains", 2, 2, ([strV, subV], _ctx, name) => {
  if (subV instanceof Unknown) return unk(name);
  const sub = asString(subV, "substring");
  if (sub instanceof Failure) return sub;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  if (ps.some((p) => typeof p === "string" && p.includes(sub))) return true;
  if (sub === "") return true;
  return ps.every((p) => typeof p === "string") ? false : unk(name);
});

defPartial("substr", 3, 3, ([strV, offV, lenV], _ctx, name) => {
  if (offV instanceof Unknown || lenV instanceof Unknown) return unk(name);
  let offset = asInt(offV, "offset");
  if (offset instanceof Failure) return offset;
  const length = asInt(lenV, "length");
  if (length instanceof Failure) return length;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  const whole = ps.every((p) => typeof p === "string");
  const chars = graphemes(typeof ps[0] === "string" ? ps[0] : "");
  if (!whole) {
    // Known when the wanted characters lie inside the known prefix (the last known character
    // might combine with what follows, so it does not count).
    if (offset < 0 || length < 0 || offset + length > chars.length - 1) return unk(name);
    return chars.slice(offset, offset + length).join("");
  }
  if (offset < 0) offset = Math.max(offset + chars.length, 0);
  else if (length === 0) return "";
  if (offset >= chars.length) return "";
  return (length < 0 ? chars.slice(offset) : chars.slice(offset, offset + length)).join("");
});

/** Trims the start of the first piece and the end of the last one. */
function trimPieces(ps: StringPiece[], left: RegExp | null, right: RegExp | null): Value {
  const out = [...ps];
  if (left && typeof out[0] === "string") out[0] = out[0].replace(left, "");
  const n = out.length - 1;
  if (right && typeof out[n] === "string") out[n] = (out[n] as string).replace(right, "");
  return joinPieces(out);
}

defPartial("trimspace", 1, 1, ([v]) => {
  const ps = asPieces(v);
  return ps instanceof Failure ? ps : trimPieces(ps, LEADING_SPACE, TRAILING_SPACE);
});

defPartial("trim", 2, 2, ([strV, cutV], _ctx, name) => {
  if (cutV instanceof Unknown) return unk(name);
  const cut = asString(cutV, "cutset");
  if (cut instanceof Failure) return cut;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  if (cut === "") return joinPieces(ps);
  const cls = `[${Array.from(cut, (c) => escapeRegExp(c)).join("")}]+`;
  return trimPieces(ps, new RegExp(`^${cls}`, "u"), new RegExp(`${cls}$`, "u"));
});

defPartial("chomp", 1, 1, ([v]) => {
  const ps = asPieces(v);
  return ps instanceof Failure ? ps : trimPieces(ps, null, /(?:\r\n|\r|\n)+$/);
});

defPartial("indent", 2, 2, ([nV, strV], _ctx, name) => {
  if (nV instanceof Unknown) return unk(name);
  const n = asInt(nV, "spaces");
  if (n instanceof Failure) return n;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  const pad = " ".repeat(Math.max(n, 0));
  return mapPieces(ps, (s) => s.split("\n").join("\n" + pad));
});

// ================================================================== regular expressions

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7f",
  blank: "\\t ",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const JS_SYNTAX_CHARS = "^$\\.*+?()[]{}|/";

/**
 * Translates an RE2 pattern (Go's regexp, what Terraform uses) to a JavaScript RegExp with
 * the `u` flag. Both are leftmost-first backtracking-free-in-effect matchers with the same
 * common syntax; the differences handled: `(?P<name>…)`, leading flag groups `(?ims)`, `\A`
 * and `\z`, `\Q…\E`, POSIX classes `[[:alpha:]]`, `\pL`, `\x{…}`, octal escapes, escaped
 * punctuation. Go's `\s` is ASCII-only while JavaScript's also matches other Unicode spaces.
 * RE2 has no lookaround or backreferences (a Failure, as in Terraform); inline flag groups in
 * the middle (`(?i:…)`) and `(?U)` have no JavaScript form (unknown).
 */
function compileRe2(pattern: string, name: string): RegExp | Failure | Unknown {
  let flags = "u";
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1].includes("U")) return unk(name, "function");
    for (const f of new Set(lead[1])) flags += f;
    src = src.slice(lead[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") {
      const d = src[i + 1];
      if (d === undefined) return new Failure("invalid regular expression: trailing backslash");
      if (d === "Q") {
        const end = src.indexOf("\\E", i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        out += inClass ? lit.replace(/[\\\]\[^-]/g, "\\$&") : escapeRegExp(lit);
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (d === "A" && !inClass) {
        out += "(?<![\\s\\S])";
        i++;
        continue;
      }
      if (d === "z" && !inClass) {
        out += "(?![\\s\\S])";
        i++;
        continue;
      }
      if ((d === "p" || d === "P") && src[i + 2] !== "{") {
        out += `\\${d}{${src[i + 2]}}`;
        i += 2;
        continue;
      }
      if (d === "x" && src[i + 2] === "{") {
        const end = src.indexOf("}", i);
        out += `\\u{${src.slice(i + 3, end)}}`;
        i = end;
        continue;
      }
      if (/[0-7]/.test(d)) {
        const m = /^[0-7]{1,3}/.exec(src.slice(i + 1)) as RegExpExecArray;
        if (d !== "0" && m[0].length === 1) return new Failure(`invalid regular expression: invalid escape sequence \\${d}`);
        out += `\\u{${parseInt(m[0], 8).toString(16)}}`;
        i += m[0].length;
        continue;
      }
      if (/[89]/.test(d)) return new Failure(`invalid regular expression: invalid escape sequence \\${d}`);
      if (d === "C") return unk(name, "function");
      if (/[!-\/:-@\[-`{-~]/.test(d) && !JS_SYNTAX_CHARS.includes(d) && !(inClass && d === "-")) {
        out += d; // Go lets any punctuation be escaped; JavaScript's u mode does not.
        i++;
        continue;
      }
      out += c + d;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "[" && src[i + 1] === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
        if (m && POSIX_CLASSES[m[2]] !== undefined) {
          if (m[1]) return unk(name, "function");
          out += POSIX_CLASSES[m[2]];
          i += m[0].length - 1;
          continue;
        }
      }
      if (c === "]") inClass = false;
      out += c === "[" ? "\\[" : c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (src[i + 1] === "^") out += src[++i];
      if (src[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(" && src[i + 1] === "?") {
      const rest = src.slice(i + 2);
      if (rest.startsWith("P<")) {
        out += "(?<";
        i += 3;
        continue;
      }
      if (rest.startsWith(":") || (rest.startsWith("<") && !/^<[=!]/.test(rest))) {
        out += c;
        continue;
      }
      if (/^(?:[=!]|<[=!])/.test(rest)) return new Failure("invalid regular expression: lookaround is not supported");
      return unk(name, "function"); // an inline flag group
    }
    out += c;
  }
  try {
    return new RegExp(out, flags + "g");
  } catch {
    // Either an invalid pattern or a translation gap: not a finding either way.
    return unk(name, "function");
  }
}

/** All matches as Go's regexp finds them (no empty match right after a previous match). */
function allMatches(re: RegExp, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let pos = 0;
  let prevEnd = -1;
  while (pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === start && start === prevEnd) accept = false;
    if (accept) {
      out.push(m);
      prevEnd = end;
    }
    if (end > pos) pos = end;
    else {
      const cp = s.codePointAt(pos);
      pos += cp !== undefined && cp > 0xffff ? 2 : 1;
    }
  }
  return out;
}

/** Go's Regexp.Expand template: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expandTemplate(template: string, m: RegExpExecArray): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== "$") {
      out += c;
      continue;
    }
    if (template[i + 1] === "$") {
      out += "$";
      i++;
      continue;
    }
    const r = /^\{([A-Za-z0-9_]+)\}|^([A-Za-z0-9_]+)/.exec(template.slice(i + 1));
    if (!r) {
      out += "$";
      continue;
    }
    const ref = r[1] ?? r[2];
    i += r[0].length;
    const group = /^\d+$/.test(ref) ? m[Number(ref)] : m.groups?.[ref];
    out += group ?? "";
  }
  return out;
}

function regexReplaceAll(re: RegExp, s: string, template: string): string {
  let out = "";
  let last = 0;
  for (const m of allMatches(re, s)) {
    out += s.slice(last, m.index) + expandTemplate(template, m);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

/** The result of one match: the match, a list of captures, or an object of named captures. */
function regexResult(re: RegExp, m: RegExpExecArray): Value | Failure {
  const total = m.length - 1;
  const named = m.groups ? Object.keys(m.groups) : [];
  if (total === 0) return m[0];
  if (named.length === 0) return m.slice(1).map((x) => (x === undefined ? null : x));
  if (named.length !== total) {
    return new Failure(`invalid regular expression ${re.source}: must use either all named or all unnamed capture groups`);
  }
  return sortedObject(named.map((k) => [k, m.groups?.[k] ?? null] as [string, Value]));
}

def("regex", 2, 2, ([patV, strV], _ctx, name) => {
  const pat = asString(patV, "pattern");
  if (pat instanceof Failure) return pat;
  const s = asString(strV, "string");
  if (s instanceof Failure) return s;
  const re = compileRe2(pat, name);
  if (!(re instanceof RegExp)) return re;
  re.lastIndex = 0;
  const m = re.exec(s);
  if (!m) return new Failure("pattern did not match any part of the given string");
  return regexResult(re, m);
});

def("regexall", 2, 2, ([patV, strV], _ctx, name) => {
  const pat = asString(patV, "pattern");
  if (pat instanceof Failure) return pat;
  const s = asString(strV, "string");
  if (s instanceof Failure) return s;
  const re = compileRe2(pat, name);
  if (!(re instanceof RegExp)) return re;
  const out: Value[] = [];
  for (const m of allMatches(re, s)) {
    const r = regexResult(re, m);
    if (r instanceof Failure) return r;
    out.push(r);
  }
  return out;
});

// ================================================================== collections

defPartial("length", 1, 1, ([v], _ctx, name) => {
  if (Array.isArray(v)) return v.length;
  if (v instanceof ObjectValue) return v.size;
  if (typeof v === "string") return graphemes(v).length;
  if (v instanceof Unknown) return unk(name);
  if (v === null) return new Failure("argument must not be null");
  return new Failure(`argument must be a string, a collection or a structural value, not ${typeName(v)}`);
});

defPartial("merge", 0, Infinity, (args, _ctx, name) => {
  const out = new Map<string, Value>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === null) continue;
    if (a instanceof Unknown) return unk(name);
    if (!(a instanceof ObjectValue)) return new Failure(`arguments must be maps or objects, got ${typeName(a)} (argument ${i + 1})`);
    for (const [k, v] of a.entries) out.set(k, v);
  }
  return sortedObject(out);
});

defPartial("concat", 1, Infinity, (args, _ctx, name) => {
  const out: Value[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof Unknown) return unk(name);
    const l = asList(a, `argument ${i + 1}`);
    if (l instanceof Failure) return l;
    out.push(...l);
  }
  return out;
});

/**
 * flatten: nested lists are spliced in. An unknown element that might itself be a list (a
 * wholly unknown value) makes the result's length unknown, so the result is unknown; a partly
 * known string stays an element.
 */
function flattenInto(list: Value[], out: Value[]): Failure | "unknown" | undefined {
  for (const v of list) {
    if (Array.isArray(v)) {
      const r = flattenInto(v, out);
      if (r) return r;
    } else if (v instanceof Failure) return v;
    else if (v instanceof Unknown && !v.template && v.json === undefined) return "unknown";
    else out.push(v);
  }
  return undefined;
}

def("flatten", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  const out: Value[] = [];
  const r = flattenInto(list, out);
  if (r === "unknown") return unk(name);
  return r ?? out;
});

def("compact", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  const out: Value[] = [];
  for (let i = 0; i < list.length; i++) {
    const el = list[i];
    if (el === null) continue;
    if (el instanceof Failure) return el;
    if (el instanceof Unknown) {
      // Kept when its known text shows it is not empty; otherwise it might be "" or null.
      if (el.template?.some((p) => typeof p === "string" && p !== "")) out.push(el);
      else return unk(name);
      continue;
    }
    const s = asString(el, `element ${i}`);
    if (s instanceof Failure) return s;
    if (s !== "") out.push(s);
  }
  return out;
});

def("distinct", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  const f = list.find((x): x is Failure => x instanceof Failure);
  if (f) return f;
  return dedupe(list) ?? unk(name);
});

defPartial("lookup", 2, 3, ([m, keyV, dflt], _ctx, name) => {
  if (m instanceof Unknown || keyV instanceof Unknown) return unk(name);
  const obj = asObject(m, "the first argument");
  if (obj instanceof Failure) return obj;
  const key = asString(keyV, "key");
  if (key instanceof Failure) return key;
  const v = obj.get(key);
  if (v !== undefined) return v;
  if (dflt !== undefined) return dflt;
  return new Failure(`the given object has no attribute ${JSON.stringify(key)}`);
});

def("element", 2, 2, ([listV, idxV]) => {
  const list = asList(listV, "the first argument");
  if (list instanceof Failure) return list;
  const idx = asInt(idxV, "index");
  if (idx instanceof Failure) return idx;
  if (list.length === 0) return new Failure("cannot use element function with an empty list");
  if (idx < 0) return new Failure("cannot use element function with a negative index");
  return list[idx % list.length];
});

/** Element equality for contains/index: a list of strings compares a number or bool as a string. */
function elementEqual(list: Value[], el: Value, v: Value): boolean | undefined {
  if ((typeof v === "number" || typeof v === "boolean") && list.length > 0 && list.every((x) => kindOf(x) === "string" || kindOf(x) === "unknown")) {
    return equal3(el, asString(v) as string);
  }
  return equal3(el, v);
}

defPartial("contains", 2, 2, ([listV, v], _ctx, name) => {
  if (listV instanceof Unknown) return unk(name);
  const list = asList(listV, "the first argument");
  if (list instanceof Failure) return list;
  let maybe = false;
  for (const el of list) {
    const e = elementEqual(list, el, v);
    if (e === true) return true;
    if (e === undefined) maybe = true;
  }
  return maybe ? unk(name) : false;
});

defPartial("index", 2, 2, ([listV, v], _ctx, name) => {
  if (listV instanceof Unknown) return unk(name);
  const list = asList(listV, "the first argument");
  if (list instanceof Failure) return list;
  for (let i = 0; i < list.length; i++) {
    const e = elementEqual(list, list[i], v);
    if (e === true) return i;
    if (e === undefined) return unk(name);
  }
  return new Failure("item not found");
});

defPartial("coalesce", 1, Infinity, (args, _ctx, name) => {
  // Terraform unifies the arguments' types; with strings among them, "" is skipped too.
  const stringMode = args.some((a) => kindOf(a) === "string");
  for (const a of args) {
    if (a === null) continue;
    if (a instanceof Unknown) {
      if (stringMode && a.template?.some((p) => typeof p === "string" && p !== "")) return a;
      return unk(name);
    }
    if (!stringMode) return a;
    const s = asString(a);
    if (s instanceof Failure) return new Failure("all arguments must have the same type");
    if (s !== "") return s;
  }
  return new Failure("no non-null, non-empty-string arguments");
});

defPartial("coalescelist", 1, Infinity, (args, _ctx, name) => {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof Unknown) return unk(name);
    const l = asList(a, `argument ${i + 1}`);
    if (l instanceof Failure) return l;
    if (l.length > 0) return l;
  }
  return new Failure("no non-null arguments");
});

def("one", 1, 1, ([v]) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  if (list.length === 0) return null;
  if (list.length === 1) return list[0];
  return new Failure("must be a list, set, or tuple value with either zero or one elements");
});

def("keys", 1, 1, ([v]) => {
  const o = asObject(v);
  return o instanceof Failure ? o : o.keys().sort(compareStrings);
});

def("values", 1, 1, ([v]) => {
  const o = asObject(v);
  return o instanceof Failure ? o : sortedEntries(o).map(([, x]) => x);
});

def("zipmap", 2, 2, ([kV, vV], _ctx, name) => {
  const ks = asList(kV, "keys");
  if (ks instanceof Failure) return ks;
  const vs = asList(vV, "values");
  if (vs instanceof Failure) return vs;
  if (ks.length !== vs.length) {
    return new Failure(`number of keys (${ks.length}) does not match number of values (${vs.length})`);
  }
  const out = new Map<string, Value>();
  for (let i = 0; i < ks.length; i++) {
    if (ks[i] instanceof Failure) return ks[i];
    if (ks[i] instanceof Unknown) return unk(name);
    const k = asString(ks[i], `key ${i}`);
    if (k instanceof Failure) return k;
    out.set(k, vs[i]);
  }
  return sortedObject(out);
});

def("slice", 3, 3, ([lV, sV, eV]) => {
  const list = asList(lV, "the first argument");
  if (list instanceof Failure) return list;
  const start = asInt(sV, "start index");
  if (start instanceof Failure) return start;
  const end = asInt(eV, "end index");
  if (end instanceof Failure) return end;
  if (start < 0) return new Failure("the start index must not be less than zero");
  if (end > list.length) return new Failure("the end index must not be greater than the length of the list");
  if (start > end) return new Failure("the start index must not be greater than the end index");
  return list.slice(start, end);
});

def("reverse", 1, 1, ([v]) => {
  const list = asList(v);
  return list instanceof Failure ? list : [...list].reverse();
});

def("sort", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  const f = findFailure(list);
  if (f) return f;
  if (!isWhollyKnown(list)) return unk(name);
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    if (list[i] === null) return new Failure(`given list element ${i} is null; a null string cannot be sorted`);
    const s = asString(list[i], `element ${i}`);
    if (s instanceof Failure) return s;
    out.push(s);
  }
  return out.sort(compareStrings);
});

def("chunklist", 2, 2, ([lV, sV]) => {
  const list = asList(lV, "the first argument");
  if (list instanceof Failure) return list;
  const size = asInt(sV, "size");
  if (size instanceof Failure) return size;
  if (size < 0) return new Failure("the size argument must be positive");
  if (size === 0) return [list];
  const out: Value[] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
});

/** Three-valued boolean of a list element (null counts as false). */
function elementBool(v: Value): boolean | Failure | undefined {
  if (v === null) return false;
  if (v instanceof Unknown) return undefined;
  return asBool(v, "element");
}

def("alltrue", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  let maybe = false;
  for (const el of list) {
    const b = elementBool(el);
    if (b instanceof Failure) return b;
    if (b === false) return false;
    if (b === undefined) maybe = true;
  }
  return maybe ? unk(name) : true;
});

def("anytrue", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  let maybe = false;
  for (const el of list) {
    const b = elementBool(el);
    if (b instanceof Failure) return b;
    if (b === true) return true;
    if (b === undefined) maybe = true;
  }
  return maybe ? unk(name) : false;
});

defDeep("transpose", 1, 1, ([v]) => {
  const o = asObject(v);
  if (o instanceof Failure) return o;
  const out = new Map<string, string[]>();
  for (const [k, l] of sortedEntries(o)) {
    const list = asList(l, `the value for ${JSON.stringify(k)}`);
    if (list instanceof Failure) return list;
    for (const x of list) {
      const s = asString(x, `an element of ${JSON.stringify(k)}`);
      if (s instanceof Failure) return s;
      const arr = out.get(s) ?? [];
      arr.push(k);
      out.set(s, arr);
    }
  }
  return sortedObject(out);
});

def("matchkeys", 3, 3, ([vV, kV, sV], _ctx, name) => {
  const vals = asList(vV, "values");
  if (vals instanceof Failure) return vals;
  const ks = asList(kV, "keys");
  if (ks instanceof Failure) return ks;
  const search = asList(sV, "searchset");
  if (search instanceof Failure) return search;
  if (vals.length !== ks.length) return new Failure("length of keys and values should be equal");
  const out: Value[] = [];
  for (let i = 0; i < ks.length; i++) {
    let hit: boolean | undefined = false;
    for (const s of search) {
      const e = equal3(ks[i], s);
      if (e === true) {
        hit = true;
        break;
      }
      if (e === undefined) hit = undefined;
    }
    if (hit === undefined) return unk(name);
    if (hit) out.push(vals[i]);
  }
  return out;
});

// ------------------------------------------------------------------ sets

/** The elements of each set argument, or a non-known result. */
function setArgs(args: Value[]): Value[][] | Failure {
  const out: Value[][] = [];
  for (let i = 0; i < args.length; i++) {
    const l = asList(args[i], `argument ${i + 1}`);
    if (l instanceof Failure) return l;
    const f = l.find((x): x is Failure => x instanceof Failure);
    if (f) return f;
    out.push(l);
  }
  const u = unify(out.flat(), "set elements");
  if (u instanceof Failure) return u;
  // Re-split the unified elements.
  let k = 0;
  return out.map((l) => l.map(() => u[k++]));
}

/** Whether v is in set: three-valued. */
function member(set: Value[], v: Value): boolean | undefined {
  let result: boolean | undefined = false;
  for (const x of set) {
    const e = equal3(x, v);
    if (e === true) return true;
    if (e === undefined) result = undefined;
  }
  return result;
}

def("toset", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  const f = list.find((x): x is Failure => x instanceof Failure);
  if (f) return f;
  return makeSet(list, "set elements") ?? unk(name);
});

def("setunion", 1, Infinity, (args, _ctx, name) => {
  const sets = setArgs(args);
  if (!Array.isArray(sets)) return sets;
  return makeSet(sets.flat(), "set elements") ?? unk(name);
});

def("setintersection", 1, Infinity, (args, _ctx, name) => {
  const sets = setArgs(args);
  if (!Array.isArray(sets)) return sets;
  const out: Value[] = [];
  for (const v of sets[0]) {
    let inAll: boolean | undefined = true;
    for (const s of sets.slice(1)) {
      const m = member(s, v);
      if (m === false) {
        inAll = false;
        break;
      }
      if (m === undefined) inAll = undefined;
    }
    if (inAll === undefined) return unk(name);
    if (inAll) out.push(v);
  }
  return makeSet(out, "set elements") ?? unk(name);
});

def("setsubtract", 2, 2, (args, _ctx, name) => {
  const sets = setArgs(args);
  if (!Array.isArray(sets)) return sets;
  const out: Value[] = [];
  for (const v of sets[0]) {
    const m = member(sets[1], v);
    if (m === undefined) return unk(name);
    if (!m) out.push(v);
  }
  return makeSet(out, "set elements") ?? unk(name);
});

def("setproduct", 1, Infinity, (args) => {
  const sets: Value[][] = [];
  for (let i = 0; i < args.length; i++) {
    const l = asList(args[i], `argument ${i + 1}`);
    if (l instanceof Failure) return l;
    sets.push(l);
  }
  let out: Value[][] = [[]];
  for (const s of sets) {
    const next: Value[][] = [];
    for (const prefix of out) for (const x of s) next.push([...prefix, x]);
    out = next;
  }
  return out;
});

// ================================================================== type conversions

defPartial("tostring", 1, 1, ([v]) => {
  if (v === null || v instanceof Unknown) return v;
  if (Array.isArray(v) || v instanceof ObjectValue) return new Failure(`cannot convert ${typeName(v)} to string`);
  return asString(v);
});

defPartial("tonumber", 1, 1, ([v], _ctx, name) => {
  if (v === null) return null;
  if (v instanceof Unknown) return unk(name);
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const n = parseNumber(v);
    return n === undefined ? new Failure(`cannot convert ${JSON.stringify(v)} to number: a number is required`) : n;
  }
  return new Failure(`cannot convert ${typeName(v)} to number`);
});

defPartial("tobool", 1, 1, ([v], _ctx, name) => {
  if (v === null) return null;
  if (v instanceof Unknown) return unk(name);
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  return new Failure(`cannot convert ${typeof v === "string" ? JSON.stringify(v) : typeName(v)} to bool`);
});

defPartial("tolist", 1, 1, ([v], _ctx, name) => {
  if (v === null) return null;
  if (v instanceof Unknown) return unk(name);
  if (!Array.isArray(v)) return new Failure(`cannot convert ${typeName(v)} to list`);
  return unify(v, "list elements");
});

defPartial("tomap", 1, 1, ([v], _ctx, name) => {
  if (v === null) return null;
  if (v instanceof Unknown) return unk(name);
  if (!(v instanceof ObjectValue)) return new Failure(`cannot convert ${typeName(v)} to map`);
  const entries = sortedEntries(v);
  const u = unify(
    entries.map(([, x]) => x),
    "map values",
  );
  if (u instanceof Failure) return u;
  return new ObjectValue(entries.map(([k], i) => [k, u[i]] as [string, Value]));
});

// Sensitivity and ephemerality are not tracked: these pass values through.
defPartial("sensitive", 1, 1, ([v]) => v);
defPartial("nonsensitive", 1, 1, ([v]) => v);
defPartial("ephemeralasnull", 1, 1, ([v]) => v);
defPartial("issensitive", 1, 1, (_args, _ctx, name) => unk(name, "function"));

// ================================================================== numbers

function defNumeric(name: string, f: (n: number) => number): void {
  def(name, 1, 1, ([v]) => {
    const n = asNumber(v);
    return n instanceof Failure ? n : f(n);
  });
}

defNumeric("abs", Math.abs);
defNumeric("ceil", Math.ceil);
defNumeric("floor", Math.floor);
defNumeric("signum", (n) => (n > 0 ? 1 : n < 0 ? -1 : 0));

for (const name of ["min", "max"] as const) {
  def(name, 1, Infinity, (args) => {
    const ns: number[] = [];
    for (let i = 0; i < args.length; i++) {
      const n = asNumber(args[i], `argument ${i + 1}`);
      if (n instanceof Failure) return n;
      ns.push(n);
    }
    return name === "min" ? Math.min(...ns) : Math.max(...ns);
  });
}

def("pow", 2, 2, ([a, b]) => {
  const x = asNumber(a);
  if (x instanceof Failure) return x;
  const y = asNumber(b);
  return y instanceof Failure ? y : Math.pow(x, y);
});

def("log", 2, 2, ([a, b]) => {
  const x = asNumber(a);
  if (x instanceof Failure) return x;
  const y = asNumber(b);
  return y instanceof Failure ? y : Math.log(x) / Math.log(y);
});

def("parseint", 2, 2, ([sV, bV]) => {
  const s = asString(sV, "number");
  if (s instanceof Failure) return s;
  const base = asInt(bV, "base");
  if (base instanceof Failure) return base;
  if (base < 2 || base > 62) return new Failure("base must be a whole number between 2 and 62 inclusive");
  const m = /^([+-]?)(.+)$/.exec(s);
  if (!m) return new Failure(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`);
  let n = 0n;
  for (const ch of m[2]) {
    const c = ch.charCodeAt(0);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 122) d = c - 97 + 10;
    else if (c >= 65 && c <= 90) d = base <= 36 ? c - 65 + 10 : c - 65 + 36;
    else d = 99;
    if (d >= base) return new Failure(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`);
    n = n * BigInt(base) + BigInt(d);
  }
  return Number(m[1] === "-" ? -n : n);
});

def("sum", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  if (list.length === 0) return new Failure("cannot sum an empty list");
  let total = 0;
  for (let i = 0; i < list.length; i++) {
    const el = list[i];
    if (el instanceof Failure) return el;
    if (el instanceof Unknown) return unk(name);
    const n = asNumber(el, `element ${i}`);
    if (n instanceof Failure) return n;
    total += n;
  }
  return total;
});

def("range", 1, 3, (args) => {
  const ns: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const n = asNumber(args[i], `argument ${i + 1}`);
    if (n instanceof Failure) return n;
    ns.push(n);
  }
  let start = 0;
  let limit: number;
  let step: number;
  if (ns.length === 1) limit = ns[0];
  else {
    start = ns[0];
    limit = ns[1];
  }
  if (ns.length === 3) {
    step = ns[2];
    if (step === 0) return new Failure("step must not be zero");
  } else step = limit < start ? -1 : 1;
  const out: number[] = [];
  for (let x = start; step > 0 ? x < limit : x > limit; x += step) {
    if (out.length >= 1024) return new Failure("more than 1024 values were generated; either decrease the difference between start and limit or use a smaller step");
    out.push(x);
  }
  return out;
});

// ================================================================== files and templates

/**
 * A file's text. A file that is not there gives undefined: it may be generated before plan,
 * so the callers make the result unknown rather than a finding.
 */
function readText(ctx: FunctionContext, path: string): string | undefined {
  return ctx.readFile(path);
}

/** Bytes of a file for hashing; undefined when the text suggests it was not valid UTF-8. */
function fileBytes(ctx: FunctionContext, path: string): Buffer | undefined {
  const text = readText(ctx, path);
  if (text === undefined || text.includes("\ufffd")) return undefined;
  return Buffer.from(text, "utf8");
}

def("file", 1, 1, ([p], ctx, name) => {
  const path = asString(p, "path");
  if (path instanceof Failure) return path;
  const text = readText(ctx, path);
  return text ?? new Unknown("function", undefined, undefined, `${name}(${JSON.stringify(path)})`);
});

def("fileexists", 1, 1, ([p], ctx) => {
  const path = asString(p, "path");
  if (path instanceof Failure) return path;
  return readText(ctx, path) !== undefined;
});

for (const [name, algo, enc] of [
  ["filebase64", "", "base64"],
  ["filemd5", "md5", "hex"],
  ["filesha1", "sha1", "hex"],
  ["filesha256", "sha256", "hex"],
  ["filesha512", "sha512", "hex"],
  ["filebase64sha256", "sha256", "base64"],
  ["filebase64sha512", "sha512", "base64"],
] as const) {
  def(name, 1, 1, ([p], ctx) => {
    const path = asString(p, "path");
    if (path instanceof Failure) return path;
    const bytes = fileBytes(ctx, path);
    if (!bytes) return new Unknown("function", undefined, undefined, `${name}(${JSON.stringify(path)})`);
    return algo === "" ? bytes.toString("base64") : createHash(algo).update(bytes).digest(enc);
  });
}

let templateDepth = 0;

/** Renders template text with `vars` as its only names, as templatefile and templatestring do. */
function renderTemplate(text: string, fileName: string, vars: ObjectValue, ctx: FunctionContext, name: string): Value {
  const { template, diagnostics } = parseTemplateSource(text, fileName, { offset: 0, byte: 0, line: 1, column: 1 });
  const error = diagnostics.find((d) => d.severity === "error");
  if (error) return new Failure(`${fileName}:${error.range.start.line},${error.range.start.column}: ${error.message}`);
  for (const k of vars.keys()) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k)) return new Failure(`invalid template variable name ${JSON.stringify(k)}: must start with a letter, followed by zero or more letters, digits, and underscores`);
  }
  if (templateDepth > 0) return new Failure(`cannot recursively call ${name} from inside another template function`);
  const scope: Scope = {
    root: (n) => vars.get(n),
    functionContext: ctx,
  };
  templateDepth++;
  try {
    return evaluateTemplate(template, scope);
  } finally {
    templateDepth--;
  }
}

defPartial("templatefile", 2, 2, ([p, varsV], ctx, name) => {
  if (p instanceof Unknown) return unk(name);
  const path = asString(p, "path");
  if (path instanceof Failure) return path;
  if (varsV instanceof Unknown) return unk(name);
  const vars = varsV === null ? new ObjectValue() : asObject(varsV, "vars");
  if (vars instanceof Failure) return vars;
  const text = readText(ctx, path);
  if (text === undefined) return new Unknown("function", undefined, undefined, `${name}(${JSON.stringify(path)})`);
  return renderTemplate(text, path, vars, ctx, name);
});

defPartial("templatestring", 2, 2, ([t, varsV], ctx, name) => {
  if (t instanceof Unknown || varsV instanceof Unknown) return unk(name);
  const text = asString(t, "template");
  if (text instanceof Failure) return text;
  const vars = asObject(varsV, "vars");
  if (vars instanceof Failure) return vars;
  return renderTemplate(text, "<templatestring>", vars, ctx, name);
});

def("dirname", 1, 1, ([p]) => {
  const path = asString(p, "path");
  if (path instanceof Failure) return path;
  return path === "" ? "." : posixPath.dirname(path);
});

def("basename", 1, 1, ([p]) => {
  const path = asString(p, "path");
  if (path instanceof Failure) return path;
  // Go's filepath.Base: trailing slashes dropped, "" → ".", all slashes → "/".
  if (path === "") return ".";
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" ? "/" : posixPath.basename(trimmed);
});

def("pathexpand", 1, 1, ([p], _ctx, name) => {
  const path = asString(p, "path");
  if (path instanceof Failure) return path;
  return path === "~" || path.startsWith("~/") ? unk(name, "function") : path;
});

// ================================================================== not known statically

/**
 * Impure functions (a new value at each run), functions that depend on the machine or on
 * what a static scan cannot read, and ones not implemented here: always unknown.
 */
for (const name of [
  "timestamp",
  "plantimestamp",
  "uuid",
  "bcrypt",
  "abspath",
  "fileset",
  "timeadd",
  "timecmp",
  "formatdate",
  "yamlencode",
  "yamldecode",
  "csvdecode",
  "base64gzip",
  "textencodebase64",
  "textdecodebase64",
  "cidrhost",
  "cidrnetmask",
  "cidrsubnet",
  "cidrsubnets",
  "rsadecrypt",
  "filebase64sha1",
]) {
  functions[name] = (args) => {
    const f = args.find((a): a is Failure => a instanceof Failure);
    return f ?? unk(name, "function");
  };
}

for (const name of ["list", "map"]) {
  functions[name] = () => new Failure(`the ${name}() function was removed in Terraform 0.12; use ${name === "list" ? "tolist() or [ … ]" : "tomap() or { … }"}`);
}

// ================================================================== provider::aws

/**
 * provider::aws::arn_parse: the parts of an ARN (the AWS SDK's arn.Parse: `arn:` then five
 * `:`-separated sections, the last of which may hold colons). For a partly known ARN, the
 * sections wholly inside the known prefix are known and the others unknown.
 */
defPartial("provider::aws::arn_parse", 1, 1, ([v], _ctx, name) => {
  const ps = asPieces(v, "arn");
  if (ps instanceof Failure) return ps;
  const fields = ["partition", "service", "region", "account_id", "resource"];
  const whole = ps.every((p) => typeof p === "string");
  const text = typeof ps[0] === "string" ? ps[0] : "";
  if (whole) {
    if (!text.startsWith("arn:")) return new Failure("arn: invalid prefix");
    const parts = text.split(":");
    if (parts.length < 6) return new Failure("arn: not enough sections");
    const values = [...parts.slice(1, 5), parts.slice(5).join(":")];
    return new ObjectValue(fields.map((f, i) => [f, values[i]] as [string, Value]));
  }
  if (!"arn:".startsWith(text.slice(0, 4))) return new Failure("arn: invalid prefix");
  if (!text.startsWith("arn:")) return unk(name);
  const parts = text.slice(4).split(":");
  // Every part but the last is complete (a colon follows it); the resource never is.
  const complete = Math.min(parts.length - 1, 4);
  return new ObjectValue(
    fields.map((f, i) => [f, i < complete ? parts[i] : new Unknown("dynamic", undefined, undefined, `${name}(…).${f}`)] as [string, Value]),
  );
});

defPartial("provider::aws::arn_build", 5, 5, (args) => {
  const names = ["partition", "service", "region", "account_id", "resource"];
  const out: StringPiece[] = ["arn"];
  for (let i = 0; i < 5; i++) {
    const ps = asPieces(args[i], names[i]);
    if (ps instanceof Failure) return ps;
    out.push(":", ...ps);
  }
  return joinPieces(out);
});

def("provider::aws::trim_iam_role_path", 1, 1, ([v]) => {
  const arn = asString(v, "arn");
  if (arn instanceof Failure) return arn;
  const parts = arn.split(":");
  if (!arn.startsWith("arn:")) return new Failure("arn: invalid prefix");
  if (parts.length < 6) return new Failure("arn: not enough sections");
  const resource = parts.slice(5).join(":");
  if (parts[2] !== "iam" || !resource.startsWith("role/")) return new Failure(`"${arn}" is not an IAM role ARN`);
  const segs = resource.split("/");
  return [...parts.slice(0, 5), `role/${segs[segs.length - 1]}`].join(":");
});
