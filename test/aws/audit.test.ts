// `audit --live` against the loopback emulator: each planted problem is found (and only
// it), a clean account gives nothing, faults (throttling, 5xx, timeouts) on every API change
// nothing, and denied calls give a partial result, a notification and exit 2.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLEAN, PLANTED, PLANTED_RULES, emulatedAccount, type Variant } from "./accounts.js";
import { Emulator, type Faults } from "./emulator.js";
import { isolateAwsEnv } from "./env.js";
import { runAudit } from "./run.js";

const root = path.resolve(import.meta.dirname, "../..");
const example = path.join(root, "fixtures", "snapshots", "example");
const TF = path.relative(process.cwd(), path.join(example, "terraform"));
const REGIONS = "us-east-1,us-west-2";

interface JsonFinding {
  ruleId: string;
  message: string;
  file?: string;
  arn?: string;
}

let restore: () => void;
beforeAll(() => {
  restore = isolateAwsEnv();
});
afterAll(() => restore());

async function withEmulator<T>(variant: Variant, faults: Faults, fn: (emu: Emulator) => Promise<T>): Promise<T> {
  const emu = new Emulator(emulatedAccount(variant), faults);
  await emu.start();
  try {
    return await fn(emu);
  } finally {
    await emu.stop();
  }
}

async function audit(emu: Emulator, extra: string[] = []) {
  const r = await runAudit(["--live", "--regions", REGIONS, "--endpoint-url", emu.url, "--read-values", "--tf", TF, "-f", "json", ...extra]);
  const findings = r.stdout.trim().startsWith("{") ? (JSON.parse(r.stdout).findings as JsonFinding[]) : [];
  return { ...r, findings };
}

/** What identifies a finding across runs. */
const key = (f: JsonFinding) => `${f.ruleId} ${f.arn ?? f.file ?? ""} ${f.message}`;

describe("audit --live on an emulated account", () => {
  it("finds each planted problem, once", async () => {
    await withEmulator(PLANTED, {}, async (emu) => {
      const r = await audit(emu);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      expect(r.findings.map((f) => f.ruleId).sort()).toEqual(Object.values(PLANTED_RULES).sort());
      const byRule = new Map(r.findings.map((f) => [f.ruleId, f]));
      expect(byRule.get("sym/symenv-tag-missing")!.arn).toBe(emu.arnOf("sym/prod/okta-token"));
      expect(byRule.get("apono/read-tag-value")!.arn).toBe(emu.arnOf("apono/prod/postgres"));
      expect(byRule.get("iam/secret-policy-public")!.arn).toBe(emu.arnOf("app/public-config"));
      // The live inline policy, placed at its declaration (both: the role's ARN and the statement in main.tf).
      expect(byRule.get("iam/secret-read-wildcard")!.arn).toBe("arn:aws:iam::111122223333:role/ci-deployer");
      expect(byRule.get("iam/secret-read-wildcard")!.file).toBe(`${TF}/main.tf`);
      expect(byRule.get("aws/secret-region-mismatch")!.arn).toBe(emu.arnOf("flyte/prod/api-key"));
      // Matched to its Terraform declaration: the finding is placed in the file.
      const jsonKey = byRule.get("sym/json-key-missing")!;
      expect(jsonKey.file).toBe(`${TF}/main.tf`);
      expect(jsonKey.message).toContain('"username" and "pass"');
    });
  });

  it.each(Object.keys(PLANTED_RULES) as Array<keyof Variant>)("finds %s alone, and nothing else", async (problem) => {
    await withEmulator({ ...CLEAN, [problem]: true }, {}, async (emu) => {
      const r = await audit(emu);
      expect(r.findings.map((f) => f.ruleId)).toEqual([PLANTED_RULES[problem]]);
      expect(r.code).toBe(1);
    });
  });

  it("finds nothing on a clean account, and exits 0", async () => {
    await withEmulator(CLEAN, {}, async (emu) => {
      const r = await audit(emu);
      expect(r.findings).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
    });
  });

  it("gives the same findings with throttling, 5xx and timeouts injected on every API", async () => {
    const clean = await withEmulator(PLANTED, {}, (emu) => audit(emu));
    const faults: Faults = { throttleEvery: 5, serverErrorEvery: 6, hangEvery: 11 };
    await withEmulator(PLANTED, faults, async (emu) => {
      const r = await audit(emu, ["--timeout", "0.5"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      expect(r.findings.map(key).sort()).toEqual(clean.findings.map(key).sort());
      for (const api of ["GetCallerIdentity", "GetAccountAuthorizationDetails", "ListSecrets", "GetResourcePolicy", "BatchGetSecretValue"]) {
        const s = emu.stats[api];
        expect(s.throttled, `${api} throttled`).toBeGreaterThan(0);
        expect(s.serverErrors, `${api} 5xx`).toBeGreaterThan(0);
        expect(s.hung, `${api} timed out`).toBeGreaterThan(0);
      }
    });
  });

  it("with GetResourcePolicy denied: a partial result, a notification, exit 2 (0/1 with --allow-partial)", async () => {
    await withEmulator(PLANTED, { deny: ["GetResourcePolicy"] }, async (emu) => {
      const r = await audit(emu);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("secretsmanager:GetResourcePolicy in us-east-1 denied (AccessDeniedException, HTTP 400) for 8 of 8 secrets");
      expect(r.stderr).toContain("--allow-partial");
      // Everything but the resource policies is still checked.
      const rules = r.findings.map((f) => f.ruleId).sort();
      expect(rules).toEqual(Object.values(PLANTED_RULES).filter((id) => id !== "iam/secret-policy-public").sort());

      const allowed = await audit(emu, ["--allow-partial"]);
      expect(allowed.code).toBe(1);
      const sarif = await runAudit(["--live", "--regions", REGIONS, "--endpoint-url", emu.url, "-f", "sarif"]);
      expect(sarif.code).toBe(2);
      const run = JSON.parse(sarif.stdout).runs[0];
      expect(run.invocations[0].executionSuccessful).toBe(false);
      expect(run.invocations[0].exitCode).toBe(2);
      const notes = run.invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text);
      expect(notes.some((t: string) => t.includes("GetResourcePolicy") && t.includes("denied"))).toBe(true);
    });
    // A clean account with a denied call: exit 0 with --allow-partial.
    await withEmulator(CLEAN, { deny: ["GetResourcePolicy"] }, async (emu) => {
      expect((await audit(emu)).code).toBe(2);
      expect((await audit(emu, ["--allow-partial"])).code).toBe(0);
    });
  });

  it("with IAM denied: a partial result without IAM, a notification, exit 2", async () => {
    await withEmulator(PLANTED, { deny: ["GetAccountAuthorizationDetails"] }, async (emu) => {
      const r = await audit(emu, ["-f", "text"]);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain("iam:GetAccountAuthorizationDetails denied (AccessDenied, HTTP 403)");
      expect(r.stdout).not.toContain("iam/secret-read-wildcard");
      // The Sym access policy is in IAM: without it, nothing says okta-token is Sym's.
      expect(r.stdout).not.toContain("sym/symenv-tag-missing");
      expect(r.stdout).toContain("iam/secret-policy-public");
      expect(r.stdout).toContain("apono/read-tag-value");
      expect(r.stderr).toContain("partial");
      expect((await audit(emu, ["--allow-partial"])).code).toBe(1);
    });
  });

  it("with some secrets denied: says how many, and checks the others", async () => {
    await withEmulator(PLANTED, { denySecrets: ["app/public-config"] }, async (emu) => {
      const r = await audit(emu);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`secretsmanager:GetResourcePolicy in us-east-1 denied (AccessDeniedException, HTTP 400) for 1 of 8 secrets (e.g. ${emu.arnOf("app/public-config")})`);
      expect(r.stderr).toContain("secretsmanager:BatchGetSecretValue in us-east-1 denied (AccessDeniedException) for 1 of 8 secrets");
      expect(r.findings.map((f) => f.ruleId)).not.toContain("iam/secret-policy-public");
      expect(r.findings.map((f) => f.ruleId)).toContain("sym/json-key-missing");
    });
  });

  it("reports a call that keeps failing as a partial result, not a crash", async () => {
    await withEmulator(PLANTED, { serverErrorEvery: 1, faultApis: ["ListSecrets"] }, async (emu) => {
      const r = await audit(emu, ["--allow-partial"]);
      // serverErrorEvery 1 from the 2nd request on: every ListSecrets after the first fails.
      expect(r.stderr).toMatch(/secretsmanager:ListSecrets in us-(east-1|west-2) failed \(InternalServiceError, HTTP 500\)/);
      expect(r.code).toBe(1);
    });
  });

  it("checks the app configurations beside --tf against the live values: a Flyte request of a JSON secret", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-flyte-"));
    try {
      fs.writeFileSync(path.join(dir, "main.tf"), 'provider "aws" {\n  region = "us-east-1"\n}\n');
      fs.writeFileSync(
        path.join(dir, "workflow.py"),
        [
          "from flytekit import Secret, task",
          "",
          'GROUP = "arn:aws:secretsmanager:us-east-1:111122223333:secret:"',
          "",
          '@task(secret_requests=[Secret(group=GROUP, key="sym/prod/db-Db56Ef"), Secret(group=GROUP, key="ci/deploy-key-Ci12Kl")])',
          "def train() -> None:",
          "    pass",
          "",
        ].join("\n"),
      );
      await withEmulator(CLEAN, {}, async (emu) => {
        const r = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", emu.url, "--read-values", "--tf", dir, "-f", "json"]);
        const findings = JSON.parse(r.stdout).findings as JsonFinding[];
        expect(findings.map((f) => f.ruleId)).toEqual(["flyte/secret-not-plaintext"]);
        expect(findings[0].message).toContain("sym/prod/db");
        // Without the values, their shape is unknown: nothing is said.
        const blind = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", emu.url, "--tf", dir, "-f", "json"]);
        expect(JSON.parse(blind.stdout).findings).toEqual([]);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
