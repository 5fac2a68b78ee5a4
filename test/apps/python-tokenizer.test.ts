// The Python tokenizer: tokens as CPython's `tokenize` makes them (names, strings with
// prefixes and escapes, f-strings, operators, logical lines, INDENT/DEDENT), and its errors
// with the offset where Python reports them.

import { describe, expect, it } from "vitest";
import { tokenize, type Token } from "../../src/sources/apps/python-tokenizer.js";

const kinds = (text: string) => tokenize(text).tokens.map((t) => (t.kind === "name" || t.kind === "op" || t.kind === "number" ? t.text : t.kind));
const strings = (text: string): Token[] => tokenize(text).tokens.filter((t) => t.kind === "string");

describe("python tokenizer", () => {
  it("logical lines: brackets and `\\` continuations join lines; blank and comment lines make no NEWLINE", () => {
    expect(kinds("a = f(1,\n  2)\n\n# c\nb = 1 + \\\n  2\n")).toEqual(["a", "=", "f", "(", "1", ",", "2", ")", "newline", "comment", "b", "=", "1", "+", "2", "newline", "end"]);
  });

  it("INDENT and DEDENT, and a bracket closed on a later line does not count as indentation", () => {
    const text = "def f():\n    x = [\n1]\n    return x\ny = 2\n";
    expect(kinds(text)).toEqual(["def", "f", "(", ")", ":", "newline", "indent", "x", "=", "[", "1", "]", "newline", "return", "x", "newline", "dedent", "y", "=", "2", "newline", "end"]);
    expect(tokenize(text).errors).toEqual([]);
  });

  it("string prefixes, quotes and escapes", () => {
    const s = strings(`a = "x\\ty" 'it\\'s' r"\\d+" b"bytes" u"\\u00e9\\x41\\101" """tri\nple""" '\\N{BULLET}'`);
    expect(s.map((t) => t.value)).toEqual(["x\ty", "it's", "\\d+", undefined, "éAA", "tri\nple", undefined]);
    expect(s[3].bytes).toBe(true);
    // The body's span excludes the prefix and the quotes.
    const text = `k = rb'abc'`;
    const t = strings(text)[0];
    expect(text.slice(t.bodyStart, t.bodyEnd)).toBe("abc");
  });

  it("f-strings: text and fields, `{{`/`}}` as braces", () => {
    const text = `g = f"arn:{{x}}:{REGION}:{ACCOUNT!r}:secret:"`;
    const t = strings(text)[0];
    expect(t.value).toBeUndefined();
    expect(t.fstring).toEqual(["arn:{x}:", { expr: "REGION", start: text.indexOf("REGION"), end: text.indexOf("REGION") + 6 }, ":", { expr: "ACCOUNT!r", start: text.indexOf("ACCOUNT"), end: text.indexOf("ACCOUNT") + 9 }, ":secret:"]);
    expect(strings(`f"no fields {{}}"`)[0].value).toBe("no fields {}");
  });

  it("errors where Python reports them, and it goes on", () => {
    const unterminated = 'x = "abc\ny = 1\n';
    const r = tokenize(unterminated);
    expect(r.errors).toEqual([{ message: "unterminated string literal", offset: 4 }]);
    expect(r.tokens.some((t) => t.kind === "name" && t.text === "y")).toBe(true);
    expect(tokenize('x = """abc\n').errors[0]).toEqual({ message: "unterminated triple-quoted string literal", offset: 4 });
    expect(tokenize("f(1, 2]\n").errors[0]).toEqual({ message: "closing parenthesis ']' does not match opening parenthesis '('", offset: 6 });
    expect(tokenize("x = 1)\n").errors[0]).toEqual({ message: "unmatched ')'", offset: 5 });
    expect(tokenize("x = (1,\n").errors[0]).toEqual({ message: "'(' was never closed", offset: 4 });
    expect(tokenize("if x:\n    a = 1\n  b = 2\n").errors[0]).toEqual({ message: "unindent does not match any outer indentation level", offset: 18 });
    expect(tokenize("x = $y\n").errors[0]).toEqual({ message: "invalid character '$' in Python source", offset: 4 });
  });

  it("CRLF line ends and a BOM", () => {
    const r = tokenize("\ufeffa = 'x'\r\nb = 2\r\n");
    expect(r.errors).toEqual([]);
    expect(r.tokens.filter((t) => t.kind === "newline").map((t) => t.text)).toEqual(["\r\n", "\r\n"]);
    expect(r.tokens[0]).toMatchObject({ kind: "name", text: "a", start: 1 });
  });

  it("never throws on arbitrary input", () => {
    for (const text of ["", "\\", "'", '"""', "f'{", "f'{'", "(((", ")))", "\t\tx\n  y\n", "0x", "1e", "...", "a.b.c(", "\u0000", "é = 'é'"]) {
      expect(() => tokenize(text)).not.toThrow();
    }
  });
});
