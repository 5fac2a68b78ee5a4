// `.env` files as docker compose and python-dotenv read them: `[export ]KEY=value` lines;
// values unquoted (an inline comment starts at ` #`), in single quotes (as written) or in
// double quotes (`\n`, `\"`, `\\` escapes; may span lines); `$VAR`/`${VAR}` outside single
// quotes is interpolated, so such a value is not known. Lines that are none of these are
// skipped, as those tools skip them.

export interface EnvEntry {
  key: string;
  keyStart: number;
  /** The value, when known (no interpolation). */
  value: string | undefined;
  /** The value's text with quotes and escapes resolved (interpolations left as written). */
  text: string;
  /** The written value's span (quotes included). */
  start: number;
  end: number;
  /** Offset where the line (the entry) starts, and where the entry ends. */
  lineStart: number;
  entryEnd: number;
}

export interface DotenvFile {
  entries: EnvEntry[];
  /** `#` comments: offset and text. */
  comments: Array<{ offset: number; text: string }>;
}

const ENTRY = /^([ \t]*)(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;

export function parseDotenv(text: string): DotenvFile {
  const entries: EnvEntry[] = [];
  const comments: DotenvFile["comments"] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lineEnd = (from: number) => {
    const n = text.indexOf("\n", from);
    return n < 0 ? text.length : n;
  };
  /** A comment from `#` at `from` to the end of its line. */
  const comment = (from: number) => {
    const end = lineEnd(from);
    comments.push({ offset: from, text: text.slice(from, end).replace(/\r$/, "") });
  };
  while (i < text.length) {
    const end = lineEnd(i);
    const line = text.slice(i, end);
    const lineStart = i;
    const trimmed = line.trimStart();
    if (trimmed.startsWith("#")) {
      comment(i + (line.length - trimmed.length));
      i = end + 1;
      continue;
    }
    const m = ENTRY.exec(line);
    if (!m) {
      i = end + 1;
      continue;
    }
    const key = m[2];
    const keyStart = i + line.indexOf(key, m[1].length);
    const start = i + m[0].length;
    const q = text[start];
    if (q === "'" || q === '"') {
      // A quoted value runs to the matching quote, over line ends if need be.
      let j = start + 1;
      let value = "";
      let interpolated = false;
      while (j < text.length && text[j] !== q) {
        if (q === '"' && text[j] === "\\" && j + 1 < text.length) {
          const e = text[j + 1];
          value += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e === '"' || e === "\\" || e === "$" ? e : "\\" + e;
          j += 2;
          continue;
        }
        if (q === '"' && text[j] === "$" && /[A-Za-z_{]/.test(text[j + 1] ?? "")) interpolated = true;
        value += text[j];
        j++;
      }
      if (j >= text.length) {
        // No closing quote: the value is the rest of the line, as written.
        const raw = text.slice(start + 1, end).replace(/\r$/, "");
        entries.push({ key, keyStart, value: undefined, text: raw, start, end: start + 1 + raw.length, lineStart, entryEnd: end });
        i = end + 1;
        continue;
      }
      const valueEnd = j + 1;
      entries.push({ key, keyStart, value: interpolated ? undefined : value, text: value, start, end: valueEnd, lineStart, entryEnd: valueEnd });
      const after = lineEnd(valueEnd);
      const hash = text.slice(valueEnd, after).indexOf("#");
      if (hash >= 0) comment(valueEnd + hash);
      i = after + 1;
      continue;
    }
    // Unquoted: to the end of the line, or to a comment that follows white space.
    let valueEnd = end;
    const rest = text.slice(start, end);
    const c = /(^|[ \t])#/.exec(rest);
    if (c) {
      const hashAt = start + c.index + c[1].length;
      comment(hashAt);
      valueEnd = start + c.index;
    }
    let raw = text.slice(start, valueEnd);
    raw = raw.replace(/[ \t\r]+$/, "");
    const interpolated = /\$[A-Za-z_{]/.test(raw);
    entries.push({ key, keyStart, value: interpolated ? undefined : raw, text: raw, start, end: start + raw.length, lineStart, entryEnd: start + raw.length });
    i = end + 1;
  }
  return { entries, comments };
}
