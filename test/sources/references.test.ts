// Undefined references (src/sources/terraform/references.ts): static, per module directory.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseHcl } from "../../src/hcl/parser.js";
import { originText } from "../../src/inventory/dump.js";
import { emptyInventory, type Inventory } from "../../src/inventory/model.js";
import { buildContext } from "../../src/sources/terraform/context.js";
import { collectUndefinedReferences, traversalOf, traversalsIn } from "../../src/sources/terraform/references.js";
import { loadProject } from "../../src/terraform/project.js";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures/terraform");

function refsOf(dir: string): Inventory {
  const inv = emptyInventory();
  collectUndefinedReferences(buildContext(loadProject(dir), inv));
  return inv;
}

const list = (inv: Inventory) => inv.undefinedReferences.map((r) => `${originText(r.origin)} ${r.kind} ${r.reference}`);

const tmpDirs: string[] = [];
function tmpModule(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-refs-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("undefined references", () => {
  it("finds each kind, with the range of its first two steps (fixtures/terraform/refs-undefined)", () => {
    const inv = refsOf(path.join(fixtures, "refs-undefined"));
    expect(list(inv)).toEqual([
      "main.tf:11:34 variable var.enviroment",
      "main.tf:12:17 local local.descripton",
      "main.tf:13:17 module module.kms",
      "main.tf:15:15 data data.aws_caller_identity.current",
      "main.tf:16:15 resource aws_eks_cluster.main",
      "main.tf:21:19 resource aws_secretsmanager_secret.ap",
      "main.tf:22:19 resource ephemeral.random_password.db",
      "main.tf:26:21 resource aws_secretsmanager_secret.missing",
      "main.tf:31:16 local local.names",
      "main.tf:33:7 resource aws_iam_role.runtime",
      "main.tf:40:16 variable var.replica_regions",
      "main.tf:43:20 resource regions.value",
    ]);
    const first = inv.undefinedReferences[0];
    expect(first.module).toBe(".");
    // `var.enviroment`: 14 characters on line 11.
    expect(first.origin.file?.range.end).toMatchObject({ line: 11, column: 48 });
    const resource = inv.undefinedReferences.find((r) => r.reference === "aws_iam_role.runtime");
    // Only `aws_iam_role.runtime`, not `[0].arn`.
    expect(resource?.origin.file?.range.end).toMatchObject({ line: 33, column: 27 });
  });

  it("reports nothing where everything is declared, across files and constructs (fixtures/terraform/refs-declared)", () => {
    const inv = refsOf(path.join(fixtures, "refs-declared"));
    expect(list(inv)).toEqual([]);
  });

  it("once per module directory, even when the module is instantiated several times", () => {
    const dir = tmpModule({
      "main.tf": `
module "a" {
  source = "./child"
}
module "b" {
  source = "./child"
  count  = 3
}
`,
      "child/main.tf": `
output "x" {
  value = var.undeclared
}
`,
    });
    const inv = refsOf(dir);
    expect(inv.undefinedReferences.map((r) => [r.module, originText(r.origin), r.reference])).toEqual([["child", "child/main.tf:3:11", "var.undeclared"]]);
  });

  it("skips modules Terraform downloaded under .terraform/modules", () => {
    const dir = tmpModule({
      "main.tf": `
module "vendor" {
  source  = "example/vendor/aws"
  version = "1.0.0"
}
`,
      ".terraform/modules/modules.json": JSON.stringify({ Modules: [{ Key: "vendor", Source: "example/vendor/aws", Dir: ".terraform/modules/vendor" }] }),
      ".terraform/modules/vendor/main.tf": `
output "x" {
  value = var.not_ours
}
`,
    });
    expect(list(refsOf(dir))).toEqual([]);
  });

  it("no false positives: provider functions, each/count anywhere, dynamic iterators, for and %{for} variables, self", () => {
    const dir = tmpModule({
      "main.tf": `
variable "items" {
  type    = list(string)
  default = []
}
resource "aws_secretsmanager_secret" "a" {
  name = provider::aws::arn_parse("arn:aws:iam::1:role/x").account_id
  description = "\${each.key} \${count.index}"
  tags = { for i, v in var.items : v => [for j, w in var.items : "\${i}\${j}\${w}"] }
  dynamic "replica" {
    for_each = var.items
    content {
      region = replica.value
      dynamic "nested" {
        for_each = var.items
        iterator = inner
        content {
          value = "\${inner.value}-\${replica.key}"
        }
      }
    }
  }
  provisioner "local-exec" {
    command = "%{ for k, v in var.items }\${k}=\${v} \${self.arn}%{ endfor }"
  }
}
output "splat" {
  value = [for s in [aws_secretsmanager_secret.a] : s.arn][0]
}
`,
    });
    expect(list(refsOf(dir))).toEqual([]);
  });

  it("a for variable does not leak out of its expression; shadowing a resource type name", () => {
    const dir = tmpModule({
      "main.tf": `
variable "xs" {
  type = list(string)
}
output "a" {
  value = [for aws_s3_bucket in var.xs : aws_s3_bucket.id]
}
output "b" {
  value = aws_s3_bucket.id.arn
}
`,
    });
    expect(list(refsOf(dir))).toEqual(["main.tf:9:11 resource aws_s3_bucket.id"]);
  });

  it("a dynamic iterator is bound in its content, not in its for_each", () => {
    const dir = tmpModule({
      "main.tf": `
resource "aws_secretsmanager_secret" "a" {
  dynamic "replica" {
    for_each = replica.value
    content {
      region = replica.value
    }
  }
}
`,
    });
    expect(list(refsOf(dir))).toEqual(["main.tf:4:16 resource replica.value"]);
  });

  it("JSON syntax: references inside template strings, with positions", () => {
    const dir = tmpModule({
      "main.tf.json": JSON.stringify(
        {
          resource: {
            aws_secretsmanager_secret: {
              a: {
                name: "${var.name}",
                dynamic: { replica: { for_each: "${var.regions}", iterator: "r", content: { region: "${r.value}" } } },
              },
            },
          },
          variable: { regions: {} },
        },
        null,
        2,
      ),
    });
    expect(list(refsOf(dir))).toEqual(["main.tf.json:5:20 variable var.name"]);
  });
});

describe("traversals", () => {
  const expr = (text: string) => parseHcl(`x = ${text}\n`, "t.tf").body.attributes[0].expr;

  it("flattens attribute, index and splat steps", () => {
    const t = traversalOf(expr('aws_secretsmanager_secret.x["k"].arn'));
    expect(t?.root.name).toBe("aws_secretsmanager_secret");
    expect(t?.steps.map((s) => s.kind)).toEqual(["attr", "index", "attr"]);
    const s = traversalOf(expr("aws_x.y[*].id"));
    expect(s?.steps.map((x) => (x.kind === "attr" ? x.name : x.kind))).toEqual(["y", "splat", "id"]);
    expect(traversalOf(expr("f(x).y"))).toBeUndefined();
  });

  it("lists the references of an expression, index keys included, bound names excluded", () => {
    const names = traversalsIn(expr('{ a = aws_x.y[var.k], (local.key) = [for v in var.l : v.z], b = "${data.t.n.id}" }')).map((t) => t.root.name);
    expect(names).toEqual(["aws_x", "var", "local", "var", "data"]);
  });
});
