// flytekit secret requests in Python: `Secret(group=…, key=…, group_version=…,
// mount_requirement=…)` calls (also as `flytekit.Secret`, `union.Secret` — Union re-exports
// flytekit's — or under an import alias), wherever they are written: inline in a task's
// `secret_requests=[…]` or assigned to a name. Flyte 2's `flyte.Secret(key, group=…, mount=…,
// as_env_var=…)` (the `flyte` package) is read the same way, with its own argument order. Read from the token stream (python-tokenizer.ts):
// string literals, implicit and `+` concatenation, f-strings whose fields are names, and names
// bound once to such an expression (module constants) are known; anything else is unknown, and
// a part built from known and unknown pieces keeps its known text.

import type { FlyteSecretRequest, Origin } from "../../inventory/model.js";
import { Unknown, joinPieces, type StringPiece, type Value } from "../../terraform/values.js";
import { tokenize, type Token } from "./python-tokenizer.js";
import { fileOrigin, literalPieces, type CoverSpan, type LineIndex } from "./text.js";

/** Packages whose `Secret` is flytekit's, and Flyte 2's package. */
const FLYTE_PACKAGES: ReadonlyMap<string, Sdk> = new Map([
  ["flytekit", "flytekit"],
  ["union", "flytekit"],
  ["unionai", "flytekit"],
  ["flyte", "flyte"],
]);

type Sdk = "flytekit" | "flyte";

/** `Secret`'s fields in positional order: flytekit's, and Flyte 2's (`key` first; `mount` is a path). */
const POSITIONAL: Record<Sdk, readonly string[]> = {
  flytekit: ["group", "key", "group_version", "mount_requirement"],
  flyte: ["key", "group", "mount", "as_env_var"],
};

export interface FlyteFile {
  requests: FlyteSecretRequest[];
  literals: Array<{ text: string; origin: Origin }>;
  comments: Array<{ offset: number; text: string }>;
  spans: CoverSpan[];
  parseError?: { message: string; origin: Origin };
}

/** Whether a Python file may hold a request (cheap test before tokenizing). */
export function mayHoldSecretRequests(text: string): boolean {
  return /\bSecret\b/.test(text);
}

/** A logical line: its tokens (no NEWLINE, INDENT, DEDENT or comments). */
interface Statement {
  tokens: Token[];
}

function statementsOf(tokens: Token[]): Statement[] {
  const out: Statement[] = [];
  let cur: Token[] = [];
  for (const t of tokens) {
    if (t.kind === "newline" || t.kind === "end") {
      if (cur.length) out.push({ tokens: cur });
      cur = [];
    } else if (t.kind !== "indent" && t.kind !== "dedent" && t.kind !== "comment") cur.push(t);
  }
  if (cur.length) out.push({ tokens: cur });
  return out;
}

/** Splits tokens at top-level occurrences of `sep` (brackets nest). */
function splitTop(tokens: Token[], sep: string): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === "op" && (t.text === "(" || t.text === "[" || t.text === "{")) depth++;
    if (t.kind === "op" && (t.text === ")" || t.text === "]" || t.text === "}")) depth--;
    if (depth === 0 && t.kind === "op" && t.text === sep) parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  return parts;
}

/** The index of the bracket closing the one at `open`, or -1. */
function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== "op") continue;
    if (t.text === "(" || t.text === "[" || t.text === "{") depth++;
    else if (t.text === ")" || t.text === "]" || t.text === "}") {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

interface Names {
  /** Names bound exactly once by a plain assignment, to the expression's tokens. */
  constants: Map<string, Token[]>;
  /** Names bound otherwise (imports, parameters, loops, several assignments…): not known. */
  unknown: Set<string>;
  /** Names of flytekit-like modules (`import flytekit as fl` → `fl`), with their SDK. */
  modules: Map<string, Sdk>;
  /** Names of flytekit's or Flyte 2's `Secret` (`from flytekit import Secret as S` → `S`), with their SDK. */
  secretClasses: Map<string, Sdk>;
  /** Import statements that do not name a module: a syntax error. */
  importErrors: Array<{ message: string; offset: number }>;
}

function bindingsOf(statements: Statement[]): Names {
  const names: Names = { constants: new Map(), unknown: new Set(), modules: new Map(), secretClasses: new Map(), importErrors: [] };
  const assigned = new Map<string, number>();
  const bindUnknown = (n: string) => names.unknown.add(n);
  for (const { tokens } of statements) {
    // Decorators and compound statement headers may share nothing with assignments; still, names bound by them are collected.
    const first = tokens[0];
    if (first.kind === "name" && first.text === "import") {
      const next = tokens[1];
      if (next?.kind !== "name") names.importErrors.push({ message: "expected a module name after `import`", offset: next?.start ?? first.end });
      for (const part of splitTop(tokens.slice(1), ",")) {
        const dotted = part.filter((t) => t.kind === "name").map((t) => t.text);
        const asAt = part.findIndex((t) => t.kind === "name" && t.text === "as");
        const root = dotted[0];
        const alias = asAt >= 0 ? part[asAt + 1]?.text : root;
        if (!alias) continue;
        bindUnknown(alias);
        const sdk = root ? FLYTE_PACKAGES.get(root) : undefined;
        if (sdk) names.modules.set(alias, sdk);
      }
      continue;
    }
    if (first.kind === "name" && first.text === "from") {
      const next = tokens[1];
      if (next?.kind !== "name" && !(next?.kind === "op" && (next.text === "." || next.text === "..."))) {
        names.importErrors.push({ message: "expected a module name after `from`", offset: next?.start ?? first.end });
      }
      const importAt = tokens.findIndex((t) => t.kind === "name" && t.text === "import");
      if (importAt < 0) continue;
      const root = tokens[1]?.kind === "name" ? tokens[1].text : "";
      const items = tokens.slice(importAt + 1).filter((t) => !(t.kind === "op" && (t.text === "(" || t.text === ")")));
      for (const part of splitTop(items, ",")) {
        const n = part[0]?.text;
        if (!n) continue;
        const alias = part[1]?.text === "as" ? part[2]?.text : n;
        if (!alias) continue;
        bindUnknown(alias);
        const sdk = FLYTE_PACKAGES.get(root);
        if (sdk && n === "Secret") names.secretClasses.set(alias, sdk);
      }
      continue;
    }
    // Names bound by def/class/for/with/except/lambda/walrus/global: not constants.
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      if (t.kind !== "name") continue;
      const prev = tokens[k - 1];
      const next = tokens[k + 1];
      if (prev?.kind === "name" && ["def", "class", "as", "global", "nonlocal", "lambda"].includes(prev.text)) bindUnknown(t.text);
      if (next?.kind === "op" && next.text === ":=") bindUnknown(t.text);
    }
    if (first.kind === "name" && (first.text === "for" || first.text === "async")) {
      const inAt = tokens.findIndex((t) => t.kind === "name" && t.text === "in");
      for (const t of tokens.slice(1, inAt < 0 ? tokens.length : inAt)) if (t.kind === "name") bindUnknown(t.text);
    }
    if (first.kind === "name" && first.text === "def") {
      // Parameters.
      const open = tokens.findIndex((t) => t.kind === "op" && t.text === "(");
      const close = open >= 0 ? closing(tokens, open) : -1;
      for (const part of splitTop(tokens.slice(open + 1, close), ",")) {
        const n = part.find((t) => t.kind === "name");
        if (n) bindUnknown(n.text);
      }
      continue;
    }
    // Assignments: `a = b = expr`, `a: T = expr`, `a += …`, `a, b = …`.
    const parts = splitTop(tokens, "=");
    if (parts.length >= 2) {
      const value = parts[parts.length - 1];
      for (const target of parts.slice(0, -1)) {
        const plain = target.length === 1 && target[0].kind === "name";
        const annotated = target.length >= 3 && target[0].kind === "name" && target[1].text === ":";
        if (plain || annotated) {
          const n = target[0].text;
          assigned.set(n, (assigned.get(n) ?? 0) + 1);
          names.constants.set(n, value);
        } else if (!target.some((t) => t.text === "." || t.text === "[")) {
          for (const t of target) if (t.kind === "name") bindUnknown(t.text);
        }
      }
    } else {
      const aug = tokens.findIndex((t) => t.kind === "op" && /^[-+*/%&|^@<>]+=$|^\/\/=$|^\*\*=$/.test(t.text) && t.text !== "==");
      if (aug === 1 && tokens[0].kind === "name") bindUnknown(tokens[0].text);
    }
  }
  for (const [n, count] of assigned) if (count > 1) bindUnknown(n);
  for (const n of names.unknown) names.constants.delete(n);
  return names;
}

/** A part's value with the string literals it was built from. */
interface Evaluated {
  value: Value;
  strings: Token[];
}

/** The longest constant string kept (as the file size limit); past it the value is unknown. */
const MAX_CONSTANT_LENGTH = 8 * 1024 * 1024;
/** Constants defined through one another at most this deep (a chain `A1 = A0`, `A2 = A1`…). */
const MAX_CONSTANT_DEPTH = 256;

class Evaluator {
  private readonly active = new Set<string>();
  /**
   * Each constant's value, once: `A1 = A0 + A0`, `A2 = A1 + A1`… would otherwise evaluate A0
   * 2ⁿ times. A constant is bound once at module level, so its value does not depend on where
   * it is used.
   */
  private readonly memo = new Map<string, Evaluated | undefined>();
  constructor(private readonly names: Names) {}

  expr(tokens: Token[]): Evaluated {
    const terms = splitTop(tokens, "+");
    if (terms.some((t) => t.length === 0)) return this.unknown(tokens);
    const pieces: StringPiece[] = [];
    // A literal used twice (A + A) is one literal: a set keeps this linear in the file.
    const strings = new Set<Token>();
    let length = 0;
    for (const term of terms) {
      const e = this.term(term);
      for (const t of e.strings) strings.add(t);
      if (!(typeof e.value === "string" || e.value instanceof Unknown)) return { value: this.unknown(tokens).value, strings: [...strings] };
      // A partly known string doubles as surely as a known one: its pieces count too.
      length += typeof e.value === "string" ? e.value.length : (e.value.template ?? []).reduce<number>((n, p) => n + (typeof p === "string" ? p.length : 1), 1);
      if (length > MAX_CONSTANT_LENGTH) return { value: this.unknown(tokens).value, strings: [...strings] };
      pieces.push(e.value);
    }
    return { value: joinPieces(pieces), strings: [...strings] };
  }

  private unknown(tokens: Token[]): Evaluated {
    const what = tokens.map((t) => t.text).join(" ");
    return { value: new Unknown("dynamic", undefined, undefined, what.length > 80 ? what.slice(0, 77) + "..." : what), strings: [] };
  }

  private term(tokens: Token[]): Evaluated {
    if (tokens.length === 0) return this.unknown(tokens);
    if (tokens.every((t) => t.kind === "string")) {
      // Implicit concatenation of adjacent literals.
      const pieces: StringPiece[] = [];
      for (const t of tokens) {
        if (t.bytes) return this.unknown(tokens);
        if (t.value !== undefined) pieces.push(t.value);
        else if (t.fstring) {
          for (const p of t.fstring) {
            if (typeof p === "string") pieces.push(p);
            else {
              const field = p.expr.trim();
              const v = /^[A-Za-z_]\w*$/.test(field) ? this.name(field) : undefined;
              pieces.push(typeof v?.value === "string" ? v.value : new Unknown("dynamic", undefined, undefined, field));
            }
          }
        } else return this.unknown(tokens);
      }
      return { value: joinPieces(pieces), strings: tokens };
    }
    if (tokens.length === 1 && tokens[0].kind === "name") return this.name(tokens[0].text) ?? this.unknown(tokens);
    const first = tokens[0];
    if (first.kind === "op" && first.text === "(" && closing(tokens, 0) === tokens.length - 1) {
      const inner = tokens.slice(1, -1);
      if (splitTop(inner, ",").length === 1) return this.expr(inner);
    }
    return this.unknown(tokens);
  }

  /** A constant's value (undefined when the name is not a known constant). */
  name(n: string): Evaluated | undefined {
    if (this.memo.has(n)) return this.memo.get(n);
    const tokens = this.names.constants.get(n);
    if (!tokens || this.active.has(n)) return undefined;
    if (this.active.size >= MAX_CONSTANT_DEPTH) return this.unknown(tokens);
    this.active.add(n);
    try {
      const e = this.expr(tokens);
      this.memo.set(n, e);
      return e;
    } finally {
      this.active.delete(n);
    }
  }

  /** `…MountType.NAME`, directly or through a constant: the member's name. */
  mountType(tokens: Token[], depth = 0): Value {
    const n = tokens.length;
    if (n >= 3 && tokens[n - 1].kind === "name" && tokens[n - 2].text === "." && tokens[n - 3].text === "MountType") return tokens[n - 1].text;
    if (n === 1 && tokens[0].kind === "name" && depth < 8) {
      const c = this.names.constants.get(tokens[0].text);
      if (c) return this.mountType(c, depth + 1);
    }
    return new Unknown("dynamic", undefined, undefined, tokens.map((t) => t.text).join(""));
  }
}

/**
 * Whether the name `Secret` at `k` (followed by `(`) is flytekit's or Flyte 2's, and which:
 * `Secret` imported from a flytekit-like package or from `flyte`, or an attribute of a module
 * imported from one. A call with a `group=` argument is taken as flytekit's in any case
 * (flytekit's signature), so a file whose imports cannot be read (a template, a snippet) still
 * counts.
 */
function isFlyteSecret(tokens: Token[], k: number, names: Names, hasGroupKeyword: boolean): { sdk: Sdk | undefined; calleeStart: number } {
  let j = k;
  while (j >= 2 && tokens[j - 1].text === "." && tokens[j - 2].kind === "name") j -= 2;
  const calleeStart = tokens[j].start;
  const prev = tokens[k - 1];
  if (prev?.kind === "name" && (prev.text === "def" || prev.text === "class")) return { sdk: undefined, calleeStart };
  const imported = prev?.text === "." ? (j < k ? names.modules.get(tokens[j].text) : undefined) : names.secretClasses.get(tokens[k].text);
  if (imported) return { sdk: imported, calleeStart: prev?.text === "." ? calleeStart : tokens[k].start };
  if (hasGroupKeyword) return { sdk: "flytekit", calleeStart: prev?.text === "." ? calleeStart : tokens[k].start };
  return { sdk: undefined, calleeStart };
}

export function readFlytePython(path: string, lines: LineIndex): FlyteFile {
  const text = lines.text;
  const { tokens, errors } = tokenize(text);
  const statements = statementsOf(tokens);
  const names = bindingsOf(statements);
  const evaluator = new Evaluator(names);
  const out: FlyteFile = { requests: [], literals: [], comments: [], spans: [] };
  // The first error as Python finds it: where reading stops (an unclosed bracket is only noticed at the end).
  const unclosed = (e: { message: string }) => e.message.endsWith("was never closed");
  const firstError = [...errors.filter((e) => !unclosed(e)), ...names.importErrors].sort((a, b) => a.offset - b.offset)[0] ?? errors.find(unclosed);
  if (firstError) out.parseError = { message: firstError.message, origin: fileOrigin(path, lines, firstError.offset, firstError.offset + 1) };
  for (const t of tokens) if (t.kind === "comment") out.comments.push({ offset: t.start, text: t.text });
  for (const s of statements) out.spans.push({ start: s.tokens[0].start, end: s.tokens[s.tokens.length - 1].end, children: [] });

  const literalTokens = new Map<number, Token>();
  for (const { tokens: st } of statements) {
    for (let k = 0; k + 1 < st.length; k++) {
      if (st[k].kind !== "name" || (st[k].text !== "Secret" && !names.secretClasses.has(st[k].text)) || st[k + 1].text !== "(") continue;
      const close = closing(st, k + 1);
      if (close < 0) continue;
      const args = splitTop(st.slice(k + 2, close), ",").filter((a) => a.length > 0);
      const isKeyword = (a: Token[]) => a[0].kind === "name" && a[1]?.kind === "op" && a[1].text === "=";
      const callee = isFlyteSecret(st, k, names, args.some((a) => isKeyword(a) && a[0].text === "group"));
      if (!callee.sdk) continue;
      const positional = POSITIONAL[callee.sdk];
      const byName = new Map<string, Token[]>();
      let splat = false;
      args.forEach((a, idx) => {
        if (isKeyword(a)) byName.set(a[0].text, a.slice(2));
        else if (a[0].kind === "op" && (a[0].text === "*" || a[0].text === "**")) splat = true;
        else if (!splat && idx < positional.length) byName.set(positional[idx], a);
      });
      const origin = fileOrigin(path, lines, callee.calleeStart, st[close].end);
      const argOrigin = (a: Token[]) => fileOrigin(path, lines, a[0].start, a[a.length - 1].end);
      const callStart = st[k].start;
      const callEnd = st[close].end;
      const definedAt: NonNullable<FlyteSecretRequest["definedAt"]> = {};
      const part = (field: "group" | "key" | "group_version", as: "group" | "key" | "groupVersion") => {
        const a = byName.get(field);
        if (!a || a.length === 0) return splat ? { value: new Unknown("dynamic", undefined, undefined, "**kwargs") as Value, origin } : undefined;
        const e = evaluator.expr(a);
        for (const s of e.strings) literalTokens.set(s.start, s);
        const outside = e.strings.find((s) => s.start < callStart || s.start >= callEnd);
        if (outside) definedAt[as] = fileOrigin(path, lines, outside.start, outside.end);
        return { value: e.value, origin: argOrigin(a) };
      };
      const group = part("group", "group") ?? { value: null, origin };
      const key = part("key", "key") ?? { value: null, origin };
      const groupVersion = part("group_version", "groupVersion");
      const mount = byName.get("mount_requirement");
      const pos = origin.file!.range.start;
      const request: FlyteSecretRequest = { id: `${path}:${pos.line}:${pos.column}`, group, key, origin };
      if (callee.sdk === "flyte") request.sdk = "flyte";
      if (groupVersion) request.groupVersion = groupVersion;
      if (mount && mount.length > 0) request.mountRequirement = { value: evaluator.mountType(mount), origin: argOrigin(mount) };
      if (Object.keys(definedAt).length > 0) request.definedAt = definedAt;
      out.requests.push(request);
    }
  }
  for (const t of [...literalTokens.values()].sort((a, b) => a.start - b.start)) {
    out.literals.push(...literalPieces(path, lines, t.bodyStart ?? t.start, t.bodyEnd ?? t.end));
  }
  return out;
}
