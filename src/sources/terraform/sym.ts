// Terraform → inventory: Sym resources. `sym_secret` becomes a SymSecret linked to the AWS
// secret its `path` names (by reference, even when the name is unknown; else by a known name or
// ARN); `sym_secrets`, `sym_integration`, `sym_target`, `sym_strategy`, `sym_flow`,
// `sym_environment` and `sym_runtime` become SymObjects with every argument evaluated. Sym
// resources hold no secret values (they point at secrets), so nothing here is a value to hide.

import type { Located, SymObject, SymSecret } from "../../inventory/model.js";
import { findAttr, labelOf } from "../../terraform/config.js";
import { evaluate } from "../../terraform/evaluate.js";
import type { ResourceInstance } from "../../terraform/module.js";
import { ObjectValue, Unknown, isNotKnown, type Value } from "../../terraform/values.js";
import type { CollectContext, InstanceKind } from "./context.js";
import { argument, fileOrigin, instanceOrigin } from "./context.js";
import { keyText, linkOneSecret, secretIndex, setSecretRef } from "./secrets.js";

const OBJECT_KINDS: ReadonlySet<string> = new Set<SymObject["kind"]>([
  "sym_secrets",
  "sym_integration",
  "sym_target",
  "sym_strategy",
  "sym_flow",
  "sym_environment",
  "sym_runtime",
]);

/** The instances collectSym reads from the context's list. */
export const SYM_READ: readonly InstanceKind[] = ["managed sym_secret", ...[...OBJECT_KINDS].map((t): InstanceKind => `managed ${t}`)];

export function collectSym(ctx: CollectContext): void {
  const index = secretIndex(ctx);
  for (const inst of ctx.instances) {
    if (inst.mode !== "managed") continue;
    if (inst.type === "sym_secret") {
      const pathAttr = findAttr(inst.block.body, "path");
      const path = argument(inst, "path");
      const secret: SymSecret = {
        id: ctx.idOf(inst),
        path,
        sourceId: argument(inst, "source_id"),
        origin: instanceOrigin(inst),
      };
      linkOneSecret(ctx, "sym", index, inst, pathAttr?.expr, pathAttr ? path.value : undefined, setSecretRef(secret));
      // Set after the link (whenever links.ts decides it), so the entry's keys keep their order.
      const jsonKey = settingOf(inst, "json_key");
      if (jsonKey) ctx.links.after("sym", setJsonKey(secret, jsonKey));
      ctx.inventory.symSecrets.push(secret);
    } else if (OBJECT_KINDS.has(inst.type)) {
      ctx.inventory.symObjects.push({
        id: ctx.idOf(inst),
        kind: inst.type as SymObject["kind"],
        type: findAttr(inst.block.body, "type") ? argument(inst, "type") : { value: null, origin: instanceOrigin(inst) },
        attributes: attributesOf(inst),
        origin: instanceOrigin(inst),
      });
    }
  }
}

/**
 * A key of a resource's `settings` map (`settings = { json_key = "x" }`), with where it is set:
 * the item when `settings` is an object constructor, else the `settings` argument. Unknown when
 * `settings` is; undefined when it is known and lacks the key.
 */
export function settingOf(inst: ResourceInstance, key: string): Located | undefined {
  const attr = findAttr(inst.block.body, "settings");
  if (attr) {
    const settings = inst.value.get("settings");
    if (attr.expr.type === "Object") {
      for (const it of attr.expr.items) {
        if (keyText(it.key, it.bareKey) === key) return { value: evaluate(it.value, inst.scope), origin: fileOrigin(inst.file, it.range, inst.address) };
      }
    }
    const origin = fileOrigin(inst.file, attr.range, inst.address);
    if (settings instanceof ObjectValue) {
      const v = settings.get(key);
      return v === undefined ? undefined : { value: v, origin };
    }
    if (settings instanceof Unknown) return { value: new Unknown(settings.reason, undefined, undefined, `settings.${key}`), origin };
    if (isNotKnown(settings)) return { value: settings as Value, origin };
    return undefined;
  }
  // An older provider's `settings { … }` block.
  const block = inst.block.body.blocks.find((b) => b.blockType === "settings");
  const a = block ? findAttr(block.body, key) : undefined;
  return a ? { value: evaluate(a.expr, inst.scope), origin: fileOrigin(inst.file, a.range, inst.address) } : undefined;
}

/** Every argument and nested block of a resource, evaluated, with where each is set. */
function attributesOf(inst: ResourceInstance): Map<string, Located> {
  const out = new Map<string, Located>();
  const body = inst.block.body;
  for (const name of inst.value.keys()) {
    const attr = findAttr(body, name);
    if (attr) {
      out.set(name, argument(inst, name));
      continue;
    }
    const block = body.blocks.find((b) => b.blockType === name || (b.blockType === "dynamic" && labelOf(b, 0) === name));
    out.set(name, {
      value: inst.value.get(name) ?? null,
      origin: block ? fileOrigin(inst.file, block.range, inst.address) : instanceOrigin(inst),
    });
  }
  return out;
}

/** Made here, not in collectSym: a closure made there would hold its scope until every root is in (see secrets.ts). */
function setJsonKey(secret: SymSecret, jsonKey: NonNullable<SymSecret["jsonKey"]>): () => void {
  return () => {
    secret.jsonKey = jsonKey;
  };
}
