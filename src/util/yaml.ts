// How deep YAML text may nest before the `yaml` package sees it. The package recurses per
// level; past a few thousand levels it runs out of stack, and in some states V8 then aborts
// the whole process (an out-of-memory in its regular-expression compiler), which no catch can
// stop. So the depth is estimated first, linearly, and deeper text is refused.

/** Nesting accepted in YAML files, as in HCL and JSON (src/hcl/parser.ts MAX_NESTING). */
export const MAX_YAML_NESTING = 500;

/**
 * The offset of the first line whose nesting, estimated generously (its indentation columns,
 * plus the `- `, `? ` and `: ` indicators that open it, plus the open flow brackets), passes
 * `limit`; -1 when none does. Quoted strings and comments are skipped for brackets.
 */
export function yamlNestingBeyond(text: string, limit = MAX_YAML_NESTING): number {
  let flow = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let end = text.indexOf("\n", lineStart);
    if (end < 0) end = text.length;
    let i = lineStart;
    while (i < end && (text[i] === " " || text[i] === "\t")) i++;
    let depth = i - lineStart;
    // Block indicators at the start of the line each open a level: `- - - a`.
    while (i < end && (text[i] === "-" || text[i] === "?" || text[i] === ":") && (i + 1 === end || text[i + 1] === " ")) {
      depth++;
      i += 2;
      while (i < end && text[i] === " ") i++;
    }
    for (; i < end; i++) {
      const c = text[i];
      if (c === "#" && (i === lineStart || text[i - 1] === " " || text[i - 1] === "\t")) break;
      if ((c === '"' || c === "'") && opensScalar(text, lineStart, i)) {
        // A quoted scalar: skip it (it may span lines: then its last line is this one's rest).
        const to = quoteEnd(text, i);
        if (to >= end) {
          end = text.indexOf("\n", to);
          if (end < 0) end = text.length;
        }
        i = to;
        continue;
      }
      if (c === "[" || c === "{") {
        flow++;
        if (depth + flow > limit) return i;
      } else if ((c === "]" || c === "}") && flow > 0) flow--;
    }
    if (depth + flow > limit) return lineStart;
    lineStart = end + 1;
  }
  return -1;
}

/** Whether a quote at `i` starts a quoted scalar: it is where a token may start (not inside `don't`). */
function opensScalar(text: string, lineStart: number, i: number): boolean {
  let j = i - 1;
  while (j >= lineStart && (text[j] === " " || text[j] === "\t")) j--;
  return j < lineStart || "-?:[{,".includes(text[j]);
}

/** The offset of the quote that closes the quoted scalar opened at `i` (the text's length when none does). */
function quoteEnd(text: string, i: number): number {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (q === '"' && c === "\\") j++;
    else if (c === q) {
      if (q === "'" && text[j + 1] === "'") j++;
      else return j;
    }
  }
  return text.length;
}
