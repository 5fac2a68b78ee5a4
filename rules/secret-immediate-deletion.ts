// secret/immediate-deletion: `recovery_window_in_days = 0` deletes the secret at once on
// destroy, with no way to restore it.

import { defineRule } from "../src/engine/rule.js";
import { secretLabel } from "../src/engine/queries/iam.js";

export default defineRule({
  id: "secret/immediate-deletion",
  level: "warning",
  securitySeverity: 4.0,
  tags: ["reliability", "secretsmanager"],
  precision: "very-high",
  title: "Secret is deleted immediately, without a recovery window",
  description:
    "`recovery_window_in_days = 0` makes `terraform destroy` (or a replacement) delete the secret at once. With the default 30 days (7 to 30 allowed), a deleted secret can be restored with `aws secretsmanager restore-secret`.",
  help: {
    why:
      "A mistaken destroy, a renamed resource or a module refactor that replaces the secret deletes the credential for good. Every integration that reads it (Sym, Apono, Flyte, Mage) fails until someone recreates the value, which may be impossible for a credential issued once.",
    bad: `resource "aws_secretsmanager_secret" "api_key" {
  name                    = "sym/prod/api-key"
  recovery_window_in_days = 0
}`,
    good: `resource "aws_secretsmanager_secret" "api_key" {
  name                    = "sym/prod/api-key"
  recovery_window_in_days = 7
}`,
    fix: "Remove `recovery_window_in_days` (30 days) or set it between 7 and 30. For throwaway test secrets, suppress the finding with a reason.",
  },
  messages: {
    immediate:
      "Secret `{secret}` has `recovery_window_in_days = 0`: deleting it (destroy or replacement) removes it at once with no way to restore it; use 7 to 30 days",
  },
  check(ctx) {
    for (const secret of ctx.inventory.secrets) {
      const w = secret.recoveryWindowInDays;
      const v = w.value;
      if (!(v === 0 || v === "0")) continue;
      ctx.report({ messageId: "immediate", data: { secret: secretLabel(secret) }, at: w.origin ?? secret.origin });
    }
  },
});
