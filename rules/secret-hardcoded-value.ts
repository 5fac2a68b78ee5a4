// secret/hardcoded-value: a secret version whose value is a literal written in the
// configuration. It lands in git and in the Terraform state. Never quotes the value.

import { defineRule } from "../src/engine/rule.js";
import { secretLabel } from "../src/engine/queries/iam.js";

export default defineRule({
  id: "secret/hardcoded-value",
  level: "error",
  securitySeverity: 8.0,
  tags: ["security", "secretsmanager", "secrets"],
  precision: "very-high",
  title: "Secret value written as a literal in the configuration",
  description:
    "An `aws_secretsmanager_secret_version` whose `secret_string` or `secret_binary` is a literal (or built only from literals): the value is committed to git and stored in plain text in the Terraform state. Values from variables, data sources, `random_password`, ephemeral resources and write-only arguments are not reported.",
  help: {
    why:
      "Everyone who can read the repository or the state file can read the secret, and it stays in git history after it is rotated. Secrets Manager is meant to keep the value out of both.",
    bad: `resource "aws_secretsmanager_secret" "apono_db" {
  name = "apono/prod/postgresql"
}

resource "aws_secretsmanager_secret_version" "apono_db" {
  secret_id = aws_secretsmanager_secret.apono_db.id
  secret_string = jsonencode({
    username = "apono_reader"
    password = "not-a-real-password-123"
  })
}`,
    good: `resource "aws_secretsmanager_secret" "apono_db" {
  name = "apono/prod/postgresql"
}

ephemeral "random_password" "apono_db" {
  length = 32
}

resource "aws_secretsmanager_secret_version" "apono_db" {
  secret_id                = aws_secretsmanager_secret.apono_db.id
  secret_string_wo         = jsonencode({ username = "apono_reader", password = ephemeral.random_password.apono_db.result })
  secret_string_wo_version = 1
}`,
    fix: "Use the write-only `secret_string_wo` with an ephemeral value, take the value from a sensitive variable or `random_password`, or create the secret empty and set its value out of band (`aws secretsmanager put-secret-value`).",
  },
  messages: {
    literal:
      "`{argument}` of the version of secret `{secret}` is a literal written in the configuration: the value lands in git and in the Terraform state (use `secret_string_wo` or set the value out of band)",
  },
  check(ctx) {
    for (const secret of ctx.inventory.secrets) {
      for (const v of secret.versions) {
        if (v.source !== "literal") continue;
        ctx.report({ messageId: "literal", data: { argument: v.argument, secret: secretLabel(secret) }, at: v.origin });
      }
    }
  },
});
