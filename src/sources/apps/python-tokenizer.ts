// A Python tokenizer, after CPython's `tokenize` module: names, numbers, strings (with their
// prefixes, triple quotes and escapes, f-strings split into text and fields), operators,
// comments, logical line ends (NEWLINE, not inside brackets or after a `\` continuation),
// INDENT and DEDENT. Enough of Python to read flytekit `Secret(...)` requests without regular
// expressions over lines. Errors (an unterminated string, an unmatched bracket, a dedent to no
// enclosing level, a character Python does not know) are collected with their offset; the
// tokenizer goes on after each, as far as it can.

export type TokenKind = "name" | "number" | "string" | "op" | "comment" | "newline" | "indent" | "dedent" | "end";

export interface FStringField {
  /** The expression's text and span inside the f-string. */
  expr: string;
  start: number;
  end: number;
}

export interface Token {
  kind: TokenKind;
  /** The text as written. */
  text: string;
  start: number;
  end: number;
  /** Strings: the value (str only; undefined for bytes, or when an escape cannot be read). */
  value?: string;
  /** Strings: the contents' span (after the prefix and opening quotes, before the closing ones). */
  bodyStart?: number;
  bodyEnd?: number;
  /** Strings: `f`-strings are split into literal parts and fields. */
  fstring?: Array<string | FStringField>;
  /** Strings: a bytes literal (`b"…"`). */
  bytes?: boolean;
}

export interface TokenizeResult {
  tokens: Token[];
  errors: Array<{ message: string; offset: number }>;
}

const OPERATORS = [
  "**=", "//=", ">>=", "<<=", "...", "->", ":=",
  "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
  "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=",
];
const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?(?='|")/;
const NAME = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]*/u;
const NUMBER = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)/;

/** Decodes the escapes of a non-raw str literal's body; undefined when one cannot be read (`\N{…}`). */
function decodeEscapes(body: string): string | undefined {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return out + "\\";
    switch (e) {
      case "\n":
        break; // a line continuation inside the string
      case "\r":
        if (body[i + 1] === "\n") i++;
        break;
      case "\\": case "'": case '"':
        out += e;
        break;
      case "a": out += "\x07"; break;
      case "b": out += "\b"; break;
      case "f": out += "\f"; break;
      case "n": out += "\n"; break;
      case "r": out += "\r"; break;
      case "t": out += "\t"; break;
      case "v": out += "\v"; break;
      case "x": case "u": case "U": {
        const n = e === "x" ? 2 : e === "u" ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) return undefined;
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) return undefined;
        out += String.fromCodePoint(cp);
        i += n;
        break;
      }
      case "N":
        return undefined;
      default:
        if (/[0-7]/.test(e)) {
          const oct = /^[0-7]{1,3}/.exec(body.slice(i))![0];
          out += String.fromCharCode(parseInt(oct, 8));
          i += oct.length - 1;
        } else out += "\\" + e; // unknown escapes stay as written
    }
  }
  return out;
}

/** Splits an f-string's body into text (escapes decoded unless raw) and `{…}` fields. */
function splitFString(body: string, bodyStart: number, raw: boolean): Array<string | FStringField> | undefined {
  const parts: Array<string | FStringField> = [];
  let text = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "{" && body[i + 1] === "{") {
      text += "{";
      i++;
    } else if (c === "}" && body[i + 1] === "}") {
      text += "}";
      i++;
    } else if (c === "{") {
      let depth = 1;
      let j = i + 1;
      for (; j < body.length && depth > 0; j++) {
        if (body[j] === "{") depth++;
        else if (body[j] === "}") depth--;
        else if (body[j] === "'" || body[j] === '"') {
          const q = body[j];
          j++;
          while (j < body.length && body[j] !== q) j++;
        }
      }
      if (depth > 0) return undefined;
      if (text) parts.push(text);
      text = "";
      parts.push({ expr: body.slice(i + 1, j - 1), start: bodyStart + i + 1, end: bodyStart + j - 1 });
      i = j - 1;
    } else text += c;
  }
  if (text) parts.push(text);
  if (raw) return parts;
  const decoded: Array<string | FStringField> = [];
  for (const p of parts) {
    if (typeof p !== "string") decoded.push(p);
    else {
      const d = decodeEscapes(p);
      if (d === undefined) return undefined;
      decoded.push(d);
    }
  }
  return decoded;
}

export function tokenize(text: string): TokenizeResult {
  const tokens: Token[] = [];
  const errors: TokenizeResult["errors"] = [];
  const indents: number[] = [0];
  const brackets: Array<{ char: string; offset: number }> = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let atLineStart = true;
  /** Tokens on the current logical line (for NEWLINE: none after a blank or comment-only line). */
  let lineHasCode = false;

  const push = (t: Token) => {
    tokens.push(t);
    if (t.kind !== "comment") lineHasCode = true;
  };

  while (i < text.length) {
    if (atLineStart && brackets.length > 0) atLineStart = false; // a line inside brackets: no indentation
    if (atLineStart) {
      // Indentation of a new logical line.
      let col = 0;
      let j = i;
      while (j < text.length && (text[j] === " " || text[j] === "\t" || text[j] === "\f")) {
        col = text[j] === "\t" ? (Math.floor(col / 8) + 1) * 8 : text[j] === "\f" ? 0 : col + 1;
        j++;
      }
      const c = text[j];
      atLineStart = false;
      if (c === undefined || c === "\n" || c === "\r" || c === "#") {
        // A blank or comment-only line: no indentation change.
        i = j;
      } else {
        if (col > indents[indents.length - 1]) {
          indents.push(col);
          tokens.push({ kind: "indent", text: text.slice(i, j), start: i, end: j });
        } else {
          while (col < indents[indents.length - 1]) {
            indents.pop();
            tokens.push({ kind: "dedent", text: "", start: j, end: j });
          }
          if (col !== indents[indents.length - 1]) {
            errors.push({ message: "unindent does not match any outer indentation level", offset: j });
            indents.push(col);
          }
        }
        i = j;
      }
      continue;
    }
    const c = text[i];
    if (c === " " || c === "\t" || c === "\f") {
      i++;
      continue;
    }
    if (c === "\r" || c === "\n") {
      const end = c === "\r" && text[i + 1] === "\n" ? i + 2 : i + 1;
      if (brackets.length === 0 && lineHasCode) {
        tokens.push({ kind: "newline", text: text.slice(i, end), start: i, end });
        lineHasCode = false;
      }
      i = end;
      atLineStart = true;
      continue;
    }
    if (c === "#") {
      let end = i;
      while (end < text.length && text[end] !== "\n" && text[end] !== "\r") end++;
      tokens.push({ kind: "comment", text: text.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    if (c === "\\") {
      // A line continuation: the next line joins this one.
      const n = text[i + 1] === "\r" && text[i + 2] === "\n" ? 3 : text[i + 1] === "\n" || text[i + 1] === "\r" ? 2 : 0;
      if (n > 0) {
        i += n;
        continue;
      }
      errors.push({ message: "unexpected character after line continuation character", offset: i });
      i++;
      continue;
    }
    const rest = text.slice(i, i + 4);
    const prefix = STRING_PREFIX.exec(rest);
    if (prefix) {
      const p = prefix[0].toLowerCase();
      const q0 = i + prefix[0].length;
      const q = text[q0];
      const triple = text.slice(q0, q0 + 3) === q.repeat(3);
      const open = triple ? 3 : 1;
      const bodyStart = q0 + open;
      const raw = p.includes("r");
      let j = bodyStart;
      let closed = false;
      while (j < text.length) {
        const ch = text[j];
        if (ch === "\\") {
          j += 2;
          continue;
        }
        if (!triple && (ch === "\n" || ch === "\r")) break;
        if (ch === q && (!triple || text.slice(j, j + 3) === q.repeat(3))) {
          closed = true;
          break;
        }
        j++;
      }
      if (!closed) {
        errors.push({ message: triple ? "unterminated triple-quoted string literal" : "unterminated string literal", offset: i });
        const end = Math.min(j, text.length);
        push({ kind: "string", text: text.slice(i, end), start: i, end, bodyStart, bodyEnd: end });
        i = end;
        continue;
      }
      const end = j + open;
      const body = text.slice(bodyStart, j);
      const tok: Token = { kind: "string", text: text.slice(i, end), start: i, end, bodyStart, bodyEnd: j };
      if (p.includes("b")) tok.bytes = true;
      else if (p.includes("f")) {
        const parts = splitFString(body, bodyStart, raw);
        if (parts) {
          tok.fstring = parts;
          if (parts.every((x) => typeof x === "string")) tok.value = (parts as string[]).join("");
        }
      } else tok.value = raw ? body : decodeEscapes(body);
      push(tok);
      i = end;
      continue;
    }
    const name = NAME.exec(text.slice(i, i + 256));
    if (name) {
      push({ kind: "name", text: name[0], start: i, end: i + name[0].length });
      i += name[0].length;
      continue;
    }
    const num = /[0-9.]/.test(c) ? NUMBER.exec(text.slice(i, i + 256)) : null;
    if (num && num[0] !== "." && num[0] !== "") {
      push({ kind: "number", text: num[0], start: i, end: i + num[0].length });
      i += num[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      if (OPENERS[op]) brackets.push({ char: op, offset: i });
      else if (op === ")" || op === "]" || op === "}") {
        const top = brackets[brackets.length - 1];
        if (!top) errors.push({ message: `unmatched '${op}'`, offset: i });
        else {
          if (OPENERS[top.char] !== op) errors.push({ message: `closing parenthesis '${op}' does not match opening parenthesis '${top.char}'`, offset: i });
          brackets.pop();
        }
      }
      push({ kind: "op", text: op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    errors.push({ message: `invalid character '${c}' in Python source`, offset: i });
    i++;
  }
  for (const b of brackets) errors.push({ message: `'${b.char}' was never closed`, offset: b.offset });
  if (lineHasCode) tokens.push({ kind: "newline", text: "", start: text.length, end: text.length });
  while (indents.length > 1) {
    indents.pop();
    tokens.push({ kind: "dedent", text: "", start: text.length, end: text.length });
  }
  tokens.push({ kind: "end", text: "", start: text.length, end: text.length });
  return { tokens, errors };
}
