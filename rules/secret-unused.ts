// secret/unused (live): a secret not read for `unused.unusedForDays` days (default 90), or
// never read and older than that (AWS FSBP SecretsManager.3, Prowler secretsmanager_secret_unused).
// Off by default. `LastAccessedDate` is a day (the service truncates it); days count from when
// the account was read.

import { defineRule } from "../src/engine/rule.js";
import { secretLabel } from "../src/engine/queries/iam.js";
import { dayOf, daysSince, observedAt } from "../src/engine/queries/compliance.js";

export default defineRule({
  id: "secret/unused",
  level: "off",
  presets: { fsbp: "warning" },
  controls: [
    { framework: "fsbp", id: "SecretsManager.3" },
    { framework: "prowler", id: "secretsmanager_secret_unused" },
  ],
  scope: "live",
  securitySeverity: 3.0,
  tags: ["security", "secretsmanager", "hygiene", "compliance"],
  precision: "high",
  title: "Secret not read within the configured number of days",
  description:
    "Live: nothing has read the secret in its region (`LastAccessedDate`) for more than `unused.unusedForDays` days (default 90), or nothing ever has and it was created longer ago than that.",
  help: {
    why:
      "An unused secret is a credential nobody needs that someone may still hold: former users, old deployments, a leaked copy. Deleting it revokes that access and its monthly cost. Security Hub's SecretsManager.3 fails secrets unused for 90 days.",
    bad: `# live: aws secretsmanager list-secrets
{ "Name": "legacy/api-key", "CreatedDate": "2024-02-01T…" }   # no LastAccessedDate: never read`,
    good: `{ "Name": "prod/api-key", "LastAccessedDate": "2025-12-20T00:00:00Z" }   # read this week`,
    fix: "Find out who should use it; if no one, delete it (`aws secretsmanager delete-secret`, with a recovery window). A secret read only in an emergency (break-glass) can be suppressed with the reason.",
  },
  messages: {
    stale: "Secret `{secret}` was last read {days} days ago ({date}), more than {max} days ago (`unused.unusedForDays`)",
    never: "Secret `{secret}` has never been read since it was created {days} days ago ({date}), more than {max} days ago (`unused.unusedForDays`)",
  },
  check(ctx) {
    const now = observedAt(ctx.inventory);
    const max = ctx.settings.unusedForDays;
    for (const secret of ctx.inventory.secrets) {
      const dates = secret.dates;
      if (!dates) continue; // Terraform only: the dates are the account's.
      const data = { secret: secretLabel(secret), max };
      const read = daysSince(dates.lastAccessed, now);
      if (read !== undefined) {
        ctx.evaluated(secret.id);
        if (read > max) ctx.report({ messageId: "stale", data: { ...data, days: read, date: dayOf(dates.lastAccessed!) }, at: secret.origin, resource: secret.id });
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
