// terraform/parse-error: a Terraform file that cannot be parsed, reported where the parser
// stopped, with its message. The rest of the tree is still scanned.

import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  id: "terraform/parse-error",
  level: "error",
  tags: ["terraform", "syntax"],
  precision: "very-high",
  title: "A Terraform file cannot be parsed",
  description:
    "A `.tf` (native syntax) or `.tf.json` (JSON syntax) file, or a variables file, has a syntax error. It is reported at the error's position " +
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
