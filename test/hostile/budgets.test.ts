// Hostile configurations through the built CLI: work that would never end, memory that would
// grow without bound, stacks that would overflow. Each attack sits in its own root module
// beside the good module; the run must end (a process-level timeout, no timed assertion), keep
// the good finding, and name each place it gave up on. Inputs are generated here.

import { describe, expect, it } from "vitest";
import { built, jsonFindings, keptGood, runCli, treeWithGood } from "../helpers/hostile.js";

const secretWithTag = (expr: string) => `resource "aws_secretsmanager_secret" "x" {\n  name = "x"\n  tags = { a = ${expr} }\n}\n`;

interface Report {
  code: number | null;
  findings: ReturnType<typeof jsonFindings>;
  notices: string[];
  stderr: string;
}

function scanJson(dir: string): Report {
  const r = runCli(["scan", ".", "-f", "json"], { cwd: dir });
  expect(r.timedOut, "the run hung").toBe(false);
  expect(r.stderr).not.toMatch(/internal error|Maximum call stack|out of memory|at .*\.js:\d+/);
  expect([0, 1, 2]).toContain(r.code);
  expect(keptGood(r.stdout), `good finding lost; stderr: ${r.stderr}`).toBe(true);
  const parsed = JSON.parse(r.stdout) as { notifications?: Array<{ message: string }> };
  return { code: r.code, findings: jsonFindings(r.stdout), notices: (parsed.notifications ?? []).map((n) => n.message), stderr: r.stderr };
}

function moduleFanOut(levels: number): Record<string, string> {
  const files: Record<string, string> = { "fan/main.tf": 'module "m" {\n  source = "./m0"\n  count  = 2\n}\n' };
  for (let i = 0; i < levels; i++) {
    files[`fan/m${i}/main.tf`] = i + 1 < levels ? `module "m" {\n  source = "../m${i + 1}"\n  count  = 2\n}\nresource "aws_secretsmanager_secret" "s" {\n  name = "s${i}"\n}\n` : 'resource "aws_secretsmanager_secret" "s" {\n  name = "leaf"\n}\n';
  }
  return files;
}

function manySecrets(n: number, root: string): string {
  let s = "";
  for (let i = 0; i < n; i++) s += `resource "aws_secretsmanager_secret" "s${i}" {\n  name = "${root}/s${i}"\n}\nresource "sym_secret" "s${i}" {\n  path      = aws_secretsmanager_secret.s${i}.name\n  source_id = "x"\n}\n`;
  return s;
}

function pythonDoubling(fstring: boolean, levels: number): string {
  let s = 'from flytekit import Secret\nA0 = "ab"\n';
  for (let i = 0; i < levels; i++) s += fstring ? `A${i + 1} = f"{A${i}}{A${i}}"\n` : `A${i + 1} = A${i} + A${i}\n`;
  return `${s}S = Secret(group=A${levels}, key="k")\n`;
}

/** A billion iterations that build nothing (only the step budget stops them). */
const emptyLoops = "length([for i in range(1000) : [for j in range(1000) : [for k in range(1000) : k if false]]])";

const doubling = (levels: number) => {
  let s = 'locals {\n  a0 = "ab"\n';
  for (let i = 0; i < levels; i++) s += `  a${i + 1} = "\${local.a${i}}\${local.a${i}}"\n`;
  return `${s}}\n${secretWithTag(`local.a${levels}`)}`;
};

describe.skipIf(!built)("budgets and superlinear work", () => {
  it("instances, module fan-out, doubling strings and loops end with a notice naming the place", () => {
    const dir = treeWithGood({
      "count6/main.tf": 'resource "aws_secretsmanager_secret" "x" {\n  count = 1000000\n  name  = "x${count.index}"\n}\n',
      "count9/main.tf": 'resource "aws_secretsmanager_secret" "x" {\n  count = 1000000000\n  name  = "x${count.index}"\n}\n',
      "keys/main.tf": 'resource "aws_secretsmanager_secret" "x" {\n  for_each = toset(flatten([for a in range(100) : [for b in range(1000) : "k${a}-${b}"]]))\n  name     = each.key\n}\n',
      ...moduleFanOut(13),
      "double/main.tf": doubling(30),
      "loops/main.tf": `locals {\n  big = [for i in range(1000) : [for j in range(1000) : [for k in range(1000) : k]]]\n}\n${secretWithTag("length(local.big)")}`,
      "product/main.tf": secretWithTag("length(setproduct(range(1000), range(1000), range(1000)))"),
      // Outside any module: a variables file and a Terragrunt configuration have budgets of their own.
      "tfvars/main.tf": 'variable "n" {}\n',
      "tfvars/terraform.tfvars": `n = ${emptyLoops}\n`,
      "tg/main.tf": 'variable "n" {}\n',
      "tg/terragrunt.hcl": `locals {\n  n = ${emptyLoops}\n}\ninputs = { n = local.n }\n`,
    });
    const r = scanJson(dir);
    const has = (re: RegExp) => expect(r.notices.some((n) => re.test(n)), `${re}\n${r.notices.join("\n")}`).toBe(true);
    has(/^count6\/main\.tf: line 2: count = 1000000: more instances than the limit of 10000; the block is evaluated as one instance of unknown key \(evaluation budget of root module count6\)/);
    has(/^count9\/main\.tf: line 2: count = 1000000000: more instances/);
    has(/^keys\/main\.tf: line 2: for_each over 100000 elements: more instances/);
    has(/^fan\/m\d+\/main\.tf: line 2: module "m" would make the module instances under this root more than 4096; it was not evaluated/);
    has(/^double\/main\.tf: line \d+: a template of more than 8388608 characters; its value is unknown \(evaluation budget of root module double\)/);
    has(/^loops\/main\.tf: line 2: a collection of more than 1000000 values/);
    has(/^loops\/main\.tf: line 2: more than 20000000 evaluation steps/);
    has(/^tfvars\/terraform\.tfvars: line 1: more than 20000000 evaluation steps; what was left to evaluate is unknown \(evaluation budget of a variables file\)/);
    has(/^tg\/terragrunt\.hcl: line 2: more than 20000000 evaluation steps; what was left to evaluate is unknown \(evaluation budget of a Terragrunt configuration\)/);
    has(/^product\/main\.tf: line 3: setproduct\(\): a result of 1000000000 combinations; its value is unknown/);
    // Budgets make values unknown; they do not make the scan partial.
    expect(r.code).toBe(1);
  });

  it("large inputs that used to be quadratic or exponential end (heredoc, two roots of 4,000 secrets, one long line, Python constants)", () => {
    const dir = treeWithGood({
      "heredoc/main.tf": `locals {\n  h = <<EOT\n${"αβγ line\n".repeat(8000)}EOT\n}\n${secretWithTag("length(local.h)")}`,
      "r1/main.tf": manySecrets(4000, "r1"),
      "r2/main.tf": manySecrets(4000, "r2"),
      "mage/io_config.yml": `default:\n  AWS_SECRET_ACCESS_KEY: "${"{{ aws_secret_var('s') }}".repeat(20000)}"\n`,
      "flyte/fstrings.py": pythonDoubling(true, 40),
      "flyte/plus.py": pythonDoubling(false, 40),
    });
    const r = scanJson(dir);
    expect(r.findings.filter((f) => f.file === "heredoc/main.tf")).toEqual([]);
  });

  it("regular expressions that make a backtracking engine run forever are matched in linear time", () => {
    const text = "a".repeat(40) + "!";
    const dir = treeWithGood({
      "re/main.tf": [
        'resource "aws_secretsmanager_secret" "r" {',
        '  name                    = "r"',
        "  recovery_window_in_days = 0",
        "  tags = {",
        `    a = can(regex("(a+)+$", "${text}")) ? "matched" : "none"`,
        `    b = length(regexall("(a|aa)+$", "${text}"))`,
        `    c = replace("${text}", "/(a*)*b/", "x")`,
        `    d = try(regex("(x+x+)+y", "${"x".repeat(5000)}"), "none")`,
        "  }",
        "}",
        "",
      ].join("\n"),
      // RE2 reads a `{` that is not a repetition as itself (JavaScript's `u` mode refuses it).
      "brace/main.tf": 'resource "aws_secretsmanager_secret" "b" {\n  name                    = regex("^[$]{([a-z]+)}", "$${prod}-db")[0]\n  recovery_window_in_days = 0\n}\n',
    });
    const r = scanJson(dir);
    expect(r.findings.filter((f) => f.ruleId === "secret/immediate-deletion").map((f) => f.file).sort()).toEqual(["brace/main.tf", "good/main.tf", "re/main.tf"]);
    const text2 = runCli(["scan", "brace", "-f", "text"], { cwd: dir });
    expect(text2.stdout).toMatch(/Secret `prod`/);
  });

  it("expressions thousands deep (operators, steps, brackets, templates; HCL and JSON) are parse errors, not stack overflows", () => {
    const dir = treeWithGood({
      "sum/main.tf": secretWithTag(Array(5000).fill("1").join("+")),
      "steps/main.tf": `locals {\n  o = {}\n}\n${secretWithTag("local.o" + ".x".repeat(5000))}`,
      "index/main.tf": `locals {\n  o = []\n}\n${secretWithTag("local.o" + "[0]".repeat(5000))}`,
      "splat/main.tf": `locals {\n  o = []\n}\n${secretWithTag("local.o[*]" + ".x".repeat(5000))}`,
      "not/main.tf": secretWithTag("!".repeat(5000) + "true"),
      "cond/main.tf": secretWithTag("true ? 1 : ".repeat(5000) + "1"),
      "calls/main.tf": secretWithTag("max(".repeat(5000) + "1" + ")".repeat(5000)),
      "tmpl/main.tf": secretWithTag('"${'.repeat(3000) + "1" + '}"'.repeat(3000)),
      "json/main.tf.json": JSON.stringify({ resource: { aws_secretsmanager_secret: { x: { name: "x", tags: { a: "${local.o" + ".x".repeat(5000) + "}" } } } }, locals: { o: {} } }),
      "json-index/main.tf.json": JSON.stringify({ locals: { o: "${" + Array(5000).fill("1").join("+") + "}" } }),
      "blocks/main.tf": "a {\n".repeat(5000) + "}\n".repeat(5000),
      "chain/main.tf": (() => {
        let s = 'locals {\n  a0 = "x"\n';
        for (let i = 1; i <= 5000; i++) s += `  a${i} = "\${local.a${i - 1}}y"\n`;
        return `${s}}\n${secretWithTag("length(local.a5000)")}`;
      })(),
    });
    const r = scanJson(dir);
    for (const f of ["sum/main.tf", "steps/main.tf", "index/main.tf", "splat/main.tf", "not/main.tf", "cond/main.tf", "calls/main.tf", "tmpl/main.tf", "json/main.tf.json", "json-index/main.tf.json", "blocks/main.tf"]) {
      expect(r.findings.filter((x) => x.file === f && x.ruleId === "terraform/parse-error").map((x) => x.message), f).toEqual([expect.stringMatching(/nesting is deeper than 500 levels/)]);
    }
  });

  it("a file of thousands of syntax errors reports the first hundred", () => {
    const dir = treeWithGood({ "bad/main.tf": `locals {\n  o = []\n}\n${secretWithTag("local.o[*]" + ".*.x".repeat(3000))}` });
    const errors = scanJson(dir).findings.filter((f) => f.file === "bad/main.tf" && f.ruleId === "terraform/parse-error");
    expect(errors).toHaveLength(101);
    expect(errors[100].message).toMatch(/more than 100 syntax errors; the rest are not shown/);
  });
});
