// `audit` options: the assumed role and its external id, endpoints from --endpoint-url or the
// SDK's AWS_ENDPOINT_URL* variables, the default region, progress on a TTY only, timeouts, and
// one-line errors for wrong arguments.

import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Limiter, Pacer } from "../../src/sources/aws/pace.js";
import { CLEAN, emulatedAccount, largeAccount } from "./accounts.js";
import { Emulator } from "./emulator.js";
import { isolateAwsEnv } from "./env.js";
import { runAudit } from "./run.js";

const root = path.resolve(import.meta.dirname, "../..");
const EXAMPLE = path.relative(process.cwd(), path.join(root, "fixtures", "snapshots", "example", "snapshot.json"));

let restore: () => void;
let emu: Emulator;
beforeAll(async () => {
  restore = isolateAwsEnv();
  emu = new Emulator(emulatedAccount(CLEAN));
  await emu.start();
});
afterAll(async () => {
  await emu.stop();
  restore();
});

describe("audit options", () => {
  it("assumes --role-arn with --external-id for every call", async () => {
    emu.resetStats();
    emu.assumed.length = 0;
    const r = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", emu.url, "--role-arn", "arn:aws:iam::111122223333:role/SecretlintAudit", "--external-id", "ext-42"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(emu.assumed).toEqual([{ roleArn: "arn:aws:iam::111122223333:role/SecretlintAudit", externalId: "ext-42" }]);
    // Every other call is signed with the assumed role's keys.
    const others = emu.requests.filter((q) => q.api !== "AssumeRole");
    expect(others.length).toBeGreaterThan(3);
  });

  it("says so in one line when the role cannot be assumed", async () => {
    emu.faults = { deny: ["AssumeRole"] };
    try {
      const r = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", emu.url, "--role-arn", "arn:aws:iam::111122223333:role/SecretlintAudit"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^secretlint: cannot assume arn:aws:iam::111122223333:role\/SecretlintAudit: sts:AssumeRole in us-east-1 failed: AccessDenied, HTTP 403/);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    } finally {
      emu.faults = {};
    }
  });

  it("stops everything, in one line, when the caller's identity cannot be read", async () => {
    emu.faults = { deny: ["GetCallerIdentity"], latencyMs: 50 };
    try {
      const t0 = performance.now();
      const r = await runAudit(["--live", "--regions", "us-east-1,us-west-2", "--endpoint-url", emu.url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^secretlint: cannot reach AWS as the caller: sts:GetCallerIdentity in us-east-1 failed: AccessDenied, HTTP 403/);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(performance.now() - t0).toBeLessThan(2000);
    } finally {
      emu.faults = {};
    }
  });

  it("takes the endpoint from AWS_ENDPOINT_URL and the region from AWS_REGION", async () => {
    process.env.AWS_ENDPOINT_URL = emu.url;
    try {
      emu.resetStats();
      const r = await runAudit(["--live", "-f", "json"]);
      expect(r.code).toBe(0);
      expect(new Set(emu.requests.map((q) => q.region))).toEqual(new Set(["us-east-1"]));
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
    }
    // Service-specific variables, as the SDK reads them.
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = emu.url;
    process.env.AWS_ENDPOINT_URL_IAM = emu.url;
    process.env.AWS_ENDPOINT_URL_STS = emu.url;
    try {
      emu.resetStats();
      const r = await runAudit(["--live", "--regions", "us-west-2", "-f", "json"]);
      expect(r.code).toBe(0);
      expect(emu.stats.ListSecrets.requests).toBe(1);
      expect(emu.stats.GetAccountAuthorizationDetails.requests).toBe(1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
      delete process.env.AWS_ENDPOINT_URL_IAM;
      delete process.env.AWS_ENDPOINT_URL_STS;
    }
  });

  it("asks for a region when none is configured", async () => {
    delete process.env.AWS_REGION;
    try {
      const r = await runAudit(["--live", "--endpoint-url", emu.url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^secretlint: no region to audit: pass --regions/);
    } finally {
      process.env.AWS_REGION = "us-east-1";
    }
  });

  it("times out a call that never answers, and retries it", async () => {
    emu.resetStats();
    emu.faults = { hangEvery: 1000, faultApis: ["ListSecrets"] }; // the 3rd ListSecrets request hangs
    try {
      const r = await runAudit(["--live", "--regions", "us-east-1,us-west-2,eu-west-1", "--endpoint-url", emu.url, "--timeout", "0.3", "--debug"]);
      expect(r.code).toBe(0);
      expect(emu.stats.ListSecrets.hung).toBe(1);
      expect(r.stderr).toMatch(/ListSecrets \S+: ok in \d+ ms, 2 attempts/);
    } finally {
      emu.faults = {};
    }
  });

  it("shows progress on a TTY only", async () => {
    const plain = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", emu.url]);
    expect(plain.stderr).toBe("");
    const was = process.stderr.isTTY;
    process.stderr.isTTY = true;
    try {
      const tty = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", emu.url]);
      expect(tty.stderr).toMatch(/\r\x1b\[2Kauditing: \d+ secrets listed/);
      expect(tty.stderr.endsWith("\r\x1b[2K")).toBe(true); // cleared before the report
    } finally {
      process.stderr.isTTY = was;
    }
  });

  it.each([
    [["--live", "--snapshot", EXAMPLE], /give either --live or --snapshot FILE, not both/],
    [[], /say what to audit: --live .* or --snapshot FILE/],
    [["--snapshot", EXAMPLE, "--read-values"], /--read-values applies to --live only/],
    [["--snapshot", EXAMPLE, "--regions", "us-east-1"], /--regions applies to --live only/],
    [["--live", "--regions", "us-east-1,mars"], /--regions: `mars` is not a region name/],
    [["--live", "--endpoint-url", "ftp://x"], /--endpoint-url ftp:\/\/x: not an http\(s\) URL/],
    [["--live", "--external-id", "x"], /--external-id needs --role-arn/],
    [["--live", "--role-arn", "arn:aws:iam::1:user/x"], /--role-arn .*: not a role ARN/],
    [["--live", "--timeout", "0"], /--timeout 0: give the seconds/],
    [["--snapshot", EXAMPLE, "--tf", "no/such/dir"], /--tf no\/such\/dir: no such directory/],
    [["--snapshot", EXAMPLE, "--rule", "no/such-rule"], /unknown rule id `no\/such-rule`/],
    [["--snapshot", EXAMPLE, "-f", "xml"], /--format xml: unknown format/],
  ])("refuses %j in one line, exit 2", async (args, message) => {
    const r = await runAudit(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("pacing", () => {
  it("spaces starts evenly at the rate, without bursts after a stall", async () => {
    const p = new Pacer(100);
    const starts: number[] = [];
    const t0 = performance.now();
    const all = Array.from({ length: 30 }, () => p.take().then(() => starts.push(performance.now() - t0)));
    // Stall the event loop for 80 ms: the starts that waited must not burst out.
    const stallUntil = performance.now() + 80;
    while (performance.now() < stallUntil) {
      /* busy */
    }
    await Promise.all(all);
    // A start handed out just before the stall runs after it, with the next: one extra at most.
    for (let i = 0; i < starts.length; i++) {
      const inWindow = starts.filter((t) => t >= starts[i] && t < starts[i] + 100).length;
      expect(inWindow).toBeLessThanOrEqual(12); // the rate, +1 for a slot's slack, +1 for the stall
    }
    expect(starts[29] - starts[0]).toBeLessThan(29 * 10 * 1.2);
  });

  it("bounds the tasks in flight", async () => {
    const l = new Limiter(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        l.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 2));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it("keeps GetResourcePolicy under a service's rate limit: no throttling", async () => {
    const big = new Emulator(largeAccount(120, 10), { latencyMs: 5, rateLimits: { GetResourcePolicy: 50 } });
    await big.start();
    try {
      const t0 = performance.now();
      const r = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", big.url, "-f", "json"]);
      const wall = (performance.now() - t0) / 1000;
      expect(r.stderr).toBe("");
      expect(big.stats.GetResourcePolicy.requests).toBe(120);
      expect(big.stats.GetResourcePolicy.throttled).toBe(0);
      expect(wall).toBeGreaterThan(120 / 50 - 0.1);
    } finally {
      await big.stop();
    }
  });
});
