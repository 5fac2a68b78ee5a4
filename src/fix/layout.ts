// How `terraform fmt` lays out lines, so that an edit leaves nothing for it to change. The
// facts come from HashiCorp's hclwrite formatter: each line is cut into a "lead", an "assign"
// cell (from the first `=` of the line, when the rest of the line opens no bracket it does not
// close: a one-line `key = value`) and a "comment" cell (a `#` or `//` comment after code).
// Consecutive lines with an assign cell form a chain whose `=` signs stand one column after the
// longest lead; consecutive lines with a comment cell, a chain whose comments stand one column
// after the longest code. Any other line (a blank line, a whole-line comment, `tags = {`, `}`)
// ends a chain. Widths count grapheme clusters.
//
// This module reads a file's lines into those cells (a small tokenizer: strings with their
// `${…}`, heredocs and block comments, brackets, `=`), and re-spaces a chain. Lines inside a
// heredoc or a block comment, or holding a string it cannot follow, are "opaque": they end
// chains and are never re-spaced.

export interface LayoutLine {
  /** Offsets into the text: the line's first character, and its end (before `\r\n` or `\n`). */
  start: number;
  end: number;
  /** Holds nothing this module can read into cells (heredoc text, a block comment…). */
  opaque: boolean;
  /** Only whitespace. */
  blank: boolean;
  /** The assign cell: offset of `=`, and the end of the lead's last token before it. */
  assign?: { eq: number; leadEnd: number };
  /** The comment cell: offset of the comment, and the end of the code before it. */
  comment?: { start: number; codeEnd: number };
}

type Tok = { kind: "open" | "close" | "eq" | "comment" | "other"; start: number; end: number };

// Made on first use: building it loads ICU's segmentation data, a cost every scan would pay.
let segmenter: Intl.Segmenter | undefined;

/** Columns of a piece of one line, as hclwrite counts them (a tab is one column, as any character). */
export function width(text: string): number {
  let n = 0;
  // ASCII needs no segmentation.
  if (/^[\x00-\x7f]*$/.test(text)) return text.length;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/** The lines of a native-syntax file, read into hclwrite's cells. */
export function layoutLines(text: string): LayoutLine[] {
  const lines: LayoutLine[] = [];
  const toks: Tok[][] = [];
  let lineStart = 0;
  let cur: Tok[] = [];
  let opaque = false;
  const endLine = (at: number) => {
    const end = at > lineStart && text[at - 1] === "\r" ? at - 1 : at;
    lines.push({ start: lineStart, end, opaque, blank: text.slice(lineStart, end).trim() === "" });
    toks.push(cur);
    cur = [];
    opaque = false;
    lineStart = at + 1;
  };
  // Contexts: code (with the depth of braces opened in it, for a `${…}` to know its end), string.
  const stack: Array<{ kind: "code"; braces: number; interp: boolean } | { kind: "string" }> = [{ kind: "code", braces: 0, interp: false }];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === "\n") {
      // A newline inside a quoted string or `${…}` of one: not something fmt-clean files hold.
      if (stack.length > 1) opaque = true;
      endLine(i);
      i++;
      continue;
    }
    if (top.kind === "string") {
      if (c === "\\") {
        i += 2;
        continue;
      }
      if ((c === "$" || c === "%") && text[i + 1] === "{") {
        if (text[i - 1] === c && text[i - 2] !== c) {
          // `$${` / `%%{`: an escaped, literal `${`.
          i += 2;
          continue;
        }
        cur.push({ kind: "open", start: i, end: i + 2 });
        stack.push({ kind: "code", braces: 0, interp: true });
        i += 2;
        continue;
      }
      if (c === '"') {
        stack.pop();
        cur.push({ kind: "other", start: i, end: i + 1 });
      }
      i++;
      continue;
    }
    // Code.
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      let j = text.indexOf("\n", i);
      if (j < 0) j = n;
      let e = j;
      while (e > i && (text[e - 1] === "\r" || text[e - 1] === " " || text[e - 1] === "\t")) e--;
      cur.push({ kind: "comment", start: i, end: e });
      i = j;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      const e = close < 0 ? n : close + 2;
      if (text.slice(i, e).includes("\n")) {
        // Spans lines: every line it touches is opaque.
        opaque = true;
        let k = text.indexOf("\n", i);
        while (k >= 0 && k < e) {
          endLine(k);
          opaque = true;
          k = text.indexOf("\n", k + 1);
        }
      } else cur.push({ kind: "other", start: i, end: e });
      i = e;
      continue;
    }
    if (c === "<" && text[i + 1] === "<") {
      const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
      if (m) {
        // A heredoc: this line and every line to the closing marker are opaque.
        const marker = m[2];
        opaque = true;
        let k = i + m[0].length - 1; // the newline ending the opening line
        for (;;) {
          endLine(k);
          opaque = true;
          const next = text.indexOf("\n", k + 1);
          const lineEnd = next < 0 ? n : next;
          const body = text.slice(k + 1, lineEnd).replace(/\r$/, "");
          if (body.trim() === marker || next < 0) {
            i = lineEnd;
            break;
          }
          k = next;
        }
        continue;
      }
    }
    if (c === '"') {
      cur.push({ kind: "other", start: i, end: i + 1 });
      stack.push({ kind: "string" });
      i++;
      continue;
    }
    if (c === "{" || c === "[" || c === "(") {
      if (top.kind === "code" && c === "{") top.braces++;
      cur.push({ kind: "open", start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === "}" || c === "]" || c === ")") {
      if (top.kind === "code" && c === "}") {
        if (top.braces === 0 && top.interp) {
          stack.pop(); // the end of a `${…}`: back in the string
          cur.push({ kind: "close", start: i, end: i + 1 });
          i++;
          continue;
        }
        top.braces = Math.max(0, top.braces - 1);
      }
      cur.push({ kind: "close", start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === "=") {
      const prev = text[i - 1];
      const next = text[i + 1];
      if (next === "=" || next === ">") {
        cur.push({ kind: "other", start: i, end: i + 2 });
        i += 2;
        continue;
      }
      if (prev !== "=" && prev !== "!" && prev !== "<" && prev !== ">") {
        cur.push({ kind: "eq", start: i, end: i + 1 });
        i++;
        continue;
      }
    }
    // Any other token: a run of characters up to a separator.
    let j = i + 1;
    if (/[A-Za-z0-9_\-.]/.test(c)) while (j < n && /[A-Za-z0-9_\-.:]/.test(text[j])) j++;
    cur.push({ kind: "other", start: i, end: j });
    i = j;
  }
  endLine(n);
  // The cells of each line.
  lines.forEach((line, li) => {
    if (line.opaque) return;
    let ts = toks[li];
    const last = ts[ts.length - 1];
    if (ts.length > 1 && last.kind === "comment") {
      line.comment = { start: last.start, codeEnd: ts[ts.length - 2].end };
      ts = ts.slice(0, -1);
    }
    const eqAt = ts.findIndex((t, k) => k > 0 && t.kind === "eq");
    if (eqAt > 0) {
      let net = 0;
      for (const t of ts.slice(eqAt)) net += t.kind === "open" ? 1 : t.kind === "close" ? -1 : 0;
      if (net === 0) line.assign = { eq: ts[eqAt].start, leadEnd: ts[eqAt - 1].end };
    }
  });
  return lines;
}

/** The line holding an offset. */
export function lineAt(lines: LayoutLine[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The chain (first and last line) of assign or comment cells holding line `li`, if it has that cell. */
export function chainOf(lines: LayoutLine[], li: number, cell: "assign" | "comment"): [number, number] | undefined {
  if (!lines[li]?.[cell]) return undefined;
  let a = li;
  let b = li;
  while (a > 0 && lines[a - 1][cell]) a--;
  while (b < lines.length - 1 && lines[b + 1][cell]) b++;
  return [a, b];
}

/** Where a chain's cells should start (in columns from the line start), as fmt places them. */
function targetColumn(text: string, lines: LayoutLine[], [a, b]: [number, number], cell: "assign" | "comment"): number {
  let max = 0;
  for (let k = a; k <= b; k++) {
    const l = lines[k];
    const end = cell === "assign" ? l.assign!.leadEnd : l.comment!.codeEnd;
    max = Math.max(max, width(text.slice(l.start, end)));
  }
  return max + 1;
}

/** Whether a chain is laid out as fmt lays it out. */
export function chainAligned(text: string, lines: LayoutLine[], chain: [number, number], cell: "assign" | "comment"): boolean {
  const col = targetColumn(text, lines, chain, cell);
  for (let k = chain[0]; k <= chain[1]; k++) {
    const l = lines[k];
    const at = cell === "assign" ? l.assign!.eq : l.comment!.start;
    if (width(text.slice(l.start, at)) !== col) return false;
  }
  return true;
}

/** The whitespace edits (offsets in `text`) that lay a chain out as fmt does. */
export function alignChain(text: string, lines: LayoutLine[], chain: [number, number], cell: "assign" | "comment"): Array<{ start: number; end: number; text: string }> {
  const col = targetColumn(text, lines, chain, cell);
  const out: Array<{ start: number; end: number; text: string }> = [];
  for (let k = chain[0]; k <= chain[1]; k++) {
    const l = lines[k];
    const before = cell === "assign" ? l.assign!.leadEnd : l.comment!.codeEnd;
    const at = cell === "assign" ? l.assign!.eq : l.comment!.start;
    const spaces = " ".repeat(Math.max(1, col - width(text.slice(l.start, before))));
    if (text.slice(before, at) !== spaces) out.push({ start: before, end: at, text: spaces });
  }
  return out;
}
