// IAM statement helpers shared by the iam/* and secret/* rules: statements of every policy,
// lists, action globs, conditions, display of partly known strings.
// They live here, not in a rule module, so that `rules/` holds only rules.

import type { IamPolicy, IamPrincipal, Inventory, Located, Origin, PolicyDocument, PolicyStatement } from "../../inventory/model.js";
import { Failure, ObjectValue, Unknown, stringPieces, type Value } from "../../terraform/values.js";
import { GET_SECRET_VALUE, readsEverySecret, matchText, textOf, effectOf, actionPart, type ReadEveryAnswer, type Scope } from "../../iam/index.js";
import { actionItemMatches } from "../../iam/evaluate.js";

export { GET_SECRET_VALUE };

// ---------------------------------------------------------------- shared IAM helpers

/** A statement with the document and policy it belongs to. */
export interface StatementRef {
  statement: PolicyStatement;
  document: PolicyDocument;
  /** What holds the document, for messages: "policy `NAME`" or "the resource policy of secret `NAME`". */
  holder: string;
  /** "identity": an IAM policy; "secret": a secret's resource policy. */
  kind: "identity" | "secret";
}

/**
 * Every statement of every policy document written in the sources or the account (identity
 * policies, then secrets' resource policies). AWS managed policies attached by ARN are not
 * written by the user: rules about how a statement is written leave them out.
 */
export function allStatements(inventory: Inventory, kinds: ReadonlyArray<"identity" | "secret"> = ["identity", "secret"]): StatementRef[] {
  const out: StatementRef[] = [];
  if (kinds.includes("identity")) {
    for (const p of inventory.iamPolicies) {
      if (p.kind === "aws-managed") continue;
      const holder = `policy \`${typeof p.name.value === "string" ? p.name.value : (p.origin.address ?? p.id)}\``;
      for (const statement of p.document.statements) out.push({ statement, document: p.document, holder, kind: "identity" });
    }
  }
  if (kinds.includes("secret")) {
    for (const s of inventory.secrets) {
      if (!s.resourcePolicy) continue;
      for (const statement of s.resourcePolicy.statements) out.push({ statement, document: s.resourcePolicy, holder: `the resource policy of secret \`${secretLabel(s)}\``, kind: "secret" });
    }
  }
  return out;
}

/** A secret's name for messages: its name when known (and not empty), else its Terraform address or id. */
export function secretLabel(s: { name: Located; origin: Origin; id: string }): string {
  return typeof s.name.value === "string" && s.name.value !== "" ? s.name.value : (s.origin.address ?? s.id);
}

/** True when the statement's Effect is known to be Allow. */
export function isAllow(st: PolicyStatement): boolean {
  return st.effect.value === "Allow";
}

/** True when the statement's Effect is known to be Deny. */
export function isDeny(st: PolicyStatement): boolean {
  return st.effect.value === "Deny";
}

/**
 * The items of an Action/Resource-like list: a single string counts as a list of one; a
 * partly known string (a template) is one item. `undefined` when the list itself is unknown.
 * Items that are unknown or failures are kept (callers skip what they cannot read).
 */
export function listItems(loc: Located | undefined): Value[] | undefined {
  if (!loc) return [];
  const v = loc.value;
  if (v === null || v === undefined) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap((x) => (Array.isArray(x) ? x : [x]));
  if (v instanceof Unknown && v.template) return [v];
  if (v instanceof Unknown || v instanceof Failure) return undefined;
  return [v];
}

/** True when the argument is set to something (a non-empty list or a string); undefined when unknown. */
export function isPresent(loc: Located | undefined): boolean | undefined {
  if (!loc) return false;
  const items = listItems(loc);
  if (items === undefined) return undefined;
  return items.length > 0;
}


/** A (partly known) string for messages: unknown parts as `${what}`. */
export function display(v: Value | undefined): string {
  const pieces = stringPieces(v);
  if (!pieces) return "…";
  return pieces.map((p) => (typeof p === "string" ? p : p instanceof Unknown ? `\${${p.what ?? "…"}}` : "${…}")).join("");
}

/**
 * The condition keys of a statement (`secretsmanager:ResourceTag/SymEnv`…), lower-cased;
 * `undefined` when the condition, or which keys it tests, is unknown.
 */
export function conditionKeys(loc: Located | undefined): string[] | undefined {
  if (!loc) return [];
  const c = loc.value;
  if (c === null || c === undefined) return [];
  if (!(c instanceof ObjectValue)) return undefined;
  const keys: string[] = [];
  for (const byOperator of c.entries.values()) {
    if (byOperator === null) continue;
    if (!(byOperator instanceof ObjectValue)) return undefined;
    for (const k of byOperator.keys()) keys.push(k.toLowerCase());
  }
  return keys;
}

/** The values a condition tests a key with (lower-cased key), across operators; undefined when unknown. */
export function conditionValues(loc: Located | undefined, key: string): Value[] | undefined {
  const c = loc?.value;
  if (!(c instanceof ObjectValue)) return [];
  const out: Value[] = [];
  for (const byOperator of c.entries.values()) {
    if (!(byOperator instanceof ObjectValue)) continue;
    for (const [k, v] of byOperator.entries) {
      if (k.toLowerCase() !== key) continue;
      if (v instanceof Unknown && !v.template) return undefined;
      if (Array.isArray(v)) out.push(...v);
      else out.push(v);
    }
  }
  return out;
}

/** A key for de-duplicating findings by place (one statement may be reached through several policies). */
export function originKey(o: Origin | undefined): string {
  if (!o) return "";
  const f = o.file ? `${o.file.path}:${o.file.range.start.offset}:${o.file.range.end.offset}` : "";
  const a = o.aws ? `${o.aws.arn ?? ""}@${o.aws.region ?? ""}` : "";
  return `${f}|${a}|${o.address ?? ""}`;
}

// ---------------------------------------------------------------- the evaluator's answers

/** A policy holder's set of identity policies: a principal's, or one policy attached to nothing known. */
export interface HolderSet {
  principal?: IamPrincipal;
  policies: IamPolicy[];
}

/** Policies that are identity policies (not a secret's resource policy). */
function identityPolicies(inventory: Inventory): IamPolicy[] {
  return inventory.iamPolicies;
}

/**
 * The sets of identity policies AWS evaluates together: for each principal, every policy
 * attached to it; for each policy attached to no known principal, that policy alone.
 */
export function holderSets(inventory: Inventory): HolderSet[] {
  const byPrincipal = new Map<string, IamPolicy[]>();
  const alone: IamPolicy[] = [];
  for (const p of identityPolicies(inventory)) {
    if (p.attachedTo.length === 0) alone.push(p);
    for (const id of p.attachedTo) {
      const list = byPrincipal.get(id);
      if (list) list.push(p);
      else byPrincipal.set(id, [p]);
    }
  }
  const out: HolderSet[] = [];
  const principals = new Map(inventory.iamPrincipals.map((r) => [r.id, r]));
  for (const [id, policies] of byPrincipal) {
    const principal = principals.get(id);
    out.push(principal ? { principal, policies } : { policies });
  }
  for (const p of alone) out.push({ policies: [p] });
  return out;
}

/** A policy's name for messages: "policy `NAME`", "AWS managed policy `NAME`" (its address when the name is not known or empty). */
export function policyLabel(p: IamPolicy): string {
  const name = typeof p.name.value === "string" && p.name.value !== "" ? p.name.value : (p.origin.address ?? p.id);
  return p.kind === "aws-managed" ? `AWS managed policy \`${name}\`` : `policy \`${name}\``;
}

/** A grant found by the evaluator, with the policy that holds it. */
export interface FoundGrant {
  statement: PolicyStatement;
  policy: IamPolicy;
  answer: ReadEveryAnswer;
  holder?: IamPrincipal;
}

/**
 * The statements that let their holders read every secret of some account and region (the
 * evaluator's `readsEverySecret` over each holder set), each once.
 */
export function everySecretReadGrants(inventory: Inventory, action: string = GET_SECRET_VALUE): FoundGrant[] {
  const out: FoundGrant[] = [];
  const seen = new Set<PolicyStatement>();
  const cache = new Map<string, ReadEveryAnswer>();
  for (const set of holderSets(inventory)) {
    const key = set.policies.map((p) => p.id).join("\u0000");
    let answer = cache.get(key);
    if (!answer) {
      answer = readsEverySecret(
        set.policies.map((p) => p.document),
        action,
      );
      cache.set(key, answer);
    }
    if (answer.answer !== "yes") continue;
    // Each Allow that grants it on its own, with every Deny of the holder's policies.
    for (const policy of set.policies) {
      for (const statement of policy.document.statements) {
        if (seen.has(statement) || effectOf(statement) === "Deny" || effectOf(statement) === "invalid") continue;
        if (actionPart(statement, action) === "no") continue;
        const alone = set.policies.map((p) => ({
          ...p.document,
          statements: p.document.statements.filter((st) => st === statement || effectOf(st) === "Deny" || effectOf(st) === "unknown"),
        }));
        const own = readsEverySecret(alone, action);
        if (own.answer !== "yes" || !own.grants.some((g) => g.statement === statement)) continue;
        seen.add(statement);
        out.push(set.principal ? { statement, policy, answer: own, holder: set.principal } : { statement, policy, answer: own });
      }
    }
  }
  return out;
}

/** Words for where a grant reaches. */
export function scopeWords(scope: Scope | undefined, resourceIsStar: boolean): string {
  if (resourceIsStar && scope?.account === "*" && scope.region === "*") return "every secret in every account and region the principal can reach";
  const shown = (v: string) => (v === "" || /[<>#{}*?]/.test(v) || /your-/i.test(v) ? "" : v);
  const account = scope?.account === "*" ? "of every account" : shown(scope?.account ?? "") ? `of account ${scope?.account}` : "of the account";
  const region = scope?.region === "*" ? "in every region" : shown(scope?.region ?? "") ? `in ${scope?.region}` : "in its region";
  return `every secret ${account} ${region}`;
}

/**
 * How a statement grants `action` on a resource, for messages: the action item (`secretsmanager:Get*`,
 * or "every action except `iam:*`") and the resource item (`*`, or "every resource except …").
 */
export function grantWords(st: PolicyStatement, action: string, resource: string | undefined): { action: string; resource: string; resourceIsStar: boolean } {
  let actionText = action;
  if (st.actions) {
    const hit = (listItems(st.actions) ?? []).find((a) => actionItemMatches(textOf(a), action) === "yes");
    if (hit !== undefined) actionText = display(hit);
  } else if (st.notActions) actionText = `every action except ${(listItems(st.notActions) ?? []).map((a) => `\`${display(a)}\``).join(", ")}`;
  let resourceText = "*";
  let resourceIsStar = false;
  if (st.resources) {
    const items = listItems(st.resources) ?? [];
    const hit = resource === undefined ? items[0] : (items.find((r) => matchText(textOf(r) ?? "", resource) === "yes") ?? items[0]);
    if (hit !== undefined) {
      resourceText = display(hit);
      resourceIsStar = hit === "*";
    }
  } else if (st.notResources) resourceText = `every resource except ${(listItems(st.notResources) ?? []).map((r) => `\`${display(r)}\``).join(", ")}`;
  return { action: actionText, resource: resourceText, resourceIsStar };
}
