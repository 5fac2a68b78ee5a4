// Text as Go sees it: grapheme counting, code point order, case mapping, Unicode spaces.



let segmenter: Intl.Segmenter | undefined;

/** The user-perceived characters (grapheme clusters) of s, as Terraform counts them. */
export function graphemes(s: string): string[] {
  if (/^[\x00-\x7f]*$/.test(s) && !s.includes("\r\n")) return s.split("");
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

/** Go's string order (bytes of UTF-8), i.e. code point order. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Go's simple per-rune case mapping: a character without a one-character mapping stays. */
export function caseMap(s: string, upper: boolean): string {
  if (/^[\x00-\x7f]*$/.test(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = "";
  for (const ch of s) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += m.length === ch.length || [...m].length === 1 ? m : ch;
  }
  return out;
}

/** Go's strings.Title notion of a word separator. */
export function isTitleSeparator(ch: string): boolean {
  const c = ch.codePointAt(0) as number;
  if (c <= 0x7f) return !/[0-9A-Za-z_]/.test(ch);
  if (/[\p{L}\p{Nd}]/u.test(ch)) return false;
  return /[\s\u0085]/u.test(ch) && ch !== "\ufeff";
}

/** Go's unicode.IsSpace. */
const SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
export const LEADING_SPACE = new RegExp(`^[${SPACE}]+`);
export const TRAILING_SPACE = new RegExp(`[${SPACE}]+$`);

export function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}
