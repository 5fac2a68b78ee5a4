// The text format's word wrapping (src/report/wrap.ts) against wrap-ansi, the library it stands
// in for at start-up: the same rows for any one-line text without control characters.

import fc from "fast-check";
import wrapAnsi from "wrap-ansi";
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { displayWidth, wrapOnSpaces } from "../../src/report/wrap.js";

const OPTIONS = { hard: false, trim: true, wordWrap: true } as const;
const oracle = (text: string, columns: number) => wrapAnsi(text, columns, OPTIONS).split("\n");

// Pieces of words: ASCII, Latin with precomposed and combining accents, typographic punctuation
// the rules' messages use, CJK and fullwidth (2 columns), an emoji, invisible characters.
const PIECES = ["a", "secret", "`SymEnv`", "arn:aws:secretsmanager:us-east-1:123456789012:secret:*", "é", "e\u0301", "—", "…", "→", "“x”", "漢字", "Ａ", "😀", "\u200b", "\u00ad", "ñ", "(main.tf:63)"];
const word = fc.array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 4 }).map((p) => p.join(""));
const text = fc.array(fc.tuple(word, fc.constantFrom(" ", " ", " ", "  ", "   ")), { maxLength: 40 }).map((parts) => parts.map(([w, s]) => w + s).join(""));

describe("wrapOnSpaces", () => {
  it("gives wrap-ansi's rows for any text of words, spaces and wide or invisible characters", () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 100 }), (t, columns) => {
        expect(wrapOnSpaces(t, columns)).toEqual(oracle(t, columns));
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps a word wider than the width whole, on a row of its own", () => {
    const arn = "arn:aws:secretsmanager:us-east-1:${data.aws_caller_identity.current.account_id}:secret:*";
    expect(wrapOnSpaces(`the resource ${arn} is read`, 40)).toEqual(["the resource", arn, "is read"]);
    expect(wrapOnSpaces(`the resource ${arn} is read`, 40)).toEqual(oracle(`the resource ${arn} is read`, 40));
  });

  it("counts wide characters as two columns and marks as none", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("漢字")).toBe(4);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(displayWidth("a\u200bb")).toBe(2);
    for (const piece of PIECES) expect(displayWidth(piece), piece).toBe(stringWidth(piece));
    expect(wrapOnSpaces("漢字 漢字 漢字", 9)).toEqual(["漢字 漢字", "漢字"]);
  });

  it("an empty or blank text is one empty row", () => {
    expect(wrapOnSpaces("", 80)).toEqual([""]);
    expect(wrapOnSpaces("   ", 80)).toEqual([""]);
  });
});
