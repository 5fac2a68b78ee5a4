// Where a native-syntax file's top-level blocks of one type are, without parsing the file: a
// single pass over the text that follows what the parser follows to know where a top-level
// block starts and ends (comments, quoted strings and their escapes, heredocs, `${…}` and
// `%{…}` sequences, brackets). The scan uses it to learn a directory's module calls before it
// knows the root modules (src/terraform/stream.ts): each `module` block is then parsed alone.
//
// It answers only for text whose top level it follows exactly; for anything else (a syntax
// error it can see, text the parser would reject or read differently, non-ASCII outside strings
// and comments, nesting deep enough to approach the parser's limit) it answers undefined, and
// the caller parses the whole file. test/hcl/skim.test.ts compares it with the parser.

import { MAX_NESTING } from "./parser.js";
import { heredocCloseAt } from "./scanner.js";

/** A top-level block's text: [start, end) of the file's text, from its type to its closing `}`. */
export interface BlockSpan {
  start: number;
  end: number;
  /** Just after the block's `{`: [start, bodyStart) is its type and labels. */
  bodyStart: number;
  /**
   * The one argument of the block's body named as asked (topLevelBlockSpans), from its name to
   * the end of its line; absent when the body has none. When the body sets it more than once,
   * or the block is on one line, `whole` is set instead: only the whole block says.
   */
  attribute?: { start: number; end: number };
  whole: boolean;
}

const enum Frame {
  /** `{` of a block or object, `[`, `(`: code until the matching closer. */
  Brace,
  Brack,
  Paren,
  /** `${` or `%{` in a template: code until its `}`, then the template goes on. */
  Sequence,
  Quoted,
  Heredoc,
}

/**
 * Nesting the parser counts (src/hcl/parser.ts, MAX_NESTING) grows with brackets and with each
 * operator, `.` and `[` step of an expression. The estimate here (per open bracket a generous
 * allowance, plus every operator-like character since the last `,` or line of the enclosing
 * bracket) stays far below the limit, or the text is left to the parser.
 */
const NESTING_BUDGET = Math.floor(MAX_NESTING / 4);
const PER_FRAME = 8;

/** `\n`, `\r`, `\t`, `\"`, `\\`, `\u`, `\U`. */
const QUOTED_ESCAPES: ReadonlySet<number> = new Set([110, 114, 116, 34, 92, 117, 85]);
/** `. * / % + - = ! > ? :` (`<`, `&&`, `||` and brackets are handled apart). */
const OPERATOR_CHARS: ReadonlySet<number> = new Set([46, 42, 47, 37, 43, 45, 61, 33, 62, 63, 58]);

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
}

/**
 * The spans of the top-level blocks of type `type` (with their labels, all quoted or bare
 * names), in order, with where their argument `attribute` is; undefined when the text is not
 * one the skim follows exactly (see above).
 */
export function topLevelBlockSpans(src: string, type: string, attribute: string): BlockSpan[] | undefined {
  const len = src.length;
  const out: BlockSpan[] = [];
  const frames: Frame[] = [];
  // Operator-like characters since the start of the current expression, per open frame (index 0: the top level).
  const ops: number[] = [0];
  let nesting = 0;
  // For heredoc frames: their closing markers, innermost last.
  const markers: string[] = [];
  let atItemStart = true; // at the top level, after a newline (or at the start): an item begins
  let afterTopBlock = false; // a top-level block just closed: only blanks and comments until the newline
  let block: BlockSpan | undefined; // the top-level block of `type` being skimmed
  let blockItemStart = false; // in its body, at the start of an item
  let attributeStart = -1; // in its body, the asked argument begun and not ended
  let topBlockDepth = false; // the `{` at frames[0] opened a top-level block
  let heredocLineStart = false;
  let i = 0;

  const top = (): Frame | undefined => frames[frames.length - 1];
  const push = (f: Frame): boolean => {
    frames.push(f);
    ops.push(0);
    nesting += PER_FRAME;
    return nesting <= NESTING_BUDGET;
  };
  const pop = (): void => {
    frames.pop();
    nesting -= PER_FRAME + (ops.pop() as number);
  };
  const op = (): boolean => {
    ops[ops.length - 1]++;
    nesting++;
    return nesting <= NESTING_BUDGET;
  };
  const resetOps = (): void => {
    nesting -= ops[ops.length - 1];
    ops[ops.length - 1] = 0;
  };

  while (i < len) {
    const f = top();
    const c = src.charCodeAt(i);

    if (f === Frame.Quoted || f === Frame.Heredoc) {
      if (f === Frame.Heredoc && heredocLineStart) {
        heredocLineStart = false;
        // A heredoc ends at a line holding only its marker and a newline, as the parser reads it.
        const k = heredocCloseAt(src, i, markers[markers.length - 1]);
        if (k >= 0) {
          markers.pop();
          pop();
          i = k;
          continue;
        }
        continue;
      }
      if (f === Frame.Quoted) {
        if (c === 34) {
          pop();
          i++;
          continue;
        }
        if (c === 10 || c === 13) return undefined; // a quoted string cannot span lines
        if (c === 92) {
          // The escapes HCL has (`\uXXXX` and `\UXXXXXXXX` go on as plain hex digits); any other is an error.
          if (!QUOTED_ESCAPES.has(src.charCodeAt(i + 1))) return undefined;
          i += 2;
          continue;
        }
      }
      if ((c === 36 || c === 37) && src.charCodeAt(i + 1) === 123) {
        if (!push(Frame.Sequence)) return undefined;
        i += 2;
        continue;
      }
      if ((c === 36 || c === 37) && src.charCodeAt(i + 1) === c && src.charCodeAt(i + 2) === 123) {
        i += 3;
        continue;
      }
      if (c === 10) heredocLineStart = true; // (only heredocs reach here with a newline)
      i++;
      continue;
    }

    // Code: the top level, or inside a bracket or a `${…}` sequence.
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    if (c === 10) {
      i++;
      if (frames.length === 0) {
        atItemStart = true;
        afterTopBlock = false;
        resetOps();
      } else if (f === Frame.Brace) resetOps();
      if (block && frames.length === 1) {
        if (attributeStart >= 0) {
          if (block.attribute) block.whole = true; // set twice: an error the whole block reports
          block.attribute = { start: attributeStart, end: i - 1 };
          attributeStart = -1;
        }
        blockItemStart = true;
      }
      continue;
    }
    if (c === 35 || (c === 47 && src.charCodeAt(i + 1) === 47)) {
      while (i < len && src.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 42) {
      const end = src.indexOf("*/", i + 2);
      if (end < 0) return undefined;
      i = end + 2;
      continue;
    }
    if (c >= 128) return undefined;
    if (afterTopBlock) return undefined; // something after a top-level block's `}` on its line: a parse error
    const itemStart = atItemStart && frames.length === 0;
    atItemStart = false;
    if (itemStart && !isIdentStart(c)) return undefined; // an item that is neither an argument nor a block: a parse error
    const bodyItemStart = blockItemStart && frames.length === 1;
    blockItemStart = false;

    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < len && isIdentPart(src.charCodeAt(j))) j++;
      if (j < len && src.charCodeAt(j) >= 128) return undefined;
      if (itemStart) {
        const header = blockHeader(src, j);
        if (header === undefined) return undefined;
        if (header.kind === "block") {
          if (src.slice(i, j) === type) {
            block = { start: i, end: -1, bodyStart: header.brace + 1, whole: false };
            blockItemStart = true;
          }
          topBlockDepth = true;
          if (!push(Frame.Brace)) return undefined;
          i = header.brace + 1;
          continue;
        }
      }
      if (bodyItemStart && j - i === attribute.length && src.startsWith(attribute, i)) {
        let k = j;
        while (k < len && (src.charCodeAt(k) === 32 || src.charCodeAt(k) === 9)) k++;
        // `name =` (not `==`, `=>`): the argument; anything else leaves it to the whole block.
        if (src.charCodeAt(k) === 61 && src.charCodeAt(k + 1) !== 61 && src.charCodeAt(k + 1) !== 62) attributeStart = i;
        else if (block) block.whole = true;
      }
      i = j;
      continue;
    }
    switch (c) {
      case 34:
        if (!push(Frame.Quoted)) return undefined;
        i++;
        continue;
      case 123:
        if (frames.length === 0) topBlockDepth = false;
        if (!push(Frame.Brace)) return undefined;
        i++;
        continue;
      case 91:
        if (!push(Frame.Brack) || !op()) return undefined;
        i++;
        continue;
      case 40:
        if (!push(Frame.Paren)) return undefined;
        i++;
        continue;
      case 125: {
        if (f !== Frame.Brace && f !== Frame.Sequence) return undefined;
        pop();
        i++;
        if (f === Frame.Brace && frames.length === 0 && topBlockDepth) {
          if (block) {
            // The argument still open (`{ source = "x" }` on one line): the whole block says.
            if (attributeStart >= 0) block.whole = true;
            block.end = i;
            out.push(block);
          }
          block = undefined;
          attributeStart = -1;
          blockItemStart = false;
          topBlockDepth = false;
          afterTopBlock = true;
        }
        continue;
      }
      case 93:
        if (f !== Frame.Brack) return undefined;
        pop();
        i++;
        continue;
      case 41:
        if (f !== Frame.Paren) return undefined;
        pop();
        i++;
        continue;
      case 44:
        resetOps();
        i++;
        continue;
      case 60:
        if (src.charCodeAt(i + 1) === 60) {
          // `<<` is only ever a heredoc's opener in a valid file.
          const h = heredocOpener(src, i);
          if (h === undefined || !push(Frame.Heredoc)) return undefined;
          markers.push(h.marker);
          heredocLineStart = true;
          i = h.next;
          continue;
        }
        if (!op()) return undefined;
        i++;
        continue;
      case 126: // `~` only as the strip marker of a sequence's `~}`
        if (f !== Frame.Sequence || src.charCodeAt(i + 1) !== 125) return undefined;
        i++;
        continue;
      case 38: // `&&`, `||`
      case 124:
        if (src.charCodeAt(i + 1) !== c || !op()) return undefined;
        i += 2;
        continue;
      default:
        if (c >= 48 && c <= 57) {
          i++;
          continue;
        }
        // Operators: each may nest the expression one level deeper. Other characters (`$`, `;`, `@`…) are invalid tokens.
        if (!OPERATOR_CHARS.has(c) || !op()) return undefined;
        i++;
    }
  }
  if (frames.length > 0) return undefined; // something not closed: a parse error
  return out;
}

/**
 * After a top-level item's first name at j: a block header (labels, quoted without escapes or
 * sequences, or bare names, then `{` on the same line), an attribute (`=`), or undefined for
 * anything else.
 */
function blockHeader(src: string, j: number): { kind: "block"; brace: number } | { kind: "attribute" } | undefined {
  const len = src.length;
  for (;;) {
    while (j < len && (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9)) j++;
    if (j >= len) return undefined;
    const c = src.charCodeAt(j);
    if (c === 123) return { kind: "block", brace: j };
    if (c === 61) return src.charCodeAt(j + 1) === 61 || src.charCodeAt(j + 1) === 62 ? undefined : { kind: "attribute" };
    if (c === 34) {
      let k = j + 1;
      for (; k < len; k++) {
        const d = src.charCodeAt(k);
        if (d === 34) break;
        if (d === 92 || d === 36 || d === 37 || d === 10 || d === 13 || d >= 128) return undefined;
      }
      if (k >= len) return undefined;
      j = k + 1;
      continue;
    }
    if (isIdentStart(c)) {
      let k = j + 1;
      while (k < len && isIdentPart(src.charCodeAt(k))) k++;
      if (k < len && src.charCodeAt(k) >= 128) return undefined;
      j = k;
      continue;
    }
    return undefined;
  }
}

/** `<<ID\n` or `<<-ID\n` (CRLF too) at i, as the scanner reads it (ASCII names only), or undefined. */
function heredocOpener(src: string, i: number): { marker: string; next: number } | undefined {
  let j = i + 2;
  if (src.charCodeAt(j) === 45) j++;
  if (!isIdentStart(src.charCodeAt(j))) return undefined;
  const start = j;
  j++;
  while (j < src.length && isIdentPart(src.charCodeAt(j))) j++;
  const marker = src.slice(start, j);
  if (src.charCodeAt(j) === 13) j++;
  if (src.charCodeAt(j) !== 10) return undefined;
  return { marker, next: j + 1 };
}
