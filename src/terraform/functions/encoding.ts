// Encoding functions: jsonencode, jsondecode, base64encode, base64decode, urlencode; the YAML,
// CSV, gzip and text-encoding ones are not implemented (unknown).

import { Failure, isWhollyKnown, Unknown } from "../values.js";
import { def, defPartial, defUnknown, findFailure, unk } from "./support/registry.js";
import { asString } from "./support/convert.js";
import { decodedToValue, encodeJSON } from "./support/json.js";

defPartial("jsonencode", 1, 1, ([v], _ctx, name) => {
  const f = findFailure(v);
  if (f) return f;
  if (isWhollyKnown(v)) return encodeJSON(v);
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

defUnknown(["yamlencode", "yamldecode", "csvdecode", "base64gzip", "textencodebase64", "textdecodebase64"]);
