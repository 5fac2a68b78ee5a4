// terraform/undefined-reference: a reference to a resource, data source, module call, variable
// or local value that its module does not declare (as `terraform validate` would reject).

import path from "node:path";
import { defineRule } from "../src/engine/rule.js";
import type { Inventory, Origin, UndefinedReference } from "../src/inventory/model.js";

const KIND: Record<UndefinedReference["kind"], string> = {
  resource: "a resource",
  data: "a data source",
  module: "a module call",
  variable: "an input variable (`variable` block)",
  local: "a local value (`locals` entry)",
};

function moduleLabel(dir: string): string {
  return dir === "" || dir === "." ? "." : dir;
}

/** `module.a["x"].module.b.aws_s3_bucket.y[0]` → `aws_s3_bucket.y`, as written inside its module. */
function localAddress(address: string): string {
  let a = address;
  for (;;) {
    const m = /^module\.[^.[]+(?:\[[^\]]*\])?\./.exec(a);
    if (!m) break;
    a = a.slice(m[0].length);
  }
  return a.replace(/\[[^\]]*\]$/, "");
}

/**
 * Resources and data sources the inventory knows to be declared in each module (only the kinds
 * it models: secrets, IAM, Sym, Apono), by module directory: the candidates for a suggestion.
 */
function declared(inv: Inventory): Array<{ address: string; module: string; origin: Origin }> {
  const origins: Origin[] = [
    ...inv.secrets.map((x) => x.origin),
    ...inv.iamPolicies.map((x) => x.origin),
    ...inv.iamPrincipals.map((x) => x.origin),
    ...inv.symSecrets.map((x) => x.origin),
    ...inv.symObjects.map((x) => x.origin),
    ...inv.symAccessPolicies.map((x) => x.origin),
    ...inv.aponoSecretRefs.map((x) => x.origin),
  ];
  const out: Array<{ address: string; module: string; origin: Origin }> = [];
  const seen = new Set<string>();
  for (const o of origins) {
    if (!o.address || !o.file) continue;
    const address = localAddress(o.address);
    if (!/^(data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*$/.test(address)) continue;
    const module = moduleLabel(path.posix.dirname(o.file.path));
    const key = `${module}\u0000${address}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ address, module, origin: o });
  }
  return out;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The one declared name close to the reference (a typo away), if there is exactly one. */
function suggestion(ref: UndefinedReference, candidates: ReturnType<typeof declared>): { address: string; origin: Origin } | undefined {
  if (ref.kind !== "resource" && ref.kind !== "data") return undefined;
  const name = ref.reference.slice(ref.reference.lastIndexOf(".") + 1);
  const limit = Math.min(2, Math.max(1, Math.floor(ref.reference.length / 6)), Math.max(0, name.length - 1));
  let best: Array<{ address: string; origin: Origin }> = [];
  let bestD = limit + 1;
  for (const c of candidates) {
    if (c.module !== moduleLabel(ref.module) || c.address.startsWith("data.") !== (ref.kind === "data")) continue;
    const dd = distance(ref.reference, c.address);
    if (dd === 0 || dd > limit) continue;
    if (dd < bestD) {
      bestD = dd;
      best = [c];
    } else if (dd === bestD) best.push(c);
  }
  return best.length === 1 ? best[0] : undefined;
}

export default defineRule({
  id: "terraform/undefined-reference",
  level: "error",
  securitySeverity: 3.0,
  tags: ["terraform", "correctness"],
  precision: "very-high",
  title: "A reference to something the module does not declare",
  description:
    "A reference to a resource, data source, module call, input variable or local value that its module does not declare. " +
    "`terraform validate` rejects it; here it also means secretlint cannot follow the reference, so the secret, policy or integration it " +
    "should link stays unknown. When a declared resource or data source of the same module is a typo away, the message names it.",
  help: {
    why:
      "Setup guides often show a snippet that names a resource declared under another name elsewhere (Sym's Aptible guide uses " +
      "`sym_strategy.aptible` for a strategy declared as `sym_strategy.this`). Terraform fails on it, and until it is fixed every check " +
      "that depends on the reference stays silent.",
    bad: `resource "sym_strategy" "this" {
  type = "aptible"
  name = "main-aptible-strategy"
}

resource "sym_flow" "this" {
  name  = "aptible_access"
  label = "Aptible Access"
  params {
    strategy_id = sym_strategy.aptible.id
  }
}`,
    good: `resource "sym_flow" "this" {
  name  = "aptible_access"
  label = "Aptible Access"
  params {
    strategy_id = sym_strategy.this.id
  }
}`,
    fix: "Refer to the name the module declares, or declare what the reference names (a partial snippet may need the rest of its guide).",
  },
  messages: {
    undefined: "`{reference}` refers to {kind} that the module in `{module}` does not declare.",
    didYouMean: "`{reference}` refers to {kind} that the module in `{module}` does not declare; did you mean `{suggestion}`?",
  },
  check(ctx) {
    const refs = ctx.inventory.undefinedReferences;
    if (refs.length === 0) return;
    const candidates = declared(ctx.inventory);
    for (const ref of refs) {
      const s = suggestion(ref, candidates);
      const data = { reference: ref.reference, kind: KIND[ref.kind], module: moduleLabel(ref.module) };
      if (s) {
        ctx.report({
          messageId: "didYouMean",
          data: { ...data, suggestion: s.address },
          at: ref.origin,
          related: [{ origin: s.origin, message: `\`${s.address}\` is declared here` }],
        });
      } else ctx.report({ messageId: "undefined", data, at: ref.origin });
    }
  },
});
