// drift/tag-differs: `audit --tf`: a tag an integration's access depends on (the Sym tag,
// `apono-connector-read`) has another value in the account than in the Terraform, or is set
// on one side only.

import { defineRule } from "../src/engine/rule.js";
import type { Origin } from "../src/inventory/model.js";
import { ObjectValue, knownString } from "../src/terraform/values.js";

const APONO_TAG = "apono-connector-read";

function keyLike(tags: ObjectValue, name: string): string | undefined {
  const lower = name.toLowerCase();
  return tags.keys().find((k) => k.toLowerCase() === lower);
}

function placeOf(o: Origin | undefined): string {
  if (o?.file) return `${o.file.path}:${o.file.range.start.line}`;
  return o?.address ?? "the declaration";
}

export default defineRule({
  id: "drift/tag-differs",
  level: "warning",
  securitySeverity: 5.0,
  tags: ["drift", "aws-secrets-manager", "tags", "sym", "apono"],
  precision: "high",
  title: "An integration's tag differs between the Terraform and the account",
  description:
    "In an audit with `--tf`, a secret matched to its declaration has a tag that an integration's IAM policy conditions on (`SymEnv` or the configured Sym tag, the tags of the Sym access policies found, `apono-connector-read`) with another value in the account than in the code, or on one side only. Whoever is right, one of the next `terraform apply` or the running integration breaks. Silent when the declared tags or the tag's declared value are unknown.",
  help: {
    why: "Sym and Apono read a secret only when it carries their tag with the exact value their policy expects. A tag changed in the console is undone by the next apply (and access breaks then); a tag changed in code but not applied means the account does not yet have the access the code promises.",
    bad: `# main.tf — the account's secret is tagged SymEnv = "staging"
resource "aws_secretsmanager_secret" "okta" {
  name = "sym/prod/okta-token"
  tags = { SymEnv = "prod" }
}`,
    good: `# main.tf — the account's secret is tagged SymEnv = "prod", as declared
resource "aws_secretsmanager_secret" "okta" {
  name = "sym/prod/okta-token"
  tags = { SymEnv = "prod" }
}`,
    fix: "Decide which side is right: apply the configuration, or update the declaration to the account's tag.",
  },
  messages: {
    differs:
      "Tag `{tag}` of secret `{secret}` is \"{declared}\" in Terraform (set at {declaredAt}) but \"{live}\" in the account ({arn}): {reader} reads the secret only with the value its policy expects, and the next apply changes it back",
    missingLive:
      "Secret `{secret}` is declared with tag `{tag}` = \"{declared}\" (set at {declaredAt}), but the account's secret ({arn}) lacks the tag: {reader} cannot read it until the configuration is applied",
    onlyLive:
      "Secret `{secret}` carries tag `{tag}` = \"{live}\" in the account ({arn}), but its declaration (at {declaredAt}) does not set it: the next `terraform apply` removes it, and {reader} loses access",
  },
  check(ctx) {
    const drift = ctx.inventory.drift;
    if (!drift) return;
    const symNames = new Set<string>([ctx.settings.symTagName.toLowerCase()]);
    const symTag = ctx.settings.symTagName.toLowerCase();
    for (const p of ctx.inventory.symAccessPolicies) if (p.from === "secretsmgr-addon" || p.tagName.toLowerCase() === symTag) symNames.add(p.tagName.toLowerCase());
    const names: Array<{ name: string; reader: string }> = [
      ...[...symNames].map((name) => ({ name, reader: "Sym" })),
      { name: APONO_TAG, reader: "the Apono connector" },
    ];
    for (const { declared, live } of drift.matched) {
      const dTags = declared.tags.value;
      const lTags = live.tags.value;
      if (!(dTags instanceof ObjectValue) || !(lTags instanceof ObjectValue)) continue;
      for (const { name, reader } of names) {
        const dKey = keyLike(dTags, name);
        const lKey = keyLike(lTags, name);
        if (dKey === undefined && lKey === undefined) continue;
        const arn = typeof live.arn === "string" ? live.arn : live.id;
        const at = (declaredAt: Origin | undefined): Origin => ({ ...(declaredAt ?? declared.origin), aws: live.origin.aws });
        const secret = knownString(live.name.value) ?? live.id;
        if (dKey !== undefined) {
          const dv = knownString(dTags.get(dKey));
          const dOrigin = declared.tagOrigins.get(dKey) ?? declared.tags.origin ?? declared.origin;
          if (dv === undefined) continue; // the declared value is unknown
          if (lKey === undefined) {
            ctx.report({ messageId: "missingLive", data: { tag: dKey, secret, declared: dv, declaredAt: placeOf(dOrigin), arn, reader }, at: at(dOrigin) });
            continue;
          }
          const lv = knownString(lTags.get(lKey)) ?? "";
          if (lv === dv && lKey === dKey) continue;
          ctx.report({
            messageId: "differs",
            data: { tag: lKey === dKey ? dKey : `${dKey}\` / \`${lKey}`, secret, declared: dv, live: lv, declaredAt: placeOf(dOrigin), arn, reader },
            at: at(dOrigin),
          });
        } else if (lKey !== undefined) {
          const lv = knownString(lTags.get(lKey)) ?? "";
          ctx.report({
            messageId: "onlyLive",
            data: { tag: lKey, secret, live: lv, declaredAt: placeOf(declared.tags.origin ?? declared.origin), arn, reader },
            at: at(declared.tags.origin?.file ? declared.tags.origin : declared.origin),
          });
        }
      }
    }
  },
});
