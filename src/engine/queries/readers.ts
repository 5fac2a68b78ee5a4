// "Who can read this secret", answered by the IAM evaluator (src/iam) — the one place that
// decides it — for iam/cross-account-read and the `readableOnlyBy` requirement of the
// organisation's policies:
//
// - identity side: each holder set (a principal's policies evaluated together) for which
//   `canAccessSecret` says yes is a reader; a policy attached to no known principal that grants
//   it makes the answer incomplete (someone unknown may hold it);
// - resource side: each principal (or account) an Allow of the secret's resource policy names,
//   and a caller of any other account, for which `resourcePolicyAccess` says yes.
//
// Unknown answers are kept apart: callers stay silent on what they cannot know.

import type { IamPolicy, IamPrincipal, Origin, PolicyDocument, PolicyStatement, Secret, Inventory } from "../../inventory/model.js";
import { ObjectValue } from "../../terraform/values.js";
import { GET_SECRET_VALUE, canAccessSecret, effectOf, elementItems, matchArn, matchText, resourcePolicyAccess, secretTarget, textOf, type SecretTarget } from "../../iam/index.js";
import { hasToken, splitArn } from "../../iam/text.js";
import { holderSets, policyLabel } from "./iam.js";

export interface SecretReader {
  /** The reader's ARN as text (unknown parts as the evaluator's tokens); `*` for any principal of any account. */
  arn: string;
  /** For messages: "role `ci-deployer`", "account 444455556666", "any AWS account". */
  label: string;
  /** The account, when the reader is a named account's principal (resource policy). */
  account?: string;
  via: "identity" | "resource-policy";
  /** The Allow statement that grants the read. */
  statement: PolicyStatement;
  /** For messages: "policy `read-secrets`", "the secret's resource policy". */
  grantedBy: string;
}

export interface SecretReaders {
  readers: SecretReader[];
  /** Some principal may read the secret but the evaluator cannot tell (or cannot tell who). */
  incomplete: boolean;
}

/** The account of a secret when known: its ARN's (live, a plan), else its provider's only allowed account. */
export function ownAccount(secret: Secret): string | undefined {
  const account = splitArn(secretTarget(secret).arn)?.[4];
  return account && /^\d{12}$/.test(account) ? account : secret.account;
}

/** Whether a reader's ARN matches a principal pattern: field by field for ARNs (an unknown account stays one field). */
export function readerMatches(pattern: string, arn: string): "yes" | "no" | "unknown" {
  if (arn === "*") return pattern === "*" ? "yes" : "no";
  return pattern.startsWith("arn:") && arn.startsWith("arn:") ? matchArn(pattern, arn) : matchText(pattern, arn);
}

function principalLabel(p: IamPrincipal): string {
  const name = typeof p.name.value === "string" ? p.name.value : (p.origin.address ?? p.id);
  return `${p.kind} \`${name}\``;
}

/** The readers through identity policies (principals of the secret's own account). */
function identityReaders(inventory: Inventory, target: SecretTarget, action: string, cache: Map<string, ReturnType<typeof canAccessSecret>>): SecretReaders {
  const out: SecretReaders = { readers: [], incomplete: false };
  for (const set of holderSets(inventory)) {
    const key = `${set.policies.map((p) => p.id).join("\u0000")}\u0001${target.arn}`;
    let answer = cache.get(key);
    if (!answer) {
      answer = canAccessSecret(
        set.policies.map((p) => p.document),
        target,
        action,
      );
      cache.set(key, answer);
    }
    if (answer.answer === "no") continue;
    const arn = set.principal?.arn !== undefined ? textOf(set.principal.arn) : undefined;
    if (answer.answer === "unknown" || !set.principal || arn === undefined) {
      out.incomplete = true;
      continue;
    }
    const grant = answer.grants[0];
    const policy = grant ? set.policies.find((p: IamPolicy) => p.document.statements.includes(grant.statement)) : undefined;
    out.readers.push({
      arn,
      label: principalLabel(set.principal),
      via: "identity",
      statement: grant?.statement ?? set.policies[0].document.statements[0],
      grantedBy: policy ? policyLabel(policy) : "its policies",
    });
  }
  return out;
}

/** The AWS principals an Allow of a resource policy names: `*`, account ids and ARNs (tokens kept). */
function namedPrincipals(doc: PolicyDocument): Array<{ item: string; statement: PolicyStatement }> {
  const out: Array<{ item: string; statement: PolicyStatement }> = [];
  for (const st of doc.statements) {
    if (effectOf(st) !== "Allow") continue;
    const p = st.principals?.value;
    if (p === "*") out.push({ item: "*", statement: st });
    if (!(p instanceof ObjectValue)) continue;
    for (const [type, ids] of p.entries) {
      if (type.toLowerCase() !== "aws") continue;
      for (const id of elementItems(ids) ?? []) if (id) out.push({ item: id, statement: st });
    }
  }
  return out;
}

/** The account of a principal item of a policy (`111122223333`, `arn:aws:iam::111122223333:role/x`). */
function accountOfItem(item: string): string | undefined {
  if (/^\d{12}$/.test(item)) return item;
  const f = splitArn(item);
  return f && /^\d{12}$/.test(f[4]) ? f[4] : undefined;
}

/** The readers through a secret's resource policy: those it names, and any other account's principals. */
export function resourcePolicyReaders(secret: Secret, action: string = GET_SECRET_VALUE): SecretReaders {
  const out: SecretReaders = { readers: [], incomplete: false };
  const doc = secret.resourcePolicy;
  if (!doc) return out;
  if (!doc.complete) out.incomplete = true;
  const target = secretTarget(secret);
  const stranger = resourcePolicyAccess(doc, target, { kind: "stranger" }, [action]);
  if (stranger.answer === "yes") {
    out.readers.push({ arn: "*", label: "any AWS account", via: "resource-policy", statement: stranger.grants[0].statement, grantedBy: "the secret's resource policy" });
  } else if (stranger.answer === "unknown") out.incomplete = true;
  const seen = new Set<string>();
  for (const { item } of namedPrincipals(doc)) {
    if (item === "*" || seen.has(item)) continue;
    seen.add(item);
    if (hasToken(item)) {
      out.incomplete = true;
      continue;
    }
    const account = accountOfItem(item);
    if (!account) continue; // not an account's principal (a canonical user id…)
    const root = /^\d{12}$/.test(item) || /:root$/.test(item);
    const arn = root ? `arn:aws:iam::${account}:root` : item;
    const access = resourcePolicyAccess(doc, target, { kind: "account", account, ...(root ? {} : { arn }) }, [action]);
    if (access.answer === "unknown") out.incomplete = true;
    if (access.answer !== "yes") continue;
    out.readers.push({
      arn,
      label: root ? `account ${account}` : `\`${arn}\``,
      account,
      via: "resource-policy",
      statement: access.grants[0].statement,
      grantedBy: "the secret's resource policy",
    });
  }
  return out;
}

/** Everyone who can read a secret: identity policies of the inventory, and its resource policy. */
export function secretReaders(inventory: Inventory, secret: Secret, action: string = GET_SECRET_VALUE, cache = new Map<string, ReturnType<typeof canAccessSecret>>()): SecretReaders {
  const identity = identityReaders(inventory, secretTarget(secret), action, cache);
  const resource = resourcePolicyReaders(secret, action);
  return { readers: [...identity.readers, ...resource.readers], incomplete: identity.incomplete || resource.incomplete };
}

/** Where a reader's grant is written, for `at`. */
export function grantOrigin(r: SecretReader, secret: Secret): Origin {
  return r.statement.origin ?? secret.origin;
}
