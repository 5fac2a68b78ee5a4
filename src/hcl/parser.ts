// The HCL native-syntax parser (HashiCorp's hclsyntax spec), written for positions and speed.
// Recursive descent over a parser-driven scanner; templates are read here, character by
// character. It never throws on input: errors become diagnostics, and parsing recovers at the
// next line (in bodies) or the closing bracket (in expressions), so later blocks survive.
// parser: ready

import type {
  Attribute,
  BinaryOp,
  Block,
  BlockLabel,
  Body,
  Comment,
  Diagnostic,
  Expression,
  File,
  ForExpr,
  ObjectItem,
  Pos,
  Range,
  TemplateExpr,
  TemplatePart,
} from "./ast.js";
import { isStringLiteral, stringLiteralValue } from "./ast.js";
import { Scanner, Tok, heredocCloseAt, isDigit, tokenText } from "./scanner.js";

/** Nesting deeper than this is reported instead of parsed (it protects the call stack). */
export const MAX_NESTING = 500;
/** Syntax errors reported per file, at most. */
const MAX_ERRORS = 100;

/** Whether the last line of `src` would close a heredoc of `marker` if a newline followed it. */
function lastLineIs(src: string, marker: string): boolean {
  return heredocCloseAt(src + "\n", src.lastIndexOf("\n") + 1, marker) >= 0;
}

export function parseHcl(text: string, fileName: string): File {
  const p = new Parser(text, fileName);
  const body = p.parseFile();
  return { fileName, body, comments: p.takeComments(), diagnostics: p.diagnostics, source: text };
}

/**
 * Parses `text` as the inside of a template (no quotes), as JSON-syntax strings are: `${…}`
 * interpolations, `%{…}` directives, `$${`/`%%{` escapes. Positions count from `origin`.
 */
export function parseTemplateSource(
  text: string,
  fileName: string,
  origin: Pos,
): { template: TemplateExpr; diagnostics: Diagnostic[] } {
  const p = new Parser(text, fileName, origin);
  return { template: p.parseBareTemplate(), diagnostics: p.diagnostics };
}

/** Parses `text` as one expression (Terraform's JSON syntax uses this for a few arguments). */
export function parseExpressionSource(
  text: string,
  fileName: string,
  origin?: Pos,
): { expr: Expression; diagnostics: Diagnostic[] } {
  const p = new Parser(text, fileName, origin);
  return { expr: p.parseStandaloneExpression(), diagnostics: p.diagnostics };
}

// Binary operator precedence, higher binds tighter (HCL spec: `||` < `&&` < equality <
// comparison < additive < multiplicative).
function binaryPrec(t: Tok): number {
  switch (t) {
    case Tok.Or:
      return 1;
    case Tok.And:
      return 2;
    case Tok.EqualEqual:
    case Tok.NotEqual:
      return 3;
    case Tok.Less:
    case Tok.LessEqual:
    case Tok.Greater:
    case Tok.GreaterEqual:
      return 4;
    case Tok.Plus:
    case Tok.Minus:
      return 5;
    case Tok.Star:
    case Tok.Slash:
    case Tok.Percent:
      return 6;
    default:
      return 0;
  }
}

const BINARY_OP: Partial<Record<Tok, BinaryOp>> = {
  [Tok.Or]: "||",
  [Tok.And]: "&&",
  [Tok.EqualEqual]: "==",
  [Tok.NotEqual]: "!=",
  [Tok.Less]: "<",
  [Tok.LessEqual]: "<=",
  [Tok.Greater]: ">",
  [Tok.GreaterEqual]: ">=",
  [Tok.Plus]: "+",
  [Tok.Minus]: "-",
  [Tok.Star]: "*",
  [Tok.Slash]: "/",
  [Tok.Percent]: "%",
};

// A template is first read as a flat list of these, as HCL does, so that strip markers and
// heredoc indentation apply before the `if`/`for` structure is built.
type RawPart =
  | { k: "lit"; value: string; start: Pos; end: Pos }
  | { k: "interp"; expr: Expression; stripLeft: boolean; stripRight: boolean; range: Range }
  | { k: "if"; cond: Expression; range: Range }
  | { k: "else"; range: Range }
  | { k: "endif"; range: Range }
  | { k: "for"; keyVar: string | null; valueVar: string; coll: Expression; range: Range }
  | { k: "endfor"; range: Range }
  | { k: "bad"; range: Range };

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private readonly s: Scanner;
  private readonly fileName: string;
  /** Newline handling: true where newlines end things (bodies, objects), false inside () [] ${}. */
  private nlStack: boolean[] = [true];
  private nl = true;
  private depth = 0;
  /** Set after a fatal problem (too deep): stop reporting, unwind to the end. */
  private aborted = false;

  constructor(text: string, fileName: string, origin?: Pos) {
    this.s = new Scanner(text, origin);
    this.fileName = fileName;
  }

  // ---------------------------------------------------------------- helpers

  private error(message: string, start: Pos, end?: Pos): void {
    if (this.aborted) return;
    if (this.diagnostics.length >= MAX_ERRORS) {
      // A file of thousands of the same mistake (generated, or hostile) says the first ones.
      this.diagnostics.push({ severity: "error", message: `more than ${MAX_ERRORS} syntax errors; the rest are not shown`, file: this.fileName, range: { start, end: end ?? start } });
      this.aborted = true;
      return;
    }
    this.diagnostics.push({ severity: "error", message, file: this.fileName, range: { start, end: end ?? start } });
  }

  private errorAtToken(message: string): void {
    this.error(message, this.s.tokStartPos(), this.s.tokEndPos());
  }

  private describeToken(): string {
    const s = this.s;
    if (this.t() === Tok.Ident) return `\`${s.tokText()}\``;
    if (this.t() === Tok.Number) return `number \`${s.tokText()}\``;
    if (this.t() === Tok.Invalid) return `invalid character \`${s.tokText()}\``;
    if (this.t() === Tok.RBrace && s.tokStrip) return "`~}`";
    return tokenText[this.t()] ?? "token";
  }

  /** The current token (a call, so that TypeScript does not narrow it across calls). */
  private t(): Tok {
    return this.s.tok;
  }

  private next(): void {
    this.s.next();
    if (!this.nl) this.skipNewlines();
  }

  /** Skips newline tokens without moving the previous token's end (node ranges end there). */
  private skipNewlines(): void {
    if (this.t() !== Tok.Newline) return;
    const s = this.s;
    const { prevEnd, prevLine, prevCol } = s;
    while (this.t() === Tok.Newline) s.next();
    s.prevEnd = prevEnd;
    s.prevLine = prevLine;
    s.prevCol = prevCol;
  }

  private pushNewlines(include: boolean): void {
    this.nlStack.push(include);
    this.nl = include;
    if (!include) this.skipNewlines();
  }

  /** Pop before consuming the closing token, so the token after it is scanned in the outer mode. */
  private popNewlines(): void {
    this.nlStack.pop();
    this.nl = this.nlStack[this.nlStack.length - 1];
  }

  private range(start: Pos): Range {
    return { start, end: this.s.prevEndPos() };
  }

  private enter(): boolean {
    if (++this.depth > MAX_NESTING) {
      if (!this.aborted) {
        this.error(
          `nesting is deeper than ${MAX_NESTING} levels (each bracket, block, operator and attribute step counts); the rest of the file is not parsed`,
          this.s.tokStartPos(),
          this.s.tokEndPos(),
        );
        this.aborted = true;
      }
      this.skipToEnd();
      return false;
    }
    return true;
  }

  /** Jumps to the end: every open construct then unwinds at EOF. (Lines are still counted, so that the end-of-file position is right.) */
  private skipToEnd(): void {
    const s = this.s;
    for (let i = s.pos; i < s.len; i++) if (s.src.charCodeAt(i) === 10) s.newlineAt(i);
    s.pos = s.len;
    s.scan();
  }

  private leave(): void {
    this.depth--;
  }

  private invalid(start: Pos): Expression {
    return { type: "Invalid", range: { start, end: start } };
  }

  takeComments(): Comment[] {
    const s = this.s;
    for (const c of s.unterminatedComments) {
      this.error(
        "this `/*` comment is not closed; close it with `*/`",
        s.mkPos(c.start, c.line, c.column),
        s.mkPos(c.start + 2, c.line, c.column + 2),
      );
    }
    const out: Comment[] = [];
    for (const c of s.comments) {
      out.push({
        kind: c.kind,
        text: s.src.slice(c.start, c.end),
        range: { start: s.mkPos(c.start, c.line, c.column), end: s.mkPos(c.end, c.endLine, c.endColumn) },
      });
    }
    return out;
  }

  // ---------------------------------------------------------------- bodies

  parseFile(): Body {
    const s = this.s;
    const fileStart = s.mkPos(s.pos, 1, 1); // after a BOM, if any
    s.scan();
    const body = this.parseBodyItems(Tok.EOF, fileStart);
    body.range = { start: fileStart, end: s.tokEndPos() };
    return body;
  }

  /** Items until `end` (EOF or `}`), which is left as the current token. */
  private parseBodyItems(end: Tok, start: Pos): Body {
    const s = this.s;
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    let seen: Map<string, Attribute> | null = null;
    let lastStart = -1;
    for (;;) {
      while (this.t() === Tok.Newline) this.next();
      // Every round must consume something; recovery that did not is forced on.
      if (s.tokStart === lastStart && this.t() !== Tok.EOF) this.next();
      lastStart = s.tokStart;
      if (this.t() === end || this.t() === Tok.EOF) break;
      if (this.t() === Tok.RBrace) {
        this.errorAtToken("unexpected `}`: there is no open block to close here");
        this.next();
        continue;
      }
      if (this.t() !== Tok.Ident) {
        this.errorAtToken(`expected an argument name or a block type, found ${this.describeToken()}`);
        // recoverLine stops at a closer without consuming it; a stray `)` or `]` closes
        // nothing in a body, so skip it here or the loop never advances.
        if (this.t() === Tok.RBrack || this.t() === Tok.RParen) this.next();
        else this.recoverLine();
        continue;
      }
      const item = this.parseBodyItem(false);
      if (item === null) continue;
      if (item.type === "Attribute") {
        seen ??= new Map();
        const first = seen.get(item.name);
        if (first) {
          this.error(
            `argument \`${item.name}\` is set twice in this body; it was first set at line ${first.nameRange.start.line}, column ${first.nameRange.start.column} (each argument may be set only once)`,
            item.nameRange.start,
            item.nameRange.end,
          );
        } else seen.set(item.name, item);
        attributes.push(item);
      } else blocks.push(item);
    }
    return { type: "Body", attributes, blocks, range: { start, end: start } };
  }

  /** At an identifier: an attribute or a block. Returns null after an error (recovered). */
  private parseBodyItem(singleLine: boolean): Attribute | Block | null {
    const s = this.s;
    const name = s.tokText();
    const nameStart = s.tokStartPos();
    const nameRange: Range = { start: nameStart, end: s.tokEndPos() };
    this.next();
    if (this.t() === Tok.Equal) {
      this.next();
      const expr = this.parseExpression();
      const attr: Attribute = { type: "Attribute", name, nameRange, expr, range: { start: nameStart, end: expr.range.end } };
      if (singleLine) return attr;
      if (this.t() === Tok.Newline) this.next();
      else if (this.t() !== Tok.EOF) {
        this.errorAtToken(
          `expected a newline after the value of \`${name}\`, found ${this.describeToken()} (each argument must be on its own line)`,
        );
        this.recoverLine();
      }
      return attr;
    }
    if (singleLine) {
      // From the block type to its `{`, as HCL reports it (`d {` in `a { d {} }`).
      this.error(
        `a single-line block can hold only one argument (\`name = value\`), found a block \`${name}\``,
        nameStart,
        this.t() === Tok.LBrace ? s.tokEndPos() : nameRange.end,
      );
      return null;
    }
    if (this.t() !== Tok.OQuote && this.t() !== Tok.Ident && this.t() !== Tok.LBrace) {
      this.errorAtToken(`expected \`=\` or a block after \`${name}\`, found ${this.describeToken()}`);
      this.recoverLine();
      return null;
    }
    const labels: BlockLabel[] = [];
    while (this.t() === Tok.OQuote || this.t() === Tok.Ident) {
      if (this.t() === Tok.Ident) {
        labels.push({ value: s.tokText(), quoted: false, range: { start: s.tokStartPos(), end: s.tokEndPos() } });
        this.next();
      } else {
        const t = this.parseQuotedTemplate();
        if (!isStringLiteral(t as Expression)) {
          this.error(
            `a block label must be a plain string: template sequences (\`\${…}\`, \`%{…}\`) are not allowed in the labels of \`${name}\``,
            t.range.start,
            t.range.end,
          );
        }
        labels.push({ value: stringLiteralValue(t), quoted: true, range: t.range });
      }
    }
    if (this.t() !== Tok.LBrace) {
      this.errorAtToken(`expected \`{\` to open the body of block \`${name}\`, found ${this.describeToken()}`);
      this.recoverLine();
      return null;
    }
    if (!this.enter()) {
      this.leave();
      return null;
    }
    const openStart = s.tokStartPos();
    const openBraceRange: Range = { start: openStart, end: s.tokEndPos() };
    this.next();
    let body: Body;
    if (this.t() === Tok.Newline || this.t() === Tok.EOF) {
      body = this.parseBodyItems(Tok.RBrace, openStart);
    } else {
      // A single-line block: `name { arg = value }` holds at most one argument.
      const attributes: Attribute[] = [];
      let reported = false; // one diagnostic per problem
      if (this.t() === Tok.Ident) {
        const item = this.parseBodyItem(true);
        if (item && item.type === "Attribute") attributes.push(item);
        reported = item === null;
      } else if (this.t() !== Tok.RBrace) {
        this.errorAtToken(`expected an argument or \`}\` in the single-line block \`${name}\`, found ${this.describeToken()}`);
        reported = true;
      }
      if (this.t() !== Tok.RBrace && this.t() !== Tok.EOF) {
        if (!reported) {
          this.errorAtToken(
            this.t() === Tok.Newline
              ? `the closing \`}\` of the single-line block \`${name}\` must be on the same line; or start the body on a new line after \`{\``
              : `a single-line block can hold only one argument; put the arguments of \`${name}\` on separate lines`,
          );
        }
        this.recoverLine();
        // Read on as a multi-line body so that the rest of the block is not lost.
        const rest = this.parseBodyItems(Tok.RBrace, openStart);
        attributes.push(...rest.attributes);
        body = { type: "Body", attributes, blocks: rest.blocks, range: rest.range };
      } else {
        body = { type: "Body", attributes, blocks: [], range: { start: openStart, end: openStart } };
      }
    }
    this.leave();
    let closeBraceRange: Range;
    if (this.t() !== Tok.RBrace) {
      this.error(
        `block \`${name}\` opened at line ${openStart.line}, column ${openStart.column} is not closed; add \`}\``,
        openStart,
        openBraceRange.end,
      );
      closeBraceRange = { start: s.tokStartPos(), end: s.tokStartPos() };
    } else {
      closeBraceRange = { start: s.tokStartPos(), end: s.tokEndPos() };
      this.next();
      if (this.t() === Tok.Newline) this.next();
      else if (this.t() !== Tok.EOF && this.t() !== Tok.RBrace) {
        this.errorAtToken(`expected a newline after the closing \`}\` of block \`${name}\`, found ${this.describeToken()}`);
        this.recoverLine();
      }
    }
    body.range = { start: openStart, end: closeBraceRange.end };
    return {
      type: "Block",
      blockType: name,
      typeRange: nameRange,
      labels,
      body,
      openBraceRange,
      closeBraceRange,
      range: { start: nameStart, end: closeBraceRange.end },
    };
  }

  /** Skips to the end of the line, over balanced brackets and strings; consumes the newline. */
  private recoverLine(): void {
    this.recoverUntilSeparator(false);
  }

  /** Skips to the next object item (after a comma or newline at this level) or the `}`. */
  private recoverObjectItem(): void {
    this.recoverUntilSeparator(true);
  }

  /**
   * Skips over balanced brackets and strings to a newline (or a comma, when `comma`) at this
   * level, and consumes it. A `}` at this level is left for the enclosing block or object; a
   * stray `)` or `]` is skipped.
   */
  private recoverUntilSeparator(comma: boolean): void {
    let depth = 0;
    for (;;) {
      switch (this.t()) {
        case Tok.EOF:
          return;
        case Tok.Comma:
        case Tok.Newline:
          if (depth === 0 && (comma || this.t() === Tok.Newline)) {
            this.next();
            return;
          }
          break;
        case Tok.LBrace:
        case Tok.LBrack:
        case Tok.LParen:
          depth++;
          break;
        case Tok.RBrace:
        case Tok.RBrack:
        case Tok.RParen:
          if (depth === 0) {
            if (this.t() === Tok.RBrace) return;
            break;
          }
          depth--;
          break;
        case Tok.OQuote:
          this.skipTemplate(false);
          continue;
        case Tok.OHeredoc:
          this.skipTemplate(true);
          continue;
      }
      this.s.next();
    }
  }

  /** Skips to (not past) the `close` token that balances the current construct. */
  private recoverTo(close: Tok): void {
    const s = this.s;
    let depth = 0;
    for (;;) {
      switch (this.t()) {
        case Tok.EOF:
          return;
        case Tok.LBrace:
        case Tok.LBrack:
        case Tok.LParen:
          depth++;
          break;
        case Tok.RBrace:
        case Tok.RBrack:
        case Tok.RParen:
          if (depth === 0) {
            if (this.t() === close) return;
            return; // a mismatched closer: let the caller report it
          }
          depth--;
          break;
        case Tok.OQuote:
          this.skipTemplate(false);
          continue;
        case Tok.OHeredoc:
          this.skipTemplate(true);
          continue;
      }
      this.next();
    }
  }

  private skipTemplate(heredoc: boolean): void {
    if (heredoc) this.parseHeredocTemplate();
    else this.parseQuotedTemplate();
  }

  // ---------------------------------------------------------------- expressions

  parseStandaloneExpression(): Expression {
    this.s.scan();
    this.pushNewlines(false);
    const e = this.parseExpression();
    if (this.t() !== Tok.EOF) this.errorAtToken(`unexpected ${this.describeToken()} after the expression`);
    return e;
  }

  parseExpression(): Expression {
    if (!this.enter()) {
      this.leave();
      return this.invalid(this.s.tokStartPos());
    }
    const cond = this.parseBinary(1);
    let result = cond;
    if (this.t() === Tok.Question) {
      this.next();
      const then = this.parseExpression();
      if (this.t() !== Tok.Colon) {
        this.errorAtToken(`expected \`:\` in the conditional expression, found ${this.describeToken()}`);
        result = { type: "Conditional", condition: cond, then, else: this.invalid(this.s.tokStartPos()), range: this.range(cond.range.start) };
      } else {
        this.next();
        const otherwise = this.parseExpression();
        result = { type: "Conditional", condition: cond, then, else: otherwise, range: { start: cond.range.start, end: otherwise.range.end } };
      }
    }
    this.leave();
    return result;
  }

  private parseBinary(minPrec: number): Expression {
    let left = this.parseUnary();
    // Each operator applied nests the tree one level deeper (`1+1+…` is left-deep): counted as
    // nesting, so no chain makes a tree deeper than MAX_NESTING for the walkers after us.
    let levels = 0;
    try {
      for (;;) {
        const prec = binaryPrec(this.t());
        if (prec === 0 || prec < minPrec) return left;
        const op = BINARY_OP[this.t()] as BinaryOp;
        levels++;
        if (!this.enter()) return left;
        this.next();
        const right = this.parseBinary(prec + 1);
        left = { type: "Binary", op, left, right, range: { start: left.range.start, end: right.range.end } };
      }
    } finally {
      for (let i = 0; i < levels; i++) this.leave();
    }
  }

  private parseUnary(): Expression {
    const s = this.s;
    if (this.t() === Tok.Minus || this.t() === Tok.Bang) {
      const op = this.t() === Tok.Minus ? "-" : "!";
      const start = s.tokStartPos();
      if (!this.enter()) {
        this.leave();
        return this.invalid(start);
      }
      this.next();
      const operand = this.parseUnary();
      this.leave();
      return { type: "Unary", op, operand, range: { start, end: operand.range.end } };
    }
    return this.parsePostfix(this.parseTerm());
  }

  /** Attribute access, indexes and splats after a term. */
  private parsePostfix(expr: Expression): Expression {
    // Each step nests the tree one level deeper (`a.x.x.x…`): counted as nesting (see parseBinary).
    let levels = 0;
    try {
      return this.parsePostfixSteps(expr, () => {
        levels++;
        return this.enter();
      });
    } finally {
      for (let i = 0; i < levels; i++) this.leave();
    }
  }

  private parsePostfixSteps(expr: Expression, step: () => boolean): Expression {
    const s = this.s;
    const start = expr.range.start;
    for (;;) {
      if ((this.t() === Tok.Dot || this.t() === Tok.LBrack) && !step()) return expr;
      if (this.t() === Tok.Dot) {
        const dotStart = s.tokStartPos();
        this.next();
        if (this.t() === Tok.Ident) {
          const nameRange: Range = { start: s.tokStartPos(), end: s.tokEndPos() };
          const name = s.tokText();
          this.next();
          expr = { type: "GetAttr", object: expr, name, nameRange, range: { start, end: nameRange.end } };
        } else if (this.t() === Tok.Number) {
          const key: Expression = { type: "Literal", value: Number(s.tokText()), raw: s.tokText(), range: { start: s.tokStartPos(), end: s.tokEndPos() } };
          this.next();
          expr = { type: "Index", object: expr, key, legacy: true, range: { start, end: key.range.end } };
        } else if (this.t() === Tok.Star) {
          this.next();
          expr = this.parseSplat(expr, false, dotStart);
        } else {
          // Reported just after the dot, as HCL does: what follows may be a comment (`x.#NAME`).
          const afterDot = { ...dotStart, offset: dotStart.offset + 1, byte: dotStart.byte + 1, column: dotStart.column + 1 };
          this.error(`expected an attribute name after \`.\`, found ${this.describeToken()}`, afterDot, afterDot);
          return expr;
        }
      } else if (this.t() === Tok.LBrack) {
        const bStart = s.tokStartPos();
        this.pushNewlines(false);
        this.next();
        if (this.t() === Tok.Star) {
          this.next();
          this.popNewlines();
          if (this.t() !== Tok.RBrack) {
            this.errorAtToken(`expected \`]\` after \`[*\`, found ${this.describeToken()}`);
            return expr;
          }
          this.next();
          expr = this.parseSplat(expr, true, bStart);
          continue;
        }
        const key = this.parseExpression();
        this.popNewlines();
        if (this.t() !== Tok.RBrack) {
          this.errorAtToken(`expected \`]\` to close the index, found ${this.describeToken()}`);
          this.recoverTo(Tok.RBrack);
          if (this.t() === Tok.RBrack) this.next();
          return { type: "Index", object: expr, key, range: this.range(start) };
        }
        this.next();
        expr = { type: "Index", object: expr, key, range: this.range(start) };
      } else {
        return expr;
      }
    }
  }

  /** After `.*` or `[*]`: the traversal applied to each element. */
  private parseSplat(object: Expression, full: boolean, splatStart: Pos): Expression {
    const s = this.s;
    const itemPos = s.prevEndPos();
    let each: Expression = { type: "SplatItem", range: { start: splatStart, end: itemPos } };
    const eachStart = each.range.start;
    if (full) {
      // As in HCL, every step after `[*]` applies to each element, further splats included:
      // `a[*].b[*].c` nests a splat in `each` (counted as nesting: it recurses).
      if (this.enter()) each = this.parsePostfix(each);
      this.leave();
      return { type: "Splat", object, each, full, range: this.range(object.range.start) };
    }
    // `.*`: only `.name` and `.0` steps belong to the splat; `[…]` after it applies to the result.
    // Each step nests `each` one level deeper: counted as nesting (see parseBinary).
    let levels = 0;
    for (;;) {
      if (this.t() === Tok.Dot) {
        levels++;
        if (!this.enter()) break;
        this.next();
        if (this.t() === Tok.Ident) {
          const nameRange: Range = { start: s.tokStartPos(), end: s.tokEndPos() };
          const name = s.tokText();
          this.next();
          each = { type: "GetAttr", object: each, name, nameRange, range: { start: eachStart, end: nameRange.end } };
        } else if (this.t() === Tok.Number) {
          const key: Expression = { type: "Literal", value: Number(s.tokText()), raw: s.tokText(), range: { start: s.tokStartPos(), end: s.tokEndPos() } };
          this.next();
          each = { type: "Index", object: each, key, legacy: true, range: { start: eachStart, end: key.range.end } };
        } else if (this.t() === Tok.Star) {
          this.errorAtToken("a splat cannot follow another splat directly; use a `for` expression");
          this.next();
        } else {
          this.errorAtToken(`expected an attribute name after \`.\`, found ${this.describeToken()}`);
          break;
        }
      } else break;
    }
    for (let i = 0; i < levels; i++) this.leave();
    return { type: "Splat", object, each, full, range: this.range(object.range.start) };
  }

  private parseTerm(): Expression {
    const s = this.s;
    const start = s.tokStartPos();
    switch (this.t()) {
      case Tok.Number: {
        const raw = s.tokText();
        this.next();
        return { type: "Literal", value: Number(raw), raw, range: { start, end: s.prevEndPos() } };
      }
      case Tok.Ident: {
        const name = s.tokText();
        this.next();
        if (name === "true" || name === "false" || name === "null") {
          if (this.t() !== Tok.LParen && this.t() !== Tok.DoubleColon) {
            return { type: "Literal", value: name === "null" ? null : name === "true", raw: name, range: { start, end: s.prevEndPos() } };
          }
        }
        if (this.t() === Tok.LParen || this.t() === Tok.DoubleColon) return this.parseCall(name, start);
        return { type: "Variable", name, range: { start, end: s.prevEndPos() } };
      }
      case Tok.OQuote: {
        const t = this.parseQuotedTemplate();
        return t;
      }
      case Tok.OHeredoc:
        return this.parseHeredocTemplate();
      case Tok.LParen: {
        if (!this.enter()) {
          this.leave();
          return this.invalid(start);
        }
        this.pushNewlines(false);
        this.next();
        const inner = this.parseExpression();
        this.popNewlines();
        this.leave();
        if (this.t() !== Tok.RParen) {
          this.errorAtToken(`expected \`)\` to close the parenthesis opened at line ${start.line}, column ${start.column}, found ${this.describeToken()}`);
          this.recoverTo(Tok.RParen);
          if (this.t() === Tok.RParen) this.next();
          return { type: "Parens", expr: inner, range: this.range(start) };
        }
        this.next();
        return { type: "Parens", expr: inner, range: this.range(start) };
      }
      case Tok.LBrack:
        return this.parseTuple();
      case Tok.LBrace:
        return this.parseObject();
      default:
        this.errorAtToken(`expected an expression, found ${this.describeToken()}`);
        return this.invalid(start);
    }
  }

  private parseCall(firstName: string, start: Pos): Expression {
    const s = this.s;
    let name = firstName;
    while (this.t() === Tok.DoubleColon) {
      this.next();
      if (this.t() !== Tok.Ident) {
        this.errorAtToken(`expected a name after \`::\` in the function name \`${name}::\`, found ${this.describeToken()}`);
        return this.invalid(start);
      }
      name += "::" + s.tokText();
      this.next();
    }
    const nameRange: Range = { start, end: s.prevEndPos() };
    if (this.t() !== Tok.LParen) {
      this.errorAtToken(`expected \`(\` after the function name \`${name}\`, found ${this.describeToken()}`);
      return this.invalid(start);
    }
    if (!this.enter()) {
      this.leave();
      return this.invalid(start);
    }
    this.pushNewlines(false);
    this.next();
    const args: Expression[] = [];
    let expandFinal = false;
    while (this.t() !== Tok.RParen && this.t() !== Tok.EOF) {
      args.push(this.parseExpression());
      if (this.t() === Tok.Ellipsis) {
        expandFinal = true;
        this.next();
        if (this.t() !== Tok.RParen) {
          this.errorAtToken("`...` expands the last argument of a function call and must be followed directly by `)`");
          this.recoverTo(Tok.RParen);
        }
        break;
      }
      if (this.t() === Tok.Comma) {
        this.next();
        continue;
      }
      if (this.t() !== Tok.RParen) {
        this.errorAtToken(`expected \`,\` or \`)\` after an argument of \`${name}\`, found ${this.describeToken()}`);
        this.recoverTo(Tok.RParen);
        break;
      }
    }
    this.popNewlines();
    this.leave();
    if (this.t() !== Tok.RParen) {
      this.error(`the call to \`${name}\` is not closed; add \`)\``, start, nameRange.end);
      return { type: "FunctionCall", name, nameRange, args, expandFinal, range: this.range(start) };
    }
    this.next();
    return { type: "FunctionCall", name, nameRange, args, expandFinal, range: this.range(start) };
  }

  private isForKeyword(): boolean {
    const s = this.s;
    // Right after `[` or `{`, `for` always starts a for expression (HCL spec: `[for, x]` and
    // `{for = 1}` are syntax errors; `(for)` or `"for"` reach a variable or key named `for`).
    return this.t() === Tok.Ident && s.tokEnd - s.tokStart === 3 && s.tokText() === "for";
  }

  private parseTuple(): Expression {
    const s = this.s;
    const start = s.tokStartPos();
    if (!this.enter()) {
      this.leave();
      return this.invalid(start);
    }
    this.pushNewlines(false);
    this.next();
    if (this.isForKeyword()) {
      const f = this.parseForRest(start, false);
      this.leave();
      return f;
    }
    const items: Expression[] = [];
    while (this.t() !== Tok.RBrack && this.t() !== Tok.EOF) {
      items.push(this.parseExpression());
      if (this.t() === Tok.Comma) {
        this.next();
        continue;
      }
      if (this.t() !== Tok.RBrack) {
        this.errorAtToken(`expected \`,\` or \`]\` after a tuple element, found ${this.describeToken()}`);
        this.recoverTo(Tok.RBrack);
        break;
      }
    }
    this.popNewlines();
    this.leave();
    if (this.t() !== Tok.RBrack) {
      this.error(`the tuple opened at line ${start.line}, column ${start.column} is not closed; add \`]\``, start);
      return { type: "Tuple", items, range: this.range(start) };
    }
    this.next();
    return { type: "Tuple", items, range: this.range(start) };
  }

  private parseObject(): Expression {
    const s = this.s;
    const start = s.tokStartPos();
    if (!this.enter()) {
      this.leave();
      return this.invalid(start);
    }
    this.pushNewlines(false);
    this.next();
    if (this.isForKeyword()) {
      const f = this.parseForRest(start, true);
      this.leave();
      return f;
    }
    // Object items are separated by commas or newlines.
    this.popNewlines();
    this.pushNewlines(true);
    const items: ObjectItem[] = [];
    let lastStart = -1;
    for (;;) {
      while (this.t() === Tok.Newline) this.next();
      if (s.tokStart === lastStart && this.t() !== Tok.EOF && this.t() !== Tok.RBrace) this.next();
      lastStart = s.tokStart;
      if (this.t() === Tok.RBrace || this.t() === Tok.EOF) break;
      const keyStart = s.tokStartPos();
      let key: Expression;
      let bareKey = false;
      // Keys are parsed without newlines mattering inside them, like values.
      key = this.parseExpression();
      if (key.type === "Variable") bareKey = true;
      if (this.t() !== Tok.Equal && this.t() !== Tok.Colon) {
        this.errorAtToken(`expected \`=\` or \`:\` after an object key, found ${this.describeToken()}`);
        this.recoverObjectItem();
        continue;
      }
      this.next();
      const value = this.parseExpression();
      items.push({ key, bareKey, value, range: { start: keyStart, end: value.range.end } });
      if (this.t() === Tok.Comma || this.t() === Tok.Newline) {
        this.next();
        continue;
      }
      if (this.t() !== Tok.RBrace) {
        this.errorAtToken(`expected \`,\`, a newline or \`}\` after an object item, found ${this.describeToken()}`);
        this.recoverObjectItem();
      }
    }
    this.popNewlines();
    this.leave();
    if (this.t() !== Tok.RBrace) {
      this.error(`the object opened at line ${start.line}, column ${start.column} is not closed; add \`}\``, start);
      return { type: "Object", items, range: this.range(start) };
    }
    this.next();
    return { type: "Object", items, range: this.range(start) };
  }


  /** After `[` or `{` and at `for`: the rest of a for expression, closer included. */
  private parseForRest(start: Pos, isObject: boolean): Expression {
    const s = this.s;
    const close = isObject ? Tok.RBrace : Tok.RBrack;
    const closeText = isObject ? "`}`" : "`]`";
    this.next(); // for
    const fail = (message: string): Expression => {
      this.errorAtToken(message);
      this.recoverTo(close);
      this.popNewlines();
      if (this.t() === close) this.next();
      return this.invalid(start);
    };
    let keyVar: string | null = null;
    let valueVar = s.tokText();
    if (this.t() !== Tok.Ident) return fail(`expected a variable name after \`for\`, found ${this.describeToken()}`);
    this.next();
    if (this.t() === Tok.Comma) {
      this.next();
      if (this.t() !== Tok.Ident) return fail(`expected a second variable name after \`,\` in the \`for\` expression, found ${this.describeToken()}`);
      keyVar = valueVar;
      valueVar = s.tokText();
      this.next();
    }
    if (this.t() !== Tok.Ident || s.tokText() !== "in") return fail(`expected \`in\` after the \`for\` variables, found ${this.describeToken()}`);
    this.next();
    const collection = this.parseExpression();
    if (this.t() !== Tok.Colon) return fail(`expected \`:\` after the collection of the \`for\` expression, found ${this.describeToken()}`);
    this.next();
    let keyExpr: Expression | null = null;
    let valueExpr = this.parseExpression();
    let grouping = false;
    if (isObject) {
      if (this.t() !== Tok.FatArrow) return fail(`expected \`=>\` after the key of the object \`for\` expression, found ${this.describeToken()}`);
      this.next();
      keyExpr = valueExpr;
      valueExpr = this.parseExpression();
      if (this.t() === Tok.Ellipsis) {
        grouping = true;
        this.next();
      }
    }
    let condition: Expression | null = null;
    if (this.t() === Tok.Ident && s.tokText() === "if") {
      this.next();
      condition = this.parseExpression();
    }
    if (this.t() !== close) return fail(`expected ${closeText} to close the \`for\` expression, found ${this.describeToken()}`);
    this.popNewlines();
    this.next();
    const f: ForExpr = { type: "For", keyVar, valueVar, collection, keyExpr, valueExpr, condition, grouping, isObject, range: this.range(start) };
    return f;
  }

  // ---------------------------------------------------------------- templates

  /** At `"`: reads the quoted template and scans the token after it. */
  private parseQuotedTemplate(): TemplateExpr {
    const s = this.s;
    const start = s.tokStartPos();
    // Fast path: most strings are plain text with no escapes or sequences.
    const src = s.src;
    let j = s.tokEnd;
    for (;;) {
      const c = src.charCodeAt(j);
      if (c === 34 || c === 92 || c === 36 || c === 37 || c === 10 || c === 13 || j >= s.len) break;
      j++;
    }
    if (src.charCodeAt(j) === 34) {
      const litStart = s.tokEnd;
      const parts: TemplatePart[] =
        j > litStart
          ? [{ type: "TemplateLiteral", value: nfc(src.slice(litStart, j)), range: { start: s.posOnLine(litStart), end: s.posOnLine(j) } }]
          : [];
      const end = s.posOnLine(j + 1);
      s.resumeAt(j + 1);
      if (!this.nl) while (s.tok === Tok.Newline) s.next();
      return { type: "Template", parts, range: { start, end } };
    }
    const raw: RawPart[] = [];
    const endIdx = this.readTemplateParts(s.tokEnd, raw, "quoted", "", start);
    const t = this.buildTemplate(raw, start);
    t.range = { start, end: s.posOnLine(endIdx) };
    s.resumeAt(endIdx);
    if (!this.nl) while (this.t() === Tok.Newline) s.next();
    return t;
  }

  /** At `<<EOF`: reads the heredoc and scans the token after its closing marker. */
  private parseHeredocTemplate(): TemplateExpr {
    const s = this.s;
    const start = s.tokStartPos();
    const opener = s.tokText();
    const flush = opener.charCodeAt(2) === 45;
    const marker = opener.slice(flush ? 3 : 2).replace(/\r?\n$/, "");
    const raw: RawPart[] = [];
    const endIdx = this.readTemplateParts(s.tokEnd, raw, "heredoc", marker, start);
    if (flush) flushHeredoc(raw);
    const t = this.buildTemplate(raw, start);
    t.heredoc = { marker, flush };
    const end = s.posOnLine(endIdx);
    s.resumeAt(endIdx);
    if (!this.nl) while (this.t() === Tok.Newline) s.next();
    t.range = { start, end };
    return t;
  }

  parseBareTemplate(): TemplateExpr {
    const s = this.s;
    const start = s.posOnLine(s.pos);
    const raw: RawPart[] = [];
    const endIdx = this.readTemplateParts(s.pos, raw, "bare", "", start);
    const t = this.buildTemplate(raw, start);
    t.range = { start, end: s.posOnLine(endIdx) };
    return t;
  }

  /**
   * Reads template text from index i into `raw` until the template ends: the closing quote
   * (quoted), the closing marker line (heredoc) or the end of text (bare). Returns the index
   * after the end. `${…}` and `%{…}` sequences are parsed as expressions on the way.
   */
  private readTemplateParts(
    i: number,
    raw: RawPart[],
    mode: "quoted" | "heredoc" | "bare",
    marker: string,
    openPos: Pos,
  ): number {
    const s = this.s;
    const src = s.src;
    const len = s.len;
    let stripNext = false;
    let atLineStart = mode === "heredoc";
    let litStart = i;
    let buf = "";
    let litStartPos = s.posOnLine(i);

    const flushLit = (end: number): void => {
      if (end > litStart || buf.length > 0) {
        let value = buf;
        if (stripNext) {
          value = value.replace(/^\s+/u, "");
          stripNext = false;
        }
        raw.push({ k: "lit", value, start: litStartPos, end: s.posOnLine(end) });
      }
      buf = "";
    };
    const startLit = (at: number): void => {
      litStart = at;
      litStartPos = s.posOnLine(at);
    };

    for (;;) {
      if (atLineStart) {
        atLineStart = false;
        // A heredoc ends at a line holding only its marker (white space around it allowed) and a newline.
        const k = heredocCloseAt(src, i, marker);
        if (k >= 0) {
          flushLit(i);
          return k;
        }
      }
      if (i >= len) {
        flushLit(i);
        if (mode === "quoted") {
          this.error("this string is not closed; add the closing `\"`", openPos);
        } else if (mode === "heredoc") {
          this.error(
            lastLineIs(src, marker)
              ? `this heredoc's closing \`${marker}\` is the file's last line and has no newline after it, so it does not close the heredoc; add a newline at the end of the file`
              : `this heredoc is not closed; end it with a line holding only \`${marker}\``,
            s.posOnLine(i),
          );
        }
        return i;
      }
      const c = src.charCodeAt(i);
      if (mode === "quoted") {
        if (c === 34) {
          flushLit(i);
          return i + 1;
        }
        if (c === 10 || (c === 13 && src.charCodeAt(i + 1) === 10)) {
          flushLit(i);
          this.error(
            "this string is not closed before the end of the line; quoted strings cannot span lines (use a heredoc `<<EOT` for text on several lines)",
            s.posOnLine(i),
          );
          return i;
        }
        if (c === 92) {
          // Escapes: only in quoted strings.
          const r = this.readEscape(i);
          buf += r.text;
          i = r.next;
          continue;
        }
      }
      if ((c === 36 || c === 37) && src.charCodeAt(i + 1) === 123) {
        // `${` or `%{`; `$${`/`%%{` were handled below as escapes.
        flushLit(i);
        i = this.readSequence(i, raw, (strip) => {
          if (strip) {
            // Strip trailing whitespace of the literal before.
            const last = raw[raw.length - 1];
            if (last && last.k === "lit") last.value = last.value.replace(/\s+$/u, "");
          }
        }, (strip) => {
          stripNext = strip;
        });
        startLit(i);
        continue;
      }
      if ((c === 36 || c === 37) && src.charCodeAt(i + 1) === c && src.charCodeAt(i + 2) === 123) {
        buf += c === 36 ? "${" : "%{";
        i += 3;
        continue;
      }
      if (c === 10) {
        if (mode === "heredoc") {
          // Each heredoc line is its own literal, as in HCL (indentation stripping needs it).
          buf += "\n";
          i++;
          // CRLF: the value keeps only `\n`. The line advances first, so that the literal's
          // end (just after the newline) is line + 1, column 1, as everywhere else.
          s.newlineAt(i - 1);
          flushLit(i);
          startLit(i);
          atLineStart = true;
          continue;
        }
        // Bare templates (JSON strings) may hold newlines.
        buf += "\n";
        i++;
        s.newlineAt(i - 1);
        continue;
      }
      if (c === 13 && src.charCodeAt(i + 1) === 10 && mode !== "quoted") {
        i++;
        continue;
      }
      // Plain text: take a run at once.
      let j = i + 1;
      while (j < len) {
        const d = src.charCodeAt(j);
        if (d === 10 || d === 13 || d === 36 || d === 37 || (mode === "quoted" && (d === 34 || d === 92))) break;
        j++;
      }
      buf += src.slice(i, j);
      i = j;
    }
  }

  /** A backslash escape in a quoted string at i. */
  private readEscape(i: number): { text: string; next: number } {
    const s = this.s;
    const src = s.src;
    const e = src.charCodeAt(i + 1);
    switch (e) {
      case 110:
        return { text: "\n", next: i + 2 };
      case 114:
        return { text: "\r", next: i + 2 };
      case 116:
        return { text: "\t", next: i + 2 };
      case 34:
        return { text: '"', next: i + 2 };
      case 92:
        return { text: "\\", next: i + 2 };
      case 117: // \uXXXX
      case 85: {
        // \UXXXXXXXX
        const n = e === 117 ? 4 : 8;
        const hex = src.slice(i + 2, i + 2 + n);
        if (hex.length === n && /^[0-9a-fA-F]+$/.test(hex)) {
          const cp = parseInt(hex, 16);
          if (cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) return { text: String.fromCodePoint(cp), next: i + 2 + n };
        }
        let m = 0; // the hex digits there are, so the message never quotes `"` or a newline
        while (m < n && /[0-9a-fA-F]/.test(src.charAt(i + 2 + m))) m++;
        this.error(
          `invalid escape \`${src.slice(i, i + 2 + m)}\`: \`\\${e === 117 ? "u" : "U"}\` needs ${n} hexadecimal digits of a valid Unicode code point`,
          s.posOnLine(i),
          s.posOnLine(Math.min(i + 2, s.len)),
        );
        return { text: "", next: i + 2 };
      }
      default: {
        const shown = i + 1 < s.len && e !== 10 && e !== 13 ? src.slice(i, i + 2) : "\\";
        this.error(
          `invalid escape \`${shown}\` in a string; use \`\\\\\` for a backslash (known escapes: \\n \\r \\t \\" \\\\ \\uXXXX \\UXXXXXXXX)`,
          s.posOnLine(i),
          s.posOnLine(Math.min(i + 2, s.len)),
        );
        return { text: "", next: Math.min(i + 2, s.len) };
      }
    }
  }

  /**
   * At `${` or `%{`: parses the interpolation or directive up to its `}` and returns the index
   * after it.
   */
  private readSequence(
    i: number,
    raw: RawPart[],
    onStripLeft: (strip: boolean) => void,
    onStripRight: (strip: boolean) => void,
  ): number {
    const s = this.s;
    const src = s.src;
    const isDirective = src.charCodeAt(i) === 37;
    const start = s.posOnLine(i);
    let j = i + 2;
    const stripLeft = src.charCodeAt(j) === 126;
    if (stripLeft) j++;
    onStripLeft(stripLeft);
    if (!this.enter()) {
      this.leave();
      raw.push({ k: "bad", range: { start, end: start } });
      return s.len;
    }
    this.pushNewlines(false);
    s.resumeAt(j);
    while (this.t() === Tok.Newline) s.next();
    let part: RawPart;
    if (!isDirective) {
      const expr = this.parseExpression();
      part = { k: "interp", expr, stripLeft, stripRight: false, range: { start, end: start } };
    } else {
      part = this.parseDirective(start);
    }
    this.popNewlines();
    this.leave();
    let after: number;
    if (this.t() === Tok.RBrace) {
      const stripRight = s.tokStrip;
      if (part.k === "interp") part.stripRight = stripRight;
      onStripRight(stripRight);
      after = s.tokEnd;
    } else {
      this.errorAtToken(
        `expected \`}\` to close the ${isDirective ? "template directive" : "interpolation"} opened at line ${start.line}, column ${start.column}, found ${this.describeToken()}`,
      );
      onStripRight(false);
      // Skip to the closing brace of this sequence, if there is one on the way.
      this.recoverTo(Tok.RBrace);
      after = this.t() === Tok.RBrace ? s.tokEnd : s.tokStart;
    }
    // The end position is on the current line of the scanner: the `}` just read.
    (part as { range: Range }).range = { start, end: s.posOnLine(after) };
    raw.push(part);
    return after;
  }

  private parseDirective(start: Pos): RawPart {
    const s = this.s;
    if (this.t() !== Tok.Ident) {
      this.errorAtToken(`expected \`if\`, \`else\`, \`endif\`, \`for\` or \`endfor\` in the template directive, found ${this.describeToken()}`);
      return { k: "bad", range: { start, end: start } };
    }
    const word = s.tokText();
    const range = { start, end: start };
    switch (word) {
      case "if": {
        this.next();
        const cond = this.parseExpression();
        return { k: "if", cond, range };
      }
      case "else":
        this.next();
        return { k: "else", range };
      case "endif":
        this.next();
        return { k: "endif", range };
      case "endfor":
        this.next();
        return { k: "endfor", range };
      case "for": {
        this.next();
        if (this.t() !== Tok.Ident) {
          this.errorAtToken(`expected a variable name after \`for\`, found ${this.describeToken()}`);
          return { k: "bad", range };
        }
        let keyVar: string | null = null;
        let valueVar = s.tokText();
        this.next();
        if (this.t() === Tok.Comma) {
          this.next();
          if (this.t() !== Tok.Ident) {
            this.errorAtToken(`expected a second variable name after \`,\`, found ${this.describeToken()}`);
            return { k: "bad", range };
          }
          keyVar = valueVar;
          valueVar = s.tokText();
          this.next();
        }
        if (this.t() !== Tok.Ident || s.tokText() !== "in") {
          this.errorAtToken(`expected \`in\` after the \`for\` variables, found ${this.describeToken()}`);
          return { k: "bad", range };
        }
        this.next();
        const coll = this.parseExpression();
        return { k: "for", keyVar, valueVar, coll, range };
      }
      default:
        this.errorAtToken(`unknown template directive \`${word}\`; expected \`if\`, \`else\`, \`endif\`, \`for\` or \`endfor\``);
        return { k: "bad", range };
    }
  }

  /** Builds the nested template from the flat parts, checking directive structure. */
  private buildTemplate(raw: RawPart[], start: Pos): TemplateExpr {
    let idx = 0;
    let depth = 0;
    const build = (stopAt: ReadonlyArray<string>, tStart: Pos): { parts: TemplatePart[]; stop: RawPart | null } => {
      const parts: TemplatePart[] = [];
      // Adjacent literal pieces (a heredoc's lines) are joined and normalised once, when the
      // literal is complete: normalising the growing text at each piece was quadratic.
      let pending: { part: TemplatePart & { type: "TemplateLiteral" }; pieces: string[] } | null = null;
      const flush = () => {
        if (pending) pending.part.value = nfc(pending.pieces.join(""));
        pending = null;
      };
      if (++depth > MAX_NESTING) {
        this.error(`template directives are nested deeper than ${MAX_NESTING} levels`, tStart);
        idx = raw.length;
      }
      while (idx < raw.length) {
        const r = raw[idx];
        if (stopAt.includes(r.k)) {
          depth--;
          flush();
          return { parts, stop: r };
        }
        idx++;
        switch (r.k) {
          case "lit": {
            if (r.value === "") break;
            const prev = parts[parts.length - 1];
            if (pending && prev === pending.part) {
              pending.pieces.push(r.value);
              prev.range = { start: prev.range.start, end: r.end };
            } else {
              flush();
              const part: TemplatePart & { type: "TemplateLiteral" } = { type: "TemplateLiteral", value: r.value, range: { start: r.start, end: r.end } };
              parts.push(part);
              pending = { part, pieces: [r.value] };
            }
            break;
          }
          case "interp":
            parts.push({ type: "TemplateInterpolation", expr: r.expr, stripLeft: r.stripLeft, stripRight: r.stripRight, range: r.range });
            break;
          case "if": {
            const thenB = build(["else", "endif"], r.range.end);
            let elseT: TemplateExpr | null = null;
            let stop = thenB.stop;
            if (stop && stop.k === "else") {
              idx++;
              const elseB = build(["endif"], stop.range.end);
              elseT = { type: "Template", parts: elseB.parts, range: spanOf(elseB.parts, stop.range.end) };
              stop = elseB.stop;
            }
            let end = r.range.end;
            if (stop && stop.k === "endif") {
              idx++;
              end = stop.range.end;
            } else {
              this.error("this `%{if}` has no `%{endif}`", r.range.start, r.range.end);
            }
            parts.push({
              type: "TemplateIf",
              condition: r.cond,
              then: { type: "Template", parts: thenB.parts, range: spanOf(thenB.parts, r.range.end) },
              else: elseT,
              range: { start: r.range.start, end },
            });
            break;
          }
          case "for": {
            const bodyB = build(["endfor"], r.range.end);
            let end = r.range.end;
            if (bodyB.stop && bodyB.stop.k === "endfor") {
              idx++;
              end = bodyB.stop.range.end;
            } else {
              this.error("this `%{for}` has no `%{endfor}`", r.range.start, r.range.end);
            }
            parts.push({
              type: "TemplateFor",
              keyVar: r.keyVar,
              valueVar: r.valueVar,
              collection: r.coll,
              body: { type: "Template", parts: bodyB.parts, range: spanOf(bodyB.parts, r.range.end) },
              range: { start: r.range.start, end },
            });
            break;
          }
          case "else":
          case "endif":
          case "endfor": {
            const what = r.k === "else" ? "`%{else}`" : r.k === "endif" ? "`%{endif}`" : "`%{endfor}`";
            const opener = r.k === "endfor" ? "`%{for}`" : "`%{if}`";
            this.error(`${what} without a matching ${opener}`, r.range.start, r.range.end);
            break;
          }
          case "bad":
            break;
        }
      }
      depth--;
      flush();
      return { parts, stop: null };
    };
    const { parts } = build([], start);
    const t: TemplateExpr = { type: "Template", parts, range: { start, end: start } };
    // `"${expr}"` alone yields expr's value unchanged (HCL's template wrap).
    if (parts.length === 1 && parts[0].type === "TemplateInterpolation" && raw.length === 1) {
      t.wrapped = parts[0].expr;
    }
    return t;
  }
}

function spanOf(parts: TemplatePart[], fallback: Pos): Range {
  if (parts.length === 0) return { start: fallback, end: fallback };
  return { start: parts[0].range.start, end: parts[parts.length - 1].range.end };
}

/**
 * `<<-` heredocs: remove the smallest indentation of the lines from every line, as HCL does.
 * Lines holding only whitespace do not count; a line starting with an interpolation counts
 * as zero indentation.
 */
function flushHeredoc(raw: RawPart[]): void {
  let min = Infinity;
  let atLineStart = true;
  const adjust: Array<{ k: "lit"; value: string }> = [];
  for (const r of raw) {
    if (atLineStart) {
      atLineStart = false;
      if (r.k === "lit") {
        const trimmed = r.value.replace(/^\s+/u, "");
        if (trimmed.length === 0 && r.value.endsWith("\n")) {
          // a blank line
        } else {
          const spaces = countLeadingSpaceChars(r.value, r.value.length - trimmed.length);
          adjust.push(r);
          if (spaces < min) min = spaces;
        }
      } else {
        min = 0;
      }
    }
    if (r.k === "lit" && r.value.endsWith("\n")) atLineStart = true;
  }
  if (min === Infinity || min === 0) return;
  for (const r of adjust) {
    let cut = 0;
    for (let n = 0; n < min && cut < r.value.length; n++) cut += r.value.codePointAt(cut)! > 0xffff ? 2 : 1;
    r.value = r.value.slice(cut);
  }
}

function countLeadingSpaceChars(s: string, units: number): number {
  let n = 0;
  for (let i = 0; i < units; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++;
    n++;
  }
  return n;
}

export { isDigit };

/**
 * Literal text in NFC, as HCL gives it (cty normalises every string value). Code points below
 * U+0300 are never changed by NFC, so pure ASCII/Latin-1 text skips the call.
 */
function nfc(text: string): string {
  return /[\u0300-\uffff]/.test(text) ? text.normalize("NFC") : text;
}
