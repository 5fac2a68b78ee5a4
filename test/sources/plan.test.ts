// A Terraform plan (`terraform show -json`) → the inventory: planned values as known values,
// what the plan does not know as unknown, locations in the sources (by address) or in the
// plan file, and never a secret value kept.

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Inventory, Origin, Secret } from "../../src/inventory/model.js";
import { PlanError, inventoryFromPlan, inventoryFromPlanFile } from "../../src/sources/plan.js";
import { loadProject } from "../../src/terraform/project.js";
import { ObjectValue, Unknown, knownPrefix, toJSONView, type Value } from "../../src/terraform/values.js";

const dir = path.resolve(import.meta.dirname, "../../fixtures/terraform/plan-basic");
const planFile = path.join(dir, "plan.json");
const planText = readFileSync(planFile, "utf8");

function at(o: Origin | undefined): string {
  if (!o?.file) return "-";
  return `${o.file.path}:${o.file.range.start.line}:${o.file.range.start.column}`;
}

function textAt(text: string, o: Origin | undefined): string {
  return o?.file ? text.slice(o.file.range.start.offset, o.file.range.end.offset) : "";
}

/** Line number (1-based) of the first line of `text` containing `needle`, after line `after`. */
function lineOf(text: string, needle: string, after = 0): number {
  const lines = text.split("\n");
  for (let i = after; i < lines.length; i++) if (lines[i].includes(needle)) return i + 1;
  throw new Error(`no line with ${needle}`);
}

const secretOf = (inv: Inventory, id: string) => inv.secrets.find((s) => s.id === id) as Secret;
const policyOf = (inv: Inventory, id: string) => {
  const p = inv.iamPolicies.find((x) => x.id === id);
  if (!p) throw new Error(`no policy ${id}; have ${inv.iamPolicies.map((x) => x.id).join(", ")}`);
  return p;
};

/** Everything the inventory holds, as text (maps and values included), to look for leaked values. */
function dump(inv: Inventory): string {
  return JSON.stringify(inv, (_k, v: unknown) => {
    if (v instanceof Map) return Object.fromEntries(v);
    if (v instanceof ObjectValue || v instanceof Unknown) return toJSONView(v as Value);
    return v;
  });
}

describe("plan → inventory, located in the plan file", () => {
  const inv = inventoryFromPlanFile(planFile, { displayPath: "plan.json" });

  it("secrets with planned values; ARN known but for its suffix (account id from the plan's data source)", () => {
    const s = secretOf(inv, "aws_secretsmanager_secret.okta");
    expect(s.name.value).toBe("sym/prod/okta-bot");
    expect(s.region.value).toBe("us-east-1");
    expect(s.recoveryWindowInDays.value).toBe(7);
    expect(toJSONView(s.tags.value)).toEqual({ SymEnv: "prod", Team: "platform" });
    expect(s.kmsKeyId.value).toBeNull();
    expect(s.arn).toBeInstanceOf(Unknown);
    expect(knownPrefix(s.arn)).toBe("arn:aws:secretsmanager:us-east-1:123456789012:secret:sym/prod/okta-bot-");
    // The resource is located at its "address" line in planned_values.
    expect(at(s.origin)).toBe(`plan.json:${lineOf(planText, '"address": "aws_secretsmanager_secret.okta"')}:11`);
    expect(textAt(planText, s.origin)).toBe('"address": "aws_secretsmanager_secret.okta"');
    expect(textAt(planText, s.name.origin)).toBe('"name": "sym/prod/okta-bot"');
    expect(textAt(planText, s.tagOrigins.get("SymEnv"))).toBe('"SymEnv": "prod"');
    const team = secretOf(inv, 'module.team["billing"].aws_secretsmanager_secret.db');
    expect(team.name.value).toBe("team/billing/db");
    expect(team.recoveryWindowInDays.value).toBe(30);
  });

  it("secret versions: the shape only, never the value", () => {
    const s = secretOf(inv, "aws_secretsmanager_secret.okta");
    expect(s.versions).toHaveLength(1);
    expect(s.versions[0].argument).toBe("secret_string");
    expect(s.versions[0].source).toBe("literal");
    expect(s.versions[0].shape).toMatchObject({ kind: "json-object", keys: ["api_token", "client_id"] });
    expect(s.shape.kind).toBe("json-object");
    const all = dump(inv);
    expect(all).not.toContain("fake-token");
    expect(all).not.toContain("fake-client-id");
  });

  it("resource policies, statements located inside the plan's JSON string", () => {
    const doc = secretOf(inv, "aws_secretsmanager_secret.okta").resourcePolicy;
    expect(doc?.complete).toBe(true);
    expect(doc?.statements).toHaveLength(1);
    const [st] = doc?.statements ?? [];
    expect(toJSONView(st.principals?.value as Value)).toEqual({ AWS: "arn:aws:iam::123456789012:role/ops" });
    expect(textAt(planText, st.origin)).toBe(
      '{\\"Action\\":\\"secretsmanager:GetSecretValue\\",\\"Effect\\":\\"Allow\\",\\"Principal\\":{\\"AWS\\":\\"arn:aws:iam::123456789012:role/ops\\"},\\"Resource\\":\\"*\\"}',
    );
  });

  it("IAM policies: known in the plan (data sources, account id); statements at their place in the JSON string", () => {
    const ci = policyOf(inv, "aws_iam_policy.ci");
    expect(ci.document.complete).toBe(true);
    expect(ci.document.statements[0].resources?.value).toEqual(["arn:aws:secretsmanager:us-east-1:123456789012:secret:*"]);
    const sym = policyOf(inv, "aws_iam_policy.sym_secrets");
    expect(sym.document.statements).toHaveLength(1);
    const [st] = sym.document.statements;
    const line = lineOf(planText, '"policy": "{\\n  \\"Version\\"');
    expect(at(st.origin).startsWith(`plan.json:${line}:`)).toBe(true);
    expect(textAt(planText, st.origin).startsWith('{\\n      \\"Effect\\": \\"Allow\\"')).toBe(true);
    expect(st.actions?.value).toEqual(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]);
    expect(st.resources?.value).toEqual(["*"]);
    // The policy document data source is used by the policy: not listed as a document.
    expect(inv.iamPolicies.filter((p) => p.kind === "document")).toEqual([]);
  });

  it("principals and attachments by configuration references (ARNs are unknown in the plan)", () => {
    expect(inv.iamPrincipals.map((p) => [p.id, p.kind, p.name.value])).toEqual([["aws_iam_role.sym", "role", "SymRuntimeProd"]]);
    expect(policyOf(inv, "aws_iam_policy.sym_secrets").attachedTo).toEqual(["aws_iam_role.sym"]);
    expect(policyOf(inv, "aws_iam_policy.ci").attachedTo).toEqual([]);
  });

  it("Sym access policies from conditions, the environment located in the JSON string", () => {
    expect(inv.symAccessPolicies.map((s) => [s.id, s.tagName, s.environment.value, s.from])).toEqual([
      ["aws_iam_policy.sym_secrets#0/SymEnv", "SymEnv", "prod", "policy"],
    ]);
    expect(textAt(planText, inv.symAccessPolicies[0].environment.origin)).toBe('\\"secretsmanager:ResourceTag/SymEnv\\": \\"prod\\"');
  });

  it("sym_secret, sym objects and Apono references, linked to their secrets (in a for_each module too)", () => {
    expect(inv.symSecrets.map((s) => [s.id, s.path.value, s.secretRef, s.jsonKey?.value])).toEqual([
      ["sym_secret.okta", "sym/prod/okta-bot", "aws_secretsmanager_secret.okta", "api_token"],
    ]);
    expect(inv.symSecrets[0].sourceId.value).toBeInstanceOf(Unknown);
    expect(inv.symObjects.map((o) => [o.id, o.kind, o.type.value])).toEqual([["sym_secrets.this", "sym_secrets", "aws_secrets_manager"]]);
    expect(inv.aponoSecretRefs.map((a) => [a.id, a.via, a.region.value, a.secretRef])).toEqual([
      ['module.team["billing"].apono_integration.db', "apono_integration", "us-east-1", 'module.team["billing"].aws_secretsmanager_secret.db'],
    ]);
    // The secret's ARN is known only after apply.
    expect(inv.aponoSecretRefs[0].secretId.value).toBeInstanceOf(Unknown);
  });
});

describe("plan → inventory, located in the sources", () => {
  const project = loadProject(dir);
  const inv = inventoryFromPlanFile(planFile, { displayPath: "plan.json", sourceRoot: project });

  it("entities point at their declarations, values come from the plan", () => {
    const s = secretOf(inv, "aws_secretsmanager_secret.okta");
    expect(at(s.origin)).toBe("main.tf:11:1");
    expect(at(s.name.origin)).toBe("main.tf:12:3");
    expect(at(s.tagOrigins.get("SymEnv"))).toBe("main.tf:15:5");
    expect(knownPrefix(s.arn)).toContain(":123456789012:"); // the plan knows the account
    const team = secretOf(inv, 'module.team["billing"].aws_secretsmanager_secret.db');
    expect(at(team.origin)).toBe("modules/team/main.tf:5:1");
    expect(at(inv.iamPrincipals[0].origin)).toBe("main.tf:38:1");
  });

  it("statements at their source places: a policy document's statement blocks, jsonencode items", () => {
    const sym = policyOf(inv, "aws_iam_policy.sym_secrets");
    expect(sym.document.statements.map((st) => at(st.origin))).toEqual(["main.tf:52:3"]);
    expect(at(sym.document.statements[0].actions?.origin)).toBe("main.tf:53:5");
    expect(policyOf(inv, "aws_iam_policy.ci").document.statements.map((st) => at(st.origin))).toEqual(["main.tf:79:18"]);
    expect(secretOf(inv, "aws_secretsmanager_secret.okta").resourcePolicy?.statements.map((st) => at(st.origin))).toEqual(["main.tf:29:18"]);
    expect(at(inv.symAccessPolicies[0].environment.origin)).toBe("main.tf:59:7");
  });
});

describe("plan shapes", () => {
  const plan = JSON.parse(planText) as Record<string, unknown>;

  it("a minified plan (as terraform prints it): line 1, columns still exact", () => {
    const text = JSON.stringify(plan);
    const inv = inventoryFromPlan(plan, { planText: text, planPath: "tfplan.json" });
    const s = secretOf(inv, "aws_secretsmanager_secret.okta");
    expect(s.origin.file?.range.start.line).toBe(1);
    expect(textAt(text, s.origin)).toBe('"address":"aws_secretsmanager_secret.okta"');
    const [st] = policyOf(inv, "aws_iam_policy.sym_secrets").document.statements;
    expect(textAt(text, st.origin).startsWith("{")).toBe(true);
  });

  it("without the text: everything at the plan file's line 1", () => {
    const inv = inventoryFromPlan(plan);
    expect(at(secretOf(inv, "aws_secretsmanager_secret.okta").origin)).toBe("plan.json:1:1");
  });

  it("planned_values alone: absent attributes are unknown", () => {
    const { resource_changes: _drop, ...rest } = plan;
    void _drop;
    const inv = inventoryFromPlan(rest);
    const s = secretOf(inv, "aws_secretsmanager_secret.okta");
    expect(s.name.value).toBe("sym/prod/okta-bot");
    expect(s.kmsKeyId.value).toBeNull();
    const sym = inv.symSecrets[0];
    expect(sym.sourceId.value).toBeInstanceOf(Unknown);
  });

  it("a deleted resource is not in the inventory", () => {
    const copy = JSON.parse(planText) as { resource_changes: Array<{ address: string; change: { actions: string[] } }> };
    const rc = copy.resource_changes.find((c) => c.address === "aws_iam_policy.ci");
    if (rc) rc.change.actions = ["delete"];
    const inv = inventoryFromPlan(copy);
    expect(inv.iamPolicies.some((p) => p.id === "aws_iam_policy.ci")).toBe(false);
  });

  it("refuses what is not a plan, or a plan format it does not know", () => {
    expect(() => inventoryFromPlan([])).toThrow(PlanError);
    expect(() => inventoryFromPlan({ format_version: "1.0" })).toThrow(/not a Terraform plan/);
    expect(() => inventoryFromPlan({ ...plan, format_version: "2.0" })).toThrow(/unsupported plan format version 2\.0/);
  });
});
