// A scan on a terminal shows its progress (files, modules, root modules) on stderr once it has
// taken a second, and clears the line before the report; piped (CI logs), it never does. The
// built CLI runs in a pseudo-terminal (util-linux `script`); SECRETLINT_TEST_PROGRESS=every
// shows every update from the start, so a tree that scans in less than a second shows them all.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin", "secretlint.js");
const tree = path.join(root, "fixtures", "terraform");
const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
if (!hasScript) console.warn("scan progress test on a terminal skipped: util-linux `script` (a pseudo-terminal) is not installed");
const built = fs.existsSync(path.join(root, "dist", "cli.js"));

const env = { ...process.env, SECRETLINT_TEST_PROGRESS: "every", NO_COLOR: "1" };

describe("scan progress", () => {
  it.skipIf(!hasScript || !built)("on a terminal: files, modules and root modules, then the line is cleared", () => {
    const command = [process.execPath, bin, "scan", tree, "--fail-on", "never", "-q", "-o", "/dev/null"].map((a) => `'${a}'`).join(" ");
    // A pseudo-terminal without a size is 0 columns wide: give it 200.
    const r = spawnSync("script", ["-qfec", `stty cols 200; ${command}`, "/dev/null"], { encoding: "utf8", env, timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/scanning: \d+ files? read · \d+ modules?/);
    // Every root module collected, the last update included.
    expect(r.stdout).toMatch(/root modules 1\/(\d+)[^]*root modules (\d+)\/\2\r\x1b\[2K$/);
    // Cleared: the last progress line is erased before the process ends.
    expect(r.stdout.endsWith("\r\x1b[2K")).toBe(true);
  });

  it.skipIf(!built)("piped: never", () => {
    const r = spawnSync(process.execPath, [bin, "scan", tree, "--fail-on", "never"], { encoding: "utf8", env, timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain("scanning:");
    expect(r.stderr).not.toContain("\x1b[2K");
  });
});
