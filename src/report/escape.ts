// The one escape every report uses, so that no input can drive a terminal or a CI log: a
// Terraform string, a file name, a live secret's name or an endpoint's error text may hold ESC
// sequences, BEL, a line break that forges a finding or a workflow command, or bidirectional
// controls that reorder what is shown. Text formats (text, compact, github, stderr lines) show
// such characters as visible escapes; JSON formats (json, sarif, controls) keep the exact text
// and escape them by JSON's own rules (`\u001b`), including the ones JSON.stringify leaves raw.

/**
 * What is escaped: C0 controls (tab, line feed and carriage return included), DEL, C1
 * controls (U+0080–U+009F: 8-bit CSI and OSC), the line and paragraph separators, and the
 * bidirectional formatting characters (Trojan Source).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, without the C0 range JSON.stringify already escapes. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
}

/** Text for a terminal or a log line: every unsafe character as a visible escape (`\x1b`, `\n`, `\u202e`). */
export function inert(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * The same, but line feeds and carriage returns are left for the caller's own escaping (a
 * GitHub workflow command writes them as `%0A` and `%0D`: a multi-line annotation, never a
 * second command).
 */
export function inertExceptLineBreaks(text: string): string {
  return text.replace(UNSAFE, (c) => (c === "\n" || c === "\r" ? c : visible(c)));
}

/**
 * Source text in a code frame: unsafe characters become `?`, one for one (each is one UTF-16
 * unit), so the underline below stays aligned; tabs stay (the underline repeats them).
 */
export function inertKeepingWidth(text: string): string {
  return text.replace(UNSAFE, (c) => (c === "\t" ? c : "?"));
}

/**
 * A JSON document as JSON.stringify wrote it, with the characters it leaves raw (DEL, C1,
 * U+2028/U+2029, bidirectional controls) written as `\uXXXX`: the same JSON value, and inert
 * when printed. (Those characters occur only inside strings, so replacing them is safe.)
 */
export function inertJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
