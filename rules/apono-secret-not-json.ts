// apono/secret-not-json: a secret Apono reads holds a value that is not a JSON object of
// credentials (known from a declared `secret_string`, or live with `--read-values`).

import { defineRule } from "../src/engine/rule.js";
import type { ValueShape } from "../src/inventory/model.js";
import { aponoReadSecrets, readerRelated, readersLabel, secretLabel } from "../src/engine/queries/apono.js";

const SHAPES: Partial<Record<ValueShape["kind"], string>> = {
  plain: "plain text",
  "json-other": "JSON that is not an object (an array, a string or a number)",
  binary: "a binary value (`secret_binary`)",
};

export default defineRule({
  id: "apono/secret-not-json",
  level: "warning",
  securitySeverity: 3.0,
  tags: ["apono", "aws", "secrets-manager", "correctness"],
  precision: "high",
  title: "A secret Apono reads is not a JSON object of credentials",
  description:
    "Apono's connector expects the secret it reads to be a JSON object of credentials (`{\"username\": …, \"password\": …}`, as its setup guide's " +
    "`jsonencode({ KEY1 = …, KEY2 = … })`). Fires when the value's shape is known (a declared `secret_string` or `secret_binary`, or the live " +
    "value read with `--read-values`) and is plain text, binary, or JSON other than an object. Silent when the shape is unknown.",
  help: {
    why:
      "The connector parses the secret as key/value credentials. A plain password or a JSON array cannot be parsed that way, " +
      "and the integration fails to connect when it first uses the secret.",
    bad: `resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id # read by an apono_integration
  secret_string = "postgres://\${var.db_username}:\${var.db_password}@db.internal:5432/app"
}`,
    good: `resource "aws_secretsmanager_secret_version" "db" {
  secret_id = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({
    username = var.db_username
    password = var.db_password
  })
}`,
    fix: "Store the credentials as a JSON object with one key per credential (for example `username` and `password`).",
  },
  messages: {
    notJson: "Secret `{secret}` holds {shape}, but {reader} reads it: Apono expects a JSON object of credentials.",
  },
  check(ctx) {
    for (const { secret, readers } of aponoReadSecrets(ctx.inventory, ctx.settings)) {
      const shape = SHAPES[secret.shape.kind];
      if (shape === undefined) continue; // a JSON object, or unknown
      ctx.report({
        messageId: "notJson",
        data: { secret: secretLabel(secret), shape, reader: readersLabel(readers) },
        at: secret.shape.origin ?? secret.origin,
        related: readerRelated(readers),
      });
    }
  },
});
