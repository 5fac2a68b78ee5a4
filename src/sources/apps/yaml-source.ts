// A YAML file read with the `yaml` package, keeping positions: every scalar with its key path
// and its written span, the comments (for suppressions), a cover span per mapping entry (a
// suppression comment before a key covers its whole value), and the first syntax error.

import { CST, isMap, isPair, isScalar, isSeq, Lexer, parseDocument, type Node, type Pair, type Scalar } from "yaml";
import { MAX_YAML_NESTING, yamlNestingBeyond } from "../../util/yaml.js";
import { maskCredentialText } from "./credentials.js";
import type { CoverSpan } from "./text.js";

export interface YamlScalar {
  /** Keys from the document's top down to this value (sequence items add no key). */
  path: string[];
  /** A mapping key rather than a value. */
  isKey: boolean;
  /** The value as YAML reads it, as a string (`null` for an empty value). */
  value: string | null;
  /** Plain, quoted or block: as the yaml package names it. */
  style: Scalar.Type | undefined;
  /** The written span: quotes and block headers included, comments after it not. */
  start: number;
  end: number;
}

export interface YamlEntry {
  path: string[];
  /** The value's node kind. */
  kind: "scalar" | "map" | "seq" | "empty";
  keyStart: number;
  /** The value's span (the key's end when there is no value). */
  start: number;
  end: number;
}

export interface YamlFile {
  scalars: YamlScalar[];
  /** Every mapping entry, outermost first. */
  entries: YamlEntry[];
  comments: Array<{ offset: number; text: string }>;
  spans: CoverSpan[];
  /** The first error, where YAML parsers stop. */
  error?: { message: string; offset: number };
}

/**
 * A YAML error's message for a finding: its first line, without the position (the finding has
 * it) or the token it quotes (which may be a secret value), and any key-like text masked.
 */
function yamlMessage(message: string): string {
  const line = message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  return maskCredentialText(line.replace(/: ".*"$/s, ""));
}

/** Lexer tokens that take no room in the source. */
const ZERO_WIDTH = new Set(["\x02", "\x18", "\x1f"]);

/** `#` comments, found by the YAML lexer (a `#` inside a quoted or block scalar is not one). */
function yamlComments(text: string): YamlFile["comments"] {
  const out: YamlFile["comments"] = [];
  let offset = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (ZERO_WIDTH.has(lexeme)) continue;
    if (CST.tokenType(lexeme) === "comment") out.push({ offset, text: lexeme });
    offset += lexeme.length;
  }
  return out;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return key.value === null ? "" : String(key.value);
  return String(key);
}

/**
 * Reads YAML text. `text` is what the parser sees (for Mage, the file with its Jinja tags
 * blanked out: positions are the file's own).
 */
export function readYaml(text: string, options: { uniqueKeys?: boolean } = {}): YamlFile {
  const deep = yamlNestingBeyond(text);
  if (deep >= 0) return { scalars: [], entries: [], comments: [], spans: [], error: { message: `YAML nests deeper than ${MAX_YAML_NESTING} levels; it was not read`, offset: deep } };
  const doc = parseDocument(text, { uniqueKeys: options.uniqueKeys ?? true, prettyErrors: false, strict: false });
  const scalars: YamlScalar[] = [];
  const entries: YamlEntry[] = [];
  const scalar = (n: Scalar, path: string[], isKey: boolean) => {
    const [start, end] = n.range ?? [0, 0];
    scalars.push({ path, isKey, value: n.value === null || n.value === undefined ? null : String(n.value), style: n.type, start, end });
  };
  const visit = (n: Node | null | undefined, path: string[], out: CoverSpan[]): void => {
    if (!n) return;
    if (isScalar(n)) scalar(n, path, false);
    else if (isMap(n)) {
      for (const item of n.items as Array<Pair<unknown, unknown>>) {
        if (!isPair(item)) continue;
        const key = item.key as Node | null;
        const value = item.value as Node | null;
        const keyPath = [...path, keyText(key)];
        if (key && isScalar(key)) scalar(key, path, true);
        else visit(key, path, out);
        const keyRange = (key as { range?: [number, number, number] } | null)?.range;
        const valueRange = (value as { range?: [number, number, number] } | null)?.range;
        const keyStart = keyRange?.[0] ?? valueRange?.[0] ?? 0;
        const span: CoverSpan = { start: keyStart, end: valueRange?.[1] ?? keyRange?.[1] ?? keyStart, children: [] };
        out.push(span);
        entries.push({
          path: keyPath,
          kind: !value || (isScalar(value) && (value.value === null || value.value === undefined) && value.range?.[0] === value.range?.[1]) ? "empty" : isScalar(value) ? "scalar" : isMap(value) ? "map" : isSeq(value) ? "seq" : "scalar",
          keyStart,
          start: valueRange?.[0] ?? span.end,
          end: valueRange?.[1] ?? span.end,
        });
        visit(value, keyPath, span.children);
      }
    } else if (isSeq(n)) {
      for (const item of n.items as Node[]) visit(item, path, out);
    }
  };
  const spans: CoverSpan[] = [];
  visit(doc.contents as Node | null, [], spans);
  const first = doc.errors[0];
  return {
    scalars,
    entries,
    comments: yamlComments(text),
    spans,
    error: first ? { message: yamlMessage(first.message), offset: first.pos[0] } : undefined,
  };
}
