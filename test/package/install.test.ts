// The package as a user gets it. The repository's files, as a fresh clone has them, are copied
// aside and packed there with `npm pack` (its `prepare` build runs, as for a git install); the
// tarball is installed into an empty prefix, and the installed tool is run from another
// directory: `init`, a scan with that configuration, the README's `audit --snapshot` example,
// the README's library import (types included), and every fixture, whose findings must equal
// the checkout's. Every other test runs from the repository and cannot see a file left out of
// the package: this one can.

import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLANTED, emulatedAccount } from "../aws/accounts.js";
import { Emulator } from "../aws/emulator.js";
import { copyFreshClone } from "../helpers/fresh-clone.js";

const root = path.resolve(import.meta.dirname, "../..");
const packageJson = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { name: string; bin: Record<string, string> };
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

let tmp: string;
let prefix: string; // the global install
let project: string; // a project that depends on the package
let work: string; // where the installed tool is run from
let tarball: string;

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

function check(r: SpawnSyncReturns<string>, what: string): string {
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function npmRun(args: string[], cwd: string): string {
  return check(spawnSync(npm, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } }), `npm ${args.join(" ")}`);
}

/** The installed binary `name`, run with the Node running the tests (the binaries are `#!/usr/bin/env node` scripts). */
function installed(name: string, args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [path.join(prefix, "bin", name), ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The checkout's own binary, for comparison. */
function checkout(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [path.join(root, "bin", "secretlint.js"), ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The checkout's binary is the reference the installed one is compared with.
const built = fs.existsSync(path.join(root, "dist"));
if (!built) console.warn("package tests skipped: dist/ is missing; run `npm run build` (npm test does it)");
// .ci/run packs and installs once, not on every Node version (it says why in this variable).
const elsewhere = process.env.SECRETLINT_PACKAGE_TESTS_ELSEWHERE;
if (elsewhere) console.warn(`package tests skipped: ${elsewhere}`);

describe.skipIf(!built || !!elsewhere)("the packed and installed package", () => {
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-pkg-"));
    const clone = path.join(tmp, "clone");
    copyFreshClone(clone);
    // The build tools, as `npm ci` would have installed them in the clone.
    fs.symlinkSync(path.join(root, "node_modules"), path.join(clone, "node_modules"), "dir");
    npmRun(["pack", "--pack-destination", tmp, "--loglevel", "warn"], clone);
    const packed = fs.readdirSync(tmp).filter((f) => f.endsWith(".tgz"));
    expect(packed).toHaveLength(1);
    tarball = path.join(tmp, packed[0]);

    prefix = path.join(tmp, "prefix");
    fs.mkdirSync(prefix);
    npmRun(["install", "--global", "--prefix", prefix, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel", "warn", tarball], tmp);

    project = path.join(tmp, "project");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "uses-secretlint", private: true, type: "module" }));
    npmRun(["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel", "warn", tarball], project);

    work = path.join(tmp, "work");
    fs.mkdirSync(work);
  }, 600_000);

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }, 120_000); // removing the installed tree takes longer than the default 10 s on a loaded machine

  it("installs the bundles, their data files and licences, and no dependency", () => {
    const installedDir = path.join(prefix, "lib", "node_modules", packageJson.name);
    const files = (fs.readdirSync(installedDir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(installedDir, f)).isFile());
    for (const f of ["bin/secretlint.js", "dist/cli.js", "dist/aws-sdk.js", "dist/index.js", "dist/types/src/index.d.ts", "dist/THIRD-PARTY-LICENSES.txt", "schemas/secretlint.config.schema.json", "docs/json-format.md", "LICENSE", "README.md"]) {
      expect(files).toContain(f);
    }
    // Everything is bundled: nothing of src/, no source maps, no node_modules.
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("node_modules/") || f.endsWith(".map") || f.startsWith("test/"))).toEqual([]);
  });

  it("installs every binary the package declares", () => {
    for (const name of Object.keys(packageJson.bin)) {
      const r = installed(name, ["--version"], work);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it("init, then a scan with that configuration, on a copy of the quick-start example: three findings, exit 1", () => {
    const dir = path.join(work, "quickstart");
    copyDir(path.join(root, "fixtures", "examples", "quickstart"), dir);
    const init = installed("secretlint", ["init"], dir);
    expect(init.code, init.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, "secretlint.config.yaml"))).toBe(true);

    const scan = installed("secretlint", ["scan", "."], dir);
    expect(scan.stderr).toBe("");
    expect(scan.code).toBe(1);
    for (const rule of ["secret/hardcoded-value", "sym/symenv-tag-missing", "iam/secret-read-wildcard"]) expect(scan.stdout).toContain(rule);
    expect(scan.stdout).toMatch(/3 errors/);

    const json = installed("secretlint", ["scan", ".", "-f", "json"], dir);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout).findings as unknown[]).length).toBe(3);
  });

  it("audits the README's example snapshot against its Terraform", () => {
    const dir = path.join(work, "snapshot");
    copyDir(path.join(root, "fixtures", "snapshots", "example"), dir);
    const args = ["audit", "--snapshot", "snapshot.json", "--tf", "terraform", "-f", "json"];
    const r = installed("secretlint", args, dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(checkout(args, dir).stdout);
  });

  it("finds in every fixture exactly what the checkout finds, in every format", () => {
    const dir = path.join(work, "fixtures");
    copyDir(path.join(root, "fixtures"), dir);
    for (const format of ["json", "sarif", "text"]) {
      const args = ["scan", ".", "-f", format, "--fail-on", "never"];
      const r = installed("secretlint", args, dir);
      const c = checkout(args, dir);
      expect(r.stderr).toBe(c.stderr);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(c.stdout);
    }
  });

  it("loads the AWS SDK for a live audit only", async () => {
    const sdk = path.join(prefix, "lib", "node_modules", packageJson.name, "dist", "aws-sdk.js");
    const dir = path.join(work, "lazy-sdk");
    copyDir(path.join(root, "fixtures", "snapshots", "example"), dir);
    fs.renameSync(sdk, `${sdk}.away`);
    try {
      for (const args of [["scan", "terraform"], ["audit", "--snapshot", "snapshot.json", "--tf", "terraform"], ["rules"], ["--help"]]) {
        const r = installed("secretlint", args, dir);
        expect(r.stderr, args.join(" ")).toBe("");
        expect(r.code, args.join(" ")).toBeLessThan(2);
      }
    } finally {
      fs.renameSync(`${sdk}.away`, sdk);
    }
    const emu = new Emulator(emulatedAccount(PLANTED));
    await emu.start();
    try {
      const env = {
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_"))),
        AWS_ACCESS_KEY_ID: "AKIDEMULATOR",
        AWS_SECRET_ACCESS_KEY: "emulator-secret-key",
        AWS_CONFIG_FILE: "/nonexistent/aws-config",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
        AWS_EC2_METADATA_DISABLED: "true",
      };
      // Asynchronous, so the emulator in this process can answer.
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const args = [path.join(prefix, "bin", "secretlint"), "audit", "--live", "--regions", "us-east-1,us-west-2", "--endpoint-url", emu.url, "--read-values", "--tf", "terraform", "-f", "json"];
        const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      expect((JSON.parse(r.stdout).findings as unknown[]).length).toBe(6);
    } finally {
      await emu.stop();
    }
  });

  it("serves the README's library import, with its types", () => {
    fs.writeFileSync(
      path.join(project, "use.ts"),
      [
        'import { allRules, parseHcl, parseHclJson, scanPaths } from "secretlint-aws-integrations";',
        "",
        'const file = parseHcl(\'resource "aws_secretsmanager_secret" "a" {\\n  name = "x"\\n}\\n\', "main.tf");',
        "const labels: string[][] = file.body.blocks.map((b) => b.labels.map((l) => l.value));",
        'const json = parseHclJson(\'{"locals": {"a": 1}}\', "main.tf.json");',
        'const result = scanPaths([process.argv[2]], { rules: allRules, displayRoot: process.argv[2] });',
        "process.stdout.write(JSON.stringify({ labels, diagnostics: json.diagnostics.length, rules: allRules.length, findings: result.findings.map((f) => f.ruleId).sort() }));",
        "",
      ].join("\n"),
    );
    fs.writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: false, outDir: "out", typeRoots: [path.join(root, "node_modules", "@types")], types: ["node"] },
        files: ["use.ts"],
      }),
    );
    check(spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", project], { cwd: project, encoding: "utf8" }), "tsc on the library's user");
    const quickstart = path.join(root, "fixtures", "examples", "quickstart");
    const out = JSON.parse(check(spawnSync(process.execPath, [path.join(project, "out", "use.js"), quickstart], { cwd: project, encoding: "utf8" }), "the library's user")) as {
      labels: string[][];
      diagnostics: number;
      rules: number;
      findings: string[];
    };
    expect(out.labels).toEqual([["aws_secretsmanager_secret", "a"]]);
    expect(out.diagnostics).toBe(0);
    expect(out.rules).toBeGreaterThan(20);
    expect(out.findings).toEqual(["iam/secret-read-wildcard", "secret/hardcoded-value", "sym/symenv-tag-missing"]);
  });
});
