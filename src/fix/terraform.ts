// Terraform fixes: a finding's tag changes (engine/fix.ts) turned into text edits of the place
// where the value is written (Origin.file.valueRange, traced through variables, locals and
// tfvars by src/terraform/trace.ts), or into nothing:
//
// - a tag present with a wrong value: its written value, when that is a literal (a string with
//   no `${…}`, a number, a bool), is replaced by the quoted value;
// - a tag absent, where `tags` is written as an object constructor (or as `merge(…, { … })`,
//   whose last object wins): an item is added after its last item;
// - a tag absent, where the resource has no `tags` argument: `tags = { KEY = "value" }` is
//   added after the block's last argument;
// - anything else (a `tags` from a function or a for expression, a value built by a template,
//   JSON syntax for an insertion, a file outside the scanned roots): no fix.
//
// Edits keep the file's style: its indentation, the quoting of the other keys, trailing
// commas, one-line objects; `=` and trailing comments are re-aligned as `terraform fmt` aligns
// them (src/fix/layout.ts), when the lines around were so aligned.

import path from "node:path";
import type { Block, Body, Expression, File, ObjectExpr, Pos } from "../hcl/ast.js";
import { parseHcl } from "../hcl/parser.js";
import type { Fix, TextEdit } from "../engine/fix.js";
import type { Inventory, Secret } from "../inventory/model.js";
import { ObjectValue } from "../terraform/values.js";
import { walkExpr } from "../sources/terraform/literals.js";
import { alignChain, chainAligned, chainOf, layoutLines, lineAt } from "./layout.js";

/** One change of one file a fix needs. */
export type Intent =
  | { kind: "replace"; path: string; start: number; end: number; text: string }
  | { kind: "insert-item"; path: string; start: number; end: number; key: string; value: string }
  | { kind: "add-tags"; path: string; start: number; end: number; key: string; value: string };

export interface FixContext {
  inventory: Inventory;
  /** Source texts by the paths findings show. */
  sources: ReadonlyMap<string, string>;
  /** Absolute path of a path findings show. */
  absolute(p: string): string;
  /** Absolute directories a fix may edit files in (the scanned roots). */
  roots: string[];
}

/** What a fix needs done, or a reason there is no certain fix. */
export function intentsOf(fix: Fix, ctx: FixContext): Intent[] | string {
  const byId = secretsById(ctx.inventory);
  const out: Intent[] = [];
  for (const t of fix.tags) {
    const secret = byId.get(t.secret);
    if (!secret?.origin.file || secret.origin.aws) return "not a secret declared in Terraform";
    const tags = secret.tags.value;
    let intent: Intent | string;
    if (tags instanceof ObjectValue && tags.has(t.key)) {
      const o = secret.tagOrigins.get(t.key)?.file;
      intent = o?.valueRange ? replaceLiteral(o.path, o.valueRange.start.offset, o.valueRange.end.offset, t.value, ctx) : "the tag's value is not written in a file";
    } else if (tags === null || tags instanceof ObjectValue) {
      const o = secret.tags.origin?.file;
      if (o?.valueRange) intent = { kind: "insert-item", path: o.path, start: o.valueRange.start.offset, end: o.valueRange.end.offset, key: t.key, value: t.value };
      else {
        const b = secret.origin.file;
        intent = { kind: "add-tags", path: b.path, start: b.range.start.offset, end: b.range.end.offset, key: t.key, value: t.value };
      }
    } else intent = "the secret's tags are not known";
    if (typeof intent === "string") return intent;
    if (!insideRoots(ctx.absolute(intent.path), ctx.roots)) return `${intent.path} is outside the scanned directories`;
    if (!out.some((x) => sameIntent(x, intent as Intent))) out.push(intent);
  }
  return out;
}

function secretsById(inventory: Inventory): Map<string, Secret> {
  const cached = byIdCache.get(inventory);
  if (cached) return cached;
  const m = new Map(inventory.secrets.map((s) => [s.id, s]));
  byIdCache.set(inventory, m);
  return m;
}
const byIdCache = new WeakMap<Inventory, Map<string, Secret>>();

function insideRoots(abs: string, roots: string[]): boolean {
  return roots.some((r) => abs === r || abs.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
}

function sameIntent(a: Intent, b: Intent): boolean {
  if (a.kind !== b.kind || a.path !== b.path || a.start !== b.start || a.end !== b.end) return false;
  if (a.kind === "replace" && b.kind === "replace") return a.text === b.text;
  return (a as { key: string }).key === (b as { key: string }).key && (a as { value: string }).value === (b as { value: string }).value;
}

/** Replacing a written literal: only a literal, so nothing else the expression computes is lost. */
function replaceLiteral(p: string, start: number, end: number, value: string, ctx: FixContext): Intent | string {
  const text = ctx.sources.get(p);
  if (text === undefined) return `${p} was not read`;
  const written = text.slice(start, end);
  const json = p.endsWith(".json");
  const isLiteral = json
    ? /^"(?:[^"\\]|\\.)*"$/.test(written) && !/[$%]\{/.test(written)
    : /^"(?:[^"\\$%]|\\.|[$%](?!\{))*"$/.test(written) || /^(?:true|false|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)$/.test(written);
  if (!isLiteral) return "the tag's value is computed where it is written, not a literal";
  return { kind: "replace", path: p, start, end, text: json ? JSON.stringify(value) : hclString(value) };
}

/** A string in HCL native syntax: JSON escapes, and `${`/`%{` kept literal. */
export function hclString(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
}

// ---------------------------------------------------------------- rendering

/**
 * A file's text with intents applied and re-aligned, or a reason it cannot be. Intents that
 * insert into the same object or block are made one insertion (their keys in order).
 */
export function renderFile(p: string, text: string, intents: Intent[]): string | { reason: string } {
  if (intents.length === 0) return text;
  const json = p.endsWith(".json");
  const file = json ? undefined : parseHcl(text, p);
  if (file && file.diagnostics.some((d) => d.severity === "error")) return { reason: `${p} does not parse` };
  type Primary = { start: number; end: number; text: string; anchorLine?: number; replacedAt?: number };
  const primaries: Primary[] = [];
  // Group insertions by target.
  const groups = new Map<string, Intent[]>();
  for (const it of intents) {
    if (it.kind === "replace") {
      primaries.push({ start: it.start, end: it.end, text: it.text, replacedAt: it.start });
      continue;
    }
    if (json) return { reason: "adding a tag to a .tf.json file is not supported" };
    const k = `${it.kind}:${it.start}:${it.end}`;
    const list = groups.get(k) ?? [];
    if (!list.some((x) => (x as { key: string }).key === (it as { key: string }).key)) list.push(it);
    groups.set(k, list);
  }
  for (const list of groups.values()) {
    const first = list[0] as Extract<Intent, { kind: "insert-item" | "add-tags" }>;
    const items = list.map((x) => x as typeof first);
    const made = first.kind === "insert-item" ? insertItems(file!, text, first.start, first.end, items) : addTags(file!, text, first.start, first.end, items);
    if (typeof made === "string") return { reason: made };
    primaries.push(made);
  }
  primaries.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < primaries.length; i++) {
    if (primaries[i].start < primaries[i - 1].end || (primaries[i].start === primaries[i - 1].start && primaries[i].end === primaries[i - 1].end)) {
      return { reason: "two fixes change the same text" };
    }
  }
  // Apply, tracking where each lands in the new text.
  const oldLines = json ? [] : layoutLines(text);
  let out = "";
  let at = 0;
  let shift = 0;
  const touched: Array<{ newStart: number; newEnd: number; p: Primary }> = [];
  for (const e of primaries) {
    out += text.slice(at, e.start);
    const newStart = e.start + shift;
    out += e.text;
    touched.push({ newStart, newEnd: newStart + e.text.length, p: e });
    shift += e.text.length - (e.end - e.start);
    at = e.end;
  }
  out += text.slice(at);
  if (json) return out;
  return realign(text, oldLines, out, touched);
}

/** Re-aligns the chains an edit touched, where the lines around it were aligned as fmt aligns them. */
function realign(
  oldText: string,
  oldLines: ReturnType<typeof layoutLines>,
  text: string,
  touched: Array<{ newStart: number; newEnd: number; p: { start: number; end: number; anchorLine?: number; replacedAt?: number } }>,
): string {
  const lines = layoutLines(text);
  const whitespace: Array<{ start: number; end: number; text: string }> = [];
  const done = new Set<string>();
  const wasAligned = (oldLine: number, cell: "assign" | "comment"): boolean => {
    const chain = chainOf(oldLines, oldLine, cell);
    return chain === undefined || chainAligned(oldText, oldLines, chain, cell);
  };
  const fixChain = (li: number, cell: "assign" | "comment") => {
    const chain = chainOf(lines, li, cell);
    if (!chain || done.has(`${cell}${chain[0]}`)) return;
    done.add(`${cell}${chain[0]}`);
    whitespace.push(...alignChain(text, lines, chain, cell));
  };
  for (const t of touched) {
    // The old line the edit is anchored to: the replaced text's, or the line an insertion follows.
    const anchor = lineAt(oldLines, t.p.anchorLine !== undefined ? oldLines[t.p.anchorLine].start : t.p.start);
    const first = lineAt(lines, t.newStart);
    const last = lineAt(lines, Math.max(t.newStart, t.newEnd - 1));
    for (const cell of ["assign", "comment"] as const) {
      if (!wasAligned(anchor, cell)) continue;
      for (let li = Math.max(0, first - 1); li <= Math.min(lines.length - 1, last + 1); li++) fixChain(li, cell);
    }
  }
  if (whitespace.length === 0) return text;
  whitespace.sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const w of whitespace) {
    if (w.start < at) continue;
    out += text.slice(at, w.start) + w.text;
    at = w.end;
  }
  return out + text.slice(at);
}

// ---------------------------------------------------------------- finding the syntax

function findExpr(file: File, start: number, end: number): Expression | undefined {
  let found: Expression | undefined;
  const visit = (e: Expression) => {
    if (!found && e.range.start.offset === start && e.range.end.offset === end) found = e;
  };
  const walk = (body: Body) => {
    for (const a of body.attributes) walkExpr(a.expr, visit);
    for (const b of body.blocks) walk(b.body);
  };
  walk(file.body);
  return found;
}

function findBlock(body: Body, start: number, end: number): Block | undefined {
  for (const b of body.blocks) {
    if (b.range.start.offset === start && b.range.end.offset === end) return b;
    if (b.range.start.offset <= start && b.range.end.offset >= end) {
      const inner = findBlock(b.body, start, end);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** The object an item is added to: the expression itself, or the last argument of a `merge(…)`. */
function targetObject(e: Expression | undefined): ObjectExpr | undefined {
  while (e?.type === "Parens") e = e.expr;
  if (e?.type === "Object") return e;
  if (e?.type === "FunctionCall" && (e.name === "merge" || e.name === "core::merge") && !e.expandFinal) {
    const last = e.args[e.args.length - 1];
    if (last?.type === "Object") return last;
  }
  return undefined;
}

// ---------------------------------------------------------------- insertions

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const PLAIN_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A key as the object's other keys are written: quoted when they all are (or it must be). */
function keyText(key: string, others: Array<{ quoted: boolean }>): string {
  if (!IDENT.test(key)) return hclString(key);
  if (others.length > 0 && others.every((o) => o.quoted)) return hclString(key);
  if (others.length > 0 && others.every((o) => !o.quoted)) return key;
  return PLAIN_IDENT.test(key) ? key : hclString(key);
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function lineEndOf(text: string, offset: number): number {
  const n = text.indexOf("\n", offset);
  return n < 0 ? text.length : n;
}

function indentOf(text: string, offset: number): string {
  const s = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(s))![0];
}

/** The file's indentation unit: from the block around, else two spaces (fmt's). */
function unitOf(inner: string, outer: string): string {
  return inner.length > outer.length && inner.startsWith(outer) ? inner.slice(outer.length) : "  ";
}

/** The newline the file uses. */
function eol(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

type Item = { key: string; value: string };

function insertItems(file: File, text: string, start: number, end: number, items: Item[]): { start: number; end: number; text: string; anchorLine?: number } | string {
  const obj = targetObject(findExpr(file, start, end));
  if (!obj) return "`tags` is not written as an object (or a merge ending with one) where it is set";
  const others = obj.items.map((it) => ({ quoted: it.key.type === "Template", line: it.range.start.line }));
  const open = obj.range.start.offset;
  const close = obj.range.end.offset - 1; // the `}`
  const nl = eol(text);
  const multiline = text.slice(open, close).includes("\n");
  if (!multiline) {
    // A one-line object stays on one line: `{ a = "x", b = "y" }`, `{}` → `{ b = "y" }`.
    const parts = items.map((i) => `${keyText(i.key, others)} = ${hclString(i.value)}`);
    if (obj.items.length === 0) return { start: open, end: close + 1, text: `{ ${parts.join(", ")} }` };
    const lastItem = obj.items[obj.items.length - 1];
    const afterLast = text.slice(lastItem.range.end.offset, close);
    const comma = /^\s*,/.test(afterLast);
    return { start: lastItem.range.end.offset, end: lastItem.range.end.offset + (comma ? afterLast.indexOf(",") + 1 : 0), text: `, ${parts.join(", ")}${comma ? "," : ""}` };
  }
  if (obj.items.some((it) => it.range.start.line === it.range.end.line && others.filter((o) => o.line === it.range.start.line).length > 1)) {
    return "the object holds several items on one line";
  }
  const closeIndent = indentOf(text, close);
  const lastItem = obj.items[obj.items.length - 1];
  const itemIndent = lastItem ? indentOf(text, lastItem.range.start.offset) : closeIndent + unitOf(indentOf(text, open), closeIndent);
  if (lastItem) {
    // After the last item's line (its trailing comma and comment included).
    const lineEnd = lineEndOf(text, lastItem.range.end.offset);
    const rest = text.slice(lastItem.range.end.offset, lineEnd).replace(/\r$/, "");
    if (lineEndOf(text, lastItem.range.end.offset) >= close) return "the object's closing brace follows its last item on the same line";
    const comma = /^\s*,/.test(rest);
    const at = text[lineEnd - 1] === "\r" ? lineEnd - 1 : lineEnd;
    const lines = items.map((i) => `${nl}${itemIndent}${keyText(i.key, others)} = ${hclString(i.value)}${comma ? "," : ""}`);
    return { start: at, end: at, text: lines.join(""), anchorLine: lineIndex(text, lastItem.range.start.offset) };
  }
  // An empty multi-line object: the items go before the closing brace's line.
  const closeLineStart = lineStartOf(text, close);
  if (text.slice(closeLineStart, close).trim() !== "") return "the object's closing brace is not on a line of its own";
  const lines = items.map((i) => `${itemIndent}${keyText(i.key, [])} = ${hclString(i.value)}${nl}`);
  return { start: closeLineStart, end: closeLineStart, text: lines.join("") };
}

function lineIndex(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function addTags(file: File, text: string, start: number, end: number, items: Item[]): { start: number; end: number; text: string } | string {
  const block = findBlock(file.body, start, end);
  if (!block) return "the resource block was not found";
  if (block.body.attributes.some((a) => a.name === "tags")) return "`tags` is set in the block already";
  if (block.body.blocks.some((b) => b.blockType === "dynamic" && b.labels[0]?.value === "tags")) return "`tags` is made by a dynamic block";
  const open = block.openBraceRange.end.offset;
  const close = block.closeBraceRange.start.offset;
  if (!text.slice(open, close).includes("\n")) return "the resource block is written on one line";
  const nl = eol(text);
  const blockIndent = indentOf(text, block.range.start.offset);
  // After the last argument, else at the top of the body.
  const lastAttr = [...block.body.attributes].sort((a, b) => a.range.end.offset - b.range.end.offset).pop();
  const attrIndent = lastAttr ? indentOf(text, lastAttr.range.start.offset) : blockIndent + "  ";
  const unit = unitOf(attrIndent, blockIndent);
  const body = items.map((i) => `${attrIndent}${unit}${keyText(i.key, [])} = ${hclString(i.value)}${nl}`).join("");
  const attr = `${attrIndent}tags = {${nl}${body}${attrIndent}}`;
  if (lastAttr) {
    const lineEnd = lineEndOf(text, lastAttr.range.end.offset);
    if (lineEnd >= close) return "the block's closing brace follows its last argument on the same line";
    const at = text[lineEnd - 1] === "\r" ? lineEnd - 1 : lineEnd;
    return { start: at, end: at, text: `${nl}${attr}` };
  }
  const firstLineEnd = lineEndOf(text, open);
  if (firstLineEnd >= close) return "the resource block is written on one line";
  const at = text[firstLineEnd - 1] === "\r" ? firstLineEnd - 1 : firstLineEnd;
  return { start: at, end: at, text: `${nl}${attr}` };
}

// ---------------------------------------------------------------- edits

/** A position in a text (UTF-16 offset, UTF-8 byte, 1-based line and column). */
export function posAt(text: string, offset: number): Pos {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  const bom = lineStart === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return { offset, byte: Buffer.byteLength(text.slice(0, offset)), line, column: offset - lineStart + 1 - bom };
}

/** The one edit turning `before` into `after`: the span between their common prefix and suffix. */
export function spanEdit(p: string, before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let a = 0;
  const max = Math.min(before.length, after.length);
  while (a < max && before[a] === after[a]) a++;
  let b = 0;
  while (b < max - a && before[before.length - 1 - b] === after[after.length - 1 - b]) b++;
  return { path: p, start: posAt(before, a), end: posAt(before, before.length - b), text: after.slice(a, after.length - b) };
}
