// sym/secret-not-found: a `sym_secret.path` that is a known name (not a reference) names no
// secret declared in the scan (or, in an audit, no secret of the account). A warning: the
// secret may be declared in another repository.

import { defineRule } from "../src/engine/rule.js";
import { secretNameOfPath, secretsReadBy, where, writtenIn } from "../src/engine/queries/sym.js";

export default defineRule({
  id: "sym/secret-not-found",
  level: "warning",
  securitySeverity: 5.0,
  tags: ["sym", "correctness", "aws-secrets-manager"],
  precision: "high",
  title: "A sym_secret's path names a secret declared nowhere",
  description:
    "A `sym_secret` whose `path` is a literal secret name that no `aws_secretsmanager_secret` in the scan declares (or, in an audit, that the account does not hold) points the Sym runtime at a secret that may not exist: a typo there fails only when a flow runs. A reference to the secret resource (`aws_secretsmanager_secret.x.name`) avoids the problem.",
  help: {
    why: "Sym looks the secret up by `path` when a flow runs. A literal name is not checked by Terraform, so a typo (`sym/main/api_key` for `sym/main/api-key`) or a secret that was never created surfaces as a runtime error in production.",
    bad: `resource "aws_secretsmanager_secret" "api_key" {
  name = "sym/main/api-key"
  tags = { SymEnv = "main" }
}

resource "sym_secret" "api_key" {
  source_id = sym_secrets.this.id
  path      = "sym/main/api_key"
}`,
    good: `resource "sym_secret" "api_key" {
  source_id = sym_secrets.this.id
  path      = aws_secretsmanager_secret.api_key.name
}`,
    fix: "Refer to the secret resource (`path = aws_secretsmanager_secret.x.name`) instead of writing its name, or correct the name. If the secret is managed in another repository, suppress the finding here.",
  },
  messages: {
    notFound:
      "{symSecret} reads the secret \"{name}\" (path set at {pathAt}), but no secret of that name is {scope}{near}. If it is managed elsewhere, ignore this; otherwise fix the name or refer to the secret resource.",
  },
  check(ctx) {
    for (const s of ctx.inventory.symSecrets) {
      if (s.secretRef) continue;
      const path = s.path.value;
      // A reference that does not resolve is terraform/undefined-reference's; an unknown path is no finding.
      if (typeof path !== "string" || path === "") continue;
      // Only a name written in `path` itself: one that comes from a data source, a variable or a
      // local is looked up or set elsewhere (and a data source lookup proves the secret exists).
      if (!writtenIn(ctx.inventory, s.path.origin)) continue;
      const reads = secretsReadBy(ctx.inventory, s);
      if (!reads.certain || reads.secrets.length > 0) continue;
      const name = secretNameOfPath(path);
      const near = closestName(
        name,
        ctx.inventory.secrets.map((x) => x.name.value).filter((n): n is string => typeof n === "string"),
      );
      ctx.report({
        messageId: "notFound",
        data: {
          symSecret: s.id,
          name,
          pathAt: where(s.path.origin ?? s.origin),
          scope: ctx.inventory.secrets.some((x) => x.origin.aws && !x.origin.file) ? "declared in the scan or present in the account" : "declared in the scan",
          near: near ? ` (did you mean "${near}"?)` : "",
        },
        at: s.path.origin ?? s.origin,
      });
    }
  },
});

/** The declared name closest to `name`, when it is close enough to be a likely typo. */
function closestName(name: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const n of names) {
    const d = distance(name, n);
    if (d < bestDistance) {
      bestDistance = d;
      best = n;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 8)) ? best : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
