// Mage's `io_config.yml`: Mage renders the whole file as a Jinja template (with `env_var`,
// `aws_secret_var`, `mage_secret_var` in scope) and then reads the result as YAML. So the
// calls are found in the file's text as written, and their positions are the file's own,
// whatever the YAML quoting around them (plain, single- or double-quoted, block); the YAML is
// then read with each Jinja tag blanked out to as many characters, to learn which profile
// and setting each call is in and where the literal values are.

import type { HardcodedCredential, MageSecretRef, MageSetting, Origin } from "../../inventory/model.js";
import { Unknown, joinPieces, type StringPiece, type Value } from "../../terraform/values.js";
import { lineValues, type ValueText } from "./credentials.js";
import { fileOrigin, literalPieces, type CoverSpan, type LineIndex } from "./text.js";
import { readYaml, type YamlFile } from "./yaml-source.js";

export const MAGE_FUNCTIONS = ["aws_secret_var", "env_var", "mage_secret_var"] as const;
export type MageFunction = (typeof MAGE_FUNCTIONS)[number];

// ---------------------------------------------------------------- Jinja

export interface JinjaCall {
  fn: MageFunction;
  /** The first argument's value: known for a string literal or literals joined by `~`/`+`. */
  name: Value;
  /** The first argument's span (quotes included); the call's span, name to `)`. */
  nameStart: number;
  nameEnd: number;
  start: number;
  end: number;
  /** The string literals in the argument (contents, without quotes). */
  literals: Array<{ start: number; end: number }>;
}

export interface JinjaScan {
  /** The text with every tag blanked: `{{ … }}` to `x`s (a plain scalar), `{% … %}` and `{# … #}` to spaces; line breaks kept. */
  masked: string;
  calls: JinjaCall[];
  /** Each tag's span. */
  tags: Array<{ start: number; end: number; kind: "expression" | "statement" | "comment" }>;
  /** A tag that does not end: Jinja refuses to render the file. */
  error?: { message: string; offset: number };
}

interface JinjaToken {
  kind: "name" | "string" | "op" | "other";
  text: string;
  start: number;
  end: number;
  /** A string's value. */
  value?: string;
}

/** Python-like string escapes, as Jinja reads string literals. */
function unescape(body: string): string {
  return body.replace(/\\(.)/gs, (_, c: string) => ({ n: "\n", t: "\t", r: "\r", "0": "\0" })[c] ?? c);
}

function tokenize(text: string, from: number, to: number): JinjaToken[] {
  const out: JinjaToken[] = [];
  let i = from;
  while (i < to) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < to && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
      const end = Math.min(j + 1, to);
      out.push({ kind: "string", text: text.slice(i, end), start: i, end, value: unescape(text.slice(i + 1, Math.min(j, to))) });
      i = end;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, Math.min(to, i + 256)));
    if (name) {
      out.push({ kind: "name", text: name[0], start: i, end: i + name[0].length });
      i += name[0].length;
      continue;
    }
    out.push({ kind: "(),~+.[]".includes(c) ? "op" : "other", text: c, start: i, end: i + 1 });
    i++;
  }
  return out;
}

/** The calls of Mage's functions in a tag's tokens. */
function callsIn(tokens: JinjaToken[], text: string): JinjaCall[] {
  const out: JinjaCall[] = [];
  for (let k = 0; k + 1 < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== "name" || !(MAGE_FUNCTIONS as readonly string[]).includes(t.text)) continue;
    if (tokens[k + 1].text !== "(" || tokens[k - 1]?.text === ".") continue;
    // The first argument: the tokens up to `,` or `)` at depth 0.
    let depth = 0;
    let j = k + 2;
    const arg: JinjaToken[] = [];
    for (; j < tokens.length; j++) {
      const x = tokens[j];
      if (x.text === "(" || x.text === "[") depth++;
      else if (x.text === ")" || x.text === "]") {
        if (depth === 0) break;
        depth--;
      } else if (x.text === "," && depth === 0) break;
      arg.push(x);
    }
    // The closing parenthesis of the call.
    let close = j;
    for (let d = 0; close < tokens.length; close++) {
      const x = tokens[close];
      if (x.text === "(" || x.text === "[") d++;
      else if (x.text === ")" || x.text === "]") {
        if (d === 0) break;
        d--;
      }
    }
    const end = close < tokens.length ? tokens[close].end : (arg[arg.length - 1]?.end ?? tokens[k + 1].end);
    out.push({
      fn: t.text as MageFunction,
      name: argumentValue(arg, text),
      nameStart: arg[0]?.start ?? tokens[k + 1].end,
      nameEnd: arg[arg.length - 1]?.end ?? tokens[k + 1].end,
      start: t.start,
      end,
      literals: arg.filter((x) => x.kind === "string").map((x) => ({ start: x.start + 1, end: Math.max(x.start + 1, x.end - 1) })),
    });
  }
  return out;
}

/** A string literal, or terms joined by `~` (or `+`): known pieces and unknown ones. */
function argumentValue(arg: JinjaToken[], text: string): Value {
  if (arg.length === 0) return new Unknown("dynamic", undefined, undefined, "no argument");
  const pieces: StringPiece[] = [];
  let term: JinjaToken[] = [];
  const flush = () => {
    if (term.length === 1 && term[0].kind === "string") pieces.push(term[0].value!);
    else pieces.push(new Unknown("dynamic", undefined, undefined, text.slice(term[0]?.start ?? 0, term[term.length - 1]?.end ?? 0)));
    term = [];
  };
  let depth = 0;
  for (const x of arg) {
    if (x.text === "(" || x.text === "[") depth++;
    if (x.text === ")" || x.text === "]") depth--;
    if (depth === 0 && (x.text === "~" || x.text === "+")) flush();
    else term.push(x);
  }
  flush();
  return joinPieces(pieces);
}

/** Finds the Jinja tags of a text and Mage's calls in them. */
export function scanJinja(text: string): JinjaScan {
  const chars = text.split("");
  const calls: JinjaCall[] = [];
  const tags: JinjaScan["tags"] = [];
  let error: JinjaScan["error"];
  let i = text.indexOf("{");
  while (i >= 0 && i < text.length) {
    const open = text.slice(i, i + 2);
    const kind = open === "{{" ? "expression" : open === "{%" ? "statement" : open === "{#" ? "comment" : null;
    if (!kind) {
      i = text.indexOf("{", i + 1);
      continue;
    }
    const closer = kind === "expression" ? "}}" : kind === "statement" ? "%}" : "#}";
    let j = i + 2;
    if (kind === "comment") {
      j = text.indexOf(closer, j);
    } else {
      // Quotes may hold the closer; scan past them.
      while (j < text.length && text.slice(j, j + 2) !== closer) {
        const c = text[j];
        if (c === "'" || c === '"') {
          let k = j + 1;
          while (k < text.length && text[k] !== c && text[k] !== "\n") k += text[k] === "\\" ? 2 : 1;
          j = k + 1;
        } else j++;
      }
      if (j >= text.length) j = -1;
    }
    if (j < 0) {
      error = { message: `unterminated Jinja tag \`${open}\`: no \`${closer}\` follows, so Mage cannot render the file`, offset: i };
      break;
    }
    const end = j + 2;
    tags.push({ start: i, end, kind });
    if (kind !== "comment") {
      // Statements like `{% raw %}` are rare here; their contents are still read as calls.
      const inner = tokenize(text, i + 2, j).filter((t) => !(t.start === i + 2 && (t.text === "-" || t.text === "+")));
      calls.push(...callsIn(inner, text));
    }
    const fill = kind === "expression" ? "x" : " ";
    for (let k = i; k < end; k++) if (chars[k] !== "\n" && chars[k] !== "\r") chars[k] = fill;
    i = text.indexOf("{", end);
  }
  return { masked: chars.join(""), calls, tags, error };
}

// ---------------------------------------------------------------- io_config.yml

export interface IoConfig {
  refs: Array<Omit<MageSecretRef, "region">>;
  settings: MageSetting[];
  literals: Array<{ text: string; origin: Origin }>;
  /** Literal values, for the credentials check. */
  values: ValueText[];
  comments: Array<{ offset: number; text: string }>;
  spans: CoverSpan[];
  parseError?: { message: string; origin: Origin };
}

/** The profile and setting a path names: `[profile, setting…]`, or a top-level key (profile ""). */
function profileOf(path: string[], yaml: YamlFile): { profile: string; setting: string } {
  if (path.length === 0) return { profile: "", setting: "" };
  const top = yaml.entries.find((e) => e.path.length === 1 && e.path[0] === path[0]);
  if (top?.kind === "map" && path.length > 1) return { profile: path[0], setting: path.slice(1).join(".") };
  return { profile: "", setting: path.join(".") };
}

export function readIoConfig(path: string, lines: LineIndex): IoConfig {
  const text = lines.text;
  const jinja = scanJinja(text);
  const yaml = readYaml(jinja.masked, { uniqueKeys: false });
  const out: IoConfig = { refs: [], settings: [], literals: [], values: [], comments: yaml.comments, spans: yaml.spans };
  const error = jinja.error ?? yaml.error;
  if (error) {
    // Mage cannot load the file at all: the parse error is the one finding, and only literal
    // values are looked at (for credentials, which are exposed whether the file parses or not).
    out.parseError = { message: error.message, origin: fileOrigin(path, lines, error.offset, error.offset + 1) };
    out.values.push(...lineValues(text));
    return out;
  }

  // Each call, in the value that holds it; calls in YAML comments are not read (see README).
  const valueScalars = yaml.scalars.filter((s) => !s.isKey);
  for (const call of jinja.calls) {
    const holder = yaml.scalars.find((s) => s.start <= call.start && call.end <= s.end);
    if (!holder) continue;
    const { profile, setting } = holder.isKey ? { profile: "", setting: "" } : profileOf(holder.path, yaml);
    const origin = fileOrigin(path, lines, call.start, call.end);
    const pos = origin.file!.range.start;
    out.refs.push({
      id: `${path}:${pos.line}:${pos.column}`,
      function: call.fn,
      name: { value: call.name, origin: fileOrigin(path, lines, call.nameStart, call.nameEnd) },
      profile,
      ...(setting ? { setting } : {}),
      origin,
    });
    for (const l of call.literals) out.literals.push(...literalPieces(path, lines, l.start, l.end));
  }

  // The settings of each profile (or the top level), and the literal values' text.
  for (const e of yaml.entries) {
    const { profile, setting } = profileOf(e.path, yaml);
    if (setting === "" || (profile === "" && e.kind === "map")) continue;
    const templated = e.kind === "scalar" && jinja.tags.some((t) => t.kind === "expression" && t.start >= e.start && t.end <= e.end);
    out.settings.push({
      id: `${path}#${profile ? `${profile}.` : ""}${setting}`,
      profile,
      key: setting,
      kind: templated ? "template" : e.kind === "empty" ? "empty" : e.kind === "scalar" ? "literal" : "other",
      origin: fileOrigin(path, lines, e.start, e.end),
    });
  }
  for (const s of valueScalars) {
    if (s.value === null || s.end <= s.start) continue;
    const tags = jinja.tags.filter((t) => t.start >= s.start && t.end <= s.end);
    if (tags.length === 0) out.values.push({ text: s.value, start: s.start, end: s.end, key: s.path[s.path.length - 1], holder: s.path.slice(0, -1).join("\u0000") });
    // The text written around any tags (the tags' own literals are taken with their calls).
    let from = s.start;
    for (const t of [...tags, { start: s.end, end: s.end }]) {
      out.literals.push(...literalPieces(path, lines, from, t.start));
      from = t.end;
    }
  }
  return out;
}

/** The credentials of an io_config file, a `.env` file or a docker-compose file, as inventory entities. */
export function credentialEntities(
  path: string,
  lines: LineIndex,
  fileKind: HardcodedCredential["fileKind"],
  hits: Array<{ kind: HardcodedCredential["kind"]; id: { start: number; end: number }; secret: { start: number; end: number } }>,
): HardcodedCredential[] {
  return hits.map((h) => {
    const origin = fileOrigin(path, lines, h.id.start, h.id.end);
    const pos = origin.file!.range.start;
    return { id: `${path}:${pos.line}:${pos.column}`, kind: h.kind, fileKind, origin, secretOrigin: fileOrigin(path, lines, h.secret.start, h.secret.end) };
  });
}
