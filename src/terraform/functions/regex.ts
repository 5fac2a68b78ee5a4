// regex and regexall (and replace with a /pattern/), with Go's regexp semantics: RE2 syntax,
// leftmost-first matches, and time linear in the text. Terraform uses Go's regexp, which never
// backtracks; JavaScript's RegExp does, so a pattern such as `(a+)+$` from an untrusted
// configuration could hang the scan. re2js (a port of Go's regexp) matches in linear time and
// parses RE2's own syntax: no translation (a literal `{` that is not a repetition, `(?P<n>…)`,
// `(?U)`, `\Q…\E`, POSIX classes all mean what they mean to Terraform).

import { RE2JS, RE2JSException } from "re2js";
import { Failure, type Value } from "../values.js";
import { def, tooLarge } from "./support/registry.js";
import { asString } from "./support/convert.js";
import { sortedObject } from "./support/json.js";

/**
 * The part of re2js's compiled pattern we use. Declared here, not as re2js's class, so that the
 * library's type declarations do not name re2js (a bundled build dependency, not installed with
 * the package).
 */
interface Re2Matcher {
  programSize(): number;
  re2(): { findAllSubmatchIndex(s: string, n: number): unknown; findSubmatchIndex(s: string): unknown };
}

/** A compiled pattern: the matcher and its capture groups. */
export interface Re2Pattern {
  readonly source: string;
  readonly re: Re2Matcher;
  /** Capture groups (group 0, the whole match, excluded). */
  readonly groups: number;
  /** Group names by index (1-based; undefined for an unnamed group). */
  readonly names: ReadonlyArray<string | undefined>;
}

/** Patterns compiled, by source: the same few patterns are used by every instance of a module. */
const compiled = new Map<string, Re2Pattern | Failure>();
const MAX_CACHED = 512;

/**
 * Work one match may do: the program's size times the text's length (the automaton's steps).
 * Linear, but an 8 MB text against a pattern of hundreds of instructions is still minutes
 * (about 50 ns a step at worst, in the NFA with captures: the bound is a few seconds).
 */
const MAX_WORK = 50_000_000;

/** Compiles an RE2 pattern as Terraform does; an invalid one is a Failure naming Go's reason. */
export function compileRe2(pattern: string): Re2Pattern | Failure {
  const have = compiled.get(pattern);
  if (have) return have;
  let out: Re2Pattern | Failure;
  try {
    const re = RE2JS.compile(pattern);
    const names: Array<string | undefined> = [];
    for (const [n, i] of Object.entries(re.namedGroups())) names[i] = n;
    out = { source: pattern, re, groups: re.groupCount(), names };
  } catch (err) {
    if (!(err instanceof RE2JSException)) throw err;
    // re2js words its errors as Go's regexp/syntax does ("error parsing regexp: …"); the
    // pattern is configuration text, not a secret value.
    out = new Failure(`invalid regular expression: ${err.message.replace(/^error parsing regexp: /, "")}`);
  }
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(pattern, out);
  return out;
}

/** Whether matching `p` over `s` stays within the work budget (else the caller's result is unknown). */
function withinWork(p: Re2Pattern, s: string): boolean {
  return p.re.programSize() * (s.length + 1) <= MAX_WORK;
}

/** Offsets of every match and its groups, as Go's FindAllStringSubmatchIndex gives them. */
function allMatches(p: Re2Pattern, s: string): number[][] {
  return (p.re.re2().findAllSubmatchIndex(s, -1) as number[][] | null) ?? [];
}

/** Go's Regexp.Expand template: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expandTemplate(template: string, p: Re2Pattern, s: string, m: number[]): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== "$") {
      out += c;
      continue;
    }
    if (template[i + 1] === "$") {
      out += "$";
      i++;
      continue;
    }
    const r = /^\{([A-Za-z0-9_]+)\}|^([A-Za-z0-9_]+)/.exec(template.slice(i + 1));
    if (!r) {
      out += "$";
      continue;
    }
    const ref = r[1] ?? r[2];
    i += r[0].length;
    const g = /^\d+$/.test(ref) ? Number(ref) : p.names.indexOf(ref);
    if (g >= 0 && g <= p.groups && m[2 * g] >= 0) out += s.slice(m[2 * g], m[2 * g + 1]);
  }
  return out;
}

/** replace(s, "/re/", template): every match replaced, as Go's ReplaceAllString does. */
export function regexReplaceAll(p: Re2Pattern, s: string, template: string): string | Value {
  if (!withinWork(p, s)) return tooLarge("replace", `a regular expression of ${p.re.programSize()} instructions over ${s.length} characters`);
  let out = "";
  let last = 0;
  for (const m of allMatches(p, s)) {
    out += s.slice(last, m[0]) + expandTemplate(template, p, s, m);
    last = m[1];
  }
  return out + s.slice(last);
}

/** The result of one match: the match, a list of captures, or an object of named captures. */
function regexResult(p: Re2Pattern, s: string, m: number[]): Value | Failure {
  const group = (g: number): Value => (m[2 * g] >= 0 ? s.slice(m[2 * g], m[2 * g + 1]) : null);
  if (p.groups === 0) return group(0);
  const named = p.names.filter((n) => n !== undefined).length;
  if (named === 0) return Array.from({ length: p.groups }, (_, i) => group(i + 1));
  if (named !== p.groups) {
    return new Failure(`invalid regular expression ${p.source}: must use either all named or all unnamed capture groups`);
  }
  return sortedObject(p.names.flatMap((n, g) => (n === undefined ? [] : [[n, group(g)] as [string, Value]])));
}

/** The pattern and the text of regex()/regexall(), or why there is no result. */
function patternAndText(patV: Value, strV: Value, name: string): { p: Re2Pattern; s: string } | Value {
  const pat = asString(patV, "pattern");
  if (pat instanceof Failure) return pat;
  const s = asString(strV, "string");
  if (s instanceof Failure) return s;
  const p = compileRe2(pat);
  if (p instanceof Failure) return p;
  if (!withinWork(p, s)) return tooLarge(name, `a regular expression of ${p.re.programSize()} instructions over ${s.length} characters`);
  return { p, s };
}

const isPair = (x: unknown): x is { p: Re2Pattern; s: string } => typeof x === "object" && x !== null && "p" in x && "s" in x;

def("regex", 2, 2, ([patV, strV], _ctx, name) => {
  const ps = patternAndText(patV, strV, name);
  if (!isPair(ps)) return ps;
  const m = ps.p.re.re2().findSubmatchIndex(ps.s) as number[] | null;
  if (!m) return new Failure("pattern did not match any part of the given string");
  return regexResult(ps.p, ps.s, m);
});

def("regexall", 2, 2, ([patV, strV], _ctx, name) => {
  const ps = patternAndText(patV, strV, name);
  if (!isPair(ps)) return ps;
  const out: Value[] = [];
  for (const m of allMatches(ps.p, ps.s)) {
    const r = regexResult(ps.p, ps.s, m);
    if (r instanceof Failure) return r;
    out.push(r);
  }
  return out;
});
