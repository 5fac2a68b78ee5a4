// String functions: join, split, case, replace, trims, prefixes and suffixes, substr, indent.

import { Failure, joinPieces, type StringPiece, Unknown, type Value } from "../values.js";
import { def, defPartial, opaque, unk } from "./support/registry.js";
import { asInt, asList, asPieces, asString, mapPieces } from "./support/convert.js";
import { caseMap, escapeRegExp, graphemes, isTitleSeparator, LEADING_SPACE, TRAILING_SPACE } from "./support/text.js";
import { compileRe2, regexReplaceAll } from "./regex.js";

defPartial("join", 1, Infinity, ([sepV, ...lists], _ctx, name) => {
  if (lists.length === 0) return new Failure("at least one list is required");
  if (sepV instanceof Unknown) return unk(name);
  const sep = asString(sepV, "separator");
  if (sep instanceof Failure) return sep;
  const out: StringPiece[] = [];
  let first = true;
  for (const lv of lists) {
    if (lv instanceof Unknown) return unk(name);
    const list = asList(lv);
    if (list instanceof Failure) return list;
    for (let i = 0; i < list.length; i++) {
      const el = list[i];
      if (el === null) return new Failure(`element ${i} is null; cannot concatenate null values`);
      const ps = asPieces(el, `element ${i}`);
      if (ps instanceof Failure) return ps;
      if (!first) out.push(sep);
      first = false;
      out.push(...ps);
    }
  }
  return joinPieces(out);
});

def("split", 2, 2, ([sepV, strV]) => {
  const sep = asString(sepV, "separator");
  if (sep instanceof Failure) return sep;
  const s = asString(strV, "string");
  if (s instanceof Failure) return s;
  return sep === "" ? Array.from(s) : s.split(sep);
});

/** Registers a one-string function that maps the known text of a partly known string. */
function defPieceMap(name: string, f: (s: string) => string): void {
  defPartial(name, 1, 1, ([v]) => {
    const ps = asPieces(v);
    return ps instanceof Failure ? ps : mapPieces(ps, f);
  });
}

defPieceMap("lower", (s) => caseMap(s, false));
defPieceMap("upper", (s) => caseMap(s, true));

defPartial("title", 1, 1, ([v], _ctx, name) => {
  const ps = asPieces(v);
  if (ps instanceof Failure) return ps;
  let prevSeparator: boolean | undefined = true; // undefined: after an unknown stretch
  const out: StringPiece[] = [];
  for (const p of ps) {
    if (typeof p !== "string") {
      out.push(p instanceof Unknown ? opaque(p) : p);
      prevSeparator = undefined;
      continue;
    }
    let s = "";
    for (const ch of p) {
      const t = caseMap(ch, true);
      if (prevSeparator === undefined && t !== ch) return unk(name); // a word start or not: unknown
      s += prevSeparator ? t : ch;
      prevSeparator = isTitleSeparator(ch);
    }
    out.push(s);
  }
  return joinPieces(out);
});

defPieceMap("strrev", (s) => graphemes(s).reverse().join(""));

/** Whether a match of `sub` could cross the edge of a known piece into an unknown neighbour. */
function matchMayCrossEdge(p: string, sub: string, leftOpen: boolean, rightOpen: boolean): boolean {
  const n = p.length;
  const m = sub.length;
  for (let o = -(m - 1); o < n; o++) {
    const end = o + m;
    if (o >= 0 && end <= n) continue;
    if (o < 0 && !leftOpen) continue;
    if (end > n && !rightOpen) continue;
    let agrees = true;
    for (let j = Math.max(0, o); j < Math.min(n, end); j++) {
      if (p[j] !== sub[j - o]) {
        agrees = false;
        break;
      }
    }
    if (agrees) return true;
  }
  return false;
}

defPartial("replace", 3, 3, ([strV, subV, repV], _ctx, name) => {
  if (subV instanceof Unknown) return unk(name);
  const sub = asString(subV, "substring");
  if (sub instanceof Failure) return sub;
  const strPs = asPieces(strV, "string");
  if (strPs instanceof Failure) return strPs;
  const repPs = asPieces(repV, "replacement");
  if (repPs instanceof Failure) return repPs;
  if (sub.length > 1 && sub.startsWith("/") && sub.endsWith("/")) {
    // A regular expression: only on wholly known text and replacement.
    if (strPs.some((p) => typeof p !== "string") || repPs.some((p) => typeof p !== "string")) return unk(name);
    const re = compileRe2(sub.slice(1, -1));
    if (re instanceof Failure) return re;
    return regexReplaceAll(re, strPs.join(""), repPs.join(""));
  }
  if (sub === "") {
    if (strPs.some((p) => typeof p !== "string")) return unk(name);
    // Go's strings.Replace with an empty old string inserts at every character boundary.
    const chars = Array.from(strPs.join(""));
    const out: StringPiece[] = [...repPs];
    for (const ch of chars) out.push(ch, ...repPs);
    return joinPieces(out);
  }
  // Plain text: replace in each known piece, unless a match could span into an unknown one.
  for (let i = 0; i < strPs.length; i++) {
    const p = strPs[i];
    if (typeof p === "string" && matchMayCrossEdge(p, sub, i > 0, i < strPs.length - 1)) return unk(name);
  }
  const out: StringPiece[] = [];
  for (const p of strPs) {
    if (typeof p !== "string") {
      out.push(p instanceof Unknown ? opaque(p) : p);
      continue;
    }
    const segs = p.split(sub);
    segs.forEach((seg, k) => {
      if (k > 0) out.push(...repPs);
      out.push(seg);
    });
  }
  return joinPieces(out);
});

defPartial("trimprefix", 2, 2, ([strV, preV], _ctx, name) => {
  if (preV instanceof Unknown) return unk(name);
  const prefix = asString(preV, "prefix");
  if (prefix instanceof Failure) return prefix;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  const kp = typeof ps[0] === "string" ? ps[0] : "";
  const whole = ps.every((p) => typeof p === "string");
  if (kp.startsWith(prefix)) return joinPieces([kp.slice(prefix.length), ...ps.slice(typeof ps[0] === "string" ? 1 : 0)]);
  if (!whole && prefix.startsWith(kp)) return unk(name);
  return joinPieces(ps);
});

defPartial("trimsuffix", 2, 2, ([strV, sufV], _ctx, name) => {
  if (sufV instanceof Unknown) return unk(name);
  const suffix = asString(sufV, "suffix");
  if (suffix instanceof Failure) return suffix;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  const last = ps[ps.length - 1];
  const ks = typeof last === "string" ? last : "";
  const whole = ps.every((p) => typeof p === "string");
  if (ks.endsWith(suffix)) return joinPieces([...ps.slice(0, typeof last === "string" ? -1 : ps.length), ks.slice(0, ks.length - suffix.length)]);
  if (!whole && suffix.endsWith(ks)) return unk(name);
  return joinPieces(ps);
});

defPartial("startswith", 2, 2, ([strV, preV], _ctx, name) => {
  if (preV instanceof Unknown) return unk(name);
  const prefix = asString(preV, "prefix");
  if (prefix instanceof Failure) return prefix;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  const kp = typeof ps[0] === "string" ? ps[0] : "";
  if (kp.startsWith(prefix)) return true;
  if (ps.every((p) => typeof p === "string")) return false;
  return prefix.startsWith(kp) ? unk(name) : false;
});

defPartial("endswith", 2, 2, ([strV, sufV], _ctx, name) => {
  if (sufV instanceof Unknown) return unk(name);
  const suffix = asString(sufV, "suffix");
  if (suffix instanceof Failure) return suffix;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  const last = ps[ps.length - 1];
  const ks = typeof last === "string" ? last : "";
  if (ks.endsWith(suffix)) return true;
  if (ps.every((p) => typeof p === "string")) return false;
  return suffix.endsWith(ks) ? unk(name) : false;
});

defPartial("strcontains", 2, 2, ([strV, subV], _ctx, name) => {
  if (subV instanceof Unknown) return unk(name);
  const sub = asString(subV, "substring");
  if (sub instanceof Failure) return sub;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  if (ps.some((p) => typeof p === "string" && p.includes(sub))) return true;
  if (sub === "") return true;
  return ps.every((p) => typeof p === "string") ? false : unk(name);
});

defPartial("substr", 3, 3, ([strV, offV, lenV], _ctx, name) => {
  if (offV instanceof Unknown || lenV instanceof Unknown) return unk(name);
  let offset = asInt(offV, "offset");
  if (offset instanceof Failure) return offset;
  const length = asInt(lenV, "length");
  if (length instanceof Failure) return length;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  const whole = ps.every((p) => typeof p === "string");
  const chars = graphemes(typeof ps[0] === "string" ? ps[0] : "");
  if (!whole) {
    // Known when the wanted characters lie inside the known prefix (the last known character
    // might combine with what follows, so it does not count).
    if (offset < 0 || length < 0 || offset + length > chars.length - 1) return unk(name);
    return chars.slice(offset, offset + length).join("");
  }
  if (offset < 0) offset = Math.max(offset + chars.length, 0);
  else if (length === 0) return "";
  if (offset >= chars.length) return "";
  return (length < 0 ? chars.slice(offset) : chars.slice(offset, offset + length)).join("");
});

/** Trims the start of the first piece and the end of the last one. */
function trimPieces(ps: StringPiece[], left: RegExp | null, right: RegExp | null): Value {
  const out = [...ps];
  if (left && typeof out[0] === "string") out[0] = out[0].replace(left, "");
  const n = out.length - 1;
  if (right && typeof out[n] === "string") out[n] = (out[n] as string).replace(right, "");
  return joinPieces(out);
}

defPartial("trimspace", 1, 1, ([v]) => {
  const ps = asPieces(v);
  return ps instanceof Failure ? ps : trimPieces(ps, LEADING_SPACE, TRAILING_SPACE);
});

defPartial("trim", 2, 2, ([strV, cutV], _ctx, name) => {
  if (cutV instanceof Unknown) return unk(name);
  const cut = asString(cutV, "cutset");
  if (cut instanceof Failure) return cut;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  if (cut === "") return joinPieces(ps);
  const cls = `[${Array.from(cut, (c) => escapeRegExp(c)).join("")}]+`;
  return trimPieces(ps, new RegExp(`^${cls}`, "u"), new RegExp(`${cls}$`, "u"));
});

defPartial("chomp", 1, 1, ([v]) => {
  const ps = asPieces(v);
  return ps instanceof Failure ? ps : trimPieces(ps, null, /(?:\r\n|\r|\n)+$/);
});

defPartial("indent", 2, 2, ([nV, strV], _ctx, name) => {
  if (nV instanceof Unknown) return unk(name);
  const n = asInt(nV, "spaces");
  if (n instanceof Failure) return n;
  const ps = asPieces(strV, "string");
  if (ps instanceof Failure) return ps;
  const pad = " ".repeat(Math.max(n, 0));
  return mapPieces(ps, (s) => s.split("\n").join("\n" + pad));
});
