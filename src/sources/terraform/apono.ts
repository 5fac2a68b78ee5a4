// Terraform → inventory: the AWS secrets Apono reads. The Apono provider (plugin framework)
// takes them as nested attributes:
//
//   resource "apono_integration" "x" {
//     aws_secret = { region = "us-east-1", secret_id = "arn:aws:secretsmanager:…" }
//   }
//   resource "apono_resource_integration" "x" {
//     secret_store_config = { aws = { region = "us-east-1", secret_id = "…" } }
//   }
//
// Both are read whether written as attributes (object constructors or any expression giving
// an object) or as blocks (`aws_secret { … }`, older configurations and JSON-minded authors).
// `secretRef` links to the declared secret by reference (`aws_secretsmanager_secret.x.arn`),
// else by a known name or ARN (see secrets.ts).

import type { Body, Expression, Range } from "../../hcl/ast.js";
import type { AponoSecretRef, Located } from "../../inventory/model.js";
import { findAttr } from "../../terraform/config.js";
import { evaluate } from "../../terraform/evaluate.js";
import type { ResourceInstance } from "../../terraform/module.js";
import { ObjectValue, Unknown, isNotKnown, unknown, type Value } from "../../terraform/values.js";
import type { CollectContext, InstanceKind } from "./context.js";
import { fileOrigin } from "./context.js";
import { keyText, linkOneSecret, secretIndex, setSecretRef } from "./secrets.js";

/** A place in a resource's configuration: a body (block), or an expression and its value. */
interface Node {
  body?: Body;
  expr?: Expression;
  value: Value | undefined;
  range: Range;
}

/** The instances collectApono reads from the context's list. */
export const APONO_READ: readonly InstanceKind[] = ["managed apono_integration", "managed apono_resource_integration"];

export function collectApono(ctx: CollectContext): void {
  const index = secretIndex(ctx);
  for (const inst of ctx.instances) {
    if (inst.mode !== "managed") continue;
    let aws: Node | undefined;
    let via: AponoSecretRef["via"];
    let suffix: string;
    const top: Node = { body: inst.block.body, value: undefined, range: inst.block.range };
    if (inst.type === "apono_integration") {
      aws = child(inst, top, "aws_secret");
      via = "apono_integration";
      suffix = "aws_secret";
    } else if (inst.type === "apono_resource_integration") {
      const store = child(inst, top, "secret_store_config");
      aws = store ? child(inst, store, "aws") : undefined;
      via = "apono_resource_integration";
      suffix = "secret_store_config.aws";
    } else continue;
    if (!aws) continue;
    const origin = fileOrigin(inst.file, aws.range, inst.address);
    const located = (n: Node | undefined, what: string): Located =>
      n ? { value: n.value ?? null, origin: fileOrigin(inst.file, n.range, inst.address) } : { value: unknown("dynamic", what), origin };
    const secretIdNode = child(inst, aws, "secret_id");
    const regionNode = child(inst, aws, "region");
    const ref: AponoSecretRef = {
      id: `${ctx.idOf(inst)}.${suffix}`,
      via,
      secretId: located(secretIdNode, `${suffix}.secret_id`),
      // Without a region, the connector reads in its own region: unknown here.
      region: located(regionNode, "the Apono connector's region"),
      origin,
    };
    if (secretIdNode) linkOneSecret(ctx, "apono", index, inst, secretIdNode.expr, secretIdNode.value, setSecretRef(ref));
    ctx.inventory.aponoSecretRefs.push(ref);
  }
}

/**
 * The argument or nested block `name` of a node: an attribute or block of a body, an item of
 * an object constructor, or a key of an evaluated object. Undefined when it is absent or null;
 * unknown when its container is unknown.
 */
function child(inst: ResourceInstance, node: Node, name: string): Node | undefined {
  if (node.body) {
    const attr = findAttr(node.body, name);
    if (attr) {
      const value = evaluate(attr.expr, inst.scope);
      return value === null ? undefined : { expr: attr.expr, value, range: attr.range };
    }
    const block = node.body.blocks.find((b) => b.blockType === name);
    return block ? { body: block.body, value: undefined, range: block.range } : undefined;
  }
  if (node.expr?.type === "Object") {
    for (const it of node.expr.items) {
      if (keyText(it.key, it.bareKey) !== name) continue;
      const value = evaluate(it.value, inst.scope);
      return value === null ? undefined : { expr: it.value, value, range: it.range };
    }
    // A key written as an expression may still give the name: fall through to the value.
  }
  const v = node.value;
  if (v instanceof ObjectValue) {
    const x = v.get(name);
    return x === undefined || x === null ? undefined : { value: x, range: node.range };
  }
  if (v instanceof Unknown) return { value: new Unknown(v.reason, undefined, undefined, v.what ? `${v.what}.${name}` : name), range: node.range };
  if (isNotKnown(v)) return { value: v, range: node.range };
  return undefined;
}
