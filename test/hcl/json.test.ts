import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Attribute, Block, Body, Expression, File, Pos, TemplateExpr } from "../../src/hcl/ast.js";
import { parseHclJson } from "../../src/hcl/json.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const fixtures = join(root, "fixtures/hcl-json");
const corpus = resolve(root, "../shared/corpus");

function parse(text: string): File {
  return parseHclJson(text, "test.tf.json");
}
function fixture(name: string): File {
  return parseHclJson(readFileSync(join(fixtures, name), "utf8"), name);
}
function attr(body: Body, name: string): Attribute {
  const a = body.attributes.find((x) => x.name === name);
  if (!a) throw new Error(`no attribute ${name}; have ${body.attributes.map((x) => x.name).join(", ")}`);
  return a;
}
function blocks(body: Body, type: string): Block[] {
  return body.blocks.filter((b) => b.blockType === type);
}
function labels(b: Block): string[] {
  return b.labels.map((l) => l.value);
}
/** line:column of a position. */
function lc(p: Pos): string {
  return `${p.line}:${p.column}`;
}
/** Position of the n-th occurrence of `needle` in `text`, as HCL would report it (no BOM, no CR quirks). */
function posOf(text: string, needle: string, n = 0): Pos {
  let offset = -1;
  for (let i = 0; i <= n; i++) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { offset, byte: Buffer.byteLength(before, "utf8"), line, column };
}
function template(e: Expression): TemplateExpr {
  expect(e.type).toBe("Template");
  return e as TemplateExpr;
}
function literalText(e: Expression): string {
  const t = template(e);
  return t.parts.map((p) => (p.type === "TemplateLiteral" ? p.value : "?")).join("");
}
describe("parseHclJson: blocks", () => {
  it("reads Terraform's top-level blocks with their labels (main fixture)", () => {
    const f = fixture("main.tf.json");
    expect(f.diagnostics).toEqual([]);
    expect(f.comments).toEqual([]);
    expect(f.body.attributes).toEqual([]); // the root "//" is a comment, not an attribute
    expect(f.body.blocks.map((b) => [b.blockType, ...labels(b)])).toEqual([
      ["terraform"],
      ["provider", "aws"],
      ["provider", "aws"],
      ["variable", "environment"],
      ["locals"],
      ["resource", "aws_secretsmanager_secret", "sym"],
      ["resource", "aws_secretsmanager_secret_version", "sym"],
      ["data", "aws_caller_identity", "current"],
      ["output", "secret_arn"],
    ]);
    for (const b of f.body.blocks) for (const l of b.labels) expect(l.quoted).toBe(true);
  });

  it("reads nested Terraform blocks and keeps everything else as attributes", () => {
    const f = fixture("main.tf.json");
    const [tf] = blocks(f.body, "terraform");
    expect(tf.body.attributes.map((a) => a.name)).toEqual(["required_version"]);
    expect(tf.body.blocks.map((b) => [b.blockType, ...labels(b)])).toEqual([["required_providers"], ["backend", "s3"]]);
    const rp = tf.body.blocks[0].body;
    expect(attr(rp, "aws").expr.type).toBe("Object");
    expect(literalText(attr(tf.body.blocks[1].body, "bucket").expr)).toBe("tf-state");

    const [variable] = blocks(f.body, "variable");
    expect(blocks(variable.body, "validation")).toHaveLength(1);
    expect(variable.body.attributes.map((a) => a.name)).toEqual(["type", "default"]);

    const [secret] = blocks(f.body, "resource");
    // "//" is skipped; lifecycle is a block; tags stays an attribute.
    expect(secret.body.attributes.map((a) => a.name)).toEqual(["name", "recovery_window_in_days", "tags"]);
    expect(secret.body.blocks.map((b) => b.blockType)).toEqual(["lifecycle"]);
    expect(attr(secret.body.blocks[0].body, "prevent_destroy").expr).toMatchObject({ type: "Literal", value: true });

    const [data] = blocks(f.body, "data");
    expect(data.body.attributes).toEqual([]);
    expect(data.body.blocks).toEqual([]);

    const [locals] = blocks(f.body, "locals");
    expect(locals.body.attributes.map((a) => a.name)).toEqual(["name", "tags"]);
    expect(attr(locals.body, "tags").expr.type).toBe("Object");
  });

  it("turns an array at a label level into several blocks with the same labels", () => {
    const f = fixture("main.tf.json");
    const providers = blocks(f.body, "provider");
    expect(providers.map((p) => p.body.attributes.map((a) => a.name))).toEqual([["region"], ["alias", "region"]]);
    expect(literalText(attr(providers[1].body, "alias").expr)).toBe("west");
    // Both blocks share the type and label ranges; each has its own braces.
    expect(providers[0].typeRange).toEqual(providers[1].typeRange);
    expect(providers[0].labels[0].range).toEqual(providers[1].labels[0].range);
    expect(providers[0].openBraceRange.start.line).toBe(14);
    expect(providers[1].openBraceRange.start.line).toBe(15);
  });

  it("handles arrays at the block-type level, dynamic blocks, provisioners and modules", () => {
    const f = fixture("dynamic.tf.json");
    expect(f.diagnostics).toEqual([]);
    const [sg, vpc] = f.body.blocks;
    expect([sg.blockType, ...labels(sg)]).toEqual(["resource", "aws_security_group", "db"]);
    expect(attr(sg.body, "ingress").expr.type).toBe("Object"); // provider-defined nested block: attribute
    expect(sg.body.blocks.map((b) => [b.blockType, ...labels(b)])).toEqual([
      ["dynamic", "egress"],
      ["provisioner", "local-exec"],
      ["provisioner", "local-exec"],
    ]);
    const dyn = sg.body.blocks[0];
    expect(dyn.body.attributes.map((a) => a.name)).toEqual(["for_each", "iterator"]);
    expect(dyn.body.blocks.map((b) => b.blockType)).toEqual(["content"]);
    const content = dyn.body.blocks[0].body;
    expect(attr(content, "cidr_blocks").expr.type).toBe("Tuple");
    expect(literalText(attr(sg.body.blocks[2].body, "when").expr)).toBe("destroy");

    expect([vpc.blockType, ...labels(vpc)]).toEqual(["module", "vpc"]);
    expect(attr(vpc.body, "enable_nat_gateway").expr).toMatchObject({ type: "Literal", value: null, raw: "null" });
    expect(vpc.body.blocks).toEqual([]);
  });

  it("gives blocks exact ranges: type, labels, braces, body", () => {
    const text = '{\n  "resource": {\n    "aws_s3_bucket": {\n      "b": { "bucket": "x" }\n    }\n  }\n}\n';
    const f = parse(text);
    expect(f.diagnostics).toEqual([]);
    const [b] = f.body.blocks;
    expect(b.typeRange).toEqual({ start: posOf(text, '"resource"'), end: posOf(text, ": {") });
    expect(b.labels[0].range.start).toEqual(posOf(text, '"aws_s3_bucket"'));
    expect(b.labels[1].range).toEqual({ start: posOf(text, '"b"'), end: posOf(text, ': { "bucket"') });
    expect(lc(b.openBraceRange.start)).toBe("4:12");
    expect(lc(b.closeBraceRange.start)).toBe("4:28");
    expect(lc(b.closeBraceRange.end)).toBe("4:29");
    expect(b.range.start).toEqual(b.typeRange.start);
    expect(b.range.end).toEqual(b.closeBraceRange.end);
    expect(b.body.range).toEqual({ start: b.openBraceRange.start, end: b.closeBraceRange.end });
    expect(f.body.range.start).toEqual(posOf(text, "{"));
    expect(f.body.range.end).toEqual({ offset: text.length - 1, byte: text.length - 1, line: 7, column: 2 });
  });

  it("merges repeated block keys and treats null as no block", () => {
    const f = parse('{"resource": {"x": {"a": {}}}, "resource": {"x": {"b": {}}}, "locals": null, "module": {"m": null}}');
    expect(f.diagnostics).toEqual([]);
    expect(f.body.blocks.map((b) => labels(b))).toEqual([
      ["x", "a"],
      ["x", "b"],
    ]);
  });

  it("reports a block whose value is not an object", () => {
    const text = '{"resource": {"aws_s3_bucket": {"b": 1}}, "lifecycle_x": 2, "terraform": "no"}';
    const f = parse(text);
    expect(f.diagnostics.map((d) => d.message)).toEqual([
      "`resource` block: expected an object (the block's body) or an array of them, found a number",
      "`terraform` block: expected an object (the block's body) or an array of them, found a string",
    ]);
    expect(f.diagnostics[0].range.start).toEqual(posOf(text, "1}"));
    expect(f.body.attributes.map((a) => a.name)).toEqual(["lifecycle_x"]); // unknown top-level key
  });

  it("skips `//` comment properties in bodies and at label levels, but not in object values", () => {
    const f = parse(
      '{"//": "top", "resource": {"//": "types", "t": {"//": "names", "n": {"//": "body", "tags": {"//": "kept"}}}}}',
    );
    expect(f.diagnostics).toEqual([]);
    expect(f.body.blocks.map((b) => labels(b))).toEqual([["t", "n"]]);
    const body = f.body.blocks[0].body;
    expect(body.attributes.map((a) => a.name)).toEqual(["tags"]);
    const tags = body.attributes[0].expr;
    expect(tags.type === "Object" && tags.items.map((i) => literalText(i.key))).toEqual(["//"]);
  });
});

describe("parseHclJson: values", () => {
  const text =
    '{"locals": {"s": "text", "n": 1.5e3, "neg": -0.25, "big": 123456789012345678901234567890, ' +
    '"t": true, "f": false, "z": null, "a": [1, "b", [], {}], "o": {"k": 1, "${var.x}": "v"}, "e": ""}}';
  const f = parse(text);
  const body = f.body.blocks[0].body;

  it("has no diagnostics", () => expect(f.diagnostics).toEqual([]));

  it("reads numbers with their source text", () => {
    expect(attr(body, "n").expr).toMatchObject({ type: "Literal", value: 1500, raw: "1.5e3" });
    expect(attr(body, "neg").expr).toMatchObject({ type: "Literal", value: -0.25, raw: "-0.25" });
    expect(attr(body, "big").expr).toMatchObject({ type: "Literal", raw: "123456789012345678901234567890" });
    expect(attr(body, "n").expr.range).toEqual({ start: posOf(text, "1.5e3"), end: posOf(text, ', "neg"') });
  });

  it("reads true, false and null", () => {
    expect(attr(body, "t").expr).toMatchObject({ type: "Literal", value: true, raw: "true" });
    expect(attr(body, "f").expr).toMatchObject({ type: "Literal", value: false, raw: "false" });
    expect(attr(body, "z").expr).toMatchObject({ type: "Literal", value: null, raw: "null" });
  });

  it("reads strings as templates whose range includes the quotes", () => {
    const s = template(attr(body, "s").expr);
    expect(literalText(s)).toBe("text");
    expect(s.range).toEqual({ start: posOf(text, '"text"'), end: posOf(text, ', "n"') });
    expect(s.parts[0].range.start).toEqual(posOf(text, 'text"'));
    expect(s.parts[0].range.end).toEqual(posOf(text, '", "n"'));
    expect(literalText(attr(body, "e").expr)).toBe("");
  });

  it("reads arrays as tuples and objects with template keys", () => {
    const a = attr(body, "a").expr;
    expect(a.type === "Tuple" && a.items.map((i) => i.type)).toEqual(["Literal", "Template", "Tuple", "Object"]);
    expect(a.range).toEqual({ start: posOf(text, "[1,"), end: posOf(text, ', "o"') });
    const o = attr(body, "o").expr;
    if (o.type !== "Object") throw new Error("not an object");
    expect(o.items).toHaveLength(2);
    for (const item of o.items) {
      expect(item.bareKey).toBe(false);
      expect(item.key.type).toBe("Template");
    }
    expect(literalText(o.items[0].key)).toBe("k");
    expect(o.items[0].range).toEqual({ start: posOf(text, '"k"'), end: posOf(text, ', "${') });
    expect(o.items[1].key.range.start).toEqual(posOf(text, '"${var.x}"'));
  });

  it("gives attributes name and full ranges", () => {
    const n = attr(body, "n");
    expect(n.nameRange).toEqual({ start: posOf(text, '"n"'), end: posOf(text, ": 1.5e3") });
    expect(n.range).toEqual({ start: posOf(text, '"n"'), end: posOf(text, ', "neg"') });
  });

  it("decodes escapes and maps positions inside escaped strings back to the source", () => {
    const t = '{"locals": {"a": "x\\"y\\u00e9\\n", "b": 1}}';
    const g = parse(t);
    expect(g.diagnostics).toEqual([]);
    const s = template(attr(g.body.blocks[0].body, "a").expr);
    expect(literalText(s)).toBe('x"yé\n');
    expect(s.parts[0].range.start).toEqual(posOf(t, 'x\\"'));
    expect(s.parts[0].range.end).toEqual(posOf(t, '", "b"')); // the closing quote, not 5 units on
  });
});

describe("parseHclJson: templates inside strings", () => {
  it("places an interpolation's expression at its source column", () => {
    const text = '{\n  "locals": {\n    "a": "${var.x}"\n  }\n}\n';
    const f = parse(text);
    expect(f.diagnostics).toEqual([]);
    const t = template(attr(f.body.blocks[0].body, "a").expr);
    expect(t.range).toEqual({ start: posOf(text, '"${'), end: posOf(text, "\n  }") });
    const interp = t.parts[0];
    if (interp.type !== "TemplateInterpolation") throw new Error(interp.type);
    expect(interp.range.start).toEqual(posOf(text, "${"));
    const e = interp.expr;
    if (e.type !== "GetAttr") throw new Error(e.type);
    expect(e.name).toBe("x");
    expect(e.range.start).toEqual(posOf(text, "var.x"));
    expect(lc(e.range.start)).toBe("3:13");
    expect(e.nameRange.start).toEqual(posOf(text, "x}"));
    expect(e.object).toMatchObject({ type: "Variable", name: "var" });
    expect(e.object.range).toEqual({ start: posOf(text, "var"), end: posOf(text, ".x") });
  });

  it("maps positions after escapes and non-ASCII text", () => {
    const text = '{"locals": {"a": "é\\"\\u0041 ${local.y} ok"}}';
    const f = parse(text);
    expect(f.diagnostics).toEqual([]);
    const t = template(attr(f.body.blocks[0].body, "a").expr);
    const interp = t.parts.find((p) => p.type === "TemplateInterpolation");
    if (!interp || interp.type !== "TemplateInterpolation") throw new Error("no interpolation");
    expect(interp.expr.range.start).toEqual(posOf(text, "local.y"));
    expect(interp.expr.range.end).toEqual(posOf(text, "} ok"));
    const first = t.parts[0];
    expect(first.type === "TemplateLiteral" && first.value).toBe('é"A ');
  });

  it("reads a template in an object key", () => {
    const text = '{"locals": {"m": {"${var.k}": 1}}}';
    const f = parse(text);
    const o = attr(f.body.blocks[0].body, "m").expr;
    if (o.type !== "Object") throw new Error(o.type);
    const key = template(o.items[0].key);
    const p = key.parts[0];
    expect(p.type === "TemplateInterpolation" && p.expr.range.start).toEqual(posOf(text, "var.k"));
  });

  it("keeps template syntax errors as diagnostics at the right place", () => {
    const text = '{"locals": {"a": "${var.}"}}';
    const f = parse(text);
    expect(f.diagnostics.length).toBeGreaterThan(0);
    expect(f.diagnostics[0].range.start.line).toBe(1);
    expect(f.diagnostics[0].range.start.offset).toBeGreaterThan(text.indexOf("${"));
  });
});

describe("parseHclJson: arguments Terraform reads as expressions", () => {
  const text = JSON.stringify(
    {
      resource: {
        aws_instance: {
          a: {
            provider: "aws.west",
            depends_on: ["aws_s3_bucket.b", "${module.m}"],
            ami: "ami-1",
            lifecycle: { ignore_changes: "all", replace_triggered_by: ["null_resource.x.id"] },
          },
        },
      },
      variable: { v: { type: "map(string)", default: "string" } },
      module: { m: { source: "./m", providers: { aws: "aws.west" } } },
      moved: { from: "aws_s3_bucket.a", to: "aws_s3_bucket.b" },
      import: { to: "aws_s3_bucket.b", id: "bucket-name" },
      output: { o: { value: "x", depends_on: ["aws_s3_bucket.b"] } },
    },
    null,
    2,
  );
  const f = parse(text);
  const [res, variable, mod, moved, imp, out] = f.body.blocks;

  it("has no diagnostics", () => expect(f.diagnostics).toEqual([]));

  it("reads provider, depends_on and lifecycle references as traversals", () => {
    const provider = attr(res.body, "provider").expr;
    expect(provider).toMatchObject({ type: "GetAttr", name: "west", object: { type: "Variable", name: "aws" } });
    expect(provider.range).toEqual({ start: posOf(text, "aws.west"), end: posOf(text, '",\n', 0) });
    const deps = attr(res.body, "depends_on").expr;
    if (deps.type !== "Tuple") throw new Error(deps.type);
    expect(deps.items[0]).toMatchObject({ type: "GetAttr", name: "b" });
    expect(deps.items[0].range.start).toEqual(posOf(text, "aws_s3_bucket.b"));
    expect(deps.items[1].type).toBe("Template"); // "${…}" stays a template
    expect(literalText(attr(res.body, "ami").expr)).toBe("ami-1");
    const lifecycle = res.body.blocks[0].body;
    expect(attr(lifecycle, "ignore_changes").expr).toMatchObject({ type: "Variable", name: "all" });
    const rtb = attr(lifecycle, "replace_triggered_by").expr;
    expect(rtb.type === "Tuple" && rtb.items[0].type).toBe("GetAttr");
    expect(attr(out.body, "depends_on").expr.type).toBe("Tuple");
  });

  it("reads a variable's type as an expression, its default as a template", () => {
    expect(attr(variable.body, "type").expr).toMatchObject({ type: "FunctionCall", name: "map" });
    expect(literalText(attr(variable.body, "default").expr)).toBe("string");
  });

  it("reads module providers, moved and import addresses", () => {
    const providers = attr(mod.body, "providers").expr;
    if (providers.type !== "Object") throw new Error(providers.type);
    expect(literalText(providers.items[0].key)).toBe("aws");
    expect(providers.items[0].value).toMatchObject({ type: "GetAttr", name: "west" });
    expect(attr(moved.body, "from").expr).toMatchObject({ type: "GetAttr", name: "a" });
    expect(attr(imp.body, "to").expr).toMatchObject({ type: "GetAttr", name: "b" });
    expect(literalText(attr(imp.body, "id").expr)).toBe("bucket-name");
  });

  it("keeps the attribute's range to the closing quote", () => {
    const a = attr(res.body, "provider");
    expect(a.range.end.offset).toBe(text.indexOf('"aws.west"') + '"aws.west"'.length);
  });
});

describe("parseHclJson: positions", () => {
  it("skips a UTF-8 BOM: it counts in offset and byte, not in columns", () => {
    const text = '\uFEFF{"locals": {"a": 1}}';
    const f = parse(text);
    expect(f.diagnostics).toEqual([]);
    expect(f.source).toBe(text);
    const a = attr(f.body.blocks[0].body, "a");
    const offset = text.indexOf('"a"');
    expect(a.nameRange.start).toEqual({ offset, byte: offset + 2, line: 1, column: offset });
    expect(f.body.range.start).toEqual({ offset: 1, byte: 3, line: 1, column: 1 });
  });

  it("counts lines across CRLF", () => {
    const text = '{\r\n  "locals": {\r\n    "a": 1,\r\n    "b": "x"\r\n  }\r\n}\r\n';
    const f = parse(text);
    expect(f.diagnostics).toEqual([]);
    const body = f.body.blocks[0].body;
    expect(lc(attr(body, "a").nameRange.start)).toBe("3:5");
    expect(lc(attr(body, "a").expr.range.start)).toBe("3:10");
    expect(lc(attr(body, "b").expr.range.end)).toBe("4:13");
    expect(lc(f.body.blocks[0].closeBraceRange.start)).toBe("5:3");
    expect(attr(body, "b").expr.range.end.offset).toBe(text.indexOf('"x"') + 3);
  });

  it("counts columns in UTF-16 units and bytes in UTF-8", () => {
    const text = '{"locals": {"é": "ü😀x", "b": 1}}';
    const f = parse(text);
    expect(f.diagnostics).toEqual([]);
    const body = f.body.blocks[0].body;
    const b = attr(body, "b");
    const offset = text.indexOf('"b"');
    expect(b.nameRange.start).toEqual({ offset, byte: Buffer.byteLength(text.slice(0, offset)), line: 1, column: offset + 1 });
    expect(b.nameRange.start.byte - b.nameRange.start.offset).toBe(1 + 1 + 2); // é, ü, 😀 (2 units, 4 bytes)
    expect(literalText(attr(body, "é").expr)).toBe("ü😀x");
    expect(attr(body, "é").expr.range.end).toEqual(posOf(text, ', "b"'));
  });

  it("reads non-ASCII text and escapes in a fixture, and its missing comma", () => {
    const f = fixture("broken.tf.json");
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]).toMatchObject({
      severity: "error",
      file: "broken.tf.json",
      message: 'expected `,` or `}` after an object property, found `"team"`',
    });
    expect(lc(f.diagnostics[0].range.start)).toBe("5:5");
    const body = f.body.blocks[0].body;
    expect(literalText(attr(body, "greeting").expr)).toBe("héllo");
    expect(literalText(attr(body, "owner").expr)).toBe("Zoë Ünal");
    expect(literalText(attr(body, "team").expr)).toBe("ops"); // read past the error
    const team = attr(body, "team").nameRange.start;
    expect(team.byte - team.offset).toBe(2); // ë and Ü before it
  });
});

describe("parseHclJson: invalid JSON", () => {
  function diagnose(text: string): { messages: string[]; at: string[]; f: File } {
    let f!: File;
    expect(() => (f = parse(text))).not.toThrow();
    expect(f.body.type).toBe("Body");
    for (const d of f.diagnostics) {
      expect(d.severity).toBe("error");
      expect(d.file).toBe("test.tf.json");
    }
    return { messages: f.diagnostics.map((d) => d.message), at: f.diagnostics.map((d) => lc(d.range.start)), f };
  }

  it("missing comma between properties and between array elements", () => {
    expect(diagnose('{"locals": {"a": 1\n "b": 2}}')).toMatchObject({
      messages: ['expected `,` or `}` after an object property, found `"b"`'],
      at: ["2:2"],
    });
    expect(diagnose('{"locals": {"a": [1 2]}}')).toMatchObject({
      messages: ["expected `,` or `]` after an array element, found `2`"],
      at: ["1:21"],
    });
  });

  it("trailing garbage", () => {
    expect(diagnose('{"locals": {}} x')).toMatchObject({ messages: ["unexpected `x` after the root object"], at: ["1:16"] });
    const two = diagnose("{}\n{}");
    expect(two.messages).toEqual(["unexpected `{` after the root object"]);
    expect(two.at).toEqual(["2:1"]);
  });

  it("root not an object", () => {
    expect(diagnose("[1, 2]")).toMatchObject({
      messages: ["the root of a JSON configuration file must be an object, not an array"],
      at: ["1:1"],
    });
    expect(diagnose(' "x"').messages).toEqual(["the root of a JSON configuration file must be an object, not a string"]);
    expect(diagnose("").messages).toEqual(["the file is empty: expected a JSON object"]);
    expect(diagnose("  \n").at).toEqual(["2:1"]);
  });

  it("unterminated string", () => {
    const r = diagnose('{"locals": {"a": "abc\n}}');
    expect(r.messages[0]).toBe('unterminated string: expected a closing `"` on the same line');
    expect(r.at[0]).toBe("1:18");
    expect(diagnose('{"locals": {"a": "abc').messages[0]).toMatch(/^unterminated string/);
  });

  it("unclosed object and array", () => {
    const r = diagnose('{\n  "locals": {\n    "a": 1\n  }\n');
    expect(r.messages).toEqual(["expected `}` to close the object opened at line 1, found the end of the file"]);
    expect(r.at).toEqual(["5:1"]);
    expect(r.f.body.blocks).toHaveLength(1); // best effort: what was read is there
    expect(diagnose('{"a": [1, 2').messages).toEqual([
      "expected `]` to close the array opened at line 1, found the end of the file",
    ]);
  });

  it("trailing commas, comments, missing colon, quotes, escapes, control characters, bad numbers", () => {
    expect(diagnose('{"locals": {"a": 1,}}')).toMatchObject({
      messages: ["a trailing `,` is not allowed in JSON before `}`"],
      at: ["1:19"],
    });
    expect(diagnose('{"a": [1,\n]}')).toMatchObject({ messages: ["a trailing `,` is not allowed in JSON before `]`"], at: ["1:9"] });
    expect(diagnose('{\n  // note\n  "a": 1}')).toMatchObject({
      messages: ['comments are not allowed in JSON; a "//" property can hold a comment'],
      at: ["2:3"],
    });
    expect(diagnose('{"a" 1}').messages).toEqual(["expected `:` after the property name, found `1`"]);
    expect(diagnose("{'a': 1}").messages).toEqual(["JSON strings and property names must be in double quotes"]);
    expect(diagnose('{"a": "x\\qy"}')).toMatchObject({ messages: ["invalid escape `\\q` in a JSON string"], at: ["1:9"] });
    expect(diagnose('{"a": "x\\u12"}').messages).toEqual(["invalid `\\u` escape: expected four hex digits"]);
    expect(diagnose('{"a": "x\ty"}')).toMatchObject({
      messages: ["control characters must be escaped in JSON strings (e.g. `\\t`, `\\n`)"],
      at: ["1:9"],
    });
    expect(diagnose('{"a": tru}').messages).toEqual(["unexpected `tru`: not valid JSON"]);
    expect(diagnose('{"a": 1.}').messages).toEqual(["invalid number `1.`"]);
    expect(diagnose('{"a": 01}').messages[0]).toBe("expected `,` or `}` after an object property, found `1`");
  });

  it("keeps a missing value as an Invalid expression", () => {
    const r = diagnose('{"locals": {"a": , "b": 2}}');
    const body = r.f.body.blocks[0].body;
    expect(attr(body, "a").expr.type).toBe("Invalid");
    expect(attr(body, "b").expr).toMatchObject({ type: "Literal", value: 2 });
  });

  it("survives absurd nesting", () => {
    const r = diagnose(`{"locals": {"a": ${"[".repeat(200000)}${"]".repeat(200000)}}}`);
    expect(r.messages).toEqual(["nesting is deeper than 500 levels; the file is not parsed"]);
  });

  it("never throws on any truncation, or deletion of a JSON character, of the fixtures", () => {
    // Deletions inside string contents are left out: they exercise the native template parser,
    // which has its own tests.
    for (const name of ["main.tf.json", "dynamic.tf.json", "broken.tf.json"]) {
      const text = readFileSync(join(fixtures, name), "utf8");
      const inString: boolean[] = [];
      let inside = false;
      for (let i = 0; i < text.length; i++) {
        // Quotes count as JSON characters; what is between them, escapes included, does not.
        if (!inside) {
          inString[i] = false;
          inside = text[i] === '"';
        } else if (text[i] === "\\") {
          inString[i] = inString[i + 1] = true;
          i++;
        } else {
          inside = text[i] !== '"';
          inString[i] = inside;
        }
      }
      for (let i = 0; i <= text.length; i++) {
        const cases = [text.slice(0, i)];
        if (!inString[i]) cases.push(text.slice(0, i) + text.slice(i + 1));
        for (const t of cases) {
          const f = parseHclJson(t, "cut.tf.json");
          expect(f.body.type).toBe("Body");
          for (const d of f.diagnostics) {
            expect(d.range.start.offset).toBeGreaterThanOrEqual(0);
            expect(d.range.end.offset).toBeLessThanOrEqual(t.length);
          }
        }
      }
    }
  });
});

describe("parseHclJson: duplicates", () => {
  it("reports an attribute set twice in one body", () => {
    const text = '{"locals": {\n  "a": 1,\n  "b": 2,\n  "a": 3\n}}';
    const f = parse(text);
    expect(f.diagnostics.map((d) => d.message)).toEqual(["attribute `a` is set twice; first set at line 2"]);
    expect(f.diagnostics[0].range).toEqual({ start: posOf(text, '"a"', 1), end: posOf(text, ": 3") });
  });

  it("allows the same attribute in different blocks and in repeated block keys", () => {
    const f = parse('{"locals": {"a": 1}, "locals": {"b": 1}, "provider": {"aws": [{"region": "x"}, {"region": "y"}]}}');
    expect(f.diagnostics).toEqual([]);
  });

  it("reports a literal object key set twice", () => {
    const f = parse('{"locals": {"m": {"k": 1, "k": 2}}}');
    expect(f.diagnostics.map((d) => d.message)).toEqual(["object key `k` is set twice; first set at line 1"]);
  });
});

// The shared corpus lives beside the project (../shared/corpus); it is absent on some machines.
function findJsonConfigs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findJsonConfigs(p));
    else if (name.endsWith(".tf.json") || name.endsWith(".hcl.json")) out.push(p);
  }
  return out;
}
const haveCorpus = existsSync(corpus);
if (!haveCorpus) console.warn(`json.test: ${corpus} is absent; the corpus test is skipped`);

describe("parseHclJson: corpus", () => {
  it.skipIf(!haveCorpus)("parses every .tf.json / .hcl.json file in ../shared/corpus without errors", () => {
    const files = findJsonConfigs(corpus);
    expect(files).toContain(join(corpus, "hashicorp/hcl/specsuite/tests/empty.hcl.json"));
    for (const file of files) {
      const f = parseHclJson(readFileSync(file, "utf8"), file);
      expect(f.diagnostics.filter((d) => d.severity === "error"), file).toEqual([]);
    }
  });
});
