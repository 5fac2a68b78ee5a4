// The evaluator against AWS's documented policy evaluation logic, case by case. Each case names
// the rule of the IAM User Guide it follows.

import { describe, expect, it } from "vitest";
import { documentOf } from "../../src/sources/aws/inventory.js";
import { Unknown, joinPieces, ObjectValue, type Value } from "../../src/terraform/values.js";
import type { PolicyDocument } from "../../src/inventory/model.js";
import { readsEverySecret, resourcePolicyAccess, canAccessSecret, type SecretTarget } from "../../src/iam/index.js";
import { checkAction } from "../../src/iam/actions.js";
import { documentFrom } from "../../src/sources/terraform/policy-json.js";

const origin = { address: "test" };
const doc = (...statements: object[]): PolicyDocument => documentOf({ Version: "2012-10-17", Statement: statements }, origin);
const reads = (...statements: object[]) => readsEverySecret([doc(...statements)]).answer;
const GSV = "secretsmanager:GetSecretValue";
const ALL = "*";

describe("explicit deny overrides; a Deny removes only what it covers", () => {
  it("an Allow on * reads every secret", () => {
    expect(reads({ Effect: "Allow", Action: GSV, Resource: ALL })).toBe("yes");
  });
  it("a Deny of the same action on * removes it", () => {
    expect(reads({ Effect: "Allow", Action: GSV, Resource: ALL }, { Effect: "Deny", Action: "secretsmanager:*", Resource: ALL })).toBe("no");
  });
  it("a Deny of one region's secret:* leaves the other regions readable", () => {
    const r = readsEverySecret([
      doc({ Effect: "Allow", Action: GSV, Resource: ALL }, { Effect: "Deny", Action: GSV, Resource: "arn:aws:secretsmanager:us-east-1:*:secret:*" }),
    ]);
    expect(r.answer).toBe("yes");
    expect(r.scope?.region).toBe("*");
  });
  it("a Deny of one account's secret:* in the only account granted removes it", () => {
    expect(
      reads(
        { Effect: "Allow", Action: GSV, Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:*" },
        { Effect: "Deny", Action: GSV, Resource: "arn:aws:secretsmanager:*:111122223333:secret:*" },
      ),
    ).toBe("no");
  });
  it("a Deny conditioned on a tag value removes only those secrets", () => {
    expect(reads({ Effect: "Allow", Action: GSV, Resource: ALL }, { Effect: "Deny", Action: GSV, Resource: ALL, Condition: { StringEquals: { "secretsmanager:ResourceTag/tier": "restricted" } } })).toBe("yes");
  });
  it("a Deny unless tagged removes untagged secrets and unrelated tag values", () => {
    expect(reads({ Effect: "Allow", Action: GSV, Resource: ALL }, { Effect: "Deny", Action: GSV, Resource: ALL, Condition: { StringNotEquals: { "secretsmanager:ResourceTag/team": "data" } } })).toBe("no");
  });
  it("a Deny with NotResource on secrets removes only non-secrets", () => {
    expect(reads({ Effect: "Allow", Action: GSV, Resource: ALL }, { Effect: "Deny", Action: "*", NotResource: "arn:aws:secretsmanager:*:*:secret:*" })).toBe("yes");
  });
  it("a Deny with NotAction removes the other actions", () => {
    expect(reads({ Effect: "Allow", Action: "secretsmanager:*", Resource: ALL }, { Effect: "Deny", NotAction: "secretsmanager:GetSecretValue", Resource: ALL })).toBe("yes");
    expect(reads({ Effect: "Allow", Action: "secretsmanager:*", Resource: ALL }, { Effect: "Deny", NotAction: "secretsmanager:DescribeSecret", Resource: ALL })).toBe("no");
  });
});

describe("an Allow with NotAction or NotResource grants everything it does not exclude", () => {
  it("NotAction iam:* on * reads every secret", () => {
    expect(reads({ Effect: "Allow", NotAction: "iam:*", Resource: ALL })).toBe("yes");
  });
  it("NotAction secretsmanager:* does not", () => {
    expect(reads({ Effect: "Allow", NotAction: "secretsmanager:*", Resource: ALL })).toBe("no");
  });
  it("NotResource of one secret reads every other", () => {
    expect(reads({ Effect: "Allow", Action: GSV, NotResource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:break-glass-??????" })).toBe("yes");
  });
});

describe("condition operators", () => {
  const allowWhen = (Condition: object) => reads({ Effect: "Allow", Action: GSV, Resource: ALL, Condition });
  it("a tag condition scopes (StringEquals on the resource tag)", () => {
    expect(allowWhen({ StringEquals: { "secretsmanager:ResourceTag/SymEnv": "prod" } })).toBe("no");
    expect(allowWhen({ StringEquals: { "aws:ResourceTag/apono-connector-read": "true" } })).toBe("no");
  });
  it("a negated operator is true when the key is absent (StringNotEquals on a tag reads untagged secrets)", () => {
    expect(allowWhen({ StringNotEquals: { "secretsmanager:ResourceTag/env": "prod" } })).toBe("yes");
    expect(allowWhen({ StringNotLike: { "aws:ResourceTag/env": "prod*" } })).toBe("yes");
  });
  it("…IfExists is true when the key is absent", () => {
    expect(allowWhen({ StringEqualsIfExists: { "secretsmanager:ResourceTag/env": "prod" } })).toBe("yes");
  });
  it("Null: true means absent, false present", () => {
    expect(allowWhen({ Null: { "secretsmanager:ResourceTag/env": "true" } })).toBe("yes");
    expect(allowWhen({ Null: { "secretsmanager:ResourceTag/env": "false" } })).toBe("yes"); // any value of the tag: not scoped to a value
  });
  it("StringLike with `*` matches every value present", () => {
    expect(allowWhen({ StringLike: { "secretsmanager:ResourceTag/env": "*" } })).toBe("yes");
    expect(allowWhen({ StringLike: { "secretsmanager:SecretId": "*" } })).toBe("yes");
    expect(allowWhen({ StringLike: { "secretsmanager:SecretId": "arn:aws:secretsmanager:*:*:secret:flyte/*" } })).toBe("no");
  });
  it("ForAnyValue is false when the key is absent; ForAllValues is true", () => {
    expect(allowWhen({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["team"] } })).toBe("no");
    expect(allowWhen({ "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] } })).toBe("yes");
  });
  it("a positive operator on a key GetSecretValue requests never carry grants nothing (secretsmanager:Name, KmsKeyId)", () => {
    expect(allowWhen({ StringLike: { "secretsmanager:Name": "*" } })).toBe("no");
    expect(allowWhen({ StringEquals: { "secretsmanager:KmsKeyId": "alias/x" } })).toBe("no");
    // …and a negated one on such a key holds.
    expect(allowWhen({ StringNotEquals: { "secretsmanager:Name": "x" } })).toBe("yes");
  });
  it("conditions on the caller (network, TLS, MFA) do not scope which secrets", () => {
    expect(allowWhen({ Bool: { "aws:SecureTransport": "true" } })).toBe("yes");
    expect(allowWhen({ IpAddress: { "aws:SourceIp": "10.0.0.0/8" } })).toBe("yes");
    expect(allowWhen({ StringEquals: { "secretsmanager:VersionStage": "AWSCURRENT" } })).toBe("yes");
  });
  it("policy variables scope (ABAC: the principal's tag must equal the secret's)", () => {
    expect(allowWhen({ StringEquals: { "secretsmanager:ResourceTag/team": "${aws:PrincipalTag/team}" } })).not.toBe("yes");
    expect(reads({ Effect: "Allow", Action: GSV, Resource: "arn:aws:secretsmanager:*:*:secret:${aws:username}/*" })).not.toBe("yes");
  });
  it("a Deny on a caller condition the caller can avoid does not remove the grant", () => {
    expect(reads({ Effect: "Allow", Action: GSV, Resource: ALL }, { Effect: "Deny", Action: "*", Resource: ALL, Condition: { Bool: { "aws:SecureTransport": "false" } } })).toBe("yes");
  });
  it("an Allow and a Deny on the same caller condition cancel", () => {
    expect(
      reads(
        { Effect: "Allow", Action: GSV, Resource: ALL, Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
        { Effect: "Deny", Action: GSV, Resource: ALL, Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
      ),
    ).toBe("no");
  });
});

describe("actions as AWS matches them", () => {
  it("case-insensitive, `?`, `secretsmanager:?*`", () => {
    expect(reads({ Effect: "Allow", Action: "SecretsManager:getsecretvalue", Resource: ALL })).toBe("yes");
    expect(reads({ Effect: "Allow", Action: "secretsmanager:?*", Resource: ALL })).toBe("yes");
    expect(reads({ Effect: "Allow", Action: "secretsmanager:Get*", Resource: ALL })).toBe("yes");
    expect(reads({ Effect: "Allow", Action: "secretsmanager:GetSecretValues", Resource: ALL })).toBe("no");
    expect(reads({ Effect: "Allow", Action: "secretsmanager:Describe*", Resource: ALL })).toBe("no");
  });
  it("checks action names against the service authorization data", () => {
    expect(checkAction("secretsmanager:GetSecretValue").kind).toBe("ok");
    expect(checkAction("secretsmanager:GetSecretValues").kind).toBe("no-match");
    expect(checkAction("secretmanager:*").kind).toBe("unknown-service");
    expect(checkAction("s3:Get*").kind).toBe("ok");
    expect(checkAction("GetSecretValue").kind).toBe("malformed");
  });
});

describe("resources", () => {
  it("a non-ARN Resource matches nothing (AWS rejects it)", () => {
    expect(reads({ Effect: "Allow", Action: GSV, Resource: "secret:*" })).toBe("no");
  });
  it("secret:* of an account reads every secret of it; a path prefix does not", () => {
    expect(reads({ Effect: "Allow", Action: GSV, Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:*" })).toBe("yes");
    expect(reads({ Effect: "Allow", Action: GSV, Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:flyte/*" })).toBe("no");
    expect(reads({ Effect: "Allow", Action: GSV, Resource: "arn:aws:secretsmanager:*:*:*" })).toBe("yes");
    expect(reads({ Effect: "Allow", Action: GSV, Resource: "arn:aws:s3:::bucket/*" })).toBe("no");
  });
});

describe("Terraform unknowns stay unknown", () => {
  const tpl = (...pieces: Array<string | Unknown>): Value => joinPieces(pieces);
  const accountId = new Unknown("data", undefined, undefined, "data.aws_caller_identity.current.account_id");
  const other = new Unknown("variable", undefined, undefined, "var.other_account");
  const tfDoc = (...statements: Array<Record<string, Value>>): PolicyDocument =>
    documentFrom(ObjectValue.from({ Version: "2012-10-17", Statement: statements.map((s) => ObjectValue.from(s)) }), origin, undefined, () => origin);
  it("an unknown account id is still every secret of that region", () => {
    const r = readsEverySecret([tfDoc({ Effect: "Allow", Action: GSV, Resource: tpl("arn:aws:secretsmanager:us-east-1:", accountId, ":secret:*") })]);
    expect(r.answer).toBe("yes");
    expect(r.scope).toEqual({ partition: "aws", region: "us-east-1", account: "" });
  });
  it("a Deny of the same unknown account removes it; of another unknown account, unknown", () => {
    const allow = { Effect: "Allow", Action: GSV, Resource: tpl("arn:aws:secretsmanager:us-east-1:", accountId, ":secret:*") };
    expect(readsEverySecret([tfDoc(allow, { Effect: "Deny", Action: GSV, Resource: tpl("arn:aws:secretsmanager:*:", accountId, ":secret:*") })]).answer).toBe("no");
    expect(readsEverySecret([tfDoc(allow, { Effect: "Deny", Action: GSV, Resource: tpl("arn:aws:secretsmanager:*:", other, ":secret:*") })]).answer).toBe("unknown");
  });
  it("an unknown name in the resource decides: unknown", () => {
    expect(readsEverySecret([tfDoc({ Effect: "Allow", Action: GSV, Resource: tpl("arn:aws:secretsmanager:us-east-1:1:secret:", new Unknown("variable", undefined, undefined, "var.name")) })]).answer).toBe("unknown");
  });
  it("an unknown effect, action list or condition: unknown", () => {
    expect(readsEverySecret([tfDoc({ Effect: new Unknown("variable"), Action: GSV, Resource: "*" })]).answer).toBe("unknown");
    expect(readsEverySecret([tfDoc({ Effect: "Allow", Action: new Unknown("variable"), Resource: "*" })]).answer).toBe("unknown");
    expect(readsEverySecret([tfDoc({ Effect: "Allow", Action: GSV, Resource: "*", Condition: new Unknown("variable") })]).answer).toBe("unknown");
  });
});

describe("resource policies", () => {
  const target: SecretTarget = { arn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbC123", tags: new Map() };
  const publicAccess = (...statements: object[]) => resourcePolicyAccess(doc(...statements), target, { kind: "stranger" }).answer;
  const anyone = { Effect: "Allow", Principal: "*", Action: GSV, Resource: "*" };
  it("Principal * with no condition is public", () => {
    expect(publicAccess(anyone)).toBe("yes");
    expect(publicAccess({ ...anyone, Principal: { AWS: "*" } })).toBe("yes");
  });
  it("a named account is not a stranger", () => {
    expect(publicAccess({ ...anyone, Principal: { AWS: "arn:aws:iam::111122223333:root" } })).toBe("no");
  });
  it("NotPrincipal Allows everyone else", () => {
    expect(publicAccess({ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" }, Action: GSV, Resource: "*" })).toBe("yes");
  });
  it("conditions that narrow the caller", () => {
    expect(publicAccess({ ...anyone, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } } })).toBe("no");
    expect(publicAccess({ ...anyone, Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333" } } })).toBe("no");
    expect(publicAccess({ ...anyone, Condition: { StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } })).toBe("no");
  });
  it("conditions that do not narrow", () => {
    expect(publicAccess({ ...anyone, Condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } } })).toBe("yes");
    expect(publicAccess({ ...anyone, Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc123def4" } } })).toBe("yes");
    expect(publicAccess({ ...anyone, Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc123def4" } } })).toBe("yes");
    expect(publicAccess({ ...anyone, Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/x*" } } })).toBe("yes");
    expect(publicAccess({ ...anyone, Condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } } })).toBe("yes");
    expect(publicAccess({ ...anyone, Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } })).toBe("no");
  });
  it("a Deny outside the organisation narrows", () => {
    expect(publicAccess(anyone, { Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc123def4" } } })).toBe("no");
    expect(publicAccess(anyone, { Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalAccount": "111122223333" } } })).toBe("no");
  });
  it("a named account reads when the policy names it", () => {
    const d = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: GSV, Resource: "*" });
    expect(resourcePolicyAccess(d, target, { kind: "account", account: "444455556666" }, [GSV]).answer).toBe("yes");
    expect(resourcePolicyAccess(d, target, { kind: "account", account: "777788889999" }, [GSV]).answer).toBe("no");
  });
});

describe("one secret", () => {
  const d = doc({ Effect: "Allow", Action: GSV, Resource: "*", Condition: { StringEquals: { "secretsmanager:ResourceTag/SymEnv": "prod" } } });
  it("reads the secret tagged for it, not another", () => {
    const arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:x-AbC123";
    expect(canAccessSecret([d], { arn, tags: new Map([["symenv", "prod"]]) }).answer).toBe("yes");
    expect(canAccessSecret([d], { arn, tags: new Map([["symenv", "staging"]]) }).answer).toBe("no");
    expect(canAccessSecret([d], { arn, tags: "unknown" }).answer).toBe("unknown");
  });
});
