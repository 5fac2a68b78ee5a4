// JSON text from files: how deep it nests (checked before any recursive reader sees it), and
// parse errors that say where without quoting the text (Node's messages quote the input,
// which may hold a secret value).

import { parse as parseJsonc, type ParseError } from "jsonc-parser";

/** Nesting the readers accept in JSON files, as in HCL (src/hcl/parser.ts MAX_NESTING). */
export const MAX_JSON_NESTING = 500;

/**
 * The offset of the bracket that opens level `limit + 1` of the JSON text, or -1 when the text
 * never nests that deep. Linear; strings (with their escapes) are skipped.
 */
export function jsonNestingBeyond(text: string, limit = MAX_JSON_NESTING): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return -1;
}

/** 1-based line and column of an offset. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** A JSON.parse error as `invalid JSON at line L, column C` (or just `invalid JSON`), never quoting the text. */
export function jsonErrorText(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : "";
  if (/Unexpected end of JSON input/.test(message)) return "invalid JSON: it ends too soon";
  const at = /position (\d+)/.exec(message);
  let offset = at ? Number(at[1]) : -1;
  if (offset < 0 && jsonNestingBeyond(text) < 0) {
    // Node does not always say where (`Unexpected token …`): a second, tolerant parser does.
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
    if (errors.length > 0) offset = errors[0].offset;
  }
  if (offset < 0) return "invalid JSON";
  const { line, column } = lineColumnOf(text, offset);
  return `invalid JSON at line ${line}, column ${column}`;
}

/** JSON.parse with the nesting bounded and the error made safe to show: the value, or the error text. */
export function parseJsonText(text: string, limit = MAX_JSON_NESTING): { ok: true; value: unknown } | { ok: false; error: string } {
  const deep = jsonNestingBeyond(text, limit);
  if (deep >= 0) {
    const { line, column } = lineColumnOf(text, deep);
    return { ok: false, error: `JSON nests deeper than ${limit} levels (at line ${line}, column ${column})` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: jsonErrorText(err, text) };
  }
}
