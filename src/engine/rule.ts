// The rule contract, in the manner of ESLint's and TFLint's rule modules: one module per rule
// with its metadata beside its check. Checks read only the inventory and report findings as
// a message id plus data, so the wording lives in one place and tests check ids.

import type { Inventory, Origin } from "../inventory/model.js";

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

export interface RuleMeta<M extends string = string> {
  /** Stable public id, e.g. `sym/symenv-tag-missing`. The file is `rules/sym-symenv-tag-missing.ts`. */
  id: string;
  level: Level;
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
  /** Other places that explain the finding (where the policy's environment is set, say). */
  related?: Array<{ origin: Origin; message: string }>;
}

export interface RuleContext<M extends string = string> {
  readonly inventory: Inventory;
  /** The rule's effective settings from configuration (Sym tag name, Apono patterns…). */
  readonly settings: Readonly<RuleSettings>;
  report(input: ReportInput<M>): void;
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
}

export const DEFAULT_SETTINGS: RuleSettings = {
  symTagName: "SymEnv",
  symEnvironments: [],
  aponoSecretPatterns: [],
  dataPlaneSecretPatterns: [],
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
