import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { jsonRoundTrip, parsePartialJson, policyDocumentValue, policyValue } from "../../src/sources/terraform/policy-json.js";
import { functions } from "../../src/terraform/functions/index.js";
import { encodeJSON, forgetEncodedJSON, valueOfJSON } from "../../src/terraform/functions/support/json.js";
import { scanPaths } from "../../src/scan.js";
import { inventoryFromTerraform } from "../../src/sources/terraform/index.js";
import { policyDocumentJson } from "../../src/terraform/models.js";
import { Failure, LazyObject, ObjectValue, Unknown, fromJSON, type Value } from "../../src/terraform/values.js";

// The IAM collector reads an aws_iam_policy_document's own statements without writing its JSON
// and parsing it back (policyDocumentValue, jsonRoundTrip). What it reads must be what the
// round trip gives: the same classes, keys in the same order, the same numbers (Object.is) and
// strings, and no object or array shared with the document it came from.

/** A description of a value exact enough to tell any difference the inventory could see. */
function shape(v: Value | undefined): unknown {
  if (v === undefined) return { undefined: true };
  if (typeof v === "number") return { number: Object.is(v, -0) ? "-0" : String(v) };
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return { array: v.map(shape) };
  if (v instanceof Unknown) return { unknown: v.reason, what: v.what, template: v.template?.map((p) => shape(p as Value)), json: shape(v.json) };
  if (v instanceof Failure) return { failure: v.message };
  if (v instanceof ObjectValue) return { class: v.constructor.name, entries: [...v.entries].map(([k, x]) => [k, shape(x)]) };
  return { other: String(v) };
}

/** Arrays and objects reachable from a value. */
function containers(v: Value, out = new Set<object>()): Set<object> {
  if (Array.isArray(v)) {
    out.add(v);
    for (const x of v) containers(x, out);
  } else if (v instanceof ObjectValue) {
    out.add(v);
    for (const x of v.entries.values()) containers(x, out);
  }
  return out;
}

const roundTrip = (v: Value): Value => parsePartialJson([encodeJSON(v)]);

const tricky = fc.constantFrom("", "a", "<", ">", "&", '"', "\\", "\n", "\u0001", "\u007f", "\u2028", "\uE000", "\uD800", "\uDC00", "\uD83D\uDE00", "é", "*", "Statement", "Action");
const text = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ maxLength: 4, unit: "binary" }), tricky, fc.array(tricky, { maxLength: 3 }).map((a) => a.join("")));
const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 0.1 + 0.2, 1e21, 1e-7, 123456789012345680000, 2 ** 53 + 2, -1.5e-300, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity),
);

function valueOf(depth: number, lazy: boolean): fc.Arbitrary<Value> {
  const leaf = fc.oneof(text, number, fc.boolean(), fc.constant(null)) as fc.Arbitrary<Value>;
  if (depth === 0) return leaf;
  const inner = valueOf(depth - 1, lazy);
  const entries = fc.array(fc.tuple(text, inner), { maxLength: 4 });
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(inner, { maxLength: 4 }) as fc.Arbitrary<Value> },
    { weight: 1, arbitrary: entries.map((e) => new ObjectValue(e) as Value) },
    ...(lazy
      ? [{ weight: 1, arbitrary: entries.map((e) => { const m = new Map(e); return new LazyObject([...m.keys()], (k) => m.get(k) ?? null) as Value; }) }]
      : []),
  );
}

describe("jsonRoundTrip", () => {
  it("gives what encoding to JSON and parsing back gives, or leaves it to the round trip", () => {
    let answered = 0;
    fc.assert(
      fc.property(valueOf(3, true), (v) => {
        const r = jsonRoundTrip(v, 0);
        if (r === undefined) return;
        answered++;
        expect(shape(r)).toEqual(shape(roundTrip(v)));
        const mine = containers(v);
        for (const c of containers(r)) expect(mine.has(c)).toBe(false);
      }),
      { numRuns: 4000 },
    );
    expect(answered).toBeGreaterThan(1000);
  });

  it("answers for policy-like values and sorts keys as jsonencode does", () => {
    const doc = new ObjectValue([
      ["Version", "2012-10-17"],
      ["Statement", [new ObjectValue([["Sid", "A"], ["Effect", "Allow"], ["Action", ["s3:GetObject", "kms:*"]], ["Resource", "*"], ["Condition", new ObjectValue([["NumericLessThan", new ObjectValue([["aws:MultiFactorAuthAge", 0.1 + 0.2]])]])]])]],
    ]);
    const r = jsonRoundTrip(doc, 0);
    expect(r).toBeDefined();
    expect(shape(r)).toEqual(shape(roundTrip(doc)));
    expect([...(r as ObjectValue).entries.keys()]).toEqual(["Statement", "Version"]);
    const st = ((r as ObjectValue).get("Statement") as Value[])[0] as ObjectValue;
    expect([...st.entries.keys()]).toEqual(["Action", "Condition", "Effect", "Resource", "Sid"]);
    // 15 significant digits, as jsonencode writes numbers.
    expect(((st.get("Condition") as ObjectValue).get("NumericLessThan") as ObjectValue).get("aws:MultiFactorAuthAge")).toBe(0.3);
  });

  it("leaves to the round trip what it cannot say exactly", () => {
    for (const v of [NaN, Infinity, "\uD800", "a\uE000b", new ObjectValue([["\uDC00", 1]]), [1, [Infinity]]] as Value[]) {
      expect(jsonRoundTrip(v, 0)).toBeUndefined();
    }
    let deep: Value = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(jsonRoundTrip(deep, 0)).toBeUndefined();
  });
});

// aws_iam_policy_document values as the evaluator gives them: statement blocks as lists of objects.
const block = (fields: Array<[string, Value]>): ObjectValue => new ObjectValue(fields);
const unknownText = new Unknown("dynamic", undefined, undefined, "var.x");
const piece = fc.oneof({ weight: 4, arbitrary: text as fc.Arbitrary<Value> }, { weight: 1, arbitrary: fc.constant(unknownText as Value) });
const list = fc.oneof({ weight: 4, arbitrary: fc.array(piece, { maxLength: 3 }) as fc.Arbitrary<Value> }, { weight: 1, arbitrary: fc.constant(unknownText as Value) });
const principals = fc.array(
  fc.tuple(fc.constantFrom("AWS", "Service", "*", "Federated"), fc.oneof(list, fc.constant(["*"] as Value))).map(([type, ids]) => block([["type", type], ["identifiers", ids]])),
  { maxLength: 2 },
);
const conditions = fc.array(
  fc.tuple(fc.constantFrom("StringEquals", "ArnLike", "NumericLessThan"), fc.constantFrom("aws:SourceArn", "aws:x"), fc.oneof(list, fc.array(number, { maxLength: 2 }) as fc.Arbitrary<Value>)).map(([test, variable, values]) =>
    block([["test", test], ["variable", variable], ["values", values]]),
  ),
  { maxLength: 2 },
);
const statement = fc
  .record({
    sid: fc.option(text, { nil: undefined }),
    effect: fc.option(fc.constantFrom("Allow", "Deny"), { nil: undefined }),
    actions: fc.option(list, { nil: undefined }),
    not_actions: fc.option(list, { nil: undefined }),
    resources: fc.option(list, { nil: undefined }),
    principals: fc.option(principals, { nil: undefined }),
    condition: fc.option(conditions, { nil: undefined }),
  })
  .map((r) => block(Object.entries(r).filter(([, v]) => v !== undefined) as Array<[string, Value]>));
const policyDocument = fc
  .record({
    version: fc.option(fc.constantFrom("2012-10-17", "2008-10-17"), { nil: undefined }),
    statement: fc.oneof({ weight: 5, arbitrary: fc.array(statement, { maxLength: 3 }) as fc.Arbitrary<Value> }, { weight: 1, arbitrary: fc.constant(unknownText as Value) }),
    merged: fc.boolean(),
  })
  .map(({ version, statement, merged }) => {
    const fields: Array<[string, Value]> = [["statement", statement]];
    if (version) fields.push(["version", version]);
    if (merged && version === "2008-10-17") fields.push(["source_policy_documents", []]);
    return block(fields);
  });

describe("policyDocumentValue", () => {
  it("is what parsing policyDocumentJson(doc) back gives", () => {
    let known = 0;
    fc.assert(
      fc.property(policyDocument, (doc) => {
        const json = policyDocumentJson(doc);
        if (typeof json === "string") known++;
        // policyValue(json) would take the document written lately (see the next test): parse the text itself.
        const parsed = typeof json === "string" ? parsePartialJson([json]) : policyValue(json);
        expect(shape(policyDocumentValue(doc))).toEqual(shape(parsed));
      }),
      { numRuns: 2000 },
    );
    // Wholly known documents, the ones read without the round trip, are a good part of the runs.
    expect(known).toBeGreaterThan(300);
  });
});

describe("policyValue of a policy document's JSON", () => {
  it("gives what parsing the text gives, a fresh copy each time", () => {
    fc.assert(
      fc.property(policyDocument, (doc) => {
        const json = policyDocumentJson(doc);
        if (typeof json !== "string") return;
        const a = policyValue(json);
        const b = policyValue(json);
        expect(shape(a)).toEqual(shape(parsePartialJson([json])));
        expect(shape(b)).toEqual(shape(a));
        const seen = containers(doc);
        for (const c of containers(a)) expect(seen.has(c)).toBe(false);
        for (const c of containers(b)) expect(containers(a).has(c)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives for any text jsonencode wrote what parsing the text gives", () => {
    fc.assert(
      fc.property(valueOf(3, true), (v) => {
        const json = functions.jsonencode([v], { baseDir: ".", readFile: () => undefined });
        if (typeof json !== "string") return;
        expect(shape(policyValue(json))).toEqual(shape(parsePartialJson([json])));
      }),
      { numRuns: 2000 },
    );
  });

  it("parses a document with a lazy object (not kept beside its text) as before", () => {
    const lazy = new LazyObject(["aws:SourceArn"], () => ["arn:aws:s3:::b"]);
    const doc = block([["statement", [block([["actions", ["s3:GetObject"]], ["condition", [block([["test", "ArnLike"], ["variable", "aws:x"], ["values", [lazy]]])]]])]]]);
    const json = policyDocumentJson(doc);
    expect(typeof json).toBe("string");
    expect(shape(policyValue(json))).toEqual(shape(parsePartialJson([json as string])));
    expect(shape(policyDocumentValue(doc))).toEqual(shape(parsePartialJson([json as string])));
  });
});

describe("jsonencode's remembered values", () => {
  it("are let go when a collection ends, by a scan and by inventoryFromProject alike", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-remembered-"));
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
    fs.writeFileSync(
      path.join(dir, "main.tf"),
      // JSON is an HCL object expression too.
      `resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = jsonencode(${JSON.stringify(policy)})\n}\n`,
    );
    const text = encodeJSON(fromJSON(policy));
    try {
      const inventory = inventoryFromTerraform(dir);
      expect(inventory.iamPolicies).toHaveLength(1);
      expect(valueOfJSON(text)).toBeUndefined();
      const scan = await scanPaths([dir], { displayRoot: dir });
      expect(scan.inventory.iamPolicies).toHaveLength(1);
      expect(valueOfJSON(text)).toBeUndefined();
      // What is let go was remembered: jsonencode of the same value remembers it.
      functions.jsonencode([fromJSON(policy)], { baseDir: ".", readFile: () => undefined });
      expect(valueOfJSON(text)).toBeDefined();
      forgetEncodedJSON();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
