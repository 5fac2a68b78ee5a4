// Baselines: a file recording accepted findings by fingerprint, so a team can adopt the linter
// on an existing codebase and see only new findings (`--baseline FILE`).
//
// Version 2 (written since fingerprints became `secretlint/v2`, see src/report/fingerprint.ts):
//
//   { "version": 2, "tool": "secretlint", "fingerprints": "secretlint/v2",
//     "findings": [ { "ruleId", "fingerprint", "file", "address"?, "message" } ] }
//
// `file`, `address` and `message` (cut to MESSAGE_LENGTH characters) are for the people who
// review the file in a pull request; only `ruleId` and `fingerprint` decide what is hidden.
// Version 1 (`{ "version": 1, "findings": [ { "ruleId", "fingerprint" } ] }`, fingerprints
// `secretlint/v1`) is still read: the caller matches it with v1 fingerprints and tells the user
// how to rewrite it.

import { MAX_DATA_FILE_BYTES, readNamedFile } from "../files/read.js";
import { writeTextFile } from "../files/write.js";
import { parseJsonText } from "../util/json.js";
import { ConfigError } from "./config.js";

export interface BaselineEntry {
  ruleId: string;
  fingerprint: string;
  /** Where the finding was (relative path, forward slashes); null for a live finding without a file. */
  file?: string | null;
  /** Its Terraform address, or the ARN of a live resource. */
  address?: string;
  /** The finding's message, shortened. */
  message?: string;
}

export interface BaselineFile {
  version: 2;
  tool: "secretlint";
  fingerprints: "secretlint/v2";
  findings: BaselineEntry[];
}

export interface Baseline {
  file: string;
  /** 1: the first format (fingerprints `secretlint/v1`); 2: the current one. */
  version: 1 | 2;
  entries: BaselineEntry[];
  /** Whether it hides a finding of this rule with this fingerprint (of the baseline's version). */
  hides(ruleId: string, fingerprint: string): boolean;
}

export const MESSAGE_LENGTH = 120;

/** The file's content for these findings: one entry per rule and fingerprint, sorted by file, then rule. */
export function baselineOf(findings: BaselineEntry[]): BaselineFile {
  const seen = new Set<string>();
  const out: BaselineEntry[] = [];
  for (const f of findings) {
    const key = `${f.ruleId}\u0000${f.fingerprint}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const entry: BaselineEntry = { ruleId: f.ruleId, fingerprint: f.fingerprint, file: f.file ?? null };
    if (f.address) entry.address = f.address;
    if (f.message !== undefined) entry.message = shorten(f.message);
    out.push(entry);
  }
  const order = (e: BaselineEntry) => `${e.file ?? "\uffff"}\u0000${e.ruleId}\u0000${e.address ?? ""}\u0000${e.fingerprint}`;
  out.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { version: 2, tool: "secretlint", fingerprints: "secretlint/v2", findings: out };
}

function shorten(message: string): string {
  const one = message.replace(/\s+/g, " ").trim();
  return one.length <= MESSAGE_LENGTH ? one : `${one.slice(0, MESSAGE_LENGTH - 1).trimEnd()}…`;
}

/** Writes a baseline (`--write-baseline`); a path that cannot be written is a user error. Returns the number of entries. */
export function writeBaseline(file: string, findings: BaselineEntry[]): number {
  const content = baselineOf(findings);
  const w = writeTextFile(file, JSON.stringify(content, null, 2) + "\n");
  if (!w.ok) throw new ConfigError(`--write-baseline ${file}: ${w.reason}`);
  return content.findings.length;
}

export function readBaseline(file: string): Baseline {
  const text = readNamedFile(file, "baseline", MAX_DATA_FILE_BYTES);
  if (typeof text !== "string") throw new ConfigError(`${text.error} (write one with --write-baseline)`);
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new ConfigError(`${file}: not a baseline (${parsed.error}); write one with --write-baseline`);
  const b = (parsed.value ?? {}) as { version?: unknown; findings?: unknown };
  const bad = Array.isArray(b.findings) ? b.findings.findIndex((x) => !isEntry(x)) : -1;
  if (bad >= 0) throw new ConfigError(`${file}: findings[${bad}] is not a {"ruleId", "fingerprint"} entry; write the baseline again with --write-baseline`);
  const valid = (b.version === 1 || b.version === 2) && Array.isArray(b.findings);
  if (!valid) {
    throw new ConfigError(`${file}: not a secretlint baseline (expected {"version": 2, "findings": [{"ruleId", "fingerprint", …}]}); write one with --write-baseline`);
  }
  const entries = b.findings as BaselineEntry[];
  const keys = new Set(entries.map((f) => `${f.ruleId}\u0000${f.fingerprint}`));
  return { file, version: b.version as 1 | 2, entries, hides: (ruleId, fingerprint) => keys.has(`${ruleId}\u0000${fingerprint}`) };
}

function isEntry(x: unknown): boolean {
  if (x === null || typeof x !== "object") return false;
  const e = x as Record<string, unknown>;
  return typeof e.ruleId === "string" && typeof e.fingerprint === "string";
}
