// Encoding functions: jsonencode, jsondecode, yamldecode, base64encode, base64decode, urlencode;
// yamlencode, CSV, gzip and the text encodings are not implemented (unknown).

import { parseAllDocuments } from "yaml";
import { Failure, isWhollyKnown, Unknown } from "../values.js";
import { def, defPartial, defUnknown, findFailure, unk } from "./support/registry.js";
import { asString } from "./support/convert.js";
import { decodedToValue, encodeJSONRemembered } from "./support/json.js";

defPartial("jsonencode", 1, 1, ([v], _ctx, name) => {
  const f = findFailure(v);
  if (f) return f;
  if (isWhollyKnown(v)) return encodeJSONRemembered(v);
  // A wholly unknown value keeps nothing; a partly known string or structure is kept for jsondecode.
  if (v instanceof Unknown && !v.template) return unk(name);
  return new Unknown("dynamic", undefined, v, `${name}(…)`);
});

defPartial("jsondecode", 1, 1, ([v], _ctx, name) => {
  if (v instanceof Unknown) return v.json !== undefined ? v.json : unk(name);
  const s = asString(v);
  if (s instanceof Failure) return s;
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch (err) {
    // Node's message quotes the input, which may be a secret value: keep only where it failed.
    const at = /position (\d+)/.exec((err as Error).message);
    return new Failure(`the string is not valid JSON${at ? ` (at character ${at[1]})` : ""}`);
  }
  return decodedToValue(parsed);
});

def("base64encode", 1, 1, ([v]) => {
  const s = asString(v);
  return s instanceof Failure ? s : Buffer.from(s, "utf8").toString("base64");
});

def("base64decode", 1, 1, ([v]) => {
  const s = asString(v);
  if (s instanceof Failure) return s;
  // Go's StdEncoding is strict: the standard alphabet, padded to a multiple of 4.
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return new Failure("failed to decode base64 data");
  const bytes = Buffer.from(s, "base64");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new Failure("the result of decoding the provided string is not valid UTF-8");
  }
});

def("urlencode", 1, 1, ([v]) => {
  const s = asString(v);
  if (s instanceof Failure) return s;
  // Go's url.QueryEscape: unreserved characters stay, space is "+", the rest %XX.
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (b === 0x20) out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
});

/**
 * yamldecode: one YAML document (YAML 1.2's core schema, as Terraform's go-cty-yaml reads it:
 * `yes`/`no` are strings), aliases resolved, mapping keys sorted. A document this reader cannot
 * take as Terraform would (custom tags, several documents, non-string keys) is unknown rather
 * than a guess; invalid YAML is a Failure that never quotes the text (it may be a secret).
 */
def("yamldecode", 1, 1, ([v], _ctx, name) => {
  const s = asString(v);
  if (s instanceof Failure) return s;
  let docs;
  try {
    docs = parseAllDocuments(s, { schema: "core", uniqueKeys: true });
  } catch {
    return unk(name, "function");
  }
  if (!Array.isArray(docs)) return unk(name, "function");
  if (docs.length === 0) return null;
  if (docs.length > 1) return unk(name, "function");
  const doc = docs[0];
  if (doc.errors.length > 0) {
    const p = doc.errors[0].linePos?.[0];
    return new Failure(`the string is not valid YAML${p ? ` (at line ${p.line}, column ${p.col})` : ""}`);
  }
  let out: unknown;
  let odd = false;
  try {
    out = doc.toJS({
      maxAliasCount: 1000,
      mapAsMap: false,
    });
  } catch {
    return unk(name, "function");
  }
  // Tags other than the core ones, and keys that are not strings, have no Terraform value here.
  const check = (x: unknown): void => {
    if (x instanceof Date || typeof x === "bigint" || typeof x === "function" || x instanceof Map || x instanceof Set || x instanceof Uint8Array) odd = true;
    else if (Array.isArray(x)) x.forEach(check);
    else if (x && typeof x === "object") Object.values(x).forEach(check);
  };
  check(out);
  if (odd || s.includes("!!") || /(^|\s)![A-Za-z]/.test(s)) return unk(name, "function");
  return decodedToValue(out === undefined ? null : out);
});

defUnknown(["yamlencode", "csvdecode", "base64gzip", "textencodebase64", "textdecodebase64"]);
