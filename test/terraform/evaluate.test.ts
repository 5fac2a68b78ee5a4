// The expression evaluator, three-valued (known / Unknown keeping its known parts / Failure),
// checked against Terraform's semantics: references, unknown propagation, templates,
// conditionals, for expressions, splats and operators. Each case is an inline configuration
// loaded through `loadProject`, so names resolve the way the scanner resolves them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseExpressionSource } from "../../src/hcl/parser.js";
import { evaluate } from "../../src/terraform/evaluate.js";
import type { ModuleInstance } from "../../src/terraform/module.js";
import { loadProject, type ProjectOptions } from "../../src/terraform/project.js";
import {
  Failure,
  ObjectValue,
  Unknown,
  knownPrefix,
  knownSuffix,
  toJSONView,
  type Value,
} from "../../src/terraform/values.js";

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** Writes files (relative path → text) into a new temporary directory. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "tf-eval-"));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** The root module instance of a one-file configuration. */
function mod(main: string, options?: ProjectOptions, extra: Record<string, string> = {}): ModuleInstance {
  const p = loadProject(tree({ "main.tf": main, ...extra }), options);
  expect(p.roots).toHaveLength(1);
  return p.roots[0];
}

/** Evaluates an expression's source text in a module's scope. */
function ev(m: ModuleInstance, src: string): Value {
  const { expr, diagnostics } = parseExpressionSource(src, "expr.tf");
  expect(diagnostics).toEqual([]);
  return evaluate(expr, m);
}

/** Evaluates expressions in a configuration that is only `locals` (plus `extra` text). */
function locals(body: string, extra = ""): ModuleInstance {
  return mod(`locals {\n${body}\n}\n${extra}`);
}

const view = (v: Value): unknown => toJSONView(v);

function expectUnknown(v: Value): Unknown {
  expect(v, JSON.stringify(view(v))).toBeInstanceOf(Unknown);
  return v as Unknown;
}
function expectFailure(v: Value, match?: RegExp): Failure {
  expect(v, JSON.stringify(view(v))).toBeInstanceOf(Failure);
  if (match) expect((v as Failure).message).toMatch(match);
  return v as Failure;
}
/** A partly known string's pieces, unknown stretches as "?". */
function pieces(v: Value): string[] {
  const u = expectUnknown(v);
  expect(u.template, "a partly known string").toBeDefined();
  return (u.template ?? []).map((p) => (typeof p === "string" ? p : "?"));
}

// ------------------------------------------------------------------------------------------

describe("variables", () => {
  const decl = `
variable "plain" { default = "d" }
variable "unset" {}
variable "num" {
  type    = number
  default = 1
}
`;

  it("uses the default when nothing is given", () => {
    const m = mod(decl);
    expect(ev(m, "var.plain")).toBe("d");
    expect(ev(m, "var.num")).toBe(1);
  });

  it("keeps an unset variable unknown, with reason variable", () => {
    const u = expectUnknown(ev(mod(decl), "var.unset"));
    expect(u.reason).toBe("variable");
    expect(u.what).toBe("var.unset");
  });

  it("an undeclared variable is unknown (terraform/undefined-reference reports it), not a failure or a crash", () => {
    const u = expectUnknown(ev(mod(decl), "var.nope"));
    expect([u.reason, u.what]).toEqual(["undeclared", "var.nope"]);
  });

  it("terraform.tfvars overrides defaults; *.auto.tfvars apply after it in lexical order", () => {
    const dir = tree({
      "main.tf": decl + `variable "a" {}\nvariable "b" {}\nvariable "c" {}\n`,
      "terraform.tfvars": `plain = "tfvars"\na = "tfvars"\nb = "tfvars"\nc = "tfvars"\n`,
      "b.auto.tfvars": `b = "b-auto"\nc = "b-auto"\n`,
      "a.auto.tfvars.json": `{"a": "a-auto-json", "c": "a-auto-json"}`,
      "c.auto.tfvars": `c = "c-auto"\n`,
      "ignored.tfvars": `plain = "never read"\n`,
    });
    const m = loadProject(dir).roots[0];
    expect(ev(m, "var.plain")).toBe("tfvars");
    expect(ev(m, "var.a")).toBe("a-auto-json");
    expect(ev(m, "var.b")).toBe("b-auto");
    expect(ev(m, "var.c")).toBe("c-auto");
  });

  it("terraform.tfvars.json applies after terraform.tfvars", () => {
    const dir = tree({
      "main.tf": `variable "x" {}\nvariable "y" {}\n`,
      "terraform.tfvars": `x = "hcl"\ny = "hcl"\n`,
      "terraform.tfvars.json": `{"x": "json"}`,
    });
    const m = loadProject(dir).roots[0];
    expect(ev(m, "var.x")).toBe("json");
    expect(ev(m, "var.y")).toBe("hcl");
  });

  it("--var-file and --var win over every file, --var last", () => {
    const dir = tree({
      "main.tf": `variable "x" {}\nvariable "y" {}\nvariable "z" { default = "z" }\n`,
      "terraform.tfvars": `x = "tfvars"\ny = "tfvars"\n`,
      "zz.auto.tfvars": `x = "auto"\ny = "auto"\n`,
      "extra/prod.tfvars": `x = "varfile"\ny = "varfile"\n`,
    });
    const m = loadProject(dir, { varFiles: [join(dir, "extra/prod.tfvars")], vars: [["y", "cli"]] }).roots[0];
    expect(ev(m, "var.x")).toBe("varfile");
    expect(ev(m, "var.y")).toBe("cli");
    expect(ev(m, "var.z")).toBe("z");
  });

  it("later --var-files win over earlier ones", () => {
    const dir = tree({
      "main.tf": `variable "x" {}\n`,
      "one.tfvars": `x = "one"\n`,
      "two.tfvars": `x = "two"\n`,
    });
    const m = loadProject(dir, { varFiles: [join(dir, "one.tfvars"), join(dir, "two.tfvars")] }).roots[0];
    expect(ev(m, "var.x")).toBe("two");
  });

  it("--var values: a string variable takes the text as is, typed ones are converted", () => {
    const m = mod(
      `
variable "s" { type = string }
variable "untyped" {}
variable "n" { type = number }
variable "b" { type = bool }
variable "l" { type = list(string) }
variable "m" { type = map(string) }
`,
      {
        vars: [
          ["s", "123"],
          ["untyped", "007"],
          ["n", "42"],
          ["b", "true"],
          ["l", `["a", "b"]`],
          ["m", `{ k = "v" }`],
        ],
      },
    );
    expect(ev(m, "var.s")).toBe("123");
    expect(ev(m, `var.s == "123"`)).toBe(true);
    expect(ev(m, "var.untyped")).toBe("007");
    expect(ev(m, "var.n")).toBe(42);
    expect(ev(m, "var.b")).toBe(true);
    expect(view(ev(m, "var.l"))).toEqual(["a", "b"]);
    expect(view(ev(m, "var.m"))).toEqual({ k: "v" });
  });

  it("tfvars values are converted to the declared type", () => {
    const dir = tree({
      "main.tf": `variable "s" { type = string }\nvariable "n" { type = number }\n`,
      "terraform.tfvars": `s = 5\nn = "7"\n`,
    });
    const m = loadProject(dir).roots[0];
    expect(ev(m, "var.s")).toBe("5");
    expect(ev(m, "var.n")).toBe(7);
  });

  it("values for undeclared variables are ignored", () => {
    const dir = tree({ "main.tf": `variable "x" { default = 1 }\n`, "terraform.tfvars": `y = 2\n` });
    const p = loadProject(dir, { vars: [["z", "3"]] });
    expect(ev(p.roots[0], "var.x")).toBe(1);
  });

  it("an unreadable or broken var file is a diagnostic, not a crash", () => {
    const dir = tree({ "main.tf": `variable "x" { default = 1 }\n`, "bad.tfvars.json": `{ not json` });
    const p = loadProject(dir, { varFiles: [join(dir, "missing.tfvars"), join(dir, "bad.tfvars.json")] });
    expect(p.diagnostics.length).toBeGreaterThanOrEqual(2);
    expect(ev(p.roots[0], "var.x")).toBe(1);
  });
});

describe("locals", () => {
  it("resolve chains in any order", () => {
    const m = locals(`
  c = "\${local.b}-c"
  b = "\${local.a}-b"
  a = "a"
`);
    expect(ev(m, "local.c")).toBe("a-b-c");
  });

  it("locals from several blocks and files share one namespace", () => {
    const m = mod(`locals { x = local.y }\n`, {}, { "other.tf": `locals { y = "from other" }\n` });
    expect(ev(m, "local.x")).toBe("from other");
  });

  it("a reference cycle is a Failure, not a crash or a hang", () => {
    const m = locals(`
  a = local.b
  b = local.c
  c = local.a
  self = "\${local.self}x"
  ok = "fine"
`);
    expectFailure(ev(m, "local.a"), /cycle/);
    expectFailure(ev(m, "local.self"), /cycle/);
    expect(ev(m, "local.ok")).toBe("fine");
  });

  it("a chain of references deeper than the call stack is a Failure, not a crash", () => {
    const lines = ['l0 = "x"'];
    for (let i = 1; i < 20000; i++) lines.push(`l${i} = local.l${i - 1}`);
    const m = locals(lines.join("\n"));
    expectFailure(ev(m, "local.l19999"), /too deeply/);
    expect(ev(m, "local.l100")).toBe("x");
  });

  it("a cycle through a resource argument terminates", () => {
    const m = mod(`
locals { name = aws_secretsmanager_secret.s.name }
resource "aws_secretsmanager_secret" "s" { name = local.name }
`);
    expect(ev(m, "local.name")).toBeInstanceOf(Failure);
  });

  it("an undeclared local is unknown (undeclared)", () => {
    expect(expectUnknown(ev(locals(`a = 1`), "local.b")).reason).toBe("undeclared");
  });
});

describe("resources and data sources", () => {
  const cfg = `
provider "aws" { region = "us-east-1" }
variable "env" { default = "prod" }
resource "aws_secretsmanager_secret" "db" {
  name = "\${var.env}/db"
  tags = { team = "data" }
}
resource "aws_secretsmanager_secret" "gen" { name_prefix = "app-" }
resource "aws_instance" "web" { ami = "ami-123" }
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}
data "aws_secretsmanager_secret" "by_name" { name = "given" }
`;

  it("configuration arguments are known", () => {
    const m = mod(cfg);
    expect(ev(m, "aws_secretsmanager_secret.db.name")).toBe("prod/db");
    expect(ev(m, "aws_secretsmanager_secret.db.tags.team")).toBe("data");
    expect(ev(m, "aws_instance.web.ami")).toBe("ami-123");
  });

  it("computed attributes are unknown with reason computed", () => {
    const u = expectUnknown(ev(mod(cfg), "aws_instance.web.private_ip"));
    expect(u.reason).toBe("computed");
    expect(u.what).toBe("aws_instance.web.private_ip");
  });

  it("a secret's arn is partly known: partition, region and name known; account and suffix unknown", () => {
    const arn = ev(mod(cfg), "aws_secretsmanager_secret.db.arn");
    expect(pieces(arn)).toEqual(["arn:aws:secretsmanager:us-east-1:", "?", ":secret:prod/db-", "?"]);
    expect(knownPrefix(arn)).toBe("arn:aws:secretsmanager:us-east-1:");
    expect(pieces(ev(mod(cfg), "aws_secretsmanager_secret.db.id"))).toEqual(pieces(arn));
  });

  it("a name_prefix secret: the name and arn keep the prefix", () => {
    const m = mod(cfg);
    expect(pieces(ev(m, "aws_secretsmanager_secret.gen.name"))).toEqual(["app-", "?"]);
    // arn:…:secret:<prefix><generated>-<6 random characters>
    expect(pieces(ev(m, "aws_secretsmanager_secret.gen.arn"))).toEqual(["arn:aws:secretsmanager:us-east-1:", "?", ":secret:app-", "?", "-", "?"]);
  });

  it("data source results are unknown with reason data; their own arguments are known", () => {
    const m = mod(cfg);
    const u = expectUnknown(ev(m, "data.aws_caller_identity.current.account_id"));
    expect(u.reason).toBe("data");
    expect(expectUnknown(ev(m, "data.aws_secretsmanager_secret.by_name.arn")).reason).toBe("data");
    expect(ev(m, "data.aws_secretsmanager_secret.by_name.name")).toBe("given");
  });

  it("aws_region and aws_partition come from the provider region", () => {
    const m = mod(cfg);
    expect(ev(m, "data.aws_region.current.name")).toBe("us-east-1");
    expect(ev(m, "data.aws_region.current.region")).toBe("us-east-1");
    expect(ev(m, "data.aws_partition.current.partition")).toBe("aws");
    const gov = mod(`provider "aws" { region = "us-gov-west-1" }\ndata "aws_partition" "p" {}\n`);
    expect(ev(gov, "data.aws_partition.p.partition")).toBe("aws-us-gov");
  });

  it("aws_region without a provider region is unknown", () => {
    expectUnknown(ev(mod(`data "aws_region" "r" {}\n`), "data.aws_region.r.name"));
  });

  it("aws_iam_policy_document json is derived from its blocks", () => {
    const m = mod(`
data "aws_iam_policy_document" "p" {
  version = "2012-10-17"
  statement {
    sid       = "Read"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "secretsmanager:ResourceTag/SymEnv"
      values   = ["prod"]
    }
  }
}
data "aws_iam_policy_document" "noversion" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
`);
    const json = ev(m, "data.aws_iam_policy_document.p.json");
    expect(typeof json, JSON.stringify(view(json))).toBe("string");
    const doc = JSON.parse(json as string);
    expect(doc.Version).toBe("2012-10-17");
    expect(doc.Statement[0]).toMatchObject({
      Sid: "Read",
      Effect: "Allow",
      Principal: { AWS: ["arn:aws:iam::123456789012:root"] },
      Condition: { StringEquals: { "secretsmanager:ResourceTag/SymEnv": ["prod"] } },
    });
    const plain = ev(m, "data.aws_iam_policy_document.noversion.json");
    expect(typeof plain, JSON.stringify(view(plain))).toBe("string");
    expect(JSON.parse(plain as string).Version).toBe("2012-10-17");
  });

  it("a policy document with an unknown resource keeps its statements (json)", () => {
    const m = mod(`
data "aws_caller_identity" "c" {}
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:us-east-1:\${data.aws_caller_identity.c.account_id}:secret:*"]
  }
}
`);
    const u = expectUnknown(ev(m, "data.aws_iam_policy_document.p.json"));
    expect(u.json).toBeInstanceOf(ObjectValue);
    const st = ((u.json as ObjectValue).get("Statement") as Value[])[0] as ObjectValue;
    const res = (st.get("Resource") as Value[])[0];
    expect(knownSuffix(res)).toBe(":secret:*");
  });

  it("an undeclared resource, data source or module is unknown (undeclared)", () => {
    for (const ref of ["aws_instance.nope.id", "aws_nothing.x.id", "resource.aws_nothing.x.id", "data.aws_nothing.x.id", "module.nope.out"]) {
      expect(expectUnknown(ev(mod(cfg), ref)).reason, ref).toBe("undeclared");
    }
  });

  it("nested blocks read as lists of objects", () => {
    const m = mod(`
resource "aws_x" "y" {
  rule {
    name = "a"
  }
  rule {
    name = "b"
  }
}
`);
    expect(view(ev(m, "aws_x.y.rule[*].name"))).toEqual(["a", "b"]);
    expect(ev(m, "aws_x.y.rule[1].name")).toBe("b");
  });

  it("attributes a nested block does not set read as computed unknowns in references", () => {
    const m = mod(`
resource "aws_eks_cluster" "c" {
  vpc_config {
    subnet_ids = ["a"]
  }
}
data "aws_x" "d" {
  filter {
    name = "n"
  }
}
locals { sg = aws_eks_cluster.c.vpc_config[0].cluster_security_group_id }
`);
    const u = expectUnknown(ev(m, "local.sg"));
    expect(u.reason).toBe("computed");
    expect(u.what).toBe("aws_eks_cluster.c.vpc_config.cluster_security_group_id");
    expect(view(ev(m, "aws_eks_cluster.c.vpc_config[0].subnet_ids"))).toEqual(["a"]);
    expect(expectUnknown(ev(m, "data.aws_x.d.filter[0].values")).reason).toBe("data");
    // The object itself (what collectors read) holds only what the configuration sets.
    const cfg = ev(m, "aws_eks_cluster.c.vpc_config[0]") as ObjectValue;
    expect(cfg.get("cluster_security_group_id")).toBeUndefined();
    expect(cfg.keys()).toEqual(["subnet_ids"]);
  });

  it("resource arguments named like module meta-arguments (source, version) are kept", () => {
    const m = mod(`resource "aws_s3_object" "o" {\n  source  = "file.txt"\n  version = "v1"\n}\n`);
    expect(ev(m, "aws_s3_object.o.source")).toBe("file.txt");
    expect(ev(m, "aws_s3_object.o.version")).toBe("v1");
  });
});

describe("path, terraform and block-local names", () => {
  it("path.module is . in a root, path.root is .", () => {
    const m = mod(`locals { p = path.module }\n`);
    expect(ev(m, "path.module")).toBe(".");
    expect(ev(m, "path.root")).toBe(".");
    expect(ev(m, "terraform.workspace")).toBe("default");
  });

  it("file() reads relative to the root module, so path.module works", () => {
    const m = mod(`locals { f = file("\${path.module}/policy.json") }\n`, {}, { "policy.json": `{"a":1}` });
    expect(ev(m, "local.f")).toBe(`{"a":1}`);
  });

  it("count and each outside count/for_each are Failures", () => {
    const m = mod(`locals { a = 1 }\n`);
    expectFailure(ev(m, "count.index"));
    expectFailure(ev(m, "each.key"));
  });
});

// ------------------------------------------------------------------------------------------

describe("unknown propagation", () => {
  const m = () =>
    mod(`
variable "u" {}
data "aws_caller_identity" "current" {}
resource "aws_instance" "i" { ami = "x" }
`);

  it.each([
    ["var.u", "variable"],
    ["data.aws_caller_identity.current.account_id", "data"],
    ["aws_instance.i.id", "computed"],
  ])("%s stays unknown (%s)", (src, reason) => {
    expect(expectUnknown(ev(m(), src)).reason).toBe(reason);
  });

  it.each([
    "var.u + 1",
    "-var.u",
    "!var.u",
    "var.u > 3",
    "var.u == 1",
    "var.u != 1",
    "var.u.attr",
    "var.u[0]",
    `var.u["k"]`,
    "var.u[*].id",
    "[for x in var.u : x]",
    "{ for k, v in var.u : k => v }",
    "upper(var.u)",
    "var.u ? 1 : 2",
    "data.aws_caller_identity.current.account_id == \"1\"",
  ])("%s is unknown", (src) => {
    expectUnknown(ev(m(), src));
  });

  it("a template with an unknown part keeps its known text", () => {
    const v = ev(m(), `"arn:aws:secretsmanager:us-east-1:\${data.aws_caller_identity.current.account_id}:secret:*"`);
    expect(pieces(v)).toEqual(["arn:aws:secretsmanager:us-east-1:", "?", ":secret:*"]);
    expect(knownPrefix(v)).toBe("arn:aws:secretsmanager:us-east-1:");
    expect(knownSuffix(v)).toBe(":secret:*");
  });

  it("partly known strings nest into templates without losing pieces", () => {
    const mm = mod(`
data "aws_caller_identity" "c" {}
locals {
  acct = "acct-\${data.aws_caller_identity.c.account_id}"
  arn  = "x:\${local.acct}:y"
}
`);
    expect(pieces(ev(mm, "local.arn"))).toEqual(["x:acct-", "?", ":y"]);
  });

  it("an object with an unknown value keeps its keys and known values", () => {
    const v = ev(m(), `{ user = var.u, known = "k" }`);
    expect(v).toBeInstanceOf(ObjectValue);
    const o = v as ObjectValue;
    expect(o.keys()).toEqual(["user", "known"]);
    expect(o.get("known")).toBe("k");
    expectUnknown(o.get("user") as Value);
  });

  it("a list with an unknown element keeps its length", () => {
    const v = ev(m(), `["a", var.u]`);
    expect(Array.isArray(v) && v.length).toBe(2);
    expect(ev(m(), `length(["a", var.u])`)).toBe(2);
  });

  it("an object with an unknown key is unknown", () => {
    expectUnknown(ev(m(), `{ (var.u) = 1 }`));
  });

  it("jsonencode of a partly known object keeps the object (key user)", () => {
    const u = expectUnknown(ev(m(), `jsonencode({ user = var.u })`));
    expect(u.json).toBeInstanceOf(ObjectValue);
    expect((u.json as ObjectValue).keys()).toEqual(["user"]);
  });

  it("merge keeps known keys of a partly known object", () => {
    const v = ev(m(), `merge({ a = 1 }, { b = var.u })`);
    expect(v).toBeInstanceOf(ObjectValue);
    expect((v as ObjectValue).keys().sort()).toEqual(["a", "b"]);
  });

  it("try() of an unknown is unknown; try() past a failure takes the fallback", () => {
    expectUnknown(ev(m(), `try(var.u.a, "fallback")`));
    // An undeclared reference is unknown here (Terraform rejects it before try() runs).
    expectUnknown(ev(m(), `try(local_nothing.x, "fallback")`));
    expect(ev(locals(`o = { a = 1 }`), `try(local.o.b, "fb")`)).toBe("fb");
    expect(ev(locals(`o = { a = 1 }`), `can(local.o.b)`)).toBe(false);
    expect(ev(locals(`o = { a = 1 }`), `can(local.o.a)`)).toBe(true);
  });

  it("== on a partly known string is false when its known ends already differ", () => {
    const arn = `"arn:aws:secretsmanager:us-east-1:\${data.aws_caller_identity.current.account_id}:secret:*"`;
    expect(ev(m(), `${arn} == "*"`)).toBe(false);
    expect(ev(m(), `${arn} != "arn:aws:s3:::bucket"`)).toBe(true);
    expect(ev(m(), `${arn} == "arn:aws:iam::1:secret:*"`)).toBe(false);
    expectUnknown(ev(m(), `${arn} == "arn:aws:secretsmanager:us-east-1:123456789012:secret:*"`));
    expectUnknown(ev(m(), `${arn} == var.u`));
    expect(ev(m(), `${arn} == "x-\${var.u}"`)).toBe(false);
  });

  it("&& and || decide on a known side", () => {
    expect(ev(m(), "false && var.u")).toBe(false);
    expect(ev(m(), "var.u && false")).toBe(false);
    expect(ev(m(), "true || var.u")).toBe(true);
    expectUnknown(ev(m(), "true && var.u"));
    expectUnknown(ev(m(), "false || var.u"));
  });

  it("a failure is never mistaken for a value", () => {
    expectFailure(ev(m(), `"x" + 1`));
    expectFailure(ev(m(), `1 / 0`));
    expectFailure(ev(m(), `[1, 2][5]`));
    expectFailure(ev(m(), `{ a = 1 }.b`));
    expectFailure(ev(m(), `null.a`));
    expectFailure(ev(m(), `"x\${null}"`));
    expect(ev(m(), `"\${null}"`)).toBe(null);
    expectFailure(ev(m(), `count.index`));
  });
});

// ------------------------------------------------------------------------------------------

describe("templates", () => {
  it("interpolates numbers and bools as Terraform prints them", () => {
    const m = locals(`a = "\${1}-\${true}-\${1.5}-\${0.1 + 0.2}-\${10000000000000000000000}"`);
    expect(ev(m, "local.a")).toBe("1-true-1.5-0.3-10000000000000000000000");
  });

  it("a template that is only one interpolation yields the value itself", () => {
    const m = locals(`l = "\${[1, 2]}"`);
    expect(view(ev(m, "local.l"))).toEqual([1, 2]);
  });

  it("%{if} with a known condition and %{else}", () => {
    const m = locals(`
  on  = "x%{if true}yes%{else}no%{endif}"
  off = "x%{if 1 > 2}yes%{else}no%{endif}"
  no  = "x%{if false}yes%{endif}z"
`);
    expect(ev(m, "local.on")).toBe("xyes");
    expect(ev(m, "local.off")).toBe("xno");
    expect(ev(m, "local.no")).toBe("xz");
  });

  it("%{if} with an unknown condition keeps the text around it", () => {
    const m = mod(`variable "c" {}\nlocals { t = "pre-%{if var.c}a%{else}b%{endif}-post" }\n`);
    expect(pieces(ev(m, "local.t"))).toEqual(["pre-", "?", "-post"]);
  });

  it("%{for} over a list and a map (maps in key order)", () => {
    const m = locals(`
  l = "%{for i, x in ["a", "b"]}\${i}=\${x};%{endfor}"
  m = "%{for k, v in { b = 2, a = 1 }}\${k}=\${v};%{endfor}"
`);
    expect(ev(m, "local.l")).toBe("0=a;1=b;");
    expect(ev(m, "local.m")).toBe("a=1;b=2;");
  });

  it("%{for} over an unknown collection keeps the text around it", () => {
    const m = mod(`variable "l" {}\nlocals { t = "[%{for x in var.l}\${x},%{endfor}]" }\n`);
    expect(pieces(ev(m, "local.t"))).toEqual(["[", "?", "]"]);
  });

  it("heredocs, flush heredocs and strip markers", () => {
    const m = mod(`
variable "name" { default = "n" }
locals {
  h = <<EOT
hello \${var.name}
EOT
  f = <<-EOT
    indented \${var.name}
      more
    EOT
  s = "a %{~ if true ~} b %{~ endif ~} c"
}
`);
    expect(ev(m, "local.h")).toBe("hello n\n");
    expect(ev(m, "local.f")).toBe("indented n\n  more\n");
    expect(ev(m, "local.s")).toBe("abc");
  });

  it("escapes: $${ and %%{ are literal", () => {
    const m = locals(`e = "$\${x} %%{y}"`);
    expect(ev(m, "local.e")).toBe("${x} %{y}");
  });

  it("a failing or non-bool %{if} condition is a Failure", () => {
    expectFailure(ev(locals(`a = 1`), `"x%{if { a = 1 }.b}y%{endif}"`));
    expectFailure(ev(locals(`a = 1`), `"x%{if 3}y%{endif}"`));
  });

  it("interpolating a list or object is a Failure", () => {
    expectFailure(ev(locals(`a = 1`), `"x\${[1]}"`));
  });
});

describe("conditionals", () => {
  const m = () => mod(`variable "u" {}\nvariable "k" { default = "prod" }\n`);

  it("a known condition picks a branch, the other is not evaluated", () => {
    expect(ev(m(), `var.k == "prod" ? "p" : "np"`)).toBe("p");
    expect(ev(m(), `var.k != "prod" ? "p" : "np"`)).toBe("np");
    expect(ev(m(), `true ? "ok" : nosuch.thing`)).toBe("ok");
  });

  it("an unknown condition is unknown, unless both branches are equal", () => {
    expectUnknown(ev(m(), `var.u ? "a" : "b"`));
    expect(ev(m(), `var.u ? "same" : "same"`)).toBe("same");
    expect(view(ev(m(), `var.u ? { a = 1 } : { a = 1 }`))).toEqual({ a: 1 });
  });

  it("a failing condition is a Failure even when both branches agree", () => {
    expectFailure(ev(m(), `{ a = 1 }.b ? "same" : "same"`));
  });

  it("a non-bool condition is a Failure; string bools convert", () => {
    expectFailure(ev(m(), `1 ? "a" : "b"`));
    expect(ev(m(), `"true" ? "a" : "b"`)).toBe("a");
  });
});

describe("for expressions", () => {
  const m = () =>
    locals(
      `
  list = ["a", "bb", "ccc"]
  map  = { z = 1, a = 2, m = 3 }
`,
      `variable "u" {}\n`,
    );

  it("tuple results, with index and value", () => {
    expect(view(ev(m(), `[for s in local.list : upper(s)]`))).toEqual(["A", "BB", "CCC"]);
    expect(view(ev(m(), `[for i, s in local.list : "\${i}:\${s}"]`))).toEqual(["0:a", "1:bb", "2:ccc"]);
  });

  it("object results", () => {
    expect(view(ev(m(), `{ for s in local.list : s => length(s) }`))).toEqual({ a: 1, bb: 2, ccc: 3 });
  });

  it("iterates maps in lexical key order", () => {
    expect(view(ev(m(), `[for k, v in local.map : k]`))).toEqual(["a", "m", "z"]);
    expect(view(ev(m(), `[for v in local.map : v]`))).toEqual([2, 3, 1]);
  });

  it("if filters", () => {
    expect(view(ev(m(), `[for s in local.list : s if length(s) > 1]`))).toEqual(["bb", "ccc"]);
    expect(view(ev(m(), `{ for k, v in local.map : k => v if v > 1 }`))).toEqual({ a: 2, m: 3 });
  });

  it("grouping with ...", () => {
    expect(view(ev(m(), `{ for s in ["ab", "ac", "b"] : substr(s, 0, 1) => s... }`))).toEqual({ a: ["ab", "ac"], b: ["b"] });
  });

  it("a duplicate key without ... is a Failure", () => {
    expectFailure(ev(m(), `{ for s in ["a", "a"] : s => 1 }`), /duplicate/);
  });

  it("an unknown collection or condition makes the result unknown", () => {
    expectUnknown(ev(m(), `[for x in var.u : x]`));
    expectUnknown(ev(m(), `[for x in local.list : x if var.u]`));
  });

  it("unknown elements stay unknown, known ones known", () => {
    const v = ev(m(), `[for x in ["a", var.u] : x]`);
    expect(Array.isArray(v)).toBe(true);
    expect((v as Value[])[0]).toBe("a");
    expectUnknown((v as Value[])[1]);
  });

  it("a failing or non-bool if condition is a Failure", () => {
    expectFailure(ev(m(), `[for x in local.list : x if { a = 1 }.b]`));
    expectFailure(ev(m(), `[for x in local.list : x if 1]`));
  });

  it("over null or a string is a Failure", () => {
    expectFailure(ev(m(), `[for x in null : x]`));
    expectFailure(ev(m(), `[for x in "abc" : x]`));
  });
});

describe("splats", () => {
  const m = () =>
    locals(
      `
  objs  = [{ id = "a", tags = { n = 1 } }, { id = "b", tags = { n = 2 } }]
  one   = { id = "solo" }
  none  = null
`,
      `variable "u" {}\n`,
    );

  it("[*] and .* over a list", () => {
    expect(view(ev(m(), "local.objs[*].id"))).toEqual(["a", "b"]);
    expect(view(ev(m(), "local.objs.*.id"))).toEqual(["a", "b"]);
    expect(view(ev(m(), "local.objs[*].tags.n"))).toEqual([1, 2]);
  });

  it("a full splat applies index steps per element; an attribute splat does not", () => {
    const mm = locals(`l = [["x", "y"], ["z"]]`);
    expect(view(ev(mm, "local.l[*][0]"))).toEqual(["x", "z"]);
    expect(view(ev(mm, "local.l.*[0]"))).toEqual(["x", "y"]);
  });

  it("on a single value: a one-element list; on null: an empty list", () => {
    expect(view(ev(m(), "local.one[*].id"))).toEqual(["solo"]);
    expect(view(ev(m(), "local.none[*].id"))).toEqual([]);
    expect(view(ev(m(), "local.none[*]"))).toEqual([]);
  });

  it("over an unknown is unknown", () => {
    expectUnknown(ev(m(), "var.u[*].id"));
  });

  it("the legacy index form list.0", () => {
    expect(ev(m(), "local.objs.1.id")).toBe("b");
  });

  it("over resources with count", () => {
    const mm = mod(`resource "aws_x" "y" {\n  count = 2\n  name  = "n\${count.index}"\n}\n`);
    expect(view(ev(mm, "aws_x.y[*].name"))).toEqual(["n0", "n1"]);
    const ids = ev(mm, "aws_x.y[*].id") as Value[];
    expect(ids).toHaveLength(2);
    expectUnknown(ids[0]);
  });
});

describe("operators", () => {
  const m = () => locals(`a = 1`);
  it.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["7 / 2", 3.5],
    ["7 % 3", 1],
    ["-3 + 1", -2],
    [`"3" + 1`, 4],
    ["1 < 2", true],
    ["2 <= 2", true],
    ["3 > 4", false],
    ["4 >= 5", false],
    [`1 == 1`, true],
    [`"1" == 1`, false],
    [`"a" != "b"`, true],
    [`[1, "a"] == [1, "a"]`, true],
    [`{ a = 1 } == { a = 1 }`, true],
    [`{ a = 1 } == { a = 2 }`, false],
    [`null == null`, true],
    ["!true", false],
    ["true && !false", true],
    ["false || false", false],
  ])("%s", (src, want) => {
    expect(ev(m(), src)).toBe(want);
  });
});

describe("resource.TYPE.NAME", () => {
  it("is the managed resource TYPE.NAME (Terraform's explicit form); a `for` variable named resource shadows it", () => {
    const m = mod(`resource "aws_secretsmanager_secret" "db" {\n  name = "app/db"\n}\nlocals {\n  shadow = [for resource in [{ a = 1 }] : resource.a]\n}\n`);
    expect(ev(m, "resource.aws_secretsmanager_secret.db.name")).toBe("app/db");
    expect(view(ev(m, "resource.aws_secretsmanager_secret.db.arn"))).toEqual(view(ev(m, "aws_secretsmanager_secret.db.arn")));
    expect(view(ev(m, "local.shadow"))).toEqual([1]);
  });
});
