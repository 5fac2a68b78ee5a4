// Literal AWS access keys in app configurations: an access key id (`AKIA…` for an IAM user's
// long-term key, `ASIA…` for temporary STS credentials) with a 40-character secret access key
// beside it in the same file. Only where they are is kept, never what they are; the file's
// text is redacted (same length, so positions hold) before it is kept for code frames.

/** A value as the file means it (quotes and escapes resolved), with the span it is written in. */
export interface ValueText {
  text: string;
  /** The written span in the file (quotes included or not: the value's text is looked up inside it). */
  start: number;
  end: number;
  /** The key the value is set under (`AWS_SECRET_ACCESS_KEY`), when there is one. */
  key?: string;
  /** What holds it (a YAML mapping's path: an io_config profile, a compose service's environment): a key pairs with a secret of the same holder first. */
  holder?: string;
}

export interface CredentialHit {
  kind: "long-term" | "temporary";
  /** The access key id's span in the file. */
  id: { start: number; end: number };
  /** The secret access key's span in the file. */
  secret: { start: number; end: number };
}

const ACCESS_KEY_ID = /(?<![A-Za-z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
const SECRET_KEY = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/**
 * Whether a 40-character run reads as a secret access key: set under a key that says "secret",
 * or random-looking (both cases of letters), which leaves out hex digests such as git commit ids.
 */
function secretLike(text: string, key: string | undefined): boolean {
  if (key !== undefined && /secret/i.test(key)) return true;
  return /[a-z]/.test(text) && /[A-Z]/.test(text) && /[0-9/+]/.test(text);
}

/** A `KEY=value` item (docker-compose `environment:` lists): the key, and where the value starts. */
function splitAssignment(v: ValueText): ValueText {
  const m = /^\s*([A-Za-z_][\w.-]*)\s*=/.exec(v.text);
  if (!m) return v;
  return { ...v, text: v.text.slice(m[0].length), key: m[1] };
}

/** Where `needle` is written in the value's span (the first place), else the whole span. */
function locate(raw: string, v: ValueText, needle: string): { start: number; end: number } {
  const i = raw.slice(v.start, v.end).indexOf(needle);
  return i >= 0 ? { start: v.start + i, end: v.start + i + needle.length } : { start: v.start, end: v.end };
}

/**
 * The access key ids with a secret access key beside them (the nearest one in the file), and
 * every span that holds either (for redaction), whether paired or not.
 */
export function findCredentials(values: ValueText[], raw: string): { hits: CredentialHit[]; redact: Array<{ start: number; end: number }> } {
  const ids: Array<{ kind: CredentialHit["kind"]; at: { start: number; end: number }; holder?: string }> = [];
  const secrets: Array<{ start: number; end: number; holder?: string }> = [];
  for (const original of values) {
    const v = splitAssignment(original);
    ACCESS_KEY_ID.lastIndex = 0;
    for (let m = ACCESS_KEY_ID.exec(v.text); m; m = ACCESS_KEY_ID.exec(v.text)) {
      ids.push({ kind: m[1] === "ASIA" ? "temporary" : "long-term", at: locate(raw, v, m[0]), holder: v.holder });
    }
    SECRET_KEY.lastIndex = 0;
    for (let m = SECRET_KEY.exec(v.text); m; m = SECRET_KEY.exec(v.text)) {
      if (secretLike(m[0], v.key)) secrets.push({ ...locate(raw, v, m[0]), holder: v.holder });
    }
  }
  const hits: CredentialHit[] = [];
  if (secrets.length > 0) {
    for (const id of ids) {
      // The nearest secret of the same holder (else of the file); on a tie, the one after the id.
      const same = secrets.filter((s) => s.holder === id.holder);
      const pool = same.length > 0 ? same : secrets;
      const distance = (s: { start: number }) => Math.abs(s.start - id.at.start) * 2 + (s.start < id.at.start ? 1 : 0);
      let best = pool[0];
      for (const s of pool) if (distance(s) < distance(best)) best = s;
      hits.push({ kind: id.kind, id: id.at, secret: { start: best.start, end: best.end } });
    }
  }
  return { hits, redact: [...ids.map((i) => i.at), ...secrets.map((s) => ({ start: s.start, end: s.end }))] };
}

/**
 * The values of a text read line by line, `key: value` or `key=value` (a YAML list dash and
 * quotes allowed): for a file that does not parse, whose keys are exposed all the same.
 */
export function lineValues(text: string): ValueText[] {
  const out: ValueText[] = [];
  let lineStart = 0;
  for (const line of text.split("\n")) {
    const m = /^(\s*(?:-\s+)?(?:export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*)(.*?)\s*$/.exec(line);
    if (m && m[3] !== "") {
      const start = lineStart + m[1].length;
      out.push({ text: m[3].replace(/^["']|["']$/g, ""), start, end: start + m[3].length, key: m[2], holder: "" });
    }
    lineStart += line.length + 1;
  }
  return out;
}

/**
 * Every span of a text that may hold a key, read line by line without parsing (for a file that
 * does not parse, or a value the parser did not reach): access key ids, and 40-character runs
 * that read as secret access keys (after a key naming a secret on the line, or random-looking).
 * Redacted along with what `findCredentials` finds, so no output can show them.
 */
export function keyLikeSpans(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let lineStart = 0;
  for (const line of text.split("\n")) {
    ACCESS_KEY_ID.lastIndex = 0;
    for (let m = ACCESS_KEY_ID.exec(line); m; m = ACCESS_KEY_ID.exec(line)) out.push({ start: lineStart + m.index, end: lineStart + m.index + m[0].length });
    SECRET_KEY.lastIndex = 0;
    for (let m = SECRET_KEY.exec(line); m; m = SECRET_KEY.exec(line)) {
      if (secretLike(m[0], line.slice(0, m.index))) out.push({ start: lineStart + m.index, end: lineStart + m.index + m[0].length });
    }
    lineStart += line.length + 1;
  }
  return out;
}

/** The text with each span replaced by as many `*` (line breaks kept), so positions do not move. */
export function redact(text: string, spans: Array<{ start: number; end: number }>): string {
  if (spans.length === 0) return text;
  const chars = text.split("");
  for (const s of spans) for (let i = s.start; i < s.end && i < chars.length; i++) if (chars[i] !== "\n" && chars[i] !== "\r") chars[i] = "*";
  return chars.join("");
}

/**
 * A message about a file (a parser's error) with anything that could be a key replaced by
 * `****`: parsers quote the token they stop at, and that token may be a credential.
 */
export function maskCredentialText(text: string): string {
  return text.replace(/(AKIA|ASIA)[A-Z0-9]{16}/g, "$1****").replace(/[A-Za-z0-9/+]{40}/g, "****");
}
