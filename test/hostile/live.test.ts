// A hostile AWS endpoint: page tokens that repeat forever, bodies that trickle, proxies' HTML
// pages, bodies that are not the protocol's. Each audit ends (vitest's test timeout is the
// generous bound: no timed assertion), says what it could not read with the HTTP status and the
// error code, prints no control character from the endpoint, and exits 2 (0/1 with --allow-partial).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLEAN, PLANTED, emulatedAccount } from "../aws/accounts.js";
import { Emulator, type Faults } from "../aws/emulator.js";
import { isolateAwsEnv } from "../aws/env.js";
import { runAudit } from "../aws/run.js";
import { flatText } from "../helpers/text.js";

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let restore: () => void;
beforeAll(() => {
  restore = isolateAwsEnv();
});
afterAll(() => restore());

async function auditWith(faults: Faults, extra: string[] = [], planted = false) {
  const emu = new Emulator(emulatedAccount(planted ? PLANTED : CLEAN), faults);
  await emu.start();
  try {
    const r = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", emu.url, "-f", "text", ...extra]);
    return { ...r, stats: emu.stats };
  } finally {
    await emu.stop();
  }
}

function inert(r: { stdout: string; stderr: string }) {
  expect(r.stdout).not.toMatch(RAW_CONTROL);
  expect(r.stderr).not.toMatch(RAW_CONTROL);
  expect(r.stdout + r.stderr).not.toMatch(/\$response|Deserialization error|forged/);
}

describe("a hostile endpoint", () => {
  it("ListSecrets that returns the same NextToken forever: the listing stops, a notice, exit 2", async () => {
    const r = await auditWith({ repeatPageToken: ["ListSecrets"] });
    inert(r);
    expect(r.code).toBe(2);
    expect(flatText(r.stdout)).toMatch(/secretsmanager:ListSecrets in us-east-1 returned a page token it had returned before \(the listing would never end\): the secrets of us-east-1 were not \(all\) listed/);
    expect(r.stats.ListSecrets.requests).toBeLessThanOrEqual(3);
    const allowed = await auditWith({ repeatPageToken: ["ListSecrets"] }, ["--allow-partial"]);
    expect(allowed.code).toBe(0);
  });

  it("GetAccountAuthorizationDetails that repeats its Marker: IAM is not checked, a notice, exit 2", async () => {
    const r = await auditWith({ repeatPageToken: ["GetAccountAuthorizationDetails"] });
    inert(r);
    expect(r.code).toBe(2);
    expect(flatText(r.stdout)).toMatch(/iam:GetAccountAuthorizationDetails returned a page token it had returned before .*IAM policies, Sym access policies and principals were not checked/);
  });

  it("BatchGetSecretValue that repeats its NextToken: the paging stops at the repeat (what was read is kept)", async () => {
    const r = await auditWith({ repeatPageToken: ["BatchGetSecretValue"] }, ["--read-values"]);
    inert(r);
    // Every value of the chunk came with the first page: nothing is missing, so nothing is partial.
    expect(r.code).toBe(0);
    expect(r.stats.BatchGetSecretValue.requests).toBe(2);
  });

  it("a body that trickles a byte at a time is cut at --timeout, per attempt", async () => {
    const r = await auditWith({ trickle: { apis: ["GetResourcePolicy"], intervalMs: 250 } }, ["--timeout", "0.5"]);
    inert(r);
    expect(r.code).toBe(2);
    expect(flatText(r.stdout)).toMatch(/secretsmanager:GetResourcePolicy in us-east-1 failed \(TimeoutError\) for \d+ of \d+ secrets .*: their resource policies were not checked/);
  });

  it("a proxy's HTML error page: the notice names the HTTP status and the error, and nothing of the page", async () => {
    const r = await auditWith({ htmlErrors: ["ListSecrets"] });
    inert(r);
    expect(r.code).toBe(2);
    expect(flatText(r.stdout)).toMatch(/secretsmanager:ListSecrets in us-east-1 failed \(HTTP 502: the answer was not AWS's \(text\/html\)\)/);
    expect(r.stdout).not.toMatch(/Bad Gateway|upstream/);
  });

  it("an unreadable STS answer: one line with the status, without the SDK's hint or the body", async () => {
    const garbage = await auditWith({ garbageBodies: ["GetCallerIdentity"] });
    inert(garbage);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr.trim().split("\n")).toHaveLength(1);
    expect(garbage.stderr).toMatch(/cannot reach AWS as the caller: sts:GetCallerIdentity in us-east-1 failed: HTTP 200, the answer was not AWS's/);
    const html = await auditWith({ htmlErrors: ["GetCallerIdentity"] });
    inert(html);
    expect(html.stderr).toMatch(/sts:GetCallerIdentity in us-east-1 failed: HTTP 502, the answer was not AWS's \(text\/html\)/);
  });
});
