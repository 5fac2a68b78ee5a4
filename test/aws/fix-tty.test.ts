// `audit --live --apply` on a terminal asks before it writes: anything but "yes" writes
// nothing; "yes" applies the plan. The built CLI runs in a pseudo-terminal (util-linux
// `script`), against the emulator in this process.

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Emulator } from "./emulator.js";

const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin", "secretlint.js");
const built = fs.existsSync(path.join(root, "dist", "cli.js"));
const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
if (!hasScript) console.warn("--apply confirmation test skipped: util-linux `script` (a pseudo-terminal) is not installed");

const ACCOUNT = "111122223333";

function account() {
  return {
    account: ACCOUNT,
    secrets: [
      { name: "apono/prod/db", region: "us-east-1", tags: { "apono-connector-read": "True" } },
      { name: "apono/prod/cache", region: "us-east-1", tags: { "apono-connector-read": "yes" } },
    ],
    principals: [],
    policies: [],
  };
}

/** Runs the CLI in a pseudo-terminal, typing `answer` once it asks. */
function onTerminal(args: string[], answer: string): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_"))),
    AWS_ACCESS_KEY_ID: "AKIDEMULATOR",
    AWS_SECRET_ACCESS_KEY: "emulator-secret-key",
    AWS_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    NO_COLOR: "1",
  };
  return new Promise((resolve) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    let answered = false;
    const onData = (d: Buffer) => {
      output += d.toString("utf8");
      if (!answered && output.includes('Only "yes" is accepted:')) {
        answered = true;
        child.stdin.write(`${answer}\r`);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe.skipIf(!built || !hasScript)("audit --apply on a terminal", () => {
  it("writes nothing unless the answer is yes, and applies on yes", async () => {
    const emu = new Emulator(account());
    await emu.start();
    try {
      const args = ["audit", "--live", "--regions", "us-east-1", "--endpoint-url", emu.url, "--apply"];
      const no = await onTerminal(args, "no");
      expect(no.output).toContain("Tag 2 secrets in account 111122223333 as planned?");
      expect(no.output).toContain("cancelled: nothing was written");
      expect(emu.stats.TagResources).toBeUndefined();
      const yes = await onTerminal(args, "yes");
      expect(yes.output).toContain("Applied: 2 of 2 secrets tagged in 1 TagResources call.");
      expect(emu.tagsOf("apono/prod/db")).toEqual({ "apono-connector-read": "true" });
      expect(emu.tagsOf("apono/prod/cache")).toEqual({ "apono-connector-read": "true" });
      expect(yes.code).toBe(0);
    } finally {
      await emu.stop();
    }
  }, 60_000);
});
