// sym/symenv-tag-missing: a secret a `sym_secret` reads lacks the tag the Sym access policy
// conditions on.

import { defineRule } from "../src/engine/rule.js";
import type { Secret } from "../src/inventory/model.js";
import { tagFix } from "../src/engine/fix.js";
import { symTagNames, symTagNameUnknown, lookupTag, where, secretLabel, failingSymReads, listing, theSymEnvironment } from "../src/engine/queries/sym.js";

export default defineRule({
  id: "sym/symenv-tag-missing",
  level: "error",
  securitySeverity: 7.5,
  tags: ["sym", "security", "aws-secrets-manager", "iam"],
  precision: "very-high",
  title: "A secret Sym reads lacks the tag Sym's access policy conditions on",
  description:
    "The Sym runtime reads secrets through an IAM policy (the symopsio/secretsmgr-addon module) that allows secretsmanager:GetSecretValue only on secrets tagged `SymEnv` (or the configured tag) with the Sym environment's name. A secret that a `sym_secret` reads but that lacks the tag cannot be read: the flow fails at run time with AccessDenied.",
  help: {
    why: "Sym's `secretsmgr-addon` grants `secretsmanager:GetSecretValue` on `*` under the condition `secretsmanager:ResourceTag/SymEnv = <environment>`. A secret without that tag is outside the grant, so every Sym request that needs it fails with AccessDenied, in production, at request time.",
    bad: `resource "aws_secretsmanager_secret" "api_key" {
  name = "sym/main/api-key"
}

resource "sym_secret" "api_key" {
  source_id = sym_secrets.this.id
  path      = aws_secretsmanager_secret.api_key.name
}`,
    good: `resource "aws_secretsmanager_secret" "api_key" {
  name = "sym/main/api-key"
  tags = {
    SymEnv = "main"
  }
}

resource "sym_secret" "api_key" {
  source_id = sym_secrets.this.id
  path      = aws_secretsmanager_secret.api_key.name
}`,
    fix: "Tag the secret with the tag Sym's access policy conditions on (`SymEnv` unless configured), valued with the Sym environment's name.",
  },
  messages: {
    missing:
      "Secret {secret} is read by {symSecrets} but has no `{tag}` tag: the Sym runtime's IAM policy only allows reading secrets tagged `{tag}` = <environment>, so the read fails with AccessDenied. Add the tag.",
  },
  check(ctx) {
    if (symTagNameUnknown(ctx.inventory)) return;
    const names = symTagNames(ctx.inventory, ctx.settings);
    const missing = (secret: Secret) => lookupTag(secret, names).state === "absent";
    // The fix adds the tag with the environment of the one Sym access policy in scope.
    const env = theSymEnvironment(ctx.inventory, ctx.settings);
    for (const [secret, readers] of failingSymReads(ctx.inventory, missing)) {
      const at = secret.tags.origin ?? secret.origin;
      ctx.report({
        messageId: "missing",
        data: {
          secret: secretLabel(secret),
          symSecrets: listing(readers.map((r) => `${r.id} (${where(r.path.origin ?? r.origin)})`)),
          tag: names.join("` or `"),
        },
        at,
        related: readers.map((r) => ({ origin: r.path.origin ?? r.origin, message: `${r.id} reads the secret here` })),
        ...(env ? { fix: tagFix(secret.id, env.tagName, env.environment, false) } : {}),
      });
    }
  },
});
