// What the app-configuration readers share: positions in a file's text (as the HCL parser
// counts them: 1-based lines split at `\n`, UTF-16 columns, a BOM counted in offsets but not in
// columns, UTF-8 byte offsets), literal text for the text checks, comments for suppressions,
// and the synthetic syntax tree that lets a suppression comment before a YAML key or a Python
// statement cover what is reported inside it.

import type { Block, Body, File, Pos, Range } from "../../hcl/ast.js";
import type { Origin } from "../../inventory/model.js";

/** Offsets of a text to positions. */
export class LineIndex {
  /** Offset where each line starts. */
  private readonly starts: number[] = [0];
  /** UTF-8 byte offset where each line starts (computed on demand). */
  private readonly byteStarts: number[] = [0];
  private readonly bom: boolean;

  constructor(readonly text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
    this.bom = text.charCodeAt(0) === 0xfeff;
  }

  /** The 0-based line of an offset. */
  private lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private byteStart(line: number): number {
    for (let l = this.byteStarts.length; l <= line; l++) {
      this.byteStarts[l] = this.byteStarts[l - 1] + utf8Length(this.text.slice(this.starts[l - 1], this.starts[l]));
    }
    return this.byteStarts[line];
  }

  pos(offset: number): Pos {
    offset = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(offset);
    const start = this.starts[line];
    const skip = line === 0 && this.bom && offset > 0 ? 1 : 0;
    // Bytes from the line start, counted from the nearest checkpoint: counting from the line
    // start each time was quadratic on one long line (20,000 template tags on one line).
    const k = Math.floor((offset - start) / CHUNK);
    return {
      offset,
      byte: this.byteStart(line) + this.chunkBytes(line, k) + utf8Length(this.text.slice(start + k * CHUNK, offset)),
      line: line + 1,
      column: offset - start - skip + 1,
    };
  }

  /** UTF-8 bytes of a line's first k chunks (of CHUNK code units each), remembered per long line. */
  private readonly chunks = new Map<number, number[]>();
  private chunkBytes(line: number, k: number): number {
    if (k === 0) return 0;
    let list = this.chunks.get(line);
    if (!list) this.chunks.set(line, (list = [0]));
    const start = this.starts[line];
    for (let i = list.length; i <= k; i++) list[i] = list[i - 1] + utf8Length(this.text.slice(start + (i - 1) * CHUNK, start + i * CHUNK));
    return list[k];
  }

  range(start: number, end: number): Range {
    return { start: this.pos(start), end: this.pos(Math.max(start, end)) };
  }

  /** The offset where the line holding `offset` starts. */
  lineStart(offset: number): number {
    return this.starts[this.lineOf(offset)];
  }
}

/** Code units per checkpoint of a long line (see LineIndex.pos). */
const CHUNK = 1024;

/**
 * UTF-8 bytes of UTF-16 text. Each half of a surrogate pair counts 2 (4 for the pair), so text
 * cut between the halves (at a checkpoint) still adds up; text decoded from UTF-8 holds no lone
 * surrogates.
 */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdfff) n += 2;
    else n += 3;
  }
  return n;
}

/** A file origin. */
export function fileOrigin(path: string, lines: LineIndex, start: number, end: number): Origin {
  return { file: { path, range: lines.range(start, end) } };
}

/**
 * Literal text as written between `start` and `end`, cut into pieces that the placeholder
 * rule positions exactly: it counts a `"`, `\`, tab or `${`/`%{` as two characters (as HCL
 * quotes them), so pieces end before such characters and at line ends.
 */
export function literalPieces(path: string, lines: LineIndex, start: number, end: number): Array<{ text: string; origin: Origin }> {
  const out: Array<{ text: string; origin: Origin }> = [];
  const text = lines.text;
  let from = start;
  const flush = (to: number) => {
    if (to > from) out.push({ text: text.slice(from, to), origin: fileOrigin(path, lines, from, to) });
  };
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '"' || c === "\\" || c === "\t" || c === "\r" || c === "\n") {
      flush(i);
      from = i + 1;
    } else if ((c === "$" || c === "%") && text[i + 1] === "{") {
      flush(i + 1);
      from = i + 1;
    }
  }
  flush(end);
  return out;
}

/** A line comment of a non-HCL file, for the suppression index. */
export interface LineComment {
  text: string;
  line: number;
  /** Code precedes it on its line. */
  trailing: boolean;
  /** The comment's range. */
  range?: Range;
}

/** Whether anything but white space precedes `offset` on its line. */
export function isTrailing(lines: LineIndex, offset: number): boolean {
  return lines.text.slice(lines.lineStart(offset), offset).trim().length > 0;
}

/**
 * A stretch of a file that a suppression comment on the line before it (or at the end of its
 * first line) covers as a whole: a YAML key with its value, a Python statement. Nested spans
 * are covered by their own comments too.
 */
export interface CoverSpan {
  start: number;
  end: number;
  children: CoverSpan[];
}

/**
 * A stand-in HCL file whose blocks are the spans, for `SuppressionIndex.addComments`: it finds
 * the blocks enclosing a finding by their ranges, whatever the language.
 */
export function coverFile(path: string, lines: LineIndex, spans: CoverSpan[]): File {
  const body = (items: CoverSpan[], start: number, end: number): Body => ({
    type: "Body",
    attributes: [],
    blocks: items.map(block),
    range: lines.range(start, end),
  });
  const block = (s: CoverSpan): Block => {
    const range = lines.range(s.start, s.end);
    return { type: "Block", blockType: "", typeRange: range, labels: [], body: body(s.children, s.start, s.end), openBraceRange: range, closeBraceRange: range, range };
  };
  return { fileName: path, body: body(spans, 0, lines.text.length), comments: [], diagnostics: [], source: lines.text };
}
