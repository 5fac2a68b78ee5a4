// iam/wildcard-action: an Allow of every action (`*`) or of every Secrets Manager action
// (`secretsmanager:*`), in an identity policy or a secret's resource policy.

import { defineRule } from "../src/engine/rule.js";
import type { Origin } from "../src/inventory/model.js";
import { allStatements, isAllow, listItems, originKey } from "../src/engine/queries/iam.js";

/** `*`, `*:*` or `secretsmanager:*` (any case, any run of stars). */
export function isWildcardAction(action: string): boolean {
  return /^\*+(?::\*+)?$/.test(action) || /^secretsmanager:\*+$/i.test(action);
}

export default defineRule({
  id: "iam/wildcard-action",
  level: "error",
  securitySeverity: 8.0,
  tags: ["security", "iam", "secretsmanager", "least-privilege"],
  precision: "very-high",
  title: "Policy statement allows every action or every Secrets Manager action",
  description:
    "An Allow of `*` or `secretsmanager:*` grants far more than reading a secret: deleting secrets, replacing their values, rewriting their resource policies. Integrations need `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret`, nothing more.",
  help: {
    why:
      "`secretsmanager:*` includes `DeleteSecret`, `PutSecretValue`, `PutResourcePolicy` and `UpdateSecret`: a principal that only has to read a secret can also destroy it, change it, or open it to other accounts. `*` grants every action of every service.",
    bad: `data "aws_iam_policy_document" "sym_read" {
  statement {
    effect    = "Allow"
    actions   = ["secretsmanager:*"]
    resources = [aws_secretsmanager_secret.api_key.arn]
  }
}`,
    good: `data "aws_iam_policy_document" "sym_read" {
  statement {
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.api_key.arn]
  }
}`,
    fix: "List the actions the principal needs, usually `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret`.",
  },
  messages: {
    wildcardAction: "The statement allows `{action}`, every {what}, in {policy}. List the actions needed instead (usually `secretsmanager:GetSecretValue`, `secretsmanager:DescribeSecret`)",
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const ref of allStatements(ctx.inventory)) {
      const st = ref.statement;
      if (!isAllow(st)) continue;
      const actions = listItems(st.actions);
      if (!actions) continue;
      const action = actions.find((a): a is string => typeof a === "string" && isWildcardAction(a));
      if (action === undefined) continue;
      const key = originKey(st.origin);
      if (seen.has(key)) continue;
      seen.add(key);
      const related: Array<{ origin: Origin; message: string }> = st.actions?.origin ? [{ origin: st.actions.origin, message: `the action \`${action}\`` }] : [];
      ctx.report({
        messageId: "wildcardAction",
        data: { action, what: action.toLowerCase().startsWith("secretsmanager") ? "Secrets Manager action" : "action of every service", policy: ref.holder },
        at: st.origin,
        related,
      });
    }
  },
});
