// Presets: named rule sets with levels, chosen with `--preset` or `extends:` in the
// configuration, in the manner of ESLint's shareable configs and TFLint's `preset`.
//
// - `integrations` (the default): every rule at its default level. The compliance controls
//   that are a matter of an organisation's policy (rotation, KMS key, unused secrets) are off
//   in it, so a default scan reports what breaks the integrations and nothing else.
// - `fsbp`: the controls of AWS Foundational Security Best Practices for Secrets Manager (and
//   the Checkov KMS check), at the levels their rules give for it. Only those: combine with
//   `integrations` (`--preset integrations,fsbp`) for both.
// - `all`: every rule, each at its default level, or at its preset level when off by default.
//
// Several presets add up: a rule is on when any of them switches it on, at the level of the
// last one that does. The configuration's `rules:` and the command line's `--rule`/`--disable`
// then apply on top.

import type { FrameworkId, Level, Rule } from "./rule.js";

export const PRESET_NAMES = ["integrations", "fsbp", "all"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const DEFAULT_PRESETS: readonly PresetName[] = ["integrations"];

export interface PresetInfo {
  name: PresetName;
  description: string;
  /** The frameworks whose per-control summary a run with this preset shows. */
  frameworks: FrameworkId[];
}

export const PRESETS: readonly PresetInfo[] = [
  { name: "integrations", description: "the Sym, Apono, Flyte/Union, Mage, IAM and secret rules at their default levels (the default)", frameworks: [] },
  { name: "fsbp", description: "the AWS FSBP Secrets Manager controls (SecretsManager.1–5) and the customer-managed KMS key check", frameworks: ["fsbp"] },
  { name: "all", description: "every rule, the compliance controls included", frameworks: ["fsbp"] },
];

export function isPresetName(x: string): x is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(x);
}

/** The level a preset gives a rule, or undefined when the preset leaves it out. */
export function presetLevel(preset: PresetName, rule: Rule): Level | undefined {
  switch (preset) {
    case "integrations":
      return rule.level === "off" ? undefined : rule.level;
    case "fsbp":
      return rule.presets?.fsbp;
    case "all":
      return enabledLevel(rule);
  }
}

/** The level a rule has when switched on without one being named: its default, else its preset level. */
export function enabledLevel(rule: Rule): Level {
  if (rule.level !== "off") return rule.level;
  return rule.presets?.fsbp ?? "warning";
}

/** The level of every rule under a list of presets (`off` for those none switches on). */
export function levelsOfPresets(presets: readonly PresetName[], rules: readonly Rule[]): Record<string, Level | "off"> {
  const out: Record<string, Level | "off"> = {};
  for (const r of rules) out[r.id] = "off";
  for (const p of presets) {
    for (const r of rules) {
      const level = presetLevel(p, r);
      if (level) out[r.id] = level;
    }
  }
  return out;
}

/** The frameworks whose per-control summary a run with these presets shows. */
export function frameworksOfPresets(presets: readonly PresetName[]): FrameworkId[] {
  const out = new Set<FrameworkId>();
  for (const p of presets) for (const f of PRESETS.find((x) => x.name === p)?.frameworks ?? []) out.add(f);
  return [...out];
}
