// iam/secret-read-wildcard: policies that let their holders read every secret of an account or
// region, as AWS's policy evaluation logic decides it (src/iam): an Allow of a secret-reading
// action that no condition scopes to particular secrets and no Deny of the same holder takes
// back. Reported at each statement that grants it (for an AWS managed policy attached by ARN:
// at the place that attaches it).

import { defineRule } from "../src/engine/rule.js";
import type { Origin } from "../src/inventory/model.js";
import { everySecretReadGrants, grantWords, originKey, policyLabel, scopeWords, GET_SECRET_VALUE } from "../src/engine/queries/iam.js";

export default defineRule({
  id: "iam/secret-read-wildcard",
  level: "error",
  securitySeverity: 8.0,
  tags: ["security", "iam", "secretsmanager", "least-privilege"],
  precision: "high",
  title: "IAM policy lets its principals read every secret of the account",
  description:
    "A policy that lets its holders call `secretsmanager:GetSecretValue` on every secret of an account or region, as AWS evaluates it: an Allow (`GetSecretValue`, `Get*`, `secretsmanager:*`, `*`, or `NotAction` that spares it) on `*` or `…:secret:*` (or `NotResource` that spares secrets) that no condition scopes to particular secrets (`secretsmanager:ResourceTag/…`, `secretsmanager:SecretId`) and no Deny of the same holder takes back. AWS managed policies attached by ARN (`SecretsManagerReadWrite`, `AdministratorAccess`, `PowerUserAccess`…) count, reported where they are attached. Actions that accept only `*` (`ListSecrets`, `GetRandomPassword`, `BatchGetSecretValue`) do not count.",
  help: {
    why:
      "Whoever holds this policy can read the value of every secret in the account or region — the database passwords and API keys of every other team and integration, not only the secrets the integration needs. Vendor guides (Union/Flyte's among them) show `secret:*` as the example; it is meant to be narrowed.",
    bad: `resource "aws_iam_policy" "secrets_read" {
  name = "union-secrets-read"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = "arn:aws:secretsmanager:us-east-1:111122223333:secret:*"
    }]
  })
}`,
    good: `resource "aws_iam_policy" "secrets_read" {
  name = "union-secrets-read"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = "arn:aws:secretsmanager:us-east-1:111122223333:secret:*"
      Condition = {
        StringEquals = { "secretsmanager:ResourceTag/union-read" = "true" }
      }
    }]
  })
}`,
    fix: "Name the secrets (`arn:…:secret:NAME-??????`, or a path prefix like `secret:flyte/*`), or keep the wildcard and add a condition on a tag the readable secrets carry (`secretsmanager:ResourceTag/…`).",
  },
  messages: {
    readWildcard:
      "{action} is allowed on {resource} — {scope} — and no condition or Deny limits it to particular secrets (a `secretsmanager:ResourceTag/…` tag or `secretsmanager:SecretId`), in {policy}",
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const grant of everySecretReadGrants(ctx.inventory)) {
      const st = grant.statement;
      const key = originKey(st.origin);
      if (seen.has(key)) continue;
      seen.add(key);
      const words = grantWords(st, GET_SECRET_VALUE, grant.answer.resource);
      const action = words.action.startsWith("every ") ? words.action : `\`${words.action}\``;
      const resource = words.resource.startsWith("every ") ? words.resource : `\`${words.resource}\``;
      const related: Array<{ origin: Origin; message: string }> = [];
      if (st.actions?.origin && st.actions.origin !== st.origin) related.push({ origin: st.actions.origin, message: `the action ${action}` });
      if (st.resources?.origin && st.resources.origin !== st.origin) related.push({ origin: st.resources.origin, message: `the resource ${resource}` });
      ctx.report({
        messageId: "readWildcard",
        data: { action, resource, scope: scopeWords(grant.answer.scope, words.resourceIsStar), policy: policyLabel(grant.policy) },
        at: st.origin,
        related,
      });
    }
  },
});
