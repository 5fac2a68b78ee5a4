// Issue 13 through the built binary: identity and baselines, suppression comments, the
// command line's habits, summaries, the text layout and errors (`npm test` builds first).

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { scanDirectory } from "../../src/scan.js";
import { fingerprintFindingsV1 } from "../../src/report/fingerprint.js";

const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin", "secretlint.js");
const built = fs.existsSync(path.join(root, "dist", "cli.js"));

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function run(args: string[], cwd = root, env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-findings-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const VERSION = (name: string) => `resource "aws_secretsmanager_secret" "${name}" {
  name = "app/${name}"
}
resource "aws_secretsmanager_secret_version" "${name}" {
  secret_id     = aws_secretsmanager_secret.${name}.id
  secret_string = "hunter2-not-a-real-secret"
}
`;

if (!built) console.warn("CLI tests skipped: dist/ is missing; run `npm run build` (npm test does it)");

describe.skipIf(!built)("baselines and identity", () => {
  it("the baseline scenario: an identical secret added above a baselined one is reported, the old one stays hidden", () => {
    const dir = tmpDir({ "main.tf": VERSION("db") });
    const baseline = path.join(dir, ".secretlint-baseline.json");
    const written = run(["scan", ".", "--write-baseline", baseline], dir);
    expect(written.code).toBe(0);
    expect(written.stderr).toContain(`secretlint: wrote 1 finding to ${baseline}`);
    // Reviewers see what was accepted: rule, file, address and a short message beside each fingerprint.
    const file = JSON.parse(fs.readFileSync(baseline, "utf8"));
    expect(file).toMatchObject({ version: 2, tool: "secretlint", fingerprints: "secretlint/v2" });
    expect(file.findings).toEqual([
      {
        ruleId: "secret/hardcoded-value",
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        file: "main.tf",
        address: "aws_secretsmanager_secret_version.db",
        message: expect.stringMatching(/^.{20,120}$/),
      },
    ]);
    expect(fs.readFileSync(baseline, "utf8")).not.toContain("hunter2");

    fs.writeFileSync(path.join(dir, "main.tf"), VERSION("db_copy") + VERSION("db"));
    const r = run(["scan", ".", "--baseline", baseline, "-f", "json"], dir);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings ?? JSON.parse(r.stdout);
    expect(findings.map((f: { address: string; line: number }) => `${f.address}:${f.line}`)).toEqual(["aws_secretsmanager_secret_version.db_copy:6"]);
  });

  it("reads a baseline of the first format, says how to rewrite it, and rewrites it with only what it hid", () => {
    const dir = tmpDir({ "main.tf": VERSION("db") + 'resource "aws_secretsmanager_secret" "b" {\n  name                    = "app/b"\n  recovery_window_in_days = 0\n}\n' });
    // A version-1 baseline accepting the hard-coded value only, as the first format wrote it.
    const scan = scanDirectory(dir, { rules: allRules, displayRoot: dir });
    const v1 = fingerprintFindingsV1(scan.findings, { sources: scan.sources });
    const old = scan.findings.map((f, i) => ({ ruleId: f.ruleId, fingerprint: v1[i] })).filter((e) => e.ruleId === "secret/hardcoded-value");
    const baseline = path.join(dir, "baseline.json");
    fs.writeFileSync(baseline, JSON.stringify({ version: 1, tool: "secretlint", findings: old }));

    const r = run(["scan", ".", "--baseline", "baseline.json"], dir);
    expect(r.code).toBe(1); // the immediate deletion is not in it
    expect(r.stdout).not.toContain("secret/hardcoded-value");
    expect(r.stdout + r.stderr).toContain("baseline.json is a baseline of the first format (version 1): it hid 1 of its 1 findings");
    expect(r.stdout + r.stderr).toContain("--baseline baseline.json --write-baseline baseline.json");

    const rewritten = run(["scan", ".", "--baseline", "baseline.json", "--write-baseline", "baseline.json"], dir);
    expect(rewritten.stderr).toContain("wrote 1 finding to baseline.json (1 not in baseline.json left out, still reported)");
    expect(rewritten.code).toBe(1);
    const now = JSON.parse(fs.readFileSync(baseline, "utf8"));
    expect(now.version).toBe(2);
    expect(now.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["secret/hardcoded-value"]);
    const after = run(["scan", ".", "--baseline", "baseline.json"], dir);
    expect(after.stdout).not.toContain("first format");
    expect(after.stdout).toContain("secret/immediate-deletion");
  });
});

describe.skipIf(!built)("suppression comments", () => {
  const SUPPRESSED = `resource "aws_secretsmanager_secret" "a" {
  name = "app/a"
  # secretlint:ignore secret/immediate-deletion -- scratch account, deleted nightly
  recovery_window_in_days = 0
}
# secretlint:ignore sym/nonexistent-rule, secret/immediate-deleton
resource "aws_secretsmanager_secret" "b" {
  name                    = "app/b"
  recovery_window_in_days = 7 # secretlint:ignore secret/immediate-deletion
}
`;

  it("an ignore comment naming an unknown rule, or suppressing nothing, is reported as a warning", () => {
    const dir = tmpDir({ "main.tf": SUPPRESSED });
    const r = run(["scan", dir, "-f", "json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    const findings: Array<{ ruleId: string; line: number; level: string; message: string }> = out.findings ?? out;
    expect(findings.map((f) => `${f.ruleId}:${f.line}:${f.level}`)).toEqual([
      "secretlint/unused-ignore:6:warning",
      "secretlint/unused-ignore:6:warning",
      "secretlint/unused-ignore:9:warning",
    ]);
    expect(findings[0].message).toBe("`secretlint:ignore` names `sym/nonexistent-rule`, which is no secretlint rule (`secretlint rules` lists the ids): it suppresses nothing");
    expect(findings[1].message).toContain("`secret/immediate-deleton`, which is no secretlint rule; did you mean `secret/immediate-deletion`?");
    expect(findings[2].message).toContain("suppresses nothing");
    // Not reported when the rule it names did not run.
    const off = run(["scan", dir, "-f", "json", "--disable", "secret/immediate-deletion"]);
    const offFindings: Array<{ line: number }> = JSON.parse(off.stdout).findings ?? JSON.parse(off.stdout);
    expect(offFindings.map((f) => f.line)).toEqual([6, 6]);
  });

  it("the reason is carried into SARIF suppressions[].justification and the JSON", () => {
    const dir = tmpDir({ "main.tf": SUPPRESSED });
    const sarif = JSON.parse(run(["scan", dir, "-f", "sarif", "--include-suppressed"]).stdout);
    const suppressed = sarif.runs[0].results.filter((x: { suppressions?: unknown }) => x.suppressions);
    expect(suppressed.map((x: { suppressions: unknown }) => x.suppressions)).toEqual([[{ kind: "inSource", justification: "scratch account, deleted nightly" }]]);
    const json = JSON.parse(run(["scan", dir, "-f", "json", "--include-suppressed"]).stdout);
    const jf = (json.findings ?? json).find((x: { suppressed?: boolean }) => x.suppressed);
    expect(jf.suppression).toEqual({ kind: "inSource", justification: "scratch account, deleted nightly" });
  });
});
