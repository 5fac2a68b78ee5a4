// Conformance with HashiCorp's parser. For every `.tf` file of the shared corpus
// (`<root>/../shared/corpus`, real-world Terraform) and of `<root>/fixtures`, our parser must
// report no error, and the "value form" of our tree (test/helpers/value-form.ts) must equal
// what the oracle, npm `hcl2-parser` (HashiCorp HCL 2.10 + tmccombs/hcl2json, compiled to
// JavaScript), makes of the same text.
//
// What that compares: the whole structure (every attribute name, every block with its type
// and labels, in order within each type/labels group, nested bodies); every literal value
// (numbers, bools, null, string text with escapes decoded, heredoc indentation removed, `~`
// stripping applied, NFC-normalised); template structure (literal text vs interpolations vs
// directives); object keys; and, for every other expression, its exact source range (the
// oracle gives such expressions as "${" + source text + "}"). Not compared: the inner tree of
// non-literal expressions (operator precedence, traversal steps, ...) beyond the source text
// each one covers; comments; ranges other than expression ranges.
//
// Normalisations: none. Both sides are compared exactly as produced. (hcl2json's one quirk on
// expression text, appending a `)` that follows an expression's range, is reproduced by the
// value form, not normalised away.)
//
// The oracle runs at about 0.2 MB/s (the 1.7 MB corpus takes ~10 s): one call per file.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import hcl from "hcl2-parser";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/hcl/ast.js";
import { parseHcl } from "../../src/hcl/parser.js";
import { corpusDir, corpusMissingReason, listFiles, projectRoot } from "../helpers/shared.js";
import { toValueForm } from "../helpers/value-form.js";

/** The oracle's value form of `text`, or its error message. */
function oracle(text: string): { value: unknown; error: string | null } {
  const [value, err] = (hcl as { parseToObject(text: string): [unknown, unknown] }).parseToObject(text);
  if (err) return { value: undefined, error: String((err as { message?: unknown }).message ?? err) };
  return { value, error: null };
}

function describeDiagnostic(d: Diagnostic): string {
  return `${d.range.start.line}:${d.range.start.column}: ${d.message}`;
}

/** The JSON path of the first place where `a` and `b` differ, for a readable failure. */
function firstDifference(a: unknown, b: unknown, path = "$"): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return `${path}: ours ${JSON.stringify(a)}, oracle ${JSON.stringify(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: ours ${JSON.stringify(a)}, oracle ${JSON.stringify(b)}`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ours has ${a.length} elements, oracle ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of [...keys].sort()) {
    const sub = `${path}[${JSON.stringify(k)}]`;
    if (!(k in ao)) return `${sub}: missing in ours (oracle ${JSON.stringify(bo[k])})`;
    if (!(k in bo)) return `${sub}: not in oracle (ours ${JSON.stringify(ao[k])})`;
    const d = firstDifference(ao[k], bo[k], sub);
    if (d) return d;
  }
  return null;
}

function checkFile(path: string): void {
  const text = readFileSync(path, "utf8");
  const file = parseHcl(text, path);
  const errors = file.diagnostics.filter((d) => d.severity === "error").map(describeDiagnostic);
  expect(errors, "our parser reports errors").toEqual([]);

  const expected = oracle(text);
  expect(expected.error, "the oracle rejects the file").toBeNull();
  const actual = toValueForm(file);
  const diff = firstDifference(actual, expected.value);
  expect(actual, diff ?? "").toEqual(expected.value);
}

describe("oracle: shared corpus", () => {
  if (corpusDir === null) {
    console.warn(`oracle.test.ts: corpus comparison skipped: ${corpusMissingReason}`);
    it.skipIf(true)(`corpus comparison (skipped: ${corpusMissingReason})`, () => {});
    return;
  }
  const dir = corpusDir;
  const files = listFiles(dir, ".tf");
  it("finds the corpus files", () => {
    expect(files.length).toBeGreaterThan(0);
  });
  it.each(files.map((f) => [relative(dir, f), f]))("%s", (_name, path) => checkFile(path));
});

describe("oracle: fixtures", () => {
  const dir = join(projectRoot, "fixtures");
  const files = listFiles(dir, ".tf");
  if (files.length === 0) {
    it.skipIf(true)("fixtures (no .tf files under fixtures/)", () => {});
    return;
  }
  it.each(files.map((f) => [relative(projectRoot, f), f]))("%s", (_name, path) => checkFile(path));
});

// Closing lines of heredocs: HashiCorp's scanner trims white space (Go's unicode.IsSpace) from
// both ends of a line before comparing it with the marker, and only a line ending with a
// newline closes (Checkov's test fixtures end markers with spaces; Terraform rejects a marker
// on a file's last line with no newline after it, hashicorp/terraform#31450).
describe("oracle: heredoc closing lines", () => {
  const cases: Array<[string, string]> = [
    ["trailing spaces", "a = <<EOT\nx\nEOT  \nb = 1\n"],
    ["a trailing tab", "a = <<EOT\nx\nEOT\t\n"],
    ["CRLF", "a = <<EOT\nx\nEOT\r\n"],
    ["a space before CRLF", "a = <<EOT\nx\nEOT \r\n"],
    ["no-break space, vertical tab, form feed, ideographic space after", "a = <<EOT\nx\nEOT\u00a0\nb = <<EOT\ny\nEOT\u000b\nc = <<EOT\nz\nEOT\f\nd = <<EOT\nw\nEOT\u3000\n"],
    ["a no-break space before", "a = <<EOT\nx\n\u00a0EOT\n"],
    ["indented, trailing spaces, <<-", "a = <<-EOT\n  x\n  EOT  \n"],
    ["nested in an interpolation", "a = <<EOT\n${<<EOF\ny\nEOF  \n}\nEOT \n"],
    ["a zero-width space after (not white space)", "a = <<EOT\nx\nEOT\u200b\n"],
    ["the marker on the last line, no newline", "a = <<EOT\nx\nEOT"],
    ["the marker and spaces on the last line, no newline", "a = <<EOT\nx\nEOT  "],
    ["an interpolation after the marker", "a = <<EOT\nx\nEOT ${1}\n"],
    ["a lone CR after the marker", "a = <<EOT\nx\nEOT\r\rb = 1\n"],
    ["a longer word", "a = <<EOT\nx\nEOTX\nEOT\n"],
  ];
  it.each(cases)("%s", (_name, text) => {
    const expected = oracle(text);
    const file = parseHcl(text, "t.tf");
    const errors = file.diagnostics.filter((d) => d.severity === "error").map(describeDiagnostic);
    if (expected.error !== null) {
      expect(errors.length, "the oracle rejects the text; our parser must too").toBeGreaterThan(0);
      return;
    }
    expect(errors, "the oracle accepts the text; our parser must too").toEqual([]);
    const actual = toValueForm(file);
    expect(actual, firstDifference(actual, expected.value) ?? "").toEqual(expected.value);
  });
});
