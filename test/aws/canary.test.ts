// Secret values never leave memory: canary values planted in the emulated secrets must not
// appear in any output format, snapshot, log, error or --debug line — also when the service
// answers value calls with errors or malformed bodies that echo the values.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BatchGetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARIES, PLANTED, emulatedAccount } from "./accounts.js";
import { Emulator, type Faults } from "./emulator.js";
import { isolateAwsEnv } from "./env.js";
import { runAudit } from "./run.js";

const root = path.resolve(import.meta.dirname, "../..");
const TF = path.relative(process.cwd(), path.join(root, "fixtures", "snapshots", "example", "terraform"));

let restore: () => void;
let tmp: string;
beforeAll(() => {
  restore = isolateAwsEnv();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-canary-"));
});
afterAll(() => {
  restore();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every canary, and its JSON- and base64-encoded forms. */
function leaks(text: string): string[] {
  const forms = CANARIES.flatMap((c) => [c, JSON.stringify(c).slice(1, -1), Buffer.from(c).toString("base64")]);
  return forms.filter((f) => text.includes(f));
}

async function everyOutput(emu: Emulator, label: string): Promise<string> {
  const texts: string[] = [];
  const base = ["--live", "--regions", "us-east-1,us-west-2", "--endpoint-url", emu.url, "--read-values", "--tf", TF, "--debug", "--allow-partial"];
  for (const format of ["text", "json", "sarif", "github"]) {
    const snap = path.join(tmp, `${label}-${format}.snapshot.json`);
    const sarif = path.join(tmp, `${label}-${format}.sarif`);
    const report = path.join(tmp, `${label}-${format}.out`);
    const baseline = path.join(tmp, `${label}-${format}.baseline.json`);
    const r1 = await runAudit([...base, "-f", format, "--snapshot-out", snap, "--sarif-file", sarif, "--include-suppressed"]);
    const r2 = await runAudit([...base, "-f", format, "-o", report, "--write-baseline", baseline]);
    texts.push(r1.stdout, r1.stderr, r2.stdout, r2.stderr);
    for (const f of [snap, sarif, report, baseline]) texts.push(fs.readFileSync(f, "utf8"));
    // And the snapshot audited offline.
    const r3 = await runAudit(["--snapshot", snap, "--tf", TF, "-f", format, "--debug", "--allow-partial"]);
    texts.push(r3.stdout, r3.stderr);
    expect(r1.code, r1.stderr).toBeLessThan(2);
  }
  const dump = await runAudit([...base, "--dump-inventory"]);
  texts.push(dump.stdout, dump.stderr);
  return texts.join("\n");
}

async function withEmulator<T>(faults: Faults, fn: (emu: Emulator) => Promise<T>): Promise<T> {
  const emu = new Emulator(emulatedAccount(PLANTED), faults);
  await emu.start();
  try {
    return await fn(emu);
  } finally {
    await emu.stop();
  }
}

describe("canary values", () => {
  it("are served by the emulator (so the checks below could catch a leak)", async () => {
    await withEmulator({}, async (emu) => {
      const client = new SecretsManagerClient({ region: "us-east-1", endpoint: emu.url });
      try {
        const out = await client.send(new BatchGetSecretValueCommand({ SecretIdList: [emu.arnOf("sym/prod/okta-token"), emu.arnOf("ci/deploy-key")] }));
        const served = JSON.stringify(out.SecretValues);
        expect(served).toContain(CANARIES[0]);
        expect(served).toContain(CANARIES[6]);
      } finally {
        client.destroy();
      }
      // And the audit did read them: the value shapes are known.
      const r = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", emu.url, "--read-values", "--dump-inventory"]);
      expect(r.stdout).toContain('"keys": [\n          "token"');
    });
  });

  it("appear in no output format, snapshot, baseline, log or --debug line", async () => {
    await withEmulator({}, async (emu) => {
      expect(leaks(await everyOutput(emu, "plain"))).toEqual([]);
    });
  });

  it("appear in no output when value calls fail with errors that echo the values", async () => {
    // Fewer attempts: each value call fails every time, and retrying it only takes longer.
    process.env.AWS_MAX_ATTEMPTS = "2";
    await withEmulator({ echoValuesInErrors: true }, async (emu) => {
      const all = await everyOutput(emu, "echo");
      expect(all).toContain("BatchGetSecretValue in us-east-1 failed (InternalServiceError, HTTP 500)"); // the failure is reported…
      expect(leaks(all)).toEqual([]); // …without what the error said
    }).finally(() => delete process.env.AWS_MAX_ATTEMPTS);
  });

  it("appear in no output when value responses are malformed", async () => {
    await withEmulator({ malformedValueResponses: true }, async (emu) => {
      const all = await everyOutput(emu, "malformed");
      expect(all).toContain("BatchGetSecretValue");
      expect(leaks(all)).toEqual([]);
    });
  });

  it("appear in no error when the whole run fails under --debug", async () => {
    await withEmulator({ echoValuesInErrors: true }, async (emu) => {
      // A report file that cannot be written: an internal error, shown with its stack under --debug.
      const r = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", emu.url, "--read-values", "--debug", "-o", path.join(tmp, "no-such-dir", "out.txt")]);
      expect(r.code).toBe(2);
      expect(leaks(r.stdout + r.stderr)).toEqual([]);
    });
  });
});
