// terraform/parse-error: a Terraform file that cannot be parsed, reported where the parser
// stopped, with its message. The rest of the tree is still scanned.

import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  id: "terraform/parse-error",
  level: "error",
  tags: ["terraform", "syntax"],
  precision: "very-high",
  title: "An input file (Terraform, Mage YAML, flytekit Python) cannot be parsed",
  description:
    "A `.tf` (native syntax) or `.tf.json` (JSON syntax) file, a variables file, or an app configuration the scan reads (Mage `io_config.yml`, " +
    "docker-compose, flytekit Python) has a syntax error; the id keeps the name of its first input. It is reported at the error's position " +
    "with the parser's message; what the parser could not read is not checked by the other rules, and the rest of the tree still is.",
  help: {
    why:
      "Terraform refuses to plan a module with a syntax error, and secretlint cannot check what it cannot read: the secrets, policies and " +
      "integrations declared after the error may hide findings until the file is fixed.",
    bad: `resource "aws_secretsmanager_secret_version" "db" {
  # \`#\` starts a comment: the reference ends in a bare dot
  secret_id = aws_secretsmanager_secret.#SECRET_NAME.id
}`,
    good: `resource "aws_secretsmanager_secret_version" "db" {
  secret_id = aws_secretsmanager_secret.db.id
}`,
    fix: "Fix the syntax at the reported position (`terraform validate` shows the same error).",
  },
  messages: {
    parseError: "Cannot parse this file: {message}",
  },
  check(ctx) {
    for (const e of ctx.inventory.parseErrors) {
      ctx.report({ messageId: "parseError", data: { message: e.message }, at: e.origin });
    }
  },
});
