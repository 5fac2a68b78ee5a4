// secret/rotation-overdue (live): a secret last rotated longer ago than
// `rotation.maxDaysSinceRotation` days (default 90), or never rotated and older than that
// (AWS FSBP SecretsManager.4, Prowler secretsmanager_secret_rotated_periodically). Off by
// default. Days count from when the account was read (a snapshot's `createdAt`).

import { defineRule } from "../src/engine/rule.js";
import { secretLabel } from "../src/engine/queries/iam.js";
import { dayOf, daysSince, observedAt } from "../src/engine/queries/compliance.js";

export default defineRule({
  id: "secret/rotation-overdue",
  level: "off",
  presets: { fsbp: "warning" },
  controls: [
    { framework: "fsbp", id: "SecretsManager.4" },
    { framework: "prowler", id: "secretsmanager_secret_rotated_periodically" },
  ],
  scope: "live",
  securitySeverity: 4.0,
  tags: ["security", "secretsmanager", "rotation", "compliance"],
  precision: "very-high",
  title: "Secret not rotated within the configured number of days",
  description:
    "Live: the secret's last rotation (`LastRotatedDate`) is older than `rotation.maxDaysSinceRotation` days (default 90), or it was never rotated and was created longer ago than that.",
  help: {
    why:
      "The longer a credential stays the same, the longer a leaked copy works. Security Hub's SecretsManager.4 fails a secret not rotated in 90 days (its `maxDaysSinceRotation`); this is the same test, on the dates `ListSecrets` returns.",
    bad: `# live: aws secretsmanager list-secrets
{ "Name": "prod/db", "CreatedDate": "2025-01-10T…", "LastRotatedDate": "2025-06-01T…" }   # 200 days ago`,
    good: `{ "Name": "prod/db", "RotationEnabled": true, "RotationRules": { "AutomaticallyAfterDays": 30 },
  "LastRotatedDate": "2025-12-01T…" }   # 20 days ago`,
    fix: "Turn on automatic rotation (see `secret/rotation-disabled`) or rotate the secret now (`aws secretsmanager rotate-secret`), and make sure rotation succeeds (`secret/rotation-failing`).",
  },
  messages: {
    overdue: "Secret `{secret}` was last rotated {days} days ago ({date}), more than {max} days ago (`rotation.maxDaysSinceRotation`)",
    never: "Secret `{secret}` has never been rotated since it was created {days} days ago ({date}), more than {max} days ago (`rotation.maxDaysSinceRotation`)",
  },
  check(ctx) {
    const now = observedAt(ctx.inventory);
    const max = ctx.settings.maxDaysSinceRotation;
    for (const secret of ctx.inventory.secrets) {
      const dates = secret.dates;
      if (!dates) continue; // Terraform only: the dates are the account's.
      const data = { secret: secretLabel(secret), max };
      const rotated = daysSince(dates.lastRotated, now);
      if (rotated !== undefined) {
        ctx.evaluated(secret.id);
        if (rotated > max) ctx.report({ messageId: "overdue", data: { ...data, days: rotated, date: dayOf(dates.lastRotated!) }, at: secret.origin, resource: secret.id });
        continue;
      }
      const created = daysSince(dates.created, now);
      if (created === undefined) {
        ctx.undetermined(secret.id);
        continue;
      }
      ctx.evaluated(secret.id);
      if (created > max) ctx.report({ messageId: "never", data: { ...data, days: created, date: dayOf(dates.created!) }, at: secret.origin, resource: secret.id });
    }
  },
});
