// Terraform values as the evaluator knows them: known, unknown, or a failure. Known values
// are plain JavaScript values (null, boolean, number, string, arrays, ObjectValue); an
// unknown keeps whatever is known about it, so rules can still reason on the known part:
// a template with unknown pieces keeps its text (`Unknown.template`), a `jsonencode` of a
// partly known object keeps that object (`Unknown.json`).

import type { Range } from "../hcl/ast.js";
import { LIMITS } from "./budget.js";

export type Value = null | boolean | number | string | Value[] | ObjectValue | Unknown | Failure;

/** Why a value is unknown: shown in the inventory dump, never used to decide a finding. */
export type UnknownReason =
  | "variable" // an input variable with no value
  | "data" // a data source result
  | "computed" // an attribute known only after apply
  | "module" // an output of a module whose source is not available
  | "resource" // a resource or attribute whose value depends on something unknown
  | "function" // a function the evaluator does not implement, or impure (timestamp, uuid)
  | "iteration" // count/for_each/each/count.index where the collection is unknown
  | "undeclared" // a reference to what the module does not declare (terraform/undefined-reference reports it)
  | "budget" // past an evaluation budget (src/terraform/budget.ts): too many instances, too long, too deep
  | "dynamic"; // anything else that cannot be known statically

/** An object or map value. Keys are kept in insertion order. */
export class ObjectValue {
  protected readonly map: Map<string, Value>;
  constructor(entries?: Iterable<readonly [string, Value]>) {
    this.map = new Map(entries);
  }
  /** All entries (a lazy object computes them all here). */
  get entries(): Map<string, Value> {
    return this.map;
  }
  get(key: string): Value | undefined {
    return this.map.get(key);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  /**
   * What `object.key` reads in an expression. The same as `get`, except for objects that
   * stand for something with a schema (a resource's nested block), where an attribute the
   * configuration does not set is an unknown rather than an error.
   */
  readAttribute(key: string): Value | undefined {
    return this.get(key);
  }
  set(key: string, value: Value): void {
    this.map.set(key, value);
  }
  keys(): string[] {
    return [...this.entries.keys()];
  }
  get size(): number {
    return this.entries.size;
  }
  static from(record: Record<string, Value>): ObjectValue {
    return new ObjectValue(Object.entries(record));
  }
}

/**
 * An object whose entries are computed on first use (locals, resources, module outputs), so
 * references can be resolved in any order; a reference cycle becomes a Failure.
 */
export class LazyObject extends ObjectValue {
  private readonly names: ReadonlySet<string>;
  /** Names being computed now (made on first use: most objects are read a few times, if at all). */
  private inProgress: Set<string> | undefined;
  constructor(
    /** The names it has. A Set is kept as given, not copied (one per module configuration serves all its instances): it must not change. */
    names: Iterable<string>,
    private readonly compute: (name: string) => Value,
  ) {
    super();
    this.names = names instanceof Set ? names : new Set(names);
  }
  override get(key: string): Value | undefined {
    const have = this.map.get(key);
    if (have !== undefined || this.map.has(key)) return have;
    if (!this.names.has(key)) return undefined;
    const inProgress = (this.inProgress ??= new Set());
    if (inProgress.has(key)) return new Failure(`\`${key}\` refers to itself (a reference cycle)`);
    inProgress.add(key);
    let v: Value;
    try {
      v = this.compute(key);
    } catch (err) {
      // A chain of references deeper than the call stack: a failure of this name, not a crash.
      if (!(err instanceof RangeError)) throw err;
      v = new Failure(`\`${key}\`: references nest too deeply to evaluate`);
    } finally {
      inProgress.delete(key);
    }
    this.map.set(key, v);
    return v;
  }
  override has(key: string): boolean {
    return this.names.has(key) || this.map.has(key);
  }
  override get entries(): Map<string, Value> {
    const out = new Map<string, Value>();
    for (const n of this.names) out.set(n, this.get(n) as Value);
    return out;
  }
}

/** Compares strings by Unicode code point, as Go (and so Terraform) orders them. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every BMP character, as in UTF-8.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** An object's entries in Terraform's iteration order: keys sorted by code point. */
export function sortedEntries(obj: ObjectValue): Array<[string, Value]> {
  return [...obj.entries].sort((a, b) => compareCodePoints(a[0], b[0]));
}

/** A piece of a partly known string: known text, or an unknown stretch. */
export type StringPiece = string | Unknown | Failure;

export class Unknown {
  constructor(
    readonly reason: UnknownReason,
    /** For a string built from a template with unknown pieces: the pieces, in order. */
    readonly template?: readonly StringPiece[],
    /** For a string that is `jsonencode(v)` of a partly known v: that v. */
    readonly json?: Value,
    /** What is unknown, for the dump: e.g. `var.environment`, `data.aws_caller_identity.current.account_id`. */
    readonly what?: string,
  ) {}
}

/** An evaluation error (wrong argument type, missing attribute…). It propagates like unknown. */
export class Failure {
  constructor(
    readonly message: string,
    readonly range?: Range,
  ) {}
}

export function unknown(reason: UnknownReason, what?: string): Unknown {
  return new Unknown(reason, undefined, undefined, what);
}

export function isUnknown(v: Value | undefined): v is Unknown {
  return v instanceof Unknown;
}

export function isFailure(v: Value | undefined): v is Failure {
  return v instanceof Failure;
}

/** Unknown or failure: the value itself is not known (its parts may be). */
export function isNotKnown(v: Value | undefined): v is Unknown | Failure {
  return v instanceof Unknown || v instanceof Failure;
}

export function isObject(v: Value | undefined): v is ObjectValue {
  return v instanceof ObjectValue;
}

/** Known at every depth: no unknown or failure anywhere inside. */
export function isWhollyKnown(v: Value): boolean {
  if (v instanceof Unknown || v instanceof Failure) return false;
  if (Array.isArray(v)) return v.every(isWhollyKnown);
  if (v instanceof ObjectValue) {
    for (const x of v.entries.values()) if (!isWhollyKnown(x)) return false;
  }
  return true;
}

/** The string if it is known, else undefined. */
export function knownString(v: Value | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/**
 * The pieces of a string value: `["text"]` when known, the template pieces when partly known,
 * `[v]` when nothing is known, `undefined` when it is not a string at all.
 */
export function stringPieces(v: Value | undefined): StringPiece[] | undefined {
  if (typeof v === "string") return [v];
  if (typeof v === "number" || typeof v === "boolean") return [String(v)];
  if (v instanceof Unknown) return v.template ? [...v.template] : [v];
  if (v instanceof Failure) return [v];
  return undefined;
}

/** Known text at the start of a (partly known) string. */
export function knownPrefix(v: Value | undefined): string {
  const pieces = stringPieces(v);
  if (!pieces) return "";
  let out = "";
  for (const p of pieces) {
    if (typeof p !== "string") break;
    out += p;
  }
  return out;
}

/** Known text at the end of a (partly known) string. */
export function knownSuffix(v: Value | undefined): string {
  const pieces = stringPieces(v);
  if (!pieces) return "";
  let out = "";
  for (let i = pieces.length - 1; i >= 0; i--) {
    const p = pieces[i];
    if (typeof p !== "string") break;
    out = p + out;
  }
  return out;
}

/** Joins pieces into a string value: known text when every piece is known, else a partial Unknown. */
export function joinPieces(pieces: readonly StringPiece[]): Value {
  const merged: StringPiece[] = [];
  for (const p of pieces) {
    if (typeof p === "string") {
      if (p === "") continue;
      const last = merged[merged.length - 1];
      if (typeof last === "string") merged[merged.length - 1] = last + p;
      else merged.push(p);
    } else if (p instanceof Unknown && p.template) {
      // Flatten a partly known string into this one, merging text at the seams.
      for (const q of p.template) {
        const last = merged[merged.length - 1];
        if (typeof q === "string" && typeof last === "string") merged[merged.length - 1] = last + q;
        else if (q !== "") merged.push(q);
      }
    } else merged.push(p);
  }
  if (merged.length === 0) return "";
  if (merged.length === 1 && typeof merged[0] === "string") return merged[0];
  const failure = merged.find((p): p is Failure => p instanceof Failure);
  if (failure) return failure;
  if (merged.length === 1) return merged[0];
  return new Unknown("dynamic", merged);
}

/** A plain-JSON view of a value, for dumps and snapshots: unknowns become `{"$unknown": why}`. */
export function toJSONView(v: Value): unknown {
  if (v instanceof Unknown) {
    const out: Record<string, unknown> = { $unknown: v.what ?? v.reason };
    if (v.template) out.template = v.template.map((p) => (typeof p === "string" ? p : toJSONView(p)));
    if (v.json !== undefined) out.json = toJSONView(v.json);
    return out;
  }
  if (v instanceof Failure) return { $error: v.message };
  if (Array.isArray(v)) return v.map(toJSONView);
  if (v instanceof ObjectValue) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v.entries) out[k] = toJSONView(x);
    return out;
  }
  return v;
}

/** Converts a plain JSON value (from jsondecode, a plan, tfvars JSON) to a Value. */
export function fromJSON(j: unknown): Value {
  if (j === null || typeof j === "boolean" || typeof j === "number" || typeof j === "string") return j;
  if (Array.isArray(j)) return j.map(fromJSON);
  if (typeof j === "object") return new ObjectValue(Object.entries(j as Record<string, unknown>).map(([k, x]) => [k, fromJSON(x)]));
  return null;
}

/** Terraform's type name of a value, for messages. */
export function typeName(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return "number";
  if (typeof v === "string") return "string";
  if (Array.isArray(v)) return "tuple";
  if (v instanceof ObjectValue) return "object";
  if (v instanceof Unknown) return "unknown";
  return "error";
}

function isPartialString(v: Value): boolean {
  return v instanceof Unknown && v.template !== undefined;
}

/** Terraform's equality on known values; undefined when an unknown decides. */
export function valuesEqual(a: Value, b: Value): boolean | undefined {
  if (isNotKnown(a) || isNotKnown(b)) {
    // Partly known strings whose known ends already differ are unequal, whatever the rest.
    const [p, q] = isPartialString(a) ? [a, b] : [b, a];
    if (isPartialString(p) && (typeof q === "string" || isPartialString(q))) {
      const [pp, ps] = [knownPrefix(p), knownSuffix(p)];
      if (typeof q === "string") {
        if (!q.startsWith(pp) || !q.endsWith(ps) || q.length < pp.length + ps.length) return false;
      } else {
        const [qp, qs] = [knownPrefix(q), knownSuffix(q)];
        if (!(pp.startsWith(qp) || qp.startsWith(pp)) || !(ps.endsWith(qs) || qs.endsWith(ps))) return false;
      }
    }
    return undefined;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    let result: boolean | undefined = true;
    for (let i = 0; i < a.length; i++) {
      const e = valuesEqual(a[i], b[i]);
      if (e === false) return false;
      if (e === undefined) result = undefined;
    }
    return result;
  }
  if (a instanceof ObjectValue || b instanceof ObjectValue) {
    if (!(a instanceof ObjectValue) || !(b instanceof ObjectValue) || a.size !== b.size) return false;
    let result: boolean | undefined = true;
    for (const [k, x] of a.entries) {
      if (!b.has(k)) return false;
      const e = valuesEqual(x, b.get(k) as Value);
      if (e === false) return false;
      if (e === undefined) result = undefined;
    }
    return result;
  }
  return a === b;
}

/**
 * A string equal for two wholly known values exactly when valuesEqual says they are equal
 * (objects by sorted keys), or undefined when the value is not wholly known: for linear-time
 * duplicate removal (sets, distinct).
 */
export function equalityKey(v: Value): string | undefined {
  if (v === null) return "n";
  switch (typeof v) {
    case "string":
      return "s" + v;
    case "number":
      return "d" + String(v);
    case "boolean":
      return v ? "t" : "f";
  }
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (const x of v) {
      const k = equalityKey(x);
      if (k === undefined) return undefined;
      parts.push(JSON.stringify(k));
    }
    return `[${parts.join(",")}]`;
  }
  if (v instanceof ObjectValue) {
    const parts: string[] = [];
    for (const [name, x] of [...v.entries].sort((a, b) => compareCodePoints(a[0], b[0]))) {
      const k = equalityKey(x);
      if (k === undefined) return undefined;
      parts.push(`${JSON.stringify(name)}:${JSON.stringify(k)}`);
    }
    return `{${parts.join(",")}}`;
  }
  return undefined;
}

const SIZES = new WeakMap<object, number>();
const SIZE_CAP = LIMITS.collectionSize + 1;

/**
 * The values inside a list or a plain object, counted through every level (a part shared
 * twice counts twice: that is what encoding or comparing it costs), at most the collection
 * budget + 1. Memoised per collection, so checking each new collection costs its own entries.
 * Lazy objects (resources, locals) count as one: their entries are computed on demand.
 */
export function collectionSize(v: Value): number {
  if (Array.isArray(v) || (v instanceof ObjectValue && !(v instanceof LazyObject))) {
    const have = SIZES.get(v);
    if (have !== undefined) return have;
    let n = 1;
    const items = Array.isArray(v) ? v : v.entries.values();
    for (const x of items) {
      n += collectionSize(x);
      if (n >= SIZE_CAP) {
        n = SIZE_CAP;
        break;
      }
    }
    SIZES.set(v, n);
    return n;
  }
  if (v instanceof Unknown && v.json !== undefined) return 1 + collectionSize(v.json);
  return 1;
}
