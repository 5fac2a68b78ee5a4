// Property tests: the parser never throws, returns in bounded time, and keeps its positions
// consistent, whatever it is given: (a) arbitrary text and token soup, (b) mutated real-world
// files from the shared corpus, (c) nesting 10,000 levels deep. Seeds are fixed, so every run
// tests the same inputs; a failure prints its seed and path for `fc.assert` to replay.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseHcl } from "../../src/hcl/parser.js";
import type { File, Pos, Range } from "../../src/hcl/ast.js";
import { corpusDir, corpusMissingReason, listFiles } from "../helpers/shared.js";

const SEED = 0x5ec2e7;

// ---------------------------------------------------------------------------------------------
// invariants of any parse result

function isWellFormedUtf16(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** Line, column and byte for every offset, computed independently of the parser. */
function positionTable(src: string): { line: Int32Array; column: Int32Array; byte: Int32Array } {
  const n = src.length + 1;
  const line = new Int32Array(n).fill(-1);
  const column = new Int32Array(n).fill(-1);
  const byte = new Int32Array(n).fill(-1);
  let l = 1;
  let c = 1;
  let b = 0;
  let i = 0;
  if (src.charCodeAt(0) === 0xfeff) {
    line[0] = 1;
    column[0] = 1;
    byte[0] = 0;
    b = 3;
    i = 1;
  }
  for (;;) {
    line[i] = l;
    column[i] = c;
    byte[i] = b;
    if (i >= src.length) break;
    const ch = src.charCodeAt(i);
    if (ch === 10) {
      l++;
      c = 1;
      b++;
      i++;
    } else if (ch >= 0xd800 && ch <= 0xdbff && (src.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c += 2;
      b += 4;
      i += 2;
    } else {
      c++;
      b += ch < 0x80 ? 1 : ch < 0x800 ? 2 : 3;
      i++;
    }
  }
  return { line, column, byte };
}

/**
 * What must hold for any input: a File of the right shape, diagnostics with a message and a
 * range inside the text, and (for well-formed text) every position in the tree, the comments
 * and the diagnostics consistent with its offset. Returns a problem, or null.
 */
function invariantProblem(src: string, file: File): string | null {
  if (file === null || typeof file !== "object") return "no File returned";
  if (file.source !== src) return "file.source differs from the input";
  if (!file.body || file.body.type !== "Body" || !Array.isArray(file.body.attributes) || !Array.isArray(file.body.blocks)) {
    return "malformed body";
  }
  if (!Array.isArray(file.comments) || !Array.isArray(file.diagnostics)) return "malformed comments or diagnostics";
  for (const d of file.diagnostics) {
    if (typeof d.message !== "string" || d.message.trim().length === 0) return `empty diagnostic message ${JSON.stringify(d)}`;
    if (/undefined|\[object|NaN/.test(d.message)) return `garbled diagnostic message: ${d.message}`;
    if (d.severity !== "error" && d.severity !== "warning") return `bad severity ${String(d.severity)}`;
  }
  const table = isWellFormedUtf16(src) ? positionTable(src) : null;
  const checkPos = (p: Pos, where: string): string | null => {
    if (!p || !Number.isInteger(p.offset) || p.offset < 0 || p.offset > src.length) return `${where}: offset out of range ${JSON.stringify(p)}`;
    if (p.line < 1 || p.column < 1 || p.byte < 0) return `${where}: bad position ${JSON.stringify(p)}`;
    if (table) {
      const o = p.offset;
      if (table.line[o] !== p.line || table.column[o] !== p.column || table.byte[o] !== p.byte) {
        return `${where}: ${JSON.stringify(p)} but offset ${o} is line ${table.line[o]}, column ${table.column[o]}, byte ${table.byte[o]}`;
      }
    }
    return null;
  };
  const checkRange = (r: Range, where: string): string | null => {
    const e = checkPos(r.start, `${where}.start`) ?? checkPos(r.end, `${where}.end`);
    if (e) return e;
    return r.end.offset < r.start.offset ? `${where}: end before start` : null;
  };
  for (const [i, d] of file.diagnostics.entries()) {
    const e = checkRange(d.range, `diagnostics[${i}]`);
    if (e) return e;
  }
  for (const [i, c] of file.comments.entries()) {
    const e = checkRange(c.range, `comments[${i}]`);
    if (e) return e;
    if (src.slice(c.range.start.offset, c.range.end.offset) !== c.text) return `comments[${i}]: text differs from its range`;
  }
  // Walk the tree without recursion: it may be deep.
  const seen = new Set<object>();
  const stack: unknown[] = [file.body];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    const node = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(node)) {
      if (typeof x !== "object" || x === null) continue;
      const r = x as Partial<Range>;
      if (r.start && r.end && typeof (r.start as Pos).offset === "number") {
        const e = checkRange(r as Range, `${String(node.type ?? "?")}.${k}`);
        if (e) return e;
      } else stack.push(x);
    }
  }
  return null;
}

/** Parses and checks; throws (so fast-check shrinks) on a throw, a broken invariant or slowness. */
// No timed assertions (speed is measured by `npm run bench:parse`): a parse that hangs or
// goes quadratic on these inputs is caught by the test timeout (vitest.config.ts).
function parseChecked(src: string): File {
  const file = parseHcl(src, "prop.tf");
  const problem = invariantProblem(src, file);
  if (problem) throw new Error(problem);
  return file;
}

// ---------------------------------------------------------------------------------------------
// (a) arbitrary text

const TOKENS = [
  "a", "b", "foo", "var", "resource", "for", "in", "if", "else", "endif", "endfor", "true", "null", "provider",
  "0", "1", "1.5", "2e10", "007", "1.", ".5",
  "=", "==", "!=", "!", "<", "<=", ">", ">=", "&&", "||", "&", "|", "+", "-", "*", "/", "%", "?", ":", "::", "=>", ".", "...", ",",
  "{", "}", "[", "]", "(", ")", "[*]", ".*",
  '"', '""', '"x"', '"${', '"%{', "${", "%{", "~}", "${~", "%{~", "$${", "%%{", "$", "$$", "%%", "\\", "\\n", "\\u00e9", "\\U0001F600", "\\u", "\\q",
  "<<EOF", "<<-EOF", "<<EOF\n", "<<-EOF\n", "EOF", "  EOF", "<<", "<<-",
  "#", "# c", "//", "/*", "*/", "/* c */",
  "\n", "\r\n", "\r", "\t", " ", "  ", "\uFEFF", "é", "😀", "\u2028", "\u0000", "\uD800",
  "%{if a}", "%{else}", "%{endif}", "%{for k, v in x}", "%{endfor}",
];

const tokenSoup = fc
  .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom("", " ", "", "\n")), { maxLength: 80 })
  .map((ts) => ts.map(([t, sep]) => t + sep).join(""));

/** Lines of valid HCL. */
const validLine = fc.constantFrom(
  "a = 1\n", 'b = "x${y}"\n', "c = [1, 2]\n", "d { e = f }\n", 'r "t" "n" {\n  k = v\n}\n',
  "g = <<EOF\nhi\nEOF\n", "h = x ? y : z\n", "i = [for v in xs : v]\n", "j = {k = 1}\n", "# c\n", "\n",
);

/** Valid lines shuffled with token soup: mostly-HCL text with damage here and there. */
const damagedHcl = fc
  .array(fc.oneof({ arbitrary: validLine, weight: 3 }, { arbitrary: tokenSoup, weight: 1 }), { maxLength: 12 })
  .map((xs) => xs.join(""));

describe("(a) arbitrary input never throws and returns quickly", () => {
  it("full-Unicode strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => {
        parseChecked(s);
      }),
      { seed: SEED, numRuns: 600 },
    );
  });

  it("UTF-16 strings with lone surrogates", () => {
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
    fc.assert(
      fc.property(fc.string({ unit: anyUnit, maxLength: 200 }), (s) => {
        parseChecked(s);
      }),
      { seed: SEED + 1, numRuns: 300 },
    );
  });

  it("HCL token soup", () => {
    fc.assert(
      fc.property(tokenSoup, (s) => {
        parseChecked(s);
      }),
      { seed: SEED + 2, numRuns: 1500 },
    );
  });

  it("valid lines mixed with token soup", () => {
    fc.assert(
      fc.property(damagedHcl, (s) => {
        parseChecked(s);
      }),
      { seed: SEED + 3, numRuns: 800 },
    );
  });

  it("parses valid lines alone without errors (sanity check of the generator)", () => {
    fc.assert(
      fc.property(fc.array(validLine, { maxLength: 10 }), (lines) => {
        // distinct names: an argument set twice is an error
        const file = parseChecked(lines.map((l, i) => l.replace(/^(\w+)/, `$1_${i}`)).join(""));
        expect(file.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
      }),
      { seed: SEED + 4, numRuns: 200 },
    );
  });

  it("stays fast on large pathological inputs (no quadratic blow-up)", () => {
    const n = 20_000;
    const inputs: [string, string][] = [
      ["unclosed strings", 'a = "x\n'.repeat(n)],
      ["unclosed heredoc openers", "a = <<EOF\n".repeat(n)],
      ["stray closers", ")]}".repeat(n)],
      ["invalid characters", "@ ^ `\n".repeat(n)],
      ["missing equals", "a b c d\n".repeat(n)],
      ["commas", "a = 1, b = 2\n".repeat(n)],
      ["opening brackets, one per line", "a = [\n".repeat(2_000)],
      ["unclosed block comments", "/*".repeat(n)],
      ["interpolation openers", '"${'.repeat(2_000)],
      ["dangling operators", "a = 1 +\n".repeat(n)],
      ["duplicate attributes", "a = 1\n".repeat(n)],
      ["long traversal", "a = b" + ".c".repeat(n) + "\n"],
      ["long sum", "a = 1" + " + 1".repeat(n) + "\n"],
      ["long tuple", "a = [" + "1, ".repeat(n) + "]\n"],
    ];
    for (const [what, src] of inputs) {
      const file = parseChecked(src);
      expect(Array.isArray(file.diagnostics), what).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// (b) mutated corpus files

type Mutation = { kind: "delete" | "insert" | "duplicate" | "move"; a: number; b: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("delete", "insert", "duplicate", "move"),
  a: fc.nat(),
  b: fc.nat({ max: 400 }),
  text: fc.oneof(fc.constantFrom(...TOKENS), tokenSoup, fc.string({ unit: "binary", maxLength: 8 })),
});

function applyMutation(src: string, m: Mutation): string {
  const n = src.length;
  const at = n === 0 ? 0 : m.a % (n + 1);
  const end = Math.min(n, at + m.b);
  switch (m.kind) {
    case "delete":
      return src.slice(0, at) + src.slice(end);
    case "insert":
      return src.slice(0, at) + m.text + src.slice(at);
    case "duplicate":
      return src.slice(0, end) + src.slice(at, end) + src.slice(end);
    case "move": {
      const piece = src.slice(at, end);
      const rest = src.slice(0, at) + src.slice(end);
      const to = rest.length === 0 ? 0 : (m.a * 7919 + m.b) % (rest.length + 1);
      return rest.slice(0, to) + piece + rest.slice(to);
    }
  }
}

describe("(b) mutated corpus files", () => {
  const files = corpusDir === null ? [] : listFiles(corpusDir, ".tf");
  const skipReason = corpusMissingReason ?? (files.length === 0 ? "no .tf files in the shared corpus" : null);
  if (skipReason) console.log(`skipping corpus mutation tests: ${skipReason}`);

  // About 50 files, evenly spread over the sorted list: the same ones on every run.
  const step = Math.max(1, Math.floor(files.length / 50));
  const picked = files.filter((_, i) => i % step === 0).slice(0, 50);
  const texts = picked.map((f) => ({ name: corpusDir ? relative(corpusDir, f) : f, text: readFileSync(f, "utf8") }));

  it.skipIf(skipReason !== null)("picks about 50 files that parse without errors before mutation", () => {
    expect(texts.length).toBeGreaterThanOrEqual(Math.min(50, files.length));
    for (const { name, text } of texts) {
      const file = parseChecked(text);
      expect(file.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), name).toEqual([]);
    }
  });

  it.skipIf(skipReason !== null)("never throw after deleting, inserting, duplicating or moving slices", () => {
    fc.assert(
      fc.property(fc.nat({ max: Math.max(0, texts.length - 1) }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (i, ms) => {
        let src = texts[i].text;
        for (const m of ms) src = applyMutation(src, m);
        parseChecked(src);
      }),
      { seed: SEED + 10, numRuns: 600 },
    );
  });

  it.skipIf(skipReason !== null)("never throw when a file is cut off anywhere", () => {
    fc.assert(
      fc.property(fc.nat({ max: Math.max(0, texts.length - 1) }), fc.double({ min: 0, max: 1, noNaN: true }), (i, frac) => {
        const text = texts[i].text;
        parseChecked(text.slice(0, Math.floor(text.length * frac)));
      }),
      { seed: SEED + 11, numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// (c) deep nesting

describe("(c) nesting 10,000 deep gives a diagnostic, not a stack overflow", () => {
  const N = 10_000;
  const cases: [string, string][] = [
    ["unclosed tuples", "a = " + "[".repeat(N) + "\n"],
    ["closed tuples", "a = " + "[".repeat(N) + "]".repeat(N) + "\n"],
    ["unclosed parentheses", "a = " + "(".repeat(N) + "1\n"],
    ["closed parentheses", "a = " + "(".repeat(N) + "1" + ")".repeat(N) + "\n"],
    ["unclosed objects", "a = " + "{a=".repeat(N) + "1\n"],
    ["closed objects", "a = " + "{a=".repeat(N) + "1" + "}".repeat(N) + "\n"],
    ["unclosed blocks", "a {\n".repeat(N)],
    ["closed blocks", "a {\n".repeat(N) + "}\n".repeat(N)],
    ["one-line blocks", "a { ".repeat(N) + "}".repeat(N) + "\n"],
    ["unclosed templates", "a = " + '"${'.repeat(N) + "1\n"],
    ["closed templates", "a = " + '"${'.repeat(N) + "1" + '}"'.repeat(N) + "\n"],
    ["nested %{if}", 'a = "' + "%{if x}".repeat(N) + "y" + "%{endif}".repeat(N) + '"\n'],
    ["nested %{for} in a heredoc", "a = <<EOF\n" + "%{for v in x}".repeat(N) + "y" + "%{endfor}".repeat(N) + "\nEOF\n"],
    ["function calls", "a = " + "f(".repeat(N) + "1" + ")".repeat(N) + "\n"],
    ["indexes", "a = " + "x[".repeat(N) + "0" + "]".repeat(N) + "\n"],
    ["unary operators", "a = " + "!".repeat(N) + "x\n"],
    ["negations", "a = " + "-".repeat(N) + "1\n"],
    ["conditionals", "a = " + "x ? y : ".repeat(N) + "z\n"],
    ["for expressions", "a = " + "[for v in ".repeat(N) + "x" + " : v]".repeat(N) + "\n"],
    ["mixed brackets", "a = " + "[{a=(".repeat(N / 4) + "1" + ")}]".repeat(N / 4) + "\n"],
  ];

  for (const [what, src] of cases) {
    it(what, () => {
      let file: File | undefined;
      expect(() => {
        file = parseChecked(src);
      }).not.toThrow();
      const errs = file!.diagnostics.filter((d) => d.severity === "error");
      expect(errs.length, `${what}: expected an error diagnostic`).toBeGreaterThan(0);
    });
  }

  it("still parses moderately deep valid nesting (100 levels) without errors", () => {
    const M = 100;
    const valid = [
      "a = " + "[".repeat(M) + "]".repeat(M) + "\n",
      "a = " + "(".repeat(M) + "1" + ")".repeat(M) + "\n",
      "a = " + "{a=".repeat(M) + "1" + "}".repeat(M) + "\n",
      "a {\n".repeat(M) + "}\n".repeat(M),
      "a = " + '"${'.repeat(M) + "1" + '}"'.repeat(M) + "\n",
      "a = " + "f(".repeat(M) + "1" + ")".repeat(M) + "\n",
      "a = " + "x ? y : ".repeat(M) + "z\n",
    ];
    for (const src of valid) {
      const file = parseChecked(src);
      expect(file.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), src.slice(0, 30)).toEqual([]);
    }
  });
});
