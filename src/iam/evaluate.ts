// One request against policy statements, as AWS's policy evaluation logic decides it ("Policy
// evaluation logic" in the IAM User Guide), three-valued:
//
// - A statement applies when its Action (or NotAction), Resource (or NotResource), Principal (or
//   NotPrincipal, resource policies only) and Condition all match the request.
//   `NotAction`/`NotResource`/`NotPrincipal` match everything they do not list.
// - An explicit Deny that applies wins; else an Allow that applies allows; else the request is
//   implicitly denied.
// - Actions match without case, with `*` and `?`; resources with case, with `*` and `?`, and
//   must be `*` or an ARN (AWS rejects any other Resource; such an item matches nothing here).
// - Policy variables in Resource and Condition values when the Version is 2012-10-17.
// - A statement whose Effect is not known may be either; a document whose statement list is not
//   wholly known may hold a Deny, so it cannot make an answer "yes".

import type { PolicyDocument, PolicyStatement } from "../inventory/model.js";
import { Failure, ObjectValue, Unknown, type Value } from "../terraform/values.js";
import { evaluateCondition, substitute, type Context } from "./conditions.js";
import { GLOB_IGNORE_CASE, hasToken, LITERAL, LITERAL_IGNORE_CASE, matchText, textOf } from "./text.js";
import { and, not, type Tri } from "./tri.js";

/** Who makes a request, for resource policies: an AWS principal of an account, a service, anyone. */
export interface RequestPrincipal {
  kind: "aws" | "service" | "federated" | "anonymous";
  /** The principal's account (text with tokens). */
  account?: string;
  /** The principal's ARN (a role, a user), when it is one. */
  arn?: string;
  /** `secretsmanager.amazonaws.com`, for a service. */
  service?: string;
}

export interface Request {
  /** `service:Action` as AWS spells it. */
  action: string;
  /** The resource ARN (text with tokens). */
  resource: string;
  context: Context;
  /** Set for resource policies: statements are matched against their Principal. */
  principal?: RequestPrincipal;
}

/** The items of an Action/Resource-like element as texts (undefined items: unknown); undefined when the list is unknown. */
export function elementItems(v: Value | undefined): Array<string | undefined> | undefined {
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return [v];
  if (v instanceof Unknown && v.template) return [textOf(v)];
  if (v instanceof Unknown || v instanceof Failure) return undefined;
  if (Array.isArray(v)) {
    const out: Array<string | undefined> = [];
    for (const x of v) {
      if (Array.isArray(x)) {
        const inner = elementItems(x);
        if (!inner) return undefined;
        out.push(...inner);
      } else out.push(x instanceof Unknown && !x.template ? textOf(x) : typeof x === "string" || x instanceof Unknown ? textOf(x) : undefined);
    }
    return out;
  }
  return [undefined];
}

/** Whether an action glob from a policy covers `action`. */
export function actionItemMatches(item: string | undefined, action: string): Tri {
  if (item === undefined) return "unknown";
  return matchText(item, action, GLOB_IGNORE_CASE);
}

/** Whether a Resource item (`*` or an ARN glob) covers the resource ARN. */
export function resourceItemMatches(item: string | undefined, resource: string, ctx: Context, variables: boolean): Tri {
  if (item === undefined) return "unknown";
  let pattern = item;
  if (variables && pattern.includes("${")) {
    const r = substitute(pattern, ctx);
    if (!("text" in r)) return "unknown";
    pattern = r.text;
  }
  // AWS accepts only `*` or an ARN (a template may still become one).
  const firstToken = pattern.search(/[\u{f0000}-\u{ffffd}]/u);
  const knownHead = firstToken < 0 ? pattern : pattern.slice(0, firstToken);
  if (pattern !== "*" && !knownHead.startsWith("arn:") && !"arn:".startsWith(knownHead)) return "no";
  return matchText(pattern, resource);
}

function listMatch(items: Array<string | undefined> | undefined, f: (item: string | undefined) => Tri): Tri {
  if (items === undefined) return "unknown";
  let out: Tri = "no";
  for (const item of items) {
    const r = f(item);
    if (r === "yes") return "yes";
    if (r === "unknown") out = "unknown";
  }
  return out;
}

/** Whether the document's `${…}` are policy variables (Version 2012-10-17). */
export function usesVariables(doc: PolicyDocument | undefined): boolean {
  const v = doc?.version;
  return v === "2012-10-17";
}

/** Whether a Principal value (`"*"`, `{ AWS = [...] }`…) names the request's principal. */
export function principalMatches(p: Value | undefined, who: RequestPrincipal): Tri {
  if (p === undefined || p === null) return "no";
  if (p === "*") return "yes";
  if (p instanceof Unknown || p instanceof Failure) return "unknown";
  if (!(p instanceof ObjectValue)) return "no";
  let out: Tri = "no";
  for (const [type, ids] of p.entries) {
    const items = elementItems(ids);
    const t = type.toLowerCase();
    const r = listMatch(items, (id) => {
      if (id === undefined) return "unknown";
      if (t === "aws") {
        if (id === "*") return who.kind === "aws" || who.kind === "anonymous" ? "yes" : "no";
        if (who.kind !== "aws") return hasToken(id) ? "no" : "no";
        const account = /^\d{12}$/.test(id) ? id : /^arn:[^:]*:iam::([^:]+):root$/.exec(id)?.[1];
        if (account !== undefined) return who.account === undefined ? "unknown" : matchText(account, who.account, LITERAL);
        if (hasToken(id) && !id.startsWith("arn:")) {
          // An unknown id: an account id or an ARN.
          const asAccount = who.account === undefined ? "unknown" : matchText(id, who.account, LITERAL);
          const asArn = who.arn === undefined ? "no" : matchText(id, who.arn, LITERAL);
          return asAccount === "yes" || asArn === "yes" ? "yes" : asAccount === "no" && asArn === "no" ? "no" : "unknown";
        }
        if (who.arn === undefined) {
          // A principal of the account but not this ARN: any role of the account could be it only by name.
          const acct = /^arn:[^:]*:(?:iam|sts)::([^:]+):/.exec(id)?.[1];
          if (acct !== undefined && who.account !== undefined && matchText(acct, who.account, LITERAL) === "no") return "no";
          return "unknown";
        }
        return matchText(id, who.arn, LITERAL);
      }
      if (t === "service") return who.kind === "service" && who.service !== undefined ? matchText(id, who.service, LITERAL_IGNORE_CASE) : "no";
      if (t === "federated") return who.kind === "federated" ? "unknown" : "no";
      return "no"; // CanonicalUser: S3 only
    });
    if (r === "yes") return "yes";
    if (r === "unknown") out = "unknown";
  }
  return out;
}

/** Whether a statement applies to a request (Effect aside). */
export function statementApplies(st: PolicyStatement, doc: PolicyDocument | undefined, req: Request): Tri {
  const variables = usesVariables(doc);
  // Action / NotAction
  let action: Tri;
  if (st.actions) action = listMatch(elementItems(st.actions.value), (a) => actionItemMatches(a, req.action));
  else if (st.notActions) action = not(listMatch(elementItems(st.notActions.value), (a) => actionItemMatches(a, req.action)));
  else return "no"; // AWS requires one of them
  if (action === "no") return "no";
  // Resource / NotResource; a resource policy may leave it out (it is the resource itself).
  let resource: Tri;
  if (st.resources) resource = listMatch(elementItems(st.resources.value), (r) => resourceItemMatches(r, req.resource, req.context, variables));
  else if (st.notResources) resource = not(listMatch(elementItems(st.notResources.value), (r) => resourceItemMatches(r, req.resource, req.context, variables)));
  else resource = req.principal ? "yes" : "no";
  let out = and(action, resource);
  if (out === "no") return "no";
  // Principal / NotPrincipal: resource policies only; an identity policy with one is not valid.
  if (req.principal) {
    if (st.principals) out = and(out, principalMatches(st.principals.value, req.principal));
    else if (st.notPrincipals) out = and(out, not(principalMatches(st.notPrincipals.value, req.principal)));
    else return "no";
  } else if (st.principals || st.notPrincipals) return "no";
  if (out === "no") return "no";
  return and(out, evaluateCondition(st.condition?.value, req.context, variables));
}

/** A statement with the document it belongs to. */
export interface Placed {
  statement: PolicyStatement;
  document: PolicyDocument;
}

export interface Decision {
  answer: Tri;
  /** The Allow statements that certainly apply. */
  allows: Placed[];
  /** The Deny statements that certainly apply. */
  denies: Placed[];
}

/** The effect of a statement: Allow, Deny, or not known (either). */
export function effectOf(st: PolicyStatement): "Allow" | "Deny" | "unknown" | "invalid" {
  const e = st.effect.value;
  if (e === "Allow" || e === "Deny") return e;
  if (typeof e === "string" || e === null || e === undefined) return "invalid";
  return "unknown";
}

/**
 * Whether the statements of these documents allow the request: explicit Deny, then Allow, else
 * implicit deny. An incomplete document may hold an unseen Deny: no "yes" then.
 */
export function decide(docs: readonly PolicyDocument[], req: Request): Decision {
  let denied: Tri = "no";
  let allowed: Tri = "no";
  const allows: Placed[] = [];
  const denies: Placed[] = [];
  let incomplete = false;
  for (const document of docs) {
    if (!document.complete) incomplete = true;
    for (const statement of document.statements) {
      const effect = effectOf(statement);
      if (effect === "invalid") continue;
      const applies = statementApplies(statement, document, req);
      if (applies === "no") continue;
      if (effect === "Deny" || effect === "unknown") {
        const d = effect === "Deny" ? applies : and(applies, "unknown");
        if (d === "yes") {
          denies.push({ statement, document });
          denied = "yes";
        } else if (denied === "no") denied = "unknown";
      }
      if (effect === "Allow" || effect === "unknown") {
        const a = effect === "Allow" ? applies : and(applies, "unknown");
        if (a === "yes") {
          allows.push({ statement, document });
          allowed = "yes";
        } else if (allowed === "no") allowed = "unknown";
      }
    }
  }
  if (incomplete && denied === "no") denied = "unknown";
  let answer: Tri;
  if (denied === "yes" || allowed === "no") answer = "no";
  else if (denied === "no" && allowed === "yes") answer = "yes";
  else answer = "unknown";
  return { answer, allows, denies };
}
