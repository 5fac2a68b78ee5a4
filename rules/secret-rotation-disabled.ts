// secret/rotation-disabled: no automatic rotation (AWS FSBP SecretsManager.1, Checkov
// CKV2_AWS_57), or, with `rotation.maxIntervalDays`, a schedule that rotates less often than
// that (FSBP's maximumAllowedRotationFrequency, Checkov CKV_AWS_304). Off by default.
//
// In Terraform, rotation is on when an `aws_secretsmanager_secret_rotation` of the scan names
// the secret; a rotation resource whose secret cannot be known makes every secret of its root
// module unknown, not "off". Live, the service's `RotationEnabled`.

import { defineRule } from "../src/engine/rule.js";
import { secretLabel } from "../src/engine/queries/iam.js";
import { daysText, rotationInterval } from "../src/engine/queries/compliance.js";

export default defineRule({
  id: "secret/rotation-disabled",
  level: "off",
  presets: { fsbp: "warning" },
  controls: [
    { framework: "fsbp", id: "SecretsManager.1" },
    { framework: "checkov", id: "CKV2_AWS_57" },
    { framework: "checkov", id: "CKV_AWS_304" },
    { framework: "prowler", id: "secretsmanager_automatic_rotation_enabled" },
  ],
  securitySeverity: 4.0,
  tags: ["security", "secretsmanager", "rotation", "compliance"],
  precision: "high",
  title: "Secret has no automatic rotation (or rotates too rarely)",
  description:
    "A secret without automatic rotation keeps the same credential until someone changes it by hand. With `rotation.maxIntervalDays` configured, a rotation schedule longer than that also fails, as Security Hub's `maximumAllowedRotationFrequency` does.",
  help: {
    why:
      "A long-lived credential that leaks (a log line, a laptop, a former employee) stays usable until it changes. Automatic rotation limits how long a leaked value works. Security Hub (FSBP SecretsManager.1) and Checkov (CKV2_AWS_57) both require it; organisations often also set a maximum interval (Checkov CKV_AWS_304: 90 days).",
    bad: `resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
}`,
    good: `resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = aws_lambda_function.rotate_db.arn

  rotation_rules {
    automatically_after_days = 30
  }
}`,
    fix: "Add an `aws_secretsmanager_secret_rotation` with a rotation function (or use a managed rotation, e.g. RDS `manage_master_user_password`). For a credential that cannot rotate (a third-party API token issued once), suppress the finding with the reason.",
  },
  messages: {
    noRotation: "Secret `{secret}` has no automatic rotation: no `aws_secretsmanager_secret_rotation` refers to it",
    liveOff: "Secret `{secret}` has no automatic rotation",
    tooRare: "Secret `{secret}` rotates {schedule}, less often than every {max} (`rotation.maxIntervalDays`)",
  },
  check(ctx) {
    const max = ctx.settings.rotationMaxIntervalDays;
    for (const secret of ctx.inventory.secrets) {
      const data = { secret: secretLabel(secret) };
      if (secret.rotationEnabled === undefined) {
        ctx.undetermined(secret.id);
        continue;
      }
      if (!secret.rotationEnabled) {
        ctx.report({ messageId: secret.origin.aws ? "liveOff" : "noRotation", data, at: secret.origin, resource: secret.id });
        continue;
      }
      if (max === undefined) {
        ctx.evaluated(secret.id);
        continue;
      }
      const interval = rotationInterval(secret.rotationRules);
      if (!interval || (interval.min <= max && interval.max > max)) {
        ctx.undetermined(secret.id);
        continue;
      }
      ctx.evaluated(secret.id);
      if (interval.min > max) {
        ctx.report({
          messageId: "tooRare",
          data: { ...data, schedule: interval.text.startsWith("automatically") ? interval.text : `on \`${interval.text}\``, max: daysText(max) },
          at: interval.origin ?? secret.rotationRules?.origin ?? secret.origin,
          resource: secret.id,
        });
      }
    }
  },
});
