// apono/read-tag-value: the `apono-connector-read` tag is there, but its value is not exactly
// "true", so the connector's policy condition does not match.

import { defineRule } from "../src/engine/rule.js";
import { tagFix } from "../src/engine/fix.js";
import { Unknown, knownPrefix, knownSuffix, isObject, type Value } from "../src/terraform/values.js";
import { APONO_TAG, aponoReadSecrets, readerRelated, readersLabel, secretLabel } from "../src/engine/queries/apono.js";

/**
 * The tag's value as AWS stores it, when it is known and is not "true"; undefined when it is
 * "true" or cannot be decided. Tags are `map(string)`: Terraform converts a bool `true` to
 * "true" (fine) and a number to its text. A partly known template decides only when its known
 * text rules "true" out (`"${var.env}-true"`). Null, lists and objects are left alone
 * (Terraform itself rejects the latter two).
 */
function wrongValue(v: Value | undefined): string | undefined {
  if (typeof v === "string") return v === "true" ? undefined : JSON.stringify(v);
  if (typeof v === "boolean") return v ? undefined : '"false"';
  if (typeof v === "number") return JSON.stringify(String(v));
  if (v instanceof Unknown && v.template) {
    const prefix = knownPrefix(v);
    const suffix = knownSuffix(v);
    if ("true".startsWith(prefix) && "true".endsWith(suffix) && prefix.length + suffix.length <= 4) return undefined;
    const shown = v.template.map((p) => (typeof p === "string" ? p : "${…}")).join("");
    return JSON.stringify(shown);
  }
  return undefined;
}

export default defineRule({
  id: "apono/read-tag-value",
  level: "error",
  securitySeverity: 7.0,
  tags: ["apono", "aws", "secrets-manager", "tags", "security"],
  precision: "high",
  title: "The apono-connector-read tag of a secret Apono reads is not \"true\"",
  description:
    "The Apono connector's IAM policy matches the tag `apono-connector-read` with the exact, case-sensitive value `\"true\"`. " +
    "Any other value (`\"True\"`, `\"yes\"`, `\"1\"`, `false`) on a secret an Apono integration reads means AccessDenied at run time. " +
    "A bool `true` in HCL is fine: tags are strings and Terraform stores it as `\"true\"`. Silent when the value is unknown.",
  help: {
    why:
      "IAM tag conditions compare strings exactly. A secret tagged `apono-connector-read = \"True\"` looks right in the console, " +
      "but the connector's policy does not match it, and the integration fails when it fetches its credentials.",
    bad: `resource "aws_secretsmanager_secret" "db" {
  name = "apono/prod/postgresql"
  tags = {
    "apono-connector-read" = "True"
  }
}`,
    good: `resource "aws_secretsmanager_secret" "db" {
  name = "apono/prod/postgresql"
  tags = {
    "apono-connector-read" = "true"
  }
}`,
    fix: 'Set the tag\'s value to exactly `"true"` (lower case, no spaces).',
  },
  messages: {
    wrongValue:
      "Secret `{secret}` has `apono-connector-read = {value}`, but {reader} reads it: the Apono connector's policy matches only the exact value \"true\".",
  },
  check(ctx) {
    for (const { secret, readers } of aponoReadSecrets(ctx.inventory, ctx.settings)) {
      const tags = secret.tags.value;
      if (!isObject(tags) || !tags.has(APONO_TAG)) continue;
      const value = wrongValue(tags.get(APONO_TAG));
      if (value === undefined) continue;
      ctx.report({
        messageId: "wrongValue",
        data: { secret: secretLabel(secret), value, reader: readersLabel(readers) },
        at: secret.tagOrigins.get(APONO_TAG) ?? secret.tags.origin ?? secret.origin,
        related: readerRelated(readers),
        fix: tagFix(secret.id, APONO_TAG, "true", true),
      });
    }
  },
});
