import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, STARTER_CONFIG, findConfigFile, loadConfig, settingsFrom } from "../../src/engine/config.js";
import { parse } from "yaml";

function tmp(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-config-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const ids = new Set(["sym/symenv-tag-missing", "iam/not-action-allow"]);

describe("configuration file", () => {
  it("is found upward from the scan root", () => {
    const dir = tmp({ "secretlint.config.yaml": "rules: {}\n", "infra/prod/main.tf": "" });
    expect(findConfigFile(path.join(dir, "infra/prod"))).toBe(path.join(dir, "secretlint.config.yaml"));
  });

  it("loads levels, regions and patterns into settings", () => {
    const dir = tmp({
      "secretlint.config.yaml": [
        "rules:",
        "  iam/not-action-allow: off",
        "dataPlane:",
        "  region: us-east-2",
        "  secrets: ['flyte/*']",
        "sym:",
        "  tagName: SymEnvironment",
        "  environments: [prod]",
        "apono:",
        "  secrets: ['apono/*']",
        "",
      ].join("\n"),
    });
    const c = loadConfig(path.join(dir, "secretlint.config.yaml"), ids);
    expect(c.rules).toEqual({ "iam/not-action-allow": "off" });
    expect(settingsFrom(c)).toEqual({
      symTagName: "SymEnvironment",
      symEnvironments: ["prod"],
      aponoSecretPatterns: ["apono/*"],
      dataPlaneSecretPatterns: ["flyte/*"],
      dataPlaneRegion: "us-east-2",
    });
    expect(settingsFrom(c, { dataPlaneRegion: "eu-west-1" }).dataPlaneRegion).toBe("eu-west-1");
  });

  it("names the file, line, key and allowed values of a wrong level", () => {
    const dir = tmp({ "secretlint.config.yaml": "rules:\n  iam/not-action-allow: loud\n" });
    expect(() => loadConfig(path.join(dir, "secretlint.config.yaml"), ids)).toThrow(ConfigError);
    expect(() => loadConfig(path.join(dir, "secretlint.config.yaml"), ids)).toThrow(
      /secretlint\.config\.yaml:2: `rules\.iam\/not-action-allow` must be one of "error", "warning", "note", "off"/,
    );
  });

  it("rejects unknown keys and unknown rule ids in one line", () => {
    const a = tmp({ "secretlint.config.yaml": "rulez: {}\n" });
    expect(() => loadConfig(path.join(a, "secretlint.config.yaml"), ids)).toThrow(/unknown key `rulez` in the top level/);
    const b = tmp({ "secretlint.config.yaml": "rules:\n  sym/nope: error\n" });
    expect(() => loadConfig(path.join(b, "secretlint.config.yaml"), ids)).toThrow(/:2: unknown rule id `sym\/nope`/);
  });

  it("reports invalid YAML and JSON with a position", () => {
    const a = tmp({ "secretlint.config.yaml": "rules: [\n" });
    expect(() => loadConfig(path.join(a, "secretlint.config.yaml"))).toThrow(/invalid YAML/);
    const b = tmp({ "secretlint.config.json": "{ rules: }" });
    expect(() => loadConfig(path.join(b, "secretlint.config.json"))).toThrow(/invalid JSON/);
  });

  it("accepts the starter configuration written by `init`", () => {
    const dir = tmp({ "secretlint.config.yaml": STARTER_CONFIG });
    expect(parse(STARTER_CONFIG)).toBeTruthy();
    expect(() => loadConfig(path.join(dir, "secretlint.config.yaml"), ids)).not.toThrow();
  });
});
