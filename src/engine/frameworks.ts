// The compliance frameworks rules are mapped to, and their controls. A rule names the controls
// it answers in its metadata (`controls`); this file gives each framework's name and each
// control's title, for `secretlint rules --framework`, SARIF tags and the per-control summary.
//
// CIS: the CIS AWS Foundations Benchmark has no Secrets Manager control, so no rule maps to
// one. Checkov and Prowler ids are listed where a check tests the same thing.

import type { ControlRef, FrameworkId, Rule } from "./rule.js";

export interface Framework {
  id: FrameworkId;
  /** The name tags and tables use: `AWS-FSBP`, `Checkov`, `Prowler`. */
  label: string;
  title: string;
  /** Control id → title, in the framework's order. */
  controls: ReadonlyArray<{ id: string; title: string }>;
}

export const FRAMEWORKS: readonly Framework[] = [
  {
    id: "fsbp",
    label: "AWS-FSBP",
    title: "AWS Foundational Security Best Practices (Security Hub)",
    controls: [
      { id: "SecretsManager.1", title: "Secrets Manager secrets should have automatic rotation enabled" },
      { id: "SecretsManager.2", title: "Secrets Manager secrets configured with automatic rotation should rotate successfully" },
      { id: "SecretsManager.3", title: "Remove unused Secrets Manager secrets" },
      { id: "SecretsManager.4", title: "Secrets Manager secrets should be rotated within a specified number of days" },
      { id: "SecretsManager.5", title: "Secrets Manager secrets should be tagged" },
    ],
  },
  {
    id: "checkov",
    label: "Checkov",
    title: "Checkov (Terraform checks)",
    controls: [
      { id: "CKV_AWS_149", title: "Secrets Manager secret is encrypted with a KMS customer-managed key" },
      { id: "CKV2_AWS_57", title: "Secrets Manager secrets have automatic rotation enabled" },
      { id: "CKV_AWS_304", title: "Secrets Manager secrets are rotated within 90 days" },
    ],
  },
  {
    id: "prowler",
    label: "Prowler",
    title: "Prowler (AWS checks)",
    controls: [
      { id: "secretsmanager_automatic_rotation_enabled", title: "Secrets Manager secret rotation is enabled" },
      { id: "secretsmanager_secret_rotated_periodically", title: "Secrets are rotated periodically" },
      { id: "secretsmanager_secret_unused", title: "Secrets Manager secrets are not unused" },
      { id: "secretsmanager_using_cmk", title: "Secrets Manager secrets use a customer-managed KMS key" },
      { id: "secretsmanager_not_publicly_accessible", title: "Secrets Manager secrets are not publicly accessible" },
    ],
  },
];

export const FRAMEWORK_IDS: readonly FrameworkId[] = FRAMEWORKS.map((f) => f.id);

export function frameworkById(id: FrameworkId): Framework {
  const f = FRAMEWORKS.find((x) => x.id === id);
  if (!f) throw new Error(`unknown framework ${id}`);
  return f;
}

/** `AWS-FSBP SecretsManager.1`: a control as people write it. */
export function controlLabel(c: ControlRef): string {
  return `${frameworkById(c.framework).label} ${c.id}`;
}

/**
 * SARIF `properties.tags` for a rule's controls: the framework (`AWS-FSBP`) and the control
 * (`AWS-FSBP/SecretsManager.1`), so GitHub code scanning can filter by either.
 */
export function controlTags(rule: Pick<Rule, "controls">): string[] {
  const out: string[] = [];
  for (const c of rule.controls ?? []) {
    const label = frameworkById(c.framework).label;
    out.push(label, `${label}/${c.id}`);
  }
  return [...new Set(out)];
}

/** The rules answering each control of a framework, in the framework's order. */
export function mapping(framework: FrameworkId, rules: readonly Rule[]): Array<{ id: string; title: string; rules: Rule[] }> {
  return frameworkById(framework).controls.map((c) => ({
    ...c,
    rules: rules.filter((r) => (r.controls ?? []).some((x) => x.framework === framework && x.id === c.id)),
  }));
}
