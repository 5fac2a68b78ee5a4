// `audit --live --fix` and `--apply` against the emulated account: 45 secrets missing their
// integration tags (30 Sym secrets without SymEnv, 15 Apono secrets tagged "True"). The plan
// lists 45 changes and writes nothing; --apply makes them in 3 TagResources calls (two tag
// sets: 20 + 10 and 15), reports the planted FailedResourcesMap entry, reads the changed secrets
// again and reports only what is left; a second audit agrees. With throttling injected the
// account ends tagged as after a clean run, and no secret value appears anywhere.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Emulator, type EmuAccount, type Faults } from "./emulator.js";
import { isolateAwsEnv } from "./env.js";
import { runAudit } from "./run.js";

const ACCOUNT = "111122223333";
const SYM = 30;
const APONO = 15;
const canary = (i: number) => `CANARY-fix-${i.toString(16).padStart(4, "0")}-d1e2f3`;

function account45(): EmuAccount {
  const secrets: EmuAccount["secrets"] = [];
  for (let i = 0; i < SYM; i++) secrets.push({ name: `sym/prod/app-${i}`, region: "us-east-1", tags: { Team: "platform" }, value: JSON.stringify({ token: canary(i) }) });
  for (let i = 0; i < APONO; i++) secrets.push({ name: `apono/prod/db-${i}`, region: "us-east-1", tags: { "apono-connector-read": "True" }, value: JSON.stringify({ password: canary(100 + i) }) });
  // Right already: not in the plan.
  secrets.push({ name: "sym/prod/ok", region: "us-east-1", tags: { SymEnv: "prod" }, value: canary(999) });
  secrets.push({ name: "app/unrelated", region: "us-east-1", tags: {}, value: canary(998) });
  return {
    account: ACCOUNT,
    secrets,
    policies: [
      {
        name: "SymSecretsManagerProd",
        path: "/sym/",
        document: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
              Resource: `arn:aws:secretsmanager:*:${ACCOUNT}:secret:sym/*`,
              Condition: { StringEquals: { "secretsmanager:ResourceTag/SymEnv": "prod" } },
            },
          ],
        },
      },
    ],
    principals: [{ kind: "role", name: "SymRuntimeProd", path: "/sym/", attached: ["SymSecretsManagerProd"] }],
  };
}

const WRITES = ["TagResources", "TagResource", "UntagResources", "UntagResource", "PutSecretValue", "UpdateSecret", "PutResourcePolicy", "DeleteResourcePolicy"];

let restore: () => void;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-account-fix-"));
beforeAll(() => {
  restore = isolateAwsEnv();
});
afterAll(() => {
  restore();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function withEmulator<T>(faults: Faults, fn: (emu: Emulator) => Promise<T>): Promise<T> {
  const emu = new Emulator(account45(), faults);
  await emu.start();
  try {
    return await fn(emu);
  } finally {
    await emu.stop();
  }
}

const base = (emu: Emulator) => ["--live", "--regions", "us-east-1", "--endpoint-url", emu.url];
let reports = 0;
async function findingsOf(emu: Emulator, extra: string[] = []) {
  const file = path.join(tmp, `report-${reports++}.json`);
  const r = await runAudit([...base(emu), "-f", "json", "-o", file, ...extra]);
  const json = JSON.parse(fs.readFileSync(file, "utf8"));
  const findings = (Array.isArray(json) ? json : json.findings) as Array<{ ruleId: string; arn?: string; message: string }>;
  return { ...r, findings };
}

function expectNoCanary(...texts: string[]) {
  for (const t of texts) expect(t).not.toMatch(/CANARY-fix-/);
}

describe("audit --live --fix: the plan", () => {
  it("lists 45 changes with their findings and AWS CLI commands, and writes nothing", async () => {
    await withEmulator({}, async (emu) => {
      const r = await runAudit([...base(emu), "--fix", "--read-values"]);
      expect(r.stdout).toContain(`Plan: tag changes on 45 secrets of account ${ACCOUNT} (3 TagResources calls); tags are only added or changed, never removed.`);
      for (let i = 0; i < SYM; i++) {
        const arn = emu.arnOf(`sym/prod/app-${i}`);
        expect(r.stdout).toContain(`  ${arn}\n  + SymEnv = "prod"\n  resolves sym/symenv-tag-missing: `);
        expect(r.stdout).toContain(`  $ aws resourcegroupstaggingapi tag-resources --region us-east-1 --resource-arn-list ${arn} --tags '{"SymEnv":"prod"}'`);
      }
      for (let i = 0; i < APONO; i++) {
        expect(r.stdout).toContain(`  ${emu.arnOf(`apono/prod/db-${i}`)}\n  ~ apono-connector-read: "True" -> "true"\n  resolves apono/read-tag-value: `);
      }
      expect(r.stdout).not.toContain("sym/prod/ok (");
      expect(r.stderr).toContain("nothing was written: run again with --apply to make these changes");
      // No write call reached the account.
      for (const api of WRITES) expect(emu.stats[api], api).toBeUndefined();
      expect(emu.requests.filter((q) => WRITES.includes(q.api))).toEqual([]);
      expect(emu.tagged).toEqual([]);
      expectNoCanary(r.stdout, r.stderr);
    });
  });

  it("refuses --apply without --yes when there is no terminal to ask on, before any call", async () => {
    await withEmulator({}, async (emu) => {
      const r = await runAudit([...base(emu), "--apply"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("secretlint: --apply asks for confirmation on a terminal; pass --yes to apply without asking\n");
      expect(emu.totalRequests()).toBe(0);
    });
  });

  it("refuses --apply on a snapshot, and --yes alone", async () => {
    const snap = path.join(tmp, "none.json");
    expect((await runAudit(["--snapshot", snap, "--apply", "--yes"])).stderr).toContain("--apply changes the live account: it needs --live");
    expect((await runAudit(["--snapshot", snap, "--yes"])).stderr).toContain("--yes confirms --apply: give --apply too");
  });
});

describe("audit --live --apply", () => {
  it("makes the 45 changes in 3 calls, reports the planted failure, and a second audit finds only it", async () => {
    await withEmulator({ tagFailures: { "sym/prod/app-7": { status: 403, code: "AccessDeniedException" } } }, async (emu) => {
      const before = await findingsOf(emu);
      expect(before.findings.length).toBe(45);
      emu.resetStats();
      const file = path.join(tmp, "after-apply.json");
      const r = await runAudit([...base(emu), "--apply", "--yes", "--read-values", "-f", "json", "-o", file, "--debug"]);
      const failedArn = emu.arnOf("sym/prod/app-7");
      expect(emu.stats.TagResources.requests).toBe(3);
      expect(emu.tagged.length).toBe(44);
      expect(r.stdout).toContain("Applied: 44 of 45 secrets tagged in 3 TagResources calls.");
      expect(r.stdout).toContain(`  failed: ${failedArn}: AccessDeniedException (status 403)`);
      expect(r.stderr).toContain("1 secret was not tagged (see above); their findings remain");
      // The changed secrets read again by ARN: one GetResources call.
      expect(emu.stats.GetResources.requests).toBe(1);
      // What is left: the failed one only.
      const left = JSON.parse(fs.readFileSync(file, "utf8"));
      const findings = (Array.isArray(left) ? left : left.findings) as Array<{ ruleId: string; arn?: string }>;
      expect(findings.map((f) => `${f.ruleId} ${f.arn}`)).toEqual([`sym/symenv-tag-missing ${failedArn}`]);
      expect(r.code).toBe(1);
      // The account: tags added or changed, none removed.
      for (let i = 0; i < SYM; i++) expect(emu.tagsOf(`sym/prod/app-${i}`)).toEqual(i === 7 ? { Team: "platform" } : { Team: "platform", SymEnv: "prod" });
      for (let i = 0; i < APONO; i++) expect(emu.tagsOf(`apono/prod/db-${i}`)).toEqual({ "apono-connector-read": "true" });
      // A second audit agrees.
      const again = await findingsOf(emu);
      expect(again.findings.map((f) => `${f.ruleId} ${f.arn}`)).toEqual([`sym/symenv-tag-missing ${failedArn}`]);
      expectNoCanary(r.stdout, r.stderr, fs.readFileSync(file, "utf8"));
    });
  });

  it("retries a secret the service failed on its side (5xx in FailedResourcesMap) in another call", async () => {
    await withEmulator({ tagFailures: { "apono/prod/db-3": { status: 500, code: "InternalServiceException", times: 1 } } }, async (emu) => {
      const r = await runAudit([...base(emu), "--apply", "--yes", "-f", "json", "-o", path.join(tmp, "retry.json")]);
      expect(r.stdout).toContain("Applied: 45 of 45 secrets tagged in 4 TagResources calls.");
      expect(emu.tagsOf("apono/prod/db-3")).toEqual({ "apono-connector-read": "true" });
      expect(r.code).toBe(0);
    });
  });

  it("ends with the same tags under throttling as after a clean run", async () => {
    const clean = await withEmulator({}, async (emu) => {
      const r = await runAudit([...base(emu), "--apply", "--yes", "-f", "json", "-o", path.join(tmp, "clean.json")]);
      expect(r.code).toBe(0);
      return emu.allTags();
    });
    const throttled = await withEmulator({ throttleEvery: 2, rateLimits: { TagResources: 2, GetResources: 2 }, faultApis: ["TagResources", "GetResources"] }, async (emu) => {
      const r = await runAudit([...base(emu), "--apply", "--yes", "-f", "json", "-o", path.join(tmp, "throttled.json")]);
      expect(emu.stats.TagResources.throttled).toBeGreaterThan(0);
      expect(r.stdout).toContain("Applied: 45 of 45 secrets tagged in 3 TagResources calls.");
      expect(r.code).toBe(0);
      return emu.allTags();
    });
    // ARNs carry random suffixes: compare by name.
    const byName = (tags: Record<string, Record<string, string>>) => Object.fromEntries(Object.entries(tags).map(([arn, t]) => [arn.replace(/^.*:secret:/, "").replace(/-[A-Za-z0-9]{6}$/, ""), t]));
    expect(byName(throttled)).toEqual(byName(clean));
  });
});

describe("the plan's text", () => {
  it("shows what comes from the account inert (no control character reaches the terminal)", async () => {
    const { planText } = await import("../../src/fix/account.js");
    const text = planText({
      changes: [{ arn: "arn:aws:secretsmanager:us-east-1:1:secret:x\u001b[2J-AbCdEf", region: "us-east-1", name: "x\u001b[2J", tags: { k: "v" }, before: {}, resolves: [{ ruleId: "r", message: "m\u0007" }] }],
      conflicts: [],
      resolved: new Set(),
    });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text).toContain("x\\x1b[2J (us-east-1)");
  });
});
