// secret/rotation-failing (live): rotation is on, but the last successful rotation is older
// than the secret's own schedule allows (AWS FSBP SecretsManager.2). Off by default; an
// error under the `fsbp` preset.
//
// Overdue when the service's `NextRotationDate` has passed by more than a day (the rotation
// window), or, without it, when the last rotation (else the last change, when rotation was
// turned on at the latest) is older than the schedule's longest interval plus a day. Secrets
// without rotation are not judged here (see secret/rotation-disabled).

import { defineRule } from "../src/engine/rule.js";
import { secretLabel } from "../src/engine/queries/iam.js";
import { DAY_MS, dayOf, daysText, observedAt, rotationInterval } from "../src/engine/queries/compliance.js";

/** The rotation window AWS allows past a due date before a rotation counts as missed. */
const GRACE_MS = DAY_MS;

export default defineRule({
  id: "secret/rotation-failing",
  level: "off",
  presets: { fsbp: "error" },
  controls: [{ framework: "fsbp", id: "SecretsManager.2" }],
  scope: "live",
  securitySeverity: 5.0,
  tags: ["security", "secretsmanager", "rotation", "reliability", "compliance"],
  precision: "high",
  title: "Secret rotation is on but has not succeeded on schedule",
  description:
    "Live: automatic rotation is enabled, yet the last successful rotation is older than the schedule allows: the announced `NextRotationDate` has passed, or `LastRotatedDate` is further back than the rotation interval. The rotation function is failing.",
  help: {
    why:
      "A failing rotation is worse than none: the schedule says the credential changes, so nobody rotates it by hand, while the same value stays in use. Failures also often leave a pending version (AWSPENDING) that a retry trips over. Security Hub's SecretsManager.2 fails these secrets.",
    bad: `# live: rotation every 30 days, last success 45 days ago
{ "Name": "prod/db", "RotationEnabled": true, "RotationRules": { "AutomaticallyAfterDays": 30 },
  "LastRotatedDate": "2025-11-05T…", "NextRotationDate": "2025-12-05T…" }`,
    good: `{ "Name": "prod/db", "RotationEnabled": true, "RotationRules": { "AutomaticallyAfterDays": 30 },
  "LastRotatedDate": "2025-12-05T…", "NextRotationDate": "2026-01-04T…" }`,
    fix: "Read the rotation function's CloudWatch logs (`/aws/lambda/<function>`): typical causes are a function that cannot reach the database or the Secrets Manager endpoint from its VPC, or lacks `kms:Decrypt`/`secretsmanager:PutSecretValue`. Then rotate once by hand (`aws secretsmanager rotate-secret`).",
  },
  messages: {
    missedDue: "Secret `{secret}` should have rotated by {due} and has not: last successful rotation {last}; the rotation function is failing",
    missedInterval: "Secret `{secret}` rotates every {interval} but last rotated successfully on {since} ({days} days ago); the rotation function is failing",
    neverRotated: "Secret `{secret}` rotates every {interval} but has not rotated successfully since it last changed on {since} ({days} days ago); the rotation function is failing",
  },
  check(ctx) {
    const now = observedAt(ctx.inventory);
    for (const secret of ctx.inventory.secrets) {
      const dates = secret.dates;
      if (!dates || secret.rotationEnabled !== true) continue;
      const data = { secret: secretLabel(secret), last: dates.lastRotated ? `on ${dayOf(dates.lastRotated)}` : "never" };
      const due = dates.nextRotation ? Date.parse(dates.nextRotation) : NaN;
      if (!Number.isNaN(due)) {
        ctx.evaluated(secret.id);
        if (now > due + GRACE_MS) ctx.report({ messageId: "missedDue", data: { ...data, due: dayOf(dates.nextRotation!) }, at: secret.origin, resource: secret.id });
        continue;
      }
      const interval = rotationInterval(secret.rotationRules);
      const since = Date.parse(dates.lastRotated ?? dates.lastChanged ?? "");
      if (!interval || Number.isNaN(since)) {
        ctx.undetermined(secret.id);
        continue;
      }
      ctx.evaluated(secret.id);
      if (now - since > interval.max * DAY_MS + GRACE_MS) {
        const days = Math.floor((now - since) / DAY_MS);
        ctx.report({
          messageId: dates.lastRotated ? "missedInterval" : "neverRotated",
          data: { secret: data.secret, interval: daysText(interval.max), since: dayOf(new Date(since).toISOString()), days },
          at: secret.origin,
          resource: secret.id,
        });
      }
    }
  },
});
