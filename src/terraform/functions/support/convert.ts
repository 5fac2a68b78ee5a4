// Argument conversions (Terraform's automatic type conversion) and partly known strings.

import { Failure, joinPieces, ObjectValue, type StringPiece, typeName, Unknown, type Value } from "../../values.js";
import { opaque } from "./registry.js";

/**
 * A number as Terraform prints it (`tostring`, templates, jsonencode): decimal, no exponent,
 * no trailing zeros. Terraform numbers are arbitrary-precision decimals and ours are doubles,
 * so a fraction is printed to 15 significant digits: `0.1 + 0.2` prints "0.3", as in Terraform.
 */
export function numberToString(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Object.is(n, -0)) return "0";
  const s = String(Number.isInteger(n) ? n : Number(n.toPrecision(15)));
  if (!s.includes("e")) return s;
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] ?? "");
  const point = 1 + Number(m[4]);
  if (point <= 0) return `${m[1]}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return m[1] + digits + "0".repeat(point - digits.length);
  return `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Terraform's string → number conversion: a decimal number, nothing around it. */
export function parseNumber(s: string): number | undefined {
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

export function asString(v: Value, what = "argument"): string | Failure {
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberToString(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v === null) return new Failure(`${what} must not be null`);
  if (v instanceof Failure) return v;
  return new Failure(`${what} must be a string, not ${typeName(v)}`);
}

export function asNumber(v: Value, what = "argument"): number | Failure {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const n = parseNumber(v);
    return n === undefined ? new Failure(`${what} must be a number, not the string ${JSON.stringify(v)}`) : n;
  }
  if (v === null) return new Failure(`${what} must not be null`);
  if (v instanceof Failure) return v;
  return new Failure(`${what} must be a number, not ${typeName(v)}`);
}

export function asInt(v: Value, what = "argument"): number | Failure {
  const n = asNumber(v, what);
  if (n instanceof Failure) return n;
  if (!Number.isInteger(n)) return new Failure(`${what} must be a whole number, not ${numberToString(n)}`);
  return n;
}

export function asBool(v: Value, what = "argument"): boolean | Failure {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  if (v === null) return new Failure(`${what} must not be null`);
  if (v instanceof Failure) return v;
  return new Failure(`${what} must be a bool, not ${typeof v === "string" ? JSON.stringify(v) : typeName(v)}`);
}

export function asList(v: Value, what = "argument"): Value[] | Failure {
  if (Array.isArray(v)) return v;
  if (v === null) return new Failure(`${what} must not be null`);
  if (v instanceof Failure) return v;
  return new Failure(`${what} must be a list, set or tuple, not ${typeName(v)}`);
}

export function asObject(v: Value, what = "argument"): ObjectValue | Failure {
  if (v instanceof ObjectValue) return v;
  if (v === null) return new Failure(`${what} must not be null`);
  if (v instanceof Failure) return v;
  return new Failure(`${what} must be a map or object, not ${typeName(v)}`);
}

/** Normalised pieces: known runs merged, "" dropped, nested templates flattened. */
export function normPieces(ps: readonly StringPiece[]): StringPiece[] {
  const out: StringPiece[] = [];
  for (const p of ps) {
    if (typeof p === "string") {
      if (p === "") continue;
      const last = out[out.length - 1];
      if (typeof last === "string") out[out.length - 1] = last + p;
      else out.push(p);
    } else if (p instanceof Unknown && p.template) {
      for (const q of normPieces(p.template)) {
        const last = out[out.length - 1];
        if (typeof q === "string" && typeof last === "string") out[out.length - 1] = last + q;
        else out.push(q);
      }
    } else out.push(p);
  }
  return out;
}

/** The pieces of a (partly known) string argument, or a Failure for a non-string. */
export function asPieces(v: Value, what = "argument"): StringPiece[] | Failure {
  if (v instanceof Unknown) return v.template ? normPieces(v.template) : [v];
  const s = asString(v, what);
  return s instanceof Failure ? s : s === "" ? [] : [s];
}

/** Applies f to the known text of the pieces; unknown pieces stay unknown. */
export function mapPieces(ps: StringPiece[], f: (s: string) => string): Value {
  return joinPieces(ps.map((p) => (typeof p === "string" ? f(p) : p instanceof Unknown ? opaque(p) : p)));
}
