// The command line through the built binary (`npm test` builds first): exit codes, one-line
// errors, formats.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { buildCliWith } from "../helpers/faulty-cli.js";
import { flatText } from "../helpers/text.js";

const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin", "secretlint.js");
const built = fs.existsSync(path.join(root, "dist", "cli.js"));

function run(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-cli-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const CLEAN = 'resource "aws_secretsmanager_secret" "a" {\n  name = "app/db"\n  recovery_window_in_days = 7\n}\n';
const WARNING_ONLY = 'resource "aws_secretsmanager_secret" "a" {\n  name = "app/db"\n  recovery_window_in_days = 0\n}\n';

if (!built) console.warn("CLI tests skipped: dist/ is missing; run `npm run build` (npm test does it)");

describe.skipIf(!built)("secretlint binary", () => {
  it("prints its version", () => {
    const r = run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("starts a scan without the built-in modules only some runs use (start-up time)", () => {
    // Node lists the built-in modules it loaded in process.moduleLoadList (not a public API:
    // when it is missing, the check cannot be made and says so).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-cli-builtins-"));
    const preload = path.join(dir, "list-builtins.mjs");
    const out = path.join(dir, "builtins.json");
    fs.writeFileSync(preload, `import fs from "node:fs";\nprocess.on("exit", () => fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList ?? null)));\n`);
    // Output to a file: a pipe is a socket to Node, which loads `net` for it.
    const outputFd = fs.openSync(path.join(dir, "output"), "w");
    const r = spawnSync(process.execPath, ["--import", pathToFileURL(preload).href, bin, "scan", "fixtures/examples/quickstart", "-f", "sarif"], { cwd: root, stdio: ["ignore", outputFd, outputFd] });
    fs.closeSync(outputFd);
    expect(r.status).toBe(1);
    const loaded = JSON.parse(fs.readFileSync(out, "utf8")) as string[] | null;
    if (!loaded) {
      console.warn("built-in module check skipped: this Node has no process.moduleLoadList");
      return;
    }
    const builtins = loaded.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice("NativeModule ".length));
    expect(builtins).toContain("fs"); // the list is what it is taken to be
    for (const name of ["child_process", "net", "readline/promises", "dgram"]) expect(builtins, name).not.toContain(name);
  });

  it("names itself as the user typed it: `secretlint-aws` (the second binary npm links) in usage and examples", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-cli-name-"));
    const link = path.join(dir, "secretlint-aws"); // as npm links a package's `bin` entries
    fs.symlinkSync(bin, link);
    const r = spawnSync(process.execPath, [link, "scan", "--help"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: secretlint-aws scan /);
    expect(r.stdout).toMatch(/^ {2}secretlint-aws scan infra\/ /m);
    expect(r.stdout).not.toMatch(/^ {2}secretlint scan /m);
    expect(run(["scan", "--help"]).stdout).toMatch(/^Usage: secretlint scan /);
  });

  it("exits 0 on a clean tree, 1 on findings at or above --fail-on", () => {
    expect(run(["scan", tmpDir({ "main.tf": CLEAN })]).code).toBe(0);
    const dir = tmpDir({ "main.tf": WARNING_ONLY });
    expect(run(["scan", dir]).code).toBe(1); // default --fail-on warning
    expect(run(["scan", dir, "--fail-on", "error"]).code).toBe(0);
    expect(run(["scan", dir, "--fail-on", "never"]).code).toBe(0);
    expect(run(["scan", dir, "--disable", "secret/immediate-deletion"]).code).toBe(0);
    expect(run(["scan", dir, "--rule", "secret/immediate-deletion=error", "--fail-on", "error"]).code).toBe(1);
  });

  it("exits 1 on the quick-start example and names each finding's place", () => {
    const r = run(["scan", "fixtures/examples/quickstart"]);
    expect(r.code).toBe(1);
    expect(flatText(r.stdout)).toContain("fixtures/examples/quickstart/main.tf:45:3  error");
    expect(r.stdout).toContain("secret/hardcoded-value");
    expect(r.stdout).toContain("sym/symenv-tag-missing");
    expect(r.stdout).toContain("iam/secret-read-wildcard");
    // The hard-coded value itself is never printed.
    expect(r.stdout).not.toContain("fake-token-not-a-real-secret");
  });

  it("gives one clear line and exit 2 for a missing path, an unknown rule id, an invalid config", () => {
    const missing = run(["scan", "no/such/dir"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/no\/such\/dir: no such file or directory/);

    const unknownRule = run(["scan", tmpDir({ "main.tf": CLEAN }), "--rule", "sym/nope"]);
    expect(unknownRule.code).toBe(2);
    expect(unknownRule.stderr.trim().split("\n")).toHaveLength(1);
    expect(unknownRule.stderr).toMatch(/unknown rule id `sym\/nope`/);

    const badConfig = tmpDir({ "main.tf": CLEAN, "secretlint.config.yaml": "rules:\n  iam/wildcard-action: loud\n" });
    const r = run(["scan", badConfig]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/secretlint\.config\.yaml:2: `rules\.iam\/wildcard-action` must be one of/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("writes the same findings in json, sarif, github and text formats", () => {
    const dir = "fixtures/examples/quickstart";
    const json = JSON.parse(run(["scan", dir, "-f", "json"]).stdout).findings as Array<{ ruleId: string; line: number }>;
    const sarif = JSON.parse(run(["scan", dir, "-f", "sarif"]).stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }> }> };
    const github = run(["scan", dir, "-f", "github"]).stdout.trim().split("\n").filter((l) => l.startsWith("::") && l.includes(" file="));
    const fromJson = json.map((f) => `${f.ruleId}:${f.line}`).sort();
    const fromSarif = sarif.runs[0].results.map((r) => `${r.ruleId}:${r.locations[0].physicalLocation.region.startLine}`).sort();
    const fromGithub = github.map((l) => `${/title=([^:]+)::/.exec(l)![1]}:${/line=(\d+)/.exec(l)![1]}`).sort();
    // text: `path:line:col  level  message  rule-id` lines once the layout is read back (test/helpers/text.ts).
    const text = flatText(run(["scan", dir, "-f", "text", "--no-color"]).stdout).split("\n").filter((l) => /^\S+:\d+:\d+ {2}(error|warning|note) {2}/.test(l));
    const fromText = text.map((l) => `${l.trim().split(/\s+/).pop()}:${/^[^:]+:(\d+):/.exec(l)![1]}`).sort();
    expect(fromJson.length).toBe(3);
    expect(fromSarif).toEqual(fromJson);
    expect(fromGithub).toEqual(fromJson);
    expect(fromText).toEqual(fromJson);
  });

  it("sets the SARIF category with --sarif-category, in -f sarif and --sarif-file, for scan and audit", () => {
    const id = (stdout: string) => (JSON.parse(stdout) as { runs: Array<{ automationDetails: { id: string } }> }).runs[0].automationDetails.id;
    const dir = "fixtures/examples/quickstart";
    expect(id(run(["scan", dir, "-f", "sarif"]).stdout)).toBe("scan/secretlint/");
    // Two uploads in one repository (a matrix, a monorepo) keep their alerts apart.
    expect(id(run(["scan", dir, "-f", "sarif", "--sarif-category", "secretlint-infra"]).stdout)).toBe("secretlint-infra/");
    expect(id(run(["scan", dir, "-f", "sarif", "--sarif-category", "secretlint-apps"]).stdout)).toBe("secretlint-apps/");
    const out = path.join(tmpDir({}), "out.sarif");
    expect(run(["scan", dir, "-f", "json", "--sarif-file", out, "--sarif-category", "infra/prod"]).code).toBe(1);
    expect(id(fs.readFileSync(out, "utf8"))).toBe("infra/prod/");
    const audit = run(["audit", "--snapshot", "fixtures/snapshots/example/snapshot.json", "-f", "sarif", "--sarif-category", "prod-account"]);
    expect(id(audit.stdout)).toBe("prod-account/");
    const empty = run(["scan", dir, "-f", "sarif", "--sarif-category", "/"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^secretlint: --sarif-category "\/": give a name/);
  });

  it("writes a baseline and hides its findings", () => {
    const dir = tmpDir({ "main.tf": WARNING_ONLY });
    const baseline = path.join(dir, "baseline.json");
    const written = run(["scan", dir, "--write-baseline", baseline]);
    expect(written.code).toBe(0);
    expect(written.stderr).toContain(`wrote 1 finding to ${baseline}`);
    expect(run(["scan", dir, "--baseline", baseline]).code).toBe(0);
  });

  it("honours suppression comments", () => {
    const dir = tmpDir({
      "main.tf": 'resource "aws_secretsmanager_secret" "a" {\n  name = "app/db"\n  # secretlint:ignore secret/immediate-deletion -- scratch account\n  recovery_window_in_days = 0\n}\n',
    });
    expect(run(["scan", dir]).code).toBe(0);
    const r = run(["scan", dir, "--include-suppressed", "-f", "json"]);
    expect(JSON.parse(r.stdout).findings).toHaveLength(1);
  });

  it("lists and explains rules; rejects an unknown one", () => {
    const list = run(["rules"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("sym/symenv-tag-missing");
    const explain = run(["explain", "iam/secret-read-wildcard"]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toMatch(/Bad\n[\s\S]*Good\n/);
    expect(run(["explain", "nope/nope"]).code).toBe(2);
  });

  it("init writes a starter config that scan accepts", () => {
    const dir = tmpDir({ "main.tf": CLEAN });
    expect(run(["init"], dir).code).toBe(0);
    expect(fs.existsSync(path.join(dir, "secretlint.config.yaml"))).toBe(true);
    expect(run(["init"], dir).code).toBe(2); // refuses to overwrite
    expect(run(["scan", "."], dir).code).toBe(0);
  });

  it("scans a Terraform plan (JSON), placing findings at their .tf declarations", () => {
    const r = run(["scan", "fixtures/terraform/plan-basic/plan.json", "-f", "json"]);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as Array<{ ruleId: string; file: string }>;
    expect(findings.map((f) => f.ruleId).sort()).toEqual(["iam/secret-read-wildcard", "secret/hardcoded-value"]);
    expect(findings.every((f) => f.file === "fixtures/terraform/plan-basic/main.tf")).toBe(true);
    const notPlan = tmpDir({ "x.json": '{"x": 1}' });
    const bad = run(["scan", path.join(notPlan, "x.json")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/x\.json: not a Terraform plan/);
  });

  it("says once what was not read (module calls not downloaded), in every format; -q keeps quiet about it; the run is not partial", () => {
    const dir = tmpDir({ "main.tf": `module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\nmodule "kms" {\n  source = "git::https://github.com/acme/kms.git"\n}\n` });
    const note = /2 module calls to registry or git sources were not read, as they are not downloaded \(main\.tf:1 `terraform-aws-modules\/vpc\/aws`, main\.tf:4 `git::https:\/\/github\.com\/acme\/kms\.git`\).*run `terraform init` in the root modules before the scan to include them/;
    const text = run(["scan", "."], dir);
    expect(text.code).toBe(0);
    expect(flatText(text.stdout)).toMatch(note);
    expect(text.stdout.match(/module calls to registry/g)).toHaveLength(1);
    const json = run(["scan", ".", "--format", "json"], dir);
    expect(json.code).toBe(0);
    expect(json.stderr).toMatch(note);
    expect((JSON.parse(json.stdout).notifications as Array<{ level: string; message: string }>).map((n) => [n.level, n.message])).toEqual([["note", expect.stringMatching(note)]]);
    const sarif = run(["scan", ".", "--format", "sarif"], dir);
    const inv = JSON.parse(sarif.stdout).runs[0].invocations[0];
    expect(inv.executionSuccessful).toBe(true);
    expect(inv.toolExecutionNotifications.map((n: { level: string; message: { text: string } }) => [n.level, n.message.text])).toEqual([["note", expect.stringMatching(note)]]);
    const quiet = run(["scan", ".", "-q"], dir);
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, "", ""]);
  });

  it("leaves out a module whose evaluation fails, names it in every format, exits 2 unless --allow-partial", async () => {
    const dir = tmpDir({
      "crash/main.tf": 'provider "aws" {\n  region = "us-east-1"\n}\n' + WARNING_ONLY.replace("app/db", "crash/db"),
      "planted/main.tf": WARNING_ONLY,
    });
    const faultyCli = await buildCliWith(path.join(root, "test", "helpers", "inject-module-fault.ts"));
    const runFaulty = (args: string[]) => {
      const r = spawnSync(process.execPath, [faultyCli, ...args], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", SECRETLINT_TEST_FAULT_DIR: "crash" },
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const notice = /module crash was left out: an internal error while evaluating it \(TypeError: Cannot read properties of undefined \(reading 'has'\)\); every other module was scanned/;
    const text = runFaulty(["scan", "."]);
    expect(text.code).toBe(2);
    expect(flatText(text.stdout)).toContain("planted/main.tf:3:3  warning");
    expect(text.stdout).not.toContain("crash/main.tf");
    expect(flatText(text.stdout)).toMatch(notice);
    expect(text.stderr).toContain("the scan is partial");
    const json = runFaulty(["scan", ".", "--format", "json"]);
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stdout).findings as Array<{ file: string }>).map((f) => f.file)).toEqual(["planted/main.tf"]);
    expect(json.stderr).toMatch(notice);
    expect((JSON.parse(json.stdout).notifications as Array<{ level: string; message: string }>).some((n) => n.level === "error" && notice.test(n.message))).toBe(true);
    const sarif = runFaulty(["scan", ".", "--format", "sarif"]);
    expect(sarif.code).toBe(2);
    const inv = JSON.parse(sarif.stdout).runs[0].invocations[0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.exitCode).toBe(2);
    expect(inv.toolExecutionNotifications[0].message.text).toMatch(notice);
    expect(runFaulty(["scan", ".", "--allow-partial"]).code).toBe(1);
    expect(runFaulty(["scan", ".", "--allow-partial", "--disable", "secret/immediate-deletion"]).code).toBe(0);
    // Without the fault, the same tree is complete.
    expect(run(["scan", "."], dir).code).toBe(1);
  });

  it("dumps the inventory without secret values", () => {
    const r = run(["scan", "fixtures/examples/quickstart", "--dump-inventory"]);
    expect(r.code).toBe(0);
    const dump = JSON.parse(r.stdout) as { secrets: unknown[] };
    expect(dump.secrets.length).toBeGreaterThan(0);
    expect(r.stdout).not.toContain("fake-token-not-a-real-secret");
  });
});
