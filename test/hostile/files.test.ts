// Hostile files and trees through the built CLI: each attack sits beside the good module, the
// run must end (a generous process timeout, no timed assertion), exit 0/1/2, keep the good
// module's finding, and say what it skipped. Inputs are made here, at test time.

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_FILE_BYTES } from "../../src/files/read.js";
import { built, canMkfifo, dropToUid, jsonFindings, keptGood, mkfifo, runCli, treeWithGood, writeTree } from "../helpers/hostile.js";
import { flatText } from "../helpers/text.js";

const scan = (dir: string, ...args: string[]) => runCli(["scan", ".", "-f", "json", ...args], { cwd: dir });

/** Checks what every hostile run must show, and returns its findings. */
function survived(r: ReturnType<typeof runCli>) {
  expect(r.timedOut, "the run hung").toBe(false);
  expect(r.stderr).not.toMatch(/internal error|Maximum call stack|at .*\.js:\d+/);
  expect([0, 1, 2]).toContain(r.code);
  expect(keptGood(r.stdout), `good finding lost; stderr: ${r.stderr}`).toBe(true);
  return jsonFindings(r.stdout);
}

const parseErrorsAt = (findings: ReturnType<typeof jsonFindings>, file: string) => findings.filter((f) => f.ruleId === "terraform/parse-error" && f.file === file);

describe.skipIf(!built)("hostile files", () => {
  it.skipIf(!canMkfifo)("FIFOs named like every kind of input are refused, not waited on", () => {
    const dir = treeWithGood({ "bad/main.tf": 'resource "aws_x" "y" {}\n' });
    const names = ["bad/x.tf", "bad/x.tf.json", "bad/terraform.tfvars", "bad/x.auto.tfvars", "apps/.env", "apps/io_config.yml", "apps/docker-compose.yml", "apps/task.py"];
    for (const n of names) mkfifo(path.join(dir, n));
    const r = scan(dir);
    const findings = survived(r);
    for (const n of names) {
      expect(parseErrorsAt(findings, n).map((f) => f.message), n).toEqual([expect.stringMatching(/a FIFO, not a regular file; it was not read/)]);
    }
  });

  it("a link to /dev/zero, /dev/urandom or /proc/self/environ is refused; links to / and /proc are not walked", () => {
    const dir = treeWithGood({ "bad/main.tf": 'resource "aws_x" "y" {}\n' });
    fs.symlinkSync("/dev/zero", path.join(dir, "bad/z.tf"));
    fs.symlinkSync("/dev/urandom", path.join(dir, "bad/u.tf.json"));
    fs.symlinkSync("/proc/self/environ", path.join(dir, "bad/terraform.tfvars"));
    fs.symlinkSync("/", path.join(dir, "machine"));
    fs.symlinkSync("/proc", path.join(dir, "proc"));
    const r = runCli(["scan", ".", "-f", "text"], { cwd: dir });
    expect(r.timedOut).toBe(false);
    expect(flatText(r.stdout)).toMatch(/bad\/z\.tf:1:1\s+error\s+.*file resolves to \/dev\/zero, in a kernel file system; it was not read/);
    expect(flatText(r.stdout)).toMatch(/bad\/u\.tf\.json:1:1\s+error\s+.*file resolves to \/dev\/urandom/);
    expect(flatText(r.stdout)).toMatch(/bad\/terraform\.tfvars:1:1\s+error\s+.*variables file: file resolves to \/proc\//);
    expect(flatText(r.stdout)).toMatch(/machine: a symbolic link to a directory outside the scanned tree \(\/\); not followed/);
    expect(flatText(r.stdout)).toMatch(/proc: a symbolic link to \/proc, in a kernel file system; not followed/);
    survived(scan(dir));
  });

  it("--var-file naming a device, a FIFO or a directory is one line, exit 2", () => {
    const dir = treeWithGood();
    fs.mkdirSync(path.join(dir, "vars"));
    if (canMkfifo) mkfifo(path.join(dir, "fifo.tfvars"));
    for (const [file, message] of [
      ["/dev/zero", /--var-file \/dev\/zero: file resolves to \/dev\/zero, in a kernel file system; give a variables file/],
      ...(canMkfifo ? [["fifo.tfvars", /--var-file fifo\.tfvars: file is a FIFO, not a regular file; give a variables file/] as const] : []),
      ["vars", /--var-file vars: file is a directory, not a regular file; give a variables file/],
    ] as const) {
      const r = runCli(["scan", ".", "--var-file", file], { cwd: dir });
      expect(r.timedOut).toBe(false);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("files over the size limit are reported for every kind, the same way", () => {
    const big = (prefix: string) => Buffer.concat([Buffer.from(prefix), Buffer.alloc(MAX_FILE_BYTES + 1 - prefix.length, 0x20)]);
    const names = ["bad/big.tf", "bad/big.tf.json", "bad/terraform.tfvars", "apps/.env", "apps/io_config.yml", "apps/compose.yml", "apps/task.py"];
    const files: Record<string, Buffer | string> = { "bad/main.tf": 'resource "aws_x" "y" {}\n' };
    for (const n of names) files[n] = big(n.endsWith(".py") ? "from flytekit import Secret\n" : "");
    const dir = treeWithGood(files);
    const findings = survived(scan(dir));
    for (const n of names) {
      expect(parseErrorsAt(findings, n).map((f) => f.message), n).toEqual([expect.stringMatching(/larger than 8 MB \(the size limit\); it was not read/)]);
    }
  });

  it("modules that call each other are each evaluated as a root, with a notice", () => {
    const dir = treeWithGood({
      "a/main.tf": 'module "b" {\n  source = "../b"\n}\nresource "aws_secretsmanager_secret" "a" {\n  name                    = "a"\n  recovery_window_in_days = 0\n}\n',
      "b/main.tf": 'module "a" {\n  source = "../a"\n}\nresource "aws_secretsmanager_secret" "b" {\n  name                    = "b"\n  recovery_window_in_days = 0\n}\n',
    });
    const r = runCli(["scan", ".", "-f", "text"], { cwd: dir });
    expect(r.timedOut).toBe(false);
    expect(flatText(r.stdout)).toMatch(/a\/main\.tf:6:3\s+warning/);
    expect(flatText(r.stdout)).toMatch(/b\/main\.tf:6:3\s+warning/);
    expect(flatText(r.stdout)).toMatch(/modules call each other in a cycle \(a → b → a\), which Terraform rejects; each was evaluated as a root module/);
    survived(scan(dir));
  });

  it("an unreadable directory is a notice and exit 2, or 0/1 with --allow-partial", () => {
    const dir = treeWithGood({ "locked/main.tf": 'resource "aws_x" "y" {}\n', "apps/locked/.env": "A=1\n" });
    fs.chmodSync(path.join(dir, "locked"), 0o000);
    fs.chmodSync(path.join(dir, "apps/locked"), 0o000);
    try {
      const text = runCli(["scan", ".", "-f", "text"], { cwd: dir, uid: dropToUid });
      expect(text.timedOut).toBe(false);
      expect(text.code).toBe(2);
      expect(text.stdout).toMatch(/error\s+locked: cannot read the directory \(EACCES\); its files were not scanned/);
      expect(text.stdout).toMatch(/error\s+apps\/locked: cannot read the directory \(EACCES\)/);
      expect(text.stderr).toMatch(/the scan is partial .* exit 2 \(pass --allow-partial/);
      const json = runCli(["scan", ".", "-f", "json"], { cwd: dir, uid: dropToUid });
      expect(json.code).toBe(2);
      expect(keptGood(json.stdout)).toBe(true);
      expect(json.stderr).toMatch(/locked: cannot read the directory/);
      const sarif = runCli(["scan", ".", "-f", "sarif"], { cwd: dir, uid: dropToUid });
      const run = JSON.parse(sarif.stdout).runs[0];
      expect(run.invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text)).toContain("locked: cannot read the directory (EACCES); its files were not scanned");
      const allowed = runCli(["scan", ".", "-f", "json", "--allow-partial"], { cwd: dir, uid: dropToUid });
      expect(allowed.code).toBe(1);
      survived(allowed);
    } finally {
      fs.chmodSync(path.join(dir, "locked"), 0o755);
      fs.chmodSync(path.join(dir, "apps/locked"), 0o755);
    }
  });

  it("file functions read nothing outside the tree or from special files, and say so without the content", () => {
    const outside = treeWithGood({ "secret.txt": "CANARY-OUTSIDE-4242" });
    const dir = treeWithGood({
      "bad/main.tf": [
        'resource "aws_secretsmanager_secret" "x" {',
        '  name = "x"',
        "  tags = {",
        '    SymEnv = file("/proc/self/environ")',
        `    Other  = file("${path.join(outside, "secret.txt")}")`,
        '    Passwd = templatefile("/etc/passwd", {})',
        '    Hash   = filesha256("/dev/urandom")',
        '    Exists = fileexists("/etc/passwd") ? "yes" : "no"',
        "  }",
        "}",
        'resource "sym_secret" "s" {',
        "  path = aws_secretsmanager_secret.x.name",
        "}",
        "",
      ].join("\n"),
      "bad/inside.txt": "inside",
    });
    const r = runCli(["scan", ".", "-f", "text"], { cwd: dir, env: { SECRETLINT_CANARY: "CANARY-ENV-9876" } });
    expect(r.timedOut).toBe(false);
    expect(r.stdout + r.stderr).not.toMatch(/CANARY|root:x:0:0/);
    expect(flatText(r.stdout)).toMatch(/file\("\/proc\/self\/environ"\) did not read it: file resolves to \/proc\/\d+\/environ, in a kernel file system; its value is unknown/);
    expect(flatText(r.stdout)).toMatch(/file\(".*secret\.txt"\) did not read it: file resolves outside the scanned tree/);
    expect(flatText(r.stdout)).toMatch(/templatefile\("\/etc\/passwd"\) did not read it: file resolves outside the scanned tree \(to \/etc\/passwd\)/);
    expect(flatText(r.stdout)).toMatch(/filesha256\("\/dev\/urandom"\) did not read it: file resolves to \/dev\/urandom, in a kernel file system/);
    expect(flatText(r.stdout)).toMatch(/fileexists\("\/etc\/passwd"\) did not read it/);
    const dump = runCli(["scan", ".", "--dump-inventory"], { cwd: dir, env: { SECRETLINT_CANARY: "CANARY-ENV-9876" } });
    expect(dump.stdout + dump.stderr).not.toMatch(/CANARY|root:x:0:0/);
    survived(scan(dir));
  });

  it("a module whose source leads out of the tree is not read, with a notice", () => {
    const outside = treeWithGood({ "mod/main.tf": 'resource "aws_secretsmanager_secret" "o" {\n  name = "o"\n  recovery_window_in_days = 0\n}\n' });
    const dir = treeWithGood();
    writeTree(dir, { "caller/main.tf": `module "m" {\n  source = "${path.relative(path.join(dir, "caller"), path.join(outside, "mod"))}"\n}\n` });
    // The same module through a link inside the tree, called from every instance of a module (module directories' real paths are cached for the scan).
    fs.symlinkSync(path.join(outside, "mod"), path.join(dir, "linked"));
    writeTree(dir, {
      "by-link/main.tf": 'module "each" {\n  source = "./inner"\n  count  = 3\n}\n',
      "by-link/inner/main.tf": 'module "l" {\n  source = "../../linked"\n}\n',
    });
    const r = runCli(["scan", ".", "-f", "text"], { cwd: dir });
    expect(flatText(r.stdout)).toMatch(/module "m" \(source ".*"\) is outside the scanned tree; it was not read/);
    expect(flatText(r.stdout)).toMatch(/module "l" \(source "\.\.\/\.\.\/linked"\) is outside the scanned tree; it was not read/);
    expect(r.stdout).not.toMatch(/recovery_window_in_days = 0[\s\S]*Secret `o`/);
    survived(scan(dir));
  });
});
