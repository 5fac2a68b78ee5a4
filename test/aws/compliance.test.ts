// The compliance controls live, through the SDK against the emulator: an account with a secret
// rotated 200 days ago, one never read, one whose rotation fails, one on the AWS managed key,
// one without a required tag and one shared with another account gives each its finding under
// `--preset integrations,fsbp` (the organisation's reader policy too, decided by the IAM
// evaluator), and the per-control table (text), the controls JSON (`--controls-out`) and SARIF
// (valid, with the framework tags); a clean account gives nothing; the default preset reports
// none of the policy controls.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPLIANCE_CONFIG, COMPLIANCE_PLANTED, complianceAccount } from "./accounts.js";
import { Emulator } from "./emulator.js";
import { isolateAwsEnv } from "./env.js";
import { runAudit } from "./run.js";
import { sharedDir } from "../helpers/shared.js";

interface JsonFinding {
  ruleId: string;
  message: string;
  arn?: string;
  controls?: string[];
}

let restore: () => void;
let tmp: string;
let config: string;
let planted: Emulator;
let clean: Emulator;
beforeAll(async () => {
  restore = isolateAwsEnv();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-compliance-"));
  config = path.join(tmp, "secretlint.config.yaml");
  fs.writeFileSync(config, COMPLIANCE_CONFIG);
  planted = new Emulator(complianceAccount(true));
  clean = new Emulator(complianceAccount(false));
  await Promise.all([planted.start(), clean.start()]);
});
afterAll(async () => {
  await Promise.all([planted.stop(), clean.stop()]);
  restore();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const audit = (emu: Emulator, ...extra: string[]) => runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", emu.url, "-c", config, ...extra]);
/** A secret's name, or an IAM principal's `role/NAME`, from a finding's ARN. */
const nameOf = (arn: string | undefined) =>
  (arn ?? "")
    .replace(/^arn:aws:secretsmanager:[^:]+:\d+:secret:/, "")
    .replace(/-[A-Za-z0-9]{6}$/, "")
    .replace(/^arn:aws:iam::\d+:/, "");

describe("compliance controls on a live account", () => {
  it("--preset integrations,fsbp finds each planted problem, and only it", async () => {
    const r = await audit(planted, "--preset", "integrations,fsbp", "-f", "json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as JsonFinding[];
    expect(findings.map((f) => `${nameOf(f.arn)} ${f.ruleId}`).sort()).toEqual(COMPLIANCE_PLANTED.map(([n, rule]) => `${n} ${rule}`).sort());
    const overdue = findings.find((f) => f.ruleId === "secret/rotation-overdue")!;
    expect(overdue.message).toMatch(/was last rotated 200 days ago \(\d{4}-\d{2}-\d{2}\), more than 90 days ago/);
    expect(overdue.controls).toEqual(["AWS-FSBP SecretsManager.4", "Prowler secretsmanager_secret_rotated_periodically"]);
    expect(findings.find((f) => f.ruleId === "secret/unused")!.message).toMatch(/has never been read since it was created 120 days ago/);
    expect(findings.find((f) => f.ruleId === "secret/rotation-failing")!.message).toMatch(/should have rotated by \d{4}-\d{2}-\d{2} and has not: last successful rotation on \d{4}-\d{2}-\d{2}/);
    expect(findings.find((f) => f.ruleId === "secret/required-tags")!.message).toContain("lacks the tag `owner`");
    expect(findings.find((f) => f.ruleId === "iam/cross-account-read")!.message).toBe(
      "The resource policy of secret `prod/shared-with-partner` lets `arn:aws:iam::444455556666:role/partner-reader` (account 444455556666) read it (`secretsmanager:GetSecretValue`)",
    );
    expect(findings.filter((f) => f.ruleId === "custom/prod-secrets-platform-readers").map((f) => f.message).sort()).toEqual([
      "Role `ci-deployer` can read secret `prod/ok` (through policy `read`); policy `prod-secrets-platform-readers` allows only principals matching `arn:aws:iam::*:role/platform-*` (secrets matching `prod/*`)",
      "`arn:aws:iam::444455556666:role/partner-reader` can read secret `prod/shared-with-partner` (through the secret's resource policy); policy `prod-secrets-platform-readers` allows only principals matching `arn:aws:iam::*:role/platform-*` (secrets matching `prod/*`)",
    ]);
  });

  it("prints the per-control table an auditor asks for", async () => {
    const r = await audit(planted, "--preset", "fsbp", "--no-color");
    expect(r.code).toBe(1);
    const table = r.stdout.slice(r.stdout.indexOf("AWS-FSBP: "));
    const row = (id: string) => table.split("\n").find((l) => l.trimStart().startsWith(`${id} `))!.trim().split(/\s{2,}/);
    expect(table).toMatch(/^AWS-FSBP: AWS Foundational Security Best Practices/);
    // control, status, failed, passed, suppressed, not judged, rules
    expect(row("SecretsManager.1")).toEqual(["SecretsManager.1", "pass", "0", "7", "0", "0", "secret/rotation-disabled"]);
    expect(row("SecretsManager.2")).toEqual(["SecretsManager.2", "fail", "1", "6", "0", "0", "secret/rotation-failing"]);
    expect(row("SecretsManager.3")).toEqual(["SecretsManager.3", "fail", "1", "6", "0", "0", "secret/unused"]);
    expect(row("SecretsManager.4")).toEqual(["SecretsManager.4", "fail", "1", "6", "0", "0", "secret/rotation-overdue"]);
    expect(row("SecretsManager.5")).toEqual(["SecretsManager.5", "fail", "1", "6", "0", "0", "secret/required-tags"]);
  });

  it("writes the controls as JSON with --controls-out", async () => {
    const out = path.join(tmp, "controls.json");
    await audit(planted, "--preset", "fsbp", "-f", "json", "--controls-out", out);
    const doc = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(doc.kind).toBe("audit");
    const fsbp = doc.frameworks.find((f: { id: string }) => f.id === "fsbp");
    expect(fsbp.controls.map((c: { id: string; status: string }) => `${c.id} ${c.status}`)).toEqual([
      "SecretsManager.1 pass",
      "SecretsManager.2 fail",
      "SecretsManager.3 fail",
      "SecretsManager.4 fail",
      "SecretsManager.5 fail",
    ]);
    const four = fsbp.controls.find((c: { id: string }) => c.id === "SecretsManager.4");
    expect(four.failing).toEqual([planted.arnOf("prod/rotated-200-days-ago")]);
  });

  it("SARIF of the run is valid and carries the framework tags", async () => {
    const r = await audit(planted, "--preset", "fsbp", "-f", "sarif");
    const log = JSON.parse(r.stdout);
    if (sharedDir) {
      const Ajv = ((AjvDraft04Module as unknown as { default?: unknown }).default ?? AjvDraft04Module) as unknown as new (o: object) => {
        compile(s: object): ((d: unknown) => boolean) & { errors?: unknown };
      };
      const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (a: unknown) => void;
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(sharedDir, "schemas", "sarif-schema-2.1.0.json"), "utf8")));
      expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    }
    const rules = log.runs[0].tool.driver.rules as Array<{ id: string; defaultConfiguration: { level: string }; properties: { tags: string[] } }>;
    const byId = (id: string) => rules.find((x) => x.id === id)!;
    expect(byId("secret/rotation-overdue").properties.tags).toEqual(expect.arrayContaining(["AWS-FSBP", "AWS-FSBP/SecretsManager.4"]));
    expect(byId("secret/rotation-disabled").properties.tags).toEqual(expect.arrayContaining(["AWS-FSBP/SecretsManager.1", "Checkov/CKV2_AWS_57", "Checkov/CKV_AWS_304"]));
    expect(byId("secret/default-kms-key").properties.tags).toEqual(expect.arrayContaining(["Checkov/CKV_AWS_149"]));
    // The levels the preset gave, not "off".
    expect(byId("secret/rotation-failing").defaultConfiguration.level).toBe("error");
    expect(byId("secret/default-kms-key").defaultConfiguration.level).toBe("note");
    // --preset fsbp alone: the framework's controls and the organisation's policies, not the integration rules.
    expect(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual(COMPLIANCE_PLANTED.map(([, rule]) => rule).filter((rule) => rule !== "iam/cross-account-read").sort());
  });

  it("a clean account is silent, every control passing", async () => {
    const r = await audit(clean, "--preset", "integrations,fsbp", "--no-color");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No findings in \d+ secrets, \d+ IAM principals?\.\n$/);
    for (const id of ["SecretsManager.1", "SecretsManager.2", "SecretsManager.3", "SecretsManager.4", "SecretsManager.5"]) {
      expect(r.stdout).toMatch(new RegExp(`\\n  ${id.replace(".", "\\.")}\\s+pass\\s+0\\s+7\\s+0\\s+0\\s`));
    }
  });

  it("the default preset reports none of the policy controls (only what the configuration asks and the note on sharing)", async () => {
    const r = await audit(planted, "-f", "json");
    expect((JSON.parse(r.stdout).findings as JsonFinding[]).map((f) => `${nameOf(f.arn)} ${f.ruleId}`).sort()).toEqual(
      COMPLIANCE_PLANTED.filter(([, rule]) => rule === "secret/required-tags" || rule.startsWith("custom/") || rule === "iam/cross-account-read").map(([n, rule]) => `${n} ${rule}`).sort(),
    );
    // Without a configuration: only the note on sharing (a note does not fail the run).
    const empty = path.join(tmp, "empty.yaml");
    fs.writeFileSync(empty, "# nothing configured\n");
    const bare = await runAudit(["--live", "--regions", "us-east-1", "--endpoint-url", planted.url, "-c", empty, "-f", "json"]);
    expect(bare.code).toBe(0);
    expect((JSON.parse(bare.stdout).findings as JsonFinding[]).map((f) => `${nameOf(f.arn)} ${f.ruleId}`)).toEqual(["prod/shared-with-partner iam/cross-account-read"]);
  });
});
