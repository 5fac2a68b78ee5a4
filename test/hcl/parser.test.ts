// Tree shape of valid HCL native syntax: one case (or a few) per construct of the language.
// Expected values were checked against HashiCorp's parser (npm `hcl2-parser`) and the HCL
// spec (hashicorp/hcl hclsyntax/spec.md). Expressions are compared through `show`, a compact
// printout of the tree: binary and unary operations are fully parenthesised, so precedence and
// associativity are visible at a glance.

import { describe, expect, it } from "vitest";
import { parseHcl } from "../../src/hcl/parser.js";
import { isStringLiteral, stringLiteralValue } from "../../src/hcl/ast.js";
import type {
  Attribute,
  Block,
  Expression,
  File,
  ForExpr,
  FunctionCallExpr,
  ObjectExpr,
  Range,
  SplatExpr,
  TemplateExpr,
  TemplateFor,
  TemplateIf,
  TemplateInterpolation,
  TemplatePart,
  TupleExpr,
} from "../../src/hcl/ast.js";

// ---------------------------------------------------------------------------------------------
// helpers

function errorsOf(file: File): string[] {
  return file.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => `${d.range.start.line}:${d.range.start.column}: ${d.message}`);
}

/** Parses and insists on no error diagnostics. */
function parseOk(src: string): File {
  const file = parseHcl(src, "test.tf");
  expect(errorsOf(file), `unexpected errors for ${JSON.stringify(src)}`).toEqual([]);
  return file;
}

/** The expression of `x = <src>`. */
function expr(src: string): Expression {
  const file = parseOk(`x = ${src}\n`);
  expect(file.body.attributes.map((a) => a.name)).toEqual(["x"]);
  return file.body.attributes[0].expr;
}

function attr(file: File | Block, name: string): Attribute {
  const body = "body" in file ? file.body : (file as File).body;
  const found = body.attributes.find((a) => a.name === name);
  if (!found) throw new Error(`no attribute ${name}; have ${body.attributes.map((a) => a.name).join(", ")}`);
  return found;
}

function text(src: string, r: Range): string {
  return src.slice(r.start.offset, r.end.offset);
}

/** Adjacent literal parts merged, empty ones dropped: the parser may split literals anywhere. */
function normParts(parts: TemplatePart[]): TemplatePart[] {
  const out: TemplatePart[] = [];
  for (const p of parts) {
    if (p.type === "TemplateLiteral") {
      if (p.value === "") continue;
      const last = out[out.length - 1];
      if (last && last.type === "TemplateLiteral") {
        out[out.length - 1] = { ...last, value: last.value + p.value, range: { start: last.range.start, end: p.range.end } };
        continue;
      }
    }
    out.push(p);
  }
  return out;
}

function showPart(p: TemplatePart): string {
  switch (p.type) {
    case "TemplateLiteral":
      return JSON.stringify(p.value);
    case "TemplateInterpolation":
      return `\${${p.stripLeft ? "~" : ""}${show(p.expr)}${p.stripRight ? "~" : ""}}`;
    case "TemplateIf":
      return `%{if ${show(p.condition)}}${showParts(p.then)}${p.else ? `%{else}${showParts(p.else)}` : ""}%{endif}`;
    case "TemplateFor":
      return `%{for ${p.keyVar !== null ? `${p.keyVar}, ` : ""}${p.valueVar} in ${show(p.collection)}}${showParts(p.body)}%{endfor}`;
  }
}

function showParts(t: TemplateExpr): string {
  return normParts(t.parts).map(showPart).join(" ");
}

/** A compact, fully parenthesised printout of an expression tree. */
function show(e: Expression): string {
  switch (e.type) {
    case "Literal":
      return typeof e.value === "number" ? e.raw : String(e.value);
    case "Template":
      return isStringLiteral(e) ? JSON.stringify(stringLiteralValue(e)) : `\`${showParts(e)}\``;
    case "Variable":
      return e.name;
    case "GetAttr":
      return `${show(e.object)}.${e.name}`;
    case "Index":
      return e.legacy ? `${show(e.object)}.<${show(e.key)}>` : `${show(e.object)}[${show(e.key)}]`;
    case "Splat":
      return `${show(e.object)}${e.full ? "[*]" : ".*"}{${show(e.each)}}`;
    case "SplatItem":
      return "@";
    case "FunctionCall":
      return `${e.name}(${e.args.map(show).join(", ")}${e.expandFinal ? "..." : ""})`;
    case "Tuple":
      return `[${e.items.map(show).join(", ")}]`;
    case "Object":
      return `{${e.items
        .map((i) => `${i.bareKey && i.key.type === "Variable" ? i.key.name : `(${show(i.key)})`} = ${show(i.value)}`)
        .join(", ")}}`;
    case "Unary":
      return `(${e.op}${show(e.operand)})`;
    case "Binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "Conditional":
      return `(${show(e.condition)} ? ${show(e.then)} : ${show(e.else)})`;
    case "For": {
      const intro = `for ${e.keyVar !== null ? `${e.keyVar}, ` : ""}${e.valueVar} in ${show(e.collection)}: `;
      const cond = e.condition ? ` if ${show(e.condition)}` : "";
      return e.isObject
        ? `{${intro}${show(e.keyExpr!)} => ${show(e.valueExpr)}${e.grouping ? "..." : ""}${cond}}`
        : `[${intro}${show(e.valueExpr)}${cond}]`;
    }
    case "Parens":
      return `«${show(e.expr)}»`;
    case "Invalid":
      return "⊥";
  }
}

function str(e: Expression): string {
  expect(e.type).toBe("Template");
  const t = e as TemplateExpr;
  expect(isStringLiteral(t), `not a string literal: ${show(e)}`).toBe(true);
  return stringLiteralValue(t);
}

function parts(e: Expression): TemplatePart[] {
  expect(e.type).toBe("Template");
  return normParts((e as TemplateExpr).parts);
}

// ---------------------------------------------------------------------------------------------

describe("parseHcl: the file", () => {
  it("keeps the file name and the source text", () => {
    const src = "a = 1\n";
    const file = parseHcl(src, "dir/main.tf");
    expect(file.fileName).toBe("dir/main.tf");
    expect(file.source).toBe(src);
    expect(file.diagnostics).toEqual([]);
  });

  it("parses an empty file, a blank file and a comment-only file to an empty body", () => {
    for (const src of ["", "\n\n  \n", "# only a comment\n", "/* block */"]) {
      const file = parseOk(src);
      expect(file.body.type).toBe("Body");
      expect(file.body.attributes).toEqual([]);
      expect(file.body.blocks).toEqual([]);
    }
  });

  it("accepts a last line without a newline", () => {
    const file = parseOk("a = 1");
    expect(show(attr(file, "a").expr)).toBe("1");
    const file2 = parseOk("b {}");
    expect(file2.body.blocks.map((b) => b.blockType)).toEqual(["b"]);
  });
});

describe("attributes", () => {
  it("parses name = expression, one per line", () => {
    const src = 'a = 1\nb = "two"\nfoo-bar_baz2 = true\n';
    const file = parseOk(src);
    expect(file.body.attributes.map((a) => a.type)).toEqual(["Attribute", "Attribute", "Attribute"]);
    expect(file.body.attributes.map((a) => a.name)).toEqual(["a", "b", "foo-bar_baz2"]);
    expect(show(attr(file, "a").expr)).toBe("1");
    expect(str(attr(file, "b").expr)).toBe("two");
    expect(show(attr(file, "foo-bar_baz2").expr)).toBe("true");
  });

  it("gives each attribute a name range and a range from the name to the end of the value", () => {
    const src = "  alpha   =   var.x  # c\nbeta = [1,\n  2]\n";
    const file = parseOk(src);
    const a = attr(file, "alpha");
    expect(text(src, a.nameRange)).toBe("alpha");
    expect(text(src, a.range)).toBe("alpha   =   var.x");
    expect(text(src, a.expr.range)).toBe("var.x");
    const b = attr(file, "beta");
    expect(text(src, b.range)).toBe("beta = [1,\n  2]");
  });

  it("accepts non-ASCII identifiers (UAX #31)", () => {
    const file = parseOk('naïve = "😀"\n');
    expect(str(attr(file, "naïve").expr)).toBe("😀");
  });

  it("lets a keyword-like identifier be an attribute name", () => {
    const file = parseOk("for = 1\nif = 2\nin = 3\ntrue_ = 4\nnull_value = 5\n");
    expect(file.body.attributes.map((a) => a.name)).toEqual(["for", "if", "in", "true_", "null_value"]);
  });
});

describe("blocks", () => {
  it("parses a block without labels", () => {
    const src = "locals {\n  a = 1\n  b = 2\n}\n";
    const file = parseOk(src);
    expect(file.body.blocks).toHaveLength(1);
    const b = file.body.blocks[0];
    expect(b.type).toBe("Block");
    expect(b.blockType).toBe("locals");
    expect(b.labels).toEqual([]);
    expect(b.body.type).toBe("Body");
    expect(b.body.attributes.map((a) => a.name)).toEqual(["a", "b"]);
    expect(text(src, b.typeRange)).toBe("locals");
    expect(text(src, b.openBraceRange)).toBe("{");
    expect(text(src, b.closeBraceRange)).toBe("}");
    expect(text(src, b.range)).toBe(src.trimEnd());
  });

  it("parses one and two quoted labels", () => {
    const src = 'variable "region" {\n  default = "eu-west-1"\n}\nresource "aws_instance" "web" {\n  ami = "ami-1"\n}\n';
    const file = parseOk(src);
    const [v, r] = file.body.blocks;
    expect(v.blockType).toBe("variable");
    expect(v.labels.map((l) => [l.value, l.quoted])).toEqual([["region", true]]);
    expect(text(src, v.labels[0].range)).toBe('"region"');
    expect(str(attr(v, "default").expr)).toBe("eu-west-1");
    expect(r.blockType).toBe("resource");
    expect(r.labels.map((l) => [l.value, l.quoted])).toEqual([
      ["aws_instance", true],
      ["web", true],
    ]);
    expect(text(src, r.labels[1].range)).toBe('"web"');
  });

  it("parses bare (identifier) labels and mixed labels", () => {
    const src = 'resource aws_instance web {}\na "b" c {}\n';
    const file = parseOk(src);
    expect(file.body.blocks[0].labels.map((l) => [l.value, l.quoted])).toEqual([
      ["aws_instance", false],
      ["web", false],
    ]);
    expect(text(src, file.body.blocks[0].labels[0].range)).toBe("aws_instance");
    expect(file.body.blocks[1].labels.map((l) => [l.value, l.quoted])).toEqual([
      ["b", true],
      ["c", false],
    ]);
  });

  it("decodes escapes in quoted labels", () => {
    const file = parseOk('a "x\\"y\\u00e9" {}\n');
    expect(file.body.blocks[0].labels[0].value).toBe('x"yé');
  });

  it("parses one-line blocks: empty, with one attribute, with labels", () => {
    const src = 'a { b = 1 }\nc {}\nd "x" "y" { e = "f" }\ng "h" {\n}\n';
    const file = parseOk(src);
    const [a, c, d, g] = file.body.blocks;
    expect(a.blockType).toBe("a");
    expect(a.body.attributes.map((x) => [x.name, show(x.expr)])).toEqual([["b", "1"]]);
    expect(text(src, a.range)).toBe("a { b = 1 }");
    expect(c.body.attributes).toEqual([]);
    expect(c.body.blocks).toEqual([]);
    expect(text(src, c.range)).toBe("c {}");
    expect(d.labels.map((l) => l.value)).toEqual(["x", "y"]);
    expect(str(attr(d, "e").expr)).toBe("f");
    expect(g.labels.map((l) => l.value)).toEqual(["h"]);
  });

  it("parses nested blocks and keeps attributes and blocks apart, in order", () => {
    const src = [
      'resource "aws_security_group" "sg" {',
      '  name = "sg"',
      "  lifecycle {",
      "    ignore_changes = [tags]",
      "  }",
      '  dynamic "ingress" {',
      "    for_each = var.rules",
      "    content {",
      "      from_port = ingress.value.port",
      "    }",
      "  }",
      "  description = null",
      "}",
      "",
    ].join("\n");
    const file = parseOk(src);
    const r = file.body.blocks[0];
    expect(r.body.attributes.map((a) => a.name)).toEqual(["name", "description"]);
    expect(r.body.blocks.map((b) => b.blockType)).toEqual(["lifecycle", "dynamic"]);
    const dyn = r.body.blocks[1];
    expect(dyn.labels.map((l) => l.value)).toEqual(["ingress"]);
    expect(show(attr(dyn, "for_each").expr)).toBe("var.rules");
    const content = dyn.body.blocks[0];
    expect(content.blockType).toBe("content");
    expect(show(attr(content, "from_port").expr)).toBe("ingress.value.port");
    expect(show(attr(r.body.blocks[0], "ignore_changes").expr)).toBe("[tags]");
  });

  it("keeps repeated blocks of one type in source order, interleaved with attributes", () => {
    const file = parseOk("locals {\n  a = 1\n}\nx = 1\nlocals {\n  b = 2\n}\ny = 2\n");
    expect(file.body.blocks.map((b) => b.body.attributes[0].name)).toEqual(["a", "b"]);
    expect(file.body.attributes.map((a) => a.name)).toEqual(["x", "y"]);
  });

  it("lets the same attribute name appear in different bodies", () => {
    const file = parseOk("a = 1\nb {\n  a = 2\n}\nc {\n  a = 3\n}\n");
    expect(file.body.blocks.map((b) => show(attr(b, "a").expr))).toEqual(["2", "3"]);
  });
});

describe("literals", () => {
  it("parses integers, decimals and exponents, keeping the raw text", () => {
    const cases: [string, number][] = [
      ["0", 0],
      ["42", 42],
      ["1.5", 1.5],
      ["1e3", 1000],
      ["1E3", 1000],
      ["1.5e+3", 1500],
      ["2e-2", 0.02],
      ["12345678901234567890", 12345678901234567890],
    ];
    for (const [src, value] of cases) {
      const e = expr(src);
      expect(e.type, src).toBe("Literal");
      if (e.type !== "Literal") continue;
      expect(e.value, src).toBe(value);
      expect(e.raw, src).toBe(src);
    }
  });

  it("parses true, false and null", () => {
    for (const [src, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      const e = expr(src);
      expect(e.type).toBe("Literal");
      if (e.type === "Literal") expect(e.value).toBe(value);
    }
  });

  it("treats identifiers that merely start with a keyword as variables", () => {
    expect(expr("trueish").type).toBe("Variable");
    expect(expr("null_resource").type).toBe("Variable");
  });
});

describe("quoted strings", () => {
  it("parses a plain string as a template with literal text only", () => {
    const e = expr('"hello world"');
    expect(e.type).toBe("Template");
    expect(str(e)).toBe("hello world");
    expect((e as TemplateExpr).heredoc).toBeUndefined();
    expect((e as TemplateExpr).wrapped).toBeUndefined();
  });

  it('parses "" as an empty string literal', () => {
    expect(str(expr('""'))).toBe("");
  });

  it("decodes every escape sequence", () => {
    expect(str(expr(String.raw`"a\nb\rc\td\"e\\f"`))).toBe('a\nb\rc\td"e\\f');
    expect(str(expr(String.raw`"\u00e9\u0041\u2603"`))).toBe("éA☃");
    expect(str(expr(String.raw`"\U0001F600\U00000041"`))).toBe("😀A");
    expect(str(expr(String.raw`"\\n is not a newline"`))).toBe("\\n is not a newline");
  });

  it("decodes $${ and %%{ to the literal introducers", () => {
    expect(str(expr('"$${var.x}"'))).toBe("${var.x}");
    expect(str(expr('"%%{if x}"'))).toBe("%{if x}");
    expect(str(expr('"a $${b} %%{c} d"'))).toBe("a ${b} %{c} d");
    expect(str(expr('"$$$${"'))).toBe("$$${");
  });

  it("keeps a lone $ or % (and doubled ones not before {) as text", () => {
    expect(str(expr('"$"'))).toBe("$");
    expect(str(expr('"%"'))).toBe("%");
    expect(str(expr('"100%"'))).toBe("100%");
    expect(str(expr('"cost: $5"'))).toBe("cost: $5");
    expect(str(expr('"a$b%c"'))).toBe("a$b%c");
    expect(str(expr('"$$"'))).toBe("$$");
    expect(str(expr('"%%"'))).toBe("%%");
    expect(str(expr('"$ {x}"'))).toBe("$ {x}");
  });

  it("keeps non-ASCII text and comment markers inside strings", () => {
    const file = parseOk('a = "héllo 😀 # not a comment // nor this /* nor */"\n');
    expect(str(attr(file, "a").expr)).toBe("héllo 😀 # not a comment // nor this /* nor */");
    expect(file.comments).toEqual([]);
  });
});

describe("templates", () => {
  it("parses interpolations between literals", () => {
    const e = expr('"hello ${name}!"');
    expect(show(e)).toBe('`"hello " ${name} "!"`');
    const ps = parts(e);
    expect(ps.map((p) => p.type)).toEqual(["TemplateLiteral", "TemplateInterpolation", "TemplateLiteral"]);
    const interp = ps[1] as TemplateInterpolation;
    expect(interp.stripLeft).toBe(false);
    expect(interp.stripRight).toBe(false);
    expect((e as TemplateExpr).wrapped).toBeUndefined();
    expect(isStringLiteral(e)).toBe(false);
  });

  it("parses any expression inside an interpolation, including nested strings", () => {
    expect(show(expr('"${a.b[0]} and ${f(1, "x")}"'))).toBe('`${a.b[0]} " and " ${f(1, "x")}`');
    expect(show(expr('"${x ? "a" : "b"}-${y}"'))).toBe('`${(x ? "a" : "b")} "-" ${y}`');
    expect(show(expr('"${ { a = "}" }.a }"'))).toBe('`${{a = "}"}.a}`');
  });

  it('marks "${ expr }" alone as wrapped', () => {
    const e = expr('"${var.x}"') as TemplateExpr;
    expect(e.type).toBe("Template");
    expect(e.wrapped).toBeDefined();
    expect(show(e.wrapped!)).toBe("var.x");
    expect(isStringLiteral(e)).toBe(false);
    expect((expr('" ${x}"') as TemplateExpr).wrapped).toBeUndefined();
    expect((expr('"${x}${y}"') as TemplateExpr).wrapped).toBeUndefined();
    expect((expr('"%{if c}${x}%{endif}"') as TemplateExpr).wrapped).toBeUndefined();
  });

  it("parses %{if}/%{else}/%{endif}", () => {
    const e = expr('"a%{if c == 1}yes${x}%{else}no%{endif}b"');
    expect(show(e)).toBe('`"a" %{if (c == 1)}"yes" ${x}%{else}"no"%{endif} "b"`');
    const ifPart = parts(e)[1] as TemplateIf;
    expect(ifPart.type).toBe("TemplateIf");
    expect(ifPart.then.type).toBe("Template");
    expect(ifPart.else?.type).toBe("Template");
  });

  it("parses %{if} without %{else}, with spaces inside the directive", () => {
    const ifPart = parts(expr('"%{ if enabled }on%{ endif }"'))[0] as TemplateIf;
    expect(ifPart.type).toBe("TemplateIf");
    expect(show(ifPart.condition)).toBe("enabled");
    expect(ifPart.else).toBeNull();
  });

  it("parses %{for k, v in x}…%{endfor} and %{for v in x}", () => {
    const e = expr('"%{for k, v in var.m}${k}=${v};%{endfor}"');
    expect(show(e)).toBe('`%{for k, v in var.m}${k} "=" ${v} ";"%{endfor}`');
    const f = parts(e)[0] as TemplateFor;
    expect(f.type).toBe("TemplateFor");
    expect(f.keyVar).toBe("k");
    expect(f.valueVar).toBe("v");
    const g = parts(expr('"%{ for v in xs }[${v}]%{ endfor }"'))[0] as TemplateFor;
    expect(g.keyVar).toBeNull();
    expect(g.valueVar).toBe("v");
    expect(show(g.collection)).toBe("xs");
  });

  it("nests directives", () => {
    expect(show(expr('"%{for v in xs}%{if v != ""}${v},%{endif}%{endfor}"'))).toBe(
      '`%{for v in xs}%{if (v != "")}${v} ","%{endif}%{endfor}`',
    );
  });

  it("applies strip markers on both sides of an interpolation", () => {
    const e = expr('"a  ${~ x ~}  b"');
    expect(show(e)).toBe('`"a" ${~x~} "b"`');
    const i = parts(e)[1] as TemplateInterpolation;
    expect(i.stripLeft).toBe(true);
    expect(i.stripRight).toBe(true);
    expect(show(expr('"a  ${~x}  b"'))).toBe('`"a" ${~x} "  b"`');
    expect(show(expr('"a  ${x~}  b"'))).toBe('`"a  " ${x~} "b"`');
  });

  it("strips whitespace produced by escapes too (the stripping applies to the decoded literal)", () => {
    // oracle: "\n ${~ "N" ~} \t b" evaluates to "Nb"
    expect(show(expr('"\\n ${~ x ~} \\t b"'))).toBe('`${~x~} "b"`');
  });

  it("applies strip markers on directives", () => {
    const e = expr('"%{ if c ~}  yes  %{~ else ~}  no  %{~ endif }"');
    expect(show(e)).toBe('`%{if c}"yes"%{else}"no"%{endif}`');
  });

  it("strips newlines in heredocs, only from the adjacent line's literal (as HashiCorp's parser does)", () => {
    // oracle: <<EOT\nhello\n  ${~ "N" ~}\n  world\nEOT  =>  "hello\nN  world\n"
    expect(show(expr("<<EOT\nhello\n  ${~ x ~}\n  world\nEOT\n"))).toBe('`"hello\\n" ${~x~} "  world\\n"`');
    // oracle: <<EOT\nhello\n${~ "N"}\nEOT  =>  "helloN\n"
    expect(show(expr("<<EOT\nhello\n${~ x}\nEOT\n"))).toBe('`"hello" ${~x} "\\n"`');
    // oracle: <<EOT\nhello   ${~ "N" ~}   \n  world\nEOT  =>  "helloN  world\n"
    expect(show(expr("<<EOT\nhello   ${~ x ~}   \n  world\nEOT\n"))).toBe('`"hello" ${~x~} "  world\\n"`');
  });

  it("strips the newline after a `~}` directive in the usual for-loop heredoc", () => {
    const e = expr("<<EOT\n%{ for x in xs ~}\n${x}\n%{ endfor ~}\nEOT\n");
    expect(show(e)).toBe('`%{for x in xs}${x} "\\n"%{endfor}`');
  });
});

describe("heredocs", () => {
  it("parses <<EOF with the text verbatim, newline included", () => {
    const e = expr("<<EOF\nhello\n  world\nEOF\n") as TemplateExpr;
    expect(str(e)).toBe("hello\n  world\n");
    expect(e.heredoc).toEqual({ marker: "EOF", flush: false });
  });

  it("parses an empty heredoc", () => {
    expect(str(expr("<<EOF\nEOF\n"))).toBe("");
  });

  it("allows spaces before the closing marker and a marker-like suffix in the text", () => {
    expect(str(expr("<<EOT\n    NOT EOT\n  EOT\n"))).toBe("    NOT EOT\n");
    expect(str(expr("<<EOF\nx\n  EOF\n"))).toBe("x\n");
    expect(str(expr("<<EOF\nEOFX\nXEOF\nEOF\n"))).toBe("EOFX\nXEOF\n");
  });

  it("closes at a marker line with white space after the marker, as HashiCorp's scanner trims it", () => {
    const file = parseOk("a = <<EOT\nx\nEOT  \nb = 1\n");
    expect(str(attr(file, "a").expr)).toBe("x\n");
    // The heredoc's range ends before the newline, white space included (HCL's closing token).
    expect(attr(file, "a").expr.range.end).toMatchObject({ line: 3, column: 6 });
    expect(str(expr("<<EOT\nx\n\tEOT\u00a0\r\n"))).toBe("x\n");
  });

  it("does not close at a marker on the last line with no newline after it, and says so", () => {
    const file = parseHcl("a = <<EOT\nx\nEOT", "t.tf");
    expect(errorsOf(file)).toEqual([
      "3:4: this heredoc's closing `EOT` is the file's last line and has no newline after it, so it does not close the heredoc; add a newline at the end of the file",
    ]);
    expect(errorsOf(parseHcl("a = <<EOT\nx\n", "t.tf"))).toEqual(["3:1: this heredoc is not closed; end it with a line holding only `EOT`"]);
  });

  it("keeps blank lines, $${ and %%{ escapes and no other escapes", () => {
    expect(str(expr("<<EOT\nFoo\n\nBar\nEOT\n"))).toBe("Foo\n\nBar\n");
    expect(str(expr("<<EOF\n$${x} %%{y} \\n\nEOF\n"))).toBe("${x} %{y} \\n\n");
    expect(str(expr('<<EOF\n"quoted" # not a comment\nEOF\n'))).toBe('"quoted" # not a comment\n');
  });

  it("parses <<-EOF, removing the minimum leading whitespace of the lines", () => {
    const e = expr("<<-EOF\n    hello\n      world\n    EOF\n") as TemplateExpr;
    expect(str(e)).toBe("hello\n  world\n");
    expect(e.heredoc).toEqual({ marker: "EOF", flush: true });
    // specsuite heredoc.hcl cases (flush), results confirmed with the oracle
    expect(str(expr("<<-EOT\nFoo\nBar\nEOT\n"))).toBe("Foo\nBar\n");
    expect(str(expr("<<-EOT\n    Foo\n  Bar\n    Baz\n  EOT\n"))).toBe("  Foo\nBar\n  Baz\n");
    expect(str(expr("<<-EOT\n    Foo\n\n    Bar\n  EOT\n"))).toBe("Foo\n\nBar\n");
    // a tab counts as one character of indentation
    expect(str(expr("<<-EOT\n\tFoo\n  Bar\n  Baz\n  EOT\n"))).toBe("Foo\n Bar\n Baz\n");
  });

  it("parses a heredoc with interpolation", () => {
    const e = expr("<<EOT\nHello ${name}, ${upper(x)}\nEOT\n") as TemplateExpr;
    expect(show(e)).toBe('`"Hello " ${name} ", " ${upper(x)} "\\n"`');
    expect(e.heredoc).toEqual({ marker: "EOT", flush: false });
  });

  it("strips indentation of <<- heredocs around interpolations (line-leading literals only)", () => {
    expect(show(expr("<<-EOT\n    Foo\n    ${bar}\n    Baz\n  EOT\n"))).toBe('`"Foo\\n" ${bar} "\\nBaz\\n"`');
    expect(show(expr("<<-EOT\n    Foo\n      ${bar}\n    Baz\n  EOT\n"))).toBe('`"Foo\\n  " ${bar} "\\nBaz\\n"`');
    // the interpolation line has the least indentation
    expect(show(expr("<<-EOT\n    Foo\n  ${bar}\n    Baz\n  EOT\n"))).toBe('`"  Foo\\n" ${bar} "\\n  Baz\\n"`');
    // oracle: <<-EOF\n      x\n    y${"Q"}\n      z\n    EOF  =>  "  x\nyQ\n  z\n"
    expect(show(expr("<<-EOF\n      x\n    y${q}\n      z\n    EOF\n"))).toBe('`"  x\\ny" ${q} "\\n  z\\n"`');
  });

  it("continues with the next attribute after the closing marker", () => {
    const file = parseOk('a = <<EOF\nx\nEOF\nb = 2\nc = <<-END_OF_POLICY\n  {"k": 1}\n  END_OF_POLICY\n');
    expect(file.body.attributes.map((a) => a.name)).toEqual(["a", "b", "c"]);
    expect(str(attr(file, "c").expr)).toBe('{"k": 1}\n');
    expect((attr(file, "c").expr as TemplateExpr).heredoc).toEqual({ marker: "END_OF_POLICY", flush: true });
  });

  it("parses a heredoc as a function argument and inside a block", () => {
    const file = parseOk('r "x" "y" {\n  policy = jsonencode(<<EOF\n{}\nEOF\n  )\n  z = 1\n}\n');
    const r = file.body.blocks[0];
    expect(show(attr(r, "policy").expr)).toBe('jsonencode("{}\\n")');
    expect(show(attr(r, "z").expr)).toBe("1");
  });
});

describe("tuples", () => {
  it("parses empty, simple, nested and trailing-comma tuples", () => {
    expect(show(expr("[]"))).toBe("[]");
    expect(show(expr("[1, 2, 3]"))).toBe("[1, 2, 3]");
    expect(show(expr('[1, "a", [true, null], {}]'))).toBe('[1, "a", [true, null], {}]');
    expect(show(expr("[1, 2,]"))).toBe("[1, 2]");
    expect((expr("[a, b]") as TupleExpr).items.map((i) => i.type)).toEqual(["Variable", "Variable"]);
  });

  it("ignores newlines and comments between items", () => {
    expect(show(expr("[\n  1,\n  2,\n]"))).toBe("[1, 2]");
    expect(show(expr("[1\n, 2]"))).toBe("[1, 2]");
    expect(show(expr("[\n  # first\n  a, // second\n  /* third */ b\n]"))).toBe("[a, b]");
  });
});

describe("objects", () => {
  it("parses = and : separators, bare, quoted and parenthesised keys", () => {
    const e = expr('{a = 1, b: 2, "c d" = 3, (k) = 4, "e": 5}') as ObjectExpr;
    expect(e.type).toBe("Object");
    expect(show(e)).toBe('{a = 1, b = 2, ("c d") = 3, («k») = 4, ("e") = 5}');
    expect(e.items.map((i) => i.bareKey)).toEqual([true, true, false, false, false]);
    expect(e.items[0].key.type).toBe("Variable");
    expect(e.items[2].key.type).toBe("Template");
    expect(e.items[3].key.type).toBe("Parens");
  });

  it("parses empty objects, newline-separated items and trailing commas", () => {
    expect(show(expr("{}"))).toBe("{}");
    expect(show(expr("{\n}"))).toBe("{}");
    expect(show(expr("{\n  a = 1\n  b = 2\n}"))).toBe("{a = 1, b = 2}");
    expect(show(expr("{a = 1,\n b = 2,}"))).toBe("{a = 1, b = 2}");
    expect(show(expr("{\n  a = 1, # one\n  b = {\n    c = [1]\n  }\n}"))).toBe("{a = 1, b = {c = [1]}}");
  });

  it("takes a key named after a keyword literally after the first item, and `for` in quotes", () => {
    expect(show(expr("{baz = 2, for = 1}"))).toBe("{baz = 2, for = 1}");
    expect(show(expr('{"for" = 1}'))).toBe('{("for") = 1}');
    expect(show(expr("{if = 1, in = 2}"))).toBe("{if = 1, in = 2}");
  });

  it("parses numeric and template keys, and expressions as values", () => {
    expect(show(expr('{1 = "a"}'))).toBe('{(1) = "a"}');
    expect(show(expr('{"${k}" = v ? 1 : 2}'))).toBe("{(`${k}`) = (v ? 1 : 2)}");
  });

  it("gives each item a range from key to value", () => {
    const src = "x = { alpha = 1, beta : [2] }\n";
    const e = parseOk(src).body.attributes[0].expr as ObjectExpr;
    expect(e.items.map((i) => text(src, i.range))).toEqual(["alpha = 1", "beta : [2]"]);
    expect(text(src, e.items[0].key.range)).toBe("alpha");
  });
});

describe("function calls", () => {
  it("parses calls with no, one and several arguments", () => {
    const e = expr("f()") as FunctionCallExpr;
    expect(e.type).toBe("FunctionCall");
    expect(e.name).toBe("f");
    expect(e.args).toEqual([]);
    expect(e.expandFinal).toBe(false);
    expect(show(expr("upper(x)"))).toBe("upper(x)");
    expect(show(expr('join(",", [a, b], 3)'))).toBe('join(",", [a, b], 3)');
    expect(show(expr("f(g(h(1)))"))).toBe("f(g(h(1)))");
  });

  it("ignores newlines inside the parentheses and accepts a trailing comma", () => {
    expect(show(expr("f(1,\n  2,\n)"))).toBe("f(1, 2)");
    expect(show(expr("f(\n)"))).toBe("f()");
  });

  it("parses ... expansion of the last argument", () => {
    const e = expr("concat(a, xs...)") as FunctionCallExpr;
    expect(e.expandFinal).toBe(true);
    expect(e.args.map(show)).toEqual(["a", "xs"]);
    expect(show(expr("max(var.list...)"))).toBe("max(var.list...)");
  });

  it("parses namespaced function names", () => {
    const src = "x = provider::aws::arn_parse(var.arn).account_id\n";
    const file = parseOk(src);
    const e = file.body.attributes[0].expr;
    expect(show(e)).toBe("provider::aws::arn_parse(var.arn).account_id");
    expect(e.type).toBe("GetAttr");
    if (e.type !== "GetAttr") return;
    const call = e.object as FunctionCallExpr;
    expect(call.type).toBe("FunctionCall");
    expect(call.name).toBe("provider::aws::arn_parse");
    expect(text(src, call.nameRange)).toBe("provider::aws::arn_parse");
    expect(text(src, call.range)).toBe("provider::aws::arn_parse(var.arn)");
  });
});

describe("traversals", () => {
  it("parses attribute access chains", () => {
    const e = expr("var.a.b");
    expect(e.type).toBe("GetAttr");
    expect(show(e)).toBe("var.a.b");
    if (e.type === "GetAttr") {
      expect(e.name).toBe("b");
      expect(e.object.type).toBe("GetAttr");
    }
  });

  it("parses index operators", () => {
    expect(show(expr("a[0]"))).toBe("a[0]");
    expect(show(expr('a["k"][1]'))).toBe('a["k"][1]');
    expect(show(expr("a[var.i + 1]"))).toBe("a[(var.i + 1)]");
    expect(show(expr("a[\n  0\n]"))).toBe("a[0]");
    const e = expr("a[0]");
    expect(e.type).toBe("Index");
    if (e.type === "Index") expect(e.legacy ?? false).toBe(false);
  });

  it("parses the legacy .0 index as an index", () => {
    const e = expr("a.0");
    expect(e.type).toBe("Index");
    if (e.type === "Index") {
      expect(e.legacy).toBe(true);
      expect(e.key.type).toBe("Literal");
      expect(show(e.key)).toBe("0");
    }
    expect(show(expr("aws_instance.web.12.id"))).toBe("aws_instance.web.<12>.id");
  });

  it("parses traversals after calls, parentheses, tuples and for expressions", () => {
    expect(show(expr("f(x).y[0]"))).toBe("f(x).y[0]");
    expect(show(expr("(a).b"))).toBe("«a».b");
    expect(show(expr("[1, 2][0]"))).toBe("[1, 2][0]");
    expect(show(expr("[for v in xs : v][0]"))).toBe("[for v in xs: v][0]");
    expect(show(expr("{a = 1}.a"))).toBe("{a = 1}.a");
  });

  it("parses attribute-only splats: .* takes following attributes, not indexes", () => {
    const e = expr("a.*.b") as SplatExpr;
    expect(e.type).toBe("Splat");
    expect(e.full).toBe(false);
    expect(show(e.object)).toBe("a");
    expect(e.each.type).toBe("GetAttr");
    if (e.each.type === "GetAttr") expect(e.each.object.type).toBe("SplatItem");
    expect(show(e)).toBe("a.*{@.b}");
    expect(show(expr("a.*.b.c"))).toBe("a.*{@.b.c}");
    expect(show(expr("a.*.b[0]"))).toBe("a.*{@.b}[0]");
    expect(show(expr("a.*"))).toBe("a.*{@}");
  });

  it("parses full splats: [*] takes following attributes and indexes", () => {
    const e = expr("a[*].b[0]") as SplatExpr;
    expect(e.type).toBe("Splat");
    expect(e.full).toBe(true);
    expect(show(e)).toBe("a[*]{@.b[0]}");
    expect(show(expr("aws_instance.web[*].id"))).toBe("aws_instance.web[*]{@.id}");
    expect(show(expr("a[*]"))).toBe("a[*]{@}");
  });

  it("ends a splat at an operator", () => {
    expect(show(expr("a[*].b + 1"))).toBe("(a[*]{@.b} + 1)");
    expect(show(expr("length(a.*.id) > 0"))).toBe("(length(a.*{@.id}) > 0)");
  });
});

describe("operators", () => {
  it("parses unary ! and -", () => {
    const e = expr("!a");
    expect(e.type).toBe("Unary");
    if (e.type === "Unary") {
      expect(e.op).toBe("!");
      expect(show(e.operand)).toBe("a");
    }
    expect(show(expr("-a"))).toBe("(-a)");
    expect(show(expr("!!a"))).toBe("(!(!a))");
    expect(show(expr("-a.b[0]"))).toBe("(-a.b[0])");
    expect(show(expr("!a && b"))).toBe("((!a) && b)");
    expect(show(expr("-a * b"))).toBe("((-a) * b)");
    expect(show(expr("a - -b"))).toBe("(a - (-b))");
  });

  it("parses every binary operator", () => {
    for (const op of ["||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"]) {
      const e = expr(`a ${op} b`);
      expect(e.type, op).toBe("Binary");
      if (e.type === "Binary") {
        expect(e.op).toBe(op);
        expect(show(e.left)).toBe("a");
        expect(show(e.right)).toBe("b");
      }
      expect(show(expr(`1${op}2`)), `${op} without spaces`).toBe(`(1 ${op} 2)`);
    }
  });

  it("reads a-b as one identifier (dashes are allowed in identifiers)", () => {
    expect(show(expr("a-b"))).toBe("a-b");
    expect(show(expr("a -b"))).toBe("(a - b)");
  });

  it("applies HCL precedence: || < && < == != < comparisons < + - < * / %", () => {
    expect(show(expr("a || b && c"))).toBe("(a || (b && c))");
    expect(show(expr("a && b == c"))).toBe("(a && (b == c))");
    expect(show(expr("a != b < c"))).toBe("(a != (b < c))");
    expect(show(expr("a >= b + c"))).toBe("(a >= (b + c))");
    expect(show(expr("a - b % c"))).toBe("(a - (b % c))");
    expect(show(expr("a || b && c == d < e + f * g"))).toBe("(a || (b && (c == (d < (e + (f * g))))))");
    expect(show(expr("a * b + c < d == e && f || g"))).toBe("((((((a * b) + c) < d) == e) && f) || g)");
  });

  it("associates operators of one level to the left", () => {
    expect(show(expr("a - b - c"))).toBe("((a - b) - c)");
    expect(show(expr("a + b - c"))).toBe("((a + b) - c)");
    expect(show(expr("a / b * c"))).toBe("((a / b) * c)");
    expect(show(expr("a % b % c"))).toBe("((a % b) % c)");
    expect(show(expr("a < b >= c"))).toBe("((a < b) >= c)");
    expect(show(expr("a == b != c"))).toBe("((a == b) != c)");
    expect(show(expr("a && b && c"))).toBe("((a && b) && c)");
    expect(show(expr("a || b || c"))).toBe("((a || b) || c)");
  });

  it("lets parentheses override precedence, newlines allowed inside", () => {
    const e = expr("(a + b) * c");
    expect(show(e)).toBe("(«(a + b)» * c)");
    expect(show(expr("(1)"))).toBe("«1»");
    expect(show(expr("((a))"))).toBe("««a»»");
    expect(show(expr("(a\n  + b)"))).toBe("«(a + b)»");
  });

  it("parses numbers and operators next to each other", () => {
    expect(show(expr("1+2*3"))).toBe("(1 + (2 * 3))");
    expect(show(expr("5 % 2"))).toBe("(5 % 2)");
  });
});

describe("conditionals", () => {
  it("parses cond ? a : b below every binary operator", () => {
    const e = expr("a || b ? c + d : e * f");
    expect(e.type).toBe("Conditional");
    expect(show(e)).toBe("((a || b) ? (c + d) : (e * f))");
  });

  it("nests to the right", () => {
    expect(show(expr("a ? b : c ? d : e"))).toBe("(a ? b : (c ? d : e))");
    expect(show(expr("a ? b ? c : d : e"))).toBe("(a ? (b ? c : d) : e)");
  });

  it("parses conditionals inside collections and calls, across lines inside brackets", () => {
    expect(show(expr("[a ? 1 : 2, 3]"))).toBe("[(a ? 1 : 2), 3]");
    expect(show(expr('f(x == null ? "d" : x)'))).toBe('f(((x == null) ? "d" : x))');
    expect(show(expr("(\n  a\n  ? b\n  : c\n)"))).toBe("«(a ? b : c)»");
  });
});

describe("for expressions", () => {
  it("parses the tuple form", () => {
    const e = expr("[for v in var.list : upper(v)]") as ForExpr;
    expect(e.type).toBe("For");
    expect(e.isObject).toBe(false);
    expect(e.keyVar).toBeNull();
    expect(e.valueVar).toBe("v");
    expect(show(e.collection)).toBe("var.list");
    expect(e.keyExpr).toBeNull();
    expect(show(e.valueExpr)).toBe("upper(v)");
    expect(e.condition).toBeNull();
    expect(e.grouping).toBe(false);
  });

  it("parses key and value variables and an if clause", () => {
    const e = expr('[for i, v in xs : "${i}=${v}" if v != null]') as ForExpr;
    expect(e.keyVar).toBe("i");
    expect(e.valueVar).toBe("v");
    expect(show(e.condition!)).toBe("(v != null)");
    expect(show(e)).toBe('[for i, v in xs: `${i} "=" ${v}` if (v != null)]');
  });

  it("parses the object form, with grouping and a condition", () => {
    const e = expr("{for k, v in var.m : k => v}") as ForExpr;
    expect(e.isObject).toBe(true);
    expect(show(e.keyExpr!)).toBe("k");
    expect(show(e.valueExpr)).toBe("v");
    expect(e.grouping).toBe(false);
    const g = expr("{for k, v in var.m : v.name => k... if v.enabled}") as ForExpr;
    expect(g.grouping).toBe(true);
    expect(show(g)).toBe("{for k, v in var.m: v.name => k... if v.enabled}");
  });

  it("parses multi-line and nested for expressions", () => {
    expect(show(expr("[\n  for v in xs :\n  v\n]"))).toBe("[for v in xs: v]");
    expect(show(expr("[for a in xs : [for b in a : b * 2]]"))).toBe("[for a in xs: [for b in a: (b * 2)]]");
    expect(show(expr("{\n  for s in var.subnets : s.az => s.id...\n  if s.public\n}"))).toBe(
      "{for s in var.subnets: s.az => s.id... if s.public}",
    );
  });

  it("parses the collection and element as full expressions", () => {
    expect(show(expr("[for v in a ? b : c : v ? 1 : 2]"))).toBe("[for v in (a ? b : c): (v ? 1 : 2)]");
    expect(show(expr("{for k, v in merge(a, b) : lower(k) => v if k != \"\"}"))).toBe(
      '{for k, v in merge(a, b): lower(k) => v if (k != "")}',
    );
  });

  it("reads (for) in parentheses as a variable", () => {
    expect(show(expr("[(for), x]"))).toBe("[«for», x]");
  });
});

describe("comments", () => {
  it("keeps #, // and /* */ comments with text and ranges, markers included, line ending excluded", () => {
    const src = "# hash\na = 1 // slash\n/* block\n   two lines */\nb = 2 /* inline */ + 3\n#last";
    const file = parseOk(src);
    expect(file.comments.map((c) => [c.kind, c.text])).toEqual([
      ["line", "# hash"],
      ["line", "// slash"],
      ["block", "/* block\n   two lines */"],
      ["block", "/* inline */"],
      ["line", "#last"],
    ]);
    for (const c of file.comments) expect(text(src, c.range)).toBe(c.text);
    expect(file.comments[0].range.start).toMatchObject({ line: 1, column: 1, offset: 0 });
    expect(file.comments[1].range.start).toMatchObject({ line: 2, column: 7 });
    expect(file.comments[2].range.end).toMatchObject({ line: 4, column: 16 });
    expect(show(attr(file, "b").expr)).toBe("(2 + 3)");
  });

  it("keeps comments inside blocks and collections, in source order", () => {
    const src = "r {\n  # in block\n  x = [\n    1, # in tuple\n    2,\n  ]\n  y = { /* in object */ k = 1 }\n}\n";
    const file = parseOk(src);
    expect(file.comments.map((c) => c.text)).toEqual(["# in block", "# in tuple", "/* in object */"]);
    expect(show(attr(file.body.blocks[0], "x").expr)).toBe("[1, 2]");
  });

  it("treats a line comment after a block header brace and a block comment before the name as trivia", () => {
    const file = parseOk("/* lead */ a = 1\nb { // trailing\n  c = 2\n}\n");
    expect(file.body.attributes.map((a) => a.name)).toEqual(["a"]);
    expect(file.body.blocks[0].body.attributes.map((a) => a.name)).toEqual(["c"]);
    expect(file.comments).toHaveLength(2);
  });
});

describe("a realistic Terraform file", () => {
  it("parses resources, data sources, locals, modules and outputs", () => {
    const src = `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

locals {
  name = "\${var.prefix}-secret"
  tags = merge(var.tags, { Name = local.name })
}

resource "aws_secretsmanager_secret" "this" {
  count       = var.create ? 1 : 0
  name        = local.name
  kms_key_id  = try(aws_kms_key.this[0].arn, null)
  tags        = local.tags
  policy      = data.aws_iam_policy_document.this.json

  replica {
    region = "eu-west-1"
  }
}

output "arns" {
  value = aws_secretsmanager_secret.this[*].arn
}
`;
    const file = parseOk(src);
    expect(file.body.blocks.map((b) => [b.blockType, ...b.labels.map((l) => l.value)])).toEqual([
      ["terraform"],
      ["locals"],
      ["resource", "aws_secretsmanager_secret", "this"],
      ["output", "arns"],
    ]);
    const res = file.body.blocks[2];
    expect(show(attr(res, "count").expr)).toBe("(var.create ? 1 : 0)");
    expect(show(attr(res, "kms_key_id").expr)).toBe("try(aws_kms_key.this[0].arn, null)");
    expect(show(attr(file.body.blocks[1], "name").expr)).toBe('`${var.prefix} "-secret"`');
    expect(show(attr(file.body.blocks[3], "value").expr)).toBe("aws_secretsmanager_secret.this[*]{@.arn}");
    expect(show(attr(file.body.blocks[0].body.blocks[0], "aws").expr)).toBe(
      '{source = "hashicorp/aws", version = ">= 5.0"}',
    );
  });
});
