// Fingerprints (secretlint/v2) through real scans: a finding's identity is its rule, its file,
// the entity it is about (address relative to the module holding the place, the tag key or
// statement index) and the reported text — not its position, not its rank among equal lines.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { scanDirectory } from "../../src/scan.js";
import { entityIdentity, fingerprintFindings } from "../../src/report/fingerprint.js";

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-fp-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** rule @ address → fingerprint, for the findings of a scan. */
function prints(files: Record<string, string>, rule?: string): Map<string, string> {
  const r = scanDirectory(tree(files), { rules: allRules });
  const findings = rule ? r.findings.filter((f) => f.ruleId === rule) : r.findings;
  const fp = fingerprintFindings(findings, { sources: r.sources });
  return new Map(findings.map((f, i) => [`${f.ruleId} @ ${f.origin.address ?? "-"}${f.origin.part ? `#${f.origin.part}` : ""}`, fp[i]]));
}

const VERSION = (name: string) => `resource "aws_secretsmanager_secret" "${name}" {
  name = "app/${name}"
}
resource "aws_secretsmanager_secret_version" "${name}" {
  secret_id     = aws_secretsmanager_secret.${name}.id
  secret_string = "hunter2-not-a-real-secret"
}
`;

describe("fingerprints (secretlint/v2)", () => {
  it("an identical block added above: the old finding keeps its fingerprint, the new one gets another", () => {
    const before = prints({ "main.tf": VERSION("db") }, "secret/hardcoded-value");
    // The same secret and version, copied above under another name (Terraform names are unique).
    const after = prints({ "main.tf": VERSION("db_copy") + VERSION("db") }, "secret/hardcoded-value");
    expect(after.get("secret/hardcoded-value @ aws_secretsmanager_secret_version.db")).toBe(before.get("secret/hardcoded-value @ aws_secretsmanager_secret_version.db"));
    expect(after.get("secret/hardcoded-value @ aws_secretsmanager_secret_version.db_copy")).toBeDefined();
    expect(after.get("secret/hardcoded-value @ aws_secretsmanager_secret_version.db_copy")).not.toBe(before.get("secret/hardcoded-value @ aws_secretsmanager_secret_version.db"));
  });

  it("a value written in a shared module: one identity whoever calls the module, and however many instances", () => {
    const module = {
      "modules/s/main.tf": `variable "n" {}\nresource "aws_secretsmanager_secret" "this" {\n  name                    = var.n\n  recovery_window_in_days = 0\n}\n`,
    };
    const one = prints({ ...module, "main.tf": `module "a" {\n  source = "./modules/s"\n  n      = "a"\n}\n` }, "secret/immediate-deletion");
    const two = prints(
      { ...module, "main.tf": `module "b" {\n  source = "./modules/s"\n  n      = "b"\n}\nmodule "a" {\n  source = "./modules/s"\n  n      = "a"\n}\n` },
      "secret/immediate-deletion",
    );
    expect([...one.values()]).toHaveLength(1);
    expect([...two.values()]).toEqual([...one.values()]);
  });

  it("a value written at the caller: the caller's module call names the entity; for_each keys do not", () => {
    const module = {
      "modules/s/main.tf": `variable "w" {}\nresource "aws_secretsmanager_secret" "this" {\n  name                    = "x"\n  recovery_window_in_days = var.w\n}\n`,
    };
    const call = (keys: string) => `module "a" {\n  source   = "./modules/s"\n  for_each = toset([${keys}])\n  w        = 0\n}\n`;
    const two = [...prints({ ...module, "main.tf": call('"x", "y"') }, "secret/immediate-deletion").values()];
    const three = [...prints({ ...module, "main.tf": call('"w", "x", "y"') }, "secret/immediate-deletion").values()];
    expect(two).toHaveLength(1);
    expect(three).toEqual(two);
  });

  it("two identical statements of one policy differ by their index", () => {
    const policy = `resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "*" },
      { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "*" },
    ]
  })
}
`;
    const p = prints({ "main.tf": policy }, "iam/secret-read-wildcard");
    expect([...p.keys()].sort()).toEqual([
      "iam/secret-read-wildcard @ aws_iam_policy.p#Statement[0]",
      "iam/secret-read-wildcard @ aws_iam_policy.p#Statement[1]",
    ]);
    expect(new Set(p.values()).size).toBe(2);
  });

  it("the entity part: relative to the module holding the place, module-call keys dropped", () => {
    expect(entityIdentity({ address: 'module.a["x"].aws_s.this[0]', module: "" })).toBe("module.a.aws_s.this[0]");
    expect(entityIdentity({ address: 'module.a["x"].module.b.aws_s.this', module: 'module.a["x"]' })).toBe("module.b.aws_s.this");
    expect(entityIdentity({ address: "aws_s.this", module: "", part: "tags.SymEnv" })).toBe("aws_s.this#tags.SymEnv");
    expect(entityIdentity({})).toBe("");
  });
});
