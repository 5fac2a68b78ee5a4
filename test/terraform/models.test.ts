// What the evaluator derives for attributes Terraform computes: exact where AWS's naming makes
// it exact (a secret's or IAM entity's ARN, a region's partition, a policy document's JSON),
// unknown otherwise.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseExpressionSource } from "../../src/hcl/parser.js";
import { evaluate } from "../../src/terraform/evaluate.js";
import { partitionOf, policyDocumentJson } from "../../src/terraform/models.js";
import type { ModuleInstance } from "../../src/terraform/module.js";
import { loadProject } from "../../src/terraform/project.js";
import { ObjectValue, Unknown, knownPrefix, toJSONView, unknown, type Value } from "../../src/terraform/values.js";

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function mod(main: string): ModuleInstance {
  const dir = mkdtempSync(join(tmpdir(), "tf-models-"));
  made.push(dir);
  writeFileSync(join(dir, "main.tf"), main);
  return loadProject(dir).roots[0];
}

function ev(m: ModuleInstance, src: string): Value {
  const { expr, diagnostics } = parseExpressionSource(src, "expr.tf");
  expect(diagnostics).toEqual([]);
  return evaluate(expr, m);
}

function pieces(v: Value): string[] {
  expect(v, JSON.stringify(toJSONView(v))).toBeInstanceOf(Unknown);
  return ((v as Unknown).template ?? []).map((p) => (typeof p === "string" ? p : "?"));
}

/** The document of a policy document's json (parsed when known, the kept object when not). */
function doc(v: Value): any {
  if (typeof v === "string") return JSON.parse(v);
  expect(v, JSON.stringify(toJSONView(v))).toBeInstanceOf(Unknown);
  return toJSONView((v as Unknown).json as Value);
}

describe("partitionOf", () => {
  it.each([
    ["us-east-1", "aws"],
    ["eu-central-1", "aws"],
    ["us-gov-west-1", "aws-us-gov"],
    ["cn-north-1", "aws-cn"],
    ["us-iso-east-1", "aws-iso"],
    ["us-isob-east-1", "aws-iso-b"],
  ])("%s → %s", (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
  it("data.aws_partition: partition and dns_suffix from the provider region", () => {
    const m = mod(`provider "aws" { region = "cn-northwest-1" }\ndata "aws_partition" "p" {}\n`);
    expect(ev(m, "data.aws_partition.p.partition")).toBe("aws-cn");
    expect(ev(m, "data.aws_partition.p.dns_suffix")).toBe("amazonaws.com.cn");
    expect(ev(m, "data.aws_partition.p.reverse_dns_prefix")).toBeInstanceOf(Unknown);
  });

  it("an unknown region has an unknown partition", () => {
    expect(partitionOf(unknown("variable"))).toBeInstanceOf(Unknown);
  });
});

describe("secret ARNs", () => {
  it("a name from an unknown variable: the ARN keeps region and the :secret: part", () => {
    const m = mod(`provider "aws" { region = "us-east-1" }\nvariable "n" {}\nresource "aws_secretsmanager_secret" "s" { name = var.n }\n`);
    expect(pieces(ev(m, "aws_secretsmanager_secret.s.arn"))).toEqual(["arn:aws:secretsmanager:us-east-1:", "?", ":secret:", "?", "-", "?"]);
  });

  it("no name at all: only the known frame", () => {
    const m = mod(`provider "aws" { region = "cn-north-1" }\nresource "aws_secretsmanager_secret" "s" {}\n`);
    expect(pieces(ev(m, "aws_secretsmanager_secret.s.arn"))).toEqual(["arn:aws-cn:secretsmanager:cn-north-1:", "?", ":secret:", "?", "-", "?"]);
  });

  it("an unknown region: the ARN still starts with arn:", () => {
    const m = mod(`resource "aws_secretsmanager_secret" "s" { name = "n" }\n`);
    expect(knownPrefix(ev(m, "aws_secretsmanager_secret.s.arn"))).toBe("arn:");
  });

  it("other computed attributes of a secret are unknown", () => {
    const m = mod(`resource "aws_secretsmanager_secret" "s" { name = "n" }\n`);
    expect((ev(m, "aws_secretsmanager_secret.s.kms_key_id") as Unknown).reason).toBe("computed");
  });

  it("a secret version's secret_id keeps the reference's value", () => {
    const m = mod(`
provider "aws" { region = "us-east-1" }
resource "aws_secretsmanager_secret" "s" { name = "n" }
resource "aws_secretsmanager_secret_version" "v" {
  secret_id     = aws_secretsmanager_secret.s.id
  secret_string = jsonencode({ username = "u", password = "p" })
}
`);
    expect(knownPrefix(ev(m, "aws_secretsmanager_secret_version.v.secret_id"))).toBe("arn:aws:secretsmanager:us-east-1:");
    expect(JSON.parse(ev(m, "aws_secretsmanager_secret_version.v.secret_string") as string)).toEqual({ username: "u", password: "p" });
  });
});

describe("IAM ARNs", () => {
  const m = () =>
    mod(`
provider "aws" { region = "us-gov-west-1" }
resource "aws_iam_role" "r" { name = "SymRuntimeProd" }
resource "aws_iam_role" "pathed" {
  name = "svc"
  path = "/service/"
}
resource "aws_iam_policy" "p" { name = "read" }
resource "aws_iam_user" "u" { name_prefix = "ci-" }
resource "aws_iam_group" "g" {}
`);

  it("role, policy and user ARNs with partition, path and name", () => {
    expect(pieces(ev(m(), "aws_iam_role.r.arn"))).toEqual(["arn:aws-us-gov:iam::", "?", ":role/SymRuntimeProd"]);
    expect(pieces(ev(m(), "aws_iam_role.pathed.arn"))).toEqual(["arn:aws-us-gov:iam::", "?", ":role/service/svc"]);
    expect(pieces(ev(m(), "aws_iam_policy.p.arn"))).toEqual(["arn:aws-us-gov:iam::", "?", ":policy/read"]);
    expect(pieces(ev(m(), "aws_iam_policy.p.id"))).toEqual(pieces(ev(m(), "aws_iam_policy.p.arn")));
    expect(pieces(ev(m(), "aws_iam_user.u.arn"))).toEqual(["arn:aws-us-gov:iam::", "?", ":user/ci-", "?"]);
    expect(pieces(ev(m(), "aws_iam_group.g.arn"))).toEqual(["arn:aws-us-gov:iam::", "?", ":group/", "?"]);
  });

  it("a role's id and name are its name; a name_prefix keeps the prefix", () => {
    expect(ev(m(), "aws_iam_role.r.id")).toBe("SymRuntimeProd");
    expect(ev(m(), "aws_iam_role.r.name")).toBe("SymRuntimeProd");
    expect(pieces(ev(m(), "aws_iam_user.u.name"))).toEqual(["ci-", "?"]);
    expect((ev(m(), "aws_iam_role.r.unique_id") as Unknown).reason).toBe("computed");
  });
});

describe("aws_iam_policy_document", () => {
  it("statements, effects, not_actions, principals and conditions", () => {
    const m = mod(`
data "aws_iam_policy_document" "p" {
  statement {
    effect      = "Deny"
    not_actions = ["iam:*"]
    resources   = ["*"]
  }
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalTag/Team"
      values   = ["a"]
    }
    condition {
      test     = "StringEquals"
      variable = "secretsmanager:ResourceTag/SymEnv"
      values   = ["prod"]
    }
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
`);
    const d = doc(ev(m, "data.aws_iam_policy_document.p.json"));
    expect(d.Version).toBe("2012-10-17");
    expect(d.Statement).toHaveLength(3);
    expect(d.Statement[0]).toEqual({ Effect: "Deny", NotAction: ["iam:*"], Resource: ["*"] });
    expect(d.Statement[1].Principal).toEqual({
      AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"],
      Service: ["lambda.amazonaws.com"],
    });
    expect(d.Statement[1].Condition).toEqual({
      StringEquals: { "aws:PrincipalTag/Team": ["a"], "secretsmanager:ResourceTag/SymEnv": ["prod"] },
    });
    expect(d.Statement[2].Principal).toBe("*");
  });

  it("minified_json equals json; other attributes are unknown", () => {
    const m = mod(`data "aws_iam_policy_document" "p" {\n  statement {\n    actions   = ["s3:*"]\n    resources = ["*"]\n  }\n}\n`);
    expect(ev(m, "data.aws_iam_policy_document.p.minified_json")).toBe(ev(m, "data.aws_iam_policy_document.p.json"));
    expect(ev(m, "data.aws_iam_policy_document.p.id")).toBeInstanceOf(Unknown);
  });

  it("no statements: an empty statement list", () => {
    const m = mod(`data "aws_iam_policy_document" "p" {}\n`);
    expect(doc(ev(m, "data.aws_iam_policy_document.p.json"))).toEqual({ Version: "2012-10-17", Statement: [] });
  });

  it("an unknown condition value keeps the rest of the document", () => {
    const m = mod(`
variable "env" {}
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "secretsmanager:ResourceTag/SymEnv"
      values   = [var.env]
    }
  }
}
`);
    const v = ev(m, "data.aws_iam_policy_document.p.json");
    expect(v).toBeInstanceOf(Unknown);
    const d = doc(v);
    expect(d.Statement[0].Action).toEqual(["secretsmanager:GetSecretValue"]);
    expect(Object.keys(d.Statement[0].Condition.StringEquals)).toEqual(["secretsmanager:ResourceTag/SymEnv"]);
  });

  it("merged documents (source_policy_documents) are unknown", () => {
    const m = mod(`data "aws_iam_policy_document" "p" {\n  source_policy_documents = ["{}"]\n}\n`);
    expect(ev(m, "data.aws_iam_policy_document.p.json")).toBeInstanceOf(Unknown);
  });

  it("feeds aws_iam_policy.policy through a reference", () => {
    const m = mod(`
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "x" {
  name   = "x"
  policy = data.aws_iam_policy_document.p.json
}
`);
    expect(doc(ev(m, "aws_iam_policy.x.policy")).Statement[0].Resource).toEqual(["*"]);
  });

  it("policyDocumentJson on a hand-built document", () => {
    const d = ObjectValue.from({
      statement: [ObjectValue.from({ actions: ["a:b"], resources: ["*"], sid: null })],
    });
    expect(JSON.parse(policyDocumentJson(d) as string)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["a:b"], Resource: ["*"] }],
    });
  });
});
