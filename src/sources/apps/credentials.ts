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
  if (!m || v.key !== undefined) return v;
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
  const ids: Array<{ kind: CredentialHit["kind"]; at: { start: number; end: number } }> = [];
  const secrets: Array<{ start: number; end: number }> = [];
  for (const original of values) {
    const v = splitAssignment(original);
    ACCESS_KEY_ID.lastIndex = 0;
    for (let m = ACCESS_KEY_ID.exec(v.text); m; m = ACCESS_KEY_ID.exec(v.text)) {
      ids.push({ kind: m[1] === "ASIA" ? "temporary" : "long-term", at: locate(raw, v, m[0]) });
    }
    SECRET_KEY.lastIndex = 0;
    for (let m = SECRET_KEY.exec(v.text); m; m = SECRET_KEY.exec(v.text)) {
      if (secretLike(m[0], v.key)) secrets.push(locate(raw, v, m[0]));
    }
  }
  const hits: CredentialHit[] = [];
  if (secrets.length > 0) {
    for (const id of ids) {
      let best = secrets[0];
      for (const s of secrets) if (Math.abs(s.start - id.at.start) < Math.abs(best.start - id.at.start)) best = s;
      hits.push({ kind: id.kind, id: id.at, secret: best });
    }
  }
  return { hits, redact: [...ids.map((i) => i.at), ...secrets] };
}

/** The text with each span replaced by as many `*` (line breaks kept), so positions do not move. */
export function redact(text: string, spans: Array<{ start: number; end: number }>): string {
  if (spans.length === 0) return text;
  const chars = text.split("");
  for (const s of spans) for (let i = s.start; i < s.end && i < chars.length; i++) if (chars[i] !== "\n" && chars[i] !== "\r") chars[i] = "*";
  return chars.join("");
}
