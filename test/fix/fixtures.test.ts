// Fixes on every rule fixture: each fix the scan offers, applied, leaves files that parse, that
// mean what they meant apart from the tags fixed (the inventory compared, places aside), and
// that a second scan finds clean of the fixed findings. The `bad-fix-*` cases are the seeds'
// mistakes: fixed, they equal their `good-fix-*` sibling byte for byte.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { scanDirectory, type ScanResult } from "../../src/scan.js";
import { findScanFixes } from "../../src/fix/scan-fixes.js";
import { dumpInventory } from "../../src/inventory/dump.js";
import { CONFIG_FILE_NAMES, loadConfig, settingsFrom } from "../../src/engine/config.js";
import { ruleSetFrom } from "../../src/engine/ruleset.js";
import type { Level, Rule, RuleSettings } from "../../src/engine/rule.js";
import type { TagChange } from "../../src/engine/fix.js";

const root = path.resolve(import.meta.dirname, "../..");
const fixturesDir = path.join(root, "fixtures", "rules");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-fix-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cases(): string[] {
  const out: string[] = [];
  for (const rule of fs.readdirSync(fixturesDir).sort()) {
    const d = path.join(fixturesDir, rule);
    if (!fs.statSync(d).isDirectory()) continue;
    for (const c of fs.readdirSync(d).sort()) if (fs.statSync(path.join(d, c)).isDirectory()) out.push(path.join(rule, c));
  }
  return out;
}

function optionsOf(dir: string): { rules: Rule[]; levels?: Record<string, Level | "off">; settings: Partial<RuleSettings> } {
  const sj = path.join(dir, "settings.json");
  const extra = fs.existsSync(sj) ? (JSON.parse(fs.readFileSync(sj, "utf8")) as Partial<RuleSettings>) : {};
  const file = CONFIG_FILE_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
  if (!file) return { rules: allRules, settings: extra };
  const config = loadConfig(file, new Set(allRules.map((r) => r.id)));
  const set = ruleSetFrom(config, allRules);
  return { rules: set.rules, levels: set.levels, settings: { ...settingsFrom(config), ...extra } };
}

function scan(dir: string): ScanResult {
  return scanDirectory(dir, { ...optionsOf(dir), displayRoot: dir });
}

/** A copy of a case, to fix in place. */
function copyCase(rel: string, as = rel): string {
  const to = path.join(tmp, as);
  fs.cpSync(path.join(fixturesDir, rel), to, { recursive: true });
  return to;
}

/** The inventory as data, places aside (an edit moves lines), with the fixed tags set. */
function meaning(result: ScanResult, fixed: TagChange[] = []): unknown {
  const dump = dumpInventory(result.inventory) as { secrets: Array<Record<string, unknown>> } & Record<string, unknown>;
  delete dump.suppressionComments;
  for (const s of dump.secrets) {
    const mine = fixed.filter((t) => t.secret === s.id);
    const tags = s.tags as { value: unknown; origin?: unknown };
    delete tags.origin;
    delete s.tagOrigins;
    if (mine.length === 0) continue;
    const v = (tags.value && typeof tags.value === "object" ? tags.value : {}) as Record<string, unknown>;
    for (const t of mine) v[t.key] = t.value;
    tags.value = v;
  }
  const sortKeys = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sortKeys) : x && typeof x === "object" ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortKeys(v)])) : x;
  return JSON.parse(JSON.stringify(sortKeys(dump)).replace(/("[^"]*?):\d+:\d+"/g, '$1"'));
}

describe("fixes on the rule fixtures", () => {
  const all = cases();
  it.each(all)("%s: each fix applied leaves the same meaning and a clean second scan", (rel) => {
    const dir = copyCase(rel);
    const first = scan(dir);
    const fixes = findScanFixes(first, { paths: [dir], displayRoot: dir });
    if (fixes.fixed.length === 0) return;
    for (const f of fixes.files) fs.writeFileSync(f.absolute, f.after);
    const second = scan(dir);
    // Still parses.
    expect(second.inventory.parseErrors.map((e) => e.message)).toEqual(first.inventory.parseErrors.map((e) => e.message));
    // The same meaning, but for the tags fixed.
    const changes = fixes.fixed.flatMap((f) => f.fix!.tags);
    expect(meaning(second)).toEqual(meaning(first, changes));
    // None of the fixed findings is left.
    const left = second.findings.filter((f) => fixes.fixed.some((x) => x.ruleId === f.ruleId && (x.resources ?? []).join() === (f.resources ?? []).join() && x.message === f.message));
    expect(left.map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
  });

  const pairs = all.filter((c) => path.basename(c).startsWith("bad-fix-"));
  it("has the seeds' mistakes as bad-fix/good-fix pairs", () => {
    expect(pairs.length).toBeGreaterThanOrEqual(4);
  });
  it.each(pairs)("%s: fixed, equals its good-fix sibling; a second scan is clean", (rel) => {
    const good = path.join(fixturesDir, rel.replace("/bad-fix-", "/good-fix-"));
    expect(fs.existsSync(good)).toBe(true);
    const dir = copyCase(rel, `pairs/${rel}`);
    const first = scan(dir);
    const fixes = findScanFixes(first, { paths: [dir], displayRoot: dir });
    expect(fixes.notOffered.map((n) => `${n.finding.ruleId}: ${n.reason}`)).toEqual([]);
    expect(fixes.fixed.length).toBe(first.findings.length);
    for (const f of fixes.files) fs.writeFileSync(f.absolute, f.after);
    for (const name of fs.readdirSync(good).filter((n) => n.endsWith(".tf"))) {
      expect(fs.readFileSync(path.join(dir, name), "utf8"), name).toBe(fs.readFileSync(path.join(good, name), "utf8"));
    }
    expect(scan(dir).findings.map((f) => f.ruleId)).toEqual([]);
  });
});
