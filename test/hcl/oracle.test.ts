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
