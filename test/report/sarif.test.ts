// SARIF against the OASIS schema and every point of SPEC §6.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import type * as Sarif from "sarif";
import { beforeAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import type { RunResult } from "../../src/engine/runner.js";
import { FINGERPRINT_KEY } from "../../src/report/fingerprint.js";
import { toSarif, type SarifInput } from "../../src/report/sarif.js";
import { sharedDir } from "../helpers/shared.js";
import {
  buildResult,
  buildSources,
  CANARY,
  finding,
  hardcodedRule,
  MAIN_TF,
  noteRule,
  placeholderRule,
  rangeOf,
  SNAPSHOT,
  tagRule,
  WIDE_ARN,
  wildcardRule,
} from "./fixtures.js";

const Ajv = ((AjvDraft04Module as unknown as { default?: unknown }).default ?? AjvDraft04Module) as unknown as new (opts: object) => {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown };
};
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: unknown) => void;

const schemaPath = sharedDir ? join(sharedDir, "schemas", "sarif-schema-2.1.0.json") : null;
let validate: ((data: unknown) => boolean) & { errors?: unknown };

beforeAll(() => {
  if (!schemaPath) return;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
});

function sarif(overrides: Partial<SarifInput> = {}, result: RunResult = buildResult()): Sarif.Log {
  const text = toSarif({ result, kind: "scan", toolVersion: "1.2.3", sources: buildSources(), scanRoot: "/work/repo", ...overrides });
  const log = JSON.parse(text) as Sarif.Log;
  expectValid(log);
  return log;
}

function expectValid(log: unknown): void {
  if (!schemaPath) return; // the shared schema is optional (see test/helpers/shared.ts)
  const ok = validate(log);
  if (!ok) throw new Error(`SARIF invalid against the 2.1.0 schema: ${JSON.stringify(validate.errors, null, 2)}`);
}

const run = (log: Sarif.Log) => log.runs[0];
const resultOf = (log: Sarif.Log, ruleId: string) => run(log).results!.find((r) => r.ruleId === ruleId)!;

describe("SARIF: the log and the run", () => {
  it.skipIf(!schemaPath)(`is valid against the OASIS SARIF 2.1.0 schema (draft-04, with formats)${schemaPath ? "" : " (skipped: ../shared/schemas is missing)"}`, () => {
    const log = sarif();
    expect(validate(log)).toBe(true);
    // And the validator does reject a broken log.
    const broken = structuredClone(log) as unknown as { runs: Array<{ results: Array<{ level: string }> }> };
    broken.runs[0].results[0].level = "fatal";
    expect(validate(broken)).toBe(false);
  });

  it("has one run, the 2.1.0 version and schema", () => {
    const log = sarif();
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.runs).toHaveLength(1);
    expect(run(log).columnKind).toBe("utf16CodeUnits");
  });

  it("names the tool with its semantic version and information URI", () => {
    const driver = run(sarif()).tool.driver;
    expect(driver.name).toBe("secretlint");
    expect(driver.semanticVersion).toBe("1.2.3");
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(run(sarif({ informationUri: "https://example.org/secretlint" })).tool.driver.informationUri).toBe("https://example.org/secretlint");
  });

  it("maps %SRCROOT% to the scan root as a file URI with a trailing slash", () => {
    expect(run(sarif()).originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///work/repo/" } });
    expect(run(sarif({ scanRoot: "/work/repo/" })).originalUriBaseIds!["%SRCROOT%"].uri).toBe("file:///work/repo/");
  });

  it("tells scan runs from audit runs in automationDetails.id", () => {
    expect(run(sarif()).automationDetails!.id).toBe("scan/secretlint/");
    expect(run(sarif({ kind: "audit" })).automationDetails!.id).toBe("audit/secretlint/");
    expect(run(sarif({ kind: "audit", category: "prod-account" })).automationDetails!.id).toBe("prod-account/");
    expect(run(sarif({ category: "/infra/staging/" })).automationDetails!.id).toBe("infra/staging/");
  });

  it("keeps an empty results array when nothing is found (GitHub then closes the alerts)", () => {
    const log = sarif({}, { findings: [], notifications: [], rules: [tagRule] });
    expect(run(log).results).toEqual([]);
    expect(run(log).tool.driver.rules!.map((r) => r.id)).toEqual([tagRule.id]);
  });
});

describe("SARIF: rules", () => {
  it("lists every rule that ran, once, even without results", () => {
    const result = buildResult();
    result.rules = [...result.rules, tagRule]; // a duplicate
    const extra = { ...tagRule, id: "sym/no-findings" };
    result.rules.push(extra);
    const rules = run(sarif({}, result)).tool.driver.rules!;
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([tagRule.id, hardcodedRule.id, placeholderRule.id, wildcardRule.id, noteRule.id, "sym/no-findings"]);
  });

  it("carries descriptions, help in text and markdown, level, tags, precision and security-severity", () => {
    const rules = run(sarif()).tool.driver.rules!;
    const tag = rules.find((r) => r.id === tagRule.id)!;
    expect(tag.shortDescription!.text).toBe(tagRule.title);
    expect(tag.fullDescription!.text).toBe(tagRule.description);
    expect(tag.defaultConfiguration!.level).toBe("error");
    expect(tag.properties!.tags).toEqual(tagRule.tags);
    expect(tag.properties!.precision).toBe("high");
    expect(tag.properties!["security-severity"]).toBe("7.5");
    // help.text: why, both examples and the fix
    for (const part of [tagRule.help.why, tagRule.help.fix, 'name = "prod/db"', 'tags = { SymEnv = "prod" }']) expect(tag.help!.text).toContain(part);
    // help.markdown: the examples in fenced blocks
    expect(tag.help!.markdown).toContain("```hcl\n" + tagRule.help.bad + "\n```");
    expect(tag.help!.markdown).toContain("```hcl\n" + tagRule.help.good + "\n```");
    expect(tag.help!.markdown).toContain(tagRule.help.why);
    expect(tag.help!.markdown).toContain(tagRule.help.fix);
    const yaml = rules.find((r) => r.id === placeholderRule.id)!;
    expect(yaml.help!.markdown).toContain("```yaml\nconnections:");
    expect(yaml.defaultConfiguration!.level).toBe("warning");
  });

  it("writes security-severity as a numeric string, and only for rules that have one", () => {
    const rules = run(sarif()).tool.driver.rules!;
    expect(rules.find((r) => r.id === hardcodedRule.id)!.properties!["security-severity"]).toBe("8.0");
    expect(rules.find((r) => r.id === noteRule.id)!.properties!["security-severity"]).toBe("2.0");
    expect(rules.find((r) => r.id === placeholderRule.id)!.properties).not.toHaveProperty("security-severity");
    for (const r of rules) {
      const s = r.properties?.["security-severity"];
      if (s !== undefined) expect(Number.isFinite(Number(s)) && typeof s === "string").toBe(true);
    }
  });

  it("describes every rule of the catalogue validly", () => {
    const log = sarif({}, { findings: [], notifications: [], rules: allRules });
    const rules = run(log).tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(allRules.map((r) => r.id));
    for (const r of rules) {
      expect(r.help!.markdown).toMatch(/```\w+\n/);
      expect(r.properties!.tags!.length).toBeLessThanOrEqual(20);
    }
  });

  it("adds helpUri when asked", () => {
    const rules = run(sarif({ helpUri: (id) => `https://example.org/rules/${id}` })).tool.driver.rules!;
    expect(rules[0].helpUri).toBe(`https://example.org/rules/${rules[0].id}`);
  });
});

describe("SARIF: results", () => {
  it("have rule id and index, level, message, and a physical location relative to %SRCROOT%", () => {
    const log = sarif();
    const rules = run(log).tool.driver.rules!;
    for (const r of run(log).results!) {
      expect(rules[r.ruleIndex!].id).toBe(r.ruleId);
      expect(["error", "warning", "note"]).toContain(r.level);
      expect(r.message.text!.length).toBeGreaterThan(0);
      const phys = r.locations![0].physicalLocation!;
      expect(phys.artifactLocation!.uriBaseId).toBe("%SRCROOT%");
      expect(phys.artifactLocation!.uri).not.toMatch(/^\/|\\|^[a-z]+:/i);
      const reg = phys.region!;
      for (const k of ["startLine", "startColumn", "endLine", "endColumn"] as const) expect(reg[k]).toBeGreaterThanOrEqual(1);
    }
    const hard = resultOf(log, hardcodedRule.id);
    expect(hard.level).toBe("error");
    expect(hard.message.text).toBe("secret_string is a literal value");
    expect(hard.locations![0].physicalLocation!.artifactLocation!.uri).toBe("main.tf");
    // `  secret_string = "…"` on line 7: the string starts at column 19, end exclusive.
    expect(hard.locations![0].physicalLocation!.region).toMatchObject({ startLine: 7, startColumn: 19, endLine: 7, endColumn: 19 + CANARY.length + 2 });
  });

  it("counts columns in UTF-16 code units, end exclusive", () => {
    const text = 'x = "😀é" # placeholder YOUR-API-KEY\n';
    const result: RunResult = {
      findings: [finding(placeholderRule.id, "warning", "YOUR-API-KEY is a placeholder", { file: { path: "u.tf", range: rangeOf(text, "YOUR-API-KEY") } })],
      notifications: [],
      rules: [placeholderRule],
    };
    const reg = run(sarif({ sources: new Map([["u.tf", text]]) }, result)).results![0].locations![0].physicalLocation!.region!;
    // x ␠ = ␠ " (5 units), 😀 (2 units), é " ␠ # ␠ (5), "placeholder " (12): YOUR-API-KEY at column 25
    expect(reg).toMatchObject({ startLine: 1, startColumn: 25, endLine: 1, endColumn: 37 });
  });

  it("encodes paths as relative URIs with forward slashes", () => {
    const log = sarif();
    expect(resultOf(log, placeholderRule.id).locations![0].physicalLocation!.artifactLocation!.uri).toBe("app%20dir/io_config.yml");
    const result: RunResult = {
      findings: [finding(placeholderRule.id, "warning", "p", { file: { path: "mods\\a#b\\main.tf", range: rangeOf("abc", "b") } })],
      notifications: [],
      rules: [placeholderRule],
    };
    expect(run(sarif({ sources: undefined }, result)).results![0].locations![0].physicalLocation!.artifactLocation!.uri).toBe("mods/a%23b/main.tf");
  });

  it("gives related places as relatedLocations with messages", () => {
    const tag = resultOf(sarif(), tagRule.id);
    expect(tag.relatedLocations).toHaveLength(1);
    expect(tag.relatedLocations![0]).toMatchObject({
      id: 1,
      message: { text: "the Sym access policy conditions on SymEnv here" },
      physicalLocation: { artifactLocation: { uri: "sym.tf", uriBaseId: "%SRCROOT%" }, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 7 } },
    });
  });

  it("gives a Terraform address as a logical location", () => {
    const tag = resultOf(sarif(), tagRule.id);
    expect(tag.locations![0].logicalLocations).toEqual([{ name: "db", fullyQualifiedName: "aws_secretsmanager_secret.db", kind: "resource" }]);
  });

  it("reports parse errors as results of terraform/parse-error, with a rule entry even when that rule is not in the list", () => {
    const broken = 'resource "x" {\n  a = \n';
    const result = buildResult();
    result.findings.push(
      finding("terraform/parse-error", "error", "expected an expression after `=`", { file: { path: "broken.tf", range: rangeOf(broken, "\n", { nth: 1, empty: true }) } }),
    );
    const sources = buildSources();
    sources.set("broken.tf", broken);
    const log = sarif({ sources }, result);
    const r = resultOf(log, "terraform/parse-error");
    expect(run(log).tool.driver.rules![r.ruleIndex!].id).toBe("terraform/parse-error");
    expect(r.locations![0].physicalLocation!.region).toMatchObject({ startLine: 2, startColumn: 7, endLine: 2, endColumn: 7 });
    expect(r.partialFingerprints![FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("marks suppressed results when asked (for --include-suppressed)", () => {
    const log = sarif({ suppression: (f) => (f.ruleId === noteRule.id ? { kind: "inSource", justification: "known" } : undefined) });
    expect(resultOf(log, noteRule.id).suppressions).toEqual([{ kind: "inSource", justification: "known" }]);
    expect(resultOf(log, tagRule.id).suppressions).toBeUndefined();
  });
});

describe("SARIF: fingerprints", () => {
  const prints = (log: Sarif.Log) => Object.fromEntries(run(log).results!.map((r) => [r.ruleId, r.partialFingerprints![FINGERPRINT_KEY]]));

  it("use their own key, 32 hex digits, not GitHub's primaryLocationLineHash", () => {
    for (const r of run(sarif()).results!) {
      expect(Object.keys(r.partialFingerprints!)).toEqual(["secretlint/v2"]);
      expect(r.partialFingerprints!["secretlint/v2"]).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it("stay the same when lines are inserted above, and the region moves", () => {
    const shifted = "# a comment\n\nterraform {\n  required_version = \">= 1.5\"\n}\n\n" + MAIN_TF;
    const before = sarif();
    const after = sarif({ sources: buildSources(shifted) }, buildResult(shifted));
    expect(prints(after)).toEqual(prints(before));
    expect(resultOf(after, hardcodedRule.id).locations![0].physicalLocation!.region!.startLine).toBe(
      resultOf(before, hardcodedRule.id).locations![0].physicalLocation!.region!.startLine! + 6,
    );
  });

  it("stay the same with CRLF line ends, a BOM, or re-indented lines", () => {
    const variants = [MAIN_TF.replace(/\n/g, "\r\n"), "\ufeff" + MAIN_TF, MAIN_TF.replace(/^ {2}/gm, "    ")];
    for (const v of variants) expect(prints(sarif({ sources: buildSources(v) }, buildResult(v)))).toEqual(prints(sarif()));
  });

  it("change when what was reported changes, not when a secret value does", () => {
    const renamed = MAIN_TF.replace('"aws_secretsmanager_secret" "db"', '"aws_secretsmanager_secret" "db2"');
    expect(prints(sarif({ sources: buildSources(renamed) }, buildResult(renamed)))[tagRule.id]).not.toBe(prints(sarif())[tagRule.id]);
    const rotated = MAIN_TF.replace(CANARY, "another-value-entirely");
    expect(prints(sarif({ sources: buildSources(rotated) }, buildResult(rotated)))[hardcodedRule.id]).toBe(prints(sarif())[hardcodedRule.id]);
  });

  it("tell identical findings apart by occurrence, in source order", () => {
    const text = 'a = "YOUR-API-KEY"\nb = 1\na = "YOUR-API-KEY"\n';
    const mk = (t: string): RunResult => ({
      findings: [0, 1].map((nth) => finding(placeholderRule.id, "warning", "placeholder", { file: { path: "p.tf", range: rangeOf(t, '"YOUR-API-KEY"', { nth }) } })),
      notifications: [],
      rules: [placeholderRule],
    });
    const a = run(sarif({ sources: new Map([["p.tf", text]]) }, mk(text))).results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);
    expect(a[0]).not.toBe(a[1]);
    const moved = "\n\n" + text;
    const b = run(sarif({ sources: new Map([["p.tf", moved]]) }, mk(moved))).results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);
    expect(b).toEqual(a);
  });
});

describe("SARIF: live findings", () => {
  it("carry the ARN as a logical location and a physical location made from it", () => {
    const live = resultOf(sarif({ kind: "audit" }), wildcardRule.id);
    const loc = live.locations![0];
    expect(loc.logicalLocations).toEqual([{ name: "wide", fullyQualifiedName: WIDE_ARN, kind: "resource" }]);
    expect(loc.physicalLocation!.artifactLocation).toEqual({ uri: "aws/123456789012/global/iam/policy/wide", uriBaseId: "%SRCROOT%" });
    expect(loc.physicalLocation!.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
    expect(live.partialFingerprints![FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("point at the ARN in the snapshot when the run read one", () => {
    const sources = buildSources();
    sources.set("snapshots/account.json", SNAPSHOT);
    const live = resultOf(sarif({ kind: "audit", liveArtifact: "snapshots/account.json", sources }), wildcardRule.id);
    expect(live.locations![0].physicalLocation).toMatchObject({
      artifactLocation: { uri: "snapshots/account.json", uriBaseId: "%SRCROOT%" },
      region: { startLine: 4, startColumn: 15, endLine: 4, endColumn: 15 + WIDE_ARN.length },
    });
    expect(live.locations![0].logicalLocations![0].fullyQualifiedName).toBe(WIDE_ARN);
  });

  it("use the related declaration's file when there is one", () => {
    const result = buildResult();
    const live = result.findings.find((f) => f.ruleId === wildcardRule.id)!;
    live.related = [{ origin: { file: { path: "sym.tf", range: rangeOf('module "sym" {}', "sym") } }, message: "declared here" }];
    const r = resultOf(sarif({ kind: "audit" }, result), wildcardRule.id);
    expect(r.locations![0].physicalLocation!.artifactLocation!.uri).toBe("sym.tf");
    expect(r.locations![0].logicalLocations![0].fullyQualifiedName).toBe(WIDE_ARN);
  });

  it("give related places without a file as logical locations only", () => {
    const result = buildResult();
    const tag = result.findings.find((f) => f.ruleId === tagRule.id)!;
    const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf";
    tag.related = [{ origin: { aws: { arn: secretArn, region: "eu-west-1" } }, message: "the secret in the account" }];
    const r = resultOf(sarif({ kind: "audit" }, result), tagRule.id);
    expect(r.relatedLocations).toEqual([
      { id: 1, logicalLocations: [{ name: "db-AbCdEf", fullyQualifiedName: secretArn, kind: "resource" }], message: { text: "the secret in the account" } },
    ]);
  });

  it("make their path from a secret's ARN: account, region, service, name", () => {
    const result = buildResult();
    const live = result.findings.find((f) => f.ruleId === wildcardRule.id)!;
    live.origin = { aws: { arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf", region: "eu-west-1" } };
    const r = resultOf(sarif({ kind: "audit" }, result), wildcardRule.id);
    expect(r.locations![0].physicalLocation!.artifactLocation!.uri).toBe("aws/123456789012/eu-west-1/secretsmanager/secret/prod/db-AbCdEf");
  });

  it("keep their fingerprint when file findings move", () => {
    const shifted = "\n\n\n" + MAIN_TF;
    const a = resultOf(sarif({ kind: "audit" }), wildcardRule.id).partialFingerprints;
    const b = resultOf(sarif({ kind: "audit", sources: buildSources(shifted) }, buildResult(shifted)), wildcardRule.id).partialFingerprints;
    expect(b).toEqual(a);
  });
});

describe("SARIF: the invocation", () => {
  it("says whether execution succeeded, with the exit code and notifications", () => {
    const result = buildResult();
    result.notifications.push({ level: "error", ruleId: tagRule.id, message: "rule sym/symenv-tag-missing failed: boom" });
    const log = sarif({
      kind: "audit",
      invocation: {
        notifications: [{ level: "warning", message: "AccessDenied: secretsmanager:GetResourcePolicy on prod/db (eu-west-1)" }],
        exitCode: 2,
        successful: false,
      },
    }, result);
    const inv = run(log).invocations![0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.exitCode).toBe(2);
    expect(inv.toolExecutionNotifications).toEqual([
      { level: "error", message: { text: "rule sym/symenv-tag-missing failed: boom" }, associatedRule: { id: tagRule.id, index: 0 } },
      { level: "warning", message: { text: "AccessDenied: secretsmanager:GetResourcePolicy on prod/db (eu-west-1)" } },
    ]);
  });

  it("is successful without notifications of level error", () => {
    const inv = run(sarif()).invocations![0];
    expect(inv.executionSuccessful).toBe(true);
    expect(inv.toolExecutionNotifications).toBeUndefined();
  });
});

describe("SARIF: GitHub's limits", () => {
  it("keeps the most severe results up to the results limit, and says so", () => {
    const log = sarif({ limits: { resultsPerRun: 2 } });
    expect(run(log).results!.map((r) => r.level)).toEqual(["error", "error"]);
    // errors of the highest security-severity first: hardcoded (8) and wildcard (8) before the tag (7.5)
    expect(run(log).results!.map((r) => r.ruleId).sort()).toEqual([hardcodedRule.id, wildcardRule.id].sort());
    const texts = run(log).invocations![0].toolExecutionNotifications!.map((n) => n.message.text);
    expect(texts.some((t) => /3 of 5 results left out.*at most 2 results per run/.test(t!))).toBe(true);
  });

  it("notes when GitHub will show only part of the results", () => {
    const texts = run(sarif({ limits: { resultsShown: 3 } })).invocations![0].toolExecutionNotifications!.map((n) => n.message.text);
    expect(texts.some((t) => /shows only the 3 most severe/.test(t!))).toBe(true);
  });

  it("cuts related locations at the per-result limit", () => {
    const result = buildResult();
    const tag = result.findings.find((f) => f.ruleId === tagRule.id)!;
    tag.related = Array.from({ length: 5 }, (_, i) => ({ origin: { file: { path: "sym.tf", range: rangeOf('module "sym" {}', "m") } }, message: `r${i}` }));
    const log = sarif({ limits: { locationsPerResult: 3 } }, result);
    expect(resultOf(log, tagRule.id).relatedLocations).toHaveLength(2);
    expect(run(log).invocations![0].toolExecutionNotifications!.some((n) => /3 related locations .* at most 3 locations per result/.test(n.message.text!))).toBe(true);
  });

  it("cuts tags at the per-rule limit", () => {
    const log = sarif({ limits: { tagsPerRule: 2 } });
    expect(run(log).tool.driver.rules!.find((r) => r.id === tagRule.id)!.properties!.tags).toEqual(["security", "sym"]);
    expect(run(log).invocations![0].toolExecutionNotifications!.some((n) => /1 tags left out/.test(n.message.text!))).toBe(true);
  });

  it("drops rules without results first at the rules limit", () => {
    const log = sarif({ limits: { rulesPerRun: 4 } }, { ...buildResult(), findings: buildResult().findings.slice(0, 2) });
    const rules = run(log).tool.driver.rules!;
    expect(rules).toHaveLength(4);
    for (const r of run(log).results!) expect(rules[r.ruleIndex!].id).toBe(r.ruleId);
  });
});

describe("SARIF: secret values", () => {
  it("never appear: snippets of secret findings are masked", () => {
    const text = toSarif({ result: buildResult(), kind: "scan", toolVersion: "1.2.3", sources: buildSources() });
    expect(text).not.toContain(CANARY);
    const log = JSON.parse(text) as Sarif.Log;
    const hard = resultOf(log, hardcodedRule.id).locations![0].physicalLocation!;
    expect(hard.region!.snippet!.text).toBe('"****"');
    expect(hard.contextRegion).toEqual({ startLine: 7, endLine: 7, snippet: { text: '  secret_string = "****"' } });
    // Other findings show their text as it is: the region's in snippet, the lines' in contextRegion.
    const placeholder = resultOf(log, placeholderRule.id).locations![0].physicalLocation!;
    expect(placeholder.region!.snippet!.text).toBe("your-region");
    expect(placeholder.contextRegion!.snippet!.text).toBe("  AWS_REGION: your-region");
    const tag = resultOf(log, tagRule.id).locations![0].physicalLocation!;
    expect(tag.region!.snippet!.text).toBe('resource "aws_secretsmanager_secret" "db" {\n  name = "prod/db"\n}');
  });
});
