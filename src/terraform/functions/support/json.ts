// JSON text exactly as Terraform writes it, and decoded JSON as values.

import { ObjectValue, type Value } from "../../values.js";
import { numberToString } from "./convert.js";
import { compareStrings } from "./text.js";

/**
 * A string as Go's encoding/json writes it (what Terraform's jsonencode and `%q` produce):
 * `<`, `>`, `&`, U+2028 and U+2029 escaped as \uXXXX, invalid UTF-16 as \ufffd.
 */
export function jsonQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
      } else out += "\\ufffd";
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += "\\ufffd";
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += "\\\\";
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x08:
        out += "\\b";
        break;
      case 0x0c:
        out += "\\f";
        break;
      case 0x3c:
      case 0x3e:
      case 0x26:
      case 0x2028:
      case 0x2029:
        out += "\\u" + c.toString(16).padStart(4, "0");
        break;
      default:
        out += c < 0x20 ? "\\u00" + c.toString(16).padStart(2, "0") : s[i];
    }
  }
  return out + '"';
}

/** Object entries in Terraform's order (keys sorted). */
export function sortedEntries(o: ObjectValue): Array<[string, Value]> {
  return [...o.entries].sort((a, b) => compareStrings(a[0], b[0]));
}

export function sortedObject(entries: Iterable<readonly [string, Value]>): ObjectValue {
  return new ObjectValue([...entries].sort((a, b) => compareStrings(a[0], b[0])));
}

/** The JSON text of a wholly known value, exactly as Terraform's jsonencode renders it. */
export function encodeJSON(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return numberToString(v);
  if (typeof v === "string") return jsonQuote(v);
  if (Array.isArray(v)) return `[${v.map(encodeJSON).join(",")}]`;
  if (v instanceof ObjectValue) {
    return `{${sortedEntries(v)
      .map(([k, x]) => `${jsonQuote(k)}:${encodeJSON(x)}`)
      .join(",")}}`;
  }
  throw new Error("encodeJSON needs a wholly known value");
}

/**
 * The values of the last JSON texts jsonencode wrote (text → value): a policy argument set from
 * a jsonencode (a policy document's `json`, `jsonencode({...})`, through variables, locals and
 * module outputs) reads that value instead of parsing the text back (see policyValue in
 * sources/terraform/policy-json.ts). The text is a function of the value, so an entry is right
 * whenever it is read; a miss only costs the parse. Kept small: plain values only (no lazy
 * object, which would keep its module's syntax trees alive), texts up to 16 KB (AWS refuses
 * larger policies), the last 128, forgotten when a Terraform scan ends (forgetEncodedJSON).
 */
const valuesByJSON = new Map<string, Value>();
const VALUES_KEPT = 128;
const LONGEST_KEPT = 16 * 1024;

/** encodeJSON, remembering the value beside the text (see valuesByJSON). */
export function encodeJSONRemembered(v: Value): string {
  const json = encodeJSON(v);
  if (json.length <= LONGEST_KEPT && typeof v === "object" && v !== null && isPlain(v, 0)) {
    if (valuesByJSON.size >= VALUES_KEPT) valuesByJSON.clear();
    valuesByJSON.set(json, v);
  }
  return json;
}

/** The value jsonencode lately wrote as this text, if it did (see valuesByJSON). */
export function valueOfJSON(json: string): Value | undefined {
  return valuesByJSON.get(json);
}

/** Lets go of the values jsonencode remembered (see valuesByJSON). */
export function forgetEncodedJSON(): void {
  valuesByJSON.clear();
}

/** Strings, numbers, booleans, null, lists and plain objects, nested at most 32 deep. */
function isPlain(v: Value, depth: number): boolean {
  if (v === null || typeof v !== "object") return true;
  if (depth > 32) return false;
  if (Array.isArray(v)) return v.every((x) => isPlain(x, depth + 1));
  if (v.constructor !== ObjectValue) return false;
  for (const x of (v as ObjectValue).entries.values()) if (!isPlain(x, depth + 1)) return false;
  return true;
}

/** A decoded JSON value, objects with sorted keys. */
export function decodedToValue(j: unknown): Value {
  if (j === null || typeof j === "boolean" || typeof j === "number" || typeof j === "string") return j;
  if (Array.isArray(j)) return j.map(decodedToValue);
  if (typeof j === "object") {
    return sortedObject(Object.entries(j as Record<string, unknown>).map(([k, x]) => [k, decodedToValue(x)] as [string, Value]));
  }
  return null;
}
