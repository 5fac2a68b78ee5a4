// The organisation's own policies and the compliance configuration: an invalid policy is one
// line naming the file, the line and what is wrong; the README's worked examples are the
// fixtures' configurations (they fire on the fixture and are silent on its corrected form, see
// fixtures/rules/custom-policies); policies are rules like any other (levels, --rule,
// --disable, suppression comments); presets add up as documented.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { ConfigError, loadConfig, settingsFrom } from "../../src/engine/config.js";
import { policySentence } from "../../src/engine/policies.js";
import { levelsOfPresets } from "../../src/engine/presets.js";
import { ruleSetFrom } from "../../src/engine/ruleset.js";
import { scanDirectory } from "../../src/scan.js";

const root = path.resolve(import.meta.dirname, "../..");
const ids = new Set(allRules.map((r) => r.id));

function configDir(text: string, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-policies-"));
  fs.writeFileSync(path.join(dir, "secretlint.config.yaml"), text);
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), body);
  return dir;
}

function errorOf(text: string): string {
  const dir = configDir(text);
  try {
    loadConfig(path.join(dir, "secretlint.config.yaml"), ids);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message.split("\n")).toHaveLength(1);
    return message.slice(message.indexOf("secretlint.config.yaml"));
  }
  throw new Error("no error");
}

const policy = (body: string) => `policies:\n  - name: prod-readers\n${body}`;

describe("invalid policies: one line with file, line and what is wrong", () => {
  it.each([
    [policy("    requier:\n      region: us-east-1\n"), "secretlint.config.yaml:3: unknown key `requier` in `policies[0]`"],
    [policy("    match:\n      readBy: okta\n    require:\n      region: us-east-1\n"), 'secretlint.config.yaml:4: `policies[0].match.readBy` must be one of "sym", "apono", "flyte", "mage", or a list'],
    [policy("    require:\n      region: us-east\n"), "secretlint.config.yaml:4: `policies[0].require.region` must be in the form ^[a-z]{2}(-[a-z]+)+-\\d+$, or a list"],
    [policy("    match:\n      name: prod/*\n"), "secretlint.config.yaml:2: `policies[0]` needs `require`"],
    [policy("    require:\n      rotation: false\n"), "secretlint.config.yaml:4: `policies[0].require.rotation` must be true, or a mapping"],
    [policy("    require: {}\n"), "secretlint.config.yaml:3: `policies[0].require` must not be empty"],
    [policy("    level: loud\n    require:\n      customerManagedKey: true\n"), 'secretlint.config.yaml:3: `policies[0].level` must be one of "error", "warning", "note", "off"'],
    ["policies:\n  - name: Prod Readers\n    require:\n      customerManagedKey: true\n", "secretlint.config.yaml:2: `policies[0].name` is not in the expected form (^[a-z0-9][a-z0-9-]*$)"],
    [
      "policies:\n  - name: a\n    require: { customerManagedKey: true }\n  - name: a\n    require: { customerManagedKey: true }\n",
      "secretlint.config.yaml:4: `policies[1].name` `a` is already the name of policies[0]; each policy needs its own name (its rule id is custom/<name>)",
    ],
    ["requiredTags:\n  - key: cost-center\n    pattern: 'CC-[0-9'\n", "secretlint.config.yaml:3: `requiredTags[0].pattern` is not a valid regular expression"],
    ["requiredTags:\n  - values: [a]\n", "secretlint.config.yaml:2: `requiredTags[0]` needs `key`"],
    ["extends: fbsp\n", 'secretlint.config.yaml:1: `extends` must be one of "integrations", "fsbp", "all", or a list'],
    ["rotation:\n  maxIntervalDays: 0\n", "secretlint.config.yaml:2: `rotation.maxIntervalDays` must be at least 1"],
  ])("%s", (text, expected) => {
    expect(errorOf(text)).toContain(expected);
  });

  it("through the command line: one line on stderr, exit 2", async () => {
    const dir = configDir(policy("    match:\n      readBy: okta\n    require:\n      region: us-east-1\n"), { "main.tf": "" });
    const { spawnSync } = await import("node:child_process");
    const r = spawnSync(process.execPath, [path.join(root, "bin", "secretlint.js"), "scan", dir], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      `secretlint: ${path.join(dir, "secretlint.config.yaml")}:4: \`policies[0].match.readBy\` must be one of "sym", "apono", "flyte", "mage", or a list`,
    ]);
  });
});

describe("the README's worked examples", () => {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  it.each(["bad-sym-region", "bad-prod-key-and-rotation", "bad-prod-readers"])("%s is in the README as written, and its corrected form passes", (name) => {
    const dir = path.join(root, "fixtures", "rules", "custom-policies", name);
    const config = fs.readFileSync(path.join(dir, "secretlint.config.yaml"), "utf8");
    expect(readme).toContain("```yaml\n" + config + "```");
    const good = path.join(root, "fixtures", "rules", "custom-policies", name.replace(/^bad-/, "good-"));
    expect(fs.readFileSync(path.join(good, "secretlint.config.yaml"), "utf8")).toBe(config);
  });

  it("reads as a sentence", () => {
    const c = loadConfig(path.join(root, "fixtures/rules/custom-policies/bad-sym-region/secretlint.config.yaml"), ids);
    expect(policySentence(c.policies![0])).toBe("Secrets read by Sym must live in `us-east-1`");
    const d = loadConfig(path.join(root, "fixtures/rules/custom-policies/bad-prod-key-and-rotation/secretlint.config.yaml"), ids);
    expect(policySentence(d.policies![0])).toBe("Secrets matching `prod/*` must use a customer-managed KMS key, rotate automatically at least every 30 days");
    const e = loadConfig(path.join(root, "fixtures/rules/custom-policies/bad-prod-readers/secretlint.config.yaml"), ids);
    expect(policySentence(e.policies![0])).toBe("Secrets matching `prod/*` must be readable only by principals matching `arn:aws:iam::*:role/platform-*`");
  });
});

describe("policies are rules like any other", () => {
  const tf = `provider "aws" {\n  region = "us-west-2"\n}\n\nresource "aws_secretsmanager_secret" "db" {\n  name = "prod/db"\n}\n`;
  const config = `policies:\n  - name: prod-in-us-east-1\n    match: { name: "prod/*" }\n    require: { region: us-east-1 }\n`;
  const run = (dir: string) => {
    const c = loadConfig(path.join(dir, "secretlint.config.yaml"), ids);
    const set = ruleSetFrom(c, allRules);
    return scanDirectory(dir, { rules: set.rules, levels: set.levels, settings: settingsFrom(c) });
  };

  it("reports with its own id, at its level (error by default)", () => {
    const r = run(configDir(config, { "main.tf": tf }));
    expect(r.findings.map((f) => [f.ruleId, f.level, f.origin.file?.range.start.line])).toEqual([["custom/prod-in-us-east-1", "error", 2]]);
    expect(r.findings[0].message).toBe("Secret `prod/db` lives in `us-west-2`; policy `prod-in-us-east-1` requires `us-east-1` (secrets matching `prod/*`)");
  });

  it("takes a level from `rules:` and is switched off there", () => {
    expect(run(configDir(config + "rules:\n  custom/prod-in-us-east-1: note\n", { "main.tf": tf })).findings.map((f) => f.level)).toEqual(["note"]);
    expect(run(configDir(config + "rules:\n  custom/prod-in-us-east-1: off\n", { "main.tf": tf })).findings).toEqual([]);
  });

  it("is suppressed by a comment naming it", () => {
    const suppressed = tf.replace('  region = "us-west-2"', '  region = "us-west-2" # secretlint:ignore custom/prod-in-us-east-1 -- moving in Q3');
    const r = run(configDir(config, { "main.tf": suppressed }));
    expect(r.findings).toEqual([]);
    expect(r.suppressed.map((f) => f.ruleId)).toEqual(["custom/prod-in-us-east-1"]);
  });

  it("`rules:` naming a policy that does not exist is refused", () => {
    expect(errorOf("rules:\n  custom/nope: error\n")).toContain("secretlint.config.yaml:2: unknown rule id `custom/nope`");
  });
});

describe("presets", () => {
  it("integrations is the default levels; fsbp only the controls; together they add up; all switches everything on", () => {
    const integrations = levelsOfPresets(["integrations"], allRules);
    const fsbp = levelsOfPresets(["fsbp"], allRules);
    const both = levelsOfPresets(["integrations", "fsbp"], allRules);
    const all = levelsOfPresets(["all"], allRules);
    for (const r of allRules) {
      expect(integrations[r.id]).toBe(r.level);
      expect(fsbp[r.id]).toBe(r.presets?.fsbp ?? "off");
      expect(both[r.id]).toBe(r.presets?.fsbp ?? r.level);
      expect(all[r.id]).not.toBe("off");
    }
    expect(integrations["secret/rotation-disabled"]).toBe("off");
    expect(fsbp["sym/symenv-tag-missing"]).toBe("off");
    expect(both["secret/rotation-failing"]).toBe("error");
  });

  it("extends: in the configuration selects them; rules: applies on top", () => {
    const dir = configDir("extends: [integrations, fsbp]\nrules:\n  secret/unused: note\n");
    const set = ruleSetFrom(loadConfig(path.join(dir, "secretlint.config.yaml"), ids), allRules);
    expect(set.presets).toEqual(["integrations", "fsbp"]);
    expect(set.frameworks).toEqual(["fsbp"]);
    expect(set.levels["secret/unused"]).toBe("note");
    expect(set.levels["secret/rotation-overdue"]).toBe("warning");
    expect(set.levels["sym/symenv-tag-missing"]).toBe("error");
  });
});
