// secret/default-kms-key: a secret encrypted with the AWS managed key `aws/secretsmanager`
// instead of a customer-managed KMS key (Checkov CKV_AWS_149, Prowler secretsmanager_using_cmk).
// Off by default; a note under the `fsbp` preset.

import { defineRule } from "../src/engine/rule.js";
import { secretLabel } from "../src/engine/queries/iam.js";
import { usesDefaultKey } from "../src/engine/queries/compliance.js";

export default defineRule({
  id: "secret/default-kms-key",
  level: "off",
  presets: { fsbp: "note" },
  controls: [
    { framework: "checkov", id: "CKV_AWS_149" },
    { framework: "prowler", id: "secretsmanager_using_cmk" },
  ],
  securitySeverity: 2.0,
  tags: ["security", "secretsmanager", "kms", "compliance"],
  precision: "very-high",
  title: "Secret is encrypted with the AWS managed key, not a customer-managed KMS key",
  description:
    "A secret without `kms_key_id` (or with `alias/aws/secretsmanager`) is encrypted with the AWS managed key of the account. Its key policy cannot be changed: every principal of the account that may call Secrets Manager may use it, the secret cannot be shared with another account, and key use cannot be limited or audited per secret.",
  help: {
    why:
      "With a customer-managed key, reading the secret takes two grants: `secretsmanager:GetSecretValue` and `kms:Decrypt` on the key. The key policy is a second, independent control over who reads the secret, and key usage appears in CloudTrail per key. The AWS managed key `aws/secretsmanager` grants decryption to anyone the secret's own policies allow, and cannot be used by another account.",
    bad: `resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
}`,
    good: `resource "aws_kms_key" "secrets" {
  description         = "Secrets Manager secrets of prod"
  enable_key_rotation = true
}

resource "aws_secretsmanager_secret" "db" {
  name       = "prod/db"
  kms_key_id = aws_kms_key.secrets.arn
}`,
    fix: "Create a customer-managed KMS key (with rotation on) and set `kms_key_id` on the secret; give the readers `kms:Decrypt` on it. Changing the key re-encrypts new versions only: put a new version of the value afterwards.",
  },
  messages: {
    unset: "Secret `{secret}` has no `kms_key_id`: it is encrypted with the AWS managed key `aws/secretsmanager`; use a customer-managed KMS key",
    named: "Secret `{secret}` uses the AWS managed key `aws/secretsmanager` (`{key}`); use a customer-managed KMS key",
    live: "Secret `{secret}` is encrypted with the AWS managed key `aws/secretsmanager`; use a customer-managed KMS key",
  },
  check(ctx) {
    for (const secret of ctx.inventory.secrets) {
      const def = usesDefaultKey(secret.kmsKeyId);
      if (def === undefined) {
        ctx.undetermined(secret.id);
        continue;
      }
      ctx.evaluated(secret.id);
      if (!def) continue;
      const data = { secret: secretLabel(secret) };
      // Where `kms_key_id` is written (a null value too), else the resource; live, the ARN.
      const at = secret.kmsKeyId.origin ?? secret.origin;
      const set = typeof secret.kmsKeyId.value === "string" && secret.kmsKeyId.value !== "";
      if (set) ctx.report({ messageId: "named", data: { ...data, key: String(secret.kmsKeyId.value) }, at, resource: secret.id });
      else if (secret.origin.file) ctx.report({ messageId: "unset", data, at, resource: secret.id });
      else ctx.report({ messageId: "live", data, at, resource: secret.id });
    }
  },
});
