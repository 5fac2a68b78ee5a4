// Type conversion functions: tostring, tonumber, tobool, tolist, tomap; sensitivity markers
// (not tracked: values pass through); list() and map(), removed in Terraform 0.12.

import { Failure, ObjectValue, typeName, Unknown, type Value } from "../values.js";
import { defPartial, functions, unk } from "./support/registry.js";
import { asString, parseNumber } from "./support/convert.js";
import { sortedEntries } from "./support/json.js";
import { unify } from "./support/compare.js";

defPartial("tostring", 1, 1, ([v]) => {
  if (v === null || v instanceof Unknown) return v;
  if (Array.isArray(v) || v instanceof ObjectValue) return new Failure(`cannot convert ${typeName(v)} to string`);
  return asString(v);
});

defPartial("tonumber", 1, 1, ([v], _ctx, name) => {
  if (v === null) return null;
  if (v instanceof Unknown) return unk(name);
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const n = parseNumber(v);
    return n === undefined ? new Failure(`cannot convert ${JSON.stringify(v)} to number: a number is required`) : n;
  }
  return new Failure(`cannot convert ${typeName(v)} to number`);
});

defPartial("tobool", 1, 1, ([v], _ctx, name) => {
  if (v === null) return null;
  if (v instanceof Unknown) return unk(name);
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  return new Failure(`cannot convert ${typeof v === "string" ? JSON.stringify(v) : typeName(v)} to bool`);
});

defPartial("tolist", 1, 1, ([v], _ctx, name) => {
  if (v === null) return null;
  if (v instanceof Unknown) return unk(name);
  if (!Array.isArray(v)) return new Failure(`cannot convert ${typeName(v)} to list`);
  return unify(v, "list elements");
});

defPartial("tomap", 1, 1, ([v], _ctx, name) => {
  if (v === null) return null;
  if (v instanceof Unknown) return unk(name);
  if (!(v instanceof ObjectValue)) return new Failure(`cannot convert ${typeName(v)} to map`);
  const entries = sortedEntries(v);
  const u = unify(
    entries.map(([, x]) => x),
    "map values",
  );
  if (u instanceof Failure) return u;
  return new ObjectValue(entries.map(([k], i) => [k, u[i]] as [string, Value]));
});

// Sensitivity and ephemerality are not tracked: these pass values through.
defPartial("sensitive", 1, 1, ([v]) => v);
defPartial("nonsensitive", 1, 1, ([v]) => v);
defPartial("ephemeralasnull", 1, 1, ([v]) => v);
defPartial("issensitive", 1, 1, (_args, _ctx, name) => unk(name, "function"));

for (const name of ["list", "map"]) {
  functions[name] = () => new Failure(`the ${name}() function was removed in Terraform 0.12; use ${name === "list" ? "tolist() or [ … ]" : "tomap() or { … }"}`);
}
