// regex and regexall, with RE2 patterns translated to JavaScript.

import { Failure, Unknown, type Value } from "../values.js";
import { def, unk } from "./support/registry.js";
import { asString } from "./support/convert.js";
import { escapeRegExp } from "./support/text.js";
import { sortedObject } from "./support/json.js";

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7f",
  blank: "\\t ",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const JS_SYNTAX_CHARS = "^$\\.*+?()[]{}|/";

/**
 * Translates an RE2 pattern (Go's regexp, what Terraform uses) to a JavaScript RegExp with
 * the `u` flag. Both are leftmost-first backtracking-free-in-effect matchers with the same
 * common syntax; the differences handled: `(?P<name>…)`, leading flag groups `(?ims)`, `\A`
 * and `\z`, `\Q…\E`, POSIX classes `[[:alpha:]]`, `\pL`, `\x{…}`, octal escapes, escaped
 * punctuation. Go's `\s` is ASCII-only while JavaScript's also matches other Unicode spaces.
 * RE2 has no lookaround or backreferences (a Failure, as in Terraform); inline flag groups in
 * the middle (`(?i:…)`) and `(?U)` have no JavaScript form (unknown).
 */
export function compileRe2(pattern: string, name: string): RegExp | Failure | Unknown {
  let flags = "u";
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1].includes("U")) return unk(name, "function");
    for (const f of new Set(lead[1])) flags += f;
    src = src.slice(lead[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") {
      const d = src[i + 1];
      if (d === undefined) return new Failure("invalid regular expression: trailing backslash");
      if (d === "Q") {
        const end = src.indexOf("\\E", i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        out += inClass ? lit.replace(/[\\\]\[^-]/g, "\\$&") : escapeRegExp(lit);
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (d === "A" && !inClass) {
        out += "(?<![\\s\\S])";
        i++;
        continue;
      }
      if (d === "z" && !inClass) {
        out += "(?![\\s\\S])";
        i++;
        continue;
      }
      if ((d === "p" || d === "P") && src[i + 2] !== "{") {
        out += `\\${d}{${src[i + 2]}}`;
        i += 2;
        continue;
      }
      if (d === "x" && src[i + 2] === "{") {
        const end = src.indexOf("}", i);
        out += `\\u{${src.slice(i + 3, end)}}`;
        i = end;
        continue;
      }
      if (/[0-7]/.test(d)) {
        const m = /^[0-7]{1,3}/.exec(src.slice(i + 1)) as RegExpExecArray;
        if (d !== "0" && m[0].length === 1) return new Failure(`invalid regular expression: invalid escape sequence \\${d}`);
        out += `\\u{${parseInt(m[0], 8).toString(16)}}`;
        i += m[0].length;
        continue;
      }
      if (/[89]/.test(d)) return new Failure(`invalid regular expression: invalid escape sequence \\${d}`);
      if (d === "C") return unk(name, "function");
      if (/[!-\/:-@\[-`{-~]/.test(d) && !JS_SYNTAX_CHARS.includes(d) && !(inClass && d === "-")) {
        out += d; // Go lets any punctuation be escaped; JavaScript's u mode does not.
        i++;
        continue;
      }
      out += c + d;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "[" && src[i + 1] === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
        if (m && POSIX_CLASSES[m[2]] !== undefined) {
          if (m[1]) return unk(name, "function");
          out += POSIX_CLASSES[m[2]];
          i += m[0].length - 1;
          continue;
        }
      }
      if (c === "]") inClass = false;
      out += c === "[" ? "\\[" : c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (src[i + 1] === "^") out += src[++i];
      if (src[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(" && src[i + 1] === "?") {
      const rest = src.slice(i + 2);
      if (rest.startsWith("P<")) {
        out += "(?<";
        i += 3;
        continue;
      }
      if (rest.startsWith(":") || (rest.startsWith("<") && !/^<[=!]/.test(rest))) {
        out += c;
        continue;
      }
      if (/^(?:[=!]|<[=!])/.test(rest)) return new Failure("invalid regular expression: lookaround is not supported");
      return unk(name, "function"); // an inline flag group
    }
    out += c;
  }
  try {
    return new RegExp(out, flags + "g");
  } catch {
    // Either an invalid pattern or a translation gap: not a finding either way.
    return unk(name, "function");
  }
}

/** All matches as Go's regexp finds them (no empty match right after a previous match). */
function allMatches(re: RegExp, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let pos = 0;
  let prevEnd = -1;
  while (pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === start && start === prevEnd) accept = false;
    if (accept) {
      out.push(m);
      prevEnd = end;
    }
    if (end > pos) pos = end;
    else {
      const cp = s.codePointAt(pos);
      pos += cp !== undefined && cp > 0xffff ? 2 : 1;
    }
  }
  return out;
}

/** Go's Regexp.Expand template: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expandTemplate(template: string, m: RegExpExecArray): string {
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
    const group = /^\d+$/.test(ref) ? m[Number(ref)] : m.groups?.[ref];
    out += group ?? "";
  }
  return out;
}

export function regexReplaceAll(re: RegExp, s: string, template: string): string {
  let out = "";
  let last = 0;
  for (const m of allMatches(re, s)) {
    out += s.slice(last, m.index) + expandTemplate(template, m);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

/** The result of one match: the match, a list of captures, or an object of named captures. */
function regexResult(re: RegExp, m: RegExpExecArray): Value | Failure {
  const total = m.length - 1;
  const named = m.groups ? Object.keys(m.groups) : [];
  if (total === 0) return m[0];
  if (named.length === 0) return m.slice(1).map((x) => (x === undefined ? null : x));
  if (named.length !== total) {
    return new Failure(`invalid regular expression ${re.source}: must use either all named or all unnamed capture groups`);
  }
  return sortedObject(named.map((k) => [k, m.groups?.[k] ?? null] as [string, Value]));
}

def("regex", 2, 2, ([patV, strV], _ctx, name) => {
  const pat = asString(patV, "pattern");
  if (pat instanceof Failure) return pat;
  const s = asString(strV, "string");
  if (s instanceof Failure) return s;
  const re = compileRe2(pat, name);
  if (!(re instanceof RegExp)) return re;
  re.lastIndex = 0;
  const m = re.exec(s);
  if (!m) return new Failure("pattern did not match any part of the given string");
  return regexResult(re, m);
});

def("regexall", 2, 2, ([patV, strV], _ctx, name) => {
  const pat = asString(patV, "pattern");
  if (pat instanceof Failure) return pat;
  const s = asString(strV, "string");
  if (s instanceof Failure) return s;
  const re = compileRe2(pat, name);
  if (!(re instanceof RegExp)) return re;
  const out: Value[] = [];
  for (const m of allMatches(re, s)) {
    const r = regexResult(re, m);
    if (r instanceof Failure) return r;
    out.push(r);
  }
  return out;
});
