// format and formatlist: cty's format verbs, as Go's fmt renders them.

import { Failure, isWhollyKnown, joinPieces, type StringPiece, Unknown, type Value } from "../values.js";
import { defPartial, findFailure, unk } from "./support/registry.js";
import { asBool, asNumber, asString, normPieces } from "./support/convert.js";
import { graphemes } from "./support/text.js";
import { encodeJSON, jsonQuote } from "./support/json.js";

interface Verb {
  raw: string;
  offset: number;
  argNum: number;
  mode: string;
  zero: boolean;
  sharp: boolean;
  plus: boolean;
  minus: boolean;
  space: boolean;
  width: number; // -1: none
  prec: number; // -1: none
}

/** Splits a format spec into literal text and verbs, as cty's format scanner does. */
function parseFormat(spec: string): Array<string | Verb> | Failure {
  const out: Array<string | Verb> = [];
  let text = "";
  let nextArg = 1;
  let i = 0;
  while (i < spec.length) {
    const c = spec[i];
    if (c !== "%") {
      text += c;
      i++;
      continue;
    }
    if (spec[i + 1] === "%") {
      text += "%";
      i += 2;
      continue;
    }
    const start = i;
    i++;
    const verb: Verb = {
      raw: "",
      offset: start,
      argNum: 0,
      mode: "",
      zero: false,
      sharp: false,
      plus: false,
      minus: false,
      space: false,
      width: -1,
      prec: -1,
    };
    for (; i < spec.length; i++) {
      const f = spec[i];
      if (f === "0") verb.zero = true;
      else if (f === "#") verb.sharp = true;
      else if (f === "+") verb.plus = true;
      else if (f === "-") verb.minus = true;
      else if (f === " ") verb.space = true;
      else break;
    }
    const bad = (): Failure => {
      const ch = String.fromCodePoint(spec.codePointAt(i) ?? 0);
      return i >= spec.length
        ? new Failure(`the format sequence at offset ${start} is incomplete`)
        : new Failure(`unrecognized format character '${ch}' at offset ${i}`);
    };
    if (spec[i] === "[") {
      i++;
      if (!/[1-9]/.test(spec[i] ?? "")) return bad();
      let n = "";
      while (/[0-9]/.test(spec[i] ?? "")) n += spec[i++];
      if (spec[i] !== "]") return bad();
      i++;
      nextArg = Number(n);
    }
    if (/[1-9]/.test(spec[i] ?? "")) {
      let n = "";
      while (/[0-9]/.test(spec[i] ?? "")) n += spec[i++];
      verb.width = Number(n);
    }
    if (spec[i] === ".") {
      i++;
      if (!/[0-9]/.test(spec[i] ?? "")) return bad();
      let n = "";
      while (/[0-9]/.test(spec[i] ?? "")) n += spec[i++];
      verb.prec = Number(n);
    }
    if (!/[A-Za-z]/.test(spec[i] ?? "")) return bad();
    verb.mode = spec[i];
    i++;
    verb.raw = spec.slice(start, i);
    verb.argNum = nextArg++;
    if (text) out.push(text);
    text = "";
    out.push(verb);
  }
  if (text) out.push(text);
  return out;
}

/** Pads to the verb's width (counted in characters), as cty's formatPadWidth. */
function padWidth(verb: Verb, s: string): string {
  if (verb.width < 0) return s;
  const len = graphemes(s).length;
  if (len >= verb.width) return s;
  const pad = (verb.zero ? "0" : " ").repeat(verb.width - len);
  return verb.minus ? s + pad : pad + s;
}

/** Decimal digits (no trailing zeros) and decimal point position of |n|, rounded to prec significant digits (-1: shortest). */
function decimalDigits(n: number, prec: number): { digits: string; dp: number } {
  if (n === 0) return { digits: "0", dp: 1 };
  const e = prec < 0 ? Math.abs(n).toExponential() : Math.abs(n).toExponential(Math.max(prec, 1) - 1);
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e) as RegExpExecArray;
  const digits = (m[1] + (m[2] ?? "")).replace(/0+$/, "") || "0";
  return { digits, dp: Number(m[3]) + 1 };
}

function fixedFromDigits(digits: string, dp: number, frac: number): string {
  let int = "";
  if (dp <= 0) int = "0";
  else for (let i = 0; i < dp; i++) int += digits[i] ?? "0";
  let fr = "";
  for (let i = 0; i < frac; i++) {
    const idx = dp + i;
    fr += idx < 0 ? "0" : (digits[idx] ?? "0");
  }
  return frac > 0 ? `${int}.${fr}` : int;
}

function expFromDigits(digits: string, dp: number, frac: number, e: string): string {
  let mant = digits[0];
  if (frac > 0) mant += "." + digits.slice(1).padEnd(frac, "0").slice(0, frac);
  const x = digits === "0" ? 0 : dp - 1;
  return `${mant}${e}${x < 0 ? "-" : "+"}${String(Math.abs(x)).padStart(2, "0")}`;
}

/** Go's %g/%G of |n| (prec -1: shortest), as big.Float formats it. */
function goG(n: number, prec: number, upper: boolean): string {
  const { digits, dp } = decimalDigits(n, prec === 0 ? 1 : prec);
  const nd = digits.length;
  let p = prec < 0 ? nd : prec === 0 ? 1 : prec;
  let eprec = p;
  if (eprec > nd && nd >= dp) eprec = nd;
  if (prec < 0) eprec = 6;
  const x = dp - 1;
  if (x < -4 || x >= eprec) {
    if (p > nd) p = nd;
    return expFromDigits(digits, dp, p - 1, upper ? "E" : "e");
  }
  if (p > dp) p = nd;
  return fixedFromDigits(digits, dp, Math.max(p - dp, 0));
}

/** Go's %e/%f of |n| with precision prec. */
function goFloat(n: number, mode: string, prec: number): string {
  const a = Math.abs(n);
  if (mode === "f" || mode === "F") {
    if (a < 1e21) return a.toFixed(prec);
    return BigInt(a).toString() + (prec > 0 ? "." + "0".repeat(prec) : "");
  }
  const { digits, dp } = decimalDigits(a, prec + 1);
  return expFromDigits(digits, dp, prec, mode === "E" ? "E" : "e");
}

/** A number for %e %E %f %g %G, with Go's sign and padding flags. */
function formatFloat(verb: Verb, n: number): string {
  const body =
    verb.mode === "g" || verb.mode === "G"
      ? goG(n, verb.prec, verb.mode === "G")
      : goFloat(n, verb.mode, verb.prec < 0 ? 6 : verb.prec);
  const sign = n < 0 || Object.is(n, -0) ? "-" : verb.plus ? "+" : verb.space ? " " : "";
  const padding = Math.max(verb.width - sign.length - body.length, 0);
  if (verb.zero) return sign + "0".repeat(padding) + body;
  if (verb.minus) return sign + body + " ".repeat(padding);
  return " ".repeat(padding) + sign + body;
}

/** An integer for %b %d %o %x %X, as Go's big.Int formats it. */
function formatInteger(verb: Verb, n: number): string {
  const base = { b: 2, d: 10, o: 8, x: 16, X: 16 }[verb.mode as "b" | "d" | "o" | "x" | "X"];
  const big = BigInt(n);
  const neg = big < 0n;
  let digits = (neg ? -big : big).toString(base);
  if (verb.mode === "X") digits = digits.toUpperCase();
  const sign = neg ? "-" : verb.plus ? "+" : verb.space ? " " : "";
  let prefix = "";
  if (verb.sharp) prefix = { b: "0b", d: "", o: "0", x: "0x", X: "0X" }[verb.mode as "b" | "d" | "o" | "x" | "X"];
  let zeros = 0;
  if (verb.prec >= 0) {
    if (digits.length < verb.prec) zeros = verb.prec - digits.length;
    else if (digits === "0" && verb.prec === 0) return "";
  }
  let left = 0;
  let right = 0;
  const length = sign.length + prefix.length + zeros + digits.length;
  if (verb.width >= 0 && length < verb.width) {
    const d = verb.width - length;
    if (verb.minus) right = d;
    else if (verb.zero && verb.prec < 0) zeros = d;
    else left = d;
  }
  return " ".repeat(left) + sign + prefix + "0".repeat(zeros) + digits + " ".repeat(right);
}

/** One verb applied to a known argument. */
function formatOne(verb: Verb, arg: Value): string | Failure {
  const where = `for ${JSON.stringify(verb.raw)} at ${verb.offset}`;
  if (verb.mode !== "v" && arg === null) return new Failure(`unsupported value ${where}: null value cannot be formatted`);
  switch (verb.mode) {
    case "v":
      if (!verb.sharp && typeof arg === "string") return padWidth(verb, arg);
      if (!verb.sharp && typeof arg === "number") return padWidth(verb, (arg < 0 ? "-" : "") + goG(arg, -1, false));
      return padWidth(verb, encodeJSON(arg));
    case "t": {
      const b = asBool(arg);
      return b instanceof Failure ? new Failure(`unsupported value ${where}: bool required`) : b ? "true" : "false";
    }
    case "b":
    case "d":
    case "o":
    case "x":
    case "X":
    case "e":
    case "E":
    case "f":
    case "g":
    case "G": {
      const n = asNumber(arg);
      if (n instanceof Failure) return new Failure(`unsupported value ${where}: number required`);
      if ("bdoxX".includes(verb.mode)) {
        if (!Number.isInteger(n)) return new Failure(`unsupported value ${where}: an integer is required`);
        return formatInteger(verb, n);
      }
      return formatFloat(verb, n);
    }
    case "s":
    case "q": {
      let s = asString(arg);
      if (s instanceof Failure) return new Failure(`unsupported value ${where}: string required`);
      if (verb.prec > 0) s = graphemes(s).slice(0, verb.prec).join("");
      return padWidth(verb, verb.mode === "q" ? jsonQuote(s) : s);
    }
    default:
      return new Failure(`unsupported format verb '${verb.mode}' in ${JSON.stringify(verb.raw)} at offset ${verb.offset}`);
  }
}

/**
 * format() over parsed verbs. Unknown arguments give unknown pieces; a partly known string
 * under a plain `%s`/`%v` keeps its known pieces.
 */
function formatPieces(parts: Array<string | Verb>, args: Value[]): Value {
  const out: StringPiece[] = [];
  let maxUsed = 0;
  let verbs = 0;
  for (const part of parts) {
    if (typeof part === "string") {
      out.push(part);
      continue;
    }
    verbs++;
    const idx = part.argNum - 1;
    if (idx >= args.length) {
      return new Failure(
        `not enough arguments for ${JSON.stringify(part.raw)} at ${part.offset}: need index ${part.argNum} but have ${args.length} total`,
      );
    }
    maxUsed = Math.max(maxUsed, part.argNum);
    const arg = args[idx];
    const failure = findFailure(arg);
    if (failure) return failure;
    if (!"bdoxXeEfgGtsqv".includes(part.mode)) {
      return new Failure(`unsupported format verb '${part.mode}' in ${JSON.stringify(part.raw)} at offset ${part.offset}`);
    }
    if (!isWhollyKnown(arg)) {
      const plain = (part.mode === "s" || (part.mode === "v" && !part.sharp)) && part.width < 0 && part.prec < 0;
      if (plain && arg instanceof Unknown) out.push(...(arg.template ? normPieces(arg.template) : [arg]));
      else out.push(new Unknown("dynamic", undefined, undefined, "format(…)"));
      continue;
    }
    const s = formatOne(part, arg);
    if (s instanceof Failure) return s;
    out.push(s);
  }
  if (maxUsed < args.length) {
    return new Failure(
      verbs === 0 ? "too many arguments; no verbs in format string" : `too many arguments; only ${maxUsed} used by format string`,
    );
  }
  return joinPieces(out);
}

defPartial("format", 1, Infinity, ([spec, ...args], _ctx, name) => {
  if (spec instanceof Unknown) return unk(name);
  const s = asString(spec, "format");
  if (s instanceof Failure) return s;
  const parts = parseFormat(s);
  if (parts instanceof Failure) return parts;
  return formatPieces(parts, args);
});

defPartial("formatlist", 1, Infinity, ([spec, ...args], _ctx, name) => {
  if (spec instanceof Unknown) return unk(name);
  const s = asString(spec, "format");
  if (s instanceof Failure) return s;
  const parts = parseFormat(s);
  if (parts instanceof Failure) return parts;
  let len = -1;
  let chooser = -1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    // A wholly unknown argument might be a list: the number of results is unknown.
    if (a instanceof Unknown && !a.template) return unk(name);
    if (Array.isArray(a)) {
      if (len === -1) {
        len = a.length;
        chooser = i;
      } else if (a.length !== len) {
        return new Failure(
          `argument ${i + 2} has length ${a.length}, which is inconsistent with argument ${chooser + 2} of length ${len}`,
        );
      }
    }
  }
  if (len === -1) len = 1;
  const out: Value[] = [];
  for (let k = 0; k < len; k++) {
    const r = formatPieces(
      parts,
      args.map((a) => (Array.isArray(a) ? a[k] : a)),
    );
    if (r instanceof Failure) return new Failure(`error on format iteration ${k}: ${r.message}`);
    out.push(r);
  }
  return out;
});
