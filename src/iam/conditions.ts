// The Condition element, evaluated as AWS documents it ("IAM JSON policy elements: Condition
// operators" in the IAM User Guide), three-valued over partly known policies and requests:
//
// - Every operator of a block must hold, and every key of an operator (AND); any one of a key's
//   policy values may match (OR), except for negated operators (`StringNotEquals`,
//   `StringNotLike`, `NumericNotEquals`, `DateNotEquals`, `NotIpAddress`, `ArnNotEquals`,
//   `ArnNotLike`), where the value must match none of them.
// - A key absent from the request: the condition is false, except for negated operators (true),
//   `…IfExists` (true) and `Null` (which tests presence: `true` = absent).
// - `ForAnyValue:` holds when some request value matches (false when the key is absent or
//   empty); `ForAllValues:` when every request value matches (true when absent or empty).
// - `StringLike`/`StringNotLike`: `*` and `?` are wildcards; `ArnLike`/`ArnEquals`: the six
//   colon-separated parts are matched one by one, each with wildcards.
// - Policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${key, 'default'}`, `${*}`,
//   `${?}`, `${$}`) in condition values when the document's Version is 2012-10-17.
// - Key names without case; values by the operator (`…IgnoreCase` ignores it).

import type { BlockList } from "node:net";
import { nodeNet } from "../util/builtins.js";
import { ObjectValue, Unknown, Failure, type Value } from "../terraform/values.js";
import { GLOB, hasToken, LITERAL, LITERAL_IGNORE_CASE, matchArn, matchText, textOf } from "./text.js";
import { not, or, type Tri } from "./tri.js";

/** What a request holds for a condition key: absent, one or more values (texts with tokens), or not known. */
export type ContextEntry = { state: "absent" } | { state: "present"; values: string[] } | { state: "unknown" };

/** The request's condition keys, looked up by lower-cased key name. */
export type Context = (lowerKey: string) => ContextEntry;

export const ABSENT: ContextEntry = { state: "absent" };
export const UNKNOWN: ContextEntry = { state: "unknown" };

type Kind = "string" | "like" | "numeric" | "date" | "bool" | "binary" | "ip" | "arn" | "null";

export interface Operator {
  set?: "any" | "all";
  kind: Kind;
  negated: boolean;
  ignoreCase: boolean;
  ifExists: boolean;
  /** For numeric and date operators: how the request value compares to the policy value. */
  compare?: "eq" | "lt" | "le" | "gt" | "ge";
}

const BASE: Record<string, Omit<Operator, "set" | "ifExists">> = {
  stringequals: { kind: "string", negated: false, ignoreCase: false },
  stringnotequals: { kind: "string", negated: true, ignoreCase: false },
  stringequalsignorecase: { kind: "string", negated: false, ignoreCase: true },
  stringnotequalsignorecase: { kind: "string", negated: true, ignoreCase: true },
  stringlike: { kind: "like", negated: false, ignoreCase: false },
  stringnotlike: { kind: "like", negated: true, ignoreCase: false },
  numericequals: { kind: "numeric", negated: false, ignoreCase: false, compare: "eq" },
  numericnotequals: { kind: "numeric", negated: true, ignoreCase: false, compare: "eq" },
  numericlessthan: { kind: "numeric", negated: false, ignoreCase: false, compare: "lt" },
  numericlessthanequals: { kind: "numeric", negated: false, ignoreCase: false, compare: "le" },
  numericgreaterthan: { kind: "numeric", negated: false, ignoreCase: false, compare: "gt" },
  numericgreaterthanequals: { kind: "numeric", negated: false, ignoreCase: false, compare: "ge" },
  dateequals: { kind: "date", negated: false, ignoreCase: false, compare: "eq" },
  datenotequals: { kind: "date", negated: true, ignoreCase: false, compare: "eq" },
  datelessthan: { kind: "date", negated: false, ignoreCase: false, compare: "lt" },
  datelessthanequals: { kind: "date", negated: false, ignoreCase: false, compare: "le" },
  dategreaterthan: { kind: "date", negated: false, ignoreCase: false, compare: "gt" },
  dategreaterthanequals: { kind: "date", negated: false, ignoreCase: false, compare: "ge" },
  bool: { kind: "bool", negated: false, ignoreCase: true },
  binaryequals: { kind: "binary", negated: false, ignoreCase: false },
  ipaddress: { kind: "ip", negated: false, ignoreCase: false },
  notipaddress: { kind: "ip", negated: true, ignoreCase: false },
  arnequals: { kind: "arn", negated: false, ignoreCase: false },
  arnlike: { kind: "arn", negated: false, ignoreCase: false },
  arnnotequals: { kind: "arn", negated: true, ignoreCase: false },
  arnnotlike: { kind: "arn", negated: true, ignoreCase: false },
  null: { kind: "null", negated: false, ignoreCase: false },
};

const operatorCache = new Map<string, Operator | null>();

/** An operator name (`ForAnyValue:StringNotLikeIfExists`…) parsed; undefined when AWS knows no such operator. */
export function parseOperator(name: string): Operator | undefined {
  const cached = operatorCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  let rest = name.toLowerCase();
  let set: Operator["set"];
  if (rest.startsWith("foranyvalue:")) {
    set = "any";
    rest = rest.slice("foranyvalue:".length);
  } else if (rest.startsWith("forallvalues:")) {
    set = "all";
    rest = rest.slice("forallvalues:".length);
  }
  let ifExists = false;
  if (rest.endsWith("ifexists") && rest !== "null") {
    ifExists = true;
    rest = rest.slice(0, -"ifexists".length);
  }
  const base = BASE[rest];
  const op: Operator | null = base && !(base.kind === "null" && (ifExists || set)) ? { ...base, ifExists, ...(set ? { set } : {}) } : null;
  operatorCache.set(name, op);
  return op ?? undefined;
}

// ---------------------------------------------------------------- policy variables

/** The result of putting the request's values into a policy value: a text, or not resolvable here. */
type Resolved = { text: string } | { unresolved: true };

const VARIABLE = /\$\{([^}]*)\}/g;

/**
 * Replaces the policy variables of a policy value by the request's values. A variable whose key
 * the request does not hold (and that has no default), holds several values, or holds an
 * unknown value makes the value unresolvable: comparisons with it are unknown.
 */
export function substitute(text: string, ctx: Context): Resolved {
  if (!text.includes("${")) return { text };
  let unresolved = false;
  const out = text.replace(VARIABLE, (_all, inner: string) => {
    const body = inner.trim();
    if (body === "*" || body === "?" || body === "$") return body;
    const m = /^([^,]+?)\s*(?:,\s*'((?:[^']|'')*)')?$/.exec(body);
    if (!m) {
      unresolved = true;
      return "";
    }
    const entry = ctx(m[1].trim().toLowerCase());
    if (entry.state === "present" && entry.values.length === 1) return entry.values[0];
    if (entry.state === "absent" && m[2] !== undefined) return m[2].replace(/''/g, "'");
    unresolved = true;
    return "";
  });
  return unresolved ? { unresolved: true } : { text: out };
}

// ---------------------------------------------------------------- comparisons

function toNumber(s: string): number | undefined {
  if (!/^\s*-?\d+(\.\d+)?\s*$/.test(s)) return undefined;
  return Number(s);
}

function toDate(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

function ordered(compare: Operator["compare"], r: number, p: number): boolean {
  switch (compare) {
    case "lt":
      return r < p;
    case "le":
      return r <= p;
    case "gt":
      return r > p;
    case "ge":
      return r >= p;
    default:
      return r === p;
  }
}

const blockLists = new Map<string, BlockList | null>();

function cidrBlock(cidr: string): BlockList | undefined {
  let b = blockLists.get(cidr);
  if (b !== undefined) return b ?? undefined;
  const [addr, prefix] = cidr.trim().split("/");
  const family = nodeNet().isIP(addr ?? "");
  b = null;
  if (family !== 0) {
    const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
    if (Number.isInteger(bits) && bits >= 0 && bits <= (family === 4 ? 32 : 128)) {
      b = new (nodeNet().BlockList)();
      b.addSubnet(addr as string, bits, family === 4 ? "ipv4" : "ipv6");
    }
  }
  blockLists.set(cidr, b);
  return b ?? undefined;
}

/** Whether an address is in a CIDR range (an address alone: itself). */
export function inRange(ip: string, cidr: string): boolean {
  const block = cidrBlock(cidr);
  const family = nodeNet().isIP(ip);
  return block !== undefined && family !== 0 && block.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/** Whether request value `r` matches policy value `p` under the operator's positive form. */
function positive(op: Operator, r: string, p: string): Tri {
  switch (op.kind) {
    case "string":
      return matchText(p, r, op.ignoreCase ? LITERAL_IGNORE_CASE : LITERAL);
    case "like":
      return matchText(p, r, GLOB);
    case "arn":
      return matchArn(p, r);
    case "bool":
    case "binary":
      return matchText(p, r, op.kind === "bool" ? LITERAL_IGNORE_CASE : LITERAL);
    case "numeric":
    case "date": {
      if (hasToken(r) || hasToken(p)) return "unknown";
      const conv = op.kind === "numeric" ? toNumber : toDate;
      const rv = conv(r);
      const pv = conv(p);
      if (rv === undefined || pv === undefined) return "no";
      return ordered(op.compare, rv, pv) ? "yes" : "no";
    }
    case "ip": {
      if (hasToken(r) || hasToken(p)) return "unknown";
      const block = cidrBlock(p);
      const family = nodeNet().isIP(r);
      if (!block || family === 0) return "no";
      return block.check(r, family === 4 ? "ipv4" : "ipv6") ? "yes" : "no";
    }
    default:
      return "no";
  }
}

/** A condition's policy values as texts; undefined when the list itself is unknown. */
export function policyValues(v: Value | undefined): Array<string | undefined> | undefined {
  if (v === undefined || v === null) return [];
  // A wholly unknown value is taken as one unknown value (a request may hold that very value).
  if (v instanceof Unknown && !v.template) return [textOf(v)];
  if (v instanceof Failure) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => textOf(x));
}

/** One key of one operator: `"StringEquals": { "aws:PrincipalOrgID": ["o-1", "o-2"] }`. */
export function evaluateKey(op: Operator, key: string, values: Value, ctx: Context, variables: boolean): Tri {
  const entry = ctx(key.toLowerCase());
  const texts = policyValues(values);
  if (op.kind === "null") {
    if (texts === undefined) return "unknown";
    if (entry.state === "unknown") return "unknown";
    let out: Tri = "no";
    for (const t of texts) {
      if (t === undefined || hasToken(t)) {
        out = or(out, "unknown");
        continue;
      }
      const wantAbsent = t.toLowerCase() === "true";
      out = or(out, (entry.state === "absent") === wantAbsent ? "yes" : "no");
    }
    return out;
  }
  if (entry.state === "unknown") return "unknown";
  if (entry.state === "absent" || entry.values.length === 0) {
    if (op.set === "all") return "yes";
    if (op.set === "any") return "no";
    if (entry.state === "absent") return op.ifExists || op.negated ? "yes" : "no";
  }
  if (texts === undefined) return "unknown";
  const resolved: Array<string | undefined> = texts.map((t) => {
    if (t === undefined) return undefined;
    if (!variables) return t;
    const r = substitute(t, ctx);
    return "text" in r ? r.text : undefined;
  });
  // One request value against the policy values: any of them (positive), none of them (negated).
  const one = (r: string): Tri => {
    let any: Tri = "no";
    for (const p of resolved) {
      const m = p === undefined ? "unknown" : positive(op, r, p);
      any = or(any, m);
      if (any === "yes") break;
    }
    return op.negated ? not(any) : any;
  };
  const requestValues = entry.state === "present" ? entry.values : [];
  if (op.set === "all") {
    let out: Tri = "yes";
    for (const r of requestValues) {
      const m = one(r);
      if (m === "no") return "no";
      if (m === "unknown") out = "unknown";
    }
    return out;
  }
  let out: Tri = "no";
  for (const r of requestValues) {
    const m = one(r);
    if (m === "yes") return "yes";
    if (m === "unknown") out = "unknown";
  }
  return out;
}

/**
 * A whole Condition block. `variables`: the document's Version is 2012-10-17, so `${…}` in
 * values are policy variables. Unknown operators (AWS rejects the policy) answer unknown.
 */
export function evaluateCondition(condition: Value | undefined, ctx: Context, variables: boolean): Tri {
  if (condition === undefined || condition === null) return "yes";
  if (!(condition instanceof ObjectValue)) return "unknown";
  let out: Tri = "yes";
  for (const [opName, byKey] of condition.entries) {
    const op = parseOperator(opName);
    if (!op || !(byKey instanceof ObjectValue)) {
      out = "unknown";
      continue;
    }
    for (const [key, values] of byKey.entries) {
      const r = evaluateKey(op, key, values, ctx, variables);
      if (r === "no") return "no";
      if (r === "unknown") out = "unknown";
    }
  }
  return out;
}

/** Every key a Condition block tests, with its operator and values (for building requests). */
export function conditionEntries(condition: Value | undefined): Array<{ op: Operator | undefined; opName: string; key: string; values: Value }> | undefined {
  if (condition === undefined || condition === null) return [];
  if (!(condition instanceof ObjectValue)) return undefined;
  const out: Array<{ op: Operator | undefined; opName: string; key: string; values: Value }> = [];
  for (const [opName, byKey] of condition.entries) {
    if (!(byKey instanceof ObjectValue)) return undefined;
    for (const [key, values] of byKey.entries) out.push({ op: parseOperator(opName), opName, key, values });
  }
  return out;
}
