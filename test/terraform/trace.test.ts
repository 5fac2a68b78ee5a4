// Value tracing (src/terraform/trace.ts): a value is placed where it is written — through
// module inputs, locals, for_each/count, module outputs, tfvars and --var — with the chain of
// places it passed through; and the scan reports one finding per written value, suppressible
// at any place of the chain.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { originText } from "../../src/inventory/dump.js";
import type { Inventory, Origin, Secret } from "../../src/inventory/model.js";
import { inventoryFromProject } from "../../src/sources/terraform/index.js";
import { scanDirectory } from "../../src/scan.js";
import { loadProject, type ProjectOptions } from "../../src/terraform/project.js";
import { findAttr } from "../../src/terraform/config.js";
import { parseHcl } from "../../src/hcl/parser.js";
import { resourceContext, traceArgument } from "../../src/terraform/trace.js";
import { corpusDir } from "../helpers/shared.js";

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-trace-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function inventoryOf(dir: string, options: ProjectOptions = {}): Inventory {
  return inventoryFromProject(loadProject(dir, options));
}

function secret(inv: Inventory, id: string): Secret {
  const s = inv.secrets.find((x) => x.id === id);
  if (!s) throw new Error(`no secret ${id}; have ${inv.secrets.map((x) => x.id).join(", ")}`);
  return s;
}

/** `file:line:col` of where the value is written, then each step of its flow. */
function chain(o: Origin | undefined): string[] {
  if (!o) return [];
  return [originText(o), ...(o.flow ?? []).map((f) => `${f.file ? originText({ file: f.file }) : "(command line)"} ${f.message}`)];
}

const MODULE = {
  "modules/secret/variables.tf": `variable "window" {
  type    = number
  default = 30
}
variable "settings" {
  type    = any
  default = {}
}
`,
  "modules/secret/main.tf": `resource "aws_secretsmanager_secret" "this" {
  name                    = "app/db"
  recovery_window_in_days = var.window
}
`,
};

describe("where a value is written", () => {
  it("a module argument: the caller's literal, with the variable and the use as the chain", () => {
    const dir = tree({
      ...MODULE,
      "main.tf": `module "a" {
  source = "./modules/secret"
  window = 0
}
`,
    });
    const s = secret(inventoryOf(dir), "module.a.aws_secretsmanager_secret.this");
    expect(s.recoveryWindowInDays.value).toBe(0);
    expect(chain(s.recoveryWindowInDays.origin)).toEqual([
      "main.tf:3:3",
      "modules/secret/variables.tf:1:1 becomes `var.window` of `module.a`",
      "modules/secret/main.tf:3:3 used here by `module.a.aws_secretsmanager_secret.this`",
    ]);
    // The value's own expression, for fixes.
    expect(s.recoveryWindowInDays.origin?.file?.valueRange?.start.column).toBe(12);
    expect(s.recoveryWindowInDays.origin?.module).toBe("");
    expect(s.recoveryWindowInDays.origin?.address).toBe("module.a.aws_secretsmanager_secret.this");
  });

  it("through the caller's local, and a module calling a module", () => {
    const dir = tree({
      ...MODULE,
      "modules/outer/main.tf": `variable "w" {}
module "inner" {
  source = "../secret"
  window = var.w
}
`,
      "main.tf": `locals {
  w = 0
}
module "outer" {
  source = "./modules/outer"
  w      = local.w
}
`,
    });
    const s = secret(inventoryOf(dir), "module.outer.module.inner.aws_secretsmanager_secret.this");
    expect(chain(s.recoveryWindowInDays.origin)).toEqual([
      "main.tf:2:3",
      "main.tf:6:3 passed to `module.outer` here",
      "modules/outer/main.tf:1:1 becomes `var.w` of `module.outer`",
      "modules/outer/main.tf:4:3 passed to `module.outer.module.inner` here",
      "modules/secret/variables.tf:1:1 becomes `var.window` of `module.outer.module.inner`",
      "modules/secret/main.tf:3:3 used here by `module.outer.module.inner.aws_secretsmanager_secret.this`",
    ]);
  });

  it("the variable's default when the caller does not set it", () => {
    const dir = tree({ ...MODULE, "main.tf": `module "a" {\n  source = "./modules/secret"\n}\n` });
    const s = secret(inventoryOf(dir), "module.a.aws_secretsmanager_secret.this");
    expect(chain(s.recoveryWindowInDays.origin)).toEqual([
      "modules/secret/variables.tf:3:3",
      "modules/secret/main.tf:3:3 used here by `module.a.aws_secretsmanager_secret.this`",
    ]);
  });

  it("for_each over a map of objects: each instance's own item", () => {
    const dir = tree({
      "modules/secret/main.tf": `variable "items" {}
resource "aws_secretsmanager_secret" "this" {
  for_each                = var.items
  name                    = each.key
  recovery_window_in_days = each.value.window
}
`,
      "main.tf": `module "a" {
  source = "./modules/secret"
  items = {
    db  = { window = 0 }
    api = { window = 7 }
  }
}
`,
    });
    const inv = inventoryOf(dir);
    expect(chain(secret(inv, 'module.a.aws_secretsmanager_secret.this["db"]').recoveryWindowInDays.origin).slice(0, 1)).toEqual(["main.tf:4:13"]);
    expect(chain(secret(inv, 'module.a.aws_secretsmanager_secret.this["api"]').recoveryWindowInDays.origin)).toEqual([
      "main.tf:5:13",
      "modules/secret/main.tf:1:1 becomes `var.items` of `module.a`",
      "modules/secret/main.tf:3:3 through the `for_each` of `aws_secretsmanager_secret.this`",
      "modules/secret/main.tf:5:3 used here by `module.a.aws_secretsmanager_secret.this[\"api\"]`",
    ]);
  });

  it("for_each through a `for` expression: the element of its collection (by key, by an attribute made the key, through a value object)", () => {
    const dir = tree({
      "modules/secret/main.tf": `variable "items" {}
variable "list" {}
resource "aws_secretsmanager_secret" "same" {
  for_each                = { for k, v in var.items : k => v }
  name                    = "same-\${each.key}"
  recovery_window_in_days = each.value.window
}
resource "aws_secretsmanager_secret" "by_name" {
  for_each                = { for s in var.list : s.name => s if s.name != "skip" }
  name                    = each.key
  recovery_window_in_days = each.value.window
}
resource "aws_secretsmanager_secret" "reshaped" {
  for_each                = { for k, v in var.items : "r-\${k}" => { days = v.window, fixed = 0 } }
  name                    = each.key
  recovery_window_in_days = each.key == "r-db" ? each.value.days : each.value.fixed
}
`,
      "main.tf": `module "a" {
  source = "./modules/secret"
  items = {
    db  = { window = 0 }
    api = { window = 7 }
  }
  list = [
    { name = "skip", window = 1 },
    { name = "one", window = 0 },
  ]
}
`,
    });
    const inv = inventoryOf(dir);
    const at = (id: string) => originText(secret(inv, id).recoveryWindowInDays.origin!);
    expect(at('module.a.aws_secretsmanager_secret.same["db"]')).toBe("main.tf:4:13");
    expect(at('module.a.aws_secretsmanager_secret.same["api"]')).toBe("main.tf:5:13");
    expect(chain(secret(inv, 'module.a.aws_secretsmanager_secret.by_name["one"]').recoveryWindowInDays.origin)).toEqual([
      "main.tf:9:21",
      "modules/secret/main.tf:2:1 becomes `var.list` of `module.a`",
      "modules/secret/main.tf:9:3 through the `for_each` of `aws_secretsmanager_secret.by_name`",
      'modules/secret/main.tf:11:3 used here by `module.a.aws_secretsmanager_secret.by_name["one"]`',
    ]);
    expect(at('module.a.aws_secretsmanager_secret.reshaped["r-db"]')).toBe("main.tf:4:13");
    // A value written inside the `for` itself: its item there (`fixed = 0`).
    const fixed = secret(inv, 'module.a.aws_secretsmanager_secret.reshaped["r-api"]').recoveryWindowInDays.origin!;
    expect(originText(fixed)).toBe("modules/secret/main.tf:14:86");
    expect(fixed.file?.valueRange?.start.column).toBe(94);
  });

  it("for_each over flatten() of nested `for`s: the nested list and element the flat element comes from", () => {
    const dir = tree({
      "main.tf": `variable "envs" {
  default = {
    prod = { secrets = { db = { rw = 0 }, api = { rw = 7 } } }
    dev  = { secrets = { db = { rw = 30 } } }
  }
}
locals {
  pairs = flatten([for env, cfg in var.envs : [for name, s in cfg.secrets : { env = env, name = name, rw = s.rw }]])
}
resource "aws_secretsmanager_secret" "x" {
  for_each                = { for p in local.pairs : "\${p.env}-\${p.name}" => p }
  name                    = each.key
  recovery_window_in_days = each.value.rw
}
`,
    });
    const inv = inventoryOf(dir);
    const at = (key: string) => {
      const o = secret(inv, `aws_secretsmanager_secret.x["${key}"]`).recoveryWindowInDays.origin!;
      return `${originText(o)} ${o.file?.valueRange?.start.column}`;
    };
    // dev sorts before prod (a map iterates in key order), api before db.
    expect(at("prod-db")).toBe("main.tf:3:33 38");
    expect(at("prod-api")).toBe("main.tf:3:51 56");
    expect(at("dev-db")).toBe("main.tf:4:33 38");
    expect(chain(secret(inv, 'aws_secretsmanager_secret.x["prod-db"]').recoveryWindowInDays.origin).slice(1)).toEqual([
      "main.tf:8:103 through `local.pairs`", // its item `rw = s.rw`
      "main.tf:11:3 through the `for_each` of `aws_secretsmanager_secret.x`",
      'main.tf:13:3 used here by `aws_secretsmanager_secret.x["prod-db"]`',
    ]);
  });

  it("a `for` that makes a tuple, and an index into a set (which orders its elements anew: not followed into the list)", () => {
    const dir = tree({
      "main.tf": `variable "windows" {
  default = [14, 0]
}
locals {
  doubled = [for w in var.windows : w if w != 14]
}
resource "aws_secretsmanager_secret" "t" {
  name                    = "t"
  recovery_window_in_days = local.doubled[0]
}
resource "aws_secretsmanager_secret" "s" {
  name                    = "s"
  recovery_window_in_days = element(toset(var.windows), 0)
}
`,
    });
    const inv = inventoryOf(dir);
    expect(originText(secret(inv, "aws_secretsmanager_secret.t").recoveryWindowInDays.origin!)).toBe("main.tf:2:18");
    const s = secret(inv, "aws_secretsmanager_secret.s").recoveryWindowInDays;
    expect(s.value).toBe(0);
    // toset([14, 0]) is [0, 14]: its element 0 is the list's element 1, so the trace stops at the call.
    expect(originText(s.origin!)).toBe("main.tf:13:3");
  });

  it("a module call with for_each and count.index into a list", () => {
    const dir = tree({
      ...MODULE,
      "main.tf": `locals {
  windows = [7, 0]
}
module "a" {
  source   = "./modules/secret"
  for_each = { x = 0, y = 14 }
  window   = each.value
}
resource "aws_secretsmanager_secret" "b" {
  count                   = 2
  name                    = "b-\${count.index}"
  recovery_window_in_days = local.windows[count.index]
}
`,
    });
    const inv = inventoryOf(dir);
    expect(originText(secret(inv, 'module.a["x"].aws_secretsmanager_secret.this').recoveryWindowInDays.origin!)).toBe("main.tf:6:16");
    expect(originText(secret(inv, 'module.a["y"].aws_secretsmanager_secret.this').recoveryWindowInDays.origin!)).toBe("main.tf:6:23");
    expect(chain(secret(inv, "aws_secretsmanager_secret.b[1]").recoveryWindowInDays.origin)).toEqual([
      "main.tf:2:17",
      "main.tf:12:3 used here by `aws_secretsmanager_secret.b[1]`",
    ]);
  });

  it("try(), coalesce(), lookup(), merge() and a known condition pick the argument that gives the value", () => {
    const dir = tree({
      "main.tf": `variable "cfg" {
  default = { window = 0 }
}
locals {
  on   = true
  base = { window = 30 }
}
resource "aws_secretsmanager_secret" "t" {
  name                    = "t"
  recovery_window_in_days = try(var.cfg.missing, var.cfg.window, 7)
}
resource "aws_secretsmanager_secret" "c" {
  name                    = "c"
  recovery_window_in_days = coalesce(null, local.on ? 0 : 7)
}
resource "aws_secretsmanager_secret" "l" {
  name                    = "l"
  recovery_window_in_days = lookup(merge(local.base, var.cfg), "window", 9)
}
`,
    });
    const inv = inventoryOf(dir);
    expect(originText(secret(inv, "aws_secretsmanager_secret.t").recoveryWindowInDays.origin!)).toBe("main.tf:2:15");
    const c = secret(inv, "aws_secretsmanager_secret.c").recoveryWindowInDays.origin!;
    expect(originText(c)).toBe("main.tf:14:3");
    expect(c.file?.valueRange?.start.column).toBe(55); // the `0` of the branch taken
    expect(originText(secret(inv, "aws_secretsmanager_secret.l").recoveryWindowInDays.origin!)).toBe("main.tf:2:15");
  });

  it("a module output", () => {
    const dir = tree({
      "modules/settings/main.tf": `output "window" {\n  value = 0\n}\n`,
      "main.tf": `module "settings" {
  source = "./modules/settings"
}
resource "aws_secretsmanager_secret" "a" {
  name                    = "a"
  recovery_window_in_days = module.settings.window
}
`,
    });
    expect(chain(secret(inventoryOf(dir), "aws_secretsmanager_secret.a").recoveryWindowInDays.origin)).toEqual([
      "modules/settings/main.tf:2:3",
      "main.tf:6:3 used here by `aws_secretsmanager_secret.a`",
    ]);
  });

  it("tfvars and --var-file lines, and --var (not in a file: the use, with the chain saying where it was set)", () => {
    const files = {
      "main.tf": `variable "window" {\n  type = number\n}\nvariable "tags" {\n  type = map(string)\n}\nresource "aws_secretsmanager_secret" "a" {\n  name                    = "a"\n  recovery_window_in_days = var.window\n  tags                    = var.tags\n}\n`,
      "terraform.tfvars": `window = 0\ntags = {\n  SymEnv = "prod"\n}\n`,
      "prod.tfvars.json": `{\n  "window": 7\n}\n`,
    };
    const dir = tree(files);
    const inv = inventoryOf(dir);
    const s = secret(inv, "aws_secretsmanager_secret.a");
    expect(chain(s.recoveryWindowInDays.origin)).toEqual([
      "terraform.tfvars:1:1",
      "main.tf:1:1 becomes `var.window` of the root module",
      "main.tf:9:3 used here by `aws_secretsmanager_secret.a`",
    ]);
    expect(originText(s.tagOrigins.get("SymEnv")!)).toBe("terraform.tfvars:3:3");
    expect(s.tagOrigins.get("SymEnv")?.part).toBe("tags.SymEnv");

    const fromFile = secret(inventoryOf(dir, { varFiles: [path.join(dir, "prod.tfvars.json")] }), "aws_secretsmanager_secret.a");
    expect(fromFile.recoveryWindowInDays.value).toBe(7);
    expect(originText(fromFile.recoveryWindowInDays.origin!)).toBe("prod.tfvars.json:2:3");

    const fromCli = secret(inventoryOf(dir, { vars: [["window", "0"]] }), "aws_secretsmanager_secret.a");
    expect(chain(fromCli.recoveryWindowInDays.origin)).toEqual([
      "main.tf:9:3",
      "main.tf:1:1 `var.window` of the root module, set by `--var` on the command line",
    ]);
  });

  it("an input origin set by another loader (a Terragrunt unit's inputs) is traced into", () => {
    const dir = tree({
      "main.tf": `variable "window" {}\nresource "aws_secretsmanager_secret" "a" {\n  name                    = "a"\n  recovery_window_in_days = var.window\n}\n`,
      "terragrunt.hcl": `inputs = {\n  window = 0\n}\n`,
    });
    const project = loadProject(dir);
    const root = project.roots[0];
    // What a Terragrunt loader does: the unit's `inputs` item, as the variable's origin.
    const unit = parseHcl(fs.readFileSync(path.join(dir, "terragrunt.hcl"), "utf8"), "terragrunt.hcl");
    const inputs = unit.body.attributes[0].expr;
    if (inputs.type !== "Object") throw new Error("expected an object");
    const item = inputs.items[0];
    root.inputOrigins.set("window", { label: "terragrunt.hcl inputs", file: "terragrunt.hcl", range: item.range, expr: item.value });
    const inst = root.allResourceInstances()[0];
    const w = traceArgument(findAttr(inst.block.body, "recovery_window_in_days")!, resourceContext(inst), inst.address);
    expect(`${w.place.file}:${w.place.range.start.line}:${w.place.range.start.column}`).toBe("terragrunt.hcl:2:3");
  });
});

describe("findings at the written place", () => {
  const callers = (ignore: string) =>
    tree({
      ...MODULE,
      "main.tf": `module "a" {
  source = "./modules/secret"
${ignore}  window = 0
}
module "b" {
  source = "./modules/secret"
  window = 0
}
module "c" {
  source   = "./modules/secret"
  for_each = toset(["x", "y"])
  window   = 0
}
`,
    });

  it("one finding per caller's value (not per module instance), each with its chain in related", () => {
    const r = scanDirectory(callers(""), { rules: allRules });
    const f = r.findings.filter((x) => x.ruleId === "secret/immediate-deletion");
    expect(f.map((x) => originText(x.origin))).toEqual(["main.tf:3:3", "main.tf:7:3", "main.tf:12:3"]);
    expect(f[0].related.map((x) => `${originText(x.origin)} ${x.message}`)).toEqual([
      "modules/secret/variables.tf:1:1 becomes `var.window` of `module.a`",
      "modules/secret/main.tf:3:3 used here by `module.a.aws_secretsmanager_secret.this`",
    ]);
    // module.c's two instances share one written value: one finding, naming both.
    expect(f[2].origin.address).toBe('module.c["x"].aws_secretsmanager_secret.this');
    expect(f[2].message).toContain('the same value also reaches `module.c["y"].aws_secretsmanager_secret.this`');
  });

  it("an ignore comment at one caller silences that caller's finding only", () => {
    const r = scanDirectory(callers("  # secretlint:ignore secret/immediate-deletion -- scratch\n"), { rules: allRules });
    expect(r.findings.filter((x) => x.ruleId === "secret/immediate-deletion").map((x) => originText(x.origin))).toEqual(["main.tf:8:3", "main.tf:13:3"]);
    expect(r.suppressed.map((x) => originText(x.origin))).toEqual(["main.tf:4:3"]);
  });

  it("an ignore comment at the use in the shared module silences every caller", () => {
    const dir = callers("");
    const file = path.join(dir, "modules/secret/main.tf");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("  recovery_window_in_days", "  # secretlint:ignore secret/immediate-deletion\n  recovery_window_in_days"));
    const r = scanDirectory(dir, { rules: allRules });
    expect(r.findings.filter((x) => x.ruleId === "secret/immediate-deletion")).toEqual([]);
    expect(r.suppressed).toHaveLength(3);
  });
});

describe.skipIf(corpusDir === null)("the module example of issue 13 (terraform-aws-modules/terraform-aws-secrets-manager)", () => {
  const example = path.join(corpusDir ?? "", "terraform-aws-modules", "terraform-aws-secrets-manager");
  const deletions = (dir: string) => {
    const r = scanDirectory(dir, { rules: allRules });
    return { r, found: r.findings.filter((f) => f.ruleId === "secret/immediate-deletion") };
  };

  it("each finding at its caller's `0`, one per caller, the chain in related", () => {
    const { found } = deletions(example);
    expect(found.map((f) => `${originText(f.origin)} ${f.origin.address}`)).toEqual([
      "examples/complete/main.tf:28:3 module.secrets_manager.aws_secretsmanager_secret.this[0]",
      "examples/complete/main.tf:67:3 module.secrets_manager_rotate.aws_secretsmanager_secret.this[0]",
    ]);
    expect(found[0].related.map((r) => `${originText(r.origin)} ${r.message}`)).toEqual([
      "variables.tf:53:1 becomes `var.recovery_window_in_days` of `module.secrets_manager`",
      "main.tf:16:3 used here by `module.secrets_manager.aws_secretsmanager_secret.this[0]`",
    ]);
  });

  it("an ignore comment at one caller silences only that one", () => {
    // A copy made at run time (never committed), with the comment added before line 28.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-trace-corpus-"));
    tmpDirs.push(dir);
    fs.cpSync(example, dir, { recursive: true });
    const caller = path.join(dir, "examples/complete/main.tf");
    const lines = fs.readFileSync(caller, "utf8").split("\n");
    expect(lines[27]).toContain("recovery_window_in_days = 0");
    lines.splice(27, 0, "  # secretlint:ignore secret/immediate-deletion -- example secrets are throwaway");
    fs.writeFileSync(caller, lines.join("\n"));
    const { r, found } = deletions(dir);
    expect(found.map((f) => originText(f.origin))).toEqual(["examples/complete/main.tf:68:3"]);
    expect(r.suppressed.filter((f) => f.ruleId === "secret/immediate-deletion").map((f) => originText(f.origin))).toEqual(["examples/complete/main.tf:29:3"]);
  });
});
