// Literal credentials never leave memory: random keys are planted in Mage, .env and
// docker-compose files (one in a file that does not parse, at the place the parser stops,
// one beside a placeholder, one suppressed), the tree is scanned and reported in every format
// (text, json, sarif, github, with suppressed findings included), with fingerprints (what a
// baseline stores) and the inventory dump, and no output holds any part of them — in process,
// and through the built command line when there is one. The reporters' own masking of `.env`
// and YAML lines is checked on the unredacted text too.

import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { dumpInventory } from "../../src/inventory/dump.js";
import { fingerprintFindings, formatReport, REPORT_FORMATS } from "../../src/report/index.js";
import { scanDirectory } from "../../src/scan.js";

const root = path.resolve(import.meta.dirname, "../..");
/** The built command line (`npm test` builds first). */
const built = fs.existsSync(path.join(root, "dist", "cli.js"));

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const pick = (alphabet: string, n: number) => [...crypto.randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join("");
/** A random key pair with the shapes AWS uses (a secret always with both cases and a digit). */
function keyPair(prefix: "AKIA" | "ASIA"): { id: string; secret: string } {
  return { id: prefix + pick(B32, 16), secret: "aZ9" + pick(B64, 37) };
}

const pairs = [keyPair("AKIA"), keyPair("AKIA"), keyPair("ASIA"), keyPair("AKIA"), keyPair("AKIA")];
const [io, env, compose, broken, suppressed] = pairs;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-leak-"));
const out = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-leak-out-"));
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});
const files: Record<string, string> = {
  "project/io_config.yml": [
    "version: 0.1.1",
    "default:",
    `  AWS_ACCESS_KEY_ID: ${io.id}`,
    `  AWS_SECRET_ACCESS_KEY: "${io.secret}"`,
    "  AWS_REGION: your-region",
    "  PASSWORD: \"{{ aws_secret_var('missing/secret') }}\"",
    "staging:",
    "  # secretlint:ignore mage/hardcoded-aws-credentials -- to show --include-suppressed",
    `  AWS_ACCESS_KEY_ID: ${suppressed.id}`,
    `  AWS_SECRET_ACCESS_KEY: ${suppressed.secret}`,
  ].join("\n"),
  ".env": [`AWS_ACCESS_KEY_ID=${env.id} # the region below is a placeholder`, `AWS_SECRET_ACCESS_KEY='${env.secret}'`, "AWS_DEFAULT_REGION=your-region"].join("\n"),
  "docker-compose.yml": [
    "services:",
    "  magic:",
    "    environment:",
    `      - AWS_ACCESS_KEY_ID=${compose.id}`,
    `      - AWS_SECRET_ACCESS_KEY=${compose.secret}`,
  ].join("\n"),
  // Does not parse: the parser stops at the secret (a mapping where a value should be).
  "broken/io_config.yml": ["default:", `  AWS_ACCESS_KEY_ID: ${broken.id}`, `  AWS_SECRET_ACCESS_KEY: ${broken.secret}: x`, "  HOST: x"].join("\n"),
};
for (const [name, text] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
}

/** Every fragment of a planted value that would give it away (a 12-character window is enough). */
function fragments(): string[] {
  const out: string[] = [];
  for (const p of pairs) {
    out.push(p.id, p.id.slice(4));
    for (let i = 0; i + 12 <= p.secret.length; i += 4) out.push(p.secret.slice(i, i + 12));
  }
  return out;
}
function expectNoLeak(name: string, text: string): void {
  for (const f of fragments()) expect(text.includes(f), `${name} holds a planted key fragment`).toBe(false);
}

function cli(args: string[]): { code: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [path.join(root, "bin", "secretlint.js"), ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout + r.stderr };
}

describe("no literal credential in any output", () => {
  it("the scan finds what was planted (so the check below means something)", () => {
    const result = scanDirectory(dir, { rules: allRules });
    const ids = result.findings.map((f) => `${f.origin.file?.path}:${f.origin.file?.range.start.line} ${f.ruleId}`).sort();
    expect(ids).toEqual(
      expect.arrayContaining([
        ".env:1 mage/hardcoded-aws-credentials",
        ".env:3 secret/placeholder-value",
        "broken/io_config.yml:2 mage/hardcoded-aws-credentials",
        "broken/io_config.yml:3 terraform/parse-error",
        "docker-compose.yml:4 mage/hardcoded-aws-credentials",
        "project/io_config.yml:3 mage/hardcoded-aws-credentials",
        "project/io_config.yml:5 secret/placeholder-value",
        "project/io_config.yml:6 mage/secret-not-found",
      ]),
    );
    expect(result.suppressed.map((f) => f.ruleId)).toEqual(["mage/hardcoded-aws-credentials"]);
    // In memory, the kept texts are already redacted.
    for (const [p, text] of result.sources) expectNoLeak(`sources[${p}]`, text);
  });

  it.each(REPORT_FORMATS.map((f) => [f]))("the %s format with suppressed findings, fingerprints and the inventory dump", (format) => {
    const result = scanDirectory(dir, { rules: allRules });
    const findings = [...result.findings, ...result.suppressed];
    const report = formatReport(format, {
      result: { ...result, findings },
      kind: "scan",
      toolVersion: "0.0.0",
      sources: result.sources,
      scanRoot: dir,
      suppression: (f) => (result.suppressed.includes(f) ? { kind: "inSource" } : undefined),
    });
    expect(report).toContain("mage/hardcoded-aws-credentials");
    expectNoLeak(`${format} report`, report);
    expectNoLeak("fingerprints", fingerprintFindings(findings, { sources: result.sources }).join("\n"));
    expectNoLeak("inventory dump", JSON.stringify(dumpInventory(result.inventory)));
  });

  it.skipIf(!built).each(REPORT_FORMATS.map((f) => [f]))("the %s format through the built command line, with --sarif-file, a baseline and suppressed findings", (format) => {
    const file = path.join(out, `report.${format}`);
    const sarif = path.join(out, `extra-${format}.sarif`);
    const baseline = path.join(out, `baseline-${format}.json`);
    const { code, stdout } = cli(["scan", ".", "-f", format, "-o", file, "--sarif-file", sarif, "--write-baseline", baseline, "--include-suppressed", "--no-color"]);
    // Writing a baseline accepts every finding: exit 0, the findings shown as suppressed.
    expect(code).toBe(0);
    const report = fs.readFileSync(file, "utf8");
    expect(report).toContain("mage/hardcoded-aws-credentials");
    expectNoLeak(`${format} report`, report);
    expectNoLeak("extra SARIF", fs.readFileSync(sarif, "utf8"));
    expectNoLeak("baseline", fs.readFileSync(baseline, "utf8"));
    expectNoLeak("stdout and stderr", stdout);
  });

  it.skipIf(!built)("the built command line: text on stdout, and the inventory dump", () => {
    const text = cli(["scan", ".", "--no-color"]);
    expect(text.stdout).toContain("mage/hardcoded-aws-credentials");
    expectNoLeak("text on stdout", text.stdout);
    const dump = cli(["scan", ".", "--dump-inventory"]);
    expect(dump.stdout).toContain("hardcodedCredentials");
    expectNoLeak("inventory dump", dump.stdout);
  });

  it("the reporters mask the credential lines of .env, YAML and compose files even in unredacted text", () => {
    const result = scanDirectory(dir, { rules: allRules });
    const raw = new Map([...result.sources.keys()].map((p) => [p, fs.readFileSync(path.join(dir, p), "utf8")]));
    const creds = result.findings.filter((f) => f.ruleId === "mage/hardcoded-aws-credentials");
    expect(creds).toHaveLength(4);
    for (const format of REPORT_FORMATS) {
      const report = formatReport(format, { result: { ...result, findings: creds }, kind: "scan", toolVersion: "0.0.0", sources: raw, scanRoot: dir });
      expectNoLeak(`${format} over unredacted sources`, report);
    }
  });
});

// The text format shows more of HCL than `maskLine` does (a heredoc's closing marker, a
// function call's opening: see maskFrameLines): random values planted in heredoc bodies that
// look like markers (a line `EOT2…`, a body line opening another heredoc and the line that
// would close it, a value ending in ` EOT`), in a jsonencode() with a nested heredoc, and in a
// trimspace(<<EOT …) must still never be shown.
describe("no secret value in heredocs and function calls (Terraform)", () => {
  const ident = () => "Q" + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 17);
  const value = () => "aZ9" + pick(B64.replace(/[+/]/g, ""), 21);
  const planted = { a: value(), b: value(), c: value(), d: value(), e: value(), f: value(), inner: ident() };
  const tfDir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-leak-tf-"));
  afterAll(() => fs.rmSync(tfDir, { recursive: true, force: true }));
  fs.writeFileSync(
    path.join(tfDir, "main.tf"),
    [
      'resource "aws_secretsmanager_secret" "s" {',
      '  name                    = "app/s"',
      "  recovery_window_in_days = 7",
      "}",
      'resource "aws_secretsmanager_secret_version" "a" {',
      "  secret_id     = aws_secretsmanager_secret.s.id",
      "  secret_string = <<-EOT",
      `    ${planted.a}`,
      `    EOT2${planted.b}`,
      `      ${planted.c} EOT`,
      "    EOT",
      "}",
      'resource "aws_secretsmanager_secret_version" "b" {',
      "  secret_id     = aws_secretsmanager_secret.s.id",
      "  secret_string = jsonencode({",
      `    password = "${planted.d}"`,
      "    nested   = <<X",
      planted.e,
      "X",
      "  })",
      "}",
      'resource "aws_secretsmanager_secret_version" "c" {',
      "  secret_id     = aws_secretsmanager_secret.s.id",
      "  secret_string = trimspace(<<EOT",
      `  ${planted.f} <<${planted.inner}`,
      `  ${planted.inner}`,
      "  EOT",
      "  )",
      "}",
    ].join("\n"),
  );
  function expectNoValue(name: string, text: string): void {
    for (const v of Object.values(planted)) for (let i = 0; i + 12 <= v.length; i += 4) expect(text.includes(v.slice(i, i + 12)), `${name} holds a planted value`).toBe(false);
  }

  it("the scan reports each version (so the check below means something) and no format shows a value", () => {
    const result = scanDirectory(tfDir, { rules: allRules });
    expect(result.findings.filter((f) => f.ruleId === "secret/hardcoded-value").map((f) => f.origin.file?.range.start.line)).toEqual([7, 15, 24]);
    for (const format of REPORT_FORMATS) expectNoValue(format, formatReport(format, { result, kind: "scan", toolVersion: "0", sources: result.sources, scanRoot: tfDir }));
  });

  it.skipIf(!built)("the text format through the built command line shows the closing markers, never a value", () => {
    const r = spawnSync(process.execPath, [path.join(root, "bin", "secretlint.js"), "scan", ".", "--no-color"], { cwd: tfDir, encoding: "utf8" });
    expect(r.status).toBe(1);
    expectNoValue("stdout and stderr", r.stdout + r.stderr);
    expect(r.stdout).toContain(["     7 |   secret_string = <<-EOT", "       |   ^^^^^^^^^^^^^^^^^^^^^^", "     8 |     ****", "     9 |     ****", "    10 |       ****", "    11 |     EOT"].join("\n"));
    expect(r.stdout).toContain(["    15 |   secret_string = jsonencode({", "       |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^", '    16 |     password = "****"'].join("\n"));
    expect(r.stdout).toContain(["    24 |   secret_string = trimspace(<<EOT", `       |   ${"^".repeat(31)}`, "    25 |   ****", "    26 |   ****", "    27 |   EOT"].join("\n"));
  });
});
