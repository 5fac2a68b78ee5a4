// secretlint/unused-ignore: a `# secretlint:ignore` comment that names a rule that does not
// exist (a typo that suppresses nothing), or that hid no finding, as ESLint reports unused
// disable directives. It runs after suppression comments are applied (phase
// "after-suppressions") and reads what became of each comment.

import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  id: "secretlint/unused-ignore",
  level: "warning",
  tags: ["suppression", "maintainability"],
  precision: "very-high",
  phase: "after-suppressions",
  title: "A secretlint:ignore comment names no rule, or suppresses nothing",
  description:
    "A `# secretlint:ignore` (or `ignore-file`) comment names an id that is no rule of secretlint (a typo, or a rule of another tool), " +
    "or it hid no finding in this run although every rule it names ran. Comments for rules that did not run (turned off, left out by " +
    "`--only`) are not reported.",
  help: {
    why:
      "A misspelt rule id suppresses nothing, so the finding the comment was meant for still fails the build, or worse, the author " +
      "believes a risk is accepted and documented while it is not. A comment that no longer suppresses anything (the problem was " +
      "fixed, the code moved) misleads the next reader and would silently hide a future finding of that rule at that place.",
    bad: `# secretlint:ignore secret/immediate-deleton -- scratch account
resource "aws_secretsmanager_secret" "scratch" {
  name                    = "scratch/token"
  recovery_window_in_days = 0
}`,
    good: `# secretlint:ignore secret/immediate-deletion -- scratch account
resource "aws_secretsmanager_secret" "scratch" {
  name                    = "scratch/token"
  recovery_window_in_days = 0
}`,
    fix: "Correct the rule id (`secretlint rules` lists them; the message suggests the closest), or remove the comment when it suppresses nothing.",
  },
  messages: {
    unknownRule: "`secretlint:ignore` names `{id}`, which is no secretlint rule{suggestion}: it suppresses nothing",
    unused: "This `secretlint:ignore{fileWide} {ids}` suppresses nothing: no {ids} finding {where}; remove it",
  },
  check(ctx) {
    for (const c of ctx.inventory.suppressionComments) {
      for (const u of c.unknownIds) {
        const hint = u.suggestion ? `; did you mean \`${u.suggestion}\`?` : " (`secretlint rules` lists the ids)";
        ctx.report({ messageId: "unknownRule", data: { id: u.id, suggestion: hint }, at: c.origin });
      }
      if (c.unknownIds.length > 0 || !c.checked || c.used) continue;
      ctx.report({
        messageId: "unused",
        data: { ids: c.ruleIds.join(","), fileWide: c.fileWide ? "-file" : "", where: c.fileWide ? "in this file" : "at the block or line it precedes" },
        at: c.origin,
      });
    }
  },
});
