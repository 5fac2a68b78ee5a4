// Emulated accounts for the live-audit tests: one with planted problems, one clean, and a
// large one for the benchmark. Every secret value holds a canary string that must never appear
// in any output.

import type { EmuAccount, EmuSecret } from "./emulator.js";

export const ACCOUNT = "111122223333";

/** Canary values: each planted in a secret value; none may appear in any output. */
export const CANARIES = [
  "CANARY-okta-7f3a9c1e",
  "CANARY-pagerduty-2b8d4f60",
  "CANARY-db-pass-91c0e5aa",
  "CANARY-db-user-5d1e22b7",
  "CANARY-apono-0ad4c93f",
  "CANARY-public-6e2f7b10",
  "CANARY-ci-plain-c44b1e09",
  "CANARY-flyte-8a9e3d21",
  "CANARY-malformed-f00dfeed",
  "CANARY-binary-1badc0de",
];
const [OKTA, PD, DB_PASS, DB_USER, APONO, PUBLIC, CI, FLYTE, MALFORMED, BINARY] = CANARIES;

const symAccessPolicy = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "SymReadsProdSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      Resource: `arn:aws:secretsmanager:*:${ACCOUNT}:secret:sym/*`,
      Condition: { StringEquals: { "secretsmanager:ResourceTag/SymEnv": "prod" } },
    },
  ],
};

const auditorPolicy = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["secretsmanager:ListSecrets", "secretsmanager:GetResourcePolicy", "iam:GetAccountAuthorizationDetails"], Resource: "*" }],
};

export interface Variant {
  /** A Sym secret (named by the Sym access policy's Resource) without the SymEnv tag. */
  symTagMissing: boolean;
  /** `apono-connector-read = "True"`. */
  aponoTagWrong: boolean;
  /** The value of sym/prod/db lacks the `json_key` its sym_secret reads. */
  jsonKeyMissing: boolean;
  /** A resource policy allowing `Principal: "*"` with no condition. */
  publicPolicy: boolean;
  /** An IAM policy allowing GetSecretValue on `*`. */
  wildcardPolicy: boolean;
  /** A secret the data plane (us-east-1) reads lives in us-west-2. */
  wrongRegion: boolean;
}

export const PLANTED: Variant = { symTagMissing: true, aponoTagWrong: true, jsonKeyMissing: true, publicPolicy: true, wildcardPolicy: true, wrongRegion: true };
export const CLEAN: Variant = { symTagMissing: false, aponoTagWrong: false, jsonKeyMissing: false, publicPolicy: false, wildcardPolicy: false, wrongRegion: false };

/** The rule each planted problem must be found by. */
export const PLANTED_RULES: Record<keyof Variant, string> = {
  symTagMissing: "sym/symenv-tag-missing",
  aponoTagWrong: "apono/read-tag-value",
  jsonKeyMissing: "sym/json-key-missing",
  publicPolicy: "iam/secret-policy-public",
  wildcardPolicy: "iam/secret-read-wildcard",
  wrongRegion: "aws/secret-region-mismatch",
};

export function emulatedAccount(v: Variant): EmuAccount {
  const secrets: EmuSecret[] = [
    { name: "sym/prod/okta-token", region: "us-east-1", suffix: "Ab12Cd", tags: v.symTagMissing ? {} : { SymEnv: "prod" }, value: JSON.stringify({ token: OKTA }) },
    { name: "sym/prod/pagerduty", region: "us-east-1", suffix: "Pq34Rs", tags: { SymEnv: "prod" }, value: JSON.stringify({ api_token: PD }) },
    {
      name: "sym/prod/db",
      region: "us-east-1",
      suffix: "Db56Ef",
      tags: { SymEnv: "prod" },
      value: JSON.stringify(v.jsonKeyMissing ? { username: DB_USER, pass: DB_PASS } : { username: DB_USER, password: DB_PASS }),
    },
    { name: "apono/prod/postgres", region: "us-east-1", suffix: "Ap78Gh", tags: { "apono-connector-read": v.aponoTagWrong ? "True" : "true" }, value: JSON.stringify({ password: APONO }) },
    {
      name: "app/public-config",
      region: "us-east-1",
      suffix: "Pu90Ij",
      value: JSON.stringify({ config: PUBLIC }),
      policy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: "*",
            Action: "secretsmanager:GetSecretValue",
            Resource: "*",
            ...(v.publicPolicy ? {} : { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abcdef1234" } } }),
          },
        ],
      },
    },
    { name: "ci/deploy-key", region: "us-east-1", suffix: "Ci12Kl", value: CI },
    { name: "ci/broken-json", region: "us-east-1", suffix: "Ci34Mn", value: `{"half": "${MALFORMED}"` },
    { name: "ci/binary-blob", region: "us-east-1", suffix: "Ci56Op", value: new TextEncoder().encode(BINARY) },
    { name: "flyte/prod/api-key", region: v.wrongRegion ? "us-west-2" : "us-east-1", suffix: "Fl78Qr", value: FLYTE },
  ];
  return {
    account: ACCOUNT,
    secrets,
    policies: [{ name: "SymSecretsManagerProd", path: "/sym/", document: symAccessPolicy }],
    principals: [
      { kind: "role", name: "SymRuntimeProd", path: "/sym/", attached: ["SymSecretsManagerProd"] },
      {
        kind: "role",
        name: "ci-deployer",
        inline: [
          {
            name: "read-secrets",
            document: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: "secretsmanager:GetSecretValue",
                  Resource: v.wildcardPolicy ? "*" : `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:ci/*`,
                },
              ],
            },
          },
        ],
      },
      { kind: "group", name: "auditors", inline: [{ name: "audit", document: auditorPolicy }] },
      { kind: "user", name: "auditor", groups: ["auditors"] },
    ],
  };
}

/** A large, clean account for the benchmark: `secrets` secrets in one region, `principals` principals. */
export function largeAccount(secrets: number, principals: number, region = "us-east-1"): EmuAccount {
  const out: EmuAccount = { account: ACCOUNT, secrets: [], principals: [], policies: [] };
  for (let i = 0; i < secrets; i++) {
    out.secrets.push({
      name: `app/service-${String(i).padStart(4, "0")}`,
      region,
      tags: { team: `t${i % 17}`, ...(i % 5 === 0 ? { SymEnv: "prod" } : {}) },
      value: JSON.stringify({ username: `u${i}`, password: `CANARY-bench-${i}` }),
      ...(i % 10 === 0 ? { policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "secretsmanager:GetSecretValue", Resource: "*" }] } } : {}),
    });
  }
  const managed = 20;
  for (let i = 0; i < managed; i++) {
    out.policies.push({
      name: `team-policy-${i}`,
      document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:app/team-${i}/*` }] },
    });
  }
  for (let i = 0; i < principals; i++) {
    const kind = i % 3 === 0 ? "user" : i % 3 === 1 ? "role" : "group";
    out.principals.push({
      kind,
      name: `${kind}-${i}`,
      attached: [`team-policy-${i % managed}`],
      inline: [{ name: `inline-${i}`, document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::bucket-${i}/*` }] } }],
    });
  }
  return out;
}

// ---------------------------------------------------------------- compliance controls

/**
 * The problems the compliance account plants: the secret, and the rule that must find it. The
 * configuration (COMPLIANCE_CONFIG) requires an `owner` tag and lets only `platform-*` roles
 * read `prod/*`.
 */
export const COMPLIANCE_PLANTED: ReadonlyArray<readonly [string, string]> = [
  ["prod/rotated-200-days-ago", "secret/rotation-overdue"],
  ["prod/never-read", "secret/unused"],
  ["prod/rotation-failing", "secret/rotation-failing"],
  ["prod/default-key", "secret/default-kms-key"],
  ["prod/no-owner", "secret/required-tags"],
  // Shared with another account's role: a note, and outside `platform-*`.
  ["prod/shared-with-partner", "iam/cross-account-read"],
  ["prod/shared-with-partner", "custom/prod-secrets-platform-readers"],
  // The CI role may read prod/ok: reported at the role's policy.
  ["role/ci-deployer", "custom/prod-secrets-platform-readers"],
];

/** The configuration of the compliance tests. */
export const COMPLIANCE_CONFIG = `requiredTags:
  - key: owner
policies:
  - name: prod-secrets-platform-readers
    match:
      name: "prod/*"
    require:
      readableOnlyBy: "arn:aws:iam::*:role/platform-*"
`;

const DAY = 86_400_000;

/**
 * An account for the compliance controls, with dates relative to now: each secret of
 * COMPLIANCE_PLANTED has its problem (when `planted`), the others none. Compliant means: a
 * customer-managed key, rotation every 30 days that last succeeded 5 days ago, read yesterday,
 * tagged with an `owner`, read only by the `platform-deployer` role.
 */
export function complianceAccount(planted: boolean, now = Date.now()): EmuAccount {
  const ago = (days: number) => new Date(now - days * DAY);
  const good = (name: string, suffix: string): EmuSecret => ({
    name,
    region: "us-east-1",
    suffix,
    tags: { owner: "payments" },
    kmsKeyId: "alias/secrets-prod",
    rotation: { enabled: true, lambdaArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:rotate`, automaticallyAfterDays: 30 },
    createdDate: ago(400),
    lastRotatedDate: ago(5),
    lastAccessedDate: ago(1),
    value: JSON.stringify({ password: `CANARY-compliance-${suffix}` }),
  });
  const secrets = [
    good("prod/ok", "Ok0000"),
    good("prod/rotated-200-days-ago", "Ro2000"),
    good("prod/never-read", "Nr0000"),
    good("prod/rotation-failing", "Rf0000"),
    good("prod/default-key", "Dk0000"),
    good("prod/no-owner", "No0000"),
    good("prod/shared-with-partner", "Sh0000"),
  ];
  const read = (resource: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: resource }] });
  if (planted) {
    const at = (name: string) => secrets.find((s) => s.name === name)!;
    // Rotated 200 days ago on a yearly schedule: overdue (FSBP .4), not failing its own schedule.
    Object.assign(at("prod/rotated-200-days-ago"), { lastRotatedDate: ago(200), rotation: { ...at("prod/rotated-200-days-ago").rotation, automaticallyAfterDays: 365 } });
    // Created 120 days ago and never read.
    Object.assign(at("prod/never-read"), { createdDate: ago(120), lastAccessedDate: undefined });
    // Rotation every 30 days; the last success 45 days ago (the next was due 15 days ago).
    Object.assign(at("prod/rotation-failing"), { lastRotatedDate: ago(45) });
    // The AWS managed key: the service lists no KmsKeyId.
    Object.assign(at("prod/default-key"), { kmsKeyId: "alias/aws/secretsmanager" });
    // No `owner` tag.
    Object.assign(at("prod/no-owner"), { tags: { team: "payments" } });
    // Shared with another account's role.
    Object.assign(at("prod/shared-with-partner"), {
      policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:role/partner-reader" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }] },
    });
  }
  return {
    account: ACCOUNT,
    secrets,
    principals: [
      { kind: "role", name: "platform-deployer", inline: [{ name: "read-prod", document: read(`arn:aws:secretsmanager:*:${ACCOUNT}:secret:prod/*`) }] },
      { kind: "role", name: "ci-deployer", inline: [{ name: "read", document: read(`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${planted ? "prod/ok-??????" : "ci/*"}`) }] },
    ],
    policies: [],
  };
}
