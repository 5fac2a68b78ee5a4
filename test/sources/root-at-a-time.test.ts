// A scan collects its root modules one at a time (src/sources/terraform/index.ts) and decides
// links between roots once every root is in (links.ts). The inventory must be exactly the one a
// collection of every root at once makes (the collectors over one context of all roots, links
// decided at once): the same entries, the same fields, in the same order. Checked on trees that
// link across roots in every way the collectors link (versions, rotations, secret policies, Sym
// and Apono references, by name and by ARN, same-module and same-root preferences), on the
// Terraform fixtures, and on the real-world corpus when it is there.
//
// A root's collection expands only the declarations the collectors read (INSTANCES_COLLECTED);
// every root at once here expands them all, so these tests also check that no collector reads
// a kind of instance it does not list.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dumpInventory } from "../../src/inventory/dump.js";
import { emptyInventory, type Inventory } from "../../src/inventory/model.js";
import { buildContext, type IdOptions } from "../../src/sources/terraform/context.js";
import { collectApono } from "../../src/sources/terraform/apono.js";
import { collectIam } from "../../src/sources/terraform/iam.js";
import { RootInventories, collectRoot } from "../../src/sources/terraform/index.js";
import { ScanLinks } from "../../src/sources/terraform/links.js";
import { collectSecrets } from "../../src/sources/terraform/secrets.js";
import { collectSym } from "../../src/sources/terraform/sym.js";
import { scanPaths } from "../../src/scan.js";
import { loadProject } from "../../src/terraform/project.js";
import { terragruntUnits } from "../../src/terragrunt/project.js";
import { corpusDir, corpusMissingReason } from "../helpers/shared.js";

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-roots-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const ids = (roots: number): IdOptions => ({ alwaysPrefix: roots > 1 });

/** Every root at once: the collectors over one context, links decided at once. */
function allAtOnce(dir: string): Inventory {
  const project = loadProject(dir, {}, terragruntUnits());
  const inv = emptyInventory();
  const ctx = buildContext(project, inv, ids(project.roots.length));
  collectSecrets(ctx);
  collectIam(ctx);
  collectSym(ctx);
  collectApono(ctx);
  return inv;
}

/** One root at a time, as a scan collects them. */
function oneAtATime(dir: string): Inventory {
  const project = loadProject(dir, {}, terragruntUnits());
  const links = new ScanLinks();
  const parts = new RootInventories();
  for (const root of project.roots) parts.add(collectRoot(project, root, ids(project.roots.length), [], links));
  return parts.merged(links);
}

function same(dir: string): { a: string; b: string } {
  return { a: JSON.stringify(dumpInventory(allAtOnce(dir)), null, 1), b: JSON.stringify(dumpInventory(oneAtATime(dir)), null, 1) };
}

const SECRET = (name: string, extra = "") => `resource "aws_secretsmanager_secret" "s" {\n  name = "${name}"\n${extra}}\n`;

describe("links between root modules are decided as with every root at once", () => {
  it("versions, rotations, Sym and Apono references to another root's secret, by name and by ARN", () => {
    const dir = tree({
      "a/main.tf": `resource "aws_secretsmanager_secret_version" "v" {
  secret_id     = "shared/db"
  secret_string = jsonencode({ user = "u", password = var.p })
}
variable "p" {}
resource "aws_secretsmanager_secret_rotation" "r" {
  secret_id           = "arn:aws:secretsmanager:us-east-1:111122223333:secret:shared/db-AbCdEf"
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:rotate"
  rotation_rules {
    automatically_after_days = 30
  }
}
resource "sym_secret" "x" {
  path      = "shared/db"
  source_id = "src"
  settings  = { json_key = "password" }
}
resource "apono_integration" "i" {
  name = "i"
  type = "aws-account"
  aws_secret = { region = "us-east-1", secret_id = "arn:aws:secretsmanager:us-east-1:111122223333:secret:shared/db" }
}
`,
      "b/main.tf": `provider "aws" {\n  region = "us-east-1"\n}\n${SECRET("shared/db")}`,
      "c/main.tf": `resource "aws_secretsmanager_secret_version" "v" {
  secret_id     = "shared/db"
  secret_string = "plain"
}
resource "aws_secretsmanager_secret_rotation" "r" {
  secret_id           = var.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:rotate"
}
variable "id" {}
${SECRET("c/own")}`,
    });
    const { a, b } = same(dir);
    expect(b).toEqual(a);
    // The links did reach across roots.
    const inv = oneAtATime(dir);
    const shared = inv.secrets.find((s) => s.id === "b:aws_secretsmanager_secret.s");
    expect(shared?.versions).toHaveLength(2);
    expect(shared?.rotationEnabled).toBe(true);
    expect(inv.symSecrets[0].secretRef).toBe("b:aws_secretsmanager_secret.s");
    expect(inv.aponoSecretRefs[0].secretRef).toBe("b:aws_secretsmanager_secret.s");
    expect(inv.secrets.find((s) => s.id === "c:aws_secretsmanager_secret.s")?.rotationEnabled).toBeUndefined();
  });

  it("the same name in several roots: the referring module's own, else its root's, else every one", () => {
    const dir = tree({
      "a/main.tf": `${SECRET("dup")}resource "aws_secretsmanager_secret_version" "v" {\n  secret_id = "dup"\n  secret_string = "x"\n}\n`,
      "b/main.tf": SECRET("dup"),
      "c/main.tf": `resource "aws_secretsmanager_secret_version" "v" {\n  secret_id = "dup"\n  secret_string = "{}"\n}\nresource "sym_secret" "x" {\n  path = "dup"\n  source_id = "s"\n}\n`,
      "d/main.tf": `data "aws_secretsmanager_secret" "d" {\n  name = "dup"\n}\nresource "aws_secretsmanager_secret_version" "v" {\n  secret_id = data.aws_secretsmanager_secret.d.id\n  secret_string = "y"\n}\n`,
    });
    const { a, b } = same(dir);
    expect(b).toEqual(a);
    const inv = oneAtATime(dir);
    expect(inv.secrets.map((s) => s.versions.length)).toEqual([3, 2]);
    expect(inv.symSecrets[0].secretRef).toBeUndefined();
  });

  it("secret policies: an explicit policy wins over the secret's own, whichever root comes first; the last explicit one wins", () => {
    const policy = (sid: string) => `jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "${sid}", Effect = "Allow", Principal = "*", Action = "secretsmanager:GetSecretValue", Resource = "*" }] })`;
    const dir = tree({
      "a/main.tf": `resource "aws_secretsmanager_secret_policy" "p" {\n  secret_arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:two-AbCdEf"\n  policy = ${policy("FromA")}\n}\n`,
      "b/main.tf": `provider "aws" {\n  region = "us-east-1"\n}\n${SECRET("one", `  policy = ${policy("OwnOne")}\n`).replace('"s"', '"one"')}${SECRET("two", `  policy = ${policy("OwnTwo")}\n`).replace('"s"', '"two"')}`,
      "c/main.tf": `resource "aws_secretsmanager_secret_policy" "p" {\n  secret_arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:one"\n  policy = ${policy("FromC")}\n}\nresource "aws_secretsmanager_secret_policy" "q" {\n  secret_arn = "two"\n  policy = ${policy("FromC2")}\n}\n`,
    });
    const { a, b } = same(dir);
    expect(b).toEqual(a);
    const inv = oneAtATime(dir);
    const sid = (id: string) => inv.secrets.find((s) => s.id === id)?.resourcePolicy?.statements[0]?.sid;
    expect(sid("b:aws_secretsmanager_secret.one")).toBe("FromC");
    expect(sid("b:aws_secretsmanager_secret.two")).toBe("FromC2");
  });

  it("IAM lists across roots keep the order of the collection's stages", () => {
    const root = (p: string) => `resource "aws_iam_role" "r" {
  name = "${p}-role"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {
    name   = "inline"
    policy = data.aws_iam_policy_document.read.json
  }
}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "secretsmanager:ResourceTag/SymEnv"
      values   = ["${p}"]
    }
  }
}
data "aws_iam_policy_document" "loose" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "m" {
  name   = "${p}-managed"
  policy = data.aws_iam_policy_document.read.json
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.r.name
  policy_arn = aws_iam_policy.m.arn
}
resource "aws_iam_role_policy_attachment" "aws" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/SecretsManagerReadWrite"
}
module "addon" {
  source      = "symopsio/secretsmgr-addon/aws"
  environment = "${p}"
  iam_role_name = aws_iam_role.r.name
}
module "connector" {
  source      = "symopsio/runtime-connector/aws"
  environment = "${p}"
}
resource "aws_iam_user" "u" {
  name = "${p}-user"
}
`;
    const dir = tree({ "x/main.tf": root("x"), "y/main.tf": root("y"), "z/main.tf": root("z") });
    const { a, b } = same(dir);
    expect(b).toEqual(a);
    expect(JSON.parse(b).iamPolicies.length).toBeGreaterThan(9);
  });
});

describe("the same inventory on real trees", () => {
  const fixtures = path.resolve(import.meta.dirname, "../../fixtures");
  for (const sub of ["terraform", "rules", "examples"]) {
    it(`fixtures/${sub}`, () => {
      const { a, b } = same(path.join(fixtures, sub));
      expect(b).toEqual(a);
    });
  }
  it.skipIf(corpusDir === null)(`the real-world corpus (../shared/corpus)${corpusMissingReason ? ` (skipped: ${corpusMissingReason})` : ""}`, () => {
    const { a, b } = same(corpusDir as string);
    expect(b).toEqual(a);
  });
});

describe("declarations no collector reads", () => {
  it("are not expanded unless a collected value refers to them: a count nothing needs is never evaluated", async () => {
    const many = 'resource "aws_instance" "many" {\n  count = 1000000000\n}\n';
    const dir = tree({
      "quiet/main.tf": `${many}${SECRET("app/db")}`,
      "used/main.tf": `${many}${SECRET("app/${length(aws_instance.many)}")}`,
    });
    const r = await scanPaths([dir], { displayRoot: dir });
    const overBudget = r.notices.filter((n) => /more instances than the limit/.test(n.message)).map((n) => n.message);
    // Only the root whose secret's name needs the instances evaluates their count (and says it is over the limit).
    expect(overBudget).toHaveLength(1);
    expect(overBudget[0]).toMatch(/^used\/main\.tf: line 2: count = 1000000000: more instances/);
    const names = r.inventory.secrets.map((s) => `${s.id} ${typeof s.name.value === "string" ? s.name.value : "unknown"}`);
    expect(names).toEqual(["quiet:aws_secretsmanager_secret.s app/db", "used:aws_secretsmanager_secret.s unknown"]);
  });
});
