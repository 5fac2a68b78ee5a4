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
  return {
    rules: [...catalogue, ...policyRules(config.policies)],
    levels: { ...levelsOfPresets(presets, catalogue), ...(config.rules ?? {}) },
    presets,
    frameworks: frameworksOfPresets(presets),
  };
}
