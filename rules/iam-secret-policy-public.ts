// iam/secret-policy-public: a secret's resource policy that allows anyone (`Principal: "*"`
// or `{ AWS = "*" }`) with no condition narrowing who (account, organisation, VPC…).

import { defineRule } from "../src/engine/rule.js";
import type { Located, Origin } from "../src/inventory/model.js";
import { ObjectValue, Unknown, type Value } from "../src/terraform/values.js";
import { conditionKeys, conditionValues, isAllow, listItems, originKey, secretLabel } from "../src/engine/queries/iam.js";

/** Condition keys that narrow who a `*` principal can be. */
const NARROWING = new Set(
  [
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:VpcSourceIp",
    "aws:userid",
    "aws:username",
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
  ].map((k) => k.toLowerCase()),
);

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

/** Whether the condition narrows the principals; undefined when unknown. */
function isNarrowed(cond: Located | undefined): boolean | undefined {
  const keys = conditionKeys(cond);
  if (keys === undefined) return undefined;
  for (const k of keys) {
    if (!NARROWING.has(k)) continue;
    const values = conditionValues(cond, k);
    if (values === undefined) return undefined;
    // `aws:PrincipalOrgID = "*"` narrows nothing; any other value (or an unknown one) does.
    if (values.length > 0 && values.every((v) => v === "*")) continue;
    return true;
  }
  return false;
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
    "A secret's resource policy with an Allow to `Principal: \"*\"` (or `{ AWS = \"*\" }`) and no condition narrowing the principal (`aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:SourceAccount`, `aws:SourceVpce`…) lets any AWS account call the actions it allows on the secret.",
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
      "The resource policy of secret `{secret}` allows `{principal}` with no condition narrowing the caller (`aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:SourceVpce`…): any AWS account can call the allowed actions on it",
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const secret of ctx.inventory.secrets) {
      const doc = secret.resourcePolicy;
      if (!doc) continue;
      for (const st of doc.statements) {
        if (!isAllow(st) || !st.principals) continue;
        if (isPublicPrincipal(st.principals.value) !== true) continue;
        if (isNarrowed(st.condition) !== false) continue;
        const key = `${originKey(st.origin)}|${secretLabel(secret)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const related: Array<{ origin: Origin; message: string }> = [];
        if (st.principals.origin) related.push({ origin: st.principals.origin, message: "the principal" });
        related.push({ origin: secret.origin, message: `secret \`${secretLabel(secret)}\`` });
        ctx.report({
          messageId: "publicPolicy",
          data: { secret: secretLabel(secret), principal: st.principals.value === "*" ? "Principal: \"*\"" : "Principal: { AWS: \"*\" }" },
          at: st.origin,
          related,
        });
      }
    }
  },
});
