// HashiCorp's HCL specification suite (`<shared>/corpus/hashicorp/hcl/specsuite/tests`), run
// against our parsers. Each case `X.t` comes with an input `X.hcl` (and/or `X.hcl.json`) and an
// hcldec spec `X.hcldec`: HashiCorp's runner (hcl/cmd/hclspecsuite) decodes the input with the
// spec and compares the diagnostics, or the result value, with what `X.t` expects.
//
// We have a parser, not hcldec, so this is what we check, honestly:
//
// - `X.t` and `X.hcldec` are HCL themselves: we read them with our own parser (which must
//   accept them without errors).
// - `diagnostics { error { from {…} to {…} } }` in `X.t`: the input must make our parser report
//   at least one error, and for every expected error our parser must report one that starts on
//   the same line (asserted: it holds for every case). Column and byte offsets, end positions,
//   and errors of ours on lines the .t does not list are compared softly: differences are
//   printed (console.warn), not failed. (HashiCorp's runner would fail on them; see the
//   summary printed at the end.)
// - Cases whose expected error comes from the *decoder*, not the parser (an attribute or block
//   the spec does not allow; "Unsupported argument"), are out of scope for a parser: for those
//   we assert that our parser reports no error, and that our reading of the .hcldec does
//   reject the input at the expected line (so the list below is checked, not just claimed).
//   They are:
//     structure/attributes/unexpected   (`c` is not an attribute of the spec's object)
// - `result = …` with no diagnostics: the input must parse without errors, and we decode it
//   with a small interpreter of the hcldec spec forms these cases use (`literal`, `object`,
//   `attr`, `block`, `block_list`, `block_map`, `variables`) and compare with `result` the
//   values we can evaluate without an evaluator: number/bool/null literals (numbers exactly, as
//   decimal text, so 3.14159265358979323846264338327950288419716939937510582097494459 keeps
//   every digit), `-`/`!` applied to a literal, strings and heredocs (escapes, indentation
//   stripping of `<<-`, NFC normalisation), templates whose interpolations are literals or
//   variables defined in the spec's `variables` block (heredoc.hcldec defines `bar` and
//   `space_bar`), tuples and objects of those. Anything else (binary operators, conditionals,
//   function calls, references to unknown names, template directives) is NOT compared: the key
//   must still be there, with some value; each case prints how many values it compared and
//   skipped (e.g. operators.hcl: only `!true`/`!false` are compared, the rest are operators).
//   The spec's `type` constraints and `result_type` (type conversion), and `traversals`
//   expectations, are not checked.
// - `X.hcl.json`: read with `parseHclJson` from src/hcl/json.ts when it exists (it does: the
//   suite has one JSON case, `empty.hcl.json`), otherwise skipped with a printed reason.
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Block, Body, Diagnostic, Expression, File, TemplateExpr } from "../../src/hcl/ast.js";
import { parseHcl } from "../../src/hcl/parser.js";
import { corpusDir, corpusMissingReason, listFiles } from "../helpers/shared.js";
import { canonicalDecimal } from "../helpers/value-form.js";

// ------------------------------------------------------------------ the JSON parser, if any

type Parse = (text: string, fileName: string) => File;
let parseHclJson: Parse | null = null;
let jsonMissingReason = "";
try {
  const mod = (await import("../../src/hcl/json.js")) as { parseHclJson?: unknown };
  if (typeof mod.parseHclJson === "function") parseHclJson = mod.parseHclJson as Parse;
  else jsonMissingReason = "src/hcl/json.ts does not export parseHclJson";
} catch (e) {
  jsonMissingReason = `src/hcl/json.ts could not be loaded (${String(e)})`;
}

// ------------------------------------------------------------------ literal values

/** A value we do not evaluate (operators, calls, unknown references, directives). */
const NOT_EVALUATED = Symbol("not evaluated");

/** A number, as exact decimal text (HCL numbers are arbitrary precision). */
class Num {
  constructor(readonly decimal: string) {}
}

type Value = null | boolean | string | Num | Value[] | { [key: string]: Value } | typeof NOT_EVALUATED;
type Vars = Map<string, Value>;

function isObj(v: unknown): v is Record<string, Value> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Num);
}

function negate(d: string): string {
  return d.startsWith("-") ? d.slice(1) : d === "0" ? "0" : `-${d}`;
}

/** The value of `expr` where it is literal (see the header), else NOT_EVALUATED. */
function evaluate(expr: Expression, vars: Vars): Value {
  switch (expr.type) {
    case "Literal":
      return typeof expr.value === "number" ? new Num(canonicalDecimal(expr.raw)) : expr.value;
    case "Unary": {
      const v = evaluate(expr.operand, vars);
      if (expr.op === "-" && v instanceof Num) return new Num(negate(v.decimal));
      if (expr.op === "!" && typeof v === "boolean") return !v;
      return NOT_EVALUATED;
    }
    case "Template":
      return evaluateTemplate(expr, vars);
    case "Variable":
      return vars.get(expr.name) ?? NOT_EVALUATED;
    case "Parens":
      return evaluate(expr.expr, vars);
    case "Tuple":
      return expr.items.map((item) => evaluate(item, vars));
    case "Object": {
      const out: Record<string, Value> = {};
      for (const item of expr.items) {
        const key = item.bareKey && item.key.type === "Variable" ? item.key.name : asString(evaluate(item.key, vars));
        if (key === null) return NOT_EVALUATED;
        out[key] = evaluate(item.value, vars);
      }
      return out;
    }
    default:
      return NOT_EVALUATED;
  }
}

function asString(v: Value): string | null {
  if (typeof v === "string") return v;
  if (v instanceof Num) return v.decimal;
  if (typeof v === "boolean") return String(v);
  return null;
}

function evaluateTemplate(t: TemplateExpr, vars: Vars): Value {
  if (t.wrapped !== undefined) return evaluate(t.wrapped, vars);
  let out = "";
  for (const part of t.parts) {
    if (part.type === "TemplateLiteral") out += part.value;
    else if (part.type === "TemplateInterpolation") {
      const s = asString(evaluate(part.expr, vars));
      if (s === null) return NOT_EVALUATED;
      out += s;
    } else return NOT_EVALUATED; // %{if} / %{for} directives
  }
  return out;
}

/** `expected` with every place where `actual` is NOT_EVALUATED replaced by NOT_EVALUATED. */
function project(actual: Value, expected: Value, tally: { compared: number; skipped: number }): Value {
  if (actual === NOT_EVALUATED) {
    tally.skipped++;
    return NOT_EVALUATED;
  }
  if (Array.isArray(actual) && Array.isArray(expected) && actual.length === expected.length) {
    return expected.map((e, i) => project(actual[i] as Value, e, tally));
  }
  if (isObj(actual) && isObj(expected)) {
    const out: Record<string, Value> = {};
    for (const [k, e] of Object.entries(expected)) out[k] = k in actual ? project(actual[k] as Value, e, tally) : e;
    return out;
  }
  tally.compared++;
  return expected;
}

// ------------------------------------------------------------------ a small hcldec

interface DecodeError {
  message: string;
  line: number;
}

const SPEC_KINDS = new Set(["literal", "object", "attr", "block", "block_list", "block_map"]);

function attrOf(body: Body, name: string): Expression | null {
  return body.attributes.find((a) => a.name === name)?.expr ?? null;
}

function stringAttr(spec: Block, name: string): string | null {
  const e = attrOf(spec.body, name);
  if (e === null) return null;
  const v = evaluate(e, new Map());
  return typeof v === "string" ? v : null;
}

/** The nested spec of a block/block_list/block_map spec (its one spec-kind child block). */
function innerSpec(spec: Block): Block | null {
  return spec.body.blocks.find((b) => SPEC_KINDS.has(b.blockType)) ?? null;
}

/** The name under which an attr/block spec appears: its label, or its `name`/`block_type`. */
function specName(spec: Block): string {
  const explicit = stringAttr(spec, spec.blockType === "attr" ? "name" : "block_type");
  return explicit ?? spec.labels[0]?.value ?? "";
}

/** The attribute names and block types a spec reads from one body (hcldec's ImpliedSchema). */
function impliedSchema(spec: Block, attrs: Set<string>, blocks: Set<string>): void {
  switch (spec.blockType) {
    case "attr":
      attrs.add(specName(spec));
      break;
    case "block":
    case "block_list":
    case "block_map":
      blocks.add(specName(spec));
      break;
    case "object":
      for (const child of spec.body.blocks) if (SPEC_KINDS.has(child.blockType)) impliedSchema(child, attrs, blocks);
      break;
  }
}

/** hcldec's `body.Content(schema)`: what the spec does not allow is an error. */
function checkContent(spec: Block | null, body: Body, errors: DecodeError[]): void {
  const attrs = new Set<string>();
  const blocks = new Set<string>();
  if (spec) impliedSchema(spec, attrs, blocks);
  for (const a of body.attributes) {
    if (!attrs.has(a.name)) errors.push({ message: `Unsupported argument "${a.name}"`, line: a.nameRange.start.line });
  }
  for (const b of body.blocks) {
    if (!blocks.has(b.blockType)) errors.push({ message: `Unsupported block type "${b.blockType}"`, line: b.typeRange.start.line });
  }
}

/** Decodes the body of one block against the nested spec of a block-kind spec. */
function decodeBlockBody(spec: Block, body: Body, vars: Vars, errors: DecodeError[]): Value {
  const inner = innerSpec(spec);
  checkContent(inner, body, errors);
  return inner ? decode(inner, body, vars, errors) : null;
}

function decode(spec: Block, body: Body, vars: Vars, errors: DecodeError[]): Value {
  switch (spec.blockType) {
    case "literal": {
      const e = attrOf(spec.body, "value");
      return e === null ? null : evaluate(e, new Map());
    }
    case "object": {
      const out: Record<string, Value> = {};
      for (const child of spec.body.blocks) {
        if (SPEC_KINDS.has(child.blockType)) out[child.labels[0]?.value ?? specName(child)] = decode(child, body, vars, errors);
      }
      return out;
    }
    case "attr": {
      const e = attrOf(body, specName(spec));
      return e === null ? null : evaluate(e, vars);
    }
    case "block": {
      const found = body.blocks.filter((b) => b.blockType === specName(spec));
      if (found.length === 0) return null;
      if (found.length > 1) errors.push({ message: `Duplicate ${specName(spec)} block`, line: found[1].typeRange.start.line });
      return decodeBlockBody(spec, found[0].body, vars, errors);
    }
    case "block_list":
      return body.blocks.filter((b) => b.blockType === specName(spec)).map((b) => decodeBlockBody(spec, b.body, vars, errors));
    case "block_map": {
      const labelsExpr = attrOf(spec.body, "labels");
      const labelNames = labelsExpr ? evaluate(labelsExpr, new Map()) : [];
      const depth = Array.isArray(labelNames) ? labelNames.length : 0;
      const out: Record<string, Value> = {};
      for (const b of body.blocks.filter((x) => x.blockType === specName(spec))) {
        if (b.labels.length !== depth) {
          errors.push({ message: `block ${b.blockType} needs ${depth} labels`, line: b.typeRange.start.line });
          continue;
        }
        let level = out;
        b.labels.forEach((label, i) => {
          if (i === depth - 1) {
            if (label.value in level) errors.push({ message: `Duplicate ${b.blockType} block`, line: b.typeRange.start.line });
            level[label.value] = decodeBlockBody(spec, b.body, vars, errors);
          } else {
            const next = level[label.value];
            level = (isObj(next) ? next : (level[label.value] = {})) as Record<string, Value>;
          }
        });
      }
      return out;
    }
    default:
      throw new Error(`unsupported hcldec spec \`${spec.blockType}\``);
  }
}

/** Decodes a whole input file with an .hcldec file, as `hcldec --spec=X.hcldec input` would. */
function decodeFile(specFile: File, input: Body): { value: Value; errors: DecodeError[] } {
  const vars: Vars = new Map();
  for (const block of specFile.body.blocks.filter((b) => b.blockType === "variables")) {
    for (const a of block.body.attributes) vars.set(a.name, evaluate(a.expr, new Map()));
  }
  const spec = specFile.body.blocks.find((b) => SPEC_KINDS.has(b.blockType)) ?? null;
  const errors: DecodeError[] = [];
  checkContent(spec, input, errors);
  const value = spec ? decode(spec, input, vars, errors) : null;
  return { value, errors };
}

// ------------------------------------------------------------------ the .t files

interface ExpectedDiagnostic {
  severity: "error" | "warning";
  from: { line: number; column: number; byte: number };
  to: { line: number; column: number; byte: number } | null;
}

interface TestFile {
  diagnostics: ExpectedDiagnostic[];
  result: Value | undefined;
}

function readPos(block: Block | undefined): { line: number; column: number; byte: number } | null {
  if (!block) return null;
  const num = (name: string): number => {
    const e = attrOf(block.body, name);
    const v = e ? evaluate(e, new Map()) : null;
    return v instanceof Num ? Number(v.decimal) : NaN;
  };
  return { line: num("line"), column: num("column"), byte: num("byte") };
}

function readTestFile(file: File): TestFile {
  const diagnostics: ExpectedDiagnostic[] = [];
  for (const d of file.body.blocks.filter((b) => b.blockType === "diagnostics")) {
    for (const e of d.body.blocks) {
      if (e.blockType !== "error" && e.blockType !== "warning") continue;
      const from = readPos(e.body.blocks.find((b) => b.blockType === "from"));
      if (from === null) throw new Error(`${file.fileName}: an expected ${e.blockType} without \`from\``);
      diagnostics.push({ severity: e.blockType, from, to: readPos(e.body.blocks.find((b) => b.blockType === "to")) });
    }
  }
  const resultExpr = attrOf(file.body, "result");
  return { diagnostics, result: resultExpr === null ? undefined : evaluate(resultExpr, new Map()) };
}

// ------------------------------------------------------------------ the cases

/** Expected errors that HashiCorp's *decoder* raises (schema), not its parser. */
const DECODER_LEVEL = new Set(["structure/attributes/unexpected"]);

const softNotes: string[] = [];

function errorsOf(file: File): Diagnostic[] {
  return file.diagnostics.filter((d) => d.severity === "error");
}

function fmt(p: { line: number; column: number; byte: number }): string {
  return `${p.line}:${p.column} (byte ${p.byte})`;
}

function runInput(name: string, inputPath: string, parse: Parse, specFile: File, t: TestFile): void {
  const text = readFileSync(inputPath, "utf8");
  const input = parse(text, inputPath);
  const ours = errorsOf(input);
  const label = relative(specDir ?? "", inputPath);

  if (t.diagnostics.length > 0 && DECODER_LEVEL.has(name)) {
    expect(ours.map((d) => d.message), "a decoder-level error: the parser must accept the file").toEqual([]);
    const { errors } = decodeFile(specFile, input.body);
    for (const want of t.diagnostics) {
      expect(errors.map((e) => e.line), "the .hcldec should reject this input on the expected line").toContain(want.from.line);
    }
    return;
  }

  if (t.diagnostics.length > 0) {
    expect(ours.length, "the parser must report an error").toBeGreaterThan(0);
    const matched = new Set<Diagnostic>();
    for (const want of t.diagnostics) {
      const onLine = ours.filter((d) => d.range.start.line === want.from.line);
      expect(onLine.map((d) => d.range.start.line), `an error starting on line ${want.from.line}`).toContain(want.from.line);
      const exact = onLine.find(
        (d) => d.range.start.column === want.from.column && d.range.start.byte === want.from.byte,
      );
      const got = exact ?? onLine[0];
      matched.add(got);
      if (!exact) softNotes.push(`${label}: error expected from ${fmt(want.from)}, ours from ${fmt(got.range.start)}: ${got.message}`);
      else if (want.to && (got.range.end.line !== want.to.line || got.range.end.column !== want.to.column || got.range.end.byte !== want.to.byte)) {
        softNotes.push(`${label}: error from ${fmt(want.from)} expected to end at ${fmt(want.to)}, ours ends at ${fmt(got.range.end)}`);
      }
    }
    for (const d of ours) {
      if (!matched.has(d) && !t.diagnostics.some((w) => w.from.line === d.range.start.line)) {
        softNotes.push(`${label}: extra error at ${fmt(d.range.start)} (not in the .t): ${d.message}`);
      }
    }
    return;
  }

  expect(ours.map((d) => `${d.range.start.line}:${d.range.start.column}: ${d.message}`), "parse errors").toEqual([]);
  const { value, errors } = decodeFile(specFile, input.body);
  expect(errors, "the input should satisfy the .hcldec schema").toEqual([]);
  if (t.result === undefined) return; // only a result_type: nothing to compare the value with
  const tally = { compared: 0, skipped: 0 };
  const expected = project(value, t.result, tally);
  expect(value).toEqual(expected);
  softNotes.push(`${label}: result compared on ${tally.compared} value(s), ${tally.skipped} not evaluated (not literal)`);
}

const specDir = corpusDir === null ? null : join(corpusDir, "hashicorp/hcl/specsuite/tests");

describe("HCL specsuite", () => {
  if (specDir === null || !existsSync(specDir)) {
    const why = corpusMissingReason ?? `${specDir} not found`;
    console.warn(`specsuite.test.ts: skipped: ${why}`);
    it.skipIf(true)(`specsuite (skipped: ${why})`, () => {});
    return;
  }
  const dir = specDir;
  const cases = listFiles(dir, ".t").map((p) => relative(dir, p).slice(0, -2));

  afterAll(() => {
    if (softNotes.length > 0) console.warn(`specsuite soft notes:\n  ${softNotes.join("\n  ")}`);
  });

  it("finds the cases", () => expect(cases.length).toBeGreaterThan(0));

  for (const name of cases) {
    const base = join(dir, name);
    const tFile = parseHcl(readFileSync(`${base}.t`, "utf8"), `${base}.t`);
    const specFile = parseHcl(readFileSync(`${base}.hcldec`, "utf8"), `${base}.hcldec`);

    describe(name, () => {
      it("reads the .t and .hcldec files without errors", () => {
        expect(errorsOf(tFile)).toEqual([]);
        expect(errorsOf(specFile)).toEqual([]);
      });
      const t = readTestFile(tFile);

      if (existsSync(`${base}.hcl`)) {
        it(`${name}.hcl`, () => runInput(name, `${base}.hcl`, parseHcl, specFile, t));
      }
      if (existsSync(`${base}.hcl.json`)) {
        if (parseHclJson === null) {
          console.warn(`specsuite.test.ts: ${name}.hcl.json skipped: ${jsonMissingReason}`);
          it.skipIf(true)(`${name}.hcl.json (skipped: ${jsonMissingReason})`, () => {});
        } else {
          const parseJson = parseHclJson;
          it(`${name}.hcl.json`, () => runInput(name, `${base}.hcl.json`, parseJson, specFile, t));
        }
      }

      if (name.startsWith("comments/")) {
        // Beyond the .t (whose spec is a literal "ok"): the file is one comment and nothing else.
        it("reads the file as a single comment", () => {
          const text = readFileSync(`${base}.hcl`, "utf8");
          const file = parseHcl(text, `${base}.hcl`);
          expect(file.body.attributes.length + file.body.blocks.length).toBe(0);
          expect(file.comments.map((c) => c.text)).toEqual([text.trimEnd()]);
          expect(file.comments[0]?.kind).toBe(text.startsWith("/*") ? "block" : "line");
        });
      }
    });
  }
});
