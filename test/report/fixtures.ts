// Hand-built run results for the reporter tests: three fake rules, a few source files, and
// findings placed by searching the sources (so inserting lines moves them as a rule would).

import { defineRule, type Rule } from "../../src/engine/rule.js";
import { sortFindings, type Finding, type RunResult } from "../../src/engine/runner.js";
import type { Pos, Range } from "../../src/hcl/ast.js";
import type { Origin } from "../../src/inventory/model.js";

export const CANARY = "hunter2-canary-XYZZY";

export const tagRule = defineRule({
  id: "sym/symenv-tag-missing",
  level: "error",
  securitySeverity: 7.5,
  tags: ["security", "sym", "external/cwe/cwe-284"],
  precision: "high",
  title: "A secret Sym reads lacks the SymEnv tag",
  description: "Sym's IAM policy allows reading only the secrets tagged with the environment; an untagged secret fails with AccessDenied at run time.",
  help: {
    why: "Sym's runtime reads secrets under a `StringEquals secretsmanager:ResourceTag/SymEnv` condition.",
    bad: 'resource "aws_secretsmanager_secret" "db" {\n  name = "prod/db"\n}',
    good: 'resource "aws_secretsmanager_secret" "db" {\n  name = "prod/db"\n  tags = { SymEnv = "prod" }\n}',
    fix: "Add the tag `SymEnv` with the environment of the Sym access policy.",
  },
  messages: { missing: "Secret {name} lacks the tag {tag}" },
  check() {},
}) as Rule;

export const hardcodedRule = defineRule({
  id: "secret/hardcoded-value",
  level: "error",
  securitySeverity: 8,
  tags: ["security", "secret-value"],
  precision: "very-high",
  title: "A secret's value is written in the configuration",
  description: "A literal secret_string lands in git and in the Terraform state.",
  help: {
    why: "The value is readable by anyone with the repository or the state.",
    bad: 'resource "aws_secretsmanager_secret_version" "v" {\n  secret_string = "s3cr3t"\n}',
    good: 'resource "aws_secretsmanager_secret_version" "v" {\n  secret_string_wo = var.value\n}',
    fix: "Use `secret_string_wo`, or set the value out of band.",
  },
  messages: { literal: "{argument} is a literal value" },
  check() {},
}) as Rule;

export const placeholderRule = defineRule({
  id: "secret/placeholder-value",
  level: "warning",
  tags: ["correctness"],
  precision: "high",
  title: "A documentation placeholder was left in",
  description: "Values such as <Region> or YOUR-API-KEY are copied from setup guides and never work.",
  help: {
    why: "The placeholder is sent to AWS as written.",
    bad: "connections:\n  aws_region: your-region",
    good: "connections:\n  aws_region: us-east-1",
    fix: "Replace the placeholder with the real value.",
  },
  messages: { placeholder: "{value} is a documentation placeholder" },
  check() {},
}) as Rule;

export const wildcardRule = defineRule({
  id: "iam/secret-read-wildcard",
  level: "error",
  securitySeverity: 8,
  tags: ["security", "iam"],
  precision: "high",
  title: "A policy lets a principal read every secret",
  description: "An Allow of GetSecretValue on * reads every secret of the account.",
  help: {
    why: "Least privilege.",
    bad: 'data "aws_iam_policy_document" "p" {\n  statement {\n    actions   = ["secretsmanager:GetSecretValue"]\n    resources = ["*"]\n  }\n}',
    good: 'data "aws_iam_policy_document" "p" {\n  statement {\n    actions   = ["secretsmanager:GetSecretValue"]\n    resources = [aws_secretsmanager_secret.db.arn]\n  }\n}',
    fix: "Name the secrets, or add a `secretsmanager:ResourceTag` condition.",
  },
  messages: { wildcard: "{policy} allows {action} on {resource}" },
  check() {},
}) as Rule;

export const noteRule = defineRule({
  id: "aws/some-note",
  level: "note",
  securitySeverity: 2,
  tags: ["hygiene"],
  precision: "medium",
  title: "Something worth knowing about a secret",
  description: "A note-level rule, for the tests.",
  help: { why: "Because.", bad: 'x = "a"', good: 'x = "b"', fix: "Change it." },
  messages: { note: "note about {name}" },
  check() {},
}) as Rule;

export const MAIN_TF = `resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = "${CANARY}"
}
`;

export const IO_CONFIG = `version: 0.1.1
default:
  AWS_REGION: your-region
  AWS_SECRET_NAME: mage/db
`;

export const SNAPSHOT = `{
  "account": "123456789012",
  "policies": [
    { "arn": "arn:aws:iam::123456789012:policy/wide", "name": "wide" }
  ]
}
`;

/** The position of index `i` in `text`, as the parser counts (a BOM counts in offsets, not columns). */
export function posAt(text: string, i: number): Pos {
  let line = 1;
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let k = 0; k < i; k++) {
    if (text[k] === "\n") {
      line++;
      lineStart = k + 1;
    }
  }
  return { offset: i, byte: i, line, column: i - lineStart + 1 };
}

/** The range of the `nth` occurrence of `needle` in `text` (or from it to `until`, inclusive). */
export function rangeOf(text: string, needle: string, opts: { nth?: number; until?: string; empty?: boolean } = {}): Range {
  let i = -1;
  for (let n = 0; n <= (opts.nth ?? 0); n++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`${needle} not found`);
  }
  let end = i + needle.length;
  if (opts.until !== undefined) end = text.indexOf(opts.until, i) + opts.until.length;
  if (opts.empty) end = i;
  return { start: posAt(text, i), end: posAt(text, end) };
}

/** The range of the quoted string after `prefix` (quotes included). */
export function valueAfter(text: string, prefix: string): Range {
  const i = text.indexOf(prefix) + prefix.length;
  const end = text.indexOf('"', i + 1) + 1;
  return { start: posAt(text, i), end: posAt(text, end) };
}

export function finding(ruleId: string, level: Finding["level"], message: string, origin: Origin, related: Finding["related"] = [], messageId = "m"): Finding {
  return { ruleId, level, messageId, message, data: {}, origin, related };
}

export const WIDE_ARN = "arn:aws:iam::123456789012:policy/wide";

/** The findings of a run over main.tf (possibly shifted by lines inserted above). */
export function buildResult(mainTf = MAIN_TF): RunResult {
  const findings: Finding[] = [
    finding(
      tagRule.id,
      "error",
      "Secret prod/db lacks the tag SymEnv",
      { file: { path: "main.tf", range: rangeOf(mainTf, 'resource "aws_secretsmanager_secret" ', { until: "}" }) }, address: "aws_secretsmanager_secret.db" },
      [{ origin: { file: { path: "sym.tf", range: rangeOf('module "sym" {}', "module") } }, message: "the Sym access policy conditions on SymEnv here" }],
      "missing",
    ),
    finding(hardcodedRule.id, "error", "secret_string is a literal value", {
      file: { path: "main.tf", range: valueAfter(mainTf, "secret_string = ") },
      address: "aws_secretsmanager_secret_version.db",
    }),
    finding(placeholderRule.id, "warning", "your-region is a documentation placeholder", {
      file: { path: "app dir/io_config.yml", range: rangeOf(IO_CONFIG, "your-region") },
    }),
    finding(noteRule.id, "note", "note about prod/db", {
      file: { path: "main.tf", range: rangeOf(mainTf, 'name = "prod/db"') },
    }),
    finding(wildcardRule.id, "error", "wide allows secretsmanager:GetSecretValue on *", {
      aws: { account: "123456789012", arn: WIDE_ARN },
    }),
  ];
  return { findings: sortFindings(findings), notifications: [], rules: [tagRule, hardcodedRule, placeholderRule, wildcardRule, noteRule] };
}

export function buildSources(mainTf = MAIN_TF): Map<string, string> {
  return new Map([
    ["main.tf", mainTf],
    ["app dir/io_config.yml", IO_CONFIG],
    ["sym.tf", 'module "sym" {}'],
  ]);
}
