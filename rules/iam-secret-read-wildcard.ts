// iam/secret-read-wildcard: an identity policy that lets its principals read every secret of
// an account or region (`GetSecretValue` on `*` or `…:secret:*`) with no condition that scopes
// it to particular secrets.

import { defineRule } from "../src/engine/rule.js";
import type { Origin } from "../src/inventory/model.js";
import { type Value } from "../src/terraform/values.js";
import { allStatements, isAllow, isDeny, listItems, isPresent, actionMatches, display, conditionKeys, originKey, GET_SECRET_VALUE, isScopingKey, Coverage, coversEverySecret, scopeText } from "../src/engine/queries/iam.js";

export default defineRule({
  id: "iam/secret-read-wildcard",
  level: "error",
  securitySeverity: 8.0,
  tags: ["security", "iam", "secretsmanager", "least-privilege"],
  precision: "high",
  title: "IAM policy lets its principals read every secret of the account",
  description:
    "An Allow of a secret-reading action (`secretsmanager:GetSecretValue`, `secretsmanager:Get*`, `secretsmanager:*`, `*`) on `*` or on every secret of an account or region (`arn:aws:secretsmanager:REGION:ACCOUNT:secret:*`) with no condition that scopes it to particular secrets (`secretsmanager:ResourceTag/…`, `aws:ResourceTag/…`, `secretsmanager:SecretId`, `secretsmanager:Name`). Actions that accept only `*` (`ListSecrets`, `GetRandomPassword`, `BatchGetSecretValue`) do not count.",
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
      "`{action}` is allowed on `{resource}` — {scope} — with no condition that scopes it to particular secrets (a `secretsmanager:ResourceTag/…` tag or `secretsmanager:SecretId`), in {policy}",
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const ref of allStatements(ctx.inventory, ["identity"])) {
      const st = ref.statement;
      if (!isAllow(st)) continue;
      // Statements with a Principal belong to resource policies: `*` there means the resource itself.
      if (st.principals || st.notPrincipals) continue;
      const actions = listItems(st.actions);
      if (!actions) continue;
      const action = actions.find((a): a is string => typeof a === "string" && actionMatches(a, GET_SECRET_VALUE));
      if (action === undefined) continue;
      const resources = listItems(st.resources);
      if (!resources) continue;
      let broad: { item: Value; cover: Coverage } | undefined;
      for (const item of resources) {
        const cover = coversEverySecret(item);
        if (cover) {
          broad = { item, cover };
          break;
        }
      }
      if (!broad) continue;
      const keys = conditionKeys(st.condition);
      if (keys === undefined || keys.some(isScopingKey)) continue;
      // A Deny in the same document that cuts GetSecretValue back to some secrets (a tag
      // condition, NotResource, an unknown condition), or denies it everywhere: stay silent.
      const denied = ref.document.statements.some((d) => {
        if (d === st || !isDeny(d)) return false;
        const da = listItems(d.actions);
        const matches = da === undefined || isPresent(d.notActions) !== false || da.some((a) => typeof a !== "string" || actionMatches(a, GET_SECRET_VALUE));
        if (!matches) return false;
        if (isPresent(d.notResources) !== false) return true;
        const dk = conditionKeys(d.condition);
        if (dk === undefined || dk.some(isScopingKey)) return true;
        if (dk.length > 0) return false; // a condition on something else (transport, network) scopes no secrets
        const dr = listItems(d.resources);
        return dr === undefined || dr.some((r) => coversEverySecret(r) !== undefined);
      });
      if (denied) continue;
      const key = originKey(st.origin);
      if (seen.has(key)) continue;
      seen.add(key);
      const related: Array<{ origin: Origin; message: string }> = [];
      if (st.actions?.origin) related.push({ origin: st.actions.origin, message: `the action \`${action}\`` });
      if (st.resources?.origin) related.push({ origin: st.resources.origin, message: `the resource \`${display(broad.item)}\`` });
      ctx.report({
        messageId: "readWildcard",
        data: { action, resource: display(broad.item), scope: scopeText(broad.item, broad.cover), policy: ref.holder },
        at: st.origin,
        related,
      });
    }
  },
});
