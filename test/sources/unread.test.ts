// What a scan did not read (src/sources/terraform/unread.ts): module calls to registry or git
// sources that are not downloaded, said once with the count and how to include them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { scanPaths } from "../../src/scan.js";

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-unread-"));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
const scan = (dir: string) => scanPaths([dir], { rules: allRules, displayRoot: dir });
const notes = (dir: string) => scan(dir).notices.filter((n) => /module calls? to registry/.test(n.message)).map((n) => n.message);

const CALLS = `module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.8.1"\n}\nmodule "kms" {\n  source = "git::https://github.com/acme/kms.git?ref=v1"\n}\nmodule "local" {\n  source = "./local"\n}\n`;

describe("module calls not read", () => {
  it("are said once, with the count, where they are, and how to include them", () => {
    const dir = tree({ "envs/prod/main.tf": CALLS, "envs/prod/local/main.tf": `module "inner" {\n  source = "terraform-aws-modules/iam/aws"\n}\n`, "envs/dev/main.tf": CALLS });
    expect(notes(dir)).toEqual([
      "5 module calls to registry or git sources were not read, as they are not downloaded (envs/dev/main.tf:1 `terraform-aws-modules/vpc/aws`, envs/dev/main.tf:5 `git::https://github.com/acme/kms.git?ref=v1`, envs/prod/local/main.tf:1 `terraform-aws-modules/iam/aws`, and 2 more): their resources are not checked and their outputs are unknown; run `terraform init` in the root modules before the scan to include them",
    ]);
  });

  it("modules read through a built-in model (Sym's secretsmgr-addon, runtime-connector) are not counted", () => {
    const dir = tree({
      "main.tf":
        `module "runtime_connector" {\n  source  = "symopsio/runtime-connector/aws"\n  version = ">= 2.0.0"\n}\n` +
        `module "secrets_addon" {\n  source      = "symopsio/secretsmgr-addon/aws"\n  environment = "prod"\n}\n` +
        `module "addon_git" {\n  source = "git::https://github.com/symopsio/terraform-aws-secretsmgr-addon.git?ref=v1"\n}\n` +
        `module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n`,
    });
    expect(notes(dir)).toEqual([
      "1 module call to registry or git sources was not read, as it is not downloaded (main.tf:12 `terraform-aws-modules/vpc/aws`): their resources are not checked and their outputs are unknown; run `terraform init` in the root modules before the scan to include them",
    ]);
  });

  it("a module Terraform downloaded is read, and not counted", () => {
    const dir = tree({
      "main.tf": `module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n`,
      ".terraform/modules/modules.json": JSON.stringify({ Modules: [{ Key: "", Source: "", Dir: "." }, { Key: "vpc", Source: "registry.terraform.io/terraform-aws-modules/vpc/aws", Dir: ".terraform/modules/vpc" }] }),
      ".terraform/modules/vpc/main.tf": `resource "aws_secretsmanager_secret" "s" {\n  name = "downloaded"\n  recovery_window_in_days = 0\n}\n`,
    });
    const r = scan(dir);
    expect(r.notices).toEqual([]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(["secret/immediate-deletion"]);
  });

  it("in a Terragrunt unit: `terragrunt init` is the way, and what it downloaded into .terragrunt-cache is read", () => {
    const files = {
      "modules/app/main.tf": `module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n`,
      "live/app/terragrunt.hcl": `terraform {\n  source = "../../modules//app"\n}\n`,
    };
    expect(notes(tree(files))[0]).toMatch(/^1 module call to registry or git sources was not read, as it is not downloaded \(modules\/app\/main.tf:1 `terraform-aws-modules\/vpc\/aws`\).*run `terragrunt init` in those units before the scan/);
    const cache = "live/app/.terragrunt-cache/abc/def";
    const inited = tree({
      ...files,
      [`${cache}/.terraform/modules/modules.json`]: JSON.stringify({ Modules: [{ Key: "vpc", Dir: ".terraform/modules/vpc" }] }),
      [`${cache}/.terraform/modules/vpc/main.tf`]: `resource "aws_secretsmanager_secret" "s" {\n  name = "downloaded"\n  recovery_window_in_days = 0\n}\n`,
    });
    const r = scan(inited);
    expect(notes(inited)).toEqual([]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(["secret/immediate-deletion"]);
  });
});
