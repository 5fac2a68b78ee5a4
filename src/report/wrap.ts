// Word wrapping for the text format: greedy, on spaces, exactly as wrap-ansi wraps with
// `{ hard: false, trim: true, wordWrap: true }` (a word longer than the width is not cut; spaces
// at the start and end of a row dropped; the text NFC-normalised first). Written here rather
// than taken from wrap-ansi because loading it (string-width builds an Intl.Segmenter and
// Unicode-property regexes when loaded) costs 40–50 ms, and its first non-ASCII text 25–30 ms:
// a third of a small scan. The text format's texts hold no ANSI codes, tabs or line breaks
// (escape.ts made them visible before), which is all wrap-ansi does beyond this.
// test/report/wrap.test.ts checks this against wrap-ansi.
//
// Widths as string-width counts them: 0 for marks, format and other invisible characters, 2 for
// East Asian wide and fullwidth characters (get-east-asian-width, the table string-width uses;
// emoji are among them), 1 otherwise. Per code point, not per grapheme cluster: an emoji ZWJ
// sequence counts wider than a terminal shows it, which only moves a line break.

import { eastAsianWidth } from "get-east-asian-width";

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const INVISIBLE = /^[\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Nonspacing_Mark}\p{Enclosing_Mark}\p{Surrogate}]$/u;

/** Columns a string takes on a terminal. */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code < 0x7f) width += 1;
    else if (!INVISIBLE.test(ch)) width += eastAsianWidth(code);
  }
  return width;
}

/**
 * `text` (one line, no control characters) wrapped on spaces to `columns`: the rows. A word
 * wider than `columns` takes a row of its own, uncut.
 */
export function wrapOnSpaces(text: string, columns: number): string[] {
  const normalized = text.normalize();
  if (normalized.trim() === "") return [""];
  const rows: string[] = [""];
  let width = 0;
  let first = true;
  for (const word of normalized.split(" ")) {
    const wordWidth = displayWidth(word);
    if (first) first = false;
    else if (width > 0) {
      rows[rows.length - 1] += " ";
      width++;
    }
    if (width + wordWidth > columns && width > 0 && wordWidth > 0) {
      rows.push("");
      width = 0;
    }
    rows[rows.length - 1] += word;
    width += wordWidth;
  }
  return rows.map((row) => row.replace(/ +$/, ""));
}
