// iam/wildcard-action: an Allow of every action (`*`) or of every Secrets Manager action
// (`secretsmanager:*`, `secretsmanager:?*`, `Secrets*:*`: any glob that matches every action
// the service authorization data lists), in an identity policy or a secret's resource policy;
// silent when a Deny of the same document takes the whole grant back.

import { defineRule } from "../src/engine/rule.js";
import type { Origin, PolicyDocument, PolicyStatement } from "../src/inventory/model.js";
import { allStatements, isAllow, listItems, originKey } from "../src/engine/queries/iam.js";
import { canAccessSecret, effectOf, secretsManagerActions, textOf } from "../src/iam/index.js";
import { GLOB_IGNORE_CASE, matchText } from "../src/iam/text.js";
import { FRESH, PROBE_NAMES } from "../src/iam/requests.js";

/** Whether an action glob covers every Secrets Manager action (and whether every action of every service). */
export function wildcardScope(action: string): "all" | "secretsmanager" | undefined {
  if (/^\*+(?::\*+)?$/.test(action)) return "all";
  // Only a glob can cover every action; and it must cover the service prefix.
  if (!/[*?]/.test(action) || matchText(action.split(":")[0] ?? "", "secretsmanager", GLOB_IGNORE_CASE) === "no") return undefined;
  const all = secretsManagerActions();
  return all.length > 0 && all.every((a) => matchText(action, a, GLOB_IGNORE_CASE) === "yes") ? "secretsmanager" : undefined;
}

/**
 * Whether the Denies of the statement's document take back the whole grant: every Secrets
 * Manager action denied on each resource the statement names, whatever the request.
 */
function takenBack(st: PolicyStatement, doc: PolicyDocument, resourcePolicy: boolean): boolean {
  if (resourcePolicy) return false; // a resource policy's Deny decides per caller: not judged here
  const denies = doc.statements.filter((d) => d !== st && effectOf(d) !== "Allow");
  if (denies.length === 0) return false;
  const alone: PolicyDocument = { ...doc, statements: [st, ...denies] };
  const items = (listItems(st.resources) ?? []).map((r) => textOf(r));
  const targets = items.length === 0 ? [`arn:aws:secretsmanager:us-east-1:${FRESH.account}:secret:${PROBE_NAMES[0]}`] : items.map((r) => (r === undefined || r === "*" ? `arn:aws:secretsmanager:us-east-1:${FRESH.account}:secret:${PROBE_NAMES[0]}` : r.replace(/\*/g, "x").replace(/\?/g, "x")));
  return targets.every((arn) => secretsManagerActions().every((a) => canAccessSecret([alone], { arn, tags: new Map() }, a).answer === "no"));
}

export default defineRule({
  id: "iam/wildcard-action",
  level: "error",
  securitySeverity: 8.0,
  tags: ["security", "iam", "secretsmanager", "least-privilege"],
  precision: "very-high",
  title: "Policy statement allows every action or every Secrets Manager action",
  description:
    "An Allow of `*` or of every Secrets Manager action (`secretsmanager:*`, `secretsmanager:?*`…) grants far more than reading a secret: deleting secrets, replacing their values, rewriting their resource policies. Integrations need `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret`, nothing more. Silent when a Deny of the same policy takes the whole grant back.",
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
      let action: string | undefined;
      let scope: "all" | "secretsmanager" | undefined;
      for (const a of actions) {
        if (typeof a !== "string") continue;
        scope = wildcardScope(a);
        if (scope) {
          action = a;
          break;
        }
      }
      if (action === undefined || scope === undefined) continue;
      const key = originKey(st.origin);
      if (seen.has(key)) continue;
      if (takenBack(st, ref.document, ref.kind === "secret")) continue;
      seen.add(key);
      const related: Array<{ origin: Origin; message: string }> = st.actions?.origin ? [{ origin: st.actions.origin, message: `the action \`${action}\`` }] : [];
      ctx.report({
        messageId: "wildcardAction",
        data: { action, what: scope === "secretsmanager" ? "Secrets Manager action" : "action of every service", policy: ref.holder },
        at: st.origin,
        related,
      });
    }
  },
});
