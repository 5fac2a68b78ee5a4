// The pieces of the live source on their own: value shapes, policy text, safe errors, the
// live-only links (Sym by access policy Resource or tag, Apono by near-miss tags).

import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/engine/rule.js";
import type { AccountData } from "../../src/sources/aws/data.js";
import { parsePolicyText, shapeOfValue } from "../../src/sources/aws/data.js";
import { sanitizeAwsError } from "../../src/sources/aws/errors.js";
import { linkLiveIntegrations, resourceMatches } from "../../src/sources/aws/integrations.js";
import { inventoryFromAccount } from "../../src/sources/aws/inventory.js";

describe("value shapes", () => {
  it("keeps a JSON object's top-level keys and nothing of the value", () => {
    expect(shapeOfValue({ SecretString: '{"user":"u","pass":{"nested":1}}' })).toEqual({ kind: "json-object", keys: ["user", "pass"] });
    expect(shapeOfValue({ SecretString: "[1,2]" })).toEqual({ kind: "json-other" });
    expect(shapeOfValue({ SecretString: '"text"' })).toEqual({ kind: "json-other" });
    expect(shapeOfValue({ SecretString: "hunter2" })).toEqual({ kind: "plain" });
    expect(shapeOfValue({ SecretString: '{"half": "CANARY' })).toEqual({ kind: "plain" });
    expect(shapeOfValue({ SecretBinary: new Uint8Array([1, 2]) })).toEqual({ kind: "binary" });
  });

  it("decodes IAM's URL-encoded documents", () => {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::a b/*" }] };
    expect(parsePolicyText(encodeURIComponent(JSON.stringify(doc)), true)).toEqual(doc);
    expect(parsePolicyText(JSON.stringify(doc), false)).toEqual(doc);
    expect(parsePolicyText("%E0%A4%A", true)).toBe("%E0%A4%A"); // malformed: kept as text
  });
});

describe("AWS errors", () => {
  const sdkError = (name: string, message: string, status: number) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId: "req-1" }, $response: { body: message } });

  it("keep the code, status and request id, and the message of metadata calls", () => {
    const e = sanitizeAwsError(sdkError("AccessDeniedException", "User x is not authorized", 400), "secretsmanager:GetResourcePolicy", "us-east-1");
    expect(e.kind).toBe("access-denied");
    expect(e.message).toBe("secretsmanager:GetResourcePolicy in us-east-1 failed: AccessDeniedException, HTTP 400, request id req-1: User x is not authorized");
    expect(Object.keys(e)).not.toContain("$response");
  });

  it("drop the message of value calls", () => {
    const e = sanitizeAwsError(sdkError("InternalServiceError", "failed returning CANARY-x", 500), "secretsmanager:BatchGetSecretValue", "us-east-1");
    expect(e.kind).toBe("server");
    expect(e.message).not.toContain("CANARY");
    expect(e.stack).not.toContain("CANARY");
  });

  it("classify throttling, timeouts and networks errors", () => {
    expect(sanitizeAwsError(sdkError("ThrottlingException", "Rate exceeded", 400), "a").kind).toBe("throttled");
    expect(sanitizeAwsError(sdkError("Throttling", "Rate exceeded", 400), "a").kind).toBe("throttled");
    expect(sanitizeAwsError(sdkError("TimeoutError", "timed out", 0), "a").kind).toBe("timeout");
    expect(sanitizeAwsError(Object.assign(new Error("x"), { code: "ECONNREFUSED" }), "a").kind).toBe("network");
  });
});

describe("live-only links", () => {
  const data = (secrets: AccountData["secrets"], document?: object): AccountData => ({
    account: "111122223333",
    partition: "aws",
    regions: ["us-east-1"],
    listedRegions: ["us-east-1"],
    readValues: false,
    notices: [],
    secrets,
    ...(document
      ? {
          iam: {
            principals: [{ arn: "arn:aws:iam::111122223333:role/SymRuntimeProd", kind: "role" as const, name: "SymRuntimeProd", inlinePolicies: [], managedPolicies: ["arn:aws:iam::111122223333:policy/Sym"] }],
            policies: [{ arn: "arn:aws:iam::111122223333:policy/Sym", name: "Sym", document }],
          },
        }
      : {}),
  });
  const secret = (name: string, tags: Record<string, string> = {}) => ({ arn: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}-AbCdEf`, name, region: "us-east-1", tags });
  const symPolicy = (resource: string) => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: resource, Condition: { StringEquals: { "secretsmanager:ResourceTag/SymEnv": "prod" } } }],
  });

  it("a Sym access policy's Resource names Sym's secrets; `*` names none", () => {
    const inv = inventoryFromAccount(data([secret("sym/a"), secret("app/b")], symPolicy("arn:aws:secretsmanager:*:111122223333:secret:sym/*")));
    linkLiveIntegrations(inv, DEFAULT_SETTINGS);
    expect(inv.symSecrets.map((s) => s.path.value)).toEqual(["sym/a"]);
    const all = inventoryFromAccount(data([secret("sym/a"), secret("app/b")], symPolicy("*")));
    linkLiveIntegrations(all, DEFAULT_SETTINGS);
    expect(all.symSecrets).toEqual([]);
  });

  it("a secret tagged for Sym is Sym's", () => {
    const inv = inventoryFromAccount(data([secret("x", { symenv: "prod" }), secret("y")]));
    linkLiveIntegrations(inv, DEFAULT_SETTINGS);
    expect(inv.symSecrets.map((s) => s.path.value)).toEqual(["x"]);
  });

  it("Apono: a near-miss key or a yes that is not \"true\"; not \"false\", not \"true\"", () => {
    const inv = inventoryFromAccount(
      data([secret("a", { "Apono-Connector-Read": "true" }), secret("b", { "apono-connector-read": "yes" }), secret("c", { "apono-connector-read": "false" }), secret("d", { "apono-connector-read": "true" })]),
    );
    linkLiveIntegrations(inv, DEFAULT_SETTINGS);
    expect(inv.aponoSecretRefs.map((r) => r.secretRef)).toEqual([inv.secrets[0].id, inv.secrets[1].id]);
    expect(inv.aponoSecretRefs.every((r) => r.via === "tag")).toBe(true);
  });

  it("matches IAM resource wildcards", () => {
    expect(resourceMatches("arn:aws:secretsmanager:*:1:secret:sym/*", "arn:aws:secretsmanager:us-east-1:1:secret:sym/x-AbCdEf")).toBe(true);
    expect(resourceMatches("arn:aws:secretsmanager:*:1:secret:sym/x-??????", "arn:aws:secretsmanager:us-east-1:1:secret:sym/x-AbCdEf")).toBe(true);
    expect(resourceMatches("arn:aws:secretsmanager:*:1:secret:sym/*", "arn:aws:secretsmanager:us-east-1:1:secret:app/x-AbCdEf")).toBe(false);
  });
});
