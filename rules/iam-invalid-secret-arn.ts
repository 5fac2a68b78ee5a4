// iam/invalid-secret-arn: a malformed Secrets Manager ARN in a policy Resource or in an
// integration's secret id (Apono, Sym): wrong partition, service, region or account format,
// no `secret:` resource. Placeholders (`<Region>`) are secret/placeholder-value's, not ours.

import { defineRule } from "../src/engine/rule.js";
import type { Located } from "../src/inventory/model.js";
import { allStatements, display, listItems } from "../src/engine/queries/iam.js";
import { PARTITION, REGION, ACCOUNT, checkSecretArn } from "../src/engine/queries/arns.js";

export default defineRule({
  id: "iam/invalid-secret-arn",
  level: "error",
  securitySeverity: 3.0,
  tags: ["correctness", "iam", "secretsmanager"],
  precision: "high",
  title: "Malformed Secrets Manager ARN",
  description:
    "A Secrets Manager ARN in a policy Resource or an integration's secret id that cannot name a secret: the partition, service, region or account is malformed, the `secret:` resource part is missing, or (in a policy) a full ARN lacks the 6 random characters Secrets Manager appends to every secret ARN.",
  help: {
    why:
      "IAM compares Resource ARNs as text, and integrations pass their secret id to `GetSecretValue` as written. A typo in the service (`secretmanager`), an 11-digit account or a region like `us-east1` makes a policy that matches nothing and an integration that fails at run time with AccessDenied or ResourceNotFound.",
    bad: `data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretmanager:us-east1:11112222333:secret:sym/prod/api-key-??????"]
  }
}`,
    good: `data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:us-east-1:111122223333:secret:sym/prod/api-key-??????"]
  }
}`,
    fix: "Write the ARN as `arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX` (in policies, `NAME-??????`), or refer to the secret resource's `arn` attribute.",
  },
  messages: {
    malformed: "Malformed Secrets Manager ARN `{arn}` in {where}: {problems}",
    noSuffix:
      "`{arn}` in {where} matches no secret: every secret ARN ends in `-` and 6 random characters, and IAM matches the whole ARN (use `{suggestion}` or the full ARN)",
  },
  check(ctx) {
    const check = (loc: Located | undefined, where: string, inPolicy: boolean) => {
      if (!loc?.origin) return;
      for (const item of listItems(loc) ?? []) {
        const result = checkSecretArn(item);
        if (!result) continue;
        if (result.problems.length > 0) {
          ctx.report({ messageId: "malformed", data: { arn: display(item), where, problems: result.problems.join("; ") }, at: loc.origin });
        } else if (inPolicy && result.noSuffix) {
          ctx.report({ messageId: "noSuffix", data: { arn: display(item), where, suggestion: result.noSuffix.suggestion }, at: loc.origin });
        }
      }
    };
    for (const ref of allStatements(ctx.inventory)) {
      check(ref.statement.resources, `a Resource of ${ref.holder}`, true);
      check(ref.statement.notResources, `a NotResource of ${ref.holder}`, true);
    }
    for (const a of ctx.inventory.aponoSecretRefs) check(a.secretId, "an Apono integration's secret id", false);
    for (const s of ctx.inventory.symSecrets) check(s.path, "a `sym_secret` path", false);
  },
});
