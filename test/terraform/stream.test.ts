// A scan reads a project one root module at a time (src/terraform/stream.ts, scanTerraform in
// src/sources/terraform/index.ts): it must make exactly what loading the whole project first
// makes (loadProject, then inventoryFromProject): the same inventory, failures, files, module
// directories, unread module calls and notices. Checked on trees that share modules between
// roots (a module let go and read again), call modules in a cycle, hold parse errors, call
// downloaded modules, run Terragrunt units, and parse more than the survey keeps; on the
// fixtures; and on the real-world corpus when it is there.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dumpInventory } from "../../src/inventory/dump.js";
import { scanPaths } from "../../src/scan.js";
import { inventoryFromProject, scanTerraform } from "../../src/sources/terraform/index.js";
import { unreadModuleCalls } from "../../src/sources/terraform/unread.js";
import { loadProject, projectFiles, type ModuleFailure, type ProjectOptions } from "../../src/terraform/project.js";
import { terragruntUnits } from "../../src/terragrunt/project.js";
import { corpusDir, corpusMissingReason } from "../helpers/shared.js";

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-stream-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const failureText = (f: ModuleFailure) => `${f.stage} ${f.module} ${f.address} ${f.root ?? ""} ${String(f.error)}`;

/** What the whole project loaded first makes, and what the stream makes. */
function both(dir: string, options: ProjectOptions = {}) {
  const project = loadProject(dir, options, terragruntUnits());
  const failuresA: ModuleFailure[] = [];
  const inventoryA = inventoryFromProject(project, undefined, {}, failuresA);
  const a = {
    inventory: JSON.stringify(dumpInventory(inventoryA), null, 1),
    failures: failuresA.map(failureText),
    files: [...new Set(projectFiles(project).map((f) => `${f.fileName} ${f.source.length}`))],
    modules: [...project.modules.keys()],
    unread: unreadModuleCalls(project),
    fileNotices: project.fileNotices,
    notices: project.notices,
    undeclaredVars: project.undeclaredVars,
  };
  const failuresB: ModuleFailure[] = [];
  const files: string[] = [];
  const scan = scanTerraform(dir, options, {}, failuresB, { extension: terragruntUnits(), onFile: (f) => files.push(`${f.fileName} ${f.source.length}`) });
  const b = {
    inventory: JSON.stringify(dumpInventory(scan.inventory), null, 1),
    failures: failuresB.map(failureText),
    files: [...new Set(files)],
    modules: [...scan.moduleDirs],
    unread: scan.unread,
    fileNotices: scan.project.fileNotices,
    notices: scan.project.notices,
    undeclaredVars: scan.project.undeclaredVars,
  };
  return { a, b, scan };
}

function expectSame(dir: string, options: ProjectOptions = {}) {
  const { a, b, scan } = both(dir, options);
  expect(b.inventory).toBe(a.inventory);
  expect(b.failures).toEqual(a.failures);
  expect([...b.files].sort()).toEqual([...a.files].sort());
  expect([...b.modules].sort()).toEqual([...a.modules].sort());
  expect(b.unread).toEqual(a.unread);
  expect(b.fileNotices).toEqual(a.fileNotices);
  expect(b.notices).toEqual(a.notices);
  expect(b.undeclaredVars).toEqual(a.undeclaredVars);
  return scan;
}

const secret = (name: string, tags = "") => `resource "aws_secretsmanager_secret" "s" {\n  name = "${name}"\n  ${tags}\n}\n`;

describe("one root at a time makes what the whole project makes", () => {
  it("modules shared between roots, nested calls, downloaded modules read by two roots", () => {
    const modulesJson = (key: string) => JSON.stringify({ Modules: [{ Key: "", Source: "", Dir: "." }, { Key: key, Source: "registry.terraform.io/x/y/aws", Dir: ".terraform/modules/" + key }] });
    const dir = tree({
      "modules/shared/main.tf": `variable "name" {}\nmodule "inner" {\n  source = "../inner"\n  name   = var.name\n}\noutput "arn" { value = module.inner.arn }\n`,
      "modules/inner/main.tf": `variable "name" {}\n${secret("${var.name}/db", 'tags = { SymEnv = "prod" }')}output "arn" { value = aws_secretsmanager_secret.s.arn }\n`,
      "live/a/main.tf": `module "shared" {\n  source = "../../modules/shared"\n  name   = "a"\n}\nmodule "reg" {\n  source = "x/y/aws"\n}\n`,
      "live/a/.terraform/modules/modules.json": modulesJson("reg"),
      "live/a/.terraform/modules/reg/main.tf": secret("reg-a"),
      "live/b/main.tf": `module "shared" {\n  source = "../../modules/shared"\n  name   = "b"\n}\nmodule "reg" {\n  source = "x/y/aws"\n}\nmodule "gone" {\n  source = "x/z/aws"\n}\n`,
      "live/b/.terraform/modules/modules.json": modulesJson("reg"),
      "live/b/.terraform/modules/reg/main.tf": secret("reg-b"),
      "live/c/main.tf": `${secret("c/db")}resource "aws_secretsmanager_secret_version" "v" {\n  secret_id     = "a/db"\n  secret_string = "x"\n}\n`,
      "modules/unused/main.tf": `${secret("unused")}output "o" { value = local.nope }\n`,
    });
    const scan = expectSame(dir);
    expect(scan.inventory.secrets.length).toBeGreaterThanOrEqual(5);
  });

  it("a cycle of module calls, parse errors in a root and in a called module, --var", () => {
    const dir = tree({
      "x/main.tf": `module "y" {\n  source = "../y"\n}\n${secret("x")}`,
      "y/main.tf": `module "x" {\n  source = "../x"\n}\n${secret("y")}`,
      "root/main.tf": `variable "env" {}\nmodule "broken" {\n  source = "../broken"\n}\n${secret("${var.env}/r")}`,
      "broken/main.tf": `resource "aws_secretsmanager_secret" "b" {\n  name = "b"\n`,
      "bad/main.tf": `resource "aws_secretsmanager_secret" {{{\n`,
      "bad/ok.tf": secret("ok"),
    });
    expectSame(dir, { vars: [["env", "prod"], ["nobody", "1"]] });
  });

  it("root variables files the walk leaves out (.gitignored, --exclude'd) are read as Terraform reads them; one that is a directory is an error", () => {
    const dir = tree({
      ".gitignore": "terraform.tfvars\n",
      "a/main.tf": `variable "n" {}\n${secret("${var.n}")}`,
      "a/terraform.tfvars": `n = "from-ignored-tfvars"\n`,
      "b/main.tf": `variable "n" {}\n${secret("${var.n}")}`,
      "b/z.auto.tfvars": `n = "from-excluded-auto"\n`,
      "c/main.tf": `variable "n" { default = "c-default" }\n${secret("${var.n}")}`,
      "c/terraform.tfvars.json/x": "",
    });
    const scan = expectSame(dir, { exclude: ["**/*.auto.tfvars"] });
    const dumped = JSON.stringify(dumpInventory(scan.inventory));
    for (const name of ["from-ignored-tfvars", "from-excluded-auto", "c-default"]) expect(dumped).toContain(`"${name}"`);
    expect(scan.project.diagnostics.map((d) => `${d.file}: ${d.message}`)).toEqual([expect.stringMatching(/^c\/terraform\.tfvars\.json: variables file: file is a directory/)]);
  });

  it("Terragrunt units beside plain roots", () => {
    const dir = tree({
      "modules/app/main.tf": `variable "name" {}\n${secret("${var.name}", 'tags = { SymEnv = "x" }')}`,
      "live/prod/terragrunt.hcl": `terraform {\n  source = "../../modules/app"\n}\ninputs = {\n  name = "prod/app"\n}\n`,
      "live/dev/terragrunt.hcl": `terraform {\n  source = "../../modules/app"\n}\ninputs = {\n  name = "dev/app"\n}\n`,
      "plain/main.tf": `module "app" {\n  source = "../modules/app"\n  name   = "plain/app"\n}\n`,
      "remote/terragrunt.hcl": `terraform {\n  source = "git::https://example.com/x.git//y"\n}\n`,
    });
    expectSame(dir);
  });

  it("more module-calling text than the survey keeps parsed (its trees are parsed again), and files the survey skims", () => {
    const files: Record<string, string> = {};
    const padding = `# ${"x".repeat(120)}\n`.repeat(100); // ~12 KB a file
    for (let i = 0; i < 120; i++) {
      // Three in four files are parsed whole by the survey (a non-ASCII name: the skim leaves them to the parser; 1.1 M characters), the others skimmed.
      const parsedWhole = i % 4 !== 0 ? `locals {\n  café = "r${i}"\n}\n` : "";
      files[`roots/r${i}/main.tf`] = `${padding}${parsedWhole}module "m" {\n  source = "../../mods/m${i % 7}"\n  name   = "r${i}"\n}\n`;
    }
    for (let j = 0; j < 7; j++) files[`mods/m${j}/main.tf`] = `variable "name" {}\n${secret("${var.name}/m" + j)}`;
    expectSame(tree(files));
  });
});

describe("one root at a time on real trees", () => {
  const fixtures = path.resolve(import.meta.dirname, "../../fixtures");
  for (const sub of ["terraform", "rules", "examples", "seeds"]) {
    it(`fixtures/${sub}`, () => {
      expectSame(path.join(fixtures, sub));
    });
  }
  it.skipIf(corpusDir === null)(`the real-world corpus (../shared/corpus)${corpusMissingReason ? ` (skipped: ${corpusMissingReason})` : ""}`, () => {
    expectSame(corpusDir as string);
  });
});

describe("a scan keeps texts, not syntax trees", () => {
  it("names every scanned file among its sources, and reads back the texts no finding names", () => {
    const dir = tree({
      "a/main.tf": secret("a", 'secret_string = "hunter2hunter2"'),
      "b/main.tf": `# nothing to report\nlocals {\n  x = 1\n}\n`,
      "c/io_config.yaml": "version: 0.1.1\ndefault:\n  AWS_REGION: us-east-1\n",
    });
    const result = scanPaths([dir], { displayRoot: dir });
    expect([...result.sources.keys()].sort()).toEqual(["a/main.tf", "b/main.tf", "c/io_config.yaml"]);
    expect(result.sources.has("b/main.tf")).toBe(true);
    expect(result.sources.get("b/main.tf")).toBe(fs.readFileSync(path.join(dir, "b/main.tf"), "utf8"));
    expect(result.sources.get("a/main.tf")).toBe(fs.readFileSync(path.join(dir, "a/main.tf"), "utf8"));
    expect(result.sources.get("nowhere.tf")).toBeUndefined();
    expect(result.scanned).toContainEqual({ what: "files", count: 3 });
  });
});
