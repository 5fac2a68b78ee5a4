// Baselines: a file recording the current findings by fingerprint, so a team can adopt the
// linter on an existing codebase and see only new findings (`--baseline FILE`).

import fs from "node:fs";
import { ConfigError } from "./config.js";

export interface BaselineFile {
  version: 1;
  tool: "secretlint";
  /** Per finding: the rule and its fingerprint (no messages: they may change wording). */
  findings: Array<{ ruleId: string; fingerprint: string }>;
}

export function baselineOf(findings: Array<{ ruleId: string; fingerprint: string }>): BaselineFile {
  const seen = new Set<string>();
  const out: BaselineFile["findings"] = [];
  for (const f of findings) {
    const key = `${f.ruleId}\u0000${f.fingerprint}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ruleId: f.ruleId, fingerprint: f.fingerprint });
  }
  out.sort((a, b) => (a.ruleId + a.fingerprint < b.ruleId + b.fingerprint ? -1 : 1));
  return { version: 1, tool: "secretlint", findings: out };
}

export function writeBaseline(file: string, findings: Array<{ ruleId: string; fingerprint: string }>): void {
  fs.writeFileSync(file, JSON.stringify(baselineOf(findings), null, 2) + "\n");
}

/** The set of `ruleId\0fingerprint` keys a baseline file hides. */
export function readBaseline(file: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: ${code ? `cannot read the baseline (${code})` : `invalid baseline JSON: ${(err as Error).message}`}; write one with --write-baseline`);
  }
  const b = data as Partial<BaselineFile>;
  if (b.version !== 1 || !Array.isArray(b.findings)) {
    throw new ConfigError(`${file}: not a secretlint baseline (expected {"version": 1, "findings": [...]}); write one with --write-baseline`);
  }
  return new Set(b.findings.map((f) => `${f.ruleId}\u0000${f.fingerprint}`));
}
