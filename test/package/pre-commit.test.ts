// The pre-commit hook (.pre-commit-hooks.yaml), run by the `pre-commit` tool itself, as a
// user's repository would: the hook repository is a git repository made from a fresh-clone
// copy of this one; pre-commit installs it with the system Node (its `language: node` uses
// the Node on PATH when there is one: no Node download), npm working offline from its cache
// (`npm ci` filled it); then a throw-away repository runs the hook on a commit.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFreshClone, projectRoot as root } from "../helpers/fresh-clone.js";
import { flatText } from "../helpers/text.js";

const preCommit = spawnSync("pre-commit", ["--version"], { encoding: "utf8" });
const havePreCommit = preCommit.status === 0;
if (!havePreCommit) console.warn("pre-commit hook test skipped: the `pre-commit` tool is not installed (Debian: apt-get install pre-commit; .ci/run installs it)");
// .ci/run runs this once, not on every Node version (it says why in this variable).
const elsewhere = process.env.SECRETLINT_PACKAGE_TESTS_ELSEWHERE;
if (elsewhere) console.warn(`pre-commit hook test skipped: ${elsewhere}`);

let tmp: string;
let user: string;
let env: NodeJS.ProcessEnv;

function git(args: string[], cwd: string): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", env });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

function preCommitRun(args: string[]) {
  const r = spawnSync("pre-commit", args, { cwd: user, encoding: "utf8", env });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(!havePreCommit || !!elsewhere)("the pre-commit hook", () => {
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-pre-commit-"));
    env = {
      ...process.env,
      PRE_COMMIT_HOME: path.join(tmp, "cache"),
      npm_config_offline: "true",
      npm_config_update_notifier: "false",
      GIT_AUTHOR_NAME: "test",
      GIT_AUTHOR_EMAIL: "test@example.com",
      GIT_COMMITTER_NAME: "test",
      GIT_COMMITTER_EMAIL: "test@example.com",
      NO_COLOR: "1",
    };
    const hooks = path.join(tmp, "hook-repo");
    copyFreshClone(hooks);
    git(["init", "-q"], hooks);
    git(["add", "-A"], hooks);
    git(["commit", "-q", "-m", "hook repository"], hooks);
    const rev = git(["rev-parse", "HEAD"], hooks);

    user = path.join(tmp, "user-repo");
    fs.mkdirSync(user);
    git(["init", "-q"], user);
    fs.writeFileSync(path.join(user, ".pre-commit-config.yaml"), `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: secretlint-aws\n`);
    fs.writeFileSync(path.join(user, "README.md"), "a repository\n");
    git(["add", "-A"], user);
    git(["commit", "-q", "-m", "start", "--no-verify"], user);
    // Installs the hook's environment (npm install in the hook repository, npm pack, npm install -g).
    const install = spawnSync("pre-commit", ["install-hooks"], { cwd: user, encoding: "utf8", env });
    if (install.status !== 0) throw new Error(`pre-commit install-hooks failed:\n${install.stdout}\n${install.stderr}`);
    const hook = spawnSync("pre-commit", ["install"], { cwd: user, encoding: "utf8", env });
    if (hook.status !== 0) throw new Error(`pre-commit install failed:\n${hook.stdout}\n${hook.stderr}`);
  }, 600_000);

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it("blocks a commit that adds a problem, naming it, and lets the fix through", () => {
    fs.cpSync(path.join(root, "fixtures", "examples", "quickstart", "main.tf"), path.join(user, "main.tf"));
    git(["add", "main.tf"], user);
    const commit = spawnSync("git", ["commit", "-m", "add infra"], { cwd: user, encoding: "utf8", env });
    expect(commit.status).toBe(1);
    const out = `${commit.stdout}${commit.stderr}`;
    expect(out).toMatch(/secretlint \(AWS secrets of Sym, Apono, Flyte, Mage\)\.+Failed/);
    for (const rule of ["secret/hardcoded-value", "sym/symenv-tag-missing", "iam/secret-read-wildcard"]) expect(out).toContain(rule);
    expect(out).not.toContain("fake-token-not-a-real-secret");

    // A configuration turning the three off (what a fix or an accepted risk looks like): the commit goes through.
    fs.writeFileSync(path.join(user, "secretlint.config.yaml"), "rules:\n  secret/hardcoded-value: off\n  sym/symenv-tag-missing: off\n  iam/secret-read-wildcard: off\n");
    git(["add", "-A"], user);
    const fixed = spawnSync("git", ["commit", "-m", "add infra"], { cwd: user, encoding: "utf8", env });
    expect(`${fixed.stdout}${fixed.stderr}`).toMatch(/secretlint \(AWS secrets of Sym, Apono, Flyte, Mage\)\.+Passed/);
    expect(fixed.status).toBe(0);
  });

  it("runs only when a file it reads changes, and then scans the whole repository", () => {
    fs.writeFileSync(path.join(user, "notes.txt"), "no Terraform here\n");
    expect(preCommitRun(["run", "--files", "notes.txt"]).out).toMatch(/\.+\(no files to check\)Skipped/);
    // A Terraform file elsewhere in the repository still brings every module in.
    fs.mkdirSync(path.join(user, "other"), { recursive: true });
    fs.writeFileSync(path.join(user, "other", "main.tf"), 'resource "aws_secretsmanager_secret" "a" {\n  name = "app/db"\n  recovery_window_in_days = 0\n}\n');
    const r = preCommitRun(["run", "--files", "other/main.tf"]);
    expect(r.code).toBe(1);
    expect(flatText(r.out)).toContain("other/main.tf:3:3  warning");
  });
});
