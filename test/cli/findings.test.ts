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
import { flatText } from "../helpers/text.js";

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
    const findings = JSON.parse(r.stdout).findings;
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
    expect(flatText(r.stdout) + r.stderr).toContain("baseline.json is a baseline of the first format (version 1): it hid 1 of its 1 findings");
    expect(flatText(r.stdout) + r.stderr).toContain("--baseline baseline.json --write-baseline baseline.json");

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
    const findings: Array<{ ruleId: string; line: number; level: string; message: string }> = out.findings;
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
    const offFindings: Array<{ line: number }> = JSON.parse(off.stdout).findings;
    expect(offFindings.map((f) => f.line)).toEqual([6, 6]);
  });

  it("the reason is carried into SARIF suppressions[].justification and the JSON", () => {
    const dir = tmpDir({ "main.tf": SUPPRESSED });
    const sarif = JSON.parse(run(["scan", dir, "-f", "sarif", "--include-suppressed"]).stdout);
    const suppressed = sarif.runs[0].results.filter((x: { suppressions?: unknown }) => x.suppressions);
    expect(suppressed.map((x: { suppressions: unknown }) => x.suppressions)).toEqual([[{ kind: "inSource", justification: "scratch account, deleted nightly" }]]);
    const json = JSON.parse(run(["scan", dir, "-f", "json", "--include-suppressed"]).stdout);
    const jf = json.findings.find((x: { suppressed?: boolean }) => x.suppressed);
    expect(jf.suppression).toEqual({ kind: "inSource", justification: "scratch account, deleted nightly" });
  });
});

describe.skipIf(!built)("the command line's habits", () => {
  const quickstart = "fixtures/examples/quickstart";
  const ids = (stdout: string) => (JSON.parse(stdout).findings as Array<{ ruleId: string }>).map((f) => f.ruleId).sort();

  it("--only, and families (sym/*) wherever a rule id is accepted: --only, --disable, --rule, the configuration", () => {
    expect(ids(run(["scan", quickstart, "-f", "json", "--only", "sym/*"]).stdout)).toEqual(["sym/symenv-tag-missing"]);
    expect(ids(run(["scan", quickstart, "-f", "json", "--only", "sym/*,iam/secret-read-wildcard"]).stdout)).toEqual(["iam/secret-read-wildcard", "sym/symenv-tag-missing"]);
    expect(ids(run(["scan", quickstart, "-f", "json", "--disable", "sym/*"]).stdout)).toEqual(["iam/secret-read-wildcard", "secret/hardcoded-value"]);
    const levels = JSON.parse(run(["scan", quickstart, "-f", "json", "--rule", "sym/*=off", "--rule", "iam/*=note", "--rule", "iam/secret-read-wildcard=warning"]).stdout).findings as Array<{ ruleId: string; level: string }>;
    expect(levels.map((f) => `${f.ruleId} ${f.level}`).sort()).toEqual(["iam/secret-read-wildcard warning", "secret/hardcoded-value error"]);
    const dir = tmpDir({ "main.tf": fs.readFileSync(path.join(root, quickstart, "main.tf"), "utf8"), "secretlint.config.yaml": "rules:\n  sym/*: off\n  iam/*: off\n  iam/secret-read-wildcard: warning\n" });
    const configured = JSON.parse(run(["scan", dir, "-f", "json"]).stdout).findings as Array<{ ruleId: string; level: string }>;
    expect(configured.map((f) => `${f.ruleId} ${f.level}`).sort()).toEqual(["iam/secret-read-wildcard warning", "secret/hardcoded-value error"]);
  });

  it("--rule is described for what it does, and an unknown id or family gets a suggestion", () => {
    expect(run(["scan", "--help"]).stdout.replace(/\s+/g, " ")).toContain("--rule <id=level> set a rule's (or family's) level: error, warning, note or off");
    const typo = run(["scan", quickstart, "--rule", "sym/secret-nt-found=off"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("secretlint: --rule sym/secret-nt-found=off: unknown rule id `sym/secret-nt-found`; did you mean `sym/secret-not-found`?\n");
    expect(run(["scan", quickstart, "--only", "symm/*"]).stderr).toContain("no rule family `symm/*`; did you mean `sym/*`?");
    expect(run(["explain", "iam/wildcard-actoin"]).stderr).toContain("did you mean `iam/wildcard-action`?");
  });

  it("--format compact: one line per finding, file:line:col: level rule message", () => {
    const r = run(["scan", quickstart, "-f", "compact"]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.slice(0, 3).map((l) => l.replace(/ [A-Z`].*$/, ""))).toEqual([
      "fixtures/examples/quickstart/main.tf:45:3: error secret/hardcoded-value",
      "fixtures/examples/quickstart/main.tf:58:3: error sym/symenv-tag-missing",
      "fixtures/examples/quickstart/main.tf:84:18: error iam/secret-read-wildcard",
    ]);
    // The tool's notes would come here (none: the quick start's Sym registry modules are read through their built-in models), then the summary.
    expect(lines.slice(3, -1)).toEqual([]);
    expect(lines[lines.length - 1]).toBe("3 errors, 0 warnings, 0 notes in 1 file (1 module).");
  });

  it("several reports in one run: each --output writes the --format before it", () => {
    const dir = tmpDir({});
    const sarif = path.join(dir, "x.sarif");
    const json = path.join(dir, "x.json");
    const r = run(["scan", quickstart, "--format", "sarif", "--output", sarif, "--format", "text", "-f", "json", "-o", json]);
    expect(r.code).toBe(1);
    expect(JSON.parse(fs.readFileSync(sarif, "utf8")).runs[0].results).toHaveLength(3);
    expect(JSON.parse(fs.readFileSync(json, "utf8")).findings).toHaveLength(3);
    expect(r.stdout).toContain("fixtures/examples/quickstart/main.tf");
    expect(r.stdout).toContain("3 errors, 0 warnings, 0 notes");
    // An --output before its --format still pairs with it.
    const alone = path.join(dir, "y.json");
    expect(run(["scan", quickstart, "-o", alone, "-f", "json"]).stdout).toBe("");
    expect(JSON.parse(fs.readFileSync(alone, "utf8")).version).toBe(2);
    const extra = run(["scan", quickstart, "-f", "json", "-o", alone, "-o", sarif]);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain(`--output ${sarif}: no --format left for it`);
  });

  it("environment variables for the common options; the command line wins", () => {
    expect(ids(run(["scan", quickstart], root, { SECRETLINT_FORMAT: "json", SECRETLINT_ONLY: "sym/*" }).stdout)).toEqual(["sym/symenv-tag-missing"]);
    expect(run(["scan", quickstart, "-f", "compact"], root, { SECRETLINT_FORMAT: "json" }).stdout).toMatch(/^fixtures\/examples\/quickstart\/main\.tf:45:3: error/);
    expect(run(["scan", quickstart], root, { SECRETLINT_FAIL_ON: "never" }).code).toBe(0);
    expect(run(["scan", "--help"]).stdout).toContain("SECRETLINT_FORMAT");
  });

  it("colour: FORCE_COLOR and --color force it, NO_COLOR and --no-color turn it off", () => {
    const ansi = /\x1b\[/;
    expect(run(["scan", quickstart]).stdout).not.toMatch(ansi); // not a terminal
    expect(run(["scan", quickstart], root, { NO_COLOR: undefined, FORCE_COLOR: "1" }).stdout).toMatch(ansi);
    expect(run(["scan", quickstart, "--color"]).stdout).toMatch(ansi);
    expect(run(["scan", quickstart, "--no-color"], root, { NO_COLOR: undefined, FORCE_COLOR: "1" }).stdout).not.toMatch(ansi);
    expect(run(["scan", quickstart], root, { NO_COLOR: undefined, FORCE_COLOR: "0" }).stdout).not.toMatch(ansi);
  });

  it("help lists --debug, the exit codes and examples", () => {
    for (const command of ["scan", "audit"]) {
      const help = run([command, "--help"]).stdout;
      expect(help).toContain("--debug");
      expect(help).toMatch(/Exit codes:\n {2}0 {2}no finding at or above --fail-on\n {2}1 {2}findings at or above --fail-on\n {2}2 /);
      expect(help).toContain("Examples:\n  secretlint " + command);
    }
  });

  it("configuration errors give the file, the line and the closest key or rule id", () => {
    const yaml = tmpDir({ "main.tf": "", "secretlint.config.yaml": "# rules for this repository\nrulez:\n  sym/secret-not-found: warning\n" });
    expect(run(["scan", yaml]).stderr).toBe(`secretlint: ${path.join(yaml, "secretlint.config.yaml")}:2: unknown key \`rulez\` in the top level; did you mean \`rules\`?\n`);
    const nested = tmpDir({ "main.tf": "", "secretlint.config.yaml": "sym:\n  tagname: Env\n" });
    expect(run(["scan", nested]).stderr).toContain("secretlint.config.yaml:2: unknown key `tagname` in `sym`; did you mean `tagName`?");
    const ruleTypo = tmpDir({ "main.tf": "", "secretlint.config.yaml": "rules:\n  iam/not-action-allow: off\n  sym/secret-nt-found: off\n" });
    expect(run(["scan", ruleTypo]).stderr).toContain("secretlint.config.yaml:3: unknown rule id `sym/secret-nt-found` under `rules`; did you mean `sym/secret-not-found`?");
    const json = tmpDir({ "main.tf": "", "secretlint.config.json": '{\n  "failOn": "error",\n  "exclud": ["x/**"]\n}\n' });
    expect(run(["scan", json]).stderr).toContain("secretlint.config.json:3: unknown key `exclud` in the top level; did you mean `exclude`?");
  });

  it("--var is checked against the variable's declared type (and an undeclared one is a warning)", () => {
    const dir = tmpDir({ "main.tf": 'variable "window" {\n  type = number\n}\nvariable "names" {\n  type = list(string)\n}\n' });
    const bad = run(["scan", ".", "--var", "window=abc"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("secretlint: --var window: `var.window` is declared as a number (main.tf:1), and the value given is not one; for example --var 'window=30'\n");
    expect(run(["scan", dir, "--var", "names=a,b"]).stderr).toContain("`var.names` is declared as a list");
    expect(run(["scan", dir, "--var", "window=7", "--var", 'names=["a"]']).code).toBe(0);
    const undeclared = run(["scan", dir, "--var", "windw=7", "-f", "json"]);
    expect(undeclared.code).toBe(0);
    expect(JSON.parse(undeclared.stdout).notifications).toEqual([
      { level: "warning", message: "--var windw: no root module of the scan declares a variable `windw`; did you mean `window`?; it was ignored" },
    ]);
  });
});

describe.skipIf(!built)("the text layout, readable at 100 columns", () => {
  const quickstart = path.join(root, "fixtures", "examples", "quickstart");
  const lines = (text: string) => text.replace(/\n$/, "").split("\n");

  it("the path once per file, then per finding a short header (place, level, rule) and the message under it", () => {
    const r = run(["scan", "fixtures/examples/quickstart"]);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    expect(out.filter((l) => l.includes("fixtures/examples/quickstart/main.tf") && !l.startsWith(" "))).toEqual(["fixtures/examples/quickstart/main.tf"]);
    expect(out.filter((l) => /^ {2}\S/.test(l))).toEqual(["  45:3  error  secret/hardcoded-value", "  58:3  error  sym/symenv-tag-missing", "  84:18  error  iam/secret-read-wildcard"]);
    expect(out[out.indexOf("  45:3  error  secret/hardcoded-value") + 1]).toBe("    `secret_string` of the version of secret `sym/main/okta-bot` is a literal written in the");
  });

  it("every line fits in 100 columns, wrapped on word boundaries (a single word longer than a line stands alone)", () => {
    for (const args of [["scan", "fixtures/examples/quickstart"], ["scan", "fixtures/examples/quickstart", "--color"]]) {
      const r = run(args);
      // eslint-disable-next-line no-control-regex
      const out = lines(r.stdout.replace(/\x1b\[\d+m/g, ""));
      for (const l of out) if (l.length > 100) expect(l.trim(), l).toMatch(/^\S+$/);
      // Nothing cut inside a word: the wrapped message reads back whole.
      expect(flatText(r.stdout)).toContain(
        "main.tf:58:3  error  Secret aws_secretsmanager_secret.pagerduty (\"sym/main/pagerduty-token\") is read by sym_secret.pagerduty_token (fixtures/examples/quickstart/main.tf:63) but has no `SymEnv` tag: the Sym runtime's IAM policy only allows reading secrets tagged `SymEnv` = <environment>, so the read fails with AccessDenied. Add the tag.  sym/symenv-tag-missing",
      );
    }
    // Colour changes nothing but the colour.
    // eslint-disable-next-line no-control-regex
    expect(run(["scan", "fixtures/examples/quickstart", "--color"]).stdout.replace(/\x1b\[\d+m/g, "")).toBe(run(["scan", "fixtures/examples/quickstart"]).stdout);
  });

  it("carets on the first line of a multi-line range only; a heredoc's closing marker shown, its body masked", () => {
    const out = run(["scan", "fixtures/examples/quickstart"]).stdout;
    expect(out).toContain(["    84 |     Statement = [{", "       |                  ^", "    85 |       Effect   = \"Allow\"", "    86 |"].join("\n"));
    expect(out).toContain(["    45 |   secret_string = <<-EOT", "       |   ^^^^^^^^^^^^^^^^^^^^^^", '    46 |     {"****": "****", "****": "****"}', "    47 |   EOT\n"].join("\n"));
    expect(out).not.toContain("fake-token-not-a-real-secret");
  });

  it("the README's text example is the output of the run it names", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const at = readme.indexOf("example (`./bin/secretlint.js scan fixtures/examples/quickstart`):\n\n  ```\n");
    expect(at, "the README's text example is where this test looks for it").toBeGreaterThan(0);
    const start = readme.indexOf("```\n", at) + 4;
    const block = readme.slice(start, readme.indexOf("  ```\n", start));
    const shown = block.split("\n").map((l) => l.replace(/^ {2}/, "")).join("\n");
    // When a message or the layout changes, paste the new output into the README.
    expect(shown).toBe(run(["scan", "fixtures/examples/quickstart"]).stdout);
  });

  it("paths relative to the working directory inside it, absolute outside it", () => {
    const elsewhere = tmpDir({});
    const relative = path.relative(elsewhere, quickstart);
    expect(relative.startsWith("..")).toBe(true);
    for (const target of [quickstart, relative]) {
      const r = run(["scan", target], elsewhere);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain("../");
      expect(lines(r.stdout)[0]).toBe(path.join(quickstart, "main.tf"));
      // Places rules and notices write into their messages too.
      expect(flatText(r.stdout)).toContain(`read by sym_secret.pagerduty_token (${path.join(quickstart, "main.tf")}:63)`);
      expect(run(["scan", target, "-f", "compact"], elsewhere).stdout).toContain(`${path.join(quickstart, "main.tf")}:45:3: error secret/hardcoded-value`);
    }
    // A notice's places (a module call not downloaded).
    const infra = tmpDir({ "main.tf": `module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n` + VERSION("db") });
    for (const target of [infra, path.relative(elsewhere, infra)]) {
      const r = run(["scan", target], elsewhere);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain("../");
      expect(flatText(r.stdout)).toContain(`1 module call to registry or git sources was not read, as it is not downloaded (${path.join(infra, "main.tf")}:1 \`terraform-aws-modules/vpc/aws\`)`);
      expect(run(["scan", target, "-f", "compact"], elsewhere).stdout).toContain(`(${path.join(infra, "main.tf")}:1 \``);
    }
    // Inside: relative, from wherever inside.
    expect(lines(run(["scan", "."], quickstart).stdout)[0]).toBe("main.tf");
    expect(lines(run(["scan", "quickstart"], path.dirname(quickstart)).stdout)[0]).toBe("quickstart/main.tf");
  });
});

describe.skipIf(!built)("errors", () => {
  it("a closed pipe ends quietly: `secretlint rules | head -1`", async () => {
    const { spawn } = await import("node:child_process");
    for (const args of [["rules"], ["scan", "fixtures/examples/quickstart", "-f", "json"]]) {
      const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
      // The reader goes away before the tool writes anything: every write meets a closed pipe (EPIPE).
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
      // No stack trace, no EPIPE (the scan's own notes on stderr may be there).
      expect(stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
      expect(code).toBe(args[0] === "rules" ? 0 : 1); // the run's own exit code, not a crash
    }
  });

  it("through a shell pipe too", () => {
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${bin}" rules | head -1`], { cwd: root, encoding: "utf8" });
    expect(r.stdout).toMatch(/^sym\/symenv-tag-missing /);
    expect(r.stderr).toBe("");
  });
});
