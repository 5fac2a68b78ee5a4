// What Terraform computes for some resources and data sources, derived where it is exact
// (a secret's ARN has its region and name; a policy document's JSON comes from its blocks)
// and unknown otherwise.

import type { ResourceInstance } from "./module.js";
import { functions } from "./functions/index.js";
import { Failure, ObjectValue, Unknown, isWhollyKnown, joinPieces, unknown, type StringPiece, type Value } from "./values.js";

/** The AWS partition of a region: exact by AWS's naming. */
export function partitionOf(region: Value): StringPiece {
  if (typeof region !== "string") return unknown("dynamic", "partition");
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  return "aws";
}

function piece(v: Value | undefined, what: string): StringPiece {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (v instanceof Unknown || v instanceof Failure) return v;
  return unknown("computed", what);
}

/** The name of an IAM entity: `name`, else `name_prefix` and a generated part, else unknown. */
function iamName(inst: ResourceInstance): StringPiece[] {
  if (inst.value.has("name")) return [piece(inst.value.get("name"), "name")];
  if (inst.value.has("name_prefix")) return [piece(inst.value.get("name_prefix"), "name_prefix"), unknown("computed", "generated name")];
  return [unknown("computed", `${inst.address}.name`)];
}

/** Answers an attribute the configuration does not set. */
export function derivedAttribute(inst: ResourceInstance, attr: string): Value | undefined {
  const computed = () => unknown(inst.mode === "data" ? "data" : "computed", `${inst.address}.${attr}`);
  const account = () => unknown("computed", "the account id");
  if (inst.mode === "managed") {
    switch (inst.type) {
      case "aws_secretsmanager_secret":
        if (attr === "arn" || attr === "id") {
          // `name = null` is an unset name (then `name_prefix` decides).
          const name = inst.value.has("name") && inst.value.get("name") !== null ? inst.value.get("name") : undefined;
          const prefix = inst.value.has("name_prefix") && inst.value.get("name_prefix") !== null ? inst.value.get("name_prefix") : undefined;
          const namePieces: StringPiece[] =
            name !== undefined ? [piece(name, "name")] : prefix !== undefined ? [piece(prefix, "name_prefix"), unknown("computed", "generated name")] : [unknown("computed", "name")];
          return joinPieces([
            "arn:",
            partitionOf(inst.region),
            ":secretsmanager:",
            piece(inst.region, "region"),
            ":",
            account(),
            ":secret:",
            ...namePieces,
            "-",
            unknown("computed", "the 6-character suffix"),
          ]);
        }
        if (attr === "name" && inst.value.has("name_prefix")) {
          return joinPieces([piece(inst.value.get("name_prefix"), "name_prefix"), unknown("computed", "generated name")]);
        }
        return computed();
      case "aws_iam_policy":
      case "aws_iam_role":
      case "aws_iam_user":
      case "aws_iam_group": {
        if (attr === "arn" || (attr === "id" && inst.type === "aws_iam_policy")) {
          const kind = inst.type.slice("aws_iam_".length);
          const pathValue = inst.value.has("path") ? inst.value.get("path") : "/";
          return joinPieces(["arn:", partitionOf(inst.region), ":iam::", account(), `:${kind}`, piece(pathValue, "path"), ...iamName(inst)]);
        }
        if (attr === "name" || (attr === "id" && inst.type !== "aws_iam_policy")) return joinPieces(iamName(inst));
        return computed();
      }
      default:
        return computed();
    }
  }
  if (inst.mode === "data") {
    switch (inst.type) {
      case "aws_region":
        if (attr === "name" || attr === "region" || attr === "id") return inst.region;
        return computed();
      case "aws_partition": {
        const partition = partitionOf(inst.region);
        if (attr === "partition" || attr === "id") return partition;
        if (attr === "dns_suffix" && typeof partition === "string") {
          if (partition === "aws" || partition === "aws-us-gov") return "amazonaws.com";
          if (partition === "aws-cn") return "amazonaws.com.cn";
        }
        return computed();
      }
      case "aws_iam_policy_document":
        if (attr === "json" || attr === "minified_json") return policyDocumentJson(inst.value);
        return computed();
      default:
        return computed();
    }
  }
  return computed();
}

function listOf(v: Value | undefined): Value[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * The JSON of an `aws_iam_policy_document` from its blocks: a known string when everything is
 * known, else an Unknown keeping the document object (`json`) so statements are still seen.
 */
export function policyDocumentJson(doc: ObjectValue): Value {
  const document = policyDocumentObject(doc);
  return document instanceof Unknown ? document : encodePolicyDocument(document);
}

/** A document object (policyDocumentObject) as its JSON text, or an Unknown keeping it when partly known. */
export function encodePolicyDocument(document: ObjectValue): Value {
  if (isWhollyKnown(document) && functions.jsonencode) return functions.jsonencode([document], { baseDir: ".", readFile: () => undefined });
  return new Unknown("data", undefined, document, "policy document json");
}

/**
 * The document an `aws_iam_policy_document`'s blocks describe, as an object in the order its
 * JSON is built (before jsonencode sorts its keys), or an Unknown when its statements are.
 */
export function policyDocumentObject(doc: ObjectValue): ObjectValue | Unknown {
  if (doc.has("source_policy_documents") || doc.has("override_policy_documents")) {
    // Merged documents: not modelled; the statements written here are still read from blocks.
    return unknown("data", "a merged policy document");
  }
  const statements: Value[] = [];
  const rawStatements = doc.has("statement") ? doc.get("statement") : [];
  if (rawStatements instanceof Unknown || rawStatements instanceof Failure) return unknown("data", "policy statements");
  for (const st of listOf(rawStatements)) {
    if (!(st instanceof ObjectValue)) continue;
    const out = new ObjectValue();
    const sid = st.get("sid");
    if (sid !== undefined && sid !== null) out.set("Sid", sid);
    out.set("Effect", st.get("effect") ?? "Allow");
    for (const [arg, key] of [
      ["actions", "Action"],
      ["not_actions", "NotAction"],
      ["resources", "Resource"],
      ["not_resources", "NotResource"],
    ] as const) {
      const v = st.get(arg);
      if (v !== undefined && v !== null) out.set(key, v);
    }
    for (const [arg, key] of [
      ["principals", "Principal"],
      ["not_principals", "NotPrincipal"],
    ] as const) {
      const blocks = st.get(arg);
      if (blocks === undefined) continue;
      if (!Array.isArray(blocks)) {
        out.set(key, unknown("dynamic", arg));
        continue;
      }
      const principal = new ObjectValue();
      for (const p of blocks) {
        if (!(p instanceof ObjectValue)) continue;
        const type = p.get("type");
        if (typeof type !== "string") {
          out.set(key, unknown("dynamic", arg));
          break;
        }
        const ids = p.get("identifiers");
        if (type === "*" && Array.isArray(ids) && ids.length === 1 && ids[0] === "*") {
          out.set(key, "*");
          break;
        }
        const prev = principal.get(type);
        principal.set(type, Array.isArray(prev) && Array.isArray(ids) ? [...prev, ...ids] : (ids ?? null));
      }
      if (!out.has(key)) out.set(key, principal);
    }
    const conds = st.get("condition");
    if (conds !== undefined) {
      if (!Array.isArray(conds)) out.set("Condition", unknown("dynamic", "condition"));
      else {
        const c = new ObjectValue();
        for (const cond of conds) {
          if (!(cond instanceof ObjectValue)) continue;
          const test = cond.get("test");
          const variable = cond.get("variable");
          if (typeof test !== "string" || typeof variable !== "string") {
            out.set("Condition", unknown("dynamic", "condition"));
            break;
          }
          const byTest = c.get(test) instanceof ObjectValue ? (c.get(test) as ObjectValue) : new ObjectValue();
          byTest.set(variable, cond.get("values") ?? null);
          c.set(test, byTest);
        }
        if (!out.has("Condition")) out.set("Condition", c);
      }
    }
    statements.push(out);
  }
  // `doc.get` answers unset arguments with computed unknowns: ask whether `version` is set.
  const version = doc.has("version") ? (doc.get("version") as Value) : null;
  return ObjectValue.from({ Version: version ?? "2012-10-17", Statement: statements });
}
