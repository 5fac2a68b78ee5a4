// Numeric functions: abs, ceil, floor, signum, min, max, pow, log, parseint, sum, range.

import { Failure, Unknown } from "../values.js";
import { def, unk } from "./support/registry.js";
import { asInt, asList, asNumber, asString } from "./support/convert.js";

function defNumeric(name: string, f: (n: number) => number): void {
  def(name, 1, 1, ([v]) => {
    const n = asNumber(v);
    return n instanceof Failure ? n : f(n);
  });
}

defNumeric("abs", Math.abs);
defNumeric("ceil", Math.ceil);
defNumeric("floor", Math.floor);
defNumeric("signum", (n) => (n > 0 ? 1 : n < 0 ? -1 : 0));

for (const name of ["min", "max"] as const) {
  def(name, 1, Infinity, (args) => {
    const ns: number[] = [];
    for (let i = 0; i < args.length; i++) {
      const n = asNumber(args[i], `argument ${i + 1}`);
      if (n instanceof Failure) return n;
      ns.push(n);
    }
    return name === "min" ? Math.min(...ns) : Math.max(...ns);
  });
}

def("pow", 2, 2, ([a, b]) => {
  const x = asNumber(a);
  if (x instanceof Failure) return x;
  const y = asNumber(b);
  return y instanceof Failure ? y : Math.pow(x, y);
});

def("log", 2, 2, ([a, b]) => {
  const x = asNumber(a);
  if (x instanceof Failure) return x;
  const y = asNumber(b);
  return y instanceof Failure ? y : Math.log(x) / Math.log(y);
});

def("parseint", 2, 2, ([sV, bV]) => {
  const s = asString(sV, "number");
  if (s instanceof Failure) return s;
  const base = asInt(bV, "base");
  if (base instanceof Failure) return base;
  if (base < 2 || base > 62) return new Failure("base must be a whole number between 2 and 62 inclusive");
  const m = /^([+-]?)(.+)$/.exec(s);
  if (!m) return new Failure(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`);
  let n = 0n;
  for (const ch of m[2]) {
    const c = ch.charCodeAt(0);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 122) d = c - 97 + 10;
    else if (c >= 65 && c <= 90) d = base <= 36 ? c - 65 + 10 : c - 65 + 36;
    else d = 99;
    if (d >= base) return new Failure(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`);
    n = n * BigInt(base) + BigInt(d);
  }
  return Number(m[1] === "-" ? -n : n);
});

def("sum", 1, 1, ([v], _ctx, name) => {
  const list = asList(v);
  if (list instanceof Failure) return list;
  if (list.length === 0) return new Failure("cannot sum an empty list");
  let total = 0;
  for (let i = 0; i < list.length; i++) {
    const el = list[i];
    if (el instanceof Failure) return el;
    if (el instanceof Unknown) return unk(name);
    const n = asNumber(el, `element ${i}`);
    if (n instanceof Failure) return n;
    total += n;
  }
  return total;
});

def("range", 1, 3, (args) => {
  const ns: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const n = asNumber(args[i], `argument ${i + 1}`);
    if (n instanceof Failure) return n;
    ns.push(n);
  }
  let start = 0;
  let limit: number;
  let step: number;
  if (ns.length === 1) limit = ns[0];
  else {
    start = ns[0];
    limit = ns[1];
  }
  if (ns.length === 3) {
    step = ns[2];
    if (step === 0) return new Failure("step must not be zero");
  } else step = limit < start ? -1 : 1;
  const out: number[] = [];
  for (let x = start; step > 0 ? x < limit : x > limit; x += step) {
    if (out.length >= 1024) return new Failure("more than 1024 values were generated; either decrease the difference between start and limit or use a smaller step");
    out.push(x);
  }
  return out;
});
