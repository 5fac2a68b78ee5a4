// Project loading: which directories are modules, which are roots, what is skipped
// (.terraform, .gitignore, --exclude), and that bad inputs (symlink loops, unreadable,
// binary, huge files) end as diagnostics rather than crashes. Also the JSON syntax and a
// checked-in fixture project (fixtures/terraform/eval-project).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseExpressionSource } from "../../src/hcl/parser.js";
import { MAX_FILE_BYTES } from "../../src/files/read.js";
import { evaluate } from "../../src/terraform/evaluate.js";
import type { ModuleInstance, ResourceInstance } from "../../src/terraform/module.js";
import { findModuleDirs, loadProject, type Project } from "../../src/terraform/project.js";
import { Unknown, knownPrefix, knownSuffix, toJSONView, type Value } from "../../src/terraform/values.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = resolve(here, "../../fixtures/terraform");

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "tf-proj-"));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** Module directories of a project, relative to its root, sorted. */
function moduleDirs(p: Project): string[] {
  return [...p.modules.keys()].map((d) => d.slice(p.rootDir.length + 1) || ".").sort();
}
function rootDirs(p: Project): string[] {
  return p.roots.map((r) => r.config.dir.slice(p.rootDir.length + 1) || ".").sort();
}
function fileNames(p: Project, dir: string): string[] {
  const c = p.modules.get(dir === "." ? p.rootDir : join(p.rootDir, dir));
  if (!c) throw new Error(`no module ${dir}`);
  return c.files.map((f) => f.fileName).sort();
}

function ev(m: ModuleInstance, src: string): Value {
  const { expr } = parseExpressionSource(src, "expr.tf");
  return evaluate(expr, m);
}
function instances(p: Project): ResourceInstance[] {
  return p.roots.flatMap((r) => [r, ...r.descendants()]).flatMap((m) => m.allResourceInstances());
}

// ------------------------------------------------------------------------------------------

describe("finding modules", () => {
  it("every directory with .tf or .tf.json files is a module; others are not", () => {
    const p = loadProject(
      tree({
        "main.tf": "",
        "a/x.tf.json": "{}",
        "a/b/c/y.tf": "",
        "docs/readme.md": "",
        "d/vars.tfvars": "",
      }),
    );
    expect(moduleDirs(p)).toEqual([".", "a", "a/b/c"]);
    expect(rootDirs(p)).toEqual([".", "a", "a/b/c"]);
  });

  it("skips .terraform, .git and node_modules", () => {
    const dir = tree({
      "main.tf": "",
      ".terraform/modules/vpc/main.tf": "",
      ".git/x.tf": "",
      "node_modules/pkg/main.tf": "",
      "sub/.terraform/providers/x.tf": "",
    });
    expect(findModuleDirs(dir)).toEqual([dir]);
  });

  it("a module called through a local source is not a root (roots exclude it)", () => {
    const p = loadProject(
      tree({
        "envs/prod/main.tf": `module "s" {\n  source = "../../modules/s"\n  env    = "prod"\n}\n`,
        "envs/dev/main.tf": `module "s" {\n  source = "../../modules/s"\n  env    = "dev"\n}\n`,
        "modules/s/main.tf": `variable "env" {}\nresource "aws_secretsmanager_secret" "x" { name = "\${var.env}/x" }\n`,
        "standalone/main.tf": `resource "aws_x" "y" {}\n`,
      }),
    );
    expect(rootDirs(p)).toEqual(["envs/dev", "envs/prod", "standalone"]);
    const names = instances(p)
      .filter((i) => i.type === "aws_secretsmanager_secret")
      .map((i) => [i.module.address, i.value.get("name")]);
    // Evaluated once per caller, with that caller's inputs; never with defaults as a root.
    expect(names.sort()).toEqual([
      ["module.s", "dev/x"],
      ["module.s", "prod/x"],
    ]);
  });

  it(".gitignore'd directories and files are skipped, nested .gitignore files too", () => {
    const p = loadProject(
      tree({
        ".gitignore": "build/\n*_generated.tf\n",
        "main.tf": `resource "aws_x" "kept" {}\n`,
        "main_generated.tf": `resource "aws_x" "generated" {}\n`,
        "build/main.tf": "",
        "sub/.gitignore": "scratch/\n!keep_generated.tf\n",
        "sub/main.tf": "",
        "sub/keep_generated.tf": "",
        "sub/scratch/main.tf": "",
        "other/scratch/main.tf": "",
      }),
    );
    expect(moduleDirs(p)).toEqual([".", "other/scratch", "sub"]);
    expect(fileNames(p, ".")).toEqual(["main.tf"]);
    expect(fileNames(p, "sub")).toEqual(["sub/keep_generated.tf", "sub/main.tf"]);
    expect(instances(p).map((i) => i.address)).toEqual(["aws_x.kept"]);
  });

  it("scanning inside a git repository applies the .gitignore files above the scan root", () => {
    const repo = tree({
      ".git/HEAD": "ref: refs/heads/main\n",
      ".gitignore": "infra/generated/\n*_local.tf\n",
      "infra/.gitignore": "tmp/\n",
      "infra/live/main.tf": "",
      "infra/live/dev_local.tf": "",
      "infra/live/tmp/main.tf": "",
      "infra/generated/main.tf": "",
    });
    const p = loadProject(join(repo, "infra"));
    expect(moduleDirs(p)).toEqual(["live"]);
    expect(fileNames(p, "live")).toEqual(["live/main.tf"]);
  });

  it("an explicitly scanned directory that the repository ignores is still scanned", () => {
    const repo = tree({ ".git/HEAD": "", ".gitignore": "build/\n", "build/out/main.tf": "" });
    expect(moduleDirs(loadProject(join(repo, "build")))).toEqual(["out"]);
  });

  it("without a repository, .gitignore files above the scan root do not apply", () => {
    const top = tree({ ".gitignore": "scan/\n*.tf\n", "scan/main.tf": "" });
    expect(moduleDirs(loadProject(join(top, "scan")))).toEqual(["."]);
  });

  it("a directory whose only Terraform files are ignored is not a module", () => {
    const p = loadProject(tree({ ".gitignore": "*.tf\n", "main.tf": "", "keep.tf.json": "{}" }));
    expect(fileNames(p, ".")).toEqual(["keep.tf.json"]);
  });

  it("--exclude globs, for directories and files, relative to the scan root", () => {
    const dir = tree({
      "main.tf": "",
      "main_test.tf": "",
      "legacy/old/main.tf": "",
      "modules/a/test/main.tf": "",
      "modules/a/main.tf": "",
    });
    const p = loadProject(dir, { exclude: ["legacy/**", "**/test/**", "*_test.tf"] });
    expect(moduleDirs(p)).toEqual([".", "modules/a"]);
    expect(fileNames(p, ".")).toEqual(["main.tf"]);
    expect(findModuleDirs(dir, ["legacy"]).map((d) => d.slice(dir.length))).toEqual(["", "/modules/a", "/modules/a/test"]);
  });

  it("symlink loops terminate; linked directories are read once", () => {
    const dir = tree({ "main.tf": "", "real/main.tf": "" });
    symlinkSync(dir, join(dir, "real", "up"));
    symlinkSync(join(dir, "real"), join(dir, "alias"));
    symlinkSync(join(dir, "self"), join(dir, "self"));
    const p = loadProject(dir);
    // The real directory is found by its own path; the link to it is not a second module.
    expect(moduleDirs(p)).toEqual([".", "real"]);
  });

  it("a root module calling its own directory stays a root (the recursive call is refused)", () => {
    const p = loadProject(tree({ "main.tf": `module "me" {\n  source = "./"\n}\nresource "aws_x" "y" {}\n` }));
    expect(rootDirs(p)).toEqual(["."]);
    expect(instances(p).map((i) => i.address)).toEqual(["aws_x.y"]);
  });

  it("a missing scan root gives an empty project", () => {
    const p = loadProject(join(tmpdir(), "definitely-not-here-" + Date.now()));
    expect(p.roots).toEqual([]);
  });
});

describe("bad files become diagnostics", () => {
  it("a binary file, an unreadable file (dangling link) and a huge file", () => {
    const dir = tree({
      "main.tf": `resource "aws_x" "ok" {}\n`,
      "binary.tf": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]),
      "huge.tf": Buffer.alloc(MAX_FILE_BYTES + 1, 0x20),
    });
    symlinkSync(join(dir, "nowhere.tf"), join(dir, "dangling.tf"));
    const p = loadProject(dir);
    const c = p.modules.get(p.rootDir);
    expect(c).toBeDefined();
    const messages = c?.diagnostics.map((d) => `${d.file}: ${d.message}`) ?? [];
    expect(messages.some((m) => m.startsWith("binary.tf") && /binary/.test(m))).toBe(true);
    expect(messages.some((m) => m.startsWith("dangling.tf") && /cannot read/.test(m))).toBe(true);
    expect(messages.some((m) => m.startsWith("huge.tf") && /larger/.test(m))).toBe(true);
    expect(instances(p).map((i) => i.address)).toEqual(["aws_x.ok"]);
  });

  it("a syntax error is a diagnostic; the rest of the file is still read", () => {
    const p = loadProject(tree({ "main.tf": `resource "aws_x" "a" {}\nresource "aws_x" "b" {\n  x = \n}\nresource "aws_x" "c" {}\n` }));
    expect(p.modules.get(p.rootDir)?.diagnostics.length).toBeGreaterThan(0);
    expect(instances(p).map((i) => i.address)).toContain("aws_x.c");
  });

  it("invalid UTF-8 does not crash", () => {
    const p = loadProject(tree({ "main.tf": Buffer.concat([Buffer.from(`locals { a = "`), Buffer.from([0xff, 0xfe]), Buffer.from(`" }\n`)]) }));
    expect(p.roots).toHaveLength(1);
  });
});

describe("JSON syntax (.tf.json)", () => {
  it("variables, locals, resources, outputs and module calls in JSON", () => {
    const p = loadProject(
      tree({
        "main.tf.json": JSON.stringify({
          variable: { env: { default: "prod" } },
          provider: { aws: [{ region: "eu-central-1" }] },
          locals: { prefix: "app-${var.env}" },
          resource: {
            aws_secretsmanager_secret: {
              db: { name: "${local.prefix}/db", tags: { SymEnv: "${var.env}" } },
            },
          },
          module: { child: { source: "./child", name: "${aws_secretsmanager_secret.db.name}" } },
          output: { arn: { value: "${aws_secretsmanager_secret.db.arn}" } },
        }),
        "child/main.tf.json": JSON.stringify({
          variable: { name: {} },
          output: { upper: { value: "${upper(var.name)}" } },
        }),
      }),
    );
    expect(rootDirs(p)).toEqual(["."]);
    const m = p.roots[0];
    const s = instances(p).find((i) => i.address === "aws_secretsmanager_secret.db");
    expect(s?.value.get("name")).toBe("app-prod/db");
    expect(toJSONView(s?.value.get("tags") as Value)).toEqual({ SymEnv: "prod" });
    expect(s?.region).toBe("eu-central-1");
    expect(knownPrefix(ev(m, "aws_secretsmanager_secret.db.arn"))).toBe("arn:aws:secretsmanager:eu-central-1:");
    expect(ev(m, "module.child.upper")).toBe("APP-PROD/DB");
  });

  it("mixing .tf and .tf.json files in one module", () => {
    const p = loadProject(
      tree({
        "a.tf": `locals { x = local.y }\n`,
        "b.tf.json": JSON.stringify({ locals: { y: "from json" } }),
      }),
    );
    expect(ev(p.roots[0], "local.x")).toBe("from json");
  });
});

describe("the eval-project fixture", () => {
  const p = loadProject(join(fixtures, "eval-project"), {
    varFiles: [join(fixtures, "eval-project/envs/prod/extra.tfvars")],
  });

  it("has one root (envs/prod); the shared module is evaluated through its call", () => {
    expect(rootDirs(p)).toEqual(["envs/prod"]);
    expect(moduleDirs(p)).toEqual(["envs/prod", "modules/secret"]);
  });

  it("resources of the called module carry the caller's inputs, regions and addresses", () => {
    const got = instances(p)
      .filter((i) => i.type === "aws_secretsmanager_secret")
      .map((i) => ({ address: i.address, name: i.value.get("name"), region: i.region }));
    expect(got).toEqual([
      { address: 'module.secrets["api"].aws_secretsmanager_secret.this', name: "prod/api", region: "us-east-1" },
      { address: 'module.secrets["db"].aws_secretsmanager_secret.this', name: "prod/db", region: "us-east-1" },
      { address: "module.replica.aws_secretsmanager_secret.this", name: "prod/replica", region: "us-west-2" },
    ]);
  });

  it("tfvars and --var-file values reach the module (tags from extra.tfvars)", () => {
    const s = instances(p).find((i) => i.address === 'module.secrets["db"].aws_secretsmanager_secret.this');
    expect(toJSONView(s?.value.get("tags") as Value)).toEqual({ SymEnv: "prod", Team: "platform" });
  });

  it("the policy document names the secrets by partly known ARNs", () => {
    const root = p.roots[0];
    const doc = instances(p).find((i) => i.address === "data.aws_iam_policy_document.read");
    const json = doc?.value.get("json") as Value;
    expect(json).toBeInstanceOf(Unknown);
    const resources = toJSONView(ev(root, "local.read_arns")) as unknown[];
    expect(resources).toHaveLength(2);
    expect(knownPrefix(ev(root, `local.read_arns[0]`))).toBe("arn:aws:secretsmanager:us-east-1:");
    expect(knownSuffix(ev(root, "local.account_wide"))).toBe(":secret:*");
  });
});
