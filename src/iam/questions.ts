// The questions the rules ask the evaluator, each answered three-valued with the statements
// that decide it:
//
// - readsEverySecret: can the holders of these (identity) policies call an action (by default
//   `secretsmanager:GetSecretValue`) on a secret the policies do not name, untagged or with tag
//   values they do not name? (iam/secret-read-wildcard)
// - canAccessSecret: can they call it on this secret (its ARN and tags as far as known)?
//   ("who can read secrets matching X")
// - resourcePolicyAccess: which actions does a secret's resource policy let a caller from
//   another account (a stranger, or a named account) call on the secret?
//   (iam/secret-policy-public, iam/cross-account-read)

import type { PolicyDocument, PolicyStatement, Secret } from "../inventory/model.js";
import { ObjectValue, Unknown, Failure } from "../terraform/values.js";
import { conditionEntries, inRange, policyValues, type ContextEntry } from "./conditions.js";
import { actionsOf } from "./data.js";
import { actionItemMatches, decide, effectOf, elementItems, type Placed, type Request, type RequestPrincipal } from "./evaluate.js";
import { assignments, contextOf, FRESH, isResourceTagKey, namedPlaces, notTheStrangers, planKeys, PROBE_NAMES, testedTagKeys, type KeyRole } from "./requests.js";
import { hasToken, instance, splitArn, textOf } from "./text.js";
import { type Tri } from "./tri.js";

export const GET_SECRET_VALUE = "secretsmanager:GetSecretValue";

/** Where a grant reaches: a value, `*` (every one), or `""` (not known from the policies). */
export interface Scope {
  partition: string;
  region: string;
  account: string;
}

export interface Answer {
  answer: Tri;
  /** When "yes": the Allow statements that grant it (in the request that shows it). */
  grants: Placed[];
}

export interface ReadEveryAnswer extends Answer {
  scope?: Scope;
  /** When "yes": one secret ARN of the request that shows it (text with tokens). */
  resource?: string;
}

/** The statements of these documents whose Action could match `action` (the others cannot change the answer). */
function forAction(docs: readonly PolicyDocument[], action: string): PolicyDocument[] {
  const out: PolicyDocument[] = [];
  for (const d of docs) {
    const statements = d.statements.filter((st) => actionPart(st, action) !== "no");
    if (statements.length === d.statements.length) out.push(d);
    else out.push({ ...d, statements });
  }
  return out;
}

/** Whether a statement's Action/NotAction covers the action. */
export function actionPart(st: PolicyStatement, action: string): Tri {
  if (st.actions) {
    const items = elementItems(st.actions.value);
    if (!items) return "unknown";
    let out: Tri = "no";
    for (const a of items) {
      const r = actionItemMatches(a, action);
      if (r === "yes") return "yes";
      if (r === "unknown") out = "unknown";
    }
    return out;
  }
  if (st.notActions) {
    const items = elementItems(st.notActions.value);
    if (!items) return "unknown";
    let out: Tri = "yes";
    for (const a of items) {
      const r = actionItemMatches(a, action);
      if (r === "yes") return "no";
      if (r === "unknown") out = "unknown";
    }
    return out;
  }
  return "no";
}

function mayAllow(docs: readonly PolicyDocument[]): boolean {
  return docs.some((d) => d.statements.some((st) => effectOf(st) === "Allow" || effectOf(st) === "unknown"));
}

const unique = (xs: string[]) => [...new Set(xs)];

function scopeOf(p: string, r: string, a: string): Scope {
  const shown = (v: string, fresh: string) => (v === fresh ? "*" : hasToken(v) ? "" : v);
  return { partition: hasToken(p) ? "" : p, region: shown(r, FRESH.region), account: shown(a, FRESH.account) };
}

/** Roles of condition keys for the holders of identity policies: the secret's keys are fixed, the rest is the caller's. */
function holderRole(tagged: boolean) {
  return (k: string): KeyRole => {
    if (k === "secretsmanager:secretid" || k === "aws:resourceaccount" || k === "aws:requestedregion") return "fixed";
    if (isResourceTagKey(k)) return tagged ? "fixed" : "fixed";
    return "free";
  };
}

/**
 * Can the holders of these identity policies call `action` on every secret of some account and
 * region that the policies do not name, untagged or with tag values they do not name?
 */
export function readsEverySecret(docs: readonly PolicyDocument[], action: string = GET_SECRET_VALUE): ReadEveryAnswer {
  const relevant = forAction(docs, action);
  if (!mayAllow(relevant)) return { answer: "no", grants: [] };
  const service = action.split(":")[0]?.toLowerCase() ?? "";
  const places = namedPlaces(relevant, service);
  const partitions = unique([FRESH.partition, ...places.partitions]);
  const regions = unique([FRESH.region, ...places.regions]);
  const accounts = unique([FRESH.account, ...places.accounts]);
  const tagKeys = testedTagKeys(relevant);
  const variants: Array<Map<string, ContextEntry>> = [new Map()];
  if (tagKeys.length > 0) {
    const unrelated = new Map<string, ContextEntry>();
    for (const k of tagKeys) {
      unrelated.set(`aws:resourcetag/${k}`, { state: "present", values: [FRESH.tagValue] });
      unrelated.set(`secretsmanager:resourcetag/${k}`, { state: "present", values: [FRESH.tagValue] });
    }
    variants.push(unrelated);
  }
  const plan = planKeys(relevant, action, holderRole(true));
  let sawUnknown = false;
  for (const p of partitions) {
    for (const r of regions) {
      for (const a of accounts) {
        for (const tags of variants) {
          for (const free of assignments(plan)) {
            let all: Tri = "yes";
            let grants: Placed[] | undefined;
            let witness: string | undefined;
            for (const name of PROBE_NAMES) {
              const arn = `arn:${p}:${service}:${r}:${a}:secret:${name}`;
              const fixed = new Map<string, ContextEntry>(tags);
              fixed.set("secretsmanager:secretid", { state: "present", values: [arn] });
              fixed.set("aws:resourceaccount", { state: "present", values: [a] });
              fixed.set("aws:requestedregion", { state: "present", values: [r] });
              const d = decide(relevant, { action, resource: arn, context: contextOf(fixed, free, absent) });
              if (d.answer === "no") {
                all = "no";
                break;
              }
              if (d.answer === "unknown") all = "unknown";
              grants ??= d.allows;
              witness ??= arn;
            }
            if (all === "yes") return { answer: "yes", grants: grants ?? [], scope: scopeOf(p, r, a), ...(witness ? { resource: witness } : {}) };
            if (all === "unknown") sawUnknown = true;
          }
        }
      }
    }
  }
  return { answer: sawUnknown ? "unknown" : "no", grants: [] };
}

const absent = (): ContextEntry => ({ state: "absent" });

/** A secret as a request's resource: its ARN (partly known), region, account and tags. */
export interface SecretTarget {
  /** The ARN as text with tokens for the parts not known. */
  arn: string;
  /** Tags by lower-cased key (values as text with tokens); "unknown" when the tag set is not known. */
  tags: Map<string, string> | "unknown";
}

/** The request target for an inventory secret. */
export function secretTarget(secret: Secret): SecretTarget {
  const arn = textOf(secret.arn) ?? textOf(new Unknown("computed")) ?? "";
  const t = secret.tags.value;
  let tags: SecretTarget["tags"];
  if (t === null || t === undefined) tags = new Map();
  else if (t instanceof ObjectValue) {
    tags = new Map();
    for (const [k, v] of t.entries) {
      const text = textOf(v);
      if (text === undefined) {
        tags = "unknown";
        break;
      }
      tags.set(k.toLowerCase(), text);
    }
  } else tags = "unknown";
  return { arn, tags };
}

function targetEntries(target: SecretTarget, tagKeys: string[]): { fixed: Map<string, ContextEntry>; region: string; account: string } {
  const fixed = new Map<string, ContextEntry>();
  const f = splitArn(target.arn);
  const region = f?.[3] ?? textOf(new Failure("region")) ?? "";
  const account = f?.[4] ?? textOf(new Failure("account")) ?? "";
  fixed.set("secretsmanager:secretid", { state: "present", values: [target.arn] });
  fixed.set("aws:resourceaccount", { state: "present", values: [account] });
  fixed.set("aws:requestedregion", { state: "present", values: [region] });
  for (const k of tagKeys) {
    const v = target.tags === "unknown" ? undefined : target.tags.get(k);
    const entry: ContextEntry = target.tags === "unknown" ? { state: "unknown" } : v === undefined ? { state: "absent" } : { state: "present", values: [v] };
    fixed.set(`aws:resourcetag/${k}`, entry);
    fixed.set(`secretsmanager:resourcetag/${k}`, entry);
  }
  return { fixed, region, account };
}

/** Can the holders of these identity policies call `action` on this secret? */
export function canAccessSecret(docs: readonly PolicyDocument[], target: SecretTarget, action: string = GET_SECRET_VALUE): Answer {
  const relevant = forAction(docs, action);
  if (!mayAllow(relevant)) return { answer: "no", grants: [] };
  const { fixed } = targetEntries(target, testedTagKeys(relevant));
  const plan = planKeys(relevant, action, holderRole(true));
  let sawUnknown = false;
  for (const free of assignments(plan)) {
    const d = decide(relevant, { action, resource: target.arn, context: contextOf(fixed, free, absent) });
    if (d.answer === "yes") return { answer: "yes", grants: d.allows };
    if (d.answer === "unknown") sawUnknown = true;
  }
  return { answer: sawUnknown ? "unknown" : "no", grants: [] };
}

// ---------------------------------------------------------------- resource policies

/** Who calls, for a resource policy question: a caller from an account no policy names, or a named account (and principal). */
export type Caller = { kind: "stranger" } | { kind: "account"; account: string; arn?: string };

export interface AccessAnswer {
  answer: Tri;
  /** The actions allowed ("yes"), as AWS spells them. */
  actions: string[];
  /** The Allow statements that grant them. */
  grants: Placed[];
}

/** The Secrets Manager actions the service authorization data lists. */
let smActions: string[] | undefined;
export function secretsManagerActions(): string[] {
  smActions ??= (actionsOf("secretsmanager") ?? []).map((a) => `secretsmanager:${a}`);
  return smActions;
}

/** Principal ARNs a stranger can take: its own role, and any a condition's pattern lets an account of its own have. */
function strangerArns(docs: readonly PolicyDocument[], account: string): string[] {
  const out = new Set<string>([`arn:aws:iam::${account}:role/secretlint-stranger`]);
  for (const d of docs) {
    for (const st of d.statements) {
      for (const e of conditionEntries(st.condition?.value) ?? []) {
        if (e.key.toLowerCase() !== "aws:principalarn") continue;
        for (const v of policyValues(e.values) ?? []) {
          const f = v ? splitArn(v) : undefined;
          if (!f || hasToken(v ?? "")) continue;
          // Only a pattern that leaves the account open lets a stranger's principal match it.
          if (!f[4].includes("*") && !f[4].includes("?") && f[4] !== "") continue;
          out.add(`arn:${instance(f[1]) || "aws"}:${instance(f[2]) || "iam"}::${account}:${instance(f[5])}`);
        }
      }
    }
  }
  return [...out];
}

/**
 * Which actions a secret's resource policy lets a caller from another account call on the
 * secret. A stranger is a principal of an account the policy does not name, in no organisation
 * or one the policy does not name, outside the owner's network; everything else about the
 * request (its own tags, user name, IP address, time, TLS…) is the stranger's to choose.
 */
export function resourcePolicyAccess(doc: PolicyDocument, target: SecretTarget, caller: Caller, actions: readonly string[] = secretsManagerActions()): AccessAnswer {
  const docs = [doc];
  if (!mayAllow(docs)) return { answer: "no", actions: [], grants: [] };
  const { fixed: base } = targetEntries(target, testedTagKeys(docs));
  const account = caller.kind === "stranger" ? FRESH.strangerAccount : caller.account;
  base.set("aws:principalaccount", { state: "present", values: [account] });
  base.set("aws:principalisawsservice", { state: "present", values: ["false"] });
  base.set("aws:resourceorgid", { state: "present", values: [FRESH.ownerOrg] });
  const arns = caller.kind === "stranger" ? strangerArns(docs, account) : [caller.arn ?? `arn:aws:iam::${account}:role/secretlint-caller`];
  // A stranger's address is its own: in no range the policy names, unless the range is all of them (`0.0.0.0/0`).
  const role = (k: string): KeyRole => {
    if (base.has(k) || k === "aws:principalarn") return "fixed";
    if (caller.kind === "stranger" && (notTheStrangers(k) || k === "aws:sourceip")) return "fresh-or-absent";
    return "free";
  };
  const ip = caller.kind === "stranger" ? strangerIp(docs) : undefined;
  const allowed: string[] = [];
  const grants: Placed[] = [];
  let sawUnknown = false;
  for (const action of actions) {
    const relevant = forAction(docs, action);
    if (!mayAllow(relevant)) continue;
    const plan = planKeys(relevant, action, role, ip);
    let result: Tri = "no";
    outer: for (const arn of arns) {
      const fixed = new Map(base);
      fixed.set("aws:principalarn", { state: "present", values: [arn] });
      const principal: RequestPrincipal = { kind: "aws", account, arn };
      for (const free of assignments(plan)) {
        const req: Request = { action, resource: target.arn, context: contextOf(fixed, free, absent), principal };
        const d = decide(relevant, req);
        if (d.answer === "yes") {
          result = "yes";
          for (const g of d.allows) if (!grants.some((x) => x.statement === g.statement)) grants.push(g);
          break outer;
        }
        if (d.answer === "unknown") result = "unknown";
      }
    }
    if (result === "yes") allowed.push(action);
    else if (result === "unknown") sawUnknown = true;
  }
  return { answer: allowed.length > 0 ? "yes" : sawUnknown ? "unknown" : "no", actions: allowed, grants };
}

/** An address in no range the documents name but the whole address space. */
function strangerIp(docs: readonly PolicyDocument[]): string {
  const ranges: string[] = [];
  for (const d of docs) {
    for (const st of d.statements) {
      for (const e of conditionEntries(st.condition?.value) ?? []) {
        if (e.op?.kind !== "ip") continue;
        for (const v of policyValues(e.values) ?? []) if (v && !/\/0$/.test(v.trim())) ranges.push(v);
      }
    }
  }
  const candidates = ["198.51.100.77", "203.0.113.77", "192.0.2.77", "100.64.0.77", "8.8.4.77", "1.0.0.77", "223.255.255.77"];
  return candidates.find((ip) => !ranges.some((r) => inRange(ip, r))) ?? candidates[0];
}

/** The accounts a resource policy's Allow statements name as principals (12-digit ids, from ids and ARNs). */
export function namedAccounts(doc: PolicyDocument): string[] {
  const out = new Set<string>();
  for (const st of doc.statements) {
    if (effectOf(st) !== "Allow" || !(st.principals?.value instanceof ObjectValue)) continue;
    for (const [type, ids] of st.principals.value.entries) {
      if (type.toLowerCase() !== "aws") continue;
      for (const id of elementItems(ids) ?? []) {
        if (!id || hasToken(id)) continue;
        const m = /^(\d{12})$/.exec(id) ?? /^arn:[^:]*:(?:iam|sts)::(\d{12}):/.exec(id);
        if (m) out.add(m[1] as string);
      }
    }
  }
  return [...out];
}
