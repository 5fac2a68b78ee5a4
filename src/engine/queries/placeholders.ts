// Documentation placeholders (`<Region>`, `#SECRET_NAME`, `YOUR-API-KEY`…) found in text, shared
// by the rules that must stay silent on them or report them.
// They live here, not in a rule module, so that `rules/` holds only rules.

import type { Origin } from "../../inventory/model.js";

/** The placeholders of the vendor guides, as patterns. Case-sensitive where the guides write them so. */
export const PATTERNS: RegExp[] = [
  /<(?:Region|AccountId|SecretName|SixRandomCharacters)>/gi,
  /#(?:SECRET_NAME|REGION)(?![A-Za-z0-9_])/g,
  /(?<![A-Za-z0-9_])(?:KEY1|VALUE1)(?![A-Za-z0-9_])/g,
  /(?<![A-Za-z0-9_-])(?:YOUR-SECRET-VALUE|YOUR-API-KEY|EXAMPLE-PASSWORD)(?![A-Za-z0-9_-])/g,
  /(?<![A-Za-z0-9_])(?:your-region|your-account-id)(?![A-Za-z0-9_])/g,
];

export interface PlaceholderHit {
  placeholder: string;
  index: number;
}

/**
 * What every text holding a placeholder contains (each pattern needs one of these): most texts
 * of a large tree are ruled out by this one search, not five. Keep it in step with PATTERNS
 * (test/engine/placeholders.test.ts compares the two).
 */
const MAY_HOLD_PLACEHOLDER = /[<#]|KEY1|VALUE1|YOUR-|EXAMPLE-PASSWORD|your-/;

/** Every placeholder in a text, in order of position. */
export function findPlaceholders(text: string): PlaceholderHit[] {
  if (!MAY_HOLD_PLACEHOLDER.test(text)) return [];
  return findPlaceholdersSlowly(text);
}

/** findPlaceholders without the first search (for the test that the two agree). */
export function findPlaceholdersSlowly(text: string): PlaceholderHit[] {
  const hits: PlaceholderHit[] = [];
  for (const re of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) hits.push({ placeholder: m[0], index: m.index });
  }
  return hits.sort((a, b) => a.index - b.index);
}

/** How a character is written inside a quoted HCL string (for columns in single-line literals). */
export function sourceLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "\\" || c === "\n" || c === "\r" || c === "\t") n += 2;
    else if ((c === "$" || c === "%") && text[i + 1] === "{") n += 2;
    else n += 1;
  }
  return n;
}

/**
 * The origin of a stretch of a literal text, from the literal's own origin: lines are exact
 * (a literal spanning lines is a heredoc, written as is); columns are exact in quoted strings
 * and plain heredocs, and approximate in indented (`<<-`) heredocs.
 */
export function originOf(literal: Origin, text: string, index: number, length: number): Origin {
  const f = literal.file;
  if (!f) return literal;
  const { start, end } = f.range;
  const before = text.slice(0, index);
  const newlines = before.split("\n").length - 1;
  let line = start.line;
  let startShift: number;
  let endShift: number;
  let lineStartColumn = start.column;
  if (start.line === end.line) {
    // Quoted text: escapes make the source longer than the text; a block label's range also includes its quotes.
    const quoteShift = end.offset - start.offset === sourceLength(text) + 2 ? 1 : 0;
    startShift = quoteShift + sourceLength(before);
    endShift = quoteShift + sourceLength(text.slice(0, index + length));
  } else if (newlines === 0) {
    startShift = index;
    endShift = index + length;
  } else {
    // A heredoc line (indented heredocs lose their indentation in the text: columns are then approximate).
    line = start.line + newlines;
    const lineStart = before.lastIndexOf("\n") + 1;
    lineStartColumn = 1;
    startShift = index - lineStart;
    endShift = startShift + length;
  }
  const offset = start.offset + (newlines === 0 ? startShift : index);
  const endOffset = offset + (endShift - startShift);
  const ascii = /^[\x00-\x7f]*$/.test(text.slice(0, index + length));
  const byte = ascii ? start.byte + (offset - start.offset) : start.byte;
  return {
    ...literal,
    file: {
      path: f.path,
      range: {
        start: { offset, byte, line, column: lineStartColumn + startShift },
        end: { offset: endOffset, byte: ascii ? byte + (endOffset - offset) : start.byte, line, column: lineStartColumn + endShift },
      },
    },
  };
}
