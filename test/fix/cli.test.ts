// `scan --fix`, `--fix-dry-run` and the SARIF fixes, through the built binary, on the seeds'
// mistakes (fixtures/rules/*/bad-fix-*): each turns into its good-fix-* sibling, a second scan
// is clean, the dry run prints the diff and leaves the files as they were, and SARIF's
// artifactChanges, applied to the original text, give the fixed file.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { sharedDir } from "../helpers/shared.js";

const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin", "secretlint.js");
const built = fs.existsSync(path.join(root, "dist", "cli.js"));
const fixtures = path.join(root, "fixtures", "rules");
const PAIRS = [
  "sym-symenv-tag-missing/bad-fix-seed-untagged",
  "sym-symenv-tag-mismatch/bad-fix-seed-environment",
  "apono-read-tag-value/bad-fix-seed-true",
  "apono-read-tag-missing/bad-fix-seed-untagged",
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-fix-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of a case as the working directory's `infra/`. */
function workdir(rel: string, tag: string): string {
  const dir = path.join(tmp, tag, rel);
  fs.cpSync(path.join(fixtures, rel), path.join(dir, "infra"), { recursive: true });
  fs.rmSync(path.join(dir, "infra", "expect.txt"));
  return dir;
}

const read = (p: string) => fs.readFileSync(p, "utf8");
const goodOf = (rel: string) => read(path.join(fixtures, rel.replace("/bad-fix-", "/good-fix-"), "main.tf"));

const Ajv = ((AjvDraft04Module as unknown as { default?: unknown }).default ?? AjvDraft04Module) as unknown as new (opts: object) => {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown };
};
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: unknown) => void;
let validate: (((data: unknown) => boolean) & { errors?: unknown }) | undefined;
beforeAll(() => {
  if (!sharedDir) return;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  validate = ajv.compile(JSON.parse(read(path.join(sharedDir, "schemas", "sarif-schema-2.1.0.json"))));
});

interface Replacement {
  deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number };
  insertedContent: { text: string };
}

/** Applies SARIF replacements (1-based lines, UTF-16 columns) to a text. */
function applyReplacements(text: string, replacements: Replacement[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const offset = (line: number, column: number) => lineStarts[line - 1] + column - 1;
  const spans = replacements
    .map((r) => ({ start: offset(r.deletedRegion.startLine, r.deletedRegion.startColumn), end: offset(r.deletedRegion.endLine, r.deletedRegion.endColumn), text: r.insertedContent.text }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

describe.skipIf(!built)("scan --fix on the seeds' mistakes", () => {
  it.each(PAIRS)("%s: --fix gives the good-fix form, and a second scan is clean", (rel) => {
    const dir = workdir(rel, "fix");
    const before = run(["scan", "infra", "-f", "json"], dir);
    expect(before.code).toBe(1);
    const r = run(["scan", "infra", "--fix"], dir);
    expect(r.stderr.split("\n")[0]).toBe("secretlint: fixed 2 findings in 1 file");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/sym\/|apono\//);
    expect(read(path.join(dir, "infra", "main.tf"))).toBe(goodOf(rel));
    const again = run(["scan", "infra", "-f", "json"], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/sym\/|apono\//);
  });

  it.each(PAIRS)("%s: --fix-dry-run prints the diff and changes nothing", (rel) => {
    const dir = workdir(rel, "dry");
    const original = read(path.join(dir, "infra", "main.tf"));
    const mtime = fs.statSync(path.join(dir, "infra", "main.tf")).mtimeMs;
    const r = run(["scan", "infra", "--fix-dry-run"], dir);
    expect(read(path.join(dir, "infra", "main.tf"))).toBe(original);
    expect(fs.statSync(path.join(dir, "infra", "main.tf")).mtimeMs).toBe(mtime);
    expect(r.stdout.startsWith("diff --git a/infra/main.tf b/infra/main.tf\n--- a/infra/main.tf\n+++ b/infra/main.tf\n@@ ")).toBe(true);
    expect(r.stderr.split("\n")[0]).toBe("secretlint: --fix would fix 2 findings in 1 file; nothing was written");
    // The diff, applied, gives the fixed file: `git apply` reads it.
    const patch = path.join(dir, "fix.patch");
    fs.writeFileSync(patch, r.stdout);
    const applied = spawnSync("git", ["apply", "--unsafe-paths", patch], { cwd: dir, encoding: "utf8" });
    expect(applied.stderr).toBe("");
    expect(read(path.join(dir, "infra", "main.tf"))).toBe(goodOf(rel));
    // What is left once fixed: nothing, so exit 0.
    expect(r.code).toBe(0);
  });

  it.each(PAIRS)("%s: SARIF carries each fix as artifactChanges that give the fixed file", (rel) => {
    const dir = workdir(rel, "sarif");
    const original = read(path.join(dir, "infra", "main.tf"));
    const r = run(["scan", "infra", "-f", "sarif"], dir);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    if (validate && !validate(log)) throw new Error(JSON.stringify(validate.errors, null, 2));
    const results = log.runs[0].results as Array<{ ruleId: string; fixes?: Array<{ description: { text: string }; artifactChanges: Array<{ artifactLocation: { uri: string }; replacements: Replacement[] }> }> }>;
    expect(results.length).toBe(2);
    const replacements: Replacement[] = [];
    for (const res of results) {
      expect(res.fixes?.length, res.ruleId).toBe(1);
      const fix = res.fixes![0];
      expect(fix.description.text).toMatch(/^(add the tag|set the tag) `/);
      expect(fix.artifactChanges.map((c) => c.artifactLocation.uri)).toEqual(["infra/main.tf"]);
      replacements.push(...fix.artifactChanges[0].replacements);
    }
    expect(applyReplacements(original, replacements)).toBe(goodOf(rel));
    expect(read(path.join(dir, "infra", "main.tf"))).toBe(original);
  });

  it("refuses --fix with --fix-dry-run", () => {
    const dir = workdir(PAIRS[0], "both");
    const r = run(["scan", "infra", "--fix", "--fix-dry-run"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("secretlint: give either --fix or --fix-dry-run, not both\n");
  });
});
