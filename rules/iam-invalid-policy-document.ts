// iam/invalid-policy-document: a policy document AWS rejects (MalformedPolicyDocument), at the
// place of the fault: JSON that does not parse (a trailing comma in a heredoc), a statement
// without `Effect`, a `Resource` that is neither `*` nor an ARN, and the other faults
// src/iam/validate.ts lists. Such a document is otherwise silently empty: the apply fails, and
// no other rule can judge what it grants.

import { defineRule } from "../src/engine/rule.js";
import type { PolicyDocument } from "../src/inventory/model.js";
import { originKey, policyLabel, secretLabel } from "../src/engine/queries/iam.js";
import { documentProblems } from "../src/iam/validate.js";

export default defineRule({
  id: "iam/invalid-policy-document",
  level: "error",
  securitySeverity: 4.0,
  tags: ["correctness", "iam"],
  precision: "very-high",
  title: "Policy document AWS rejects",
  description:
    "A policy document that AWS refuses with MalformedPolicyDocument: JSON that does not parse (a trailing comma or a comment in a heredoc), a statement without `Effect` or with neither `Action` nor `NotAction`, a `Resource` that is neither `*` nor an ARN, an unknown condition operator, an unknown `Version`.",
  help: {
    why:
      "`terraform plan` accepts the document and `apply` fails with MalformedPolicyDocument, often in a later pipeline stage. Meanwhile nothing can tell what the policy would grant.",
    bad: `resource "aws_iam_policy" "read" {
  name   = "read"
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "secretsmanager:GetSecretValue",
    "Resource": "secret:sym/*",
  }]
}
POLICY
}`,
    good: `resource "aws_iam_policy" "read" {
  name = "read"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = "arn:aws:secretsmanager:us-east-1:111122223333:secret:sym/*"
    }]
  })
}`,
    fix: "Write the document with `jsonencode({...})` or an `aws_iam_policy_document` data source (Terraform then writes valid JSON), and give each statement an `Effect`, an `Action` and ARNs in `Resource`.",
  },
  messages: {
    invalid: "AWS rejects {holder}: {problem}",
  },
  check(ctx) {
    const seen = new Set<string>();
    const report = (holder: string, doc: PolicyDocument, identity: boolean) => {
      for (const p of documentProblems(doc, identity)) {
        const key = `${originKey(p.origin)}|${p.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        ctx.report({ messageId: "invalid", data: { holder, problem: p.message }, at: p.origin });
      }
    };
    for (const p of ctx.inventory.iamPolicies) {
      if (p.kind === "aws-managed" || p.kind === "module") continue;
      // A policy document data source nothing uses may be a trust or resource policy.
      report(policyLabel(p), p.document, p.kind !== "document");
    }
    for (const s of ctx.inventory.secrets) if (s.resourcePolicy) report(`the resource policy of secret \`${secretLabel(s)}\``, s.resourcePolicy, false);
  },
});
