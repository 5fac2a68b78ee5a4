// drift/secret-missing-live: `audit --tf`: a secret the Terraform declares that the account
// does not hold (in a region the audit listed completely).

import { defineRule } from "../src/engine/rule.js";
import { knownString } from "../src/terraform/values.js";

export default defineRule({
  id: "drift/secret-missing-live",
  level: "warning",
  securitySeverity: 3.0,
  tags: ["drift", "aws-secrets-manager", "terraform"],
  precision: "high",
  title: "A secret declared in Terraform is absent from the account",
  description:
    "In an audit with `--tf`, a secret that an `aws_secretsmanager_secret` declares (its name and region known) is not in the account, although the audit listed that region completely. Either the configuration was never applied, or the secret was deleted or renamed outside Terraform; whatever reads it (Sym, Apono, Flyte, Mage) fails until it exists. Silent when the declared name or region is unknown, or the region was not audited.",
  help: {
    why: "Integrations are configured against secret names. A secret that the code declares but the account lacks means the code and the account disagree: the next `terraform apply` recreates it (empty, without its value), or a reader is already failing with ResourceNotFoundException.",
    bad: `# main.tf — declared, but the account holds no "sym/prod/okta-token" in us-east-1
resource "aws_secretsmanager_secret" "okta" {
  name = "sym/prod/okta-token"
}`,
    good: `# main.tf — declared and present in the account (applied)
resource "aws_secretsmanager_secret" "okta" {
  name = "sym/prod/okta-token"
}`,
    fix: "Apply the configuration (and set the secret's value), or, if the secret was renamed or moved on purpose, update the declaration to match the account.",
  },
  messages: {
    missing:
      "Secret `{secret}` is declared for {region}, but account {account} holds no secret of that name there: it was never applied, or was deleted or renamed outside Terraform; its readers fail until it exists",
  },
  check(ctx) {
    const drift = ctx.inventory.drift;
    if (!drift) return;
    for (const m of drift.missingLive) {
      ctx.report({
        messageId: "missing",
        data: {
          secret: knownString(m.declared.name.value) ?? m.declared.id,
          region: m.region,
          account: m.account ?? "(unknown)",
        },
        at: m.declared.name.origin?.file ? m.declared.name.origin : m.declared.origin,
      });
    }
  },
});
