// secret/placeholder-value: documentation placeholders left in the configuration
// (`<Region>`, `#SECRET_NAME`, `KEY1`/`VALUE1`, `YOUR-API-KEY`…). Reports the placeholder
// only, never the text around it (that text may be a secret).

import { defineRule } from "../src/engine/rule.js";
import { PlaceholderHit, findPlaceholders, originOf } from "../src/engine/queries/placeholders.js";

export default defineRule({
  id: "secret/placeholder-value",
  level: "warning",
  securitySeverity: 3.0,
  tags: ["correctness", "secretsmanager", "documentation"],
  precision: "high",
  title: "Documentation placeholder left in the configuration",
  description:
    "Placeholders from vendor setup guides left in: `<Region>`, `<AccountId>`, `<SecretName>`, `#SECRET_NAME`, `#REGION`, `KEY1`/`VALUE1`, `YOUR-SECRET-VALUE`, `YOUR-API-KEY`, `EXAMPLE-PASSWORD`, `your-region`, `your-account-id`. The ARN, name or value they stand in has never been filled in. A `<name>` inside an EventBridge or Pipes `input_template` is that template's own placeholder (filled from `input_paths`), not a guide's.",
  help: {
    why:
      "A placeholder copied from a guide makes a policy that matches no secret (`arn:aws:secretsmanager:<Region>:<AccountId>:secret:*`), a secret with a documentation value, or a name nothing reads. Nothing fails at plan time; the integration fails at run time with AccessDenied or a missing secret.",
    bad: `resource "aws_secretsmanager_secret" "apono" {
  name = "#SECRET_NAME"
  tags = {
    "apono-connector-read" = "true"
  }
}`,
    good: `resource "aws_secretsmanager_secret" "apono" {
  name = "apono/postgres-prod"
  tags = {
    "apono-connector-read" = "true"
  }
}`,
    fix: "Replace the placeholder with the real region, account id, secret name or value (a value belongs outside the configuration: see secret/hardcoded-value).",
  },
  messages: {
    placeholder: "{noun} {placeholders} left in from a setup guide; replace with the real value",
  },
  check(ctx) {
    for (const lit of ctx.inventory.literalStrings) {
      // `<name>` in an EventBridge/Pipes input_template is the template's own placeholder.
      const hits = findPlaceholders(lit.text).filter((h) => !(lit.templateArgument && h.placeholder.startsWith("<")));
      if (hits.length === 0) continue;
      // One finding per line of the literal, naming the placeholders on it.
      const byLine = new Map<number, PlaceholderHit[]>();
      for (const h of hits) {
        const line = lit.text.slice(0, h.index).split("\n").length;
        const list = byLine.get(line) ?? [];
        list.push(h);
        byLine.set(line, list);
      }
      for (const list of byLine.values()) {
        const names = [...new Set(list.map((h) => h.placeholder))];
        const first = list[0];
        const last = list[list.length - 1];
        const at = originOf(lit.origin, lit.text, first.index, last.index + last.placeholder.length - first.index);
        ctx.report({ messageId: "placeholder", data: { noun: names.length > 1 ? "Documentation placeholders" : "Documentation placeholder", placeholders: names.map((n) => `\`${n}\``).join(", ") }, at });
      }
    }
  },
});
