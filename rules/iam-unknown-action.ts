// iam/unknown-action: an action in a policy that matches no real action of the service
// authorization data: a typo (`secretsmanager:GetSecretValues`), a service prefix that does
// not exist (`secretmanager:*`), or no `service:action` shape. AWS accepts such a policy and the
// action grants (or denies) nothing; a statement that names only such actions grants nothing.

import { defineRule } from "../src/engine/rule.js";
import { allStatements, display, listItems, originKey } from "../src/engine/queries/iam.js";
import { checkAction } from "../src/iam/actions.js";
import { actionsOf, allServices } from "../src/iam/data.js";
import { effectOf, textOf } from "../src/iam/index.js";
import { didYouMean } from "../src/util/suggest.js";

export default defineRule({
  id: "iam/unknown-action",
  level: "warning",
  securitySeverity: 3.0,
  tags: ["correctness", "iam"],
  precision: "very-high",
  title: "Policy action matches no real action",
  description:
    "An `Action` or `NotAction` item that matches no action of AWS's Service Authorization Reference: a misspelt action (`secretsmanager:GetSecretValues`), a service prefix that does not exist (`secretmanager:*`), or an item without the `service:action` shape. AWS accepts the policy, and the item grants nothing; a statement whose actions all match nothing grants nothing at all. A wildcard of a real service that matches nothing today (`acm:View*`) is reported only when the statement names nothing else.",
  help: {
    why:
      "IAM does not check action names: a typo is saved, and the principal then fails with AccessDenied at run time (an Allow that grants nothing) — or keeps an access a Deny was meant to remove (a Deny that denies nothing).",
    bad: `data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["secretsmanager:GetSecretValues", "secretmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.api_key.arn]
  }
}`,
    good: `data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.api_key.arn]
  }
}`,
    fix: "Spell the action as the Service Authorization Reference lists it (`service:ActionName`; case does not matter).",
  },
  messages: {
    noMatch: "`{action}` matches no action of `{service}`{suggestion}{consequence}",
    unknownService: "`{action}`: no AWS service has the prefix `{service}`{suggestion}{consequence}",
    malformed: "`{action}` is not `service:action`{consequence}",
    several: "{count} actions match no real action: {list}{consequence}",
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const ref of allStatements(ctx.inventory)) {
      const st = ref.statement;
      for (const [loc, negated] of [
        [st.actions, false],
        [st.notActions, true],
      ] as const) {
        if (!loc?.origin) continue;
        const key = originKey(loc.origin);
        if (seen.has(key)) continue;
        const items = listItems(loc) ?? [];
        const checks = items.map((item) => {
          const text = textOf(item);
          return { item, check: text === undefined ? ({ kind: "unknown" } as const) : checkAction(text) };
        });
        const matchesNothing = (c: (typeof checks)[number]) => c.check.kind === "no-match" || c.check.kind === "unknown-service" || c.check.kind === "malformed";
        const nothing = !negated && checks.length > 0 && checks.every(matchesNothing) && effectOf(st) !== "invalid";
        // A wildcard of a real service that matches nothing today (`acm:View*` in a generated
        // list) may match an action AWS adds: only exact names, unknown services and
        // malformed items are reported, unless nothing else is named.
        const bad = checks.filter((c) => matchesNothing(c) && (nothing || c.check.kind !== "no-match" || !/[*?]/.test(textOf(c.item) ?? "")));
        if (bad.length === 0) continue;
        seen.add(key);
        const consequence = nothing ? `; the statement names no other action, so it ${effectOf(st) === "Deny" ? "denies" : "grants"} nothing (in ${ref.holder})` : ` (in ${ref.holder})`;
        if (bad.length > 1) {
          const shown = bad.slice(0, 6).map((b) => `\`${display(b.item)}\``).join(", ");
          ctx.report({ messageId: "several", data: { count: String(bad.length), list: bad.length > 6 ? `${shown}…` : shown, consequence }, at: loc.origin });
          continue;
        }
        const { item, check } = bad[0];
        const action = display(item);
        const [service = "", name = ""] = action.split(":");
        if (check.kind === "no-match") {
          const known = actionsOf(service) ?? [];
          const suggestion = /[*?]/.test(name) ? "" : didYouMean(name, known).replace(/`([^`]+)`/, (_m, n: string) => `\`${service}:${n}\``);
          ctx.report({ messageId: "noMatch", data: { action, service, suggestion, consequence }, at: loc.origin });
        } else if (check.kind === "unknown-service") {
          const suggestion = /[*?]/.test(service) ? "" : didYouMean(service, allServices());
          ctx.report({ messageId: "unknownService", data: { action, service, suggestion, consequence }, at: loc.origin });
        } else ctx.report({ messageId: "malformed", data: { action, consequence }, at: loc.origin });
      }
    }
  },
});
