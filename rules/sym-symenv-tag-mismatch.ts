// sym/symenv-tag-mismatch: the Sym tag's value on a secret Sym reads is not the environment of
// any Sym access policy in scope (nor a configured Sym environment).

import { defineRule } from "../src/engine/rule.js";
import { tagFix } from "../src/engine/fix.js";
import type { Origin, Secret } from "../src/inventory/model.js";
import { failingSymReads, listing, lookupTag, secretLabel, symAccessPolicies, symTagNameUnknown, where } from "../src/engine/queries/sym.js";

/** An environment Sym is granted secrets of: from an access policy, or from configuration. */
interface Grant {
  tagName: string;
  environment: string;
  /** Where it is set: the policy's environment, or none for configuration. */
  origin?: Origin;
  label: string;
}

export default defineRule({
  id: "sym/symenv-tag-mismatch",
  level: "error",
  securitySeverity: 7.5,
  tags: ["sym", "security", "aws-secrets-manager", "iam"],
  precision: "high",
  title: "A secret Sym reads is tagged for another Sym environment",
  description:
    "Sym's access policy allows reading only the secrets whose `SymEnv` tag (or the configured tag) equals the environment it was created for. A secret that a `sym_secret` reads, tagged with a value that is the environment of no Sym access policy in scope, is unreadable by the Sym runtime: requests fail with AccessDenied.",
  help: {
    why: "`symopsio/secretsmgr-addon` conditions `secretsmanager:GetSecretValue` on `StringEquals secretsmanager:ResourceTag/SymEnv = <environment>`. The comparison is exact and case-sensitive: a secret tagged `SymEnv = \"prod\"` is invisible to a runtime whose policy was created for `\"production\"`.",
    bad: `module "sym_secrets" {
  source      = "symopsio/secretsmgr-addon/aws"
  environment = "prod"
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "sym/prod/api-key"
  tags = {
    SymEnv = "production"
  }
}

resource "sym_secret" "api_key" {
  source_id = sym_secrets.this.id
  path      = aws_secretsmanager_secret.api_key.name
}`,
    good: `module "sym_secrets" {
  source      = "symopsio/secretsmgr-addon/aws"
  environment = "prod"
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "sym/prod/api-key"
  tags = {
    SymEnv = "prod"
  }
}

resource "sym_secret" "api_key" {
  source_id = sym_secrets.this.id
  path      = aws_secretsmanager_secret.api_key.name
}`,
    fix: "Set the tag to the environment of the Sym access policy (the `environment` of the secretsmgr-addon module), or add the environment to the configuration's Sym environments if its policy lives elsewhere.",
  },
  messages: {
    mismatch:
      "Secret {secret} is read by {symSecrets} and tagged `{tag}` = \"{value}\" (set at {valueAt}), but Sym may read only the secrets tagged {environments}: the Sym runtime cannot read it. Set the tag to the environment Sym runs in.",
  },
  check(ctx) {
    if (symTagNameUnknown(ctx.inventory)) return;
    const grants: Grant[] = [];
    for (const p of symAccessPolicies(ctx.inventory, ctx.settings)) {
      const env = p.environment.value;
      // An environment that is not known (or a policy variable like `${aws:PrincipalTag/SymEnv}`)
      // could be any value: nothing can be said.
      if (typeof env !== "string" || env.includes("${")) return;
      const origin = p.environment.origin ?? p.origin;
      grants.push({ tagName: p.tagName, environment: env, origin, label: `${p.id.replace(/#.*$/, "")} at ${where(origin)}` });
    }
    for (const env of ctx.settings.symEnvironments) {
      grants.push({ tagName: ctx.settings.symTagName, environment: env, label: "the configuration's Sym environments" });
    }
    if (grants.length === 0) return;

    // A secret fails when it carries a granted tag, every value that decides is known, and no grant matches.
    const fails = (secret: Secret): boolean => {
      let present = false;
      for (const g of grants) {
        const tag = lookupTag(secret, [g.tagName]);
        if (tag.state === "unknown") return false;
        if (tag.state === "absent") continue;
        if (typeof tag.value !== "string") return false;
        present = true;
        if (matches(g.environment, tag.value)) return false;
      }
      return present;
    };

    for (const [secret, readers] of failingSymReads(ctx.inventory, fails)) {
      const relevant = grants.filter((g) => lookupTag(secret, [g.tagName]).state === "present");
      const tag = lookupTag(secret, relevant.map((g) => g.tagName));
      if (tag.state !== "present" || typeof tag.value !== "string") continue;
      // The fix sets the one environment granted for this tag (none when several, or a pattern).
      const envs = new Set(relevant.map((g) => g.environment));
      const only = envs.size === 1 ? [...envs][0] : undefined;
      const fix = only !== undefined && !/[*?]/.test(only) ? tagFix(secret.id, tag.key, only, true) : undefined;
      ctx.report({
        messageId: "mismatch",
        data: {
          secret: secretLabel(secret),
          symSecrets: listing(readers.map((r) => r.id)),
          tag: tag.key,
          value: tag.value,
          valueAt: where(tag.origin),
          environments: describeGrants(relevant),
        },
        at: tag.origin,
        related: [
          ...relevant
            .filter((g) => g.origin)
            .map((g) => ({ origin: g.origin as Origin, message: `The Sym access policy's environment "${g.environment}" is set here` })),
          ...readers.map((r) => ({ origin: r.path.origin ?? r.origin, message: `${r.id} reads the secret here` })),
        ],
        ...(fix ? { fix } : {}),
      });
    }
  },
});

/** `"prod" (module.x at main.tf:3) or "staging" or "qa" (the configuration's Sym environments)`. */
function describeGrants(grants: Grant[]): string {
  const byLabel = new Map<string, string[]>();
  for (const g of grants) {
    const list = byLabel.get(g.label) ?? [];
    if (!list.includes(`"${g.environment}"`)) list.push(`"${g.environment}"`);
    byLabel.set(g.label, list);
  }
  return [...byLabel].map(([label, envs]) => `${envs.join(" or ")} (${label})`).join(" or ");
}

/**
 * Whether a tag value satisfies a granted environment: equal (StringEquals is case-sensitive),
 * or matched as a pattern when the grant has `*`/`?` (a StringLike condition; read as a pattern
 * either way, so a finding never rests on how the operator is read).
 */
function matches(environment: string, value: string): boolean {
  if (environment === value) return true;
  if (!/[*?]/.test(environment)) return false;
  const re = environment.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]");
  return new RegExp(`^${re}$`).test(value);
}
