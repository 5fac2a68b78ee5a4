// `secretlint audit` through the built binary (`npm test` builds first): the example snapshot,
// and a live audit of the emulator in a child process (no SDK warning, one exit code).

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PLANTED, PLANTED_RULES, emulatedAccount } from "./accounts.js";
import { Emulator } from "./emulator.js";

const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin", "secretlint.js");
const built = fs.existsSync(path.join(root, "dist", "cli.js"));
const example = "fixtures/snapshots/example";

const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_"))),
  AWS_ACCESS_KEY_ID: "AKIDEMULATOR",
  AWS_SECRET_ACCESS_KEY: "emulator-secret-key",
  AWS_CONFIG_FILE: "/nonexistent/aws-config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
  AWS_EC2_METADATA_DISABLED: "true",
  NO_COLOR: "1",
};

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!built)("secretlint audit (binary)", () => {
  it("audits the example snapshot offline: six planted problems, exit 1", () => {
    const r = spawnSync(process.execPath, [bin, "audit", "--snapshot", `${example}/snapshot.json`, "--tf", `${example}/terraform`, "-f", "json"], { cwd: root, env, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout).findings as Array<{ ruleId: string }>).map((f) => f.ruleId).sort()).toEqual(Object.values(PLANTED_RULES).sort());
  });

  it("audits the emulated account live, with --debug after the command", async () => {
    const emu = new Emulator(emulatedAccount(PLANTED));
    await emu.start();
    try {
      const r = await run(["audit", "--live", "--regions", "us-east-1,us-west-2", "--endpoint-url", emu.url, "--read-values", "--tf", `${example}/terraform`, "-f", "json", "--debug"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("secretlint: debug: aws secretsmanager:ListSecrets us-east-1: ok");
      expect(r.stderr).not.toContain("NodeVersionSupportWarning");
      expect((JSON.parse(r.stdout).findings as unknown[]).length).toBe(6);
    } finally {
      await emu.stop();
    }
  });
});
