// Reading the text format in tests: `flatText` turns its layout (a file's path once, then per
// finding a `line:col  level  rule-id` header, the message wrapped over indented lines, a code
// frame and related places; notices wrapped under their level) back into one line per finding
// and per notice — `path:line:col  level  message  rule-id`, `level  message` — so a test can
// match a finding or a notice without depending on where the lines wrap. Frame lines are kept
// as they are; wrapped related places are joined too. Colour codes are dropped.

const HEADER = /^ {2}(?:(\d+:\d+) {2})?(error|warning|note) {2}(\S+)( {2}\(suppressed\))?$/;
const NOTICE = /^(error|warning|note) {2}(.*)$/;
const FRAME = /^ {4}(?:\d+ | +)\|/;

export function flatText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = text.replace(/\x1b\[\d+m/g, "").split("\n");
  const out: string[] = [];
  let title = "";
  /** What the next indented line continues: a finding's message, a related place, a notice. */
  let open: { index: number; indent: number; rule?: string; empty?: boolean } | null = null;
  const close = () => {
    if (open?.rule !== undefined) out[open.index] += `  ${open.rule}`;
    open = null;
  };
  for (const [i, line] of lines.entries()) {
    const header = HEADER.exec(line);
    if (header) {
      close();
      const [, at, level, rule, suppressed] = header;
      out.push(`${title}${at ? `:${at}` : ""}  ${level}  `);
      open = { index: out.length - 1, indent: 4, rule: rule + (suppressed ?? ""), empty: true };
      continue;
    }
    if (open && FRAME.test(line)) {
      close();
      out.push(line);
      continue;
    }
    if (line.startsWith("    related: ")) {
      close();
      out.push(line);
      open = { index: out.length - 1, indent: 15 };
      continue;
    }
    if (open && line.length > 0 && line.startsWith(" ".repeat(open.indent)) && !line.startsWith(" ".repeat(open.indent + 1))) {
      out[open.index] += (open.empty ? "" : " ") + line.slice(open.indent);
      open.empty = false;
      continue;
    }
    close();
    const notice = NOTICE.exec(line);
    if (notice) {
      out.push(line);
      open = { index: out.length - 1, indent: notice[1].length + 2 };
      continue;
    }
    // A group's title: a line at the margin followed by a finding's header.
    if (line.length > 0 && !line.startsWith(" ") && HEADER.test(lines[i + 1] ?? "")) {
      title = line;
      continue;
    }
    out.push(line);
  }
  close();
  return out.join("\n");
}
