// Snapshots: `--snapshot-out` writes what a live audit read (no values; schema version,
// account, regions, time), `audit --snapshot` audits it offline with the same result, and the
// example snapshot in fixtures/ is the emulated account with planted problems.
//
// UPDATE_EXAMPLE_SNAPSHOT=1 rewrites fixtures/snapshots/example/snapshot.json from the emulator.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SNAPSHOT_SCHEMA_VERSION } from "../../src/sources/aws/data.js";
import { PLANTED, PLANTED_RULES, emulatedAccount } from "./accounts.js";
import { Emulator } from "./emulator.js";
import { isolateAwsEnv } from "./env.js";
import { runAudit } from "./run.js";

const root = path.resolve(import.meta.dirname, "../..");
const exampleDir = path.join(root, "fixtures", "snapshots", "example");
const EXAMPLE = path.relative(process.cwd(), path.join(exampleDir, "snapshot.json"));
const TF = path.relative(process.cwd(), path.join(exampleDir, "terraform"));
const REGIONS = "us-east-1,us-west-2";

let restore: () => void;
let tmp: string;
let emu: Emulator;
beforeAll(async () => {
  restore = isolateAwsEnv();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-snapshot-"));
  emu = new Emulator(emulatedAccount(PLANTED));
  await emu.start();
});
afterAll(async () => {
  await emu.stop();
  restore();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const stable = (text: string) => {
  const s = JSON.parse(text);
  delete s.createdAt;
  delete s.tool;
  return s;
};

describe("snapshots", () => {
  it("hold the account's metadata and value shapes, never a value", async () => {
    const file = path.join(tmp, "snap.json");
    const r = await runAudit(["--live", "--regions", REGIONS, "--endpoint-url", emu.url, "--read-values", "--snapshot-out", file, "-q"]);
    expect(r.code).toBe(1);
    const s = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(s.schemaVersion).toBe(SNAPSHOT_SCHEMA_VERSION);
    expect(s.account).toBe("111122223333");
    expect(s.regions).toEqual(["us-east-1", "us-west-2"]);
    expect(s.listedRegions).toEqual(["us-east-1", "us-west-2"]);
    expect(s.readValues).toBe(true);
    expect(Number.isNaN(Date.parse(s.createdAt))).toBe(false);
    expect(s.tool.name).toBe("secretlint");
    const db = s.secrets.find((x: { name: string }) => x.name === "sym/prod/db");
    expect(db.value).toEqual({ kind: "json-object", keys: ["username", "pass"] });
    for (const x of s.secrets) expect(Object.keys(x.value ?? {}).every((k) => k === "kind" || k === "keys")).toBe(true);
    expect(JSON.stringify(s)).not.toMatch(/SecretString|SecretBinary|CANARY/);
    // IAM documents are stored decoded.
    expect(s.iam.policies[0].document.Statement[0].Sid).toBe("SymReadsProdSecrets");
  });

  it("audit offline to the same findings as the live audit", async () => {
    const file = path.join(tmp, "snap2.json");
    const live = await runAudit(["--live", "--regions", REGIONS, "--endpoint-url", emu.url, "--read-values", "--tf", TF, "--snapshot-out", file, "-f", "json"]);
    const offline = await runAudit(["--snapshot", file, "--tf", TF, "-f", "json"]);
    expect(offline.code).toBe(live.code);
    const strip = (t: string) => (JSON.parse(t).findings as Array<Record<string, unknown>>).map(({ ruleId, message, file, arn, line }) => ({ ruleId, message, file, arn, line }));
    expect(strip(offline.stdout)).toEqual(strip(live.stdout));
    expect(strip(offline.stdout).map((f) => f.ruleId).sort()).toEqual(Object.values(PLANTED_RULES).sort());
  });

  it("the example snapshot is the emulated account with planted problems", async () => {
    const file = path.join(tmp, "example.json");
    await runAudit(["--live", "--regions", REGIONS, "--endpoint-url", emu.url, "--read-values", "--snapshot-out", file, "-q"]);
    const fresh = fs.readFileSync(file, "utf8");
    if (process.env.UPDATE_EXAMPLE_SNAPSHOT) fs.writeFileSync(path.join(exampleDir, "snapshot.json"), fresh);
    expect(stable(fs.readFileSync(path.join(exampleDir, "snapshot.json"), "utf8"))).toEqual(stable(fresh));
  });

  it("the example finds each planted problem without AWS, placed in the snapshot in SARIF", async () => {
    const r = await runAudit(["--snapshot", EXAMPLE, "--tf", TF, "-f", "sarif"]);
    expect(r.code).toBe(1);
    const run = JSON.parse(r.stdout).runs[0];
    expect(run.automationDetails.id).toBe("audit/secretlint/");
    expect(run.results.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual(Object.values(PLANTED_RULES).sort());
    const text = fs.readFileSync(EXAMPLE, "utf8").split("\n");
    for (const res of run.results) {
      const loc = res.locations[0];
      const uri = loc.physicalLocation.artifactLocation.uri;
      // Matched to their Terraform declarations (the Sym secret; the CI role's inline policy): placed there.
      if (res.ruleId === "sym/json-key-missing" || res.ruleId === "iam/secret-read-wildcard") {
        expect(uri).toBe(`${TF}/main.tf`);
        continue;
      }
      // A live finding without a declaration: the ARN as a logical location, the snapshot's line naming it as the physical one.
      const arn = loc.logicalLocations[0].fullyQualifiedName;
      expect(uri).toBe(EXAMPLE);
      expect(text[loc.physicalLocation.region.startLine - 1]).toContain(arn);
    }
  });

  it("refuses another schema version, invalid JSON and values, in one line", async () => {
    const bad = (name: string, body: string) => {
      const f = path.join(tmp, name);
      fs.writeFileSync(f, body);
      return f;
    };
    const example = JSON.parse(fs.readFileSync(EXAMPLE, "utf8"));
    const cases: Array<[string, RegExp]> = [
      [bad("v2.json", JSON.stringify({ ...example, schemaVersion: 2 })), /snapshot schema version 2 is not supported \(this secretlint reads version 1\)/],
      [bad("junk.json", "{not json"), /not a snapshot \(invalid JSON at line 1, column 2\)/],
      [bad("value.json", JSON.stringify({ ...example, secrets: [{ ...example.secrets[0], value: { kind: "plain", text: "x" } }] })), /holds more than a shape/],
      [path.join(tmp, "missing.json"), /missing.json: no such snapshot/],
    ];
    for (const [file, message] of cases) {
      const r = await runAudit(["--snapshot", file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
