// Terraform → inventory: Sym resources (src/sources/terraform/sym.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { originText } from "../../src/inventory/dump.js";
import { emptyInventory, type Inventory, type Origin, type SymObject, type SymSecret } from "../../src/inventory/model.js";
import { buildContext } from "../../src/sources/terraform/context.js";
import { collectSecrets } from "../../src/sources/terraform/secrets.js";
import { collectSym } from "../../src/sources/terraform/sym.js";
import { loadProject } from "../../src/terraform/project.js";
import { Unknown, toJSONView } from "../../src/terraform/values.js";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures/terraform");

function symOf(dir: string): Inventory {
  const inv = emptyInventory();
  const ctx = buildContext(loadProject(dir), inv);
  collectSecrets(ctx);
  collectSym(ctx);
  return inv;
}

const at = (o: Origin | undefined) => (o ? originText(o) : "(none)");

function secret(inv: Inventory, id: string): SymSecret {
  const s = inv.symSecrets.find((x) => x.id === id);
  if (!s) throw new Error(`no sym_secret ${id}`);
  return s;
}

function object(inv: Inventory, id: string): SymObject {
  const s = inv.symObjects.find((x) => x.id === id);
  if (!s) throw new Error(`no Sym object ${id}`);
  return s;
}

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("sym_secret (fixtures/terraform/sym-runtime)", () => {
  const inv = symOf(path.join(fixtures, "sym-runtime"));

  it("one SymSecret per sym_secret", () => {
    expect(inv.symSecrets.map((s) => s.id).sort()).toEqual([
      "sym_secret.aptible_password",
      "sym_secret.aptible_username",
      "sym_secret.blue_team",
      "sym_secret.elsewhere",
      "sym_secret.okta_token",
    ]);
  });

  it("a reference links even when the secret's name is unknown", () => {
    const s = secret(inv, "sym_secret.okta_token");
    expect(s.secretRef).toBe("aws_secretsmanager_secret.okta");
    expect(s.path.value).toBeInstanceOf(Unknown);
    expect(toJSONView(s.path.value)).toEqual({ $unknown: "dynamic", template: ["sym/", { $unknown: "var.environment" }, "/okta-api-token"] });
    expect(at(s.path.origin)).toBe("secrets.tf:11:3");
    expect(at(s.origin)).toBe("secrets.tf:9:1");
    expect(s.jsonKey).toBeUndefined();
    // source_id: a computed id of a declared sym_secrets.
    expect(toJSONView(s.sourceId.value)).toEqual({ $unknown: "sym_secrets.this.id" });
    expect(at(s.sourceId.origin)).toBe("secrets.tf:10:3");
  });

  it("a reference to the ARN links; json_key with its position", () => {
    const s = secret(inv, "sym_secret.aptible_username");
    expect(s.secretRef).toBe("aws_secretsmanager_secret.aptible");
    expect(s.jsonKey?.value).toBe("username");
    expect(at(s.jsonKey?.origin)).toBe("secrets.tf:26:5");
  });

  it("a literal path links by the secret's known name", () => {
    const s = secret(inv, "sym_secret.aptible_password");
    expect(s.path.value).toBe("sym/prod/aptible-bot");
    expect(s.secretRef).toBe("aws_secretsmanager_secret.aptible");
    expect(s.jsonKey?.value).toBe("password");
  });

  it("a literal path nothing declares links nowhere", () => {
    const s = secret(inv, "sym_secret.elsewhere");
    expect(s.path.value).toBe("sym/prod/declared-in-another-repo");
    expect(s.secretRef).toBeUndefined();
  });

  it("a for_each key selects the instance", () => {
    const s = secret(inv, "sym_secret.blue_team");
    expect(s.secretRef).toBe('aws_secretsmanager_secret.team["blue"]');
    expect(s.path.value).toBe("sym/prod/team-blue");
  });
});

describe("Sym objects (fixtures/terraform/sym-runtime)", () => {
  const inv = symOf(path.join(fixtures, "sym-runtime"));

  it("one SymObject per Sym resource, of its kind", () => {
    expect(inv.symObjects.map((o) => `${o.kind} ${o.id}`).sort()).toEqual([
      "sym_environment sym_environment.this",
      "sym_flow sym_flow.aptible",
      "sym_integration sym_integration.aptible",
      "sym_integration sym_integration.okta",
      "sym_runtime sym_runtime.this",
      "sym_secrets sym_secrets.this",
      "sym_strategy sym_strategy.aptible",
      "sym_target sym_target.admin",
    ]);
  });

  it("type and every argument evaluated, with positions", () => {
    const aptible = object(inv, "sym_integration.aptible");
    expect(aptible.type.value).toBe("aptible");
    expect(at(aptible.type.origin)).toBe("integrations.tf:12:3");
    expect(at(aptible.origin)).toBe("integrations.tf:11:1");
    expect([...aptible.attributes.keys()]).toEqual(["type", "name", "external_id", "settings"]);
    expect(aptible.attributes.get("external_id")?.value).toBe("94a49e57-d046-4d9d-9dbf-f7711e337368");
    expect(toJSONView(aptible.attributes.get("settings")!.value)).toEqual({
      username_secret: { $unknown: "sym_secret.aptible_username.id" },
      password_secret: { $unknown: "sym_secret.aptible_password.id" },
    });
    expect(at(aptible.attributes.get("settings")?.origin)).toBe("integrations.tf:16:3");

    const target = object(inv, "sym_target.admin");
    expect(toJSONView(target.attributes.get("settings")!.value)).toEqual({ role_id: "24463EF7-1D6E-402E-A365-69CB6DB80C6E" });

    const secrets = object(inv, "sym_secrets.this");
    expect(secrets.type.value).toBe("aws_secrets_manager");
    // A local and another resource's known argument are resolved.
    expect(secrets.attributes.get("name")?.value).toBe("prod-sym-secrets");
    expect(toJSONView(secrets.attributes.get("settings")!.value)).toEqual({ context_id: "arn:aws:iam::111122223333:role/sym/SymRuntimeProd" });
  });

  it("resources without `type` have a null type; nested blocks are attributes too", () => {
    const flow = object(inv, "sym_flow.aptible");
    expect(flow.type.value).toBeNull();
    expect(at(flow.type.origin)).toBe("integrations.tf:39:1");
    expect(toJSONView(flow.attributes.get("params")!.value)).toEqual([{ strategy_id: { $unknown: "sym_strategy.aptible.id" } }]);
    expect(at(flow.attributes.get("params")?.origin)).toBe("integrations.tf:46:3");
    const env = object(inv, "sym_environment.this");
    expect(env.attributes.get("name")?.value).toBe("prod");
    expect(toJSONView(env.attributes.get("integrations")!.value)).toEqual({ slack_id: "T0123456" });
  });
});

describe("sym_secret: inline cases", () => {
  const tmpModule = (text: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-sym-"));
    tmpDirs.push(dir);
    fs.writeFileSync(path.join(dir, "main.tf"), text);
    return dir;
  };

  it("settings from a variable: json_key unknown; settings without json_key: none", () => {
    const inv = symOf(
      tmpModule(`
variable "settings" {
  type = map(string)
}
resource "sym_secret" "a" {
  path     = "x"
  settings = var.settings
}
resource "sym_secret" "b" {
  path     = "y"
  settings = { other = "z" }
}
resource "sym_secret" "c" {
  path = "z"
}
`),
    );
    expect(secret(inv, "sym_secret.a").jsonKey?.value).toBeInstanceOf(Unknown);
    expect(at(secret(inv, "sym_secret.a").jsonKey?.origin)).toBe("main.tf:7:3");
    expect(secret(inv, "sym_secret.b").jsonKey).toBeUndefined();
    expect(secret(inv, "sym_secret.c").jsonKey).toBeUndefined();
  });

  it("a name declared twice is ambiguous: no link; a reference to an undeclared secret: none", () => {
    const inv = symOf(
      tmpModule(`
resource "aws_secretsmanager_secret" "one" {
  name = "dup"
}
resource "aws_secretsmanager_secret" "two" {
  name = "dup"
}
resource "sym_secret" "dup" {
  path = "dup"
}
resource "sym_secret" "missing" {
  path = aws_secretsmanager_secret.missing.name
}
resource "sym_secret" "by_count" {
  path = aws_secretsmanager_secret.counted[1].name
}
resource "aws_secretsmanager_secret" "counted" {
  count = 2
  name  = "counted-\${count.index}"
}
`),
    );
    expect(secret(inv, "sym_secret.dup").secretRef).toBeUndefined();
    expect(secret(inv, "sym_secret.missing").secretRef).toBeUndefined();
    expect(secret(inv, "sym_secret.by_count").secretRef).toBe("aws_secretsmanager_secret.counted[1]");
    expect(secret(inv, "sym_secret.by_count").path.value).toBe("counted-1");
  });
});
