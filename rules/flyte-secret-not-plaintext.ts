// flyte/secret-not-plaintext: a flytekit `Secret(...)` request names an AWS Secrets Manager
// secret whose value is key/value (a JSON object). Union reads such secrets as plaintext
// only. The secret is matched the way AWS resolves the request's ARN (full, or partial
// without the 6-character suffix); silent when the value's shape is unknown, or when any
// secret the request may name is not known to be a JSON object.

import { defineRule } from "../src/engine/rule.js";
import { describeOrigin, secretLabel } from "../src/engine/queries/apono.js";
import { isAwsRequest, requestLabel, secretsRequested } from "../src/engine/queries/flyte.js";

export default defineRule({
  id: "flyte/secret-not-plaintext",
  level: "error",
  securitySeverity: 4.0,
  tags: ["flyte", "union", "aws", "secrets-manager", "correctness"],
  precision: "high",
  title: "A secret a flytekit task requests is key/value, not plaintext",
  description:
    "Union supports AWS Secrets Manager secrets stored as Plaintext only (\"Key/value is not supported\"). A flytekit `Secret` request " +
    "that names a secret whose value is a JSON object — known from a declared `secret_string` (`jsonencode({...})`), or live with " +
    "`--read-values` — does not get the value the task expects.",
  help: {
    why:
      "The task receives the secret as one opaque string (or not at all): code that expects a token gets a JSON document, and the failure " +
      "shows only when the task runs in the data plane.",
    bad: `resource "aws_secretsmanager_secret_version" "api" {
  secret_id     = aws_secretsmanager_secret.api.id
  secret_string = jsonencode({ token = var.api_token })
}

# task.py
# SECRET = union.Secret(group="arn:aws:secretsmanager:us-west-2:123456789012:secret:", key="flyte/api-AbC123")`,
    good: `resource "aws_secretsmanager_secret_version" "api" {
  secret_id     = aws_secretsmanager_secret.api.id
  secret_string = var.api_token
}`,
    fix: "Store the value as Plaintext (one secret per value): `secret_string = var.token`, not `jsonencode({...})`.",
  },
  messages: {
    keyValue:
      "{request} names secret `{secret}`, whose value is a JSON object (keys {keys}; set at {shapeAt}): Union reads AWS Secrets Manager secrets as plaintext only, so store the value as plaintext.",
  },
  check(ctx) {
    for (const r of ctx.inventory.flyteSecretRequests) {
      if (!isAwsRequest(r)) continue;
      const secrets = secretsRequested(ctx.inventory, r);
      if (secrets.length === 0 || !secrets.every((s) => s.shape.kind === "json-object")) continue;
      const s = secrets[0];
      const keys = s.shape.kind === "json-object" ? s.shape.keys : [];
      ctx.report({
        messageId: "keyValue",
        data: {
          request: requestLabel(r),
          secret: secretLabel(s),
          keys: keys.length > 0 ? keys.map((k) => `\`${k}\``).join(", ") : "none",
          shapeAt: describeOrigin(s.shape.origin ?? s.origin),
        },
        at: r.origin,
        related: [{ origin: s.shape.origin ?? s.origin, message: "the secret's value is a JSON object here" }],
      });
    }
  },
});
