// Module instances: count/for_each expansion with addresses, dynamic blocks, provider regions
// (default, aliases, per-resource `region`, `providers` maps, inheritance), and module calls
// evaluated with the caller's inputs (local, registry, downloaded; count/for_each on modules).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseExpressionSource } from "../../src/hcl/parser.js";
import { evaluate } from "../../src/terraform/evaluate.js";
import type { ModuleInstance, ResourceInstance } from "../../src/terraform/module.js";
import { loadProject, type Project, type ProjectOptions } from "../../src/terraform/project.js";
import { Failure, ObjectValue, Unknown, knownPrefix, toJSONView, type Value } from "../../src/terraform/values.js";

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "tf-mod-"));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function project(files: Record<string, string>, options?: ProjectOptions): Project {
  return loadProject(tree(files), options);
}

/** The single root of a configuration whose root module is `main.tf` (plus other files). */
function root(files: Record<string, string> | string, options?: ProjectOptions): ModuleInstance {
  const p = project(typeof files === "string" ? { "main.tf": files } : files, options);
  expect(p.roots.map((r) => r.config.dir)).toHaveLength(1);
  return p.roots[0];
}

function ev(m: ModuleInstance, src: string): Value {
  const { expr, diagnostics } = parseExpressionSource(src, "expr.tf");
  expect(diagnostics).toEqual([]);
  return evaluate(expr, m);
}

const view = (v: Value): unknown => toJSONView(v);

/** Every resource instance of a root and its descendants. */
function all(m: ModuleInstance): ResourceInstance[] {
  return [m, ...m.descendants()].flatMap((x) => x.allResourceInstances());
}

function byAddress(m: ModuleInstance, address: string): ResourceInstance {
  const found = all(m).find((i) => i.address === address);
  if (!found) throw new Error(`no ${address}; have ${all(m).map((i) => i.address).join(", ")}`);
  return found;
}

function expectUnknown(v: Value): Unknown {
  expect(v, JSON.stringify(view(v))).toBeInstanceOf(Unknown);
  return v as Unknown;
}

// ------------------------------------------------------------------------------------------

describe("count and for_each", () => {
  it("count: one instance per index, addressed [n], with count.index", () => {
    const m = root(`resource "aws_secretsmanager_secret" "s" {\n  count = 3\n  name  = "s-\${count.index}"\n}\n`);
    const insts = all(m);
    expect(insts.map((i) => i.address)).toEqual(["aws_secretsmanager_secret.s[0]", "aws_secretsmanager_secret.s[1]", "aws_secretsmanager_secret.s[2]"]);
    expect(insts.map((i) => i.key)).toEqual([0, 1, 2]);
    expect(insts.map((i) => i.value.get("name"))).toEqual(["s-0", "s-1", "s-2"]);
    expect(view(ev(m, "aws_secretsmanager_secret.s[*].name"))).toEqual(["s-0", "s-1", "s-2"]);
    expect(ev(m, "length(aws_secretsmanager_secret.s)")).toBe(3);
  });

  it("count = 0 gives no instances and an empty list", () => {
    const m = root(`resource "aws_x" "y" {\n  count = 0\n}\nlocals { n = length(aws_x.y) }\n`);
    expect(all(m)).toEqual([]);
    expect(ev(m, "local.n")).toBe(0);
  });

  it("count from a conditional on a variable", () => {
    const m = root(`variable "on" { default = false }\nresource "aws_x" "y" {\n  count = var.on ? 1 : 0\n}\n`);
    expect(all(m)).toEqual([]);
    const on = root(`variable "on" { default = false }\nresource "aws_x" "y" {\n  count = var.on ? 1 : 0\n}\n`, { vars: [["on", "true"]] });
    expect(all(on).map((i) => i.address)).toEqual(["aws_x.y[0]"]);
  });

  it("for_each over a map: one instance per key, addressed [\"k\"], with each.key/each.value", () => {
    const m = root(`
resource "aws_secretsmanager_secret" "s" {
  for_each = { beta = "b", alpha = "a" }
  name     = "\${each.key}-\${each.value}"
}
`);
    const insts = all(m);
    expect(insts.map((i) => i.address)).toEqual(['aws_secretsmanager_secret.s["alpha"]', 'aws_secretsmanager_secret.s["beta"]']);
    expect(insts.map((i) => i.value.get("name"))).toEqual(["alpha-a", "beta-b"]);
    expect(ev(m, `aws_secretsmanager_secret.s["beta"].name`)).toBe("beta-b");
    expect(view(ev(m, `keys(aws_secretsmanager_secret.s)`))).toEqual(["alpha", "beta"]);
  });

  it("for_each over a set of strings: each.key = each.value", () => {
    const m = root(`resource "aws_x" "y" {\n  for_each = toset(["b", "a", "b"])\n  name     = "\${each.key}/\${each.value}"\n}\n`);
    expect(all(m).map((i) => [i.address, i.value.get("name")])).toEqual([
      ['aws_x.y["a"]', "a/a"],
      ['aws_x.y["b"]', "b/b"],
    ]);
  });

  it("for_each over a map of objects", () => {
    const m = root(`
locals {
  secrets = {
    db  = { rotate = true }
    api = { rotate = false }
  }
}
resource "aws_x" "y" {
  for_each = local.secrets
  name     = each.key
  rotate   = each.value.rotate
}
`);
    expect(byAddress(m, 'aws_x.y["db"]').value.get("rotate")).toBe(true);
    expect(byAddress(m, 'aws_x.y["api"]').value.get("rotate")).toBe(false);
  });

  it("an unknown count gives one instance [*] whose arguments are still evaluated", () => {
    const m = root(`
variable "n" {}
resource "aws_secretsmanager_secret" "s" {
  count       = var.n
  name        = "fixed"
  description = "n\${count.index}"
}
`);
    const insts = all(m);
    expect(insts).toHaveLength(1);
    expect(insts[0].key).toBe("*");
    expect(insts[0].address).toBe("aws_secretsmanager_secret.s[*]");
    expect(insts[0].value.get("name")).toBe("fixed");
    expect(knownPrefix(insts[0].value.get("description") as Value)).toBe("n");
    expectUnknown(ev(m, "aws_secretsmanager_secret.s"));
    expectUnknown(ev(m, "aws_secretsmanager_secret.s[0].name"));
  });

  it("an unknown for_each gives one instance [*] with unknown each.key", () => {
    const m = root(`
data "aws_caller_identity" "c" {}
resource "aws_x" "y" {
  for_each = toset([data.aws_caller_identity.c.account_id])
  name     = "pre-\${each.key}"
  tags     = { Fixed = "yes" }
}
`);
    const insts = all(m).filter((i) => i.mode === "managed");
    expect(insts.map((i) => i.address)).toEqual(["aws_x.y[*]"]);
    expect(knownPrefix(insts[0].value.get("name") as Value)).toBe("pre-");
    expect(view(insts[0].value.get("tags") as Value)).toEqual({ Fixed: "yes" });
  });

  it("a count that fails to evaluate still shows the block as [*]", () => {
    const m = root(`resource "aws_x" "y" {\n  count = nosuch.thing\n  name  = "n"\n}\n`);
    expect(all(m).map((i) => [i.address, i.value.get("name")])).toEqual([["aws_x.y[*]", "n"]]);
  });

  it("count given as a numeric string is converted", () => {
    const m = root(`resource "aws_x" "y" {\n  count = "2"\n}\n`);
    expect(all(m)).toHaveLength(2);
  });

  it("a data source with count has its own addresses", () => {
    const m = root(`data "aws_x" "d" {\n  count = 2\n}\n`);
    expect(all(m).map((i) => i.address)).toEqual(["data.aws_x.d[0]", "data.aws_x.d[1]"]);
  });

  it("a data source and a resource with the same type and name are kept apart", () => {
    const m = root(`resource "aws_x" "y" {\n  count = 2\n}\ndata "aws_x" "y" {\n  for_each = toset([])\n}\n`);
    expect(view(ev(m, "data.aws_x.y"))).toEqual({});
    expect(ev(m, "length(aws_x.y)")).toBe(2);
  });
});

describe("dynamic blocks", () => {
  it("are expanded over a list, with the iterator named after the block", () => {
    const m = root(`
locals { rules = [{ port = 80 }, { port = 443 }] }
resource "aws_security_group" "g" {
  ingress {
    from_port = 22
  }
  dynamic "ingress" {
    for_each = local.rules
    content {
      from_port = ingress.value.port
      index     = ingress.key
    }
  }
}
`);
    expect(view(ev(m, "aws_security_group.g.ingress"))).toEqual([{ from_port: 22 }, { from_port: 80, index: 0 }, { from_port: 443, index: 1 }]);
  });

  it("with a custom iterator, over a map in key order", () => {
    const m = root(`
resource "aws_iam_x" "p" {
  dynamic "statement" {
    for_each = { z = "s3:*", a = "sqs:*" }
    iterator = st
    content {
      sid     = st.key
      actions = [st.value]
    }
  }
}
`);
    expect(view(ev(m, "aws_iam_x.p.statement"))).toEqual([
      { sid: "a", actions: ["sqs:*"] },
      { sid: "z", actions: ["s3:*"] },
    ]);
  });

  it("nested dynamic blocks", () => {
    const m = root(`
resource "aws_x" "y" {
  dynamic "outer" {
    for_each = ["a", "b"]
    content {
      name = outer.value
      dynamic "inner" {
        for_each = [1, 2]
        content {
          v = "\${outer.value}\${inner.value}"
        }
      }
    }
  }
}
`);
    expect(view(ev(m, "aws_x.y.outer[1].inner[*].v"))).toEqual(["b1", "b2"]);
  });

  it("over an unknown collection: the block list is unknown", () => {
    const m = root(`variable "l" {}\nresource "aws_x" "y" {\n  dynamic "b" {\n    for_each = var.l\n    content {\n      x = 1\n    }\n  }\n}\n`);
    expectUnknown(ev(m, "aws_x.y.b"));
  });

  it("a dynamic policy document statement feeds the derived json", () => {
    const m = root(`
locals { reads = { Db = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-*" } }
data "aws_iam_policy_document" "p" {
  dynamic "statement" {
    for_each = local.reads
    content {
      sid       = statement.key
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [statement.value]
    }
  }
}
`);
    const json = ev(m, "data.aws_iam_policy_document.p.json");
    expect(typeof json, JSON.stringify(view(json))).toBe("string");
    expect(JSON.parse(json as string).Statement[0].Sid).toBe("Db");
  });
});

// ------------------------------------------------------------------------------------------

describe("provider regions", () => {
  const providers = `
provider "aws" { region = "us-east-1" }
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
`;

  it("the default provider's region", () => {
    const m = root(providers + `resource "aws_secretsmanager_secret" "s" { name = "x" }\n`);
    expect(byAddress(m, "aws_secretsmanager_secret.s").region).toBe("us-east-1");
  });

  it("an aliased provider chosen with provider = aws.west", () => {
    const m = root(providers + `resource "aws_secretsmanager_secret" "s" {\n  provider = aws.west\n  name     = "x"\n}\n`);
    const s = byAddress(m, "aws_secretsmanager_secret.s");
    expect(s.region).toBe("us-west-2");
    expect(knownPrefix(s.value.get("arn") as Value)).toBe("arn:aws:secretsmanager:us-west-2:");
    expect(s.value.has("provider")).toBe(false);
  });

  it("the legacy quoted form provider = \"aws.west\"", () => {
    const m = root(providers + `resource "aws_x" "s" {\n  provider = "aws.west"\n}\n`);
    expect(byAddress(m, "aws_x.s").region).toBe("us-west-2");
  });

  it("a per-resource region argument wins over the provider", () => {
    const m = root(providers + `resource "aws_secretsmanager_secret" "s" {\n  region = "eu-west-1"\n  name   = "x"\n}\n`);
    const s = byAddress(m, "aws_secretsmanager_secret.s");
    expect(s.region).toBe("eu-west-1");
    expect(knownPrefix(s.value.get("arn") as Value)).toBe("arn:aws:secretsmanager:eu-west-1:");
  });

  it("a provider region from a variable", () => {
    const m = root(`variable "region" { default = "ap-south-1" }\nprovider "aws" { region = var.region }\nresource "aws_x" "y" {}\n`);
    expect(byAddress(m, "aws_x.y").region).toBe("ap-south-1");
  });

  it("no provider block, or an unknown alias: the region is unknown", () => {
    expectUnknown(byAddress(root(`resource "aws_x" "y" {}\n`), "aws_x.y").region);
    expectUnknown(byAddress(root(providers + `resource "aws_x" "y" {\n  provider = aws.nope\n}\n`), "aws_x.y").region);
  });

  it("aws_region follows the chosen provider", () => {
    const m = root(providers + `data "aws_region" "w" {\n  provider = aws.west\n}\n`);
    expect(ev(m, "data.aws_region.w.name")).toBe("us-west-2");
  });

  it("child modules inherit the default provider, not aliases", () => {
    const m = root({
      "main.tf": providers + `module "child" {\n  source = "./child"\n}\n`,
      "child/main.tf": `resource "aws_x" "y" {}\nresource "aws_x" "z" {\n  provider = aws.west\n}\n`,
    });
    expect(byAddress(m, "module.child.aws_x.y").region).toBe("us-east-1");
    expectUnknown(byAddress(m, "module.child.aws_x.z").region);
  });

  it("providers = { aws = aws.west } maps the child's default provider", () => {
    const m = root({
      "main.tf": providers + `module "child" {\n  source    = "./child"\n  providers = { aws = aws.west }\n}\n`,
      "child/main.tf": `resource "aws_x" "y" {}\nmodule "grand" {\n  source = "./grand"\n}\n`,
      "child/grand/main.tf": `data "aws_region" "r" {}\n`,
    });
    expect(byAddress(m, "module.child.aws_x.y").region).toBe("us-west-2");
    expect(byAddress(m, "module.child.module.grand.data.aws_region.r").region).toBe("us-west-2");
  });

  it("providers = { aws.dst = aws.west } passes an aliased configuration", () => {
    const m = root({
      "main.tf": providers + `module "child" {\n  source    = "./child"\n  providers = {\n    aws     = aws\n    aws.dst = aws.west\n  }\n}\n`,
      "child/main.tf": `resource "aws_x" "src" {}\nresource "aws_x" "dst" {\n  provider = aws.dst\n}\n`,
    });
    expect(byAddress(m, "module.child.aws_x.src").region).toBe("us-east-1");
    expect(byAddress(m, "module.child.aws_x.dst").region).toBe("us-west-2");
  });

  it("a proxy provider block (alias only) in the child receives the passed configuration", () => {
    const m = root({
      "main.tf": providers + `module "child" {\n  source    = "./child"\n  providers = {\n    aws     = aws\n    aws.dst = aws.west\n  }\n}\n`,
      "child/main.tf": `provider "aws" {\n  alias = "dst"\n}\nresource "aws_x" "dst" {\n  provider = aws.dst\n}\n`,
    });
    expect(byAddress(m, "module.child.aws_x.dst").region).toBe("us-west-2");
  });

  it("a child's own configured provider block wins over the inherited one", () => {
    const m = root({
      "main.tf": providers + `module "child" {\n  source = "./child"\n}\n`,
      "child/main.tf": `provider "aws" { region = "sa-east-1" }\nresource "aws_x" "y" {}\n`,
    });
    expect(byAddress(m, "module.child.aws_x.y").region).toBe("sa-east-1");
  });

  it("a providers map cancels inheritance of the other default providers", () => {
    const m = root({
      "main.tf": providers + `provider "other" { region = "x" }\nmodule "child" {\n  source    = "./child"\n  providers = { aws = aws.west }\n}\n`,
      "child/main.tf": `resource "other_thing" "t" {}\n`,
    });
    expectUnknown(byAddress(m, "module.child.other_thing.t").region);
  });
});

// ------------------------------------------------------------------------------------------

describe("module calls", () => {
  const child = `
variable "env" {}
variable "prefix" { default = "app" }
variable "cfg" {
  type = object({
    rotate = optional(bool, true)
    days   = optional(number)
  })
  default = {}
}
resource "aws_secretsmanager_secret" "s" {
  name = "\${var.prefix}/\${var.env}/db"
}
output "name" { value = aws_secretsmanager_secret.s.name }
output "arn" { value = aws_secretsmanager_secret.s.arn }
output "cfg" { value = var.cfg }
output "where" { value = path.module }
`;

  it("a local module is evaluated with the caller's inputs, and is not a root", () => {
    const p = project({
      "main.tf": `provider "aws" { region = "us-east-1" }\nmodule "db" {\n  source = "./modules/db"\n  env    = "prod"\n}\n`,
      "modules/db/main.tf": child,
    });
    expect(p.roots.map((r) => r.config.dir)).toEqual([p.rootDir]);
    const m = p.roots[0];
    expect(byAddress(m, "module.db.aws_secretsmanager_secret.s").value.get("name")).toBe("app/prod/db");
    expect(ev(m, "module.db.name")).toBe("app/prod/db");
    expect(knownPrefix(ev(m, "module.db.arn"))).toBe("arn:aws:secretsmanager:us-east-1:");
    expect(ev(m, "module.db.where")).toBe("modules/db");
    expect(p.modules.has(join(p.rootDir, "modules/db"))).toBe(true);
  });

  it("a module's inputs come from the caller's variables and locals", () => {
    const m = root({
      "main.tf": `variable "env" { default = "stg" }\nlocals { p = "svc" }\nmodule "db" {\n  source = "./db"\n  env    = var.env\n  prefix = local.p\n}\n`,
      "db/main.tf": child,
    });
    expect(ev(m, "module.db.name")).toBe("svc/stg/db");
  });

  it("object inputs get optional() defaults; unset optional attributes are null", () => {
    const m = root({
      "main.tf": `module "a" {\n  source = "./db"\n  env    = "x"\n  cfg    = { days = "7", extra = 1 }\n}\nmodule "b" {\n  source = "./db"\n  env    = "x"\n}\n`,
      "db/main.tf": child,
    });
    expect(view(ev(m, "module.a.cfg"))).toEqual({ rotate: true, days: 7 });
    expect(view(ev(m, "module.b.cfg"))).toEqual({ rotate: true, days: null });
  });

  it("nullable = false: a null input takes the default", () => {
    const m = root({
      "main.tf": `module "a" {\n  source = "./c"\n  x      = null\n  y      = null\n}\n`,
      "c/main.tf": `variable "x" {\n  default  = "dx"\n  nullable = false\n}\nvariable "y" { default = "dy" }\noutput "x" { value = var.x }\noutput "y" { value = var.y }\n`,
    });
    expect(ev(m, "module.a.x")).toBe("dx");
    expect(ev(m, "module.a.y")).toBe(null);
  });

  it("a missing required input is unknown inside the module", () => {
    const m = root({ "main.tf": `module "db" {\n  source = "./db"\n}\n`, "db/main.tf": child });
    expectUnknown(byAddress(m, "module.db.aws_secretsmanager_secret.s").value.get("name") as Value);
  });

  it("module count: instances module.x[n], outputs as a list", () => {
    const m = root({
      "main.tf": `module "db" {\n  count  = 2\n  source = "./db"\n  env    = "e\${count.index}"\n}\n`,
      "db/main.tf": child,
    });
    expect(all(m).map((i) => i.address)).toEqual(["module.db[0].aws_secretsmanager_secret.s", "module.db[1].aws_secretsmanager_secret.s"]);
    expect(view(ev(m, "module.db[*].name"))).toEqual(["app/e0/db", "app/e1/db"]);
    expect(m.descendants().map((d) => d.key)).toEqual([0, 1]);
  });

  it("module for_each: instances module.x[\"k\"], outputs as a map", () => {
    const m = root({
      "main.tf": `module "db" {\n  for_each = toset(["b", "a"])\n  source   = "./db"\n  env      = each.key\n}\n`,
      "db/main.tf": child,
    });
    expect(all(m).map((i) => i.address)).toEqual(['module.db["a"].aws_secretsmanager_secret.s', 'module.db["b"].aws_secretsmanager_secret.s']);
    expect(ev(m, `module.db["b"].name`)).toBe("app/b/db");
    expect(view(ev(m, `{ for k, v in module.db : k => v.name }`))).toEqual({ a: "app/a/db", b: "app/b/db" });
  });

  it("module count = 0: no instances, outputs an empty list", () => {
    const m = root({ "main.tf": `module "db" {\n  count  = 0\n  source = "./db"\n}\n`, "db/main.tf": child });
    expect(all(m)).toEqual([]);
    expect(view(ev(m, "module.db"))).toEqual([]);
  });

  it("module with an unknown count: one [*] instance, outputs unknown", () => {
    const m = root({
      "main.tf": `variable "n" {}\nmodule "db" {\n  count  = var.n\n  source = "./db"\n  env    = "prod"\n}\n`,
      "db/main.tf": child,
    });
    const s = byAddress(m, "module.db[*].aws_secretsmanager_secret.s");
    expect(s.value.get("name")).toBe("app/prod/db");
    expectUnknown(ev(m, "module.db"));
    expectUnknown(ev(m, "module.db[0].name"));
  });

  it("a registry module is unknown; its outputs are unknown with reason module", () => {
    const m = root(`module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\nlocals { id = module.vpc.vpc_id }\n`);
    const u = expectUnknown(ev(m, "local.id"));
    expect(u.reason).toBe("module");
    expect(m.descendants()).toEqual([]);
    expect(m.moduleCall("vpc").available).toBe(false);
  });

  it("a local source that does not exist is unknown, not a crash", () => {
    const m = root(`module "gone" {\n  source = "./nowhere"\n}\nlocals { x = module.gone.out }\n`);
    expect(expectUnknown(ev(m, "local.x")).reason).toBe("module");
  });

  it("an undeclared output of a local module is a Failure", () => {
    const m = root({ "main.tf": `module "db" {\n  source = "./db"\n  env = "x"\n}\n`, "db/main.tf": child });
    expect(ev(m, "module.db.nope")).toBeInstanceOf(Failure);
  });

  it("nested local modules: addresses and inputs through two levels", () => {
    const m = root({
      "main.tf": `module "a" {\n  source = "./a"\n  env    = "top"\n}\n`,
      "a/main.tf": `variable "env" {}\nmodule "b" {\n  source = "../b"\n  env    = "\${var.env}-mid"\n}\noutput "name" { value = module.b.name }\n`,
      "b/main.tf": child,
    });
    expect(byAddress(m, "module.a.module.b.aws_secretsmanager_secret.s").value.get("name")).toBe("app/top-mid/db");
    expect(ev(m, "module.a.name")).toBe("app/top-mid/db");
  });

  it("an input from one of the module's own outputs is not a false cycle", () => {
    const m = root({
      "main.tf": `module "a" {\n  source = "./a"\n  x      = module.a.fixed\n}\n`,
      "a/main.tf": `variable "x" {}\noutput "fixed" { value = "k" }\noutput "echo" { value = "got-\${var.x}" }\n`,
    });
    expect(ev(m, "module.a.echo")).toBe("got-k");
  });

  it("a real cycle between a module's input and its output is a Failure", () => {
    const m = root({
      "main.tf": `module "a" {\n  source = "./a"\n  x      = module.a.echo\n}\n`,
      "a/main.tf": `variable "x" {}\noutput "echo" { value = var.x }\n`,
    });
    expect(ev(m, "module.a.echo")).toBeInstanceOf(Failure);
  });

  it("set(string) inputs are deduplicated and sorted; for_each over them is keyed by element", () => {
    const m = root({
      "main.tf": `module "a" {\n  source = "./a"\n  names  = ["b", "a", "b"]\n}\n`,
      "a/main.tf": `variable "names" { type = set(string) }\nresource "aws_x" "y" {\n  for_each = var.names\n}\noutput "names" { value = var.names }\n`,
    });
    expect(view(ev(m, "module.a.names"))).toEqual(["a", "b"]);
    expect(all(m).map((i) => i.address)).toEqual(['module.a.aws_x.y["a"]', 'module.a.aws_x.y["b"]']);
  });

  it("map(string) and list(number) inputs convert their elements", () => {
    const m = root({
      "main.tf": `module "a" {\n  source = "./a"\n  tags   = { n = 1, b = true }\n  ports  = ["80", 443]\n}\n`,
      "a/main.tf": `variable "tags" { type = map(string) }\nvariable "ports" { type = list(number) }\noutput "tags" { value = var.tags }\noutput "ports" { value = var.ports }\n`,
    });
    expect(view(ev(m, "module.a.tags"))).toEqual({ n: "1", b: "true" });
    expect(view(ev(m, "module.a.ports"))).toEqual([80, 443]);
  });

  it("a module that calls itself stops instead of recursing", () => {
    const m = root({
      "main.tf": `module "a" {\n  source = "./a"\n}\n`,
      "a/main.tf": `module "again" {\n  source = "./"\n}\nmodule "again2" {\n  source = "../a"\n}\nresource "aws_x" "y" {}\n`,
    });
    expect(all(m).map((i) => i.address)).toEqual(["module.a.aws_x.y"]);
    expect(expectUnknown(ev(m.descendants()[0], "module.again")).reason).toBe("module");
  });

  it("file() and path.module in a child module resolve from the root module", () => {
    const m = root({
      "main.tf": `module "c" {\n  source = "./modules/c"\n}\n`,
      "modules/c/main.tf": `output "doc" { value = file("\${path.module}/doc.json") }\noutput "tpl" { value = templatefile("\${path.module}/t.tpl", { n = "x" }) }\n`,
      "modules/c/doc.json": `{"k":"v"}`,
      "modules/c/t.tpl": `hello \${n}`,
    });
    expect(ev(m, "module.c.doc")).toBe(`{"k":"v"}`);
    expect(ev(m, "module.c.tpl")).toBe("hello x");
  });
});

describe("downloaded modules (.terraform/modules/modules.json)", () => {
  const manifest = JSON.stringify({
    Modules: [
      { Key: "", Source: "", Dir: "." },
      { Key: "addon", Source: "registry.terraform.io/example/addon/aws", Version: "1.0.0", Dir: ".terraform/modules/addon" },
      { Key: "addon.inner", Source: "registry.terraform.io/example/inner/aws", Version: "2.0.0", Dir: ".terraform/modules/addon.inner" },
    ],
  });

  it("are evaluated with the caller's inputs, nested ones by their dotted key", () => {
    const p = project({
      "main.tf": `module "addon" {\n  source  = "example/addon/aws"\n  version = "1.0.0"\n  env     = "prod"\n}\n`,
      ".terraform/modules/modules.json": manifest,
      ".terraform/modules/addon/main.tf": `variable "env" {}\nmodule "inner" {\n  source = "example/inner/aws"\n  tag    = var.env\n}\noutput "tag" { value = module.inner.tag }\n`,
      ".terraform/modules/addon.inner/main.tf": `variable "tag" {}\nresource "aws_x" "y" { tag = var.tag }\noutput "tag" { value = "t-\${var.tag}" }\n`,
    });
    expect(p.roots).toHaveLength(1);
    const m = p.roots[0];
    expect(ev(m, "module.addon.tag")).toBe("t-prod");
    expect(byAddress(m, "module.addon.module.inner.aws_x.y").value.get("tag")).toBe("prod");
  });

  it("a module missing from modules.json stays unknown", () => {
    const m = root({
      "main.tf": `module "other" {\n  source = "example/other/aws"\n}\nlocals { x = module.other.y }\n`,
      ".terraform/modules/modules.json": manifest,
    });
    expect(expectUnknown(ev(m, "local.x")).reason).toBe("module");
  });

  it("a broken modules.json means no downloaded modules", () => {
    const m = root({
      "main.tf": `module "addon" {\n  source = "example/addon/aws"\n}\nlocals { x = module.addon.tag }\n`,
      ".terraform/modules/modules.json": "{ broken",
      ".terraform/modules/addon/main.tf": `output "tag" { value = "t" }\n`,
    });
    expectUnknown(ev(m, "local.x"));
  });
});

describe("instances carry what collectors need", () => {
  it("file, block, module, scope", () => {
    const m = root({ "main.tf": `resource "aws_x" "y" {\n  for_each = { k = 1 }\n  n = each.value\n}\n` });
    const i = byAddress(m, 'aws_x.y["k"]');
    expect(i.file).toBe("main.tf");
    expect(i.block.labels.map((l) => l.value)).toEqual(["aws_x", "y"]);
    expect(i.module).toBe(m);
    expect(ev(m, "1")).toBe(1);
    const { expr } = parseExpressionSource("each.key", "x");
    expect(evaluate(expr, i.scope)).toBe("k");
    expect(i.value).toBeInstanceOf(ObjectValue);
  });
});
