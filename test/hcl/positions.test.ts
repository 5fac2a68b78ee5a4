// Exact source positions: line, column (UTF-16 units), offset (UTF-16 index) and byte (UTF-8)
// of attributes, blocks, labels and nested expressions; CRLF files, a UTF-8 BOM, non-ASCII
// text and tabs. Besides the hand-counted cases, `checkPositions` recomputes every position in
// a tree from its offset and checks that children lie inside their parents.

import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseHcl } from "../../src/hcl/parser.js";
import type {
  Attribute,
  Block,
  ConditionalExpr,
  Expression,
  File,
  FunctionCallExpr,
  GetAttrExpr,
  IndexExpr,
  ObjectExpr,
  Pos,
  Range,
  TemplateExpr,
  TupleExpr,
  UnaryExpr,
} from "../../src/hcl/ast.js";
import { corpusDir, corpusMissingReason, listFiles } from "../helpers/shared.js";

// ---------------------------------------------------------------------------------------------
// an independent position model

/** For every offset 0..n of `src`: the Pos a correct parser must report there. */
function positionTable(src: string): Pos[] {
  const table: Pos[] = new Array(src.length + 1);
  let line = 1;
  let column = 1;
  let byte = 0;
  let i = 0;
  if (src.charCodeAt(0) === 0xfeff) {
    table[0] = { offset: 0, byte: 0, line: 1, column: 1 };
    byte = 3; // the BOM counts in offset and byte, not in columns
    i = 1;
  }
  while (i <= src.length) {
    table[i] = { offset: i, byte, line, column };
    if (i === src.length) break;
    const c = src.charCodeAt(i);
    if (c === 10) {
      line++;
      column = 1;
      byte += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < src.length && (src.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // an astral character: 2 columns, 4 bytes; an offset between the halves is not a position
      table[i + 1] = { offset: i + 1, byte: -1, line: -1, column: -1 };
      column += 2;
      byte += 4;
      i += 2;
      continue;
    } else {
      column += 1;
      byte += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    i++;
  }
  return table;
}

function isRange(v: unknown): v is Range {
  if (typeof v !== "object" || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.start === "object" && r.start !== null && typeof (r.start as Pos).offset === "number" && typeof r.end === "object";
}

/**
 * Every Range in the file's tree, comments and diagnostics agrees with the position table, has
 * start <= end, and (in the tree) lies inside the range of the node that holds it. Iterative:
 * trees may be deep.
 */
function checkPositions(file: File, label = file.fileName): void {
  const src = file.source;
  const table = positionTable(src);
  const problems: string[] = [];
  const checkPos = (p: Pos, where: string): void => {
    const want = table[p.offset];
    if (!want || want.line === -1 || want.line !== p.line || want.column !== p.column || want.byte !== p.byte) {
      problems.push(`${where}: got ${JSON.stringify(p)}, want ${JSON.stringify(want ?? "offset out of range")}`);
    }
  };
  const checkRange = (r: Range, where: string, outer: Range | null): void => {
    checkPos(r.start, `${where}.start`);
    checkPos(r.end, `${where}.end`);
    if (r.end.offset < r.start.offset) problems.push(`${where}: end before start`);
    if (outer && (r.start.offset < outer.start.offset || r.end.offset > outer.end.offset)) {
      problems.push(
        `${where}: [${r.start.offset}, ${r.end.offset}) ${JSON.stringify(src.slice(r.start.offset, r.end.offset))} outside its parent [${outer.start.offset}, ${outer.end.offset})`,
      );
    }
  };
  for (const [i, c] of file.comments.entries()) checkRange(c.range, `comments[${i}]`, null);
  for (const [i, d] of file.diagnostics.entries()) checkRange(d.range, `diagnostics[${i}]`, null);

  const seen = new Set<object>();
  const stack: [unknown, string, Range | null][] = [[file.body, "body", null]];
  while (stack.length > 0 && problems.length < 20) {
    const [v, path, outer] = stack.pop()!;
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, `${path}[${i}]`, outer]));
      continue;
    }
    const node = v as Record<string, unknown>;
    let own = outer;
    if (isRange(node.range)) {
      checkRange(node.range, `${path}<${String(node.type ?? "")}>`, outer);
      own = node.range;
    }
    for (const [k, x] of Object.entries(node)) {
      if (k === "range") continue;
      if (isRange(x)) checkRange(x, `${path}.${k}`, own);
      else if (typeof x === "object" && x !== null) stack.push([x, `${path}.${k}`, own]);
    }
  }
  expect(problems, `${label}: position problems`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// helpers

function parse(src: string): File {
  const file = parseHcl(src, "pos.tf");
  checkPositions(file);
  return file;
}

function parseOk(src: string): File {
  const file = parse(src);
  expect(file.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return file;
}

/** A position written out by hand: [line, column, offset, byte]. */
type P = [number, number, number, number];

function pos([line, column, offset, byte]: P): Pos {
  return { line, column, offset, byte };
}

function expectRange(r: Range, start: P, end: P): void {
  expect({ start: r.start, end: r.end }).toEqual({ start: pos(start), end: pos(end) });
}

function attr(body: { attributes: Attribute[] }, name: string): Attribute {
  const a = body.attributes.find((x) => x.name === name);
  if (!a) throw new Error(`no attribute ${name}`);
  return a;
}

function allTemplateText(file: File): string[] {
  const out: string[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [file.body];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    const node = v as Record<string, unknown>;
    if (node.type === "TemplateLiteral" && typeof node.value === "string") out.push(node.value);
    if (typeof node.value === "string" && typeof node.quoted === "boolean") out.push(node.value);
    for (const x of Object.values(node)) if (typeof x === "object" && x !== null) stack.push(x);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

describe("ASCII positions", () => {
  const src = [
    'resource "aws_s3_bucket" "b" {',
    '  bucket = "my-bucket"',
    "  tags = {",
    "    Name = var.name",
    "  }",
    "}",
    "",
  ].join("\n");

  it("gives a block its type, label, brace and whole ranges", () => {
    const b = parseOk(src).body.blocks[0];
    expectRange(b.typeRange, [1, 1, 0, 0], [1, 9, 8, 8]);
    expectRange(b.labels[0].range, [1, 10, 9, 9], [1, 25, 24, 24]);
    expectRange(b.labels[1].range, [1, 26, 25, 25], [1, 29, 28, 28]);
    expectRange(b.openBraceRange, [1, 30, 29, 29], [1, 31, 30, 30]);
    expectRange(b.closeBraceRange, [6, 1, 89, 89], [6, 2, 90, 90]);
    expectRange(b.range, [1, 1, 0, 0], [6, 2, 90, 90]);
  });

  it("gives attributes their name and whole ranges, multi-line values included", () => {
    const b = parseOk(src).body.blocks[0];
    const bucket = attr(b.body, "bucket");
    expectRange(bucket.nameRange, [2, 3, 33, 33], [2, 9, 39, 39]);
    expectRange(bucket.expr.range, [2, 12, 42, 42], [2, 23, 53, 53]);
    expectRange(bucket.range, [2, 3, 33, 33], [2, 23, 53, 53]);
    const tags = attr(b.body, "tags");
    expectRange(tags.nameRange, [3, 3, 56, 56], [3, 7, 60, 60]);
    expectRange(tags.expr.range, [3, 10, 63, 63], [5, 4, 88, 88]);
    expectRange(tags.range, [3, 3, 56, 56], [5, 4, 88, 88]);
  });

  it("gives object items, keys and traversals their ranges", () => {
    const tags = attr(parseOk(src).body.blocks[0].body, "tags").expr as ObjectExpr;
    const item = tags.items[0];
    expectRange(item.range, [4, 5, 69, 69], [4, 20, 84, 84]);
    expectRange(item.key.range, [4, 5, 69, 69], [4, 9, 73, 73]);
    const v = item.value as GetAttrExpr;
    expect(v.type).toBe("GetAttr");
    expectRange(v.range, [4, 12, 76, 76], [4, 20, 84, 84]);
    expectRange(v.nameRange, [4, 16, 80, 80], [4, 20, 84, 84]);
    expectRange(v.object.range, [4, 12, 76, 76], [4, 15, 79, 79]);
  });

  it("gives nested expressions exact ranges", () => {
    //                  0         1         2         3         4
    //                  0123456789012345678901234567890123456789012
    const line = 'x = foo(a.b[0], [1, -y]) ? "s${c}t" : null\n';
    const e = parseOk(line).body.attributes[0].expr as ConditionalExpr;
    const r = (a: number, b: number): [P, P] => [
      [1, a + 1, a, a],
      [1, b + 1, b, b],
    ];
    expect(e.type).toBe("Conditional");
    expectRange(e.range, ...r(4, 42));
    const call = e.condition as FunctionCallExpr;
    expectRange(call.range, ...r(4, 24));
    expectRange(call.nameRange, ...r(4, 7));
    const idx = call.args[0] as IndexExpr;
    expectRange(idx.range, ...r(8, 14));
    expectRange(idx.object.range, ...r(8, 11));
    expectRange((idx.object as GetAttrExpr).nameRange, ...r(10, 11));
    expectRange(idx.key.range, ...r(12, 13));
    const tuple = call.args[1] as TupleExpr;
    expectRange(tuple.range, ...r(16, 23));
    expectRange(tuple.items[0].range, ...r(17, 18));
    const neg = tuple.items[1] as UnaryExpr;
    expect(neg.type).toBe("Unary");
    expectRange(neg.range, ...r(20, 22));
    expectRange(neg.operand.range, ...r(21, 22));
    const tpl = e.then as TemplateExpr;
    expectRange(tpl.range, ...r(27, 35));
    expect(tpl.parts.map((p) => p.type)).toEqual(["TemplateLiteral", "TemplateInterpolation", "TemplateLiteral"]);
    expectRange(tpl.parts[0].range, ...r(28, 29));
    expectRange(tpl.parts[1].range, ...r(29, 33));
    if (tpl.parts[1].type === "TemplateInterpolation") expectRange(tpl.parts[1].expr.range, ...r(31, 32));
    expectRange(tpl.parts[2].range, ...r(33, 34));
    expectRange(e.else.range, ...r(38, 42));
  });

  it("gives binary operations the range from the left operand to the right one", () => {
    const e = parseOk("x = (a + b) * -c\n").body.attributes[0].expr;
    expect(e.type).toBe("Binary");
    expectRange(e.range, [1, 5, 4, 4], [1, 17, 16, 16]);
    if (e.type === "Binary") {
      expect(e.left.type).toBe("Parens");
      expectRange(e.left.range, [1, 5, 4, 4], [1, 12, 11, 11]);
    }
  });

  it("starts a heredoc at `<<` and ends it at its closing marker", () => {
    const src2 = "x = <<EOF\nhi\nEOF\ny = 1\n";
    const file = parseOk(src2);
    const e = file.body.attributes[0].expr;
    expect(e.range.start).toEqual(pos([1, 5, 4, 4]));
    // the closing marker is "EOF" on line 3 (offsets 13..16); the range may take its newline
    expect([16, 17]).toContain(e.range.end.offset);
    expect(attr(file.body, "y").nameRange.start).toEqual(pos([4, 1, 17, 17]));
  });

  it("puts comments at their exact places", () => {
    const file = parseOk("a = 1 # one\n  /* two\n */ b = 2\n");
    expectRange(file.comments[0].range, [1, 7, 6, 6], [1, 12, 11, 11]);
    expectRange(file.comments[1].range, [2, 3, 14, 14], [3, 4, 24, 24]);
    expect(attr(file.body, "b").nameRange.start).toEqual(pos([3, 5, 25, 25]));
  });
});

describe("CRLF line endings", () => {
  const src =
    'a = "x"\r\nb {\r\n  c = 1\r\n}\r\nd = <<EOF\r\nline1\r\n  line2\r\nEOF\r\ne = <<-EOT\r\n    one\r\n      two\r\n    EOT\r\n# comment\r\nf = [\r\n  1,\r\n  2,\r\n]\r\ng = "a\\r\\nb"\r\n';

  it("counts lines and columns right", () => {
    const file = parseOk(src);
    const a = attr(file.body, "a");
    expectRange(a.range, [1, 1, 0, 0], [1, 8, 7, 7]);
    const b = file.body.blocks[0];
    expectRange(b.typeRange, [2, 1, 9, 9], [2, 2, 10, 10]);
    expectRange(b.openBraceRange, [2, 3, 11, 11], [2, 4, 12, 12]);
    const c = attr(b.body, "c");
    expectRange(c.nameRange, [3, 3, 16, 16], [3, 4, 17, 17]);
    expectRange(c.expr.range, [3, 7, 20, 20], [3, 8, 21, 21]);
    expectRange(b.closeBraceRange, [4, 1, 23, 23], [4, 2, 24, 24]);
    expect(attr(file.body, "d").nameRange.start).toEqual(pos([5, 1, 26, 26]));
    const f = attr(file.body, "f").expr as TupleExpr;
    expect(f.items.map((i) => [i.range.start.line, i.range.start.column])).toEqual([
      [15, 3],
      [16, 3],
    ]);
    expect(f.range.end.line).toBe(17);
    expect(f.range.end.column).toBe(2);
  });

  it("keeps \\r out of string values and heredoc lines, without touching escaped \\r", () => {
    const file = parseOk(src);
    expect((attr(file.body, "a").expr as TemplateExpr).parts.map((p) => (p.type === "TemplateLiteral" ? p.value : "")).join("")).toBe("x");
    const d = attr(file.body, "d").expr as TemplateExpr;
    expect(d.parts.map((p) => (p.type === "TemplateLiteral" ? p.value : "")).join("")).toBe("line1\n  line2\n");
    const e = attr(file.body, "e").expr as TemplateExpr;
    expect(e.parts.map((p) => (p.type === "TemplateLiteral" ? p.value : "")).join("")).toBe("one\n  two\n");
    // the only \r left anywhere is the escaped one in g
    expect(allTemplateText(file).filter((t) => t.includes("\r"))).toEqual(["a\r\nb"]);
  });

  it("ends comments before the \\r\\n", () => {
    const file = parseOk(src);
    expect(file.comments.map((c) => c.text)).toEqual(["# comment"]);
    expectRange(file.comments[0].range, [13, 1, 99, 99], [13, 10, 108, 108]);
  });

  it("handles a CRLF heredoc closing marker with indentation and CRLF at end of file", () => {
    const file = parseOk("x = <<-EOT\r\n  a\r\n  EOT\r\ny = 2");
    const x = attr(file.body, "x").expr as TemplateExpr;
    expect(x.parts.map((p) => (p.type === "TemplateLiteral" ? p.value : "?")).join("")).toBe("a\n");
    expect(attr(file.body, "y").nameRange.start).toEqual(pos([4, 1, 24, 24]));
  });

  it("reports errors at the right place in CRLF files", () => {
    const file = parse("a = 1\r\nb = 1 @ 2\r\n");
    const err = file.diagnostics.find((d) => d.severity === "error");
    expect(err?.range.start).toEqual(pos([2, 7, 13, 13]));
  });
});

describe("UTF-8 byte order mark", () => {
  it("counts the BOM in offset and byte but not in columns", () => {
    const src = '\uFEFFa = 1\nb "x" {\n}\n';
    const file = parseOk(src);
    expect(file.source).toBe(src);
    const a = attr(file.body, "a");
    expectRange(a.nameRange, [1, 1, 1, 3], [1, 2, 2, 4]);
    expectRange(a.expr.range, [1, 5, 5, 7], [1, 6, 6, 8]);
    const b = file.body.blocks[0];
    expectRange(b.typeRange, [2, 1, 7, 9], [2, 2, 8, 10]);
    expectRange(b.labels[0].range, [2, 3, 9, 11], [2, 6, 12, 14]);
  });

  it("accepts a BOM before a block and before a comment", () => {
    const file = parseOk('\uFEFFresource "x" "y" {}\n');
    expectRange(file.body.blocks[0].typeRange, [1, 1, 1, 3], [1, 9, 9, 11]);
    const file2 = parseOk("\uFEFF# hi\na = 1\n");
    expect(file2.comments[0].text).toBe("# hi");
    expectRange(file2.comments[0].range, [1, 1, 1, 3], [1, 5, 5, 7]);
  });

  it("reports errors after a BOM with columns from 1", () => {
    const file = parse("\uFEFFa = 1 @ 2\n");
    const err = file.diagnostics.find((d) => d.severity === "error");
    expect(err?.range.start).toEqual(pos([1, 7, 7, 9]));
  });

  it("keeps a BOM-only file and a BOM with CRLF right", () => {
    parseOk("\uFEFF");
    const file = parseOk("\uFEFFa = 1\r\nb = 2\r\n");
    expect(attr(file.body, "b").nameRange.start).toEqual(pos([2, 1, 8, 10]));
  });
});

describe("non-ASCII text", () => {
  it("counts UTF-16 units in columns and UTF-8 bytes in byte (é: 1 column, 2 bytes; 😀: 2 columns, 4 bytes)", () => {
    const src = 'a = ["é", "😀", b]\nc = 1\n';
    const file = parseOk(src);
    const t = attr(file.body, "a").expr as TupleExpr;
    expectRange(t.items[0].range, [1, 6, 5, 5], [1, 9, 8, 9]);
    expectRange(t.items[1].range, [1, 11, 10, 11], [1, 15, 14, 17]);
    expectRange(t.items[2].range, [1, 17, 16, 19], [1, 18, 17, 20]);
    expectRange(attr(file.body, "c").nameRange, [2, 1, 19, 22], [2, 2, 20, 23]);
  });

  it("positions labels and identifiers that are not ASCII", () => {
    const src = 'resource "ü" "名前" {\n  naïve = "x"\n}\n';
    const file = parseOk(src);
    const b = file.body.blocks[0];
    expectRange(b.labels[0].range, [1, 10, 9, 9], [1, 13, 12, 13]);
    expectRange(b.labels[1].range, [1, 14, 13, 14], [1, 18, 17, 22]);
    const n = attr(b.body, "naïve");
    expectRange(n.nameRange, [2, 3, 22, 27], [2, 8, 27, 33]);
    expectRange(n.expr.range, [2, 11, 30, 36], [2, 14, 33, 39]);
  });

  it("counts an astral character inside a comment before a node", () => {
    const file = parseOk("/* 😀 */ a = 1\n");
    expectRange(attr(file.body, "a").nameRange, [1, 10, 9, 11], [1, 11, 10, 12]);
    expectRange(file.comments[0].range, [1, 1, 0, 0], [1, 9, 8, 10]);
  });

  it("places an error after non-ASCII text", () => {
    const file = parse('a = "é😀" @\n');
    const err = file.diagnostics.find((d) => d.severity === "error");
    expect(err?.range.start).toEqual(pos([1, 11, 10, 13]));
  });

  it("positions heredoc content after multi-byte lines", () => {
    const src = "x = <<EOF\nüüü ${y}\nEOF\n";
    const e = parseOk(src).body.attributes[0].expr as TemplateExpr;
    const interp = e.parts.find((p) => p.type === "TemplateInterpolation")!;
    expectRange(interp.range, [2, 5, 14, 17], [2, 9, 18, 21]);
  });
});

describe("tabs", () => {
  it("counts a tab as one column", () => {
    const src = '\tname\t=\t"v"\nblk {\n\t\tinner = 1\n}\n';
    const file = parseOk(src);
    const n = attr(file.body, "name");
    expectRange(n.nameRange, [1, 2, 1, 1], [1, 6, 5, 5]);
    expectRange(n.expr.range, [1, 9, 8, 8], [1, 12, 11, 11]);
    const inner = attr(file.body.blocks[0].body, "inner");
    expectRange(inner.nameRange, [3, 3, 20, 20], [3, 8, 25, 25]);
  });

  it("positions an error after tabs", () => {
    const file = parse("\ta\t=\t1\t@\n");
    const err = file.diagnostics.find((d) => d.severity === "error");
    expect(err?.range.start).toEqual(pos([1, 8, 7, 7]));
  });
});

describe("every position agrees with the source", () => {
  const samples: [string, string][] = [
    ["templates", 'x = "a${b}c%{if d}e%{else}f%{endif}%{for k, v in g}${k}%{endfor}"\ny = "${~ z ~}"\n'],
    ["heredocs", "x = <<-EOT\n    a ${b}\n      c\n    %{ for v in d ~}\n    ${v}\n    %{ endfor ~}\n  EOT\ny = <<EOF\nEOF\n"],
    ["splats", "x = a.*.b.c\ny = a[*].b[0].c\nz = a.*.b[0]\nw = a[*]\n"],
    ["for", "x = {for k, v in m : k => v... if v}\ny = [for v in xs : v]\n"],
    ["calls", "x = provider::aws::arn_parse(a)\ny = f(a, b...)\nz = f()\n"],
    ["unicode", '\uFEFF# 😀\nx = "é${"😀"}ü"\r\nblock "名" {\r\n\ty = [ "a" , 😀 ]\r\n}\r\n'],
    ["errors", 'a = [1, 2\nb = "\\q"\nc = {\nd = 1, e = 2\n}\n}\n)\n"\n'],
    // ASCII texts read byte offsets from one shared table (grown to the longest), past 256 K characters from the index.
    ["long ASCII", 'x = "a${b}"\n'.repeat(3000) + 'y = "z"\n'],
    ["ASCII past the shared offsets", "# " + "a".repeat(300_000) + '\ny = "${z}"\n'],
    ["non-ASCII after long ASCII", 'x = "é"\n'.repeat(1000) + 'y = "z"\n'],
  ];
  for (const [name, src] of samples) {
    it(name, () => {
      checkPositions(parseHcl(src, `${name}.tf`));
    });
  }

  it.skipIf(corpusDir === null)(`holds for every .tf file of the shared corpus${corpusMissingReason ? ` (skipped: ${corpusMissingReason})` : ""}`, () => {
    const files = listFiles(corpusDir!, ".tf");
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const file = parseHcl(readFileSync(f, "utf8"), f);
      checkPositions(file, f);
    }
  });
});
