// Terraform fixes where the value is written elsewhere than the tag (a variable's caller, a
// tfvars file), fixes that would change more than the tag (not offered), and layout: the `=`
// and comments re-aligned as `terraform fmt` aligns them, only where they were.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { scanDirectory } from "../../src/scan.js";
import { findScanFixes } from "../../src/fix/scan-fixes.js";
import { layoutLines, chainOf, chainAligned } from "../../src/fix/layout.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-fix-tf-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function tree(files: Record<string, string>): string {
  const dir = path.join(tmp, String(n++));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function fixesOf(dir: string) {
  const result = scanDirectory(dir, { rules: allRules, displayRoot: dir });
  return findScanFixes(result, { paths: [dir], displayRoot: dir });
}

const ADDON = `module "sym_access" {
  source      = "symopsio/secretsmgr-addon/aws"
  environment = "prod"
}

resource "sym_secret" "key" {
  source_id = "sym-secrets-id"
  path      = aws_secretsmanager_secret.key.name
}
`;

describe("where the value is written", () => {
  it("adds the tag to the caller's map when tags come through a module variable", () => {
    const dir = tree({
      "main.tf": `${ADDON.replace("aws_secretsmanager_secret.key.name", '"sym/prod/key"')}
module "secret" {
  source = "./modules/secret"
  name   = "sym/prod/key"
  tags = {
    Team = "sre"
  }
}
`,
      "modules/secret/main.tf": `variable "name" {}
variable "tags" {}

resource "aws_secretsmanager_secret" "this" {
  name = var.name
  tags = var.tags
}
`,
    });
    const fixes = fixesOf(dir);
    expect(fixes.notOffered).toEqual([]);
    expect(fixes.files.map((f) => f.path)).toEqual(["main.tf"]);
    expect(fixes.files[0].after).toContain('  tags = {\n    Team   = "sre"\n    SymEnv = "prod"\n  }\n');
  });

  it("does not offer the fix when that map is also used elsewhere", () => {
    const dir = tree({
      "main.tf": `${ADDON.replace("aws_secretsmanager_secret.key.name", '"sym/prod/key"')}
module "secret" {
  source = "./modules/secret"
  name   = "sym/prod/key"
  tags = {
    Team = "sre"
  }
}
`,
      "modules/secret/main.tf": `variable "name" {}
variable "tags" {}

resource "aws_secretsmanager_secret" "this" {
  name = var.name
  tags = var.tags
}

resource "aws_iam_role" "reader" {
  name               = "reader"
  assume_role_policy = "{}"
  tags               = var.tags
}
`,
    });
    const fixes = fixesOf(dir);
    expect(fixes.files).toEqual([]);
    expect(fixes.notOffered.map((x) => x.reason)).toEqual(["the edit changes the tags of `module.secret.aws_iam_role.reader`"]);
  });

  it("replaces the value in terraform.tfvars when the tag reads a variable set there", () => {
    const dir = tree({
      "main.tf": `${ADDON}
variable "environment" {
  type = string
}

resource "aws_secretsmanager_secret" "key" {
  name = "sym/prod/key"
  tags = {
    SymEnv = var.environment
  }
}
`,
      "terraform.tfvars": 'environment = "production"\n',
    });
    const fixes = fixesOf(dir);
    expect(fixes.notOffered).toEqual([]);
    expect(fixes.files.map((f) => [f.path, f.after])).toEqual([["terraform.tfvars", 'environment = "prod"\n']]);
  });

  it("does not offer a fix whose written value also makes something else (a name)", () => {
    const dir = tree({
      "main.tf": `${ADDON}
locals {
  environment = "production"
}

resource "aws_secretsmanager_secret" "key" {
  name = "sym/\${local.environment}/key"
  tags = {
    SymEnv = local.environment
  }
}
`,
    });
    const fixes = fixesOf(dir);
    expect(fixes.files).toEqual([]);
    expect(fixes.notOffered.map((x) => x.reason)).toEqual([expect.stringMatching(/^the edit changes `(aws_secretsmanager_secret|sym_secret)\.key` beyond its tags$/)]);
  });

  it("does not offer a fix for a value computed where it is written", () => {
    const dir = tree({
      "main.tf": `${ADDON}
variable "suffix" {
  default = "uction"
}

resource "aws_secretsmanager_secret" "key" {
  name = "sym/prod/key"
  tags = {
    SymEnv = "prod\${var.suffix}"
  }
}
`,
    });
    const fixes = fixesOf(dir);
    expect(fixes.files).toEqual([]);
    expect(fixes.notOffered.map((x) => x.reason)).toEqual(["the tag's value is computed where it is written, not a literal"]);
  });

  it("adds to the last object of a merge, and keeps CRLF line ends", () => {
    const dir = tree({
      "main.tf": `${ADDON}
locals {
  common = { Owner = "platform" }
}

resource "aws_secretsmanager_secret" "key" {
  name = "sym/prod/key"
  tags = merge(local.common, {
    Team = "sre"
  })
}
`.replace(/\n/g, "\r\n"),
    });
    const fixes = fixesOf(dir);
    expect(fixes.notOffered).toEqual([]);
    expect(fixes.files[0].after).toContain('  tags = merge(local.common, {\r\n    Team   = "sre"\r\n    SymEnv = "prod"\r\n  })\r\n');
  });
});

describe("layout as terraform fmt makes it", () => {
  it("reads assign and comment cells as hclwrite does", () => {
    const text = [
      'resource "x" "y" {', // 0
      '  name        = "a" # one', // 1
      '  description = "b"  # two', // 2
      "  tags = {", // 3
      '    "k-1" = "${var.x}" // c', // 4
      "    k2    = { a = 1 }", // 5
      "  }", // 6
      "  policy = <<EOF", // 7
      "a = b", // 8
      "EOF", // 9
      "  x = [", // 10
      "    1,", // 11
      "  ]", // 12
      "}", // 13
    ].join("\n");
    const lines = layoutLines(text);
    const cells = lines.map((l) => (l.opaque ? "opaque" : `${l.assign ? "A" : "-"}${l.comment ? "C" : "-"}`));
    expect(cells).toEqual(["--", "AC", "AC", "--", "AC", "A-", "--", "opaque", "opaque", "opaque", "--", "--", "--", "--"]);
    expect(chainOf(lines, 1, "assign")).toEqual([1, 2]);
    expect(chainAligned(text, lines, [1, 2], "assign")).toBe(true);
    expect(chainOf(lines, 1, "comment")).toEqual([1, 2]);
    expect(chainAligned(text, lines, [1, 2], "comment")).toBe(false);
    expect(chainOf(lines, 4, "assign")).toEqual([4, 5]);
  });

  it("re-aligns a chain a longer key joins, and leaves an unaligned one unaligned", () => {
    const aligned = tree({
      "main.tf": `${ADDON}
resource "aws_secretsmanager_secret" "key" {
  name = "sym/prod/key"
  tags = {
    A  = "1" # first
    BB = "2" # second
  }
}
`,
    });
    const a = fixesOf(aligned).files[0].after;
    expect(a).toContain('  tags = {\n    A      = "1" # first\n    BB     = "2" # second\n    SymEnv = "prod"\n  }\n');
    const loose = tree({
      "main.tf": `${ADDON}
resource "aws_secretsmanager_secret" "key" {
  name = "sym/prod/key"
  tags = {
    A = "1"
    BB = "2"
  }
}
`,
    });
    expect(fixesOf(loose).files[0].after).toContain('  tags = {\n    A = "1"\n    BB = "2"\n    SymEnv = "prod"\n  }\n');
  });
});
