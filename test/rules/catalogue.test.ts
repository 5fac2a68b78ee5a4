// The rule index against the folder, ids against file names, help complete — as
// typescript-eslint and Trivy keep their catalogues honest.

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { frameworkById } from "../../src/engine/frameworks.js";

const rulesDir = path.resolve(import.meta.dirname, "../../rules");
const ruleFiles = fs
  .readdirSync(rulesDir)
  .filter((f) => f.endsWith(".ts") && f !== "index.ts")
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();

describe("rule catalogue", () => {
  it("the index lists every rule file, once", () => {
    expect(allRules.map((r) => r.id.replace("/", "-")).sort()).toEqual(ruleFiles);
  });
  it("ids are unique", () => {
    const ids = allRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it.each(allRules.map((r) => [r.id, r]))("%s has complete metadata", (_id, rule) => {
    expect(rule.id).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
    expect(["error", "warning", "note", "off"]).toContain(rule.level);
    // A rule off by default is switched on by a preset.
    if (rule.level === "off") expect(Object.keys(rule.presets ?? {}).length).toBeGreaterThan(0);
    // Every control it names is a control of its framework.
    for (const c of rule.controls ?? []) expect(frameworkById(c.framework).controls.map((x) => x.id)).toContain(c.id);
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.description.length).toBeGreaterThan(20);
    for (const k of ["why", "bad", "good", "fix"] as const) expect(rule.help[k].trim().length).toBeGreaterThan(0);
    expect(Object.keys(rule.messages).length).toBeGreaterThan(0);
    if (rule.securitySeverity !== undefined) {
      expect(rule.securitySeverity).toBeGreaterThanOrEqual(0);
      expect(rule.securitySeverity).toBeLessThanOrEqual(10);
    }
  });
});
