// One module never sinks the scan (src/sources/terraform/index.ts, src/scan.ts): an unexpected
// error while evaluating one module becomes a notice naming it, every other module is still
// scanned and reported, and the scan is partial. Faults are injected with spies: the code they
// stand for has no known failure left (the provider-region crash below is fixed).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { allRules } from "../../rules/index.js";
import { scanPaths } from "../../src/scan.js";
import { ModuleInstance } from "../../src/terraform/module.js";

const tmpDirs: string[] = [];
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-isolation-"));
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
afterEach(() => {
  vi.restoreAllMocks();
});

/** The provider pattern that crashed every scan: a region from a local read from remote state. */
const REMOTE_STATE_REGION = `data "terraform_remote_state" "net" {
  backend = "s3"
  config = { bucket = "state", key = "net.tfstate", region = "us-east-1" }
}
locals {
  region = data.terraform_remote_state.net.outputs.region
}
provider "aws" {
  region = local.region
}
resource "aws_secretsmanager_secret" "a" {
  name                    = "crash/a"
  recovery_window_in_days = 0
}
`;
const PLANTED = `resource "aws_secretsmanager_secret" "b" {
  name                    = "planted/b"
  recovery_window_in_days = 0
}
`;

const scan = (dir: string) => scanPaths([dir], { rules: allRules, displayRoot: dir });
const deletions = (r: ReturnType<typeof scan>) =>
  r.findings.filter((f) => f.ruleId === "secret/immediate-deletion").map((f) => `${f.origin.file?.path}:${f.origin.file?.range.start.line}`);

/** Makes evaluating the provider region of modules in directories ending with `suffix` throw, as the crash did. */
function crashProviderIn(suffix: string): void {
  const original = ModuleInstance.prototype.providerRegion;
  vi.spyOn(ModuleInstance.prototype, "providerRegion").mockImplementation(function (this: ModuleInstance, key: string) {
    if (this.config.dir.endsWith(suffix)) throw new TypeError("Cannot read properties of undefined (reading 'has')");
    return original.call(this, key);
  });
}

describe("a provider region read from remote state", () => {
  it("is unknown, not a crash: both modules are reported, nothing is partial", () => {
    const dir = tree({ "crash/main.tf": REMOTE_STATE_REGION, "planted/main.tf": PLANTED });
    const r = scan(dir);
    expect(deletions(r)).toEqual(["crash/main.tf:13", "planted/main.tf:3"]);
    expect(r.notices).toEqual([]);
    expect(r.partial).toBe(false);
    const a = r.inventory.secrets.find((s) => s.id.endsWith("aws_secretsmanager_secret.a"));
    expect(a?.region.value).toMatchObject({ reason: "data" });
  });

  it("a data source of the same provider feeding the provider's region is unknown (a cycle), not a crash", () => {
    const dir = tree({
      "main.tf": `data "aws_ssm_parameter" "region" {\n  name = "/region"\n}\nprovider "aws" {\n  region = data.aws_ssm_parameter.region.value\n}\n${PLANTED}`,
    });
    const r = scan(dir);
    expect(deletions(r)).toEqual(["main.tf:9"]);
    expect(r.partial).toBe(false);
  });
});

describe("a module whose evaluation fails", () => {
  it("a root module: left out with a notice naming it; the other root is reported; partial", () => {
    crashProviderIn(`${path.sep}crash`);
    const dir = tree({ "crash/main.tf": REMOTE_STATE_REGION, "planted/main.tf": PLANTED });
    const r = scan(dir);
    expect(deletions(r)).toEqual(["planted/main.tf:3"]);
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0].level).toBe("error");
    expect(r.notices[0].message).toMatch(/^module crash was left out: an internal error while evaluating it \(TypeError: Cannot read properties of undefined \(reading 'has'\)\); every other module was scanned/);
    expect(r.partial).toBe(true);
  });

  it("a called module: only that call is left out; the caller's own findings and other callers stay", () => {
    crashProviderIn(`${path.sep}bad`);
    const dir = tree({
      "modules/bad/main.tf": `provider "aws" {\n  region = "eu-west-1"\n}\n${PLANTED}`,
      "envs/prod/main.tf": `module "bad" {\n  source = "../../modules/bad"\n}\nresource "aws_secretsmanager_secret" "own" {\n  name = "prod/own"\n  recovery_window_in_days = 0\n}\n`,
      "envs/dev/main.tf": `resource "aws_secretsmanager_secret" "dev" {\n  name = "dev/own"\n  recovery_window_in_days = 0\n}\n`,
    });
    const r = scan(dir);
    expect(deletions(r)).toEqual(["envs/dev/main.tf:3", "envs/prod/main.tf:6"]);
    expect(r.notices.map((n) => n.message.replace(/ \(TypeError.*/, ""))).toEqual([
      "module modules/bad (module.bad of envs/prod) was left out: an internal error while evaluating it",
    ]);
    // The module's outputs read as unknown for its caller, like a module not downloaded.
    expect(r.partial).toBe(true);
  });

  it("an error no module can be named for costs only the root module it happened under", () => {
    const original = ModuleInstance.prototype.allResourceInstances;
    vi.spyOn(ModuleInstance.prototype, "allResourceInstances").mockImplementation(function (this: ModuleInstance) {
      if (this.config.dir.endsWith(`${path.sep}crash`)) throw new Error("collector bug");
      return original.call(this);
    });
    const dir = tree({ "crash/main.tf": PLANTED.replace("planted", "crash"), "planted/main.tf": PLANTED });
    const r = scan(dir);
    expect(deletions(r)).toEqual(["planted/main.tf:3"]);
    expect(r.notices.map((n) => n.message)).toEqual([
      "module crash was left out: an internal error while evaluating it (Error: collector bug); every other module was scanned. Please report this bug.",
    ]);
  });

  it("never quotes the text of a SyntaxError (JSON.parse quotes its input, which may be a secret)", () => {
    const original = ModuleInstance.prototype.providerRegion;
    vi.spyOn(ModuleInstance.prototype, "providerRegion").mockImplementation(function (this: ModuleInstance, key: string) {
      if (this.config.dir.endsWith(`${path.sep}crash`)) JSON.parse("hunter2-secret-value");
      return original.call(this, key);
    });
    const r = scan(tree({ "crash/main.tf": REMOTE_STATE_REGION, "planted/main.tf": PLANTED }));
    expect(r.notices[0].message).toContain("(SyntaxError)");
    expect(JSON.stringify(r.notices)).not.toContain("hunter2");
  });

  it("nothing changes while nothing fails: the same inventory as before, ids prefixed by root as before", () => {
    const dir = tree({ "a/main.tf": PLANTED, "b/main.tf": PLANTED });
    const r = scan(dir);
    expect(r.inventory.secrets.map((s) => s.id).sort()).toEqual(["a:aws_secretsmanager_secret.b", "b:aws_secretsmanager_secret.b"]);
  });
});
