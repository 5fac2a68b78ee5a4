// Differential test: the evaluator against an IAM policy simulator, @cloud-copilot/iam-simulate
// (AGPL-3.0: a devDependency used by this test only, never imported from src/ nor shipped), on
// generated identity policies and concrete Secrets Manager requests.
//
// Where the simulator disagrees with AWS's documentation, the documentation wins and the case
// is listed below with the reason; every other disagreement fails the test.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { documentOf } from "../../src/sources/aws/inventory.js";
import { decide, type Context, type ContextEntry } from "../../src/iam/index.js";

const ACCOUNT = "111122223333";
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/reader`;

const ACTIONS = [
  "secretsmanager:GetSecretValue",
  "secretsmanager:Get*",
  "secretsmanager:*",
  "secretsmanager:?*",
  "SecretsManager:getsecretvalue",
  "*",
  "secretsmanager:DescribeSecret",
  "secretsmanager:List*",
  "s3:GetObject",
  "iam:*",
];
const RESOURCES = [
  "*",
  `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:*`,
  `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:*`,
  "arn:aws:secretsmanager:*:*:secret:*",
  `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/*`,
  `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/db-??????`,
  `arn:aws:secretsmanager:us-east-1:444455556666:secret:*`,
  "arn:aws:s3:::bucket/*",
];
const CONDITIONS: Array<Record<string, Record<string, string | string[]>>> = [
  { StringEquals: { "secretsmanager:ResourceTag/team": "data" } },
  { StringNotEquals: { "secretsmanager:ResourceTag/team": "data" } },
  { StringEqualsIfExists: { "aws:ResourceTag/team": "data" } },
  { StringLike: { "secretsmanager:SecretId": `arn:aws:secretsmanager:*:*:secret:app/*` } },
  { StringLike: { "aws:ResourceTag/team": "*" } },
  { StringNotLike: { "aws:ResourceTag/team": ["d*", "x*"] } },
  { Null: { "aws:ResourceTag/team": "true" } },
  { Null: { "aws:ResourceTag/team": "false" } },
  { Bool: { "aws:SecureTransport": "true" } },
  { "ForAnyValue:StringEquals": { "aws:TagKeys": ["team"] } },
  { "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] } },
  { StringEquals: { "secretsmanager:VersionStage": "AWSCURRENT" } },
  { StringEquals: { "aws:PrincipalTag/team": "data" } },
  { StringEquals: { "secretsmanager:ResourceTag/team": "${aws:PrincipalTag/team}" } },
  { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/read*" } },
  { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
];

const statement = fc.record(
  {
    Effect: fc.constantFrom("Allow", "Deny"),
    act: fc.tuple(fc.boolean(), fc.subarray(ACTIONS, { minLength: 1, maxLength: 3 })),
    res: fc.tuple(fc.boolean(), fc.subarray(RESOURCES, { minLength: 1, maxLength: 2 })),
    Condition: fc.option(fc.constantFrom(...CONDITIONS), { nil: undefined }),
  },
  { requiredKeys: ["Effect", "act", "res"] },
);

interface Req {
  name: string;
  region: string;
  tags: Record<string, string>;
  secure: boolean;
  principalTeam?: string;
  ip: string;
}

const request = fc.record<Req>({
  name: fc.constantFrom("x-AbC123", "app/db-Qz9Yw1", "app/db-readonly-Qz9Yw1"),
  region: fc.constantFrom("us-east-1", "us-west-2"),
  tags: fc.constantFrom({}, { team: "data" }, { team: "other" }),
  secure: fc.boolean(),
  principalTeam: fc.option(fc.constantFrom("data", "other"), { nil: undefined }),
  ip: fc.constantFrom("203.0.113.9", "198.51.100.1"),
});

function policyOf(statements: Array<{ Effect: string; act: [boolean, string[]]; res: [boolean, string[]]; Condition?: object }>) {
  return {
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      Effect: s.Effect,
      [s.act[0] ? "NotAction" : "Action"]: s.act[1],
      [s.res[0] ? "NotResource" : "Resource"]: s.res[1],
      ...(s.Condition ? { Condition: s.Condition } : {}),
    })),
  };
}

/** The request's context keys, as both evaluators receive them. */
function contextVariables(r: Req, arn: string): Record<string, string | string[]> {
  const vars: Record<string, string | string[]> = {
    "aws:SecureTransport": String(r.secure),
    "aws:SourceIp": r.ip,
    "aws:PrincipalArn": PRINCIPAL,
    "aws:PrincipalAccount": ACCOUNT,
    "secretsmanager:SecretId": arn,
  };
  // The simulator's data lists `secretsmanager:ResourceTag/tag-key` literally and refuses
  // `secretsmanager:ResourceTag/team` in a request: only `aws:ResourceTag/…` is given to both
  // (conditions on the other key then see it absent, in both).
  for (const [k, v] of Object.entries(r.tags)) vars[`aws:ResourceTag/${k}`] = v;
  if (r.principalTeam) vars["aws:PrincipalTag/team"] = r.principalTeam;
  return vars;
}

function contextOf(vars: Record<string, string | string[]>): Context {
  const lower = new Map(Object.entries(vars).map(([k, v]) => [k.toLowerCase(), v]));
  return (k): ContextEntry => {
    const v = lower.get(k);
    return v === undefined ? { state: "absent" } : { state: "present", values: Array.isArray(v) ? v : [v] };
  };
}

describe("differential: the evaluator against @cloud-copilot/iam-simulate", () => {
  it("gives the same decision on generated policies and requests", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(statement, { minLength: 1, maxLength: 4 }), request, async (statements, r) => {
        const policy = policyOf(statements as never);
        const arn = `arn:aws:secretsmanager:${r.region}:${ACCOUNT}:secret:${r.name}`;
        const vars = contextVariables(r, arn);
        const sim = await runSimulation(
          {
            request: { principal: PRINCIPAL, action: "secretsmanager:GetSecretValue", resource: { resource: arn, accountId: ACCOUNT }, contextVariables: vars },
            identityPolicies: [{ name: "p", policy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
          },
          { simulationMode: "Strict" },
        );
        if (sim.resultType === "error") throw new Error(`the simulator refused the case: ${sim.errors.message}`);
        const theirs = sim.overallResult === "Allowed" ? "yes" : "no";
        const ours = decide([documentOf(policy, { address: "p" })], { action: "secretsmanager:GetSecretValue", resource: arn, context: contextOf(vars) }).answer;
        compared++;
        expect(ours, JSON.stringify({ policy, request: r })).toBe(theirs);
      }),
      { numRuns: 400, seed: 20261204 },
    );
    expect(compared).toBeGreaterThanOrEqual(400);
  });

  // Known faults of the simulator, where AWS's documentation decides:
  it("a Resource that is neither `*` nor an ARN: AWS rejects the policy (\"Resource must be in ARN format or *\"); the simulator matches every resource", async () => {
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "secret:*" }] };
    const arn = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:x-AbC123`;
    const ours = decide([documentOf(policy, { address: "p" })], { action: "secretsmanager:GetSecretValue", resource: arn, context: contextOf({}) }).answer;
    expect(ours).toBe("no");
  });

  it("`aws:SourceIp` `0.0.0.0/0` covers every IPv4 address (CIDR notation); the simulator matches only 0.0.0.0", () => {
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } } }] };
    const arn = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:x-AbC123`;
    const ours = decide([documentOf(policy, { address: "p" })], { action: "secretsmanager:GetSecretValue", resource: arn, context: contextOf({ "aws:SourceIp": "198.51.100.1" }) }).answer;
    expect(ours).toBe("yes");
  });
});
