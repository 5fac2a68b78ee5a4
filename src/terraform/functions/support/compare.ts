// Comparing values with unknowns, and Terraform's type unification for collections and sets.

import { equalityKey, Failure, knownPrefix, knownSuffix, ObjectValue, Unknown, type Value, valuesEqual } from "../../values.js";

/** Elements compared pairwise at most (when some are unknown): n² comparisons. */
const MAX_PAIRWISE = 4096;
import { asString } from "./convert.js";
import { compareStrings } from "./text.js";

/** Whether two partly known strings can be told apart by their known ends. */
export function definitelyDifferentStrings(a: Value, b: Value): boolean {
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
export function equal3(a: Value, b: Value): boolean | undefined {
  const e = valuesEqual(a, b);
  if (e !== undefined) return e;
  return definitelyDifferentStrings(a, b) ? false : undefined;
}

export type Kind = "string" | "number" | "bool" | "list" | "object" | "unknown" | "null";

export function kindOf(v: Value): Kind {
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
export function unify(values: Value[], what: string): Value[] | Failure {
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
export function dedupe(values: Value[]): Value[] | undefined {
  // Wholly known elements: by a canonical key, in linear time (a set of 100k keys stays fast).
  const seen = new Set<string>();
  const linear: Value[] = [];
  let allKnown = true;
  for (const v of values) {
    const k = equalityKey(v);
    if (k === undefined) {
      allKnown = false;
      break;
    }
    if (seen.has(k)) continue;
    seen.add(k);
    linear.push(v);
  }
  if (allKnown) return linear;
  // Unknown elements: pairwise, three-valued; past a few thousand, the result is unknown.
  if (values.length > MAX_PAIRWISE) return undefined;
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
export function setOrder(values: Value[]): Value[] {
  const known = values.filter((v) => !(v instanceof Unknown));
  const unknowns = values.filter((v) => v instanceof Unknown);
  if (known.every((v) => typeof v === "string")) known.sort((a, b) => compareStrings(a as string, b as string));
  else if (known.every((v) => typeof v === "number")) known.sort((a, b) => (a as number) - (b as number));
  else if (known.every((v) => typeof v === "boolean")) known.sort((a, b) => Number(a) - Number(b));
  return [...known, ...unknowns];
}

/** A set from a list: unified, deduplicated, ordered; undefined when its size is unknown. */
export function makeSet(values: Value[], what: string): Value[] | Failure | undefined {
  const u = unify(values, what);
  if (u instanceof Failure) return u;
  const d = dedupe(u);
  return d === undefined ? undefined : setOrder(d);
}
