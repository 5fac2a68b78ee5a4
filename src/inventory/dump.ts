// A JSON-friendly view of an inventory, for `--debug` dumps and tests: values through
// `toJSONView` (unknowns as `{"$unknown": why}`), Maps as objects, origins as
// `file:line:col` (or the AWS ARN / account and region, or the Terraform address, when there is
// no file). `literalStrings` is left out: it holds every literal written in the sources, secret
// values included. Nothing else in the inventory holds a secret value (a secret's versions keep
// only how the value is set and its shape).

import { Failure, ObjectValue, Unknown, toJSONView, type Value } from "../terraform/values.js";
import type { Inventory, Origin } from "./model.js";

/** Keys of the inventory never dumped. */
const HIDDEN: ReadonlySet<string> = new Set(["literalStrings"]);

export function dumpInventory(inv: Inventory): unknown {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inv)) {
    if (HIDDEN.has(key) || value === undefined) continue;
    out[key] = view(value);
  }
  return out;
}

/** `file:line:col`, with the ARN or address where there is no file. */
export function originText(o: Origin): string {
  if (o.file) return `${o.file.path}:${o.file.range.start.line}:${o.file.range.start.column}`;
  if (o.aws) return o.aws.arn ?? [o.aws.account, o.aws.region].filter(Boolean).join("/");
  return o.address ?? "";
}

const ORIGIN_KEYS: ReadonlySet<string> = new Set(["file", "aws", "address", "module", "part", "flow"]);

function isOrigin(x: object): x is Origin {
  const keys = Object.keys(x);
  if (keys.length === 0 || !keys.every((k) => ORIGIN_KEYS.has(k))) return false;
  const f = (x as Origin).file;
  return f === undefined || (typeof f === "object" && typeof f.path === "string" && typeof f.range === "object");
}

function view(x: unknown): unknown {
  if (x instanceof ObjectValue || x instanceof Unknown || x instanceof Failure) return toJSONView(x as Value);
  if (x === null || typeof x !== "object") return x;
  if (Array.isArray(x)) return x.map(view);
  if (x instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of x) o[String(k)] = view(v);
    return o;
  }
  if (x instanceof Set) return [...x].map(view);
  if (isOrigin(x)) return originText(x);
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) {
    if (v === undefined) continue;
    o[k] = view(v);
  }
  return o;
}
