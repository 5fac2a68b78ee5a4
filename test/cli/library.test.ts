// The README's library example, run as written (on the quick-start tree) against the built
// library: options are optional, findings have the JSON format's shape, formatters are exported.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lint, scanPaths } from "../../src/index.js";

const root = path.resolve(import.meta.dirname, "../..");
const built = fs.existsSync(path.join(root, "dist", "index.js"));
const quickstart = path.join(root, "fixtures", "examples", "quickstart");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-library-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The first ```js block after the README's "## Library" heading. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Library\n"));
  const m = /```js\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error("no js example under ## Library in the README");
  return m[1];
}

describe("the library", () => {
  it("scanPaths and lint take no options: every rule at its default level", () => {
    expect(scanPaths([quickstart]).findings.map((f) => f.ruleId).sort()).toEqual(["iam/secret-read-wildcard", "secret/hardcoded-value", "sym/symenv-tag-missing"]);
    const report = lint(quickstart);
    expect(report.version).toBe(2);
    expect(report.summary).toMatchObject({ findings: 3, errors: 3, scanned: { files: 1, modules: 1 } });
    expect(Object.keys(report.findings[0])).toEqual(expect.arrayContaining(["ruleId", "level", "message", "file", "line", "column", "related", "fingerprint"]));
  });

  it.skipIf(!built)("the README's example runs as written", () => {
    const code = readmeExample().replace('"secretlint-aws-integrations"', JSON.stringify(path.join(root, "dist", "index.js"))).replaceAll('["infra"]', JSON.stringify([quickstart]));
    const file = path.join(tmp, "example.mjs");
    fs.writeFileSync(file, code);
    const r = spawnSync(process.execPath, [file], { cwd: root, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/main\.tf:45:3 error secret\/hardcoded-value$/);
    expect(lines[3]).toBe("errors: 3, files scanned: 1");
    expect(lines[4]).toBe("3 SARIF results");
  });
});
