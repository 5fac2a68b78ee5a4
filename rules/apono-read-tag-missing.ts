// apono/read-tag-missing: a secret an Apono integration reads lacks the `apono-connector-read`
// tag that the connector's IAM policy conditions on.

import { defineRule } from "../src/engine/rule.js";
import { tagFix } from "../src/engine/fix.js";
import type { Secret } from "../src/inventory/model.js";
import { isObject } from "../src/terraform/values.js";
import { APONO_TAG, secretLabel, aponoReadSecrets, readersLabel, readerRelated, nearMissKeys } from "../src/engine/queries/apono.js";

export default defineRule({
  id: "apono/read-tag-missing",
  level: "error",
  securitySeverity: 7.0,
  tags: ["apono", "aws", "secrets-manager", "tags", "security"],
  precision: "high",
  title: "A secret Apono reads lacks the apono-connector-read tag",
  description:
    "The Apono connector reads secrets through a predefined IAM policy that only allows secrets tagged `apono-connector-read = \"true\"`. " +
    "A secret that an `apono_integration` (`aws_secret`), an `apono_resource_integration` (`secret_store_config.aws`) or the configured " +
    "Apono name patterns (`apono.secrets`, where `*` matches any characters, `/` included) point at, and that lacks the tag, fails at run time with AccessDenied. " +
    "Silent when the tags are unknown (a variable, a `merge` with an unknown map); a tags object with known keys but unknown values is decided on its keys.",
  help: {
    why:
      "Apono's connector role may read only secrets carrying the tag `apono-connector-read`. Without it the integration is created, " +
      "then fails when the connector fetches the credentials: AccessDenied, in production, with nothing in `terraform plan` to warn you.",
    bad: `resource "aws_secretsmanager_secret" "db" {
  name = "apono/prod/postgresql"
}

resource "apono_integration" "db" {
  name         = "DB Prod"
  type         = "postgresql"
  connector_id = "apono-connector-prod"
  aws_secret = {
    region    = "us-east-1"
    secret_id = aws_secretsmanager_secret.db.arn
  }
}`,
    good: `resource "aws_secretsmanager_secret" "db" {
  name = "apono/prod/postgresql"
  tags = {
    "apono-connector-read" = "true"
  }
}`,
    fix: 'Add the tag `"apono-connector-read" = "true"` to the secret, spelled exactly so.',
  },
  messages: {
    missing:
      "Secret `{secret}` has no `apono-connector-read` tag, but {reader} reads it: the Apono connector may read only secrets tagged `apono-connector-read = \"true\"`.",
    nearMiss:
      "Secret `{secret}` has no `apono-connector-read` tag (it has `{nearMiss}`, with spaces around the key), but {reader} reads it: the Apono connector may read only secrets tagged `apono-connector-read = \"true\"`.",
  },
  check(ctx) {
    for (const { secret, readers } of aponoReadSecrets(ctx.inventory, ctx.settings)) {
      const tags = secret.tags.value;
      let keys: string[];
      if (tags === null) keys = [];
      else if (isObject(tags)) keys = tags.keys();
      else continue; // unknown tags: the key may be there
      if (keys.includes(APONO_TAG)) continue;
      // IAM compares the tag key of a `…ResourceTag/<key>` condition without case, so a key
      // differing only in case may well work: unknown, so silent. Spaces make another key.
      if (keys.some((k) => k.toLowerCase() === APONO_TAG)) continue;
      const near = nearMissKeys(keys, APONO_TAG);
      ctx.report({
        messageId: near.length > 0 ? "nearMiss" : "missing",
        data: { secret: secretLabel(secret), reader: readersLabel(readers), nearMiss: near[0] ?? "" },
        at: (near.length > 0 ? secret.tagOrigins.get(near[0]) : undefined) ?? secret.tags.origin ?? secret.origin,
        related: readerRelated(readers),
        fix: tagFix(secret.id, APONO_TAG, "true", false),
      });
    }
  },
});
