// The requests a question tries. "Can the holders of these policies read every secret?" is
// answered by evaluating concrete requests that stand for all the others: a secret the policies
// do not name (several names of different shapes), in each region and account the policies
// name and in one they do not, untagged and with every tag they test set to a value they do not
// name; and, for the request's other condition keys (the caller's network, session, tags…), each
// value the policies name, one they do not, and absence. The request is the caller's to shape:
// the answer is "yes" when some such request is allowed for every name.

import type { PolicyDocument, PolicyStatement } from "../inventory/model.js";
import { type Value } from "../terraform/values.js";
import { conditionEntries, policyValues, type Context, type ContextEntry, type Operator } from "./conditions.js";
import { actionCarriesKey, keyType } from "./data.js";
import { elementItems } from "./evaluate.js";
import { fresh, hasToken, instance, splitArn, textOf } from "./text.js";

/** Values no policy names (see text.ts `fresh`), shaped like the real ones where a pattern may test the shape. */
export const FRESH = {
  region: fresh("region"),
  account: fresh("account"),
  partition: "aws",
  value: fresh("value"),
  tagValue: fresh("tag value"),
  strangerAccount: fresh("stranger account"),
  ownerOrg: `o-${fresh("owner organisation")}`,
} as const;

/** A value no policy names for a key, shaped as the key's values are (`o-…` for an organisation). */
export function freshValueFor(lowerKey: string): string {
  if (/orgid$/.test(lowerKey)) return `o-${fresh(lowerKey)}`;
  if (/orgpaths$/.test(lowerKey)) return `o-${fresh(lowerKey)}/r-${fresh("root")}/ou-${fresh("ou")}/`;
  if (/sourcevpce$/.test(lowerKey)) return `vpce-${fresh(lowerKey)}`;
  if (/sourcevpc$/.test(lowerKey) || /instancesourcevpc$/.test(lowerKey)) return `vpc-${fresh(lowerKey)}`;
  if (/(arn)$/.test(lowerKey)) return `arn:aws:iam::${fresh("account")}:role/${fresh(lowerKey)}`;
  return fresh(lowerKey);
}

/** Secret names (with their 6-character suffixes) no policy is meant to name, of different shapes. */
export const PROBE_NAMES = ["x-AbC123", "team/app_db.prod+=,@-Qz9Yw1", "ZZZ-000000"] as const;

/** Condition keys every request carries (never absent). */
const ALWAYS_PRESENT = new Set(
  [
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalType",
    "aws:userid",
    "aws:SecureTransport",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:RequestedRegion",
    "aws:ResourceAccount",
    "aws:PrincipalIsAWSService",
    "aws:ViaAWSService",
  ].map((k) => k.toLowerCase()),
);

/**
 * Keys a caller from another account cannot set to a value a policy names: its organisation,
 * the owner's network (VPC, endpoint), the service that calls on someone's behalf. Such a caller
 * has none of them, or one no policy names.
 */
const NOT_THE_STRANGERS = [
  /^aws:principalorg/,
  /^aws:sourcevpc/,
  /^aws:vpc/,
  /^aws:vpce/,
  /^aws:source(account|arn|owner|org)/,
  /^aws:principalservicename/,
  /^aws:ec2instancesource/,
  /^aws:chatbotsourcearn$/,
  /^aws:resourceorg/,
];

export const isResourceTagKey = (lowerKey: string): boolean => lowerKey.startsWith("aws:resourcetag/") || lowerKey.startsWith("secretsmanager:resourcetag/");

/** Every statement of some documents, with its document. */
function* statementsOf(docs: readonly PolicyDocument[]): Generator<[PolicyStatement, PolicyDocument]> {
  for (const d of docs) for (const st of d.statements) yield [st, d];
}

/** The partitions, regions and accounts the Resource/NotResource ARNs of these documents name (wildcards filled in, unknown parts kept as tokens). */
export function namedPlaces(docs: readonly PolicyDocument[], service: string): { partitions: string[]; regions: string[]; accounts: string[] } {
  const partitions = new Set<string>();
  const regions = new Set<string>();
  const accounts = new Set<string>();
  for (const [st] of statementsOf(docs)) {
    for (const loc of [st.resources, st.notResources]) {
      for (const item of elementItems(loc?.value) ?? []) {
        if (item === undefined) continue;
        const f = splitArn(item);
        if (!f || f[0] !== "arn") continue;
        const svc = instance(f[2]);
        if (svc !== "" && !hasToken(f[2]) && !f[2].includes("*") && svc.toLowerCase() !== service) continue;
        if (f[1] !== "" && !/^\*+$/.test(f[1])) partitions.add(instance(f[1]));
        if (f[3] !== "" && !/^\*+$/.test(f[3])) regions.add(instance(f[3]));
        if (f[4] !== "" && !/^\*+$/.test(f[4])) accounts.add(instance(f[4]));
      }
    }
    for (const e of conditionEntries(st.condition?.value) ?? []) {
      const k = e.key.toLowerCase();
      const target = k === "aws:requestedregion" ? regions : k === "aws:resourceaccount" ? accounts : undefined;
      if (!target) continue;
      for (const v of policyValues(e.values) ?? []) if (v !== undefined && !v.includes("${")) target.add(instance(v));
    }
  }
  return { partitions: [...partitions], regions: [...regions], accounts: [...accounts] };
}

/** The tag keys (lower-cased) these documents test on the resource (`…:ResourceTag/KEY`). */
export function testedTagKeys(docs: readonly PolicyDocument[]): string[] {
  const keys = new Set<string>();
  for (const [st] of statementsOf(docs)) {
    for (const e of conditionEntries(st.condition?.value) ?? []) {
      const k = e.key.toLowerCase();
      if (isResourceTagKey(k)) keys.add(k.slice(k.indexOf("/") + 1));
    }
  }
  return [...keys];
}

/** Candidate values for a free key, from what an operator compares it with. */
function candidatesFor(op: Operator | undefined, values: Value, into: Set<string>, lowerKey: string): void {
  const texts = policyValues(values) ?? [];
  const type = keyType(lowerKey);
  for (const t of texts) {
    if (t === undefined || t.includes("${")) continue;
    switch (op?.kind) {
      case "numeric": {
        const n = Number(t);
        if (Number.isFinite(n)) for (const x of [n - 1, n, n + 1]) into.add(String(x));
        break;
      }
      case "date": {
        const d = /^\d+$/.test(t) ? Number(t) * 1000 : Date.parse(t);
        if (!Number.isNaN(d)) for (const x of [d - 1000, d, d + 1000]) into.add(new Date(x).toISOString());
        break;
      }
      case "ip": {
        const addr = t.split("/")[0] ?? "";
        if (addr) into.add(addr);
        break;
      }
      case "null":
        break;
      default:
        into.add(op?.kind === "like" || op?.kind === "arn" ? instance(t) : t);
    }
  }
  if (type === "Bool" || op?.kind === "bool") {
    into.add("true");
    into.add("false");
  }
}

/** A request context built from fixed entries and one assignment of the free keys. */
export function contextOf(fixed: Map<string, ContextEntry>, free: Map<string, ContextEntry>, fallback: (lowerKey: string) => ContextEntry): Context {
  return (k) => fixed.get(k) ?? free.get(k) ?? fallback(k);
}

export interface KeyPlan {
  /** Free keys with the values to try (each an entry: absent, or present with one value). */
  free: Array<{ key: string; options: ContextEntry[] }>;
  /** Free keys beyond the enumeration limit: unknown. */
  overflow: string[];
}

/** How many combinations of free-key values a question tries at most; the rest stay unknown. */
const MAX_COMBINATIONS = 96;

export type KeyRole = "fixed" | "free" | "fresh-or-absent" | "absent";

/**
 * The free condition keys of a question over these documents, with the values to try for each.
 * `role` says what a key is for this question (fixed by the request, free, or absent).
 */
export function planKeys(docs: readonly PolicyDocument[], action: string, role: (lowerKey: string) => KeyRole, freshIp = "198.51.100.77"): KeyPlan {
  const byKey = new Map<string, Set<string>>();
  const multi = new Set<string>();
  const add = (k: string) => {
    let s = byKey.get(k);
    if (!s) {
      s = new Set();
      byKey.set(k, s);
    }
    return s;
  };
  const noteVariables = (text: string | undefined) => {
    if (!text) return;
    for (const m of text.matchAll(/\$\{([^},]+)/g)) {
      const k = (m[1] ?? "").trim().toLowerCase();
      if (k && k !== "*" && k !== "?" && k !== "$") add(k);
    }
  };
  for (const [st] of statementsOf(docs)) {
    for (const e of conditionEntries(st.condition?.value) ?? []) {
      const k = e.key.toLowerCase();
      for (const v of policyValues(e.values) ?? []) noteVariables(v);
      const r = role(k);
      if (r === "fixed" || r === "absent") continue;
      if (actionCarriesKey(action, k) === false) continue;
      const s = add(k);
      if (r === "free") candidatesFor(e.op, e.values, s, k);
      if (e.op?.set) multi.add(k);
    }
    for (const loc of [st.resources, st.notResources]) for (const item of elementItems(loc?.value) ?? []) noteVariables(item);
  }
  const free: KeyPlan["free"] = [];
  const overflow: string[] = [];
  let combos = 1;
  for (const [k, values] of [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (role(k) === "fixed") continue;
    const type = keyType(k);
    const options: ContextEntry[] = [];
    const other = type === "IPAddress" ? freshIp : freshValueFor(k);
    const isMulti = multi.has(k) || type?.startsWith("ArrayOf") === true;
    for (const v of [...values, other]) options.push({ state: "present", values: [v] });
    if (isMulti) options.push({ state: "present", values: [] });
    if (!ALWAYS_PRESENT.has(k)) options.push({ state: "absent" });
    if (combos * options.length > MAX_COMBINATIONS) {
      overflow.push(k);
      continue;
    }
    combos *= options.length;
    free.push({ key: k, options });
  }
  return { free, overflow };
}

/** Every assignment of the plan's free keys (the product of their options). */
export function* assignments(plan: KeyPlan): Generator<Map<string, ContextEntry>> {
  const n = plan.free.length;
  const idx = new Array<number>(n).fill(0);
  for (;;) {
    const m = new Map<string, ContextEntry>();
    for (let i = 0; i < n; i++) m.set(plan.free[i].key, plan.free[i].options[idx[i]]);
    for (const k of plan.overflow) m.set(k, { state: "unknown" });
    yield m;
    let i = n - 1;
    while (i >= 0) {
      idx[i]++;
      if (idx[i] < plan.free[i].options.length) break;
      idx[i] = 0;
      i--;
    }
    if (i < 0) return;
  }
}

/** Whether a key is one a caller from another account cannot set to a named value. */
export function notTheStrangers(lowerKey: string): boolean {
  return NOT_THE_STRANGERS.some((re) => re.test(lowerKey));
}

/** A text with tokens made from a value (a secret's ARN, a tag value). */
export { textOf };
