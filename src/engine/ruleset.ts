// The rules a run uses and their levels, from the configuration (and the command line's
// presets): the catalogue plus the configuration's policies (`custom/<name>`), levels from the
// presets (`--preset`, else `extends:`, else integrations), then the configuration's `rules:`.

import { presetsOf, type Config } from "./config.js";
import { policyRules } from "./policies.js";
import { DEFAULT_PRESETS, frameworksOfPresets, levelsOfPresets, type PresetName } from "./presets.js";
import type { FrameworkId, Level, Rule } from "./rule.js";

export interface RuleSet {
  /** The catalogue and the configuration's policies. */
  rules: Rule[];
  /** Levels by rule id (`off` for rules that do not run); policies keep their own level unless `rules:` sets one. */
  levels: Record<string, Level | "off">;
  presets: PresetName[];
  /** The frameworks whose per-control summary the presets ask for. */
  frameworks: FrameworkId[];
}

export function ruleSetFrom(config: Config, catalogue: readonly Rule[], presetsOverride?: PresetName[]): RuleSet {
  const presets = presetsOverride ?? presetsOf(config) ?? [...DEFAULT_PRESETS];
  const rules = [...catalogue, ...policyRules(config.policies)];
  return {
    rules,
    levels: { ...levelsOfPresets(presets, catalogue), ...expandFamilies(config.rules ?? {}, rules) },
    presets,
    frameworks: frameworksOfPresets(presets),
  };
}

/** Levels by id from levels by id or family (`sym/*`, `*`): families first, so an id wins over its family. */
export function expandFamilies(levels: Record<string, Level | "off">, rules: readonly Rule[]): Record<string, Level | "off"> {
  const out: Record<string, Level | "off"> = {};
  const entries = Object.entries(levels);
  for (const [key, level] of entries) {
    if (key === "*") for (const r of rules) out[r.id] = level;
  }
  for (const [key, level] of entries) {
    if (key.endsWith("/*")) for (const r of rules) if (r.id.startsWith(key.slice(0, -1))) out[r.id] = level;
  }
  for (const [key, level] of entries) if (!key.endsWith("*")) out[key] = level;
  return out;
}
