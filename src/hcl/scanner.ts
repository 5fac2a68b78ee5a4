// The HCL native-syntax scanner. The parser drives it: ordinary tokens come from `next()`,
// while template text (inside quotes and heredocs) is read character by character by the
// parser itself, so no token list is ever built. Positions are tracked as it goes.

import type { Pos } from "./ast.js";

export const enum Tok {
  EOF,
  Newline,
  Ident,
  Number,
  OQuote, // "
  OHeredoc, // <<EOF or <<-EOF, newline included
  LBrace,
  RBrace, // } (or ~} when `tokStrip` is set)
  LBrack,
  RBrack,
  LParen,
  RParen,
  Comma,
  Dot,
  Ellipsis,
  Star,
  Slash,
  Percent,
  Plus,
  Minus,
  Equal,
  EqualEqual,
  Bang,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  And,
  Or,
  Question,
  Colon,
  DoubleColon,
  FatArrow,
  Invalid,
}

export const tokenText: Record<number, string> = {
  [Tok.EOF]: "end of file",
  [Tok.Newline]: "newline",
  [Tok.Ident]: "identifier",
  [Tok.Number]: "number",
  [Tok.OQuote]: "string",
  [Tok.OHeredoc]: "heredoc",
  [Tok.LBrace]: "`{`",
  [Tok.RBrace]: "`}`",
  [Tok.LBrack]: "`[`",
  [Tok.RBrack]: "`]`",
  [Tok.LParen]: "`(`",
  [Tok.RParen]: "`)`",
  [Tok.Comma]: "`,`",
  [Tok.Dot]: "`.`",
  [Tok.Ellipsis]: "`...`",
  [Tok.Star]: "`*`",
  [Tok.Slash]: "`/`",
  [Tok.Percent]: "`%`",
  [Tok.Plus]: "`+`",
  [Tok.Minus]: "`-`",
  [Tok.Equal]: "`=`",
  [Tok.EqualEqual]: "`==`",
  [Tok.Bang]: "`!`",
  [Tok.NotEqual]: "`!=`",
  [Tok.Less]: "`<`",
  [Tok.LessEqual]: "`<=`",
  [Tok.Greater]: "`>`",
  [Tok.GreaterEqual]: "`>=`",
  [Tok.And]: "`&&`",
  [Tok.Or]: "`||`",
  [Tok.Question]: "`?`",
  [Tok.Colon]: "`:`",
  [Tok.DoubleColon]: "`::`",
  [Tok.FatArrow]: "`=>`",
  [Tok.Invalid]: "invalid character",
};

const ID_START = /\p{ID_Start}/u;
const ID_CONTINUE = /\p{ID_Continue}/u;

function isAsciiIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isAsciiIdentPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Reads one code point at `i` (a surrogate pair counts as one). */
function codePointLength(src: string, i: number): number {
  const c = src.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < src.length) {
    const d = src.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** White space as Go's `unicode.IsSpace` has it (what HashiCorp's scanner trims from a heredoc's closing line). */
function isGoSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/**
 * Whether the line starting at `i` closes a heredoc whose marker is `marker`, as HashiCorp's
 * scanner decides: the line, white space trimmed from both ends, is the marker, and it ends
 * with a newline (a marker on a file's last line with no newline after it closes nothing;
 * Terraform says "Unterminated template string"). Returns where the closing marker's token
 * ends (the newline, or the `\r` of a CRLF), or -1.
 */
export function heredocCloseAt(src: string, i: number, marker: string): number {
  const len = src.length;
  let j = i;
  while (j < len && src.charCodeAt(j) !== 10 && isGoSpace(src.charCodeAt(j))) j++;
  if (!src.startsWith(marker, j)) return -1;
  let k = j + marker.length;
  while (k < len && src.charCodeAt(k) !== 10 && isGoSpace(src.charCodeAt(k))) k++;
  if (k >= len || src.charCodeAt(k) !== 10) return -1;
  return src.charCodeAt(k - 1) === 13 ? k - 1 : k;
}

export function isIdentStartAt(src: string, i: number): number {
  const c = src.charCodeAt(i);
  if (c < 128) return isAsciiIdentStart(c) ? 1 : 0;
  const n = codePointLength(src, i);
  return ID_START.test(src.slice(i, i + n)) ? n : 0;
}

function isIdentPartAt(src: string, i: number): number {
  const c = src.charCodeAt(i);
  if (c < 128) return isAsciiIdentPart(c) ? 1 : 0;
  const n = codePointLength(src, i);
  return ID_CONTINUE.test(src.slice(i, i + n)) ? n : 0;
}

export interface Comment {
  kind: "line" | "block";
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export class Scanner {
  readonly src: string;
  readonly len: number;
  pos = 0;
  line = 1;
  /** Index where the current line starts; column = index - lineStart + 1. */
  lineStart = 0;

  // The current token.
  tok: Tok = Tok.EOF;
  tokStart = 0;
  tokEnd = 0;
  tokLine = 1;
  tokCol = 1;
  /** For RBrace: it was `~}`. For OHeredoc: the `<<-` form. */
  tokStrip = false;

  // The end of the previously consumed token (for node end positions).
  prevEnd = 0;
  prevLine = 1;
  prevCol = 1;

  /** Comments met, in order; the parser turns them into ranges. */
  readonly comments: Comment[] = [];
  /** Unterminated block comments, reported by the parser. */
  readonly unterminatedComments: Comment[] = [];

  private lastTok: Tok = Tok.EOF;

  // Position bases, for templates parsed out of a larger file (JSON syntax).
  private readonly offsetBase: number;
  private readonly byteBase: number;
  /** UTF-8 byte offset of each string index; null for a long ASCII text (byte offset = index). See bytePrefixOf. */
  private readonly bytePrefix: Int32Array | null;

  constructor(src: string, origin?: Pos) {
    this.src = src;
    this.len = src.length;
    this.bytePrefix = bytePrefixOf(src);
    if (origin) {
      this.offsetBase = origin.offset;
      this.byteBase = origin.byte;
      this.line = origin.line;
      this.lineStart = -(origin.column - 1);
    } else {
      this.offsetBase = 0;
      this.byteBase = 0;
      if (src.charCodeAt(0) === 0xfeff) {
        // A UTF-8 BOM: offsets count it, columns do not.
        this.pos = 1;
        this.lineStart = 1;
      }
    }
    this.prevEnd = this.pos;
    this.prevLine = this.line;
    this.prevCol = this.pos - this.lineStart + 1;
  }

  byteOf(offset: number): number {
    const prefix = this.bytePrefix;
    return (prefix !== null ? prefix[offset] : offset) + this.byteBase;
  }

  // Nodes that start or end at the same place share one Pos object (fewer allocations).
  private cachedA: Pos | null = null;
  private cachedB: Pos | null = null;

  mkPos(offset: number, line: number, column: number): Pos {
    const a = this.cachedA;
    if (a !== null && a.offset === offset + this.offsetBase && a.line === line) return a;
    const b = this.cachedB;
    if (b !== null && b.offset === offset + this.offsetBase && b.line === line) return b;
    const p: Pos = { offset: offset + this.offsetBase, byte: this.byteOf(offset), line, column };
    this.cachedB = a;
    this.cachedA = p;
    return p;
  }

  /** Position of index `i` on the current line. */
  posOnLine(i: number): Pos {
    return this.mkPos(i, this.line, i - this.lineStart + 1);
  }

  tokStartPos(): Pos {
    return this.mkPos(this.tokStart, this.tokLine, this.tokCol);
  }
  tokEndPos(): Pos {
    // A newline (and a heredoc opener, which ends with one) ends at column 1 of the next line.
    if (this.tok === Tok.Newline || this.tok === Tok.OHeredoc) return this.mkPos(this.tokEnd, this.tokLine + 1, 1);
    return this.mkPos(this.tokEnd, this.tokLine, this.tokCol + (this.tokEnd - this.tokStart));
  }
  prevEndPos(): Pos {
    return this.mkPos(this.prevEnd, this.prevLine, this.prevCol);
  }

  tokText(): string {
    return this.src.slice(this.tokStart, this.tokEnd);
  }

  /** Marks the current token consumed and scans the next one. */
  next(): void {
    this.prevEnd = this.tokEnd;
    if (this.tok === Tok.OHeredoc) {
      // The heredoc opener ends with its newline.
      this.prevLine = this.line;
      this.prevCol = this.pos - this.lineStart + 1;
    } else if (this.tok === Tok.Newline) {
      this.prevLine = this.tokLine + 1;
      this.prevCol = 1;
    } else {
      this.prevLine = this.tokLine;
      this.prevCol = this.tokCol + (this.tokEnd - this.tokStart);
    }
    this.scan();
  }

  /** Continues scanning tokens from `pos` (after the parser read template text itself). */
  resumeAt(pos: number): void {
    this.pos = pos;
    this.prevEnd = pos;
    this.prevLine = this.line;
    this.prevCol = pos - this.lineStart + 1;
    this.scan();
  }

  /** Records a newline at index i (the `\n` itself). */
  newlineAt(i: number): void {
    this.line++;
    this.lineStart = i + 1;
  }

  scan(): void {
    const src = this.src;
    const len = this.len;
    let i = this.pos;
    // Skip blanks and comments.
    for (;;) {
      if (i >= len) break;
      const c = src.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13) {
        i++;
      } else if (c === 35 /* # */ || (c === 47 /* / */ && src.charCodeAt(i + 1) === 47)) {
        const start = i;
        while (i < len && src.charCodeAt(i) !== 10) i++;
        let end = i;
        if (end > start && src.charCodeAt(end - 1) === 13) end--;
        const col = start - this.lineStart + 1;
        this.comments.push({ kind: "line", start, end, line: this.line, column: col, endLine: this.line, endColumn: col + (end - start) });
      } else if (c === 47 && src.charCodeAt(i + 1) === 42 /* * */) {
        const start = i;
        const line = this.line;
        const col = start - this.lineStart + 1;
        i += 2;
        let closed = false;
        while (i < len) {
          const d = src.charCodeAt(i);
          if (d === 42 && src.charCodeAt(i + 1) === 47) {
            i += 2;
            closed = true;
            break;
          }
          if (d === 10) this.newlineAt(i);
          i++;
        }
        const comment: Comment = { kind: "block", start, end: i, line, column: col, endLine: this.line, endColumn: i - this.lineStart + 1 };
        this.comments.push(comment);
        if (!closed) this.unterminatedComments.push(comment);
      } else {
        break;
      }
    }
    this.tokStart = i;
    this.tokLine = this.line;
    this.tokCol = i - this.lineStart + 1;
    this.tokStrip = false;
    if (i >= len) {
      this.tok = Tok.EOF;
      this.tokEnd = this.pos = len;
      this.lastTok = Tok.EOF;
      return;
    }
    const c = src.charCodeAt(i);
    let t: Tok;
    let end = i + 1;
    switch (c) {
      case 10:
        t = Tok.Newline;
        this.tok = t;
        this.tokEnd = this.pos = end;
        this.lastTok = t;
        this.newlineAt(i);
        return;
      case 34:
        t = Tok.OQuote;
        break;
      case 123:
        t = Tok.LBrace;
        break;
      case 125:
        t = Tok.RBrace;
        break;
      case 91:
        t = Tok.LBrack;
        break;
      case 93:
        t = Tok.RBrack;
        break;
      case 40:
        t = Tok.LParen;
        break;
      case 41:
        t = Tok.RParen;
        break;
      case 44:
        t = Tok.Comma;
        break;
      case 46: // .
        if (src.charCodeAt(i + 1) === 46 && src.charCodeAt(i + 2) === 46) {
          t = Tok.Ellipsis;
          end = i + 3;
        } else t = Tok.Dot;
        break;
      case 42:
        t = Tok.Star;
        break;
      case 47:
        t = Tok.Slash;
        break;
      case 37:
        t = Tok.Percent;
        break;
      case 43:
        t = Tok.Plus;
        break;
      case 45:
        t = Tok.Minus;
        break;
      case 61: // =
        if (src.charCodeAt(i + 1) === 61) {
          t = Tok.EqualEqual;
          end++;
        } else if (src.charCodeAt(i + 1) === 62) {
          t = Tok.FatArrow;
          end++;
        } else t = Tok.Equal;
        break;
      case 33:
        if (src.charCodeAt(i + 1) === 61) {
          t = Tok.NotEqual;
          end++;
        } else t = Tok.Bang;
        break;
      case 60: // <
        if (src.charCodeAt(i + 1) === 60) {
          const h = this.scanHeredocOpener(i);
          if (h > 0) {
            t = Tok.OHeredoc;
            end = h;
            break;
          }
        }
        if (src.charCodeAt(i + 1) === 61) {
          t = Tok.LessEqual;
          end++;
        } else t = Tok.Less;
        break;
      case 62:
        if (src.charCodeAt(i + 1) === 61) {
          t = Tok.GreaterEqual;
          end++;
        } else t = Tok.Greater;
        break;
      case 38:
        if (src.charCodeAt(i + 1) === 38) {
          t = Tok.And;
          end++;
        } else t = Tok.Invalid;
        break;
      case 124:
        if (src.charCodeAt(i + 1) === 124) {
          t = Tok.Or;
          end++;
        } else t = Tok.Invalid;
        break;
      case 63:
        t = Tok.Question;
        break;
      case 58:
        if (src.charCodeAt(i + 1) === 58) {
          t = Tok.DoubleColon;
          end++;
        } else t = Tok.Colon;
        break;
      case 126: // ~ only as part of `~}`
        if (src.charCodeAt(i + 1) === 125) {
          t = Tok.RBrace;
          this.tokStrip = true;
          end++;
        } else t = Tok.Invalid;
        break;
      default:
        if (isDigit(c)) {
          t = Tok.Number;
          end = this.scanNumber(i, this.lastTok === Tok.Dot);
        } else {
          const n = isIdentStartAt(src, i);
          if (n > 0) {
            t = Tok.Ident;
            end = i + n;
            for (;;) {
              if (end >= len) break;
              const d = src.charCodeAt(end);
              if (d < 128) {
                if (isAsciiIdentPart(d)) {
                  end++;
                  continue;
                }
                break;
              }
              const m = isIdentPartAt(src, end);
              if (m === 0) break;
              end += m;
            }
          } else {
            t = Tok.Invalid;
            end = i + codePointLength(src, i);
          }
        }
    }
    this.tok = t;
    this.tokEnd = this.pos = end;
    this.lastTok = t;
    if (t === Tok.OHeredoc) this.newlineAt(end - 1);
  }

  /** After a `.`, only digits: `a.0.1` is two legacy index steps, not the number 0.1. */
  private scanNumber(i: number, digitsOnly: boolean): number {
    const src = this.src;
    let j = i;
    while (isDigit(src.charCodeAt(j))) j++;
    if (digitsOnly) return j;
    if (src.charCodeAt(j) === 46 && isDigit(src.charCodeAt(j + 1))) {
      j++;
      while (isDigit(src.charCodeAt(j))) j++;
    }
    const e = src.charCodeAt(j);
    if (e === 101 || e === 69) {
      let k = j + 1;
      const s = src.charCodeAt(k);
      if (s === 43 || s === 45) k++;
      if (isDigit(src.charCodeAt(k))) {
        while (isDigit(src.charCodeAt(k))) k++;
        j = k;
      }
    }
    return j;
  }

  /** `<<ID\n` or `<<-ID\n` (CRLF too) at i: returns the index after the newline, or 0. */
  private scanHeredocOpener(i: number): number {
    const src = this.src;
    let j = i + 2;
    if (src.charCodeAt(j) === 45) j++;
    const n = isIdentStartAt(src, j);
    if (n === 0) return 0;
    j += n;
    for (;;) {
      const m = isIdentPartAt(src, j);
      if (m === 0) break;
      j += m;
    }
    if (src.charCodeAt(j) === 13) j++;
    if (src.charCodeAt(j) !== 10) return 0;
    return j + 1;
  }
}

const ASCII_SHARED = 256 * 1024;
let asciiOffsets = new Int32Array(4096);
for (let i = 0; i < asciiOffsets.length; i++) asciiOffsets[i] = i;

/**
 * The byte offsets of a text's indexes. Pure ASCII text (the common case) shares one table where
 * the offset is the index, grown to the longest such text up to ASCII_SHARED characters (4 bytes
 * each); a longer one has none (byteOf then takes the index). Other text gets its own table.
 * Every text reads its offsets the same way, so byteOf's callers are optimised once for both
 * kinds (deciding on first use, as before, made the first non-ASCII file deoptimise every parser
 * function byteOf was inlined into).
 */
function bytePrefixOf(src: string): Int32Array | null {
  // Buffer.byteLength is native and fast: equal lengths mean pure ASCII.
  if (Buffer.byteLength(src, "utf8") !== src.length) return buildBytePrefix(src);
  if (src.length >= ASCII_SHARED) return null;
  if (asciiOffsets.length <= src.length) {
    let n = asciiOffsets.length * 2;
    while (n <= src.length) n *= 2;
    asciiOffsets = new Int32Array(Math.min(n, ASCII_SHARED + 1));
    for (let i = 0; i < asciiOffsets.length; i++) asciiOffsets[i] = i;
  }
  return asciiOffsets;
}

function buildBytePrefix(src: string): Int32Array {
  const n = src.length;
  const prefix = new Int32Array(n + 1);
  let b = 0;
  for (let i = 0; i < n; i++) {
    prefix[i] = b;
    const c = src.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = src.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        b += 4;
        prefix[++i] = b - 2; // the low half of a pair points inside the character
        continue;
      }
      b += 3;
    } else b += 3;
  }
  prefix[n] = b;
  return prefix;
}
