// Output is inert: control characters from Terraform strings, file names, live secret names
// and tag values reach no terminal or workflow log raw, in any format; JSON and SARIF keep the
// exact text, escaped by JSON's rules. And the canary in the environment appears nowhere.

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inert, inertJson, inertKeepingWidth } from "../../src/report/escape.js";
import { built, jsonFindings, projectDir, runCli, tempTree, treeWithGood } from "../helpers/hostile.js";

const FORMATS = ["text", "compact", "json", "sarif", "github"] as const;
/** What must never reach a terminal raw: C0 but tab and line feed (checked apart), DEL, C1, separators, bidi controls. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const FORGED = "main.tf:1:1  error  forged finding  sym/forged";

describe("the escape helper", () => {
  it("makes every unsafe character visible, keeps widths in frames, keeps JSON values exact", () => {
    expect(inert("a\x1b[31mb\x07c\nd\re\tf\u009bg\u202eh\u2028")).toBe("a\\x1b[31mb\\x07c\\nd\\re\\tf\\x9bg\\u202eh\\u2028");
    expect(inertKeepingWidth("a\x1b\tb\u202e")).toBe("a?\tb?");
    const value = { s: "x\x1b\u009b\u2028\u202e\x7f" };
    const json = inertJson(JSON.stringify(value));
    expect(json).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe.skipIf(!built)("inert output through the CLI", () => {
  it("Terraform strings and file names with ESC, BEL, CR, LF and bidi controls, in every format", () => {
    const evilName = `app\\u001b[2J\\u0007\\r\\n${FORGED}\\u202e`;
    const dir = treeWithGood({
      "bad/main.tf": `resource "aws_secretsmanager_secret" "x" {\n  name                    = "${evilName}"\n  recovery_window_in_days = 0\n}\n`,
    });
    // A directory whose name forges a line and carries an escape sequence.
    const FORGED_NAME = FORGED.replace("/", "-");
    const evilDir = path.join(dir, `d\x1b]0;owned\x07\n${FORGED_NAME}`);
    fs.mkdirSync(evilDir);
    fs.writeFileSync(path.join(evilDir, "main.tf"), 'resource "aws_secretsmanager_secret" "y" {\n  name = "y"\n  recovery_window_in_days = 0\n}\n');
    for (const format of FORMATS) {
      const r = runCli(["scan", ".", "-f", format], { cwd: dir });
      expect(r.timedOut).toBe(false);
      expect(r.code, `${format}: ${r.stderr}`).toBe(1);
      expect(r.stdout, format).not.toMatch(RAW_CONTROL);
      expect(r.stderr, format).not.toMatch(RAW_CONTROL);
      // No output line is the forged finding.
      for (const line of r.stdout.split("\n")) {
        expect(line.trimStart().startsWith(FORGED), `${format}: ${line}`).toBe(false);
        expect(line.trimStart().startsWith(FORGED_NAME), `${format}: ${line}`).toBe(false);
      }
      if (format === "json") {
        // The exact text survives, escaped by JSON's rules.
        const findings = jsonFindings(r.stdout);
        expect(findings.some((f) => f.message.includes("app\x1b[2J\x07\r\n" + FORGED + "\u202e"))).toBe(true);
        expect(findings.some((f) => f.file?.includes(`d\x1b]0;owned\x07\n${FORGED_NAME}`))).toBe(true);
      }
    }
    const github = runCli(["scan", ".", "-f", "github"], { cwd: dir }).stdout;
    expect(github.split("\n").filter((l) => l.startsWith("::")).length).toBe(github.trim().split("\n").length);
  });

  it("live secret names and tag values from a snapshot, in every format", () => {
    const example = JSON.parse(fs.readFileSync(path.join(projectDir, "fixtures/snapshots/example/snapshot.json"), "utf8"));
    const s = example.secrets[0];
    s.name = `${s.name}\x1b[31m\n${FORGED}`;
    s.arn = `${s.arn}\x1b]8;;http://evil\x07`;
    for (const k of Object.keys(s.tags)) s.tags[k] = `${s.tags[k]}\x1b[5m\u009b2J\n${FORGED}`;
    const dir = tempTree({ "snap.json": JSON.stringify(example) });
    for (const format of FORMATS) {
      const r = runCli(["audit", "--snapshot", "snap.json", "-f", format], { cwd: dir });
      expect(r.timedOut).toBe(false);
      expect([0, 1]).toContain(r.code);
      expect(r.stdout, format).not.toMatch(RAW_CONTROL);
      expect(r.stderr, format).not.toMatch(RAW_CONTROL);
      for (const line of r.stdout.split("\n")) expect(line.trimStart().startsWith(FORGED), `${format}: ${line}`).toBe(false);
    }
  });

  it("error lines and notices on stderr are inert", () => {
    const dir = tempTree();
    const r = runCli(["scan", `missing\x1b[2J\n${FORGED}`], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    const o = runCli(["scan", ".", "--only", `x\x1b[2J\n${FORGED}`], { cwd: dir });
    expect(o.stderr).not.toMatch(RAW_CONTROL);
  });

  it("the canary in the environment appears in no format, no notice and no inventory dump", () => {
    const CANARY = "CANARY-ENV-5f0c8e1d";
    const dir = treeWithGood({
      "sym/main.tf": [
        'resource "aws_secretsmanager_secret" "db" {',
        '  name = "app/db"',
        '  tags = { SymEnv = file("/proc/self/environ"), Passwd = templatefile("/etc/passwd", {}) }',
        "}",
        'resource "sym_secret" "db" {',
        "  path = aws_secretsmanager_secret.db.name",
        "  source_id = sym_secrets.this.id",
        "}",
        'resource "sym_secrets" "this" {',
        '  type = "aws_secrets_manager"',
        '  name = "s"',
        "}",
        "",
      ].join("\n"),
    });
    const env = { SECRETLINT_TEST_CANARY: CANARY };
    const outputs: string[] = [];
    for (const format of FORMATS) {
      const r = runCli(["scan", ".", "-f", format], { cwd: dir, env });
      expect(r.timedOut).toBe(false);
      outputs.push(r.stdout, r.stderr);
    }
    const dump = runCli(["scan", ".", "--dump-inventory"], { cwd: dir, env });
    outputs.push(dump.stdout, dump.stderr);
    const all = outputs.join("\n");
    expect(all).not.toContain(CANARY);
    expect(all).not.toMatch(/root:x:0:0/);
    // It did try, and said so without the content.
    expect(all).toMatch(/file\("\/proc\/self\/environ"\) did not read it/);
  });
});
