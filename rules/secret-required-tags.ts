// secret/required-tags: a tag the configuration requires (`requiredTags`: a key, optionally
// allowed values or a pattern, optionally only for secrets matching name patterns) is missing
// or has a value it does not allow (AWS FSBP SecretsManager.5). Silent until `requiredTags`
// is configured. Code and live alike: the finding is where the tags are written (the tag's
// own line for a wrong value), or at the secret's ARN.

import { defineRule, type TagRequirement } from "../src/engine/rule.js";
import { tagFix } from "../src/engine/fix.js";
import { secretLabel } from "../src/engine/queries/iam.js";
import { exactTag, nameMatchesAny } from "../src/engine/queries/compliance.js";

function scopeText(req: TagRequirement): string {
  return req.secrets ? ` for secrets matching ${req.secrets.map((p) => `\`${p}\``).join(", ")}` : "";
}

/** Whether a tag value satisfies the requirement (values and pattern both, when both are given). */
function allowed(req: TagRequirement, value: string): boolean {
  if (req.values && !req.values.includes(value)) return false;
  if (req.pattern !== undefined && !new RegExp(`^(?:${req.pattern})$`, "u").test(value)) return false;
  return true;
}

/** The one value a requirement allows, when it allows exactly one: what a fix may set. */
function onlyValue(req: TagRequirement): string | undefined {
  if (!req.values || req.values.length !== 1) return undefined;
  return allowed(req, req.values[0]) ? req.values[0] : undefined;
}

function allowedText(req: TagRequirement): string {
  const parts: string[] = [];
  if (req.values) parts.push(`one of ${req.values.map((v) => `\`${v}\``).join(", ")}`);
  if (req.pattern !== undefined) parts.push(`matching \`${req.pattern}\``);
  return parts.join(" and ");
}

export default defineRule({
  id: "secret/required-tags",
  level: "error",
  presets: { fsbp: "error" },
  controls: [{ framework: "fsbp", id: "SecretsManager.5" }],
  securitySeverity: 4.0,
  tags: ["governance", "secretsmanager", "tags", "compliance"],
  precision: "very-high",
  title: "Secret lacks a tag the organisation requires, or has a value it does not allow",
  description:
    "The configuration's `requiredTags` lists tags every secret (or every secret matching name patterns) must carry, with the values allowed (a list, or a regular expression the whole value must match). A secret without one of them, or with a value not allowed, fails. Nothing is checked until `requiredTags` is configured.",
  help: {
    why:
      "Tags are how an organisation knows who owns a secret, how sensitive it is and what it costs, and what ABAC policies (`aws:ResourceTag/…`) decide access on. A secret without its `owner` has no one to ask when it leaks; a misspelt classification slips past the policies written for the right one. Security Hub's SecretsManager.5 requires tags.",
    bad: `# secretlint.config.yaml
requiredTags:
  - key: owner
  - key: data-classification
    values: [internal, confidential, restricted]

# main.tf
resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
  tags = { data-classification = "secret" }
}`,
    good: `resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
  tags = {
    owner               = "team-payments"
    data-classification = "restricted"
  }
}`,
    fix: "Add the tag with an allowed value, in `tags` or through the provider's `default_tags`. Live: `aws secretsmanager tag-resource`.",
  },
  messages: {
    missing: "Secret `{secret}` lacks the tag `{key}` that `requiredTags` requires{scope}",
    notAllowed: "Secret `{secret}` has `{key}` = `{value}`: `requiredTags` allows {allowed}",
  },
  check(ctx) {
    const reqs = ctx.settings.requiredTags;
    if (reqs.length === 0) return;
    for (const secret of ctx.inventory.secrets) {
      let decided = false;
      let failed = false;
      let unknown = false;
      const label = secretLabel(secret);
      for (const req of reqs) {
        if (req.secrets) {
          const m = nameMatchesAny(req.secrets, secret.name.value);
          if (m === false) continue;
          if (m === undefined) {
            unknown = true;
            continue;
          }
        }
        const tag = exactTag(secret, req.key);
        if (tag.state === "unknown") {
          unknown = true;
          continue;
        }
        if (tag.state === "absent") {
          failed = true;
          const at = secret.tags.origin && (secret.tags.origin.file || !secret.origin.file) ? secret.tags.origin : secret.origin;
          const only = onlyValue(req);
          ctx.report({
            messageId: "missing",
            data: { secret: label, key: req.key, scope: scopeText(req) },
            at,
            resource: secret.id,
            ...(only !== undefined ? { fix: tagFix(secret.id, req.key, only, false) } : {}),
          });
          continue;
        }
        if (!req.values && req.pattern === undefined) {
          decided = true;
          continue;
        }
        // Terraform turns numbers and booleans in tags into strings.
        const value = typeof tag.value === "number" || typeof tag.value === "boolean" ? String(tag.value) : tag.value;
        if (typeof value !== "string") {
          unknown = true;
          continue;
        }
        decided = true;
        if (!allowed(req, value)) {
          failed = true;
          const only = onlyValue(req);
          ctx.report({
            messageId: "notAllowed",
            data: { secret: label, key: req.key, value, allowed: allowedText(req) },
            at: tag.origin,
            resource: secret.id,
            ...(only !== undefined ? { fix: tagFix(secret.id, req.key, only, true) } : {}),
          });
        }
      }
      // A secret passes only when every requirement that applies to it could be judged.
      if (!failed && unknown) ctx.undetermined(secret.id);
      else if (!failed && decided) ctx.evaluated(secret.id);
    }
  },
});
