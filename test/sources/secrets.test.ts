// Terraform → inventory: aws_secretsmanager_secret and its versions and rotations
// (src/sources/terraform/secrets.ts), and the inventory dump (src/inventory/dump.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dumpInventory, originText } from "../../src/inventory/dump.js";
import { emptyInventory, type Inventory, type Origin, type Secret } from "../../src/inventory/model.js";
import { buildContext } from "../../src/sources/terraform/context.js";
import { inventoryFromProject } from "../../src/sources/terraform/index.js";
import { collectSecrets, secretNameOf, shapeOf } from "../../src/sources/terraform/secrets.js";
import { loadProject } from "../../src/terraform/project.js";
import { ObjectValue, Unknown, toJSONView, unknown, type Value } from "../../src/terraform/values.js";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures/terraform");

function secretsOf(dir: string): Inventory {
  const inv = emptyInventory();
  collectSecrets(buildContext(loadProject(dir), inv));
  return inv;
}

function at(o: Origin | undefined): string {
  return o ? originText(o) : "(none)";
}

function byId(inv: Inventory, id: string): Secret {
  const s = inv.secrets.find((x) => x.id === id);
  if (!s) throw new Error(`no secret ${id}; have ${inv.secrets.map((x) => x.id).join(", ")}`);
  return s;
}

const view = (v: Value) => toJSONView(v);

const tmpDirs: string[] = [];
function tmpModule(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-secrets-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("secret versions: value source and shape (fixtures/terraform/secrets-values)", () => {
  const inv = secretsOf(path.join(fixtures, "secrets-values"));
  const version = (name: string) => {
    const s = byId(inv, `aws_secretsmanager_secret.${name}`);
    expect(s.versions, name).toHaveLength(1);
    return s.versions[0];
  };

  it("finds every secret, one per resource", () => {
    expect(inv.secrets.map((s) => s.id)).toHaveLength(15);
  });

  it.each([
    // name, source, shape kind, keys, argument, position of the argument
    ["literal_json", "literal", "json-object", ["password", "username"], "secret_string", "versions.tf:8:3"],
    ["literal_plain", "literal", "plain", undefined, "secret_string", "versions.tf:21:3"],
    ["heredoc", "literal", "json-object", ["host", "port", "password"], "secret_string", "versions.tf:31:3"],
    ["template_literal", "literal", "plain", undefined, "secret_string", "versions.tf:43:3"],
    ["local_json", "literal", "json-object", ["client_id", "client_secret"], "secret_string", "versions.tf:53:3"],
    ["from_variable", "variable", "json-object", ["username", "password"], "secret_string", "versions.tf:63:3"],
    ["variable_default", "variable", "plain", undefined, "secret_string", "versions.tf:76:3"],
    ["from_resource", "resource", "json-object", ["username", "password"], "secret_string", "versions.tf:86:3"],
    ["from_data", "data", "unknown", undefined, "secret_string", "versions.tf:99:3"],
    ["write_only", "write-only", "json-object", ["token"], "secret_string_wo", "versions.tf:109:3"],
    ["json_template", "resource", "json-object", ["user", "password"], "secret_string", "versions.tf:120:3"],
    ["dsn", "resource", "plain", undefined, "secret_string", "versions.tf:130:3"],
    ["binary", "literal", "binary", undefined, "secret_binary", "versions.tf:140:3"],
  ])("%s: %s, %s %j", (name, source, kind, keys, argument, where) => {
    const v = version(name);
    expect(v.source).toBe(source);
    expect(v.argument).toBe(argument);
    expect(v.shape.kind).toBe(kind);
    if (keys) expect(v.shape.kind === "json-object" ? [...v.shape.keys].sort() : null).toEqual([...keys].sort());
    expect(at(v.origin)).toBe(where);
    expect(v.origin.address).toBe(`aws_secretsmanager_secret_version.${name}`);
    // The secret's shape is its one version's.
    expect(byId(inv, `aws_secretsmanager_secret.${name}`).shape.kind).toBe(kind);
  });

  it("a secret whose versions disagree has an unknown shape; one without versions too", () => {
    const two = byId(inv, "aws_secretsmanager_secret.two_versions");
    expect(two.versions.map((v) => v.shape.kind)).toEqual(["json-object", "unknown"]);
    expect(two.shape.kind).toBe("unknown");
    const none = byId(inv, "aws_secretsmanager_secret.no_version");
    expect(none.versions).toEqual([]);
    expect(none.shape.kind).toBe("unknown");
  });

  it("names and regions from the provider, with where they are set", () => {
    const s = byId(inv, "aws_secretsmanager_secret.literal_json");
    expect(s.name.value).toBe("app/literal-json");
    expect(at(s.name.origin)).toBe("versions.tf:3:3");
    expect(s.region.value).toBe("us-east-1");
    expect(at(s.region.origin)).toBe("main.tf:15:3");
    expect(at(s.origin)).toBe("versions.tf:2:1");
    // The ARN is partly known: region and name known, account and suffix not.
    const arn = s.arn as Unknown;
    expect(arn).toBeInstanceOf(Unknown);
    expect(arn.template?.filter((p) => typeof p === "string").join("|")).toBe("arn:aws:secretsmanager:us-east-1:|:secret:app/literal-json-");
  });

  it("defaults: no tags is an empty object, recovery window 30, no KMS key, no rotation", () => {
    const s = byId(inv, "aws_secretsmanager_secret.literal_plain");
    expect(s.tags.value).toBeInstanceOf(ObjectValue);
    expect((s.tags.value as ObjectValue).size).toBe(0);
    expect(s.recoveryWindowInDays.value).toBe(30);
    expect(s.kmsKeyId.value).toBeNull();
    expect(s.rotationEnabled).toBe(false);
    expect(s.replicas).toEqual([]);
  });
});

describe("secret attributes (fixtures/terraform/secrets-attributes)", () => {
  const inv = secretsOf(path.join(fixtures, "secrets-attributes"));

  it("tags merge over the provider's default_tags; each key knows where it is set", () => {
    const s = byId(inv, "aws_secretsmanager_secret.sym");
    expect(view(s.tags.value)).toEqual({ Team: "platform", ManagedBy: "secretlint-fixture", CostCenter: "cc-42", SymEnv: "prod" });
    expect(at(s.tags.origin)).toBe("secrets.tf:7:3");
    expect(Object.fromEntries([...s.tagOrigins].map(([k, o]) => [k, at(o)]))).toEqual({
      Team: "providers.tf:6:7", // default_tags
      ManagedBy: "secrets.tf:9:5", // the resource overrides the default
      CostCenter: "providers.tf:30:5", // local.common_tags through merge()
      SymEnv: "secrets.tf:8:5",
    });
  });

  it("KMS key, recovery window and replicas", () => {
    const s = byId(inv, "aws_secretsmanager_secret.sym");
    expect(s.kmsKeyId.value).toBe("arn:aws:kms:eu-west-1:111122223333:key/0b8f8f4e-58c4-4b8e-9a6e-0d9ad6d2b4c1");
    // `kms_key_id = var.kms_key_arn`: the value is written in the variable's default; the use is the chain's end.
    expect(at(s.kmsKeyId.origin)).toBe("providers.tf:23:3");
    expect(s.kmsKeyId.origin?.flow?.map((f) => `${f.file ? at({ file: f.file }) : "-"} ${f.message}`)).toEqual([
      "secrets.tf:4:3 used here by `aws_secretsmanager_secret.sym`",
    ]);
    expect(s.recoveryWindowInDays.value).toBe(0);
    expect(at(s.recoveryWindowInDays.origin)).toBe("secrets.tf:5:3");
    expect(s.replicas.map((r) => [r.region.value, r.kmsKeyId.value, at(r.region.origin), at(r.origin)])).toEqual([
      ["eu-central-1", "alias/replica", "secrets.tf:13:5", "secrets.tf:12:3"],
      ["us-west-2", null, "secrets.tf:18:5", "secrets.tf:17:3"],
    ]);
  });

  it("an aliased provider gives the region; name_prefix gives a partly known name", () => {
    const s = byId(inv, "aws_secretsmanager_secret.aliased");
    expect(s.region.value).toBe("us-east-2");
    expect(at(s.region.origin)).toBe("providers.tf:14:3");
    expect(view(s.name.value)).toEqual({ $unknown: "dynamic", template: ["apono/", { $unknown: "generated name" }] });
    expect(at(s.name.origin)).toBe("secrets.tf:24:3");
    // No default_tags on that provider; an unset variable stays unknown.
    expect(view(s.tags.value)).toEqual({ "apono-connector-read": "true", Environment: { $unknown: "var.environment" } });
    expect(at(s.tagOrigins.get("apono-connector-read"))).toBe("secrets.tf:26:5");
  });

  it("an empty name or name_prefix is unset, as the provider takes it: the name is generated", () => {
    const dir = tmpModule({
      "main.tf": `resource "aws_secretsmanager_secret" "empty" {
  name        = ""
  name_prefix = ""
}
resource "aws_secretsmanager_secret" "prefixed" {
  name        = ""
  name_prefix = "app/"
}
resource "aws_secretsmanager_secret" "null_prefix" {
  name        = "db"
  name_prefix = null
}
`,
    });
    const secrets = secretsOf(dir);
    expect(view(byId(secrets, "aws_secretsmanager_secret.empty").name.value)).toEqual({ $unknown: "generated name" });
    expect(view(byId(secrets, "aws_secretsmanager_secret.prefixed").name.value)).toEqual({ $unknown: "dynamic", template: ["app/", { $unknown: "generated name" }] });
    expect(byId(secrets, "aws_secretsmanager_secret.null_prefix").name.value).toBe("db");
  });

  it("a resource's own region argument wins over the provider's", () => {
    const s = byId(inv, "aws_secretsmanager_secret.own_region");
    expect(s.region.value).toBe("ap-southeast-2");
    expect(at(s.region.origin)).toBe("secrets.tf:33:3");
    expect(view(s.name.value)).toEqual({ $unknown: "dynamic", template: ["flyte/", { $unknown: "var.environment" }, "/db"] });
  });

  it("tags from a data source stay unknown, with no key origins", () => {
    const s = byId(inv, "aws_secretsmanager_secret.unknown_tags");
    expect(s.tags.value).toBeInstanceOf(Unknown);
    expect(s.tagOrigins.size).toBe(0);
  });

  it("rotation links by the rotation's secret_id", () => {
    expect(byId(inv, "aws_secretsmanager_secret.rotated").rotationEnabled).toBe(true);
    expect(byId(inv, "aws_secretsmanager_secret.sym").rotationEnabled).toBe(false);
  });
});

describe("count and for_each (fixtures/terraform/secrets-iteration)", () => {
  const inv = secretsOf(path.join(fixtures, "secrets-iteration"));

  it("versions link to the instance their key selects", () => {
    const billing = byId(inv, 'aws_secretsmanager_secret.service["billing"]');
    const search = byId(inv, 'aws_secretsmanager_secret.service["search"]');
    expect(billing.versions.map((v) => v.origin.address)).toEqual(['aws_secretsmanager_secret_version.service["billing"]']);
    expect(search.versions.map((v) => v.origin.address)).toEqual(['aws_secretsmanager_secret_version.service["search"]']);
    expect(billing.shape).toMatchObject({ kind: "json-object", keys: ["stripe_key"] });
    expect(search.shape.kind === "json-object" && [...search.shape.keys].sort()).toEqual(["es_password", "es_user"]);
    // each.value of a literal map: still literal.
    expect(billing.versions[0].source).toBe("literal");
  });

  it("count.index and literal keys", () => {
    expect(byId(inv, "aws_secretsmanager_secret.shard[0]").versions.map((v) => v.origin.address)).toEqual(["aws_secretsmanager_secret_version.shard[0]"]);
    expect(byId(inv, "aws_secretsmanager_secret.shard[1]").versions.map((v) => v.origin.address)).toEqual([
      "aws_secretsmanager_secret_version.shard[1]",
      "aws_secretsmanager_secret_version.shard_one_extra",
    ]);
  });

  it("unknown for_each: one instance for all, linked to the version's one instance", () => {
    const t = byId(inv, "aws_secretsmanager_secret.tenant[*]");
    expect(view(t.name.value)).toEqual({ $unknown: "dynamic", template: ["tenant/", { $unknown: "each.key" }] });
    expect(t.versions.map((v) => [v.origin.address, v.source, v.shape.kind])).toEqual([["aws_secretsmanager_secret_version.tenant[*]", "variable", "unknown"]]);
  });
});

describe("secrets in child modules (fixtures/terraform/secrets-modules)", () => {
  const inv = secretsOf(path.join(fixtures, "secrets-modules"));

  it("the region comes from the provider the caller passes; tag origins from the caller's arguments", () => {
    const west = byId(inv, "module.west_secret.aws_secretsmanager_secret.this");
    expect(west.region.value).toBe("us-west-2");
    expect(at(west.region.origin)).toBe("main.tf:7:3");
    expect(west.name.value).toBe("mod/west");
    // `name = var.name` in the module: written at the caller's `name = "mod/west"`.
    expect(at(west.name.origin)).toBe("main.tf:15:3");
    expect(west.name.origin?.flow?.map((f) => `${f.file ? at({ file: f.file }) : "-"} ${f.message}`)).toEqual([
      "modules/secret/main.tf:1:1 becomes `var.name` of `module.west_secret`",
      "modules/secret/main.tf:10:3 used here by `module.west_secret.aws_secretsmanager_secret.this`",
    ]);
    expect(view(west.tags.value)).toEqual({ SymEnv: "prod" });
    expect(at(west.tagOrigins.get("SymEnv"))).toBe("main.tf:17:5");
    const def = byId(inv, "module.default_secret.aws_secretsmanager_secret.this");
    expect(def.region.value).toBe("us-east-1");
    expect(at(def.region.origin)).toBe("main.tf:2:3");
  });
});

describe("value sources and links: inline cases", () => {
  it("provider-defined and file functions, module outputs, each from a variable, self: not literal", () => {
    const dir = tmpModule({
      "main.tf": `
variable "m" {
  type = map(string)
}
resource "aws_secretsmanager_secret" "a" {
  name = "a"
}
resource "aws_secretsmanager_secret_version" "fn" {
  secret_id     = aws_secretsmanager_secret.a.id
  secret_string = provider::aws::arn_build("aws", "s3", "", "", "b")
}
resource "aws_secretsmanager_secret_version" "file" {
  secret_id     = aws_secretsmanager_secret.a.id
  secret_string = file("\${path.module}/creds.json")
}
resource "aws_secretsmanager_secret_version" "mod" {
  secret_id     = aws_secretsmanager_secret.a.id
  secret_string = module.creds.value
}
resource "aws_secretsmanager_secret_version" "each" {
  for_each      = var.m
  secret_id     = aws_secretsmanager_secret.a.id
  secret_string = each.value
}
resource "aws_secretsmanager_secret_version" "ephemeral" {
  secret_id        = aws_secretsmanager_secret.a.id
  secret_string_wo = "x"
}
resource "aws_secretsmanager_secret_version" "mixed" {
  secret_id     = aws_secretsmanager_secret.a.id
  secret_string = jsonencode({ a = var.m["x"], b = ephemeral.random_password.p.result })
}
resource "aws_secretsmanager_secret_version" "for_literal" {
  secret_id     = aws_secretsmanager_secret.a.id
  secret_string = jsonencode({ for k in ["a", "b"] : k => upper(k) })
}
`,
    });
    const s = byId(secretsOf(dir), "aws_secretsmanager_secret.a");
    const src = Object.fromEntries(s.versions.map((v) => [v.origin.address, v.source]));
    expect(src).toEqual({
      "aws_secretsmanager_secret_version.fn": "unknown",
      "aws_secretsmanager_secret_version.file": "unknown",
      "aws_secretsmanager_secret_version.mod": "unknown",
      "aws_secretsmanager_secret_version.each[*]": "variable",
      "aws_secretsmanager_secret_version.ephemeral": "write-only",
      "aws_secretsmanager_secret_version.mixed": "ephemeral",
      "aws_secretsmanager_secret_version.for_literal": "literal",
    });
    const forLiteral = s.versions.find((v) => v.origin.address === "aws_secretsmanager_secret_version.for_literal");
    expect(forLiteral?.shape).toMatchObject({ kind: "json-object", keys: ["a", "b"] });
  });

  it("links through locals, data sources and known ARNs; an undeclared secret links nowhere", () => {
    const dir = tmpModule({
      "main.tf": `
provider "aws" {
  region = "eu-west-1"
}
resource "aws_secretsmanager_secret" "a" {
  name = "team/a"
}
resource "aws_secretsmanager_secret" "b" {
  name = "team/b"
}
resource "aws_secretsmanager_secret" "c" {
  name = "team/c"
}
locals {
  a_id = aws_secretsmanager_secret.a.id
}
data "aws_secretsmanager_secret" "b" {
  name = "team/b"
}
resource "aws_secretsmanager_secret_version" "via_local" {
  secret_id     = local.a_id
  secret_string = var.v
}
resource "aws_secretsmanager_secret_version" "via_data" {
  secret_id     = data.aws_secretsmanager_secret.b.id
  secret_string = var.v
}
resource "aws_secretsmanager_secret_version" "via_arn" {
  secret_id     = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:team/c-AbC123"
  secret_string = var.v
}
resource "aws_secretsmanager_secret_version" "other_region" {
  secret_id     = "arn:aws:secretsmanager:us-east-1:111122223333:secret:team/c"
  secret_string = var.v
}
resource "aws_secretsmanager_secret_version" "undeclared" {
  secret_id     = aws_secretsmanager_secret.nope.id
  secret_string = var.v
}
variable "v" {
  type = string
}
`,
    });
    const inv = secretsOf(dir);
    const versions = (id: string) => byId(inv, id).versions.map((v) => v.origin.address);
    expect(versions("aws_secretsmanager_secret.a")).toEqual(["aws_secretsmanager_secret_version.via_local"]);
    expect(versions("aws_secretsmanager_secret.b")).toEqual(["aws_secretsmanager_secret_version.via_data"]);
    expect(versions("aws_secretsmanager_secret.c")).toEqual(["aws_secretsmanager_secret_version.via_arn"]);
  });
});

describe("shapeOf and secretNameOf", () => {
  it("known strings", () => {
    expect(shapeOf('{"a": 1, "b": {"c": 2}}')).toEqual({ kind: "json-object", keys: ["a", "b"] });
    expect(shapeOf("[1, 2]")).toEqual({ kind: "json-other" });
    expect(shapeOf("42")).toEqual({ kind: "json-other" });
    expect(shapeOf("hunter2")).toEqual({ kind: "plain" });
    expect(shapeOf("")).toEqual({ kind: "plain" });
  });

  it("partly known values", () => {
    const u = unknown("variable", "var.p");
    expect(shapeOf(u)).toEqual({ kind: "unknown" });
    expect(shapeOf(new Unknown("dynamic", undefined, ObjectValue.from({ user: "x", password: u })))).toEqual({ kind: "json-object", keys: ["user", "password"] });
    expect(shapeOf(new Unknown("dynamic", undefined, [u]))).toEqual({ kind: "json-other" });
    expect(shapeOf(new Unknown("dynamic", undefined, u))).toEqual({ kind: "unknown" });
    // Templates: an unknown inside a JSON string keeps the keys; an unknown key does not.
    expect(shapeOf(new Unknown("dynamic", ['{"user": "', u, '", "port": ', u, "}"]))).toEqual({ kind: "json-object", keys: ["user", "port"] });
    expect(shapeOf(new Unknown("dynamic", ['{"', u, '": 1}']))).toEqual({ kind: "unknown" });
    expect(shapeOf(new Unknown("dynamic", ["{", u]))).toEqual({ kind: "unknown" });
    expect(shapeOf(new Unknown("dynamic", ["user:", u]))).toEqual({ kind: "plain" });
    expect(shapeOf(new Unknown("dynamic", [u, "}"]))).toEqual({ kind: "unknown" });
  });

  it("secret names from names and ARNs", () => {
    expect(secretNameOf("team/a")).toEqual({ name: "team/a", fromArn: false });
    expect(secretNameOf("arn:aws:secretsmanager:us-east-1:1:secret:team/a-AbC123")).toEqual({ name: "team/a-AbC123", region: "us-east-1", fromArn: true });
    expect(secretNameOf(new Unknown("dynamic", ["arn:aws:secretsmanager:", unknown("variable"), ":1:secret:x"]))).toEqual({ name: "x", region: undefined, fromArn: true });
    expect(secretNameOf(new Unknown("dynamic", ["arn:aws:secretsmanager:us-east-1:1:secret:x-", unknown("computed")]))).toBeUndefined();
    expect(secretNameOf("arn:aws:iam::1:role/x")).toBeUndefined();
    expect(secretNameOf(unknown("variable"))).toBeUndefined();
  });
});

describe("dumpInventory", () => {
  it("never holds a secret value; origins are file:line:col; maps are objects", () => {
    const dir = path.join(fixtures, "secrets-values");
    const inv = inventoryFromProject(loadProject(dir));
    // The canaries are in the inventory's literal strings (kept in memory for text rules)…
    expect(inv.literalStrings.some((l) => l.text.includes("CANARY-"))).toBe(true);
    // …and nowhere in the dump.
    const text = JSON.stringify(dumpInventory(inv));
    expect(text).not.toContain("CANARY");
    expect(text).not.toContain("literalStrings");
    const dump = dumpInventory(inv) as { secrets: Array<Record<string, unknown>> };
    const s = dump.secrets.find((x) => x.id === "aws_secretsmanager_secret.literal_json") as Record<string, unknown>;
    expect(s.origin).toBe("versions.tf:2:1");
    expect(s.name).toEqual({ value: "app/literal-json", origin: "versions.tf:3:3" });
    expect(s.tagOrigins).toEqual({});
    expect(s.shape).toEqual({ kind: "json-object", keys: ["password", "username"], origin: "versions.tf:8:3" }); // jsonencode sorts keys
    expect((s.arn as Record<string, unknown>).$unknown).toBe("dynamic");
    // Plain JSON all the way.
    expect(JSON.parse(text)).toEqual(dumpInventory(inv));
  });

  it("a live-style origin (no file) dumps as its ARN", () => {
    const inv = emptyInventory();
    inv.parseErrors.push({ message: "x", origin: { aws: { arn: "arn:aws:secretsmanager:us-east-1:1:secret:x-AbC123", region: "us-east-1" } } });
    expect((dumpInventory(inv) as { parseErrors: unknown[] }).parseErrors).toEqual([{ message: "x", origin: "arn:aws:secretsmanager:us-east-1:1:secret:x-AbC123" }]);
  });
});
