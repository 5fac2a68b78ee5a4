// `audit` options: the assumed role and its external id, endpoints from --endpoint-url or the
// SDK's AWS_ENDPOINT_URL* variables, the default region, progress on a TTY only, timeouts, and
// one-line errors for wrong arguments.

import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_RATE } from "../../src/sources/aws/collect.js";
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
    emu.resetStats();
    emu.faults = { deny: ["GetCallerIdentity"], latencyMs: 50 };
    try {
      const r = await runAudit(["--live", "--regions", "us-east-1,us-west-2", "--endpoint-url", emu.url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^secretlint: cannot reach AWS as the caller: sts:GetCallerIdentity in us-east-1 failed: AccessDenied, HTTP 403/);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      // The denial is final: asked once, not retried with back-off (counted, not timed: a loaded
      // machine is slow, not wrong). The calls started beside it are abandoned with the run.
      expect(emu.stats.GetCallerIdentity).toMatchObject({ requests: 1, denied: 1 });
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
      const r = await runAudit(["--live", "--regions", "us-east-1,us-west-2,eu-west-1", "--endpoint-url", emu.url, "--timeout", "1", "--debug"]);
      expect(r.code).toBe(0);
      expect(emu.stats.ListSecrets.hung).toBe(1);
      // Each region's listing succeeded; the attempts they took are every request the emulator saw:
      // one more than the three regions for the hung one, and more only for attempts a loaded
      // machine let run past the timeout (each also retried) — never a request unaccounted for.
      const attempts = [...r.stderr.matchAll(/ListSecrets (\S+): ok in \d+ ms, (\d+) attempts?/g)].map((m) => [m[1], Number(m[2])] as const);
      expect(attempts.map(([region]) => region).sort()).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
      const total = attempts.reduce((n, [, a]) => n + a, 0);
      expect(total).toBe(emu.stats.ListSecrets.requests);
      expect(total).toBeGreaterThanOrEqual(4);
      expect(Math.max(...attempts.map(([, a]) => a))).toBeGreaterThanOrEqual(2);
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
  /**
   * Runs `n` starts of a pacer on a clock the test moves (fake timers, so no test depends on
   * the machine's load): `late` ms added before each timer fires (timers fire late), and a
   * `stall` of the event loop (the clock moves, no timer runs) after the `stallAfter`-th start.
   * Returns each start's slot (what take() resolved with) and the clock when it was handed out.
   */
  async function paced(n: number, opts: { late?: number; stall?: number; stallAfter?: number } = {}) {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const t0 = Date.now();
      // The pacer's clock: the fake timers' time, plus what the test adds (lateness, stalls).
      let extra = 0;
      const clock = () => Date.now() - t0 + extra;
      const p = new Pacer(100, clock);
      const starts: Array<{ slot: number; at: number }> = [];
      const all = Array.from({ length: n }, () => p.take().then((slot) => starts.push({ slot, at: clock() })));
      await Promise.resolve();
      let stalled = false;
      while (starts.length < n) {
        if (!stalled && opts.stall && starts.length >= (opts.stallAfter ?? 1)) {
          stalled = true;
          extra += opts.stall;
        }
        expect(vi.getTimerCount()).toBe(1); // the pacer waits on one timer at a time
        extra += opts.late ?? 0;
        await vi.advanceTimersToNextTimerAsync();
      }
      await Promise.all(all);
      return starts;
    } finally {
      vi.useRealTimers();
    }
  }

  it("spaces starts evenly at the rate (slots at least 1000/rate ms apart), on a clock that only the test moves", async () => {
    const starts = await paced(30);
    for (let i = 1; i < starts.length; i++) expect(starts[i].slot - starts[i - 1].slot).toBeGreaterThanOrEqual(10);
    expect(starts[29].slot - starts[0].slot).toBeLessThan(29 * 10 + 10);
  });

  it("holds the rate when timers fire late, and lets no burst out after a stall", async () => {
    const late = await paced(30, { late: 4 });
    for (let i = 1; i < late.length; i++) expect(late[i].slot - late[i - 1].slot).toBeGreaterThanOrEqual(10);
    // Lateness beyond the slack (2.5 ms at 100/s) slows the pacer, never speeds it up.
    expect(late[29].slot - late[0].slot).toBeLessThanOrEqual(29 * (10 + 4));
    const stalled = await paced(30, { stall: 80, stallAfter: 5 });
    for (let i = 1; i < stalled.length; i++) expect(stalled[i].slot - stalled[i - 1].slot).toBeGreaterThanOrEqual(10);
    // Handed out: after the stall, one start at once (the one that was due), then the rate again.
    for (const s of stalled) {
      const inWindow = stalled.filter((t) => t.at >= s.at && t.at < s.at + 100).length;
      expect(inWindow).toBeLessThanOrEqual(11); // the rate, +1 for the start due during the stall
    }
    const after = stalled.filter((s) => s.at >= stalled[4].at + 80);
    expect(after[1].at - after[0].at).toBeGreaterThanOrEqual(10 - 2.5);
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

  it("keeps GetResourcePolicy under a service's rate limit: paced at the sender, every extra request a retry of a throttled one", async () => {
    // The emulator counts a one-second window of arrivals; on a loaded machine (the emulator and
    // the audit share one event loop) requests sent at the pacer's rate can arrive bunched and
    // be throttled, then retried by the SDK. So the pacing is checked where it is decided — the
    // slot of every start, which no load moves — and every request beyond the 120 needed must
    // be the retry of a throttled one, with all 120 answered.
    const rate = 50;
    const big = new Emulator(largeAccount(120, 10), { latencyMs: 5, rateLimits: { GetResourcePolicy: rate } });
    const slots = new Map<Pacer, number[]>();
    const take = Pacer.prototype.take;
    const spy = vi.spyOn(Pacer.prototype, "take").mockImplementation(async function (this: Pacer) {
      const slot = await take.call(this);
      slots.set(this, [...(slots.get(this) ?? []), slot]);
      return slot;
    });
    await big.start();
    try {
      const r = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", big.url, "-f", "json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const s = big.stats.GetResourcePolicy;
      expect(s.ok).toBe(120);
      expect(s.requests).toBe(s.ok + s.throttled);
      expect([s.serverErrors, s.denied, s.hung]).toEqual([0, 0, 0]);
      // One start per secret's policy, each slot at least 1000/47.5 ms after the previous one:
      // no one-second window holds more than the service's limit.
      const policy = [...slots.values()].filter((v) => v.length === 120);
      expect(policy).toHaveLength(1);
      const starts = policy[0];
      for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(1000 / DEFAULT_RATE - 1e-9);
      for (const t of starts) expect(starts.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(rate);
    } finally {
      spy.mockRestore();
      await big.stop();
    }
  });
});
