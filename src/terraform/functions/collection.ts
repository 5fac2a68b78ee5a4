// Collection functions: length, merge, concat, flatten, lookup, element, keys, zipmap, sort…,
// and the set functions (toset, setunion, setintersection, setsubtract, setproduct).

import { Failure, isWhollyKnown, ObjectValue, typeName, Unknown, type Value } from "../values.js";
import { def, defDeep, defPartial, findFailure, MAX_RESULT_VALUES, tooLarge, unk } from "./support/registry.js";
import { asBool, asInt, asList, asObject, asString } from "./support/convert.js";
import { compareStrings, graphemes } from "./support/text.js";
import { sortedEntries, sortedObject } from "./support/json.js";
import { dedupe, equal3, kindOf, makeSet, unify } from "./support/compare.js";

defPartial("length", 1, 1, ([v], _ctx, name) => {
  if (Array.isArray(v)) return v.length;
  if (v instanceof ObjectValue) return v.size;
  if (typeof v === "string") return graphemes(v).length;
  if (v instanceof Unknown) return unk(name);
  if (v === null) return new Failure("argument must not be null");
  return new Failure(`argument must be a string, a collection or a structural value, not ${typeName(v)}`);
});

defPartial("merge", 0, Infinity, (args, _ctx, name) => {
  const out = new Map<string, Value>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === null) continue;
    if (a instanceof Unknown) return unk(name);
    if (!(a instanceof ObjectValue)) return new Failure(`arguments must be maps or objects, got ${typeName(a)} (argument ${i + 1})`);
    for (const [k, v] of a.entries) out.set(k, v);
  }
  return sortedObject(out);
});

defPartial("concat", 1, Infinity, (args, _ctx, name) => {
  const out: Value[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof Unknown) return unk(name);
    const l = asList(a, `argument ${i + 1}`);
    if (l instanceof Failure) return l;
    out.push(...l);
  }
  return out;
});

/**
 * flatten: nested lists are spliced in. An unknown element that might itself be a list (a
 * wholly unknown value) makes the result's length unknown, so the result is unknown; a partly
 * known string stays an element.
 */
function flattenInto(list: Value[], out: Value[]): Failure | "unknown" | undefined {
  for (const v of list) {
    if (Array.isArray(v)) {
      const r = flattenInto(v, out);
      if (r) return r;
    } else if (v instanceof Failure) return v;
    else if (v instanceof Unknown && !v.template && v.json === undefined) return "unknown";
    else out.push(v);
  }
  return undefined;
}

def("flatten", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  const out: Value[] = [];
  const r = flattenInto(list, out);
  if (r === "unknown") return unk(name);
  return r ?? out;
});

def("compact", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  const out: Value[] = [];
  for (let i = 0; i < list.length; i++) {
    const el = list[i];
    if (el === null) continue;
    if (el instanceof Failure) return el;
    if (el instanceof Unknown) {
      // Kept when its known text shows it is not empty; otherwise it might be "" or null.
      if (el.template?.some((p) => typeof p === "string" && p !== "")) out.push(el);
      else return unk(name);
      continue;
    }
    const s = asString(el, `element ${i}`);
    if (s instanceof Failure) return s;
    if (s !== "") out.push(s);
  }
  return out;
});

def("distinct", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  const f = list.find((x): x is Failure => x instanceof Failure);
  if (f) return f;
  return dedupe(list) ?? unk(name);
});

defPartial("lookup", 2, 3, ([m, keyV, dflt], _ctx, name) => {
  if (m instanceof Unknown || keyV instanceof Unknown) return unk(name);
  const obj = asObject(m, "the first argument");
  if (obj instanceof Failure) return obj;
  const key = asString(keyV, "key");
  if (key instanceof Failure) return key;
  const v = obj.get(key);
  if (v !== undefined) return v;
  if (dflt !== undefined) return dflt;
  return new Failure(`the given object has no attribute ${JSON.stringify(key)}`);
});

def("element", 2, 2, ([listV, idxV]) => {
  const list = asList(listV, "the first argument");
  if (list instanceof Failure) return list;
  const idx = asInt(idxV, "index");
  if (idx instanceof Failure) return idx;
  if (list.length === 0) return new Failure("cannot use element function with an empty list");
  if (idx < 0) return new Failure("cannot use element function with a negative index");
  return list[idx % list.length];
});

/** Element equality for contains/index: a list of strings compares a number or bool as a string. */
function elementEqual(list: Value[], el: Value, v: Value): boolean | undefined {
  if ((typeof v === "number" || typeof v === "boolean") && list.length > 0 && list.every((x) => kindOf(x) === "string" || kindOf(x) === "unknown")) {
    return equal3(el, asString(v) as string);
  }
  return equal3(el, v);
}

defPartial("contains", 2, 2, ([listV, v], _ctx, name) => {
  if (listV instanceof Unknown) return unk(name);
  const list = asList(listV, "the first argument");
  if (list instanceof Failure) return list;
  let maybe = false;
  for (const el of list) {
    const e = elementEqual(list, el, v);
    if (e === true) return true;
    if (e === undefined) maybe = true;
  }
  return maybe ? unk(name) : false;
});

defPartial("index", 2, 2, ([listV, v], _ctx, name) => {
  if (listV instanceof Unknown) return unk(name);
  const list = asList(listV, "the first argument");
  if (list instanceof Failure) return list;
  for (let i = 0; i < list.length; i++) {
    const e = elementEqual(list, list[i], v);
    if (e === true) return i;
    if (e === undefined) return unk(name);
  }
  return new Failure("item not found");
});

defPartial("coalesce", 1, Infinity, (args, _ctx, name) => {
  // Terraform unifies the arguments' types; with strings among them, "" is skipped too.
  const stringMode = args.some((a) => kindOf(a) === "string");
  for (const a of args) {
    if (a === null) continue;
    if (a instanceof Unknown) {
      if (stringMode && a.template?.some((p) => typeof p === "string" && p !== "")) return a;
      return unk(name);
    }
    if (!stringMode) return a;
    const s = asString(a);
    if (s instanceof Failure) return new Failure("all arguments must have the same type");
    if (s !== "") return s;
  }
  return new Failure("no non-null, non-empty-string arguments");
});

defPartial("coalescelist", 1, Infinity, (args, _ctx, name) => {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof Unknown) return unk(name);
    const l = asList(a, `argument ${i + 1}`);
    if (l instanceof Failure) return l;
    if (l.length > 0) return l;
  }
  return new Failure("no non-null arguments");
});

def("one", 1, 1, ([v]) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  if (list.length === 0) return null;
  if (list.length === 1) return list[0];
  return new Failure("must be a list, set, or tuple value with either zero or one elements");
});

def("keys", 1, 1, ([v]) => {
  const o = asObject(v);
  return o instanceof Failure ? o : o.keys().sort(compareStrings);
});

def("values", 1, 1, ([v]) => {
  const o = asObject(v);
  return o instanceof Failure ? o : sortedEntries(o).map(([, x]) => x);
});

def("zipmap", 2, 2, ([kV, vV], _ctx, name) => {
  const ks = asList(kV, "keys");
  if (ks instanceof Failure) return ks;
  const vs = asList(vV, "values");
  if (vs instanceof Failure) return vs;
  if (ks.length !== vs.length) {
    return new Failure(`number of keys (${ks.length}) does not match number of values (${vs.length})`);
  }
  const out = new Map<string, Value>();
  for (let i = 0; i < ks.length; i++) {
    if (ks[i] instanceof Failure) return ks[i];
    if (ks[i] instanceof Unknown) return unk(name);
    const k = asString(ks[i], `key ${i}`);
    if (k instanceof Failure) return k;
    out.set(k, vs[i]);
  }
  return sortedObject(out);
});

def("slice", 3, 3, ([lV, sV, eV]) => {
  const list = asList(lV, "the first argument");
  if (list instanceof Failure) return list;
  const start = asInt(sV, "start index");
  if (start instanceof Failure) return start;
  const end = asInt(eV, "end index");
  if (end instanceof Failure) return end;
  if (start < 0) return new Failure("the start index must not be less than zero");
  if (end > list.length) return new Failure("the end index must not be greater than the length of the list");
  if (start > end) return new Failure("the start index must not be greater than the end index");
  return list.slice(start, end);
});

def("reverse", 1, 1, ([v]) => {
  const list = asList(v);
  return list instanceof Failure ? list : [...list].reverse();
});

def("sort", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  const f = findFailure(list);
  if (f) return f;
  if (!isWhollyKnown(list)) return unk(name);
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    if (list[i] === null) return new Failure(`given list element ${i} is null; a null string cannot be sorted`);
    const s = asString(list[i], `element ${i}`);
    if (s instanceof Failure) return s;
    out.push(s);
  }
  return out.sort(compareStrings);
});

def("chunklist", 2, 2, ([lV, sV]) => {
  const list = asList(lV, "the first argument");
  if (list instanceof Failure) return list;
  const size = asInt(sV, "size");
  if (size instanceof Failure) return size;
  if (size < 0) return new Failure("the size argument must be positive");
  if (size === 0) return [list];
  const out: Value[] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
});

/** Three-valued boolean of a list element (null counts as false). */
function elementBool(v: Value): boolean | Failure | undefined {
  if (v === null) return false;
  if (v instanceof Unknown) return undefined;
  return asBool(v, "element");
}

def("alltrue", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  let maybe = false;
  for (const el of list) {
    const b = elementBool(el);
    if (b instanceof Failure) return b;
    if (b === false) return false;
    if (b === undefined) maybe = true;
  }
  return maybe ? unk(name) : true;
});

def("anytrue", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  let maybe = false;
  for (const el of list) {
    const b = elementBool(el);
    if (b instanceof Failure) return b;
    if (b === true) return true;
    if (b === undefined) maybe = true;
  }
  return maybe ? unk(name) : false;
});

defDeep("transpose", 1, 1, ([v]) => {
  const o = asObject(v);
  if (o instanceof Failure) return o;
  const out = new Map<string, string[]>();
  for (const [k, l] of sortedEntries(o)) {
    const list = asList(l, `the value for ${JSON.stringify(k)}`);
    if (list instanceof Failure) return list;
    for (const x of list) {
      const s = asString(x, `an element of ${JSON.stringify(k)}`);
      if (s instanceof Failure) return s;
      const arr = out.get(s) ?? [];
      arr.push(k);
      out.set(s, arr);
    }
  }
  return sortedObject(out);
});

def("matchkeys", 3, 3, ([vV, kV, sV], _ctx, name) => {
  const vals = asList(vV, "values");
  if (vals instanceof Failure) return vals;
  const ks = asList(kV, "keys");
  if (ks instanceof Failure) return ks;
  const search = asList(sV, "searchset");
  if (search instanceof Failure) return search;
  if (vals.length !== ks.length) return new Failure("length of keys and values should be equal");
  const out: Value[] = [];
  for (let i = 0; i < ks.length; i++) {
    let hit: boolean | undefined = false;
    for (const s of search) {
      const e = equal3(ks[i], s);
      if (e === true) {
        hit = true;
        break;
      }
      if (e === undefined) hit = undefined;
    }
    if (hit === undefined) return unk(name);
    if (hit) out.push(vals[i]);
  }
  return out;
});

/** The elements of each set argument, or a non-known result. */
function setArgs(args: Value[]): Value[][] | Failure {
  const out: Value[][] = [];
  for (let i = 0; i < args.length; i++) {
    const l = asList(args[i], `argument ${i + 1}`);
    if (l instanceof Failure) return l;
    const f = l.find((x): x is Failure => x instanceof Failure);
    if (f) return f;
    out.push(l);
  }
  const u = unify(out.flat(), "set elements");
  if (u instanceof Failure) return u;
  // Re-split the unified elements.
  let k = 0;
  return out.map((l) => l.map(() => u[k++]));
}

/** Whether v is in set: three-valued. */
function member(set: Value[], v: Value): boolean | undefined {
  let result: boolean | undefined = false;
  for (const x of set) {
    const e = equal3(x, v);
    if (e === true) return true;
    if (e === undefined) result = undefined;
  }
  return result;
}

def("toset", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  const f = list.find((x): x is Failure => x instanceof Failure);
  if (f) return f;
  return makeSet(list, "set elements") ?? unk(name);
});

def("setunion", 1, Infinity, (args, _ctx, name) => {
  const sets = setArgs(args);
  if (!Array.isArray(sets)) return sets;
  return makeSet(sets.flat(), "set elements") ?? unk(name);
});

def("setintersection", 1, Infinity, (args, _ctx, name) => {
  const sets = setArgs(args);
  if (!Array.isArray(sets)) return sets;
  const out: Value[] = [];
  for (const v of sets[0]) {
    let inAll: boolean | undefined = true;
    for (const s of sets.slice(1)) {
      const m = member(s, v);
      if (m === false) {
        inAll = false;
        break;
      }
      if (m === undefined) inAll = undefined;
    }
    if (inAll === undefined) return unk(name);
    if (inAll) out.push(v);
  }
  return makeSet(out, "set elements") ?? unk(name);
});

def("setsubtract", 2, 2, (args, _ctx, name) => {
  const sets = setArgs(args);
  if (!Array.isArray(sets)) return sets;
  const out: Value[] = [];
  for (const v of sets[0]) {
    const m = member(sets[1], v);
    if (m === undefined) return unk(name);
    if (!m) out.push(v);
  }
  return makeSet(out, "set elements") ?? unk(name);
});

def("setproduct", 1, Infinity, (args) => {
  const sets: Value[][] = [];
  for (let i = 0; i < args.length; i++) {
    const l = asList(args[i], `argument ${i + 1}`);
    if (l instanceof Failure) return l;
    sets.push(l);
  }
  // The product of n lists of k: kⁿ elements; past the collection budget it is not built.
  let total = 1;
  for (const s of sets) total *= s.length;
  if (total * Math.max(1, sets.length) > MAX_RESULT_VALUES) return tooLarge("setproduct", `a result of ${total} combinations`);
  let out: Value[][] = [[]];
  for (const s of sets) {
    const next: Value[][] = [];
    for (const prefix of out) for (const x of s) next.push([...prefix, x]);
    out = next;
  }
  return out;
});
