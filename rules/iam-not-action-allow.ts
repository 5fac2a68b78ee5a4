// iam/not-action-allow: an Allow with NotAction or NotResource, which grants everything
// except what it lists — including whatever AWS adds later.

import { defineRule } from "../src/engine/rule.js";
import { allStatements, display, isAllow, isPresent, listItems, originKey } from "../src/engine/queries/iam.js";

export default defineRule({
  id: "iam/not-action-allow",
  level: "warning",
  securitySeverity: 6.0,
  tags: ["security", "iam", "least-privilege"],
  precision: "very-high",
  title: "Policy statement allows with NotAction or NotResource",
  description:
    "An Allow with `NotAction` grants every action except those listed (secret reads included, and every action AWS adds later); an Allow with `NotResource` grants on every resource except those listed. Either is almost always broader than intended.",
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
    notAction: "The statement allows every action except `{list}` (`NotAction` with `Effect = \"Allow\"`), secret reads included, in {policy}",
    notResource: "The statement allows on every resource except `{list}` (`NotResource` with `Effect = \"Allow\"`), in {policy}",
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const ref of allStatements(ctx.inventory)) {
      const st = ref.statement;
      if (!isAllow(st)) continue;
      const notAction = isPresent(st.notActions) === true;
      const notResource = isPresent(st.notResources) === true;
      if (!notAction && !notResource) continue;
      const key = originKey(st.origin);
      if (seen.has(key)) continue;
      seen.add(key);
      const loc = notAction ? st.notActions : st.notResources;
      const list = (listItems(loc) ?? []).map(display).join("`, `");
      ctx.report({ messageId: notAction ? "notAction" : "notResource", data: { list, policy: ref.holder }, at: st.origin });
    }
  },
});
