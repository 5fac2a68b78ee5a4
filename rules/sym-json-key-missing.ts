// sym/json-key-missing: `settings.json_key` of a `sym_secret` is not a top-level key of the
// JSON object the secret holds (known from a declared `secret_string`, or live with
// `--read-values`). Only key names are ever shown, never values.

import { defineRule } from "../src/engine/rule.js";
import type { Secret } from "../src/inventory/model.js";
import { listing, secretLabel, secretsReadBy, where } from "../src/engine/queries/sym.js";

export default defineRule({
  id: "sym/json-key-missing",
  level: "error",
  securitySeverity: 5.0,
  tags: ["sym", "correctness", "aws-secrets-manager"],
  precision: "very-high",
  title: "A sym_secret's json_key is not a key of the secret's JSON",
  description:
    "When a `sym_secret` sets `settings.json_key`, the Sym runtime parses the secret's value as a JSON object and reads that top-level key. If the secret's JSON (as declared in `secret_string`, or as read from the account with `--read-values`) has no such key, every request that needs the secret fails at run time.",
  help: {
    why: "Sym extracts `json_key` from the secret's JSON object when it runs a flow. A key the JSON does not have (a typo, `user` for `username`, a renamed field) is not detected at apply time: the integration fails when someone requests access.",
    bad: `resource "aws_secretsmanager_secret_version" "bot" {
  secret_id = aws_secretsmanager_secret.bot.id
  secret_string = jsonencode({
    username = var.bot_username
    password = var.bot_password
  })
}

resource "sym_secret" "bot_username" {
  source_id = sym_secrets.this.id
  path      = aws_secretsmanager_secret.bot.name
  settings = {
    json_key = "user"
  }
}`,
    good: `resource "sym_secret" "bot_username" {
  source_id = sym_secrets.this.id
  path      = aws_secretsmanager_secret.bot.name
  settings = {
    json_key = "username"
  }
}`,
    fix: "Set `json_key` to one of the keys the secret's JSON has, or add the key to the secret's value.",
  },
  messages: {
    missing:
      "{symSecret} reads `json_key` \"{key}\" from secret {secret}, but the secret's JSON (set at {valueAt}) has no such top-level key; its keys are {keys}.",
    missingNoKeys:
      "{symSecret} reads `json_key` \"{key}\" from secret {secret}, but the secret's JSON (set at {valueAt}) is an empty object.",
  },
  check(ctx) {
    for (const s of ctx.inventory.symSecrets) {
      const key = s.jsonKey?.value;
      if (typeof key !== "string") continue;
      const reads = secretsReadBy(ctx.inventory, s);
      if (!reads.certain || reads.secrets.length === 0) continue;
      const lacks = (x: Secret) => x.shape.kind === "json-object" && !x.shape.keys.includes(key);
      if (!reads.secrets.every(lacks)) continue;
      const secret = reads.secrets[0];
      if (secret.shape.kind !== "json-object") continue;
      const keys = secret.shape.keys;
      const valueAt = secret.shape.origin ?? secret.origin;
      ctx.report({
        messageId: keys.length > 0 ? "missing" : "missingNoKeys",
        data: {
          symSecret: s.id,
          key,
          secret: secretLabel(secret),
          valueAt: where(valueAt),
          keys: listing(keys.map((k) => `"${k}"`)),
        },
        at: s.jsonKey?.origin ?? s.origin,
        related: [{ origin: valueAt, message: `The value of ${secretLabel(secret)} is set here` }],
      });
    }
  },
});
