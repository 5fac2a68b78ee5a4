// Evaluation budgets (src/terraform/budget.ts): a configuration that asks for more instances,
// longer strings, larger collections or deeper modules than any real one gets unknown values
// there, with one notice naming the file and line; a value under the budget is evaluated as
// before, and duplicate removal is linear. Inputs are generated here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseExpressionSource } from "../../src/hcl/parser.js";
import { EvalBudget, LIMITS } from "../../src/terraform/budget.js";
import { evaluate, type Scope } from "../../src/terraform/evaluate.js";
import type { ModuleInstance, ResourceInstance } from "../../src/terraform/module.js";
import { loadProject, type Project } from "../../src/terraform/project.js";
import { Unknown, type Value } from "../../src/terraform/values.js";

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>): Project {
  const dir = mkdtempSync(join(tmpdir(), "tf-budget-"));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return loadProject(dir);
}

function all(m: ModuleInstance): ResourceInstance[] {
  return [m, ...m.descendants()].flatMap((x) => x.allResourceInstances());
}

/** The budget notices of a project (after its evaluation). */
const budgetNotices = (p: Project) => p.fileNotices.filter((n) => /evaluation budget of root module/.test(n.message)).map((n) => `${p.display(n.path)}: ${n.message}`);

function ev(m: ModuleInstance, src: string): Value {
  const { expr, diagnostics } = parseExpressionSource(src, "expr.tf");
  expect(diagnostics).toEqual([]);
  return evaluate(expr, m);
}

describe("instance budgets", () => {
  it("count past the budget is one instance of unknown key, with a notice at the count", () => {
    for (const n of ["1000000", "1000000000", "1e9"]) {
      const p = project({ "main.tf": `resource "aws_secretsmanager_secret" "x" {\n  count = ${n}\n  name  = "x-\${count.index}"\n}\n` });
      const insts = all(p.roots[0]);
      expect(insts.map((i) => i.address)).toEqual(["aws_secretsmanager_secret.x[*]"]);
      expect(insts[0].value.get("name")).toBeInstanceOf(Unknown);
      expect(budgetNotices(p)).toEqual([expect.stringMatching(new RegExp(`^main\\.tf: line 2: count = ${Number(n)}: more instances than the limit of ${LIMITS.instances}; the block is evaluated as one instance of unknown key \\(evaluation budget of root module [^)]+\\)$`))]);
    }
  });

  it("count and for_each at the budget are expanded as before", () => {
    const p = project({ "main.tf": `resource "aws_x" "c" {\n  count = ${LIMITS.instances}\n}\nresource "aws_x" "e" {\n  for_each = toset([for i in range(1000) : "k\${i}"])\n}\n` });
    expect(all(p.roots[0])).toHaveLength(LIMITS.instances + 1000);
    expect(budgetNotices(p)).toEqual([]);
  });

  it("for_each over 100,000 keys: the set is built in linear time, then over the budget", () => {
    const keys = 'flatten([for a in range(100) : [for b in range(1000) : "k${a}-${b}"]])';
    const p = project({ "main.tf": `locals {\n  n = length(toset(concat(${keys}, ${keys})))\n}\nresource "aws_x" "e" {\n  for_each = toset(${keys})\n  name     = each.key\n}\n` });
    const m = p.roots[0];
    expect(ev(m, "local.n")).toBe(100_000);
    expect(all(m).map((i) => i.address)).toEqual(["aws_x.e[*]"]);
    expect(budgetNotices(p)).toEqual([expect.stringMatching(/^main\.tf: line 5: for_each over 100000 elements: more instances than the limit/)]);
  });

  it("a fan-out of module calls stops at the module-instance budget, with a notice at the call", () => {
    const files: Record<string, string> = { "main.tf": 'module "m" {\n  source = "./m0"\n  count  = 2\n}\n' };
    for (let i = 0; i < 13; i++) files[`m${i}/main.tf`] = i < 12 ? `module "m" {\n  source = "../m${i + 1}"\n  count  = 2\n}\n` : 'resource "aws_x" "leaf" {}\n';
    const p = project(files);
    const m = p.roots[0];
    expect(m.descendants().length).toBeLessThanOrEqual(LIMITS.moduleInstances);
    expect(budgetNotices(p)).toEqual([expect.stringMatching(/^m\d+\/main\.tf: line 2: module "m" would make the module instances under this root more than 4096; it was not evaluated, and its outputs are unknown/)]);
  });

  it("modules nested deeper than 16 levels are not evaluated, with a notice", () => {
    const files: Record<string, string> = { "main.tf": 'module "m" {\n  source = "./m0"\n}\noutput "o" {\n  value = module.m.o\n}\n' };
    for (let i = 0; i < 20; i++) files[`m${i}/main.tf`] = i < 19 ? `module "m" {\n  source = "../m${i + 1}"\n}\noutput "o" {\n  value = module.m.o\n}\n` : 'output "o" {\n  value = "leaf"\n}\n';
    const p = project(files);
    expect(ev(p.roots[0], "module.m.o")).toBeInstanceOf(Unknown);
    expect(budgetNotices(p)).toEqual([expect.stringMatching(/^m15\/main\.tf: line 2: module "m" is nested deeper than 16 module levels; it was not evaluated/)]);
  });
});

describe("size budgets", () => {
  it("a string that doubles is unknown past the string budget, with a notice", () => {
    let locals = 'locals {\n  a0 = "ab"\n';
    for (let i = 0; i < 30; i++) locals += `  a${i + 1} = "\${local.a${i}}\${local.a${i}}"\n`;
    const p = project({ "main.tf": `${locals}  b = join("", [local.a22, local.a22])\n}\n` });
    const m = p.roots[0];
    expect(ev(m, "length(local.a20)")).toBe(2 ** 21);
    expect(ev(m, "local.a30")).toBeInstanceOf(Unknown);
    expect(budgetNotices(p)).toEqual([expect.stringMatching(/^main\.tf: line 2\d: a template of more than 8388608 characters; its value is unknown/)]);
    expect(ev(m, "local.b")).toBeInstanceOf(Unknown);
  });

  it("setproduct past the collection budget is not built", () => {
    const p = project({ "main.tf": 'locals {\n  p = setproduct(range(1000), range(1000), range(1000))\n  q = length(setproduct(range(3), range(4)))\n}\n' });
    const m = p.roots[0];
    expect(ev(m, "local.p")).toBeInstanceOf(Unknown);
    expect(ev(m, "local.q")).toBe(12);
    expect(budgetNotices(p)).toEqual([expect.stringMatching(/^main\.tf: line 2: setproduct\(\): a result of 1000000000 combinations; its value is unknown/)]);
  });

  it("a collection past the budget is unknown; loops over it run out of steps, not time", () => {
    const p = project({ "main.tf": 'locals {\n  big = [for i in range(1000) : [for j in range(1000) : [for k in range(1000) : k]]]\n  n = length(local.big)\n}\n' });
    expect(ev(p.roots[0], "local.n")).toBeInstanceOf(Unknown);
    expect(budgetNotices(p)).toEqual([
      expect.stringMatching(/^main\.tf: line 2: a collection of more than 1000000 values; its value is unknown/),
      expect.stringMatching(/^main\.tf: line 2: more than 20000000 evaluation steps; what was left to evaluate is unknown/),
    ]);
  });
});

describe("EvalBudget", () => {
  const scopeWith = (budget: EvalBudget): Scope => ({ root: () => undefined, functionContext: { baseDir: "/", readFile: () => undefined }, budget });
  const parse = (src: string) => parseExpressionSource(src, "x.tf").expr;

  it("past the steps, every later expression is unknown; each kind and place is said once", () => {
    const said: string[] = [];
    const budget = new EvalBudget((e) => said.push(`${e.kind} ${e.detail}`), { ...LIMITS, steps: 50 });
    const scope = scopeWith(budget);
    expect(evaluate(parse("[for i in range(10) : i * 2]"), scope)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    const later = evaluate(parse("[for i in range(100) : i * 2]"), scope) as Value[];
    expect(later.slice(0, 4)).toEqual([0, 2, 4, 6]);
    expect(later.slice(-50).every((x) => x instanceof Unknown)).toBe(true);
    expect(evaluate(parse("1 + 1"), scope)).toBeInstanceOf(Unknown);
    expect(said).toEqual(["steps more than 50 evaluation steps; what was left to evaluate is unknown"]);
  });

  it("function calls and comparisons are charged by the size of what they walk", () => {
    const budget = new EvalBudget(() => {}, { ...LIMITS, steps: 5_000 });
    const scope = scopeWith(budget);
    expect(evaluate(parse("length(range(1000))"), scope)).toBe(1000);
    const before = budget.steps;
    evaluate(parse("range(1000) == range(1000)"), scope);
    expect(budget.steps - before).toBeGreaterThan(2000);
    const encoded = evaluate(parse("[for i in range(10) : jsonencode(range(1000))]"), scope) as Value[];
    expect(typeof encoded[0]).toBe("string");
    expect(encoded[9]).toBeInstanceOf(Unknown);
  });

  it("nesting deeper than the depth budget is unknown, not a stack overflow", () => {
    const said: string[] = [];
    const budget = new EvalBudget((e) => said.push(e.kind), { ...LIMITS, depth: 20 });
    let v = evaluate(parse("[".repeat(30) + "1" + "]".repeat(30)), scopeWith(budget));
    while (Array.isArray(v)) v = v[0];
    expect(v).toBeInstanceOf(Unknown);
    expect(evaluate(parse("[[[1]]]"), scopeWith(budget))).toEqual([[[1]]]);
    expect(said).toEqual(["depth"]);
  });
});
