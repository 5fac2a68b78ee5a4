// The AWS managed policies attached in a live account: GetAccountAuthorizationDetails lists them
// (filter AWSManagedPolicy) with their documents, and iam/secret-read-wildcard reports those
// that read every secret (SecretsManagerReadWrite), at the policy, naming its holder. A
// snapshot that lists only the attachment takes the document from the shipped table.

import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLEAN, emulatedAccount } from "./accounts.js";
import { Emulator } from "./emulator.js";
import { isolateAwsEnv } from "./env.js";
import { runAudit } from "./run.js";
import { inventoryFromAccount } from "../../src/sources/aws/inventory.js";
import type { AccountData } from "../../src/sources/aws/data.js";
import { everySecretReadGrants } from "../../src/engine/queries/iam.js";

const root = path.resolve(import.meta.dirname, "../..");
const table = JSON.parse(fs.readFileSync(path.join(root, "data", "iam", "aws-managed-policies.json"), "utf8")) as { policies: Record<string, { document: object } | null> };
const READ_WRITE = "arn:aws:iam::aws:policy/SecretsManagerReadWrite";
const S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";

let restore: () => void;
beforeAll(() => {
  restore = isolateAwsEnv();
});
afterAll(() => restore());

describe("AWS managed policies in a live account", () => {
  it("reports SecretsManagerReadWrite attached to a role, not AmazonS3ReadOnlyAccess", async () => {
    const account = emulatedAccount(CLEAN);
    account.principals.push({ kind: "role", name: "data-pipeline", attached: [READ_WRITE] }, { kind: "role", name: "reports", attached: [S3_READ] });
    account.awsManagedPolicies = [
      { name: "SecretsManagerReadWrite", document: table.policies[READ_WRITE]!.document },
      { name: "AmazonS3ReadOnlyAccess", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:Get*", "s3:List*"], Resource: "*" }] } },
      { name: "AdministratorAccess", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }, // attached to nothing: not listed
    ];
    const emu = new Emulator(account, {});
    await emu.start();
    try {
      const r = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", emu.url, "-f", "json"]);
      const findings = JSON.parse(r.stdout).findings as Array<{ ruleId: string; arn?: string; message: string }>;
      const read = findings.filter((f) => f.ruleId === "iam/secret-read-wildcard");
      expect(read.map((f) => f.arn)).toEqual([READ_WRITE]);
      expect(read[0].message).toContain("AWS managed policy `SecretsManagerReadWrite`");
      expect(r.code).toBe(1);
    } finally {
      await emu.stop();
    }
  });

  it("takes an attached AWS managed policy's document from the shipped table when the account data has none", () => {
    const data: AccountData = {
      account: "111122223333",
      partition: "aws",
      regions: ["us-east-1"],
      listedRegions: ["us-east-1"],
      readValues: false,
      secrets: [],
      notices: [],
      iam: {
        principals: [
          { arn: "arn:aws:iam::111122223333:role/admin", kind: "role", name: "admin", inlinePolicies: [], managedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
          { arn: "arn:aws:iam::111122223333:role/viewer", kind: "role", name: "viewer", inlinePolicies: [], managedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
        ],
        policies: [],
      },
    } as unknown as AccountData;
    const grants = everySecretReadGrants(inventoryFromAccount(data));
    expect(grants.map((g) => g.policy.id)).toEqual(["arn:aws:iam::aws:policy/AdministratorAccess"]);
    expect(grants[0].holder?.id).toBe("arn:aws:iam::111122223333:role/admin");
  });
});
