// Terragrunt units (src/terragrunt/): configurations evaluated as Terragrunt evaluates them,
// never run; each unit's module evaluated with its generated files and inputs. Layouts follow
// Terragrunt's documentation and test fixtures (include, expose, merge strategies, generate,
// read_terragrunt_config, read_tfvars_file, get_env, path functions, dependency).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { parseExpressionSource } from "../../src/hcl/parser.js";
import { scanPaths } from "../../src/scan.js";
import { evaluate } from "../../src/terraform/evaluate.js";
import type { ModuleInstance } from "../../src/terraform/module.js";
import { loadProject, type Project, type ProjectOptions } from "../../src/terraform/project.js";
import { toJSONView, Unknown, type Value } from "../../src/terraform/values.js";
import { isRemoteSource, localSourceDir, terragruntUnits } from "../../src/terragrunt/project.js";

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "secretlint-tg-"));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function load(dir: string, options: ProjectOptions = {}): Project {
  return loadProject(dir, options, terragruntUnits());
}

/** The root instance of the unit in `unitDir` (relative). */
function unit(p: Project, dir: string, unitDir: string): ModuleInstance {
  const r = p.roots.find((x) => x.unitDir === join(dir, unitDir));
  if (!r) throw new Error(`no unit ${unitDir}; roots: ${p.roots.map((x) => x.unitDir ?? x.config.dir).join(", ")}`);
  return r;
}

function ev(m: ModuleInstance, src: string): Value {
  const { expr } = parseExpressionSource(src, "expr.tf");
  return evaluate(expr, m);
}

const view = (v: Value) => toJSONView(v);
const scan = (dir: string, options: Partial<ProjectOptions> = {}) => scanPaths([dir], { rules: allRules, displayRoot: dir, ...options });
const found = (r: ReturnType<typeof scan>) => r.findings.map((f) => `${f.ruleId} ${f.origin.file?.path}:${f.origin.file?.range.start.line}:${f.origin.file?.range.start.column}`);

/** A module declaring variables and echoing them as outputs. */
const ECHO = `variable "a" {\n  default = "module default"\n}\nvariable "b" {\n  default = null\n}\noutput "a" {\n  value = var.a\n}\n`;

describe("sources", () => {
  it("tells remote addresses from local paths; //subdir and ?ref are the module's directory", () => {
    for (const s of ["git::git@github.com:acme/modules.git//vpc?ref=v1", "git@github.com:acme/m.git", "tfr:///terraform-aws-modules/vpc/aws?version=3.3.0", "github.com/acme/m//x", "https://example.com/m.zip", "s3::https://s3.amazonaws.com/b/m.zip"]) {
      expect(isRemoteSource(s), s).toBe(true);
    }
    for (const s of ["../../modules//app", "./m", "/abs/modules//x", "modules/app"]) expect(isRemoteSource(s), s).toBe(false);
    expect(localSourceDir("../../modules//app?ref=v1", "/r/live/app")).toBe("/r/modules/app");
  });

  it("a local source is evaluated once per unit, with the unit's inputs; the module is not also a root", () => {
    const dir = tree({
      "modules/echo/main.tf": ECHO,
      "live/dev/app/terragrunt.hcl": `terraform {\n  source = "../../../modules//echo"\n}\ninputs = {\n  a = "dev"\n  ignored = "not a variable"\n}\n`,
      "live/prod/app/terragrunt.hcl": `terraform {\n  source = "\${get_terragrunt_dir()}/../../../modules/echo"\n}\ninputs = {\n  a = "prod"\n}\n`,
    });
    const p = load(dir);
    expect(p.roots.map((r) => r.unitDir).sort()).toEqual([join(dir, "live/dev/app"), join(dir, "live/prod/app")]);
    expect(ev(unit(p, dir, "live/dev/app"), "var.a")).toBe("dev");
    expect(ev(unit(p, dir, "live/prod/app"), "var.a")).toBe("prod");
    expect(ev(unit(p, dir, "live/prod/app"), "var.b")).toBe(null);
  });

  it("a remote source is skipped, said once with the count and how to include it", () => {
    const dir = tree({
      "a/terragrunt.hcl": `terraform {\n  source = "git::git@github.com:acme/modules.git//vpc?ref=v1.0.0"\n}\n`,
      "b/terragrunt.hcl": `terraform {\n  source = "tfr:///terraform-aws-modules/vpc/aws?version=5.0.0"\n}\n`,
    });
    const p = load(dir);
    expect(p.roots).toEqual([]);
    expect(p.notices).toHaveLength(1);
    expect(p.notices[0].message).toMatch(/^2 Terragrunt units with a remote module source \(git, registry\) were not evaluated \(a, b\): secretlint does not download modules/);
  });

  it("a conditional between a pinned remote release and the local checkout, undecided by get_env: the local path, and a note says so", () => {
    const files = {
      "modules/echo/main.tf": ECHO,
      "live/app/terragrunt.hcl": `locals {\n  env = get_env("ENVIRONMENT")\n}\nterraform {\n  source = local.env == "prod" ? "git::https://github.com/acme/modules.git//echo?ref=v1.2.0" : "../../modules//echo"\n}\ninputs = {\n  a = "from unit"\n}\n`,
    };
    const dir = tree(files);
    const p = load(dir);
    expect(ev(unit(p, dir, "live/app"), "var.a")).toBe("from unit");
    expect(p.notices.map((n) => n.message)).toEqual([
      '1 Terragrunt unit chooses between a remote module source and a local path depending on get_env("ENVIRONMENT"), which is not known; evaluated with the local path (live/app → modules/echo); pass --tg-env to choose',
    ]);
    // Told on the command line: the remote release, skipped.
    const prod = load(dir, { tgEnv: [["ENVIRONMENT", "prod"]] });
    expect(prod.roots.filter((r) => r.unitDir)).toEqual([]); // (modules/echo, used by no unit now, is a plain root)
    expect(prod.notices[0].message).toMatch(/^1 Terragrunt unit with a remote module source/);
    const dev = load(dir, { tgEnv: [["ENVIRONMENT", "dev"]] });
    expect(dev.roots.map((r) => r.unitDir)).toEqual([join(dir, "live/app")]);
    expect(dev.notices).toEqual([]);
  });

  it("a source through get_repo_root(): the git work tree's top; outside any, the note says why the unit was not evaluated", () => {
    const files = {
      "modules/echo/main.tf": ECHO,
      "live/app/terragrunt.hcl": `terraform {\n  source = "\${get_repo_root()}//modules/echo"\n}\ninputs = {\n  a = "from unit"\n}\n`,
    };
    const outside = tree(files); // a temporary directory: no .git above it
    const p = load(outside);
    expect(p.roots.filter((r) => r.unitDir)).toEqual([]);
    expect(p.notices.map((n) => n.message)).toEqual([
      "1 Terragrunt unit whose module source is not known was not evaluated: live/app (get_repo_root() needs a git work tree, and the unit is in none; scan a git checkout)",
    ]);
    const checkout = tree({ ...files, ".git/HEAD": "ref: refs/heads/main\n" });
    const q = load(checkout);
    expect(ev(unit(q, checkout, "live/app"), "var.a")).toBe("from unit");
    expect(q.notices).toEqual([]);
  });

  it("a Terragrunt stack is not read, and a note says so beside the units that are", () => {
    const dir = tree({
      "modules/echo/main.tf": ECHO,
      "live/app/terragrunt.hcl": `terraform {\n  source = "../../modules//echo"\n}\n`,
      "live/svc/terragrunt.stack.hcl": `unit "service" {\n  source = "github.com/acme/catalog//units/service"\n  path   = "service"\n}\n`,
    });
    const p = load(dir);
    expect(p.roots.map((r) => r.unitDir)).toEqual([join(dir, "live/app")]);
    expect(p.notices.map((n) => n.message)).toEqual([
      "1 Terragrunt stack was not read (live/svc/terragrunt.stack.hcl): secretlint does not generate a stack's units; scan the repository of the units and modules it names as well",
    ]);
  });

  it("a configuration with skip = true is not run (a parent meant to be included), nor one excluded for all actions", () => {
    const dir = tree({
      "modules/echo/main.tf": ECHO,
      "terragrunt.hcl": `skip = true\nterraform {\n  source = "\${get_parent_terragrunt_dir()}/modules//echo"\n}\n`,
      "app/terragrunt.hcl": `include {\n  path = find_in_parent_folders()\n}\n`,
      "off/terragrunt.hcl": `terraform {\n  source = "../modules//echo"\n}\nexclude {\n  if = true\n  actions = ["all"]\n}\n`,
    });
    expect(load(dir).roots.map((r) => r.unitDir)).toEqual([join(dir, "app")]);
  });

  it("without a source the unit's own directory is the module; a configuration only included by others is not a unit", () => {
    const dir = tree({
      "terragrunt.hcl": `inputs = {\n  a = "from the root"\n}\n`,
      "app/terragrunt.hcl": `include {\n  path = find_in_parent_folders()\n}\n`,
      "app/main.tf": ECHO,
    });
    const p = load(dir);
    expect(p.roots).toHaveLength(1);
    expect(ev(unit(p, dir, "app"), "var.a")).toBe("from the root");
  });
});

describe("functions", () => {
  it("get_env reads --tg-env only (never the process environment), else its default, else unknown", () => {
    process.env.SECRETLINT_TG_TEST = "from the environment";
    try {
      const dir = tree({
        "main.tf": `variable "a" {}\nvariable "b" {}\nvariable "c" {}\n`,
        "terragrunt.hcl": `inputs = {\n  a = get_env("SECRETLINT_TG_TEST")\n  b = get_env("SECRETLINT_TG_TEST", "default")\n  c = get_env("GIVEN")\n}\n`,
      });
      const u = unit(load(dir, { tgEnv: [["GIVEN", "on the command line"]] }), dir, ".");
      expect(ev(u, "var.a")).toBeInstanceOf(Unknown);
      expect(ev(u, "var.b")).toBe("default");
      expect(ev(u, "var.c")).toBe("on the command line");
    } finally {
      delete process.env.SECRETLINT_TG_TEST;
    }
  });

  it("run_cmd, sops_decrypt_file and the AWS look-ups are unknown and never run", () => {
    const marker = join(tmpdir(), `secretlint-run-cmd-${process.pid}`);
    const dir = tree({
      "main.tf": `variable "a" {}\nvariable "b" {}\nvariable "c" {}\n`,
      "terragrunt.hcl": `inputs = {\n  a = run_cmd("touch", "${marker}")\n  b = sops_decrypt_file("secrets.enc.json")\n  c = get_aws_account_id()\n}\n`,
    });
    const u = unit(load(dir), dir, ".");
    for (const v of ["var.a", "var.b", "var.c"]) expect(ev(u, v), v).toBeInstanceOf(Unknown);
    expect(existsSync(marker)).toBe(false);
  });

  it("path functions in a parent run in the child's context", () => {
    const dir = tree({
      "modules/m/main.tf": `variable "a" {}\n`,
      "live/root.hcl": `locals {\n  env = read_terragrunt_config(find_in_parent_folders("env.hcl"))\n}\ninputs = {\n  a = {\n    rel = path_relative_to_include()\n    from = path_relative_from_include()\n    tg_dir = get_terragrunt_dir()\n    parent = get_parent_terragrunt_dir()\n    env = local.env.locals.name\n  }\n}\n`,
      "live/prod/env.hcl": `locals {\n  name = "prod"\n}\n`,
      "live/prod/db/terragrunt.hcl": `include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\nterraform {\n  source = "../../../modules//m"\n}\n`,
    });
    const u = unit(load(dir), dir, "live/prod/db");
    expect(view(ev(u, "var.a"))).toEqual({ rel: "prod/db", from: "../..", tg_dir: join(dir, "live/prod/db"), parent: join(dir, "live"), env: "prod" });
  });

  it("read_tfvars_file and read_terragrunt_config (with a default for a missing file)", () => {
    const dir = tree({
      "main.tf": `variable "a" {}\nvariable "b" {}\nvariable "c" {}\n`,
      "common.tfvars": `region = "eu-west-1"\nsizes = [1, 2]\n`,
      "common.hcl": `locals {\n  team = "platform"\n}\ninputs = {\n  c = "from common.hcl"\n}\n`,
      "terragrunt.hcl": `locals {\n  vars = jsondecode(read_tfvars_file("common.tfvars"))\n  common = read_terragrunt_config("common.hcl")\n  missing = read_terragrunt_config("nope.hcl", { locals = { team = "fallback" } })\n}\ninputs = merge(local.common.inputs, {\n  a = local.vars\n  b = [local.common.locals.team, local.missing.locals.team]\n})\n`,
    });
    const u = unit(load(dir), dir, ".");
    expect(view(ev(u, "var.a"))).toEqual({ region: "eu-west-1", sizes: [1, 2] });
    expect(view(ev(u, "var.b"))).toEqual(["platform", "fallback"]);
    expect(ev(u, "var.c")).toBe("from common.hcl");
  });

  it("dependency outputs are unknown (mock outputs are not real values)", () => {
    const dir = tree({
      "main.tf": `variable "a" {}\n`,
      "terragrunt.hcl": `dependency "vpc" {\n  config_path = "../vpc"\n  mock_outputs = {\n    id = "vpc-mock"\n  }\n}\ninputs = {\n  a = dependency.vpc.outputs.id\n}\n`,
    });
    expect(ev(unit(load(dir), dir, "."), "var.a")).toBeInstanceOf(Unknown);
  });
});

describe("include", () => {
  const parent = `locals {\n  region = "us-west-1"\n}\ninputs = {\n  a = "parent"\n  b = {\n    x = 1\n    list = ["p"]\n  }\n}\n`;
  const child = (strategy: string, expose = false) =>
    `include "root" {\n  path = find_in_parent_folders("root.hcl")\n  merge_strategy = "${strategy}"\n  expose = ${expose}\n}\nterraform {\n  source = "../modules//m"\n}\ninputs = {\n  b = {\n    y = 2\n    list = ["c"]\n  }\n}\n`;
  const mod = `variable "a" {\n  default = "none"\n}\nvariable "b" {\n  default = null\n}\nvariable "r" {\n  default = null\n}\n`;

  it("shallow (the default): the child's keys replace the parent's", () => {
    const dir = tree({ "root.hcl": parent, "modules/m/main.tf": mod, "app/terragrunt.hcl": child("shallow") });
    const u = unit(load(dir), dir, "app");
    expect(ev(u, "var.a")).toBe("parent");
    expect(view(ev(u, "var.b"))).toEqual({ y: 2, list: ["c"] });
  });

  it("deep: maps merged, lists concatenated", () => {
    const dir = tree({ "root.hcl": parent, "modules/m/main.tf": mod, "app/terragrunt.hcl": child("deep") });
    expect(view(ev(unit(load(dir), dir, "app"), "var.b"))).toEqual({ x: 1, y: 2, list: ["p", "c"] });
  });

  it("no_merge: only what is exposed; expose gives the parent's locals and inputs", () => {
    const dir = tree({
      "root.hcl": parent,
      "modules/m/main.tf": mod,
      "app/terragrunt.hcl": child("no_merge", true).replace("inputs = {", "inputs = {\n  r = \"${include.root.locals.region}-${include.root.inputs.a}\""),
    });
    const u = unit(load(dir), dir, "app");
    expect(ev(u, "var.a")).toBe("none");
    expect(ev(u, "var.r")).toBe("us-west-1-parent");
  });
});

describe("generate", () => {
  const root = (extra = "") => `generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<EOF
provider "aws" {
  region = var.aws_region
}
EOF
}

generate "common_variables" {
  path      = "variables.tf"
  if_exists = "overwrite"
  contents  = file("common/variables.tf")
}
${extra}
inputs = {
  aws_region = "eu-west-1"
}
`;
  const files = (extra = "") => ({
    "root.hcl": root(extra),
    "common/variables.tf": `variable "aws_region" {\n  type = string\n}\n`,
    "modules/app/main.tf": `resource "aws_secretsmanager_secret" "s" {\n  name = "app-\${var.aws_region}"\n}\n`,
    "modules/app/variables.tf": `# replaced by the generated variables.tf (if_exists = "overwrite")\nvariable "something_else" {}\n`,
    "live/app/terragrunt.hcl": `include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\nterraform {\n  source = "../../modules//app"\n}\n`,
  });

  it("generated files join the unit's module: no undefined reference; the provider region and variables are known", () => {
    const dir = tree(files());
    const p = load(dir);
    const u = unit(p, dir, "live/app");
    expect(ev(u, "var.aws_region")).toBe("eu-west-1");
    expect(ev(u, "aws_secretsmanager_secret.s.name")).toBe("app-eu-west-1");
    expect(u.providerRegion("aws")).toBe("eu-west-1");
    expect(u.config.variables.has("something_else")).toBe(false); // overwritten
    // The fragment directory and the module are not roots of their own.
    expect(p.roots).toHaveLength(1);
    expect(found(scan(dir))).toEqual([]);
  });

  it("a finding in generated text points at the text the user wrote (root.hcl's heredoc, the fragment file)", () => {
    const dir = tree({
      ...files(),
      "root.hcl": root().replace("  region = var.aws_region", "  region = var.aws_regoin\n  profile = \"<AccountId>\""),
      "common/variables.tf": `variable "aws_region" {\n  type = string\n}\nvariable "x" {\n  default = local.undeclared\n}\n`,
    });
    expect(found(scan(dir))).toEqual([
      "terraform/undefined-reference common/variables.tf:5:13",
      "terraform/undefined-reference root.hcl:6:12",
      "secret/placeholder-value root.hcl:7:14",
    ]);
  });

  it("if_exists = skip keeps the module's file; disable = true writes nothing", () => {
    const dir = tree({
      ...files(),
      "root.hcl": root().replace(`if_exists = "overwrite"`, `if_exists = "skip"`),
      "modules/app/variables.tf": `variable "aws_region" {\n  default = "from the module"\n}\n`,
    });
    expect(ev(unit(load(dir), dir, "live/app"), "var.something_else")).toBeInstanceOf(Unknown);
    const disabled = tree({ ...files(), "root.hcl": root().replace(`path      = "provider.tf"`, `path      = "provider.tf"\n  disable   = true`) });
    expect(unit(load(disabled), disabled, "live/app").config.providers.has("aws")).toBe(false);
  });

  it("an unknown stretch in generated text is unknown there and nowhere else", () => {
    const dir = tree({
      ...files(),
      "root.hcl": root().replace("  region = var.aws_region", `  region = "\${get_env("AWS_REGION")}"\n  profile = "fixed"`),
    });
    const u = unit(load(dir), dir, "live/app");
    expect(u.providerRegion("aws")).toBeInstanceOf(Unknown);
    expect(found(scan(dir))).toEqual([]);
  });

  it("the unit directory's own .tf files are copied over the module's", () => {
    const dir = tree({
      ...files(),
      "live/app/extra.tf": `variable "extra" {\n  default = "from the unit directory"\n}\n`,
    });
    const p = load(dir);
    expect(ev(unit(p, dir, "live/app"), "var.extra")).toBe("from the unit directory");
    expect(p.roots).toHaveLength(1);
  });
});

describe("findings on inputs", () => {
  it("appear once per unit, where the value is written: a unit's inputs, a tfvars file read with read_tfvars_file", () => {
    const dir = tree({
      "modules/s/main.tf": `variable "days" {\n  default = 30\n}\nresource "aws_secretsmanager_secret" "s" {\n  name = "s-\${var.days}"\n  recovery_window_in_days = var.days\n}\n`,
      "live/a/terragrunt.hcl": `terraform {\n  source = "../../modules//s"\n}\ninputs = {\n  days = 0\n}\n`,
      "live/b/terragrunt.hcl": `terraform {\n  source = "../../modules//s"\n}\ninputs = jsondecode(read_tfvars_file("b.tfvars"))\n`,
      "live/b/b.tfvars": `days = 0\n`,
      "live/c/terragrunt.hcl": `terraform {\n  source = "../../modules//s"\n}\ninputs = {\n  days = 7\n}\n`,
    });
    expect(found(scan(dir))).toEqual(["secret/immediate-deletion live/a/terragrunt.hcl:5:3", "secret/immediate-deletion live/b/b.tfvars:1:1"]);
  });
});
