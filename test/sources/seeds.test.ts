// The seed guides' Terraform (fixtures/seeds, see its README) through the whole Terraform →
// inventory pipeline: the undefined references with their positions, the Sym objects, links,
// and a file that does not parse (seed 004).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { originText } from "../../src/inventory/dump.js";
import type { Inventory } from "../../src/inventory/model.js";
import { inventoryFromProject } from "../../src/sources/terraform/index.js";
import { loadProject } from "../../src/terraform/project.js";
import { ObjectValue, toJSONView } from "../../src/terraform/values.js";

const seeds = path.resolve(import.meta.dirname, "../../fixtures/seeds");
const inventoryOf = (dir: string): Inventory => inventoryFromProject(loadProject(dir));
const refs = (inv: Inventory) => inv.undefinedReferences.map((r) => `${originText(r.origin)} ${r.reference}`);

describe("seed 000: Sym, Secrets Manager", () => {
  const inv = inventoryOf(path.join(seeds, "000-sym-secrets-manager"));

  it("parses without errors", () => {
    expect(inv.parseErrors).toEqual([]);
  });

  it("undefined references: the partial-snippet ones and the doc bug aws_secretsmanager_secret.my_secret", () => {
    expect(refs(inv).sort()).toEqual(
      [
        "walkthrough/secret.tf:8:10 local.environment_name",
        "walkthrough/sym-secret-plain.tf:6:13 sym_secrets.this",
        "walkthrough/sym-secret-json.tf:6:13 sym_secrets.this",
        "walkthrough/sym-secret-json.tf:17:13 sym_secrets.this",
        "full-example/main.tf:18:13 sym_secrets.this",
        "full-example/main.tf:38:13 sym_secrets.this",
        "full-example/main.tf:49:13 sym_secrets.this",
        "full-example/main.tf:40:8 aws_secretsmanager_secret.my_secret",
        "full-example/main.tf:51:8 aws_secretsmanager_secret.my_secret",
      ].sort(),
    );
    const bug = inv.undefinedReferences.find((r) => originText(r.origin) === "full-example/main.tf:40:8");
    expect(bug).toMatchObject({ kind: "resource", module: "full-example" });
    // The range covers `aws_secretsmanager_secret.my_secret`, not `.name`.
    expect(bug?.origin.file?.range.end).toMatchObject({ line: 40, column: 8 + "aws_secretsmanager_secret.my_secret".length });
  });

  it("the secrets, with SymEnv tags known or not", () => {
    const secrets = Object.fromEntries(inv.secrets.map((s) => [`${originText(s.origin)} ${s.id}`, toJSONView(s.tags.value)]));
    expect(secrets).toEqual({
      // Two root modules: ids carry the root's directory, so equal addresses stay apart.
      "full-example/main.tf:5:1 full-example:aws_secretsmanager_secret.my_api_key": { SymEnv: "main" },
      "full-example/main.tf:25:1 full-example:aws_secretsmanager_secret.my_credentials": { SymEnv: "main" },
      // An undeclared local: unknown (terraform/undefined-reference reports it); the other tags stay known.
      "walkthrough/secret.tf:2:1 walkthrough:aws_secretsmanager_secret.my_secret": { SymEnv: { $unknown: "local.environment_name" } },
    });
    for (const s of inv.secrets) {
      expect(s.shape.kind).toBe("unknown"); // no secret_string anywhere
      expect(s.tagOrigins.has("SymEnv")).toBe(true);
    }
  });

  it("the sym_secrets link to the secret their path references; not when it is undeclared", () => {
    const links = inv.symSecrets.map((s) => [originText(s.origin), s.id, s.secretRef ?? null, s.jsonKey?.value ?? null]);
    expect(links).toEqual(
      expect.arrayContaining([
        ["full-example/main.tf:15:1", "full-example:sym_secret.my_api_key", "full-example:aws_secretsmanager_secret.my_api_key", null],
        ["full-example/main.tf:34:1", "full-example:sym_secret.bot_username", null, "username"],
        ["full-example/main.tf:45:1", "full-example:sym_secret.bot_password", null, "password"],
        ["walkthrough/sym-secret-plain.tf:2:1", "walkthrough:sym_secret.my_api_key", "walkthrough:aws_secretsmanager_secret.my_secret", null],
        ["walkthrough/sym-secret-json.tf:2:1", "walkthrough:sym_secret.bot_username", "walkthrough:aws_secretsmanager_secret.my_secret", "username"],
        ["walkthrough/sym-secret-json.tf:13:1", "walkthrough:sym_secret.bot_password", "walkthrough:aws_secretsmanager_secret.my_secret", "password"],
      ]),
    );
    expect(links).toHaveLength(6);
    const mine = inv.symSecrets.find((s) => originText(s.origin) === "full-example/main.tf:34:1");
    expect(originText(mine!.path.origin!)).toBe("full-example/main.tf:40:1");
    expect(originText(mine!.jsonKey!.origin!)).toBe("full-example/main.tf:42:1");
  });
});

describe("seed 001: Sym, Aptible access strategy", () => {
  const inv = inventoryOf(path.join(seeds, "001-sym-aptible"));

  it("undefined references: sym_strategy.aptible (doc bug) and the partial-snippet ones", () => {
    expect(inv.undefinedReferences.map((r) => `${originText(r.origin)} ${r.kind} ${r.reference} ${r.module}`)).toEqual([
      "flow.tf:8:15 resource sym_strategy.aptible .",
      "secrets.tf:9:10 local local.environment_name .",
      "secrets.tf:14:13 resource sym_secrets.this .",
      "secrets.tf:22:13 resource sym_secrets.this .",
    ]);
    const strategy = inv.undefinedReferences[0];
    expect(strategy.origin.file?.range.end).toMatchObject({ line: 8, column: 15 + "sym_strategy.aptible".length });
  });

  it("the Sym objects", () => {
    const objects = Object.fromEntries(inv.symObjects.map((o) => [o.id, [o.kind, o.type.value, originText(o.origin)]]));
    expect(objects).toEqual({
      "sym_flow.this": ["sym_flow", null, "flow.tf:2:1"],
      "sym_integration.aptible": ["sym_integration", "aptible", "integration.tf:2:1"],
      "sym_strategy.this": ["sym_strategy", "aptible", "strategy.tf:2:1"],
      "sym_target.admin_prod": ["sym_target", "aptible_role", "targets.tf:2:1"],
      "sym_target.admin_ro": ["sym_target", "aptible_role", "targets.tf:10:1"],
    });
    const integration = inv.symObjects.find((o) => o.id === "sym_integration.aptible")!;
    expect(integration.attributes.get("external_id")?.value).toBe("94a49e57-d046-4d9d-9dbf-f7711e337368");
    expect(originText(integration.attributes.get("external_id")!.origin!)).toBe("integration.tf:6:1");
    const settings = integration.attributes.get("settings")?.value;
    expect(settings).toBeInstanceOf(ObjectValue);
    expect((settings as ObjectValue).keys()).toEqual(["username_secret", "password_secret"]);
    const target = inv.symObjects.find((o) => o.id === "sym_target.admin_ro")!;
    expect(toJSONView(target.attributes.get("settings")!.value)).toEqual({ role_id: "C7D5F21A-1D4E-4B39-9957-F8ACABDE2A3A" });
    expect(target.attributes.has("name")).toBe(false);
    const flow = inv.symObjects.find((o) => o.id === "sym_flow.this")!;
    expect(originText(flow.attributes.get("params")!.origin!)).toBe("flow.tf:6:1");
  });

  it("both sym_secrets read the bot credentials secret, by json_key", () => {
    expect(inv.symSecrets.map((s) => [s.id, s.path.value, s.secretRef, s.jsonKey?.value, originText(s.jsonKey!.origin!)])).toEqual([
      ["sym_secret.aptible_bot_username", "sym/main/aptible-bot-credentials", "aws_secretsmanager_secret.aptible_bot_credentials", "username", "secrets.tf:17:1"],
      ["sym_secret.aptible_bot_password", "sym/main/aptible-bot-credentials", "aws_secretsmanager_secret.aptible_bot_credentials", "password", "secrets.tf:25:1"],
    ]);
  });
});

describe("seed 004: Apono secret (not valid HCL)", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-seed004-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  fs.copyFileSync(path.join(seeds, "004-apono-secret-store", "secret.tf.txt"), path.join(tmp, "secret.tf"));
  // A second, valid file of the same module, to show the rest is still read.
  fs.writeFileSync(path.join(tmp, "other.tf"), 'resource "aws_secretsmanager_secret" "ok" {\n  name = "ok"\n}\n');
  const inv = inventoryOf(tmp);

  it("records the parse error on line 11 of secret.tf", () => {
    expect(inv.parseErrors.length).toBeGreaterThanOrEqual(1);
    const e = inv.parseErrors[0];
    expect(e.origin.file?.path).toBe("secret.tf");
    expect(e.origin.file?.range.start.line).toBe(11);
    expect(e.message).toMatch(/attribute name/);
  });

  // HashiCorp's parser, and fixtures/seeds/README.md, put it at `secret.tf:11:45` (the `#`
  // comment where the attribute name should be).
  it("reports it at column 45, as HashiCorp's parser does", () => {
    expect(originText(inv.parseErrors[0].origin)).toBe("secret.tf:11:45");
  });

  it("still loads the rest: the secret with its Apono tag, the other file", () => {
    const s = inv.secrets.find((x) => x.id === "aws_secretsmanager_secret.#SECRET_NAME");
    expect(s?.name.value).toBe("#SECRET_NAME");
    expect(toJSONView(s!.tags.value)).toEqual({ "apono-connector-read": "true" });
    expect(originText(s!.tagOrigins.get("apono-connector-read")!)).toBe("secret.tf:6:5");
    expect(inv.secrets.some((x) => x.id === "aws_secretsmanager_secret.ok")).toBe(true);
    // The literal text is there for the placeholder rule.
    expect(inv.literalStrings.map((l) => l.text)).toEqual(expect.arrayContaining(["#SECRET_NAME"]));
  });
});
