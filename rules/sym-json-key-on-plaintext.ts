// sym/json-key-on-plaintext: a `sym_secret` sets `settings.json_key`, but the secret it reads
// holds a value that is not a JSON object (plain text, a JSON array or scalar, binary).

import { defineRule } from "../src/engine/rule.js";
import type { Secret, ValueShape } from "../src/inventory/model.js";
import { secretLabel, secretsReadBy, where } from "../src/engine/queries/sym.js";

const NOT_AN_OBJECT: Partial<Record<ValueShape["kind"], string>> = {
  plain: "a plain (non-JSON) value",
  "json-other": "JSON that is not an object",
  binary: "a binary value (secret_binary), not a JSON string",
};

export default defineRule({
  id: "sym/json-key-on-plaintext",
  level: "error",
  securitySeverity: 5.0,
  tags: ["sym", "correctness", "aws-secrets-manager"],
  precision: "very-high",
  title: "A sym_secret sets json_key on a secret whose value is not a JSON object",
  description:
    "`settings.json_key` tells the Sym runtime to parse the secret's value as a JSON object and read one key. When the secret holds a plain string (or JSON that is not an object, or a binary value), parsing fails at run time and the integration that needs the secret breaks.",
  help: {
    why: "Sym parses the secret as JSON only when `json_key` is set. A plain API key stored as-is cannot be parsed, so the flow fails when access is requested. Without `json_key`, Sym uses the value directly.",
    bad: `resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id     = aws_secretsmanager_secret.api_key.id
  secret_string = var.api_key
}

resource "sym_secret" "api_key" {
  source_id = sym_secrets.this.id
  path      = aws_secretsmanager_secret.api_key.name
  settings = {
    json_key = "api_key"
  }
}`,
    good: `resource "sym_secret" "api_key" {
  source_id = sym_secrets.this.id
  path      = aws_secretsmanager_secret.api_key.name
}`,
    fix: "Remove `json_key` to use the plain value as it is, or store the value as a JSON object holding that key.",
  },
  messages: {
    notObject:
      "{symSecret} sets `json_key` \"{key}\", but secret {secret} holds {shape} (set at {valueAt}): Sym cannot read a key from it. Remove `json_key` or store a JSON object.",
  },
  check(ctx) {
    for (const s of ctx.inventory.symSecrets) {
      const key = s.jsonKey?.value;
      if (typeof key !== "string") continue;
      const reads = secretsReadBy(ctx.inventory, s);
      if (!reads.certain || reads.secrets.length === 0) continue;
      const notObject = (x: Secret) => NOT_AN_OBJECT[x.shape.kind] !== undefined;
      if (!reads.secrets.every(notObject)) continue;
      const secret = reads.secrets[0];
      const valueAt = secret.shape.origin ?? secret.origin;
      ctx.report({
        messageId: "notObject",
        data: {
          symSecret: s.id,
          key,
          secret: secretLabel(secret),
          shape: NOT_AN_OBJECT[secret.shape.kind] as string,
          valueAt: where(valueAt),
        },
        at: s.jsonKey?.origin ?? s.origin,
        related: [{ origin: valueAt, message: `The value of ${secretLabel(secret)} is set here` }],
      });
    }
  },
});
