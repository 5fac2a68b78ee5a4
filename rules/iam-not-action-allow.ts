// iam/not-action-allow: an Allow with NotAction or NotResource, which grants everything
// except what it lists — including whatever AWS adds later. The message says what the statement
// grants on secrets (from the service authorization data); a statement that grants no Secrets
// Manager action (`NotAction: secretsmanager:*`, or actions of other services with
// NotResource) or that names no secret is out of this tool's field: silent.

import { defineRule } from "../src/engine/rule.js";
import type { PolicyStatement } from "../src/inventory/model.js";
import { allStatements, display, isAllow, isPresent, listItems, originKey } from "../src/engine/queries/iam.js";
import { actionPart, elementItems, secretsManagerActions } from "../src/iam/index.js";
import { instance, splitArn } from "../src/iam/text.js";

/** The Secrets Manager actions a statement's Action/NotAction certainly grants. */
function secretActions(st: PolicyStatement): string[] {
  return secretsManagerActions().filter((a) => actionPart(st, a) === "yes");
}

/** Whether a Resource list may name a secret (`*`, a Secrets Manager ARN, or one with wildcards in the service); undefined when unknown. */
function namesSecrets(v: unknown): boolean | undefined {
  const items = elementItems(v as never);
  if (!items) return undefined;
  return items.some((item) => {
    if (item === undefined) return true;
    if (item === "*") return true;
    const f = splitArn(item);
    if (!f) return item.startsWith("arn:") ? true : false;
    return f[2].includes("*") || f[2].includes("?") || instance(f[2]).toLowerCase() === "secretsmanager";
  });
}

function listing(actions: string[]): string {
  const short = actions.map((a) => a.replace(/^secretsmanager:/, ""));
  if (short.length === secretsManagerActions().length) return "every Secrets Manager action";
  const shown = short.slice(0, 4).map((a) => `\`${a}\``).join(", ");
  return short.length > 4 ? `${short.length} Secrets Manager actions (${shown}…)` : `Secrets Manager ${short.length === 1 ? "action" : "actions"} ${shown}`;
}

export default defineRule({
  id: "iam/not-action-allow",
  level: "warning",
  securitySeverity: 6.0,
  tags: ["security", "iam", "least-privilege"],
  precision: "very-high",
  title: "Policy statement allows with NotAction or NotResource",
  description:
    "An Allow with `NotAction` grants every action except those listed (secret reads included, and every action AWS adds later); an Allow with `NotResource` grants on every resource except those listed. Either is almost always broader than intended. The message says which Secrets Manager actions the statement grants; a statement that grants none (`NotAction: secretsmanager:*`) is left alone.",
  help: {
    why:
      "`Effect = \"Allow\"` with `NotAction = [\"iam:*\"]` reads as \"no IAM\" but grants `secretsmanager:GetSecretValue` on everything, and every action of every service AWS launches later. `NotResource` does the same for resources: every secret but the one named.",
    bad: `resource "aws_iam_role_policy" "runtime" {
  name = "runtime"
  role = aws_iam_role.runtime.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      NotAction = ["iam:*", "organizations:*"]
      Resource  = "*"
    }]
  })
}`,
    good: `resource "aws_iam_role_policy" "runtime" {
  name = "runtime"
  role = aws_iam_role.runtime.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      Resource = aws_secretsmanager_secret.api_key.arn
    }]
  })
}`,
    fix: "Allow the actions and resources needed with `Action` and `Resource`; keep `NotAction`/`NotResource` for `Deny` statements.",
  },
  messages: {
    notAction: "The statement allows every action except `{list}` (`NotAction` with `Effect = \"Allow\"`): {granted} on {resources}, and every action AWS adds later, in {policy}",
    notResource: "The statement allows {granted} on every resource except `{list}` (`NotResource` with `Effect = \"Allow\"`): every other secret, in {policy}",
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const ref of allStatements(ctx.inventory)) {
      const st = ref.statement;
      if (!isAllow(st)) continue;
      const notAction = isPresent(st.notActions) === true;
      const notResource = isPresent(st.notResources) === true;
      if (!notAction && !notResource) continue;
      if (st.resources && st.notResources) continue; // AWS rejects it: iam/invalid-policy-document's
      const granted = secretActions(st);
      if (granted.length === 0) continue; // no Secrets Manager action (or not known which)
      if (notAction && !notResource && st.resources && namesSecrets(st.resources.value) !== true) continue;
      const key = originKey(st.origin);
      if (seen.has(key)) continue;
      seen.add(key);
      if (notAction) {
        const list = (listItems(st.notActions) ?? []).map(display).join("`, `");
        const resources = notResource ? "every resource but those `NotResource` lists" : (listItems(st.resources) ?? []).map((r) => `\`${display(r)}\``).join(", ") || "`*`";
        ctx.report({ messageId: "notAction", data: { list, granted: listing(granted), resources, policy: ref.holder }, at: st.origin });
      } else {
        const list = (listItems(st.notResources) ?? []).map(display).join("`, `");
        ctx.report({ messageId: "notResource", data: { list, granted: listing(granted), policy: ref.holder }, at: st.origin });
      }
    }
  },
});
