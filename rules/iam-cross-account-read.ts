// iam/cross-account-read (note): a secret's resource policy lets principals of another, named
// account read the secret (`secretsmanager:GetSecretValue`), as the IAM evaluator decides it
// (src/iam, through engine/queries/readers.ts): say which account, and who in it.
//
// The secret's own account must be known (live, a plan, or a provider with one allowed
// account): in code it is usually not, and a named account may then be the secret's own, so
// the rule stays silent. Any-account grants are iam/secret-policy-public's.

import { defineRule } from "../src/engine/rule.js";
import type { Origin } from "../src/inventory/model.js";
import { secretLabel } from "../src/engine/queries/iam.js";
import { usesDefaultKey } from "../src/engine/queries/compliance.js";
import { ownAccount, resourcePolicyReaders } from "../src/engine/queries/readers.js";

export default defineRule({
  id: "iam/cross-account-read",
  level: "note",
  securitySeverity: 4.0,
  tags: ["security", "iam", "secretsmanager", "resource-policy", "cross-account"],
  precision: "high",
  title: "Secret resource policy lets another account read the secret",
  description:
    "The secret's resource policy allows `secretsmanager:GetSecretValue` to principals of another AWS account, named in its `Principal` (an account id, its root, or a role or user ARN), as AWS evaluates the policy (conditions and Deny statements included). A note: sharing a secret with a partner or a tooling account is often intended, but it should be known.",
  help: {
    why:
      "Whoever the other account lets act for it can read the secret: its own identity policies, not yours, decide who. An account id or `:root` in `Principal` means every principal of that account its administrators allow. Audits ask for the list of secrets shared outside the account, and with whom.",
    bad: `provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_secretsmanager_secret_policy" "api_key" {
  secret_arn = aws_secretsmanager_secret.api_key.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::444455556666:root" }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  })
}`,
    good: `# Name the one role that needs it, and keep the grant in the reviewed list of shared secrets:
Principal = { AWS = "arn:aws:iam::444455556666:role/partner-reader" }
# then: secretlint:ignore iam/cross-account-read -- shared with the partner's reader, ticket SEC-123`,
    fix: "If the sharing is intended, name the single role that needs the secret rather than the account, and suppress the note with the reason. If not, remove the statement. Cross-account reads also need a customer-managed KMS key whose key policy lets that account decrypt.",
  },
  messages: {
    shared: "The resource policy of secret `{secret}` lets {who} read it (`secretsmanager:GetSecretValue`){kms}",
  },
  check(ctx) {
    for (const secret of ctx.inventory.secrets) {
      if (!secret.resourcePolicy) continue;
      const own = ownAccount(secret);
      const { readers, incomplete } = resourcePolicyReaders(secret);
      const foreign = readers.filter((r) => r.account !== undefined && r.account !== own);
      if (own === undefined) {
        if (foreign.length > 0 || incomplete) ctx.undetermined(secret.id);
        continue;
      }
      if (foreign.length === 0) {
        if (incomplete) ctx.undetermined(secret.id);
        else ctx.evaluated(secret.id);
        continue;
      }
      const kms =
        usesDefaultKey(secret.kmsKeyId) === true
          ? " — though with the AWS managed key `aws/secretsmanager` it cannot decrypt it: another account needs a customer-managed key"
          : "";
      for (const r of foreign) {
        const who = r.label.startsWith("account") ? `${r.label} (any principal that account allows)` : `${r.label} (account ${r.account})`;
        const related: Array<{ origin: Origin; message: string }> = [{ origin: secret.origin, message: `secret \`${secretLabel(secret)}\`` }];
        ctx.report({ messageId: "shared", data: { secret: secretLabel(secret), who, kms }, at: r.statement.origin ?? secret.origin, related, resource: secret.id });
      }
    }
  },
});
