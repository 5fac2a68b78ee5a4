// Invalid HCL: every case must produce at least one error diagnostic with a sane position and a
// readable message, and must never throw. Rejection of each case was checked against
// HashiCorp's parser (npm `hcl2-parser`); expected positions follow hashicorp/hcl's specsuite
// where it has one.

import { describe, expect, it } from "vitest";
import { parseHcl } from "../../src/hcl/parser.js";
import type { Diagnostic, File } from "../../src/hcl/ast.js";

const FILE = "bad.tf";

function parse(src: string): File {
  let file: File | undefined;
  expect(() => {
    file = parseHcl(src, FILE);
  }, `parseHcl threw on ${JSON.stringify(src)}`).not.toThrow();
  return file!;
}

function checkDiagnostic(src: string, d: Diagnostic): void {
  const where = `${JSON.stringify(src)}: ${JSON.stringify(d)}`;
  expect(["error", "warning"], where).toContain(d.severity);
  expect(d.file, where).toBe(FILE);
  expect(typeof d.message, where).toBe("string");
  expect(d.message.trim().length, where).toBeGreaterThanOrEqual(10);
  expect(d.message, where).not.toMatch(/undefined|\[object|NaN|\bnull\b.*\bnull\b|Tok\.|\bTok\b/);
  expect(d.message, where).not.toContain("\n");
  const { start, end } = d.range;
  for (const p of [start, end]) {
    expect(p.line, where).toBeGreaterThanOrEqual(1);
    expect(p.column, where).toBeGreaterThanOrEqual(1);
    expect(p.offset, where).toBeGreaterThanOrEqual(0);
    expect(p.offset, where).toBeLessThanOrEqual(src.length);
    expect(p.byte, where).toBeGreaterThanOrEqual(p.offset);
  }
  expect(end.offset, where).toBeGreaterThanOrEqual(start.offset);
}

/** Parses, checks every diagnostic, and returns the errors (at least one). */
function errors(src: string): Diagnostic[] {
  const file = parse(src);
  for (const d of file.diagnostics) checkDiagnostic(src, d);
  const errs = file.diagnostics.filter((d) => d.severity === "error");
  expect(errs.length, `expected an error for ${JSON.stringify(src)}`).toBeGreaterThan(0);
  return errs;
}

/** The first error, asserted to start at line:column. */
function errorAt(src: string, line: number, column: number): Diagnostic {
  const errs = errors(src);
  const starts = errs.map((d) => `${d.range.start.line}:${d.range.start.column}`);
  expect(starts, `error positions for ${JSON.stringify(src)}; messages: ${errs.map((d) => d.message).join(" | ")}`).toContain(
    `${line}:${column}`,
  );
  return errs.find((d) => d.range.start.line === line && d.range.start.column === column)!;
}

/** Some error starts on this line. */
function errorOnLine(src: string, line: number): Diagnostic {
  const errs = errors(src);
  const found = errs.find((d) => d.range.start.line === line);
  expect(found, `no error on line ${line} for ${JSON.stringify(src)}; got ${errs.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`).join(" | ")}`).toBeDefined();
  return found!;
}

describe("structural errors", () => {
  it("missing `=` after an attribute name", () => {
    const d = errorOnLine("a 1\n", 1);
    expect(d.range.start.column).toBeGreaterThanOrEqual(1);
    errorOnLine('resource "x" "y" {\n  ami "abc"\n}\n', 2);
    errorOnLine("locals {\n  name\n}\n", 2);
  });

  it("a missing expression after `=`", () => {
    errorOnLine("a =\nb = 1\n", 1);
    errorOnLine("a = \n", 1);
    errorOnLine("a =", 1);
  });

  it("an attribute or block without a name", () => {
    errorOnLine("= 1\n", 1);
    errorOnLine('"a" = 1\n', 1);
    errorOnLine("a.b = 1\n", 1);
    errorOnLine("{ a = 1 }\n", 1);
  });

  it("an unclosed block: reported at its opening brace or at the end of the file", () => {
    // specsuite structure/blocks/single_unclosed: at the `{`, 1:3
    const errs = errors("a {\n");
    const ok = errs.some(
      (d) => (d.range.start.line === 1 && d.range.start.column === 3) || d.range.end.offset === 4 || d.range.start.line === 2,
    );
    expect(ok, errs.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`).join(" | ")).toBe(true);
    errors('resource "a" "b" {\n  x = 1\n  nested {\n    y = 2\n  }\n');
  });

  it("a stray closing brace", () => {
    errorAt("a = 1\n}\n", 2, 1);
  });

  it("an attribute set twice in one body, at the second definition", () => {
    errorAt("a = 1\na = 2\n", 2, 1);
    errorAt("b {\n  x = 1\n  y = 2\n  x = 3\n}\n", 4, 3);
    // specsuite: the second must be reported, the first kept
    const file = parse("a = 1\na = 2\n");
    expect(file.body.attributes[0].expr.type).toBe("Literal");
  });

  it("two attributes on one line with a comma, reported at the comma", () => {
    // specsuite structure/attributes/singleline_bad: the comma, 1:14
    errorAt('a = "a value", b = "b value"\n', 1, 14);
    errorAt("a = 1, b = 2\n", 1, 6);
  });

  it("two attributes on one line without a separator", () => {
    errorOnLine("a = 1 b = 2\n", 1);
  });

  it("a one-line block with two attributes, a nested block, or its brace on the next line", () => {
    errorAt('a { b = "foo", c = "bar" }\n', 1, 14);
    // specsuite structure/blocks/single_oneline_invalid: from 1:14 (the newline) to 2:1
    const d = errorAt('a { b = "foo"\n}\n', 1, 14);
    expect(d.range.end).toMatchObject({ line: 2, column: 1, offset: 14, byte: 14 });
    expect(d.message).toMatch(/same line/);
    errorOnLine('a { b = "foo"\n  c = "bar" }\n', 1);
    errorOnLine("a { d {} }\n", 1);
  });

  it("template interpolation in a block label", () => {
    errorOnLine('resource "aws_${var.kind}" "x" {\n}\n', 1);
    errorOnLine('a "%{if x}y%{endif}" {}\n', 1);
  });

  it("a label that is neither a string nor an identifier", () => {
    errorOnLine("a 1 {}\n", 1);
    errorOnLine("a [x] {}\n", 1);
  });
});

describe("lexical errors", () => {
  it("an invalid character, reported where it is", () => {
    errorAt("a = 1 @ 2\n", 1, 7);
    errorAt("a = ^\n", 1, 5);
    errorAt("§ = 1\n", 1, 1);
    errorAt("a = 1\u0001\n", 1, 6);
    errorAt("a = `x`\n", 1, 5);
    errorOnLine("a = 'x'\n", 1);
    errorOnLine("a = 1 & 2\n", 1);
    errorOnLine("a = 1 | 2\n", 1);
  });

  it("an unclosed quoted string", () => {
    errorOnLine('a = "abc\nb = 1\n', 1);
    errorOnLine('a = "abc', 1);
    errorOnLine('a = "abc\\"', 1);
  });

  it("a newline inside a quoted string", () => {
    errorOnLine('a = "abc\ndef"\n', 1);
    errorOnLine('a = "x ${y}\n z"\n', 1);
  });

  it("an unterminated heredoc", () => {
    errors("a = <<EOF\nhello\n");
    errors("a = <<EOF\nhello\nEOFX\n");
    errors("a = <<-EOF\n  hello\n");
    errors("a = <<EOF");
  });

  it("bad escapes, reported at the escape", () => {
    const cases: [string, number][] = [
      ['a = "x\\q"\n', 6],
      ['a = "x\\$"\n', 6],
      ['a = "x\\x41"\n', 6],
      ['a = "x\\u00e"\n', 6],
      ['a = "x\\U0001F6"\n', 6],
      ['a = "x\\uZZZZ"\n', 6],
      ['a = "x\\\'"\n', 6],
    ];
    for (const [src, backslash] of cases) {
      const errs = errors(src);
      const covers = errs.some((d) => d.range.start.offset <= backslash && d.range.end.offset > backslash);
      expect(covers, `${JSON.stringify(src)}: ${errs.map((d) => `${d.range.start.offset}-${d.range.end.offset} ${d.message}`).join(" | ")}`).toBe(true);
    }
  });

  it("malformed numbers", () => {
    errorOnLine("a = 1.\n", 1);
    errorOnLine("a = .5\n", 1);
    errorOnLine("a = 1e\n", 1);
  });

  it("an unclosed block comment", () => {
    errors("a = 1\n/* never closed\nb = 2\n");
  });
});

describe("expression errors", () => {
  it("unbalanced brackets", () => {
    errors("a = [1, 2\n");
    errors("a = [1, 2))\n");
    errors("a = (1\n");
    errors("a = {b = 1\n");
    errors("a = [1, 2}\n");
    errors("a = f(1, 2\n");
    errors("a = 1]\n");
    errors("a = (1))\n");
    errors("a = x[0\n");
    errors('a = "${x"\n');
    errors("a = [for v in xs : v\n");
  });

  it("missing separators in collections", () => {
    errorOnLine("a = [1 2]\n", 1);
    errorOnLine("a = {a = 1 b = 2}\n", 1);
    errorOnLine("a = f(1 2)\n", 1);
  });

  it("an operator without an operand", () => {
    errorOnLine("a = 1 +\n", 1);
    errorOnLine("a = * 2\n", 1);
    errorOnLine("a = !\n", 1);
    errorOnLine("a = b ? c\n", 1);
    errorOnLine("a = b ? : c\n", 1);
    // a conditional may not span lines outside brackets
    errors("a = a ?\n b : c\n");
  });

  it("traversal errors", () => {
    errorOnLine("a = b.\n", 1);
    errorOnLine("a = b.[0]\n", 1);
    errorOnLine("a = b[]\n", 1);
  });

  it("for-expression ambiguities and mistakes", () => {
    errorOnLine("a = [for, x]\n", 1);
    errorOnLine("a = {for = 1}\n", 1);
    errorOnLine("a = [for v in xs]\n", 1);
    errorOnLine("a = [for v xs : v]\n", 1);
    errorOnLine("a = {for k, v in m : k}\n", 1);
    errorOnLine("a = [for k, v in m : k => v]\n", 1);
    errorOnLine("a = [for v in xs : v...]\n", 1);
  });

  it("misplaced ... in calls", () => {
    errorOnLine("a = f(x..., y)\n", 1);
    errorOnLine("a = f(x...,)\n", 1);
  });
});

describe("template errors", () => {
  it("%{endif}, %{else}, %{endfor} without an opening directive", () => {
    errorOnLine('a = "%{endif}"\n', 1);
    errorOnLine('a = "x%{else}y"\n', 1);
    errorOnLine('a = "%{endfor}"\n', 1);
    errorOnLine("a = <<EOF\n%{endif}\nEOF\n", 2);
  });

  it("unclosed and mismatched directives", () => {
    errorOnLine('a = "%{if x}yes"\n', 1);
    errorOnLine('a = "%{for v in xs}${v}"\n', 1);
    errorOnLine('a = "%{if x}a%{endfor}"\n', 1);
    errorOnLine('a = "%{if x}a%{else}b%{else}c%{endif}"\n', 1);
    errorOnLine('a = "%{ while x }"\n', 1);
    errorOnLine('a = "%{for v xs}${v}%{endfor}"\n', 1);
  });

  it("an empty or unclosed interpolation", () => {
    errorOnLine('a = "${}"\n', 1);
    errorOnLine('a = "${x"\n', 1);
  });
});

describe("recovery", () => {
  function later(file: File): string[] {
    return file.body.blocks.map((b) => [b.blockType, ...b.labels.map((l) => l.value)].join(" "));
  }

  const tail = '\nresource "b" "two" {\n  z = 2\n}\n\nlocals {\n  w = 3\n}\n';

  const brokenFirstBlocks: [string, string][] = [
    ["a missing expression", 'resource "a" "one" {\n  x =\n  y = 1\n}\n'],
    ["a missing `=`", 'resource "a" "one" {\n  x 1\n  y = 1\n}\n'],
    ["an invalid character", 'resource "a" "one" {\n  x = 1 @ 2\n  y = 1\n}\n'],
    ["a bad escape", 'resource "a" "one" {\n  x = "\\q"\n  y = 1\n}\n'],
    ["an unclosed string", 'resource "a" "one" {\n  x = "abc\n  y = 1\n}\n'],
    ["a duplicate attribute", 'resource "a" "one" {\n  y = 1\n  y = 2\n}\n'],
    ["a comma between attributes", 'resource "a" "one" {\n  x = 1, y = 1\n}\n'],
    ["a dangling operator", 'resource "a" "one" {\n  x = 1 +\n  y = 1\n}\n'],
    ["an unclosed call", 'resource "a" "one" {\n  x = f(1, 2\n  y = 1\n}\n'],
    ["a broken interpolation", 'resource "a" "one" {\n  x = "${a b}"\n  y = 1\n}\n'],
    ["an endif without if", 'resource "a" "one" {\n  x = "%{endif}"\n  y = 1\n}\n'],
    ["an interpolated label", 'resource "a${x}" "one" {\n  y = 1\n}\n'],
    ["a garbage line", 'this is not valid\nresource "a" "one" {\n  y = 1\n}\n'],
    ["a stray closing brace", '}\nresource "a" "one" {\n  y = 1\n}\n'],
  ];

  for (const [what, first] of brokenFirstBlocks) {
    it(`keeps the later blocks after ${what}`, () => {
      const src = first + tail;
      errors(src);
      const file = parse(src);
      const names = later(file);
      expect(names, `blocks after ${what}`).toContain("resource b two");
      expect(names).toContain("locals");
      const two = file.body.blocks.find((b) => b.labels[0]?.value === "b")!;
      expect(two.body.attributes.map((a) => a.name)).toEqual(["z"]);
      const locals = file.body.blocks.find((b) => b.blockType === "locals")!;
      expect(locals.body.attributes.map((a) => a.name)).toEqual(["w"]);
    });
  }

  it("keeps the following attributes in the broken block when the error is on one line", () => {
    const file = parse('resource "a" "one" {\n  x = 1 @ 2\n  y = 1\n  z = "\\q"\n  w = 2\n}\n');
    const one = file.body.blocks[0];
    expect(one.body.attributes.map((a) => a.name)).toEqual(expect.arrayContaining(["y", "w"]));
  });

  it("keeps later top-level attributes after a broken one", () => {
    const file = parse("a = 1 +\nb = 2\nc = [1 2]\nd = 3\n");
    const names = file.body.attributes.map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(["b", "d"]));
  });

  it("reports several independent errors in one file", () => {
    const errs = errors('a = 1 @ 2\nb = "\\q"\nc =\nd = 1, e = 2\n');
    const lines = new Set(errs.map((d) => d.range.start.line));
    for (const l of [1, 2, 3, 4]) expect(lines.has(l), `line ${l}: ${errs.map((d) => `${d.range.start.line}: ${d.message}`).join(" | ")}`).toBe(true);
  });
});

describe("never throws", () => {
  it("on truncations of a valid file at every offset", () => {
    const src = 'resource "aws_x" "y" {\n  a = "s${var.x}%{if c}t%{endif}"\n  b = [for k, v in m : k => v... if v]\n  c = <<-EOF\n    hi ${x}\n  EOF\n  d = a.*.b[*].c[0] ? f(x...) : -1\n  /* c */ e = {k = 1, "q": 2}\n}\n';
    for (let i = 0; i <= src.length; i++) {
      const cut = src.slice(0, i);
      const file = parse(cut);
      for (const d of file.diagnostics) checkDiagnostic(cut, d);
    }
  });
});
