// The rule contract, in the manner of ESLint's and TFLint's rule modules: one module per rule
// with its metadata beside its check. Checks read only the inventory and report findings as
// a message id plus data, so the wording lives in one place and tests check ids.

import type { Inventory, Origin } from "../inventory/model.js";
import type { Fix } from "./fix.js";

export type Level = "error" | "warning" | "note";

export interface RuleHelp {
  /** Why it matters, what breaks. Markdown. */
  why: string;
  /** A configuration that fires (Terraform, YAML or Python, as fits the rule). */
  bad: string;
  /** The same, fixed. */
  good: string;
  /** What to do, one or two sentences. */
  fix: string;
}

/** A control of a framework a rule answers: `{ framework: "fsbp", id: "SecretsManager.1" }`. */
export interface ControlRef {
  framework: FrameworkId;
  id: string;
}

/** The frameworks rules map to (see frameworks.ts for their names and controls). */
export type FrameworkId = "fsbp" | "checkov" | "prowler";

/** The presets that switch rules on beside the default set (`integrations`); see presets.ts. */
export type OptInPreset = "fsbp";

export interface RuleMeta<M extends string = string> {
  /** Stable public id, e.g. `sym/symenv-tag-missing`. The file is `rules/sym-symenv-tag-missing.ts`. */
  id: string;
  /** The default level (the `integrations` preset); `off` for a rule only a preset switches on. */
  level: Level | "off";
  /** The level a preset gives the rule (`fsbp: "warning"`); a rule without one is not in that preset. */
  presets?: Partial<Record<OptInPreset, Level>>;
  /** The framework controls the rule answers (AWS FSBP, Checkov and Prowler ids). */
  controls?: ControlRef[];
  /** `live`: the rule judges what only the account knows (dates), never Terraform. */
  scope?: "live";
  /** SARIF `security-severity` (0–10); omitted for rules without one. */
  securitySeverity?: number;
  tags: string[];
  precision: "very-high" | "high" | "medium" | "low";
  /** One line: SARIF shortDescription. */
  title: string;
  /** A paragraph: SARIF fullDescription. */
  description: string;
  help: RuleHelp;
  /** Message templates by id; `{name}` placeholders are filled from the report's data. */
  messages: Record<M, string>;
  /**
   * When the rule runs: with the others (default), or after suppression comments are applied,
   * for rules about the comments themselves (they read `inventory.suppressionComments`).
   */
  phase?: "rules" | "after-suppressions";
}

export interface ReportInput<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  /** Where: a file range, an AWS resource, or both. */
  at: Origin;
  /** The resource the finding is about (a secret's id), or several, for the per-control summary. */
  resource?: string | string[];
  /** Other places that explain the finding (where the policy's environment is set, say). */
  related?: Array<{ origin: Origin; message: string }>;
  /** The change that resolves it, when its result is certain (see engine/fix.ts). */
  fix?: Fix;
}

export interface RuleContext<M extends string = string> {
  readonly inventory: Inventory;
  /** The rule's effective settings from configuration (Sym tag name, Apono patterns…). */
  readonly settings: Readonly<RuleSettings>;
  report(input: ReportInput<M>): void;
  /**
   * Records that the rule judged a resource (a secret's id), whether it then reports or not:
   * the per-control summary counts resources passed and failed from these.
   */
  evaluated(resource: string): void;
  /** Records that the rule could not judge a resource (a value it needs is unknown). */
  undetermined(resource: string): void;
}

/** Settings rules may read, from the configuration file and command line. */
export interface RuleSettings {
  /** The tag Sym access policies condition on (default `SymEnv`). */
  symTagName: string;
  /** Sym environments declared in configuration (besides those found in policies). */
  symEnvironments: string[];
  /** Name patterns (globs) of secrets Apono reads, from configuration. */
  aponoSecretPatterns: string[];
  /** Name patterns (globs) of secrets the data plane reads, from configuration. */
  dataPlaneSecretPatterns: string[];
  /** The data plane's region (`--data-plane-region` or `dataPlane.region`). */
  dataPlaneRegion?: string;
  /** `secret/rotation-disabled`: a schedule longer than this many days counts as too rare (`rotation.maxIntervalDays`). */
  rotationMaxIntervalDays?: number;
  /** `secret/rotation-overdue`: days allowed since the last rotation (`rotation.maxDaysSinceRotation`, default 90). */
  maxDaysSinceRotation: number;
  /** `secret/unused`: days a secret may go unread (`unused.unusedForDays`, default 90). */
  unusedForDays: number;
  /** `secret/required-tags`: the tags the organisation requires (`requiredTags`). */
  requiredTags: TagRequirement[];
}

/** A tag the configuration requires (`requiredTags` item). */
export interface TagRequirement {
  key: string;
  /** The values allowed (exact); absent: any value. */
  values?: string[];
  /** A regular expression the whole value must match; absent: any value. */
  pattern?: string;
  /** Name patterns of the secrets it applies to; absent: every secret. */
  secrets?: string[];
}

export const DEFAULT_SETTINGS: RuleSettings = {
  symTagName: "SymEnv",
  symEnvironments: [],
  aponoSecretPatterns: [],
  dataPlaneSecretPatterns: [],
  maxDaysSinceRotation: 90,
  unusedForDays: 90,
  requiredTags: [],
};

export interface Rule<M extends string = string> extends RuleMeta<M> {
  check(ctx: RuleContext<M>): void;
}

/** Declares a rule; the message ids are checked at compile time. */
export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}

/** `{name}` placeholders filled from data; unknown placeholders are left as written. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in data ? String(data[k]) : m));
}
