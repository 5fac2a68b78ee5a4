// mage/secret-not-found: `{{ aws_secret_var('NAME') }}` in a Mage io_config names a secret
// that no scanned Terraform declares (or, in an audit, that the account does not hold). NAME
// is matched as AWS matches a SecretId: a name, a full ARN, or a partial ARN without the
// 6-character suffix. Silent when NAME is not known (built from `env_var(...)`), holds a
// documentation placeholder (secret/placeholder-value's), or a secret whose name is unknown
// could be the one.

import { defineRule } from "../src/engine/rule.js";
import { secretsNamedBy } from "../src/engine/queries/apono.js";
import { hasPlaceholder } from "../src/engine/queries/flyte.js";
import { couldBe, secretNameOfPath } from "../src/engine/queries/sym.js";
import { mageRefLabel, awsSecretRefs } from "../src/engine/queries/mage.js";

export default defineRule({
  id: "mage/secret-not-found",
  level: "error",
  securitySeverity: 5.0,
  tags: ["mage", "aws", "secrets-manager", "correctness"],
  precision: "high",
  title: "A Mage aws_secret_var names a secret declared nowhere",
  description:
    "Mage renders `io_config.yml` as a Jinja template and fetches each `aws_secret_var('NAME')` from AWS Secrets Manager when a pipeline " +
    "loads the profile. A NAME that no `aws_secretsmanager_secret` in the scan declares (or, in an audit, that the account does not hold) " +
    "makes the pipeline fail at run time. NAME is matched as AWS matches a SecretId: the name, the full ARN, or the ARN without the " +
    "6-character suffix.",
  help: {
    why:
      "`aws_secret_var` is resolved only when a block runs: a typo, a secret created in another account, or one never created surfaces as " +
      "a failed pipeline (or empty credentials) in production.",
    bad: `# io_config.yml
default:
  POSTGRES_PASSWORD: "{{ aws_secret_var('mage/prod/postgres-pasword') }}"

# main.tf
resource "aws_secretsmanager_secret" "postgres" {
  name = "mage/prod/postgres-password"
}`,
    good: `default:
  POSTGRES_PASSWORD: "{{ aws_secret_var('mage/prod/postgres-password') }}"`,
    fix: "Correct the name (or ARN) to the secret's, or declare the secret. If it is managed in another repository, suppress the finding with `# secretlint:ignore mage/secret-not-found -- managed in <repo>`.",
  },
  messages: {
    notFound: "{ref} names the secret `{name}`, but no secret of that name is {scope}: Mage fails to load this setting when a pipeline runs.",
  },
  check(ctx) {
    const inv = ctx.inventory;
    const live = inv.secrets.some((s) => s.origin.aws && !s.origin.file);
    for (const { ref, name } of awsSecretRefs(inv)) {
      if (hasPlaceholder(name)) continue;
      if (secretsNamedBy(inv, name).length > 0) continue;
      // A secret whose name is not known could be this one.
      const candidates = [...new Set([name, secretNameOfPath(name)])];
      if (inv.secrets.some((s) => typeof s.name.value !== "string" && candidates.some((c) => couldBe(s.name.value, c)))) continue;
      ctx.report({
        messageId: "notFound",
        data: { ref: mageRefLabel(ref), name, scope: live ? "declared in the scan or present in the account" : "declared in the scan" },
        at: ref.origin,
      });
    }
  },
});
