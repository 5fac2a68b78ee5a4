// One harness for every rule's fixtures: each directory under fixtures/rules/<rule>/ is a
// scan root; the findings expected are written in the fixture files themselves, as
// `# expect: rule-id[, rule-id]` (or `// expect: …`) at the end of the reported line, or, for
// files that cannot hold a comment, in the case directory's `expect.txt` (see below).
// A case's `secretlint.config.yaml` (presets, levels, rule settings, policies) applies to it.
// Every finding of every rule must be expected, and every expectation met. An expectation may
// name the column too, `# expect: rule-id@COL` (1-based, where the finding starts): then the
// finding must start there; without it, only the line is checked.

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { scanDirectory } from "../../src/scan.js";
import type { Level, Rule, RuleSettings } from "../../src/engine/rule.js";
import { CONFIG_FILE_NAMES, loadConfig, settingsFrom } from "../../src/engine/config.js";
import { ruleSetFrom } from "../../src/engine/ruleset.js";
import type { Finding } from "../../src/engine/runner.js";
import { auditAccount } from "../../src/audit.js";
import { parseSnapshot } from "../../src/sources/aws/snapshot.js";

const root = path.resolve(import.meta.dirname, "../..");
const fixturesDir = path.join(root, "fixtures", "rules");

const EXPECT = /(?:#|\/\/)\s*expect:\s*([\w/,@\s-]+?)\s*$/;

/** Scan roots: directories under fixtures/rules/<rule>/ that hold files directly. */
function scanRoots(): string[] {
  const out: string[] = [];
  if (!fs.existsSync(fixturesDir)) return out;
  for (const rule of fs.readdirSync(fixturesDir).sort()) {
    const ruleDir = path.join(fixturesDir, rule);
    if (!fs.statSync(ruleDir).isDirectory()) continue;
    for (const c of fs.readdirSync(ruleDir).sort()) {
      if (fs.statSync(path.join(ruleDir, c)).isDirectory()) out.push(path.join(ruleDir, c));
    }
  }
  return out;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/**
 * Expectations for files that cannot carry a comment (a `.tf.json` that is not valid JSON, say):
 * `expect.txt` in the case directory, one `FILE:LINE rule-id[@COL][, rule-id]` a line, FILE relative
 * to the case directory; blank lines and lines starting with `#` are ignored.
 */
function expectationsListed(dir: string): string[] {
  const f = path.join(dir, "expect.txt");
  if (!fs.existsSync(f)) return [];
  const out: string[] = [];
  for (const raw of fs.readFileSync(f, "utf8").split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\S+):(\d+)\s+([\w/,@\s-]+)$/.exec(line);
    if (!m) throw new Error(`${f}: expected \`FILE:LINE rule-id[, rule-id]\`, got \`${line}\``);
    for (const id of m[3].split(",").map((s) => s.trim()).filter(Boolean)) out.push(`${m[1]}:${Number(m[2])}:${id}`);
  }
  return out;
}

/** `file:line:rule[@col]` for every expectation written in the fixture's files (and its expect.txt). */
export function expectationsIn(dir: string): string[] {
  const out: string[] = expectationsListed(dir);
  for (const file of listFiles(dir)) {
    if (file.endsWith("settings.json")) continue;
    if (file === path.join(dir, "expect.txt")) continue;
    const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
    lines.forEach((line, i) => {
      const m = EXPECT.exec(line);
      if (!m) return;
      for (const id of m[1].split(",").map((s) => s.trim()).filter(Boolean)) {
        out.push(`${path.relative(dir, file).split(path.sep).join("/")}:${i + 1}:${id}`);
      }
    });
  }
  return out.sort();
}

function settingsOf(dir: string): Partial<RuleSettings> {
  const f = path.join(dir, "settings.json");
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, "utf8")) as Partial<RuleSettings>) : {};
}

/**
 * The rules, levels and settings of a case: those of its `secretlint.config.yaml` when it has
 * one (presets, `rules:`, policies, rule settings), as a scan of that directory would use;
 * `settings.json` (rule settings as the library takes them) on top.
 */
function runOptionsOf(dir: string): { rules: Rule[]; levels?: Record<string, Level | "off">; settings: Partial<RuleSettings> } {
  const file = CONFIG_FILE_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
  if (!file) return { rules: allRules, settings: settingsOf(dir) };
  const config = loadConfig(file, new Set(allRules.map((r) => r.id)));
  const set = ruleSetFrom(config, allRules);
  return { rules: set.rules, levels: set.levels, settings: { ...settingsFrom(config), ...settingsOf(dir) } };
}

/**
 * Findings as expectations: `file:line:rule`, with `@col` (the finding's start column) for as
 * many findings of that file, line and rule as the fixture gives a column for — those at the
 * expected column first, so a wrong column shows in the diff as `@actual` against `@expected`.
 */
export function asExpectations(findings: Array<{ path: string; line: number; column: number; ruleId: string }>, expected: string[]): string[] {
  const exactLeft = new Map<string, number>();
  const keyLeft = new Map<string, number>();
  for (const e of expected) {
    const m = /^(.*)@(\d+)$/.exec(e);
    if (!m) continue;
    exactLeft.set(e, (exactLeft.get(e) ?? 0) + 1);
    keyLeft.set(m[1], (keyLeft.get(m[1]) ?? 0) + 1);
  }
  const out: string[] = [];
  const rest: Array<{ key: string; column: number }> = [];
  for (const f of findings) {
    const key = `${f.path}:${f.line}:${f.ruleId}`;
    const exact = `${key}@${f.column}`;
    if ((exactLeft.get(exact) ?? 0) > 0) {
      exactLeft.set(exact, exactLeft.get(exact)! - 1);
      keyLeft.set(key, keyLeft.get(key)! - 1);
      out.push(exact);
    } else rest.push({ key, column: f.column });
  }
  for (const { key, column } of rest) {
    if ((keyLeft.get(key) ?? 0) > 0) {
      keyLeft.set(key, keyLeft.get(key)! - 1);
      out.push(`${key}@${column}`);
    } else out.push(key);
  }
  return out.sort();
}

// ---------------------------------------------------------------- live-inventory cases

/**
 * A case directory holding `snapshot.json` is an audit: the snapshot is the account, the
 * directory's Terraform (if any) is `--tf`. Findings placed in the Terraform are expected there;
 * live findings without a declaration are expected on the snapshot's line that names their ARN
 * (as SARIF places them), in `expect.txt` (`snapshot.json:LINE rule-id`).
 */
function auditSnapshotCase(dir: string) {
  const data = parseSnapshot(fs.readFileSync(path.join(dir, "snapshot.json"), "utf8"), path.join(dir, "snapshot.json"));
  const hasTerraform = fs.readdirSync(dir).some((f) => f.endsWith(".tf") || f.endsWith(".tf.json"));
  return auditAccount(data, { ...runOptionsOf(dir), ...(hasTerraform ? { tfDir: dir } : {}), displayRoot: dir });
}

function placedInSnapshot(f: Finding, dir: string): Finding {
  const arn = f.origin.aws?.arn;
  const lines = fs.existsSync(path.join(dir, "snapshot.json")) ? fs.readFileSync(path.join(dir, "snapshot.json"), "utf8").split(/\r?\n/) : [];
  const at = arn ? lines.findIndex((l) => l.includes(JSON.stringify(arn))) : -1;
  if (at < 0) return f;
  const column = lines[at].indexOf(JSON.stringify(arn)) + 1;
  const pos = { offset: 0, byte: 0, line: at + 1, column };
  return { ...f, origin: { ...f.origin, file: { path: "snapshot.json", range: { start: pos, end: pos } } } };
}

const roots = scanRoots();

describe("rule fixtures", () => {
  it.each(roots.map((r) => [path.relative(fixturesDir, r), r]))("%s", (_name, dir) => {
    const result = fs.existsSync(path.join(dir, "snapshot.json")) ? auditSnapshotCase(dir) : scanDirectory(dir, runOptionsOf(dir));
    expect(result.notifications).toEqual([]);
    const expected = expectationsIn(dir);
    const got = asExpectations(
      result.findings
        .map((f) => (f.origin.file ? f : placedInSnapshot(f, dir)))
        .filter((f) => f.origin.file)
        .map((f) => ({ path: f.origin.file!.path, line: f.origin.file!.range.start.line, column: f.origin.file!.range.start.column, ruleId: f.ruleId })),
      expected,
    );
    expect(got).toEqual(expected);
  });
});

describe("every rule has fixtures", () => {
  it.each(allRules.map((r) => [r.id]))("%s fires on a bad fixture and has a good one", (id) => {
    const dir = path.join(fixturesDir, id.replace("/", "-"));
    expect(fs.existsSync(dir), `fixtures/rules/${id.replace("/", "-")}/ is missing`).toBe(true);
    const subdirs = fs.readdirSync(dir).filter((c) => fs.statSync(path.join(dir, c)).isDirectory());
    const ruleOf = (e: string) => e.replace(/@\d+$/, "");
    const fired = subdirs.some((c) => expectationsIn(path.join(dir, c)).some((e) => ruleOf(e).endsWith(`:${id}`)));
    expect(fired, `no fixture under fixtures/rules/${id.replace("/", "-")}/ expects ${id}`).toBe(true);
    const good = subdirs.filter((c) => c.startsWith("good"));
    expect(good.length, `no good* fixture (one that must not fire) for ${id}`).toBeGreaterThan(0);
    for (const g of good) {
      expect(expectationsIn(path.join(dir, g)).filter((e) => ruleOf(e).endsWith(`:${id}`))).toEqual([]);
    }
  });
});
