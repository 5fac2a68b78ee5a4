// Partly known strings and IAM's wildcard matching over them, three-valued.
//
// A policy value from Terraform may hold unknown pieces (`arn:aws:secretsmanager:us-east-1:
// ${data.aws_caller_identity.current.account_id}:secret:*`). Each unknown piece becomes one
// token: a code point of Unicode's supplementary private use area, never found in policies.
// Pieces that name the same thing (`what`: the expression text) share a token, so an account id
// read from the same data source in an Allow and in a Deny is the same value; any other two
// unknowns may or may not be equal.
//
// A match is "yes" when it holds whatever the unknowns are, "no" when it holds for none of
// them, "unknown" otherwise.

import { Failure, Unknown, stringPieces, type Value } from "../terraform/values.js";
import type { Tri } from "./tri.js";

const FIRST_TOKEN = 0xf0000;
const FIRST_FRESH = 0x100000;
const LAST_TOKEN = 0xffffd;
/** The token of an unknown with no name: equal to nothing, not even itself. */
const OPAQUE = String.fromCodePoint(LAST_TOKEN);

const byWhat = new Map<string, string>();
const byObject = new WeakMap<object, string>();
let nextToken = FIRST_TOKEN;

function newToken(): string {
  if (nextToken >= LAST_TOKEN) return OPAQUE;
  return String.fromCodePoint(nextToken++);
}

/** The token standing for an unknown piece. */
export function tokenFor(piece: Unknown | Failure): string {
  if (piece instanceof Unknown && piece.what && piece.reason !== "dynamic" && piece.reason !== "iteration") {
    let t = byWhat.get(piece.what);
    if (!t) {
      t = newToken();
      byWhat.set(piece.what, t);
    }
    return t;
  }
  let t = byObject.get(piece);
  if (!t) {
    t = newToken();
    byObject.set(piece, t);
  }
  return t;
}

// Fresh values: a request value that no policy names, not even through an unknown piece ("an
// account the policies do not name"). Code points of the last private use plane: they compare
// as characters (a `*` covers them, nothing else equals them), unlike tokens.
const freshByLabel = new Map<string, string>();

/** The fresh value for a label (stable: one label, one value). */
export function fresh(label: string): string {
  let f = freshByLabel.get(label);
  if (!f) {
    f = String.fromCodePoint(FIRST_FRESH + freshByLabel.size);
    freshByLabel.set(label, f);
  }
  return f;
}

/** Whether a text holds a fresh value. */
export function hasFresh(s: string): boolean {
  for (const ch of s) if ((ch.codePointAt(0) as number) >= FIRST_FRESH) return true;
  return false;
}

export function isTokenCode(cp: number): boolean {
  return cp >= FIRST_TOKEN && cp <= LAST_TOKEN;
}

export function hasToken(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && isTokenCode(s.codePointAt(i) as number)) return true;
  }
  return false;
}

/**
 * A policy value as text with tokens: a known string as it is, a partly known one with its
 * unknown pieces as tokens, a wholly unknown value as one token. Numbers and booleans as JSON
 * writes them. Undefined for anything else (null, lists, objects).
 */
export function textOf(v: Value | undefined): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Unknown || v instanceof Failure) {
    const pieces = v instanceof Unknown ? stringPieces(v) : undefined;
    if (!pieces) return tokenFor(v);
    return pieces.map((p) => (typeof p === "string" ? p : tokenFor(p))).join("");
  }
  return undefined;
}

// ---------------------------------------------------------------- glob matching

export interface MatchOptions {
  /** Compare without case (actions, `StringEqualsIgnoreCase`). */
  ignoreCase?: boolean;
  /** `*` and `?` are wildcards in the pattern (false: `StringEquals`, the pattern is literal). */
  wildcards?: boolean;
}

// The options the evaluator passes, each with both fields in one order: one object shape at
// matchText's property loads (literals of four shapes made its optimised code deoptimise).
export const GLOB: MatchOptions = { ignoreCase: false, wildcards: true };
export const GLOB_IGNORE_CASE: MatchOptions = { ignoreCase: true, wildcards: true };
export const LITERAL: MatchOptions = { ignoreCase: false, wildcards: false };
export const LITERAL_IGNORE_CASE: MatchOptions = { ignoreCase: true, wildcards: false };

const STAR = -1;
const ONE = -2;
/** An unknown piece: any run of characters, but not a fresh value (which no named value equals). */
const TOKEN_STAR = -3;

/** Code points; tokens and (for a glob) `*` become STAR, `?` becomes ONE. */
function items(s: string, glob: boolean, ignoreCase: boolean): number[] {
  const out: number[] = [];
  const text = ignoreCase ? s.toLowerCase() : s;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (isTokenCode(cp)) out.push(TOKEN_STAR);
    else if (glob && ch === "*") {
      if (out[out.length - 1] !== STAR) out.push(STAR);
    } else if (glob && ch === "?") out.push(ONE);
    else out.push(cp);
  }
  return out;
}

/** Whether two patterns (of code points, STAR and ONE) have a string in common. */
function intersects(a: number[], b: number[]): boolean {
  const n = a.length;
  const m = b.length;
  // memo: 0 unknown, 1 true, 2 false
  const memo = new Uint8Array((n + 1) * (m + 1));
  const stack: Array<[number, number]> = [];
  const f = (i0: number, j0: number): boolean => {
    // Iterative depth-first search over (i, j) states.
    stack.length = 0;
    stack.push([i0, j0]);
    const seen = memo;
    while (stack.length > 0) {
      const [i, j] = stack.pop() as [number, number];
      const k = i * (m + 1) + j;
      if (seen[k] !== 0) continue;
      seen[k] = 2;
      if (i === n && j === m) return true;
      const ai = i < n ? a[i] : undefined;
      const bj = j < m ? b[j] : undefined;
      const consumes = (star: number, other: number | undefined) => other !== undefined && (star === STAR || other < 0 || other < FIRST_FRESH);
      if (ai === STAR || ai === TOKEN_STAR) {
        stack.push([i + 1, j]);
        if (consumes(ai, bj)) stack.push([i, j + 1]);
        continue;
      }
      if (bj === STAR || bj === TOKEN_STAR) {
        stack.push([i, j + 1]);
        if (consumes(bj, ai)) stack.push([i + 1, j]);
        continue;
      }
      if (ai !== undefined && bj !== undefined && (ai === bj || ai === ONE || bj === ONE)) stack.push([i + 1, j + 1]);
    }
    return false;
  };
  return f(0, 0);
}

const regexCache = new Map<string, RegExp>();

/** A regular expression for a pattern whose tokens match only themselves. */
function certainRegex(pattern: string, wildcards: boolean, ignoreCase: boolean): RegExp {
  const key = `${wildcards ? 1 : 0}${ignoreCase ? 1 : 0}${pattern}`;
  let re = regexCache.get(key);
  if (re) return re;
  let src = "";
  for (const ch of pattern) {
    const cp = ch.codePointAt(0) as number;
    if (ch === OPAQUE) src += "(?!)";
    else if (isTokenCode(cp)) src += `\\u{${cp.toString(16)}}`;
    else if (wildcards && ch === "*") src += "[^]*";
    else if (wildcards && ch === "?") src += "[^\\u{f0000}-\\u{ffffd}]";
    else src += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  re = new RegExp(`^${src}$`, ignoreCase ? "iu" : "u");
  if (regexCache.size > 20_000) regexCache.clear();
  regexCache.set(key, re);
  return re;
}

/**
 * Whether `subject` (a request value, perhaps with tokens) matches `pattern` (a policy value:
 * a glob when `wildcards`, perhaps with tokens).
 */
export function matchText(pattern: string, subject: string, options: MatchOptions = GLOB): Tri {
  const wildcards = options.wildcards !== false;
  const ignoreCase = options.ignoreCase === true;
  if (!hasToken(pattern) && !hasToken(subject)) {
    if (!wildcards) return (ignoreCase ? pattern.toLowerCase() === subject.toLowerCase() : pattern === subject) ? "yes" : "no";
    if (!pattern.includes("*") && !pattern.includes("?")) return (ignoreCase ? pattern.toLowerCase() === subject.toLowerCase() : pattern === subject) ? "yes" : "no";
  }
  // The subject's `*` and `?` are characters, not wildcards: escape them out of the way.
  if (certainRegex(pattern, wildcards, ignoreCase).test(subject)) return "yes";
  if (!hasToken(pattern) && !hasToken(subject)) return "no";
  return intersects(items(pattern, wildcards, ignoreCase), items(subject, false, ignoreCase)) ? "unknown" : "no";
}

/**
 * ArnLike/ArnEquals: each of the six colon-separated parts is matched on its own (the last
 * part holds the rest); a value that is not an ARN of six parts matches nothing.
 */
export function matchArn(pattern: string, subject: string): Tri {
  const p = splitArn(pattern);
  const s = splitArn(subject);
  if (!p || !s) {
    // Tokens could hold the missing colons; otherwise not an ARN.
    if (hasToken(pattern) || hasToken(subject)) return matchText(pattern, subject) === "no" ? "no" : "unknown";
    return "no";
  }
  let out: Tri = "yes";
  for (let i = 0; i < 6; i++) {
    const r = matchText(p[i], s[i]);
    if (r === "no") return "no";
    if (r === "unknown") out = "unknown";
  }
  return out;
}

export function splitArn(s: string): string[] | undefined {
  const parts: string[] = [];
  let rest = s;
  for (let i = 0; i < 5; i++) {
    const at = rest.indexOf(":");
    if (at < 0) return undefined;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

/** A concrete value a glob matches: wildcards filled in (`us-*` → `us-`, `?` → `x`). */
export function instance(glob: string): string {
  return glob.replace(/\*/g, "").replace(/\?/g, "x");
}
