// The skim of top-level blocks (src/hcl/skim.ts), as the scan's survey uses it (moduleBlocksOf in
// src/terraform/stream.ts), against the parser: wherever it answers, the `module` blocks it
// gives must be those the parser finds in the whole file (labels, source), in the same order;
// where it cannot be sure it must not answer.
// Checked on hand-written traps, on the fixtures and the shared corpus, on those files mutated
// at random (fast-check: errors the parser recovers from must not fool the skim), and at the
// parser's nesting limit.
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHcl, MAX_NESTING } from "../../src/hcl/parser.js";
import { topLevelBlockSpans } from "../../src/hcl/skim.js";
import { sourceOf } from "../../src/terraform/project.js";
import { moduleBlocksOf } from "../../src/terraform/stream.js";
import { corpusDir, listFiles, projectRoot } from "../helpers/shared.js";

type Summary = Array<{ labels: string[]; source: string | undefined }>;

const summary = (blocks: ReturnType<typeof parseHcl>["body"]["blocks"]): Summary =>
  blocks.filter((b) => b.blockType === "module").map((b) => ({ labels: b.labels.map((l) => l.value), source: sourceOf(b) }));

/** The module blocks as the parser finds them in the whole file. */
const byParser = (text: string): Summary => summary(parseHcl(text, "t.tf").body.blocks);

/** The module blocks as the scan's survey takes them from the skim (stream.ts), or undefined where it parses the whole file. */
function bySkim(text: string): Summary | undefined {
  const blocks = moduleBlocksOf(text, "t.tf");
  return blocks && summary(blocks);
}

/** The skim answers the parser's answer, or nothing. Returns whether it answered. */
function agrees(text: string): boolean {
  const skimmed = bySkim(text);
  if (skimmed !== undefined) expect(skimmed).toEqual(byParser(text));
  return skimmed !== undefined;
}

const mod = (name: string, source: string) => `module "${name}" {\n  source = "${source}"\n}\n`;

describe("topLevelBlockSpans", () => {
  it("finds top-level module blocks, not the word elsewhere", () => {
    const text = [
      '# module "c1" { source = "./no" }',
      "/* module \"c2\" {\n source = \"./no\"\n} */",
      'locals {\n  a = "module \\"x\\" { }"\n  b = <<EOT\nmodule "h" {\n  source = "./heredoc"\n}\nEOT\n  c = "${ {for k, v in var.m : k => "}"} }"\n  d = module.x.out\n  e = "$${not a sequence %%{ either"\n}',
      mod("a", "./a"),
      'resource "x" "y" {\n  module "nested" {\n    source = "./no"\n  }\n}',
      'module b {\n  source = "../b"\n  count  = 2\n  tags   = { a = "%{ if true }}%{ endif }" }\n}',
      'module "single" { source = "./single" }',
      'module "tpl" {\n  source = "./x/${var.v}"\n}',
      "module = 1",
      'module "hd" {\n  source = <<EOT\n./hd\nEOT\n}',
      'module "obj" {\n  inputs = {\n    source = "./not"\n  }\n  source = (\n    "./obj"\n  ) # why\n}',
      'module "nosrc" {\n  version = "1.0"\n}',
      'module "blk" {\n  source {\n  }\n}',
      "",
    ].join("\n");
    expect(agrees(text)).toBe(true);
    expect(bySkim(text)).toEqual([
      { labels: ["a"], source: "./a" },
      { labels: ["b"], source: "../b" },
      { labels: ["single"], source: "./single" },
      { labels: ["tpl"], source: undefined },
      { labels: ["hd"], source: "./hd\n" },
      { labels: ["obj"], source: "./obj" },
      { labels: ["nosrc"], source: undefined },
      { labels: ["blk"], source: undefined },
    ]);
    // Where only the whole block says (one line, or a nested block named so), the span says so.
    const spans = topLevelBlockSpans(text, "module", "source") ?? [];
    expect(spans.map((sp) => sp.whole)).toEqual([false, false, true, false, false, false, false, true]);
    expect(text.slice(spans[5].attribute!.start, spans[5].attribute!.end)).toBe('source = (\n    "./obj"\n  ) # why');
  });

  it("CRLF line ends, indented heredoc markers, escapes in quoted strings", () => {
    const text = 'locals {\r\n  p = <<-EOF\r\n    { "a": "${var.x}" }\r\n    EOF\r\n  q = "\\"}\\\\"\r\n}\r\nmodule "m" {\r\n  source = "./m"\r\n}\r\n';
    expect(agrees(text)).toBe(true);
    expect(bySkim(text)).toEqual([{ labels: ["m"], source: "./m" }]);
  });

  it("closes heredocs where the parser does: white space around the marker, a newline after it", () => {
    const after = mod("m", "./m");
    for (const close of ["EOT  \n", " EOT\t\r\n", "EOT\u00a0\n", "EOT\u200b\n", "EOT ${x}\n"]) {
      const text = `locals {\n  p = <<EOT\nx\n${close}}\n${after}`;
      agrees(text);
    }
    expect(agrees(`locals {\n  p = <<EOT\nx\nEOT  \n}\n${after}`)).toBe(true);
    expect(bySkim(`locals {\n  p = <<EOT\nx\nEOT  \n}\n${after}`)).toEqual([{ labels: ["m"], source: "./m" }]);
    // A marker on the last line with no newline closes nothing: the parser says so, the skim does not answer.
    expect(bySkim(`${after}locals {\n  p = <<EOT\nx\nEOT`)).toBeUndefined();
  });

  it("does not answer for text it cannot follow exactly", () => {
    const cases = [
      'locals {\n  a = "not closed\n}\n' + mod("m", "./m"), // a quoted string across lines
      "locals {\n  a = [1, 2\n}\n" + mod("m", "./m"), // brackets that do not match
      "locals {} " + mod("m", "./m"), // something after a block's `}` on its line
      'locals {\n  a = "é"\n  é = 1\n}\n' + mod("m", "./m"), // non-ASCII outside strings
      "locals {\n  a = <<EOF\nmodule\n" + mod("m", "./m"), // a heredoc never closed
      "/* not closed\n" + mod("m", "./m"),
      'module "m"\n{\n  source = "./m"\n}\n', // the brace on the next line
      'module "m" "\\n" {\n  source = "./m"\n}\n', // an escape in a label
      '"x" = 1\n' + mod("m", "./m"), // an item that starts with a string
      "a = 1 << 2\n" + mod("m", "./m"), // `<<` that opens no heredoc
      "a = $x\n" + mod("m", "./m"), // an invalid character
      'module "m" {\n  source = "./a"\n  source = "./b"\n}\n', // an argument set twice
    ];
    for (const text of cases) {
      expect(bySkim(text), text).toBeUndefined();
    }
  });

  it("leaves to the parser text nested near its limit", () => {
    for (const depth of [10, 50, 100, 200, MAX_NESTING - 1, MAX_NESTING + 1, 2 * MAX_NESTING]) {
      const texts = [
        `locals {\n  a = ${"[".repeat(depth)}${"]".repeat(depth)}\n}\n${mod("m", "./m")}`,
        `locals {\n  a = x${".y".repeat(depth)}\n}\n${mod("m", "./m")}`,
        `locals {\n  a = 1${" + 1".repeat(depth)}\n}\n${mod("m", "./m")}`,
        `locals {\n  a = ${"!".repeat(depth)}true\n}\n${mod("m", "./m")}`,
        `locals {\n  a = ${'"${'.repeat(depth)}1${'}"'.repeat(depth)}\n}\n${mod("m", "./m")}`,
        `${"a {\n".repeat(depth)}${"}\n".repeat(depth)}${mod("m", "./m")}`,
      ];
      for (const text of texts) {
        const tooDeep = parseHcl(text, "t.tf").diagnostics.some((d) => d.message.startsWith("nesting is deeper"));
        const answered = agrees(text);
        if (tooDeep) expect(answered, text.slice(0, 80)).toBe(false);
      }
    }
  });

  const files = [...listFiles(path.join(projectRoot, "fixtures"), ".tf"), ...(corpusDir ? listFiles(corpusDir, ".tf") : [])];
  const texts = files.map((f) => fs.readFileSync(f, "utf8"));
  const withModules = texts.filter((t) => /(?<![\w.-])module(?![\w.-])/.test(t));

  it(`agrees with the parser on the fixtures${corpusDir ? " and the corpus" : " (the shared corpus is absent: fixtures only)"}, and answers for most files`, () => {
    let answered = 0;
    for (const text of texts) if (agrees(text)) answered++;
    expect(withModules.length).toBeGreaterThan(10);
    expect(answered).toBeGreaterThan(texts.length * 0.8);
  });

  it("agrees with the parser on those files mutated at random", () => {
    const SNIPPETS = ["{", "}", "[", "]", "(", ")", '"', "\n", "\r\n", "#", "//", "/*", "*/", "<<EOT\n", "\nEOT\n", "${", "%{", "$${", "\\", "~}", "=", "module", 'module "z" {\n  source = "./z"\n}\n', "é", "\t"];
    const edit = fc.record({
      at: fc.integer({ min: 0, max: 999_999 }),
      cut: fc.integer({ min: 0, max: 40 }),
      snippet: fc.nat(SNIPPETS.length - 1),
    });
    fc.assert(
      fc.property(fc.nat(withModules.length - 1), fc.array(edit, { minLength: 1, maxLength: 4 }), (which, edits) => {
        let text = withModules[which];
        for (const e of edits) {
          const at = Math.floor((e.at / 1_000_000) * text.length);
          text = text.slice(0, at) + SNIPPETS[e.snippet] + text.slice(at + e.cut);
        }
        agrees(text);
      }),
      { numRuns: 1500 },
    );
  });
});
