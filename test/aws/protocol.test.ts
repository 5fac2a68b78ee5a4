// The wire protocols the emulator speaks are the ones the SDK speaks. AWS moves services to
// newer protocols over time (SQS left the query protocol for JSON; CBOR is coming): when an SDK
// update switches one of ours, these tests fail, instead of the emulator quietly testing
// something the SDK no longer sends.

import { GetAccountAuthorizationDetailsCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetResourcePolicyCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectAccount } from "../../src/sources/aws/collect.js";
import { ACCOUNT, PLANTED, emulatedAccount } from "./accounts.js";
import { Emulator } from "./emulator.js";
import { isolateAwsEnv } from "./env.js";

let restore: () => void;
let emu: Emulator;
beforeAll(async () => {
  restore = isolateAwsEnv();
  emu = new Emulator(emulatedAccount(PLANTED));
  await emu.start();
});
afterAll(async () => {
  await emu.stop();
  restore();
});

describe("the SDK's wire protocols", () => {
  it("Secrets Manager: JSON 1.1, X-Amz-Target, POST /", async () => {
    emu.resetStats();
    await collectAccount({ regions: ["us-east-1"], endpointUrl: emu.url, readValues: true, maxAttempts: 1 });
    const sm = emu.requests.filter((r) => r.service === "secretsmanager");
    expect(new Set(sm.map((r) => r.api))).toEqual(new Set(["ListSecrets", "GetResourcePolicy", "BatchGetSecretValue"]));
    for (const r of sm) {
      expect(r.method).toBe("POST");
      expect(r.path).toBe("/");
      expect(r.contentType).toBe("application/x-amz-json-1.1");
      expect(r.target).toBe(`secretsmanager.${r.api}`);
      expect(() => JSON.parse(r.body)).not.toThrow();
    }
    const list = JSON.parse(sm.find((r) => r.api === "ListSecrets")!.body);
    expect(list.MaxResults).toBe(100);
    const batch = JSON.parse(sm.find((r) => r.api === "BatchGetSecretValue")!.body);
    expect(batch.SecretIdList.length).toBeLessThanOrEqual(20);
  });

  it("IAM and STS: the query protocol, form-encoded Action and Version, XML answers", async () => {
    emu.resetStats();
    await collectAccount({ regions: ["us-east-1"], endpointUrl: emu.url, maxAttempts: 1 });
    const iam = emu.requests.filter((r) => r.service === "iam");
    const sts = emu.requests.filter((r) => r.service === "sts");
    expect(iam.length).toBeGreaterThan(0);
    expect(sts.length).toBe(1);
    for (const r of [...iam, ...sts]) {
      expect(r.method).toBe("POST");
      expect(r.contentType).toMatch(/^application\/x-www-form-urlencoded/);
      expect(r.target).toBeUndefined();
    }
    for (const r of iam) {
      expect(r.action).toBe("GetAccountAuthorizationDetails");
      expect(r.version).toBe("2010-05-08");
      const form = new URLSearchParams(r.body);
      expect(form.getAll("Filter.member.1")).toEqual(["User"]);
      expect(form.get("MaxItems")).toBe("1000");
    }
    expect(sts[0].action).toBe("GetCallerIdentity");
    expect(sts[0].version).toBe("2011-06-15");
  });

  it("parses the emulator's answers: paging, URL-encoded documents, both error shapes", async () => {
    const config = { region: "us-east-1", endpoint: emu.url, maxAttempts: 1 };
    const sm = new SecretsManagerClient(config);
    const iam = new IAMClient(config);
    const sts = new STSClient(config);
    try {
      const page = await sm.send(new ListSecretsCommand({ MaxResults: 3 }));
      expect(page.SecretList).toHaveLength(3);
      expect(page.NextToken).toBeTruthy();
      expect(page.SecretList![1].Tags).toEqual([{ Key: "SymEnv", Value: "prod" }]);

      emu.iamPageSize = 2;
      const first = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1000 }));
      expect(first.IsTruncated).toBe(true);
      expect(first.Marker).toBeTruthy();
      emu.iamPageSize = 100;
      const all = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
      const doc = all.Policies![0].PolicyVersionList!.find((v) => v.IsDefaultVersion)!.Document!;
      expect(doc).toMatch(/^%7B%22Version%22/); // URL-encoded, as IAM sends it
      expect(JSON.parse(decodeURIComponent(doc)).Statement[0].Sid).toBe("SymReadsProdSecrets");

      const who = await sts.send(new GetCallerIdentityCommand({}));
      expect(who.Account).toBe(ACCOUNT);

      // JSON errors: {"__type", "message"}.
      await expect(sm.send(new GetResourcePolicyCommand({ SecretId: "no/such/secret" }))).rejects.toMatchObject({ name: "ResourceNotFoundException", $metadata: { httpStatusCode: 400 } });
      emu.faults = { deny: ["ListSecrets", "GetAccountAuthorizationDetails"] };
      await expect(sm.send(new ListSecretsCommand({}))).rejects.toMatchObject({ name: "AccessDeniedException" });
      // Query errors: <ErrorResponse><Error><Code>.
      await expect(iam.send(new GetAccountAuthorizationDetailsCommand({}))).rejects.toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
      emu.faults = { throttleEvery: 1, faultApis: ["GetCallerIdentity", "ListSecrets"] };
      await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "Throttling", $metadata: { httpStatusCode: 400 } });
      await expect(sm.send(new ListSecretsCommand({}))).rejects.toMatchObject({ name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
      // The SDK takes both as retryable: the first request of each API faulted, the retry answered.
      const retrying = { ...config, maxAttempts: 2 };
      const sm2 = new SecretsManagerClient(retrying);
      const sts2 = new STSClient(retrying);
      try {
        for (const faults of [{ throttleEvery: 1000 }, { serverErrorEvery: 1000 }]) {
          emu.resetStats();
          emu.faults = faults;
          if ("serverErrorEvery" in faults) {
            // 5xx come on the 2nd request of an API: use up the 1st.
            await sts2.send(new GetCallerIdentityCommand({}));
            await sm2.send(new ListSecretsCommand({}));
          }
          expect((await sts2.send(new GetCallerIdentityCommand({}))).$metadata.attempts).toBe(2);
          expect((await sm2.send(new ListSecretsCommand({}))).$metadata.attempts).toBe(2);
        }
        expect(emu.stats.GetCallerIdentity.serverErrors).toBe(1);
        expect(emu.stats.ListSecrets.serverErrors).toBe(1);
      } finally {
        sm2.destroy();
        sts2.destroy();
      }
      emu.faults = { serverErrorEvery: 1, faultApis: ["GetCallerIdentity"] };
      emu.resetStats();
      await sts.send(new GetCallerIdentityCommand({})); // the 1st request is not faulted
      await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
    } finally {
      emu.faults = {};
      sm.destroy();
      iam.destroy();
      sts.destroy();
    }
  });

  it("the tagging API: JSON 1.1 GetResources with paging", async () => {
    // No SDK client is installed for it (ListSecrets returns tags already); checked at the wire level.
    const call = async (body: object) => {
      const res = await fetch(emu.url, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "ResourceGroupsTaggingAPI_20170126.GetResources",
          authorization: "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/tagging/aws4_request, SignedHeaders=host, Signature=0",
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as { ResourceTagMappingList: Array<{ ResourceARN: string }>; PaginationToken: string; __type?: string } };
    };
    const first = await call({ ResourceTypeFilters: ["secretsmanager:secret"], ResourcesPerPage: 5 });
    expect(first.status).toBe(200);
    expect(first.json.ResourceTagMappingList).toHaveLength(5);
    const second = await call({ ResourceTypeFilters: ["secretsmanager:secret"], ResourcesPerPage: 5, PaginationToken: first.json.PaginationToken });
    expect(second.json.ResourceTagMappingList).toHaveLength(3);
    expect(second.json.PaginationToken).toBe("");
    emu.faults = { deny: ["GetResources"] };
    const denied = await call({});
    emu.faults = {};
    expect(denied.status).toBe(400);
    expect(denied.json.__type).toBe("AccessDeniedException");
  });
});
