// iam/secret-policy-public: a secret's resource policy that lets a principal of any AWS account
// call actions on the secret, as AWS evaluates it (src/iam): an Allow to `Principal: "*"` (or
// `{ AWS = "*" }`, or `NotPrincipal`) whose conditions do not narrow the caller to an account,
// organisation or network of the owner's, and that no Deny of the policy takes back (a Deny
// outside the organisation or account does).

import { defineRule } from "../src/engine/rule.js";
import type { Origin, PolicyStatement } from "../src/inventory/model.js";
import { ObjectValue, Unknown, type Value } from "../src/terraform/values.js";
import { effectOf, resourcePolicyAccess, secretTarget } from "../src/iam/index.js";
import { listItems, originKey, secretLabel } from "../src/engine/queries/iam.js";

/**
 * Whether a Principal value lets anyone in: `"*"`, `{ AWS = "*" }` or `{ AWS = [..., "*"] }`.
 * `undefined` when it depends on something unknown.
 */
export function isPublicPrincipal(p: Value | undefined): boolean | undefined {
  if (p === "*") return true;
  if (p instanceof ObjectValue) {
    let unknownPart = false;
    for (const [k, v] of p.entries) {
      if (k !== "AWS") continue;
      const ids = listItems({ value: v });
      if (ids === undefined) {
        unknownPart = true;
        continue;
      }
      if (ids.some((id) => id === "*")) return true;
      if (ids.some((id) => typeof id !== "string")) unknownPart = true;
    }
    return unknownPart ? undefined : false;
  }
  if (p instanceof Unknown) return undefined;
  return false;
}

/** How the statement names its principal, for the message. */
function principalWords(st: PolicyStatement): string {
  if (st.notPrincipals) return "every principal but those `NotPrincipal` names";
  return st.principals?.value === "*" ? "`Principal: \"*\"`" : "`Principal: { AWS: \"*\" }`";
}

export default defineRule({
  id: "iam/secret-policy-public",
  level: "error",
  securitySeverity: 9.0,
  controls: [{ framework: "prowler", id: "secretsmanager_not_publicly_accessible" }],
  tags: ["security", "iam", "secretsmanager", "resource-policy"],
  precision: "very-high",
  title: "Secret resource policy allows any principal",
  description:
    "A secret's resource policy with an Allow to `Principal: \"*\"` (or `{ AWS = \"*\" }`, or `NotPrincipal`) whose conditions do not narrow the caller to the owner's accounts, organisation or network (`aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:SourceVpce`…; `StringLike aws:PrincipalOrgID \"o-*\"`, `…IfExists`, negated operators, `aws:SourceIp 0.0.0.0/0` narrow nothing), and no Deny takes back, lets any AWS account call the actions it allows on the secret.",
  help: {
    why:
      "A resource policy is evaluated for callers from every AWS account. `Principal = \"*\"` without a condition on the caller's account or organisation makes the secret readable (or writable) by anyone with AWS credentials, wherever the secret is used.",
    bad: `resource "aws_secretsmanager_secret" "api_key" {
  name = "sym/prod/api-key"
}

resource "aws_secretsmanager_secret_policy" "api_key" {
  secret_arn = aws_secretsmanager_secret.api_key.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  })
}`,
    good: `resource "aws_secretsmanager_secret" "api_key" {
  name = "sym/prod/api-key"
}

resource "aws_secretsmanager_secret_policy" "api_key" {
  secret_arn = aws_secretsmanager_secret.api_key.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/sym/SymRuntimeProd" }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  })
}`,
    fix: "Name the principals (role ARNs or account ids), or keep `*` and add a condition such as `StringEquals aws:PrincipalOrgID`. Setting `block_public_policy = true` on `aws_secretsmanager_secret_policy` makes AWS refuse such policies.",
  },
  messages: {
    publicPolicy:
      "The resource policy of secret `{secret}` allows {principal} to call {actions} on it{conditionWords}: any AWS account can do so",
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const secret of ctx.inventory.secrets) {
      const doc = secret.resourcePolicy;
      if (!doc) continue;
      const target = secretTarget(secret);
      if (resourcePolicyAccess(doc, target, { kind: "stranger" }).answer !== "yes") continue;
      // Each Allow that opens the secret on its own, with every Deny of the policy.
      for (const st of doc.statements) {
        const effect = effectOf(st);
        if (effect !== "Allow" && effect !== "unknown") continue;
        const alone = { ...doc, statements: doc.statements.filter((x) => x === st || effectOf(x) === "Deny" || effectOf(x) === "unknown") };
        const access = resourcePolicyAccess(alone, target, { kind: "stranger" });
        if (access.answer !== "yes" || !access.grants.some((g) => g.statement === st)) continue;
        const actions = access.actions.length > 3 ? `${access.actions.length} actions (${access.actions.slice(0, 3).map((a) => `\`${a}\``).join(", ")}…)` : access.actions.map((a) => `\`${a}\``).join(", ");
        const key = `${originKey(st.origin)}|${secretLabel(secret)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const related: Array<{ origin: Origin; message: string }> = [];
        const principal = st.principals ?? st.notPrincipals;
        if (principal?.origin && principal.origin !== st.origin) related.push({ origin: principal.origin, message: "the principal" });
        if (st.condition?.origin && st.condition.origin !== st.origin) related.push({ origin: st.condition.origin, message: "a condition that does not narrow the caller" });
        related.push({ origin: secret.origin, message: `secret \`${secretLabel(secret)}\`` });
        ctx.report({
          messageId: "publicPolicy",
          data: {
            secret: secretLabel(secret),
            principal: principalWords(st),
            actions,
            conditionWords: st.condition ? " under a condition that does not narrow the caller to an account, organisation or network" : " with no condition narrowing the caller (`aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:SourceVpce`…)",
          },
          at: st.origin,
          related,
        });
      }
    }
  },
});
