// The per-control summary of a run, the table an auditor asks for: for each control of a
// framework (AWS FSBP SecretsManager.1–5), whether it passed, failed or was not evaluated, with
// the resources counted from what the rules judged (RuleCoverage) and the findings reported.
// Printed after the findings in the text format, written as JSON with `--controls-out FILE`.
// Pure functions, like every reporter.

import { frameworkById, mapping } from "../engine/frameworks.js";
import type { FrameworkId, Rule, RuleSettings } from "../engine/rule.js";
import type { Finding, RuleCoverage } from "../engine/runner.js";
import { originText } from "../inventory/dump.js";
import { inertJson } from "./escape.js";

export type ControlState = "pass" | "fail" | "not evaluated";

export interface ControlSummary {
  id: string;
  title: string;
  /** The rules answering it. */
  rules: string[];
  status: ControlState;
  /** Resources with a finding reported. */
  failed: number;
  /** Resources judged and found compliant. */
  passed: number;
  /** Resources whose findings are hidden (suppression comments, baseline). */
  suppressed: number;
  /** Resources the rules could not judge (a value they need is unknown). */
  notEvaluated: number;
  /** Why nothing was evaluated, when nothing was. */
  reason?: string;
  /** The failing resources: live secrets' ARNs, declared secrets' Terraform addresses. */
  failing: string[];
}

export interface FrameworkSummary {
  id: FrameworkId;
  label: string;
  title: string;
  controls: ControlSummary[];
}

export interface SummaryInput {
  /** Every rule the run knew (rules that did not run are "not evaluated: off"). */
  knownRules: readonly Rule[];
  /** The rules that ran. */
  ran: readonly Rule[];
  coverage: Map<string, RuleCoverage> | undefined;
  /** Findings reported. */
  findings: readonly Finding[];
  /** Findings hidden by comments or the baseline. */
  hidden: readonly Finding[];
  kind: "scan" | "audit";
  settings?: Partial<RuleSettings>;
}

/**
 * The resources a finding is about: the secrets' ids the rule gave (a live secret's ARN, a
 * declared one's Terraform address), else the finding's ARN, address or place.
 */
function resourcesOf(f: Finding): string[] {
  if (f.resources?.length) return f.resources;
  return [f.origin.aws?.arn ?? f.origin.address ?? originText(f.origin)];
}

export function summarise(frameworks: readonly FrameworkId[], input: SummaryInput): FrameworkSummary[] {
  const ran = new Set(input.ran.map((r) => r.id));
  return frameworks.map((id) => {
    const fw = frameworkById(id);
    const controls = mapping(id, input.knownRules).map((c): ControlSummary => {
      const rules = c.rules.map((r) => r.id);
      const active = c.rules.filter((r) => ran.has(r.id));
      const base = { id: c.id, title: c.title, rules };
      if (active.length === 0) {
        return { ...base, status: "not evaluated", failed: 0, passed: 0, suppressed: 0, notEvaluated: 0, reason: rules.length ? "rule off" : "no rule answers it", failing: [] };
      }
      const ids = new Set(active.map((r) => r.id));
      const failing = new Map<string, string>();
      for (const f of input.findings) if (ids.has(f.ruleId)) for (const k of resourcesOf(f)) failing.set(k, k);
      const hidden = new Set<string>();
      for (const f of input.hidden) if (ids.has(f.ruleId)) for (const k of resourcesOf(f)) if (!failing.has(k)) hidden.add(k);
      const evaluated = new Set<string>();
      const undetermined = new Set<string>();
      for (const r of active) {
        const cov = input.coverage?.get(r.id);
        for (const x of cov?.evaluated ?? []) evaluated.add(x);
        for (const x of cov?.undetermined ?? []) undetermined.add(x);
      }
      for (const x of evaluated) undetermined.delete(x);
      const passed = [...evaluated].filter((x) => !failing.has(x) && !hidden.has(x)).length;
      const counts = { failed: failing.size, passed, suppressed: hidden.size, notEvaluated: undetermined.size, failing: [...failing.values()].sort() };
      if (failing.size > 0) return { ...base, status: "fail", ...counts };
      if (passed > 0 || hidden.size > 0) return { ...base, status: "pass", ...counts };
      return { ...base, status: "not evaluated", ...counts, reason: whyNothing(active, input, undetermined.size) };
    });
    return { id, label: fw.label, title: fw.title, controls };
  });
}

function whyNothing(rules: Rule[], input: SummaryInput, undetermined: number): string {
  if (undetermined > 0) return `${undetermined} secret${undetermined === 1 ? "" : "s"} could not be judged`;
  if (input.kind === "scan" && rules.every((r) => r.scope === "live")) return "live only: run secretlint audit";
  if (rules.some((r) => r.id === "secret/required-tags") && (input.settings?.requiredTags ?? []).length === 0) return "no requiredTags configured";
  return "no secret to judge";
}

/** The summary as text: one block per framework, a row per control. */
export function controlsText(summaries: readonly FrameworkSummary[]): string {
  const out: string[] = [];
  for (const fw of summaries) {
    if (out.length) out.push("");
    out.push(`${fw.label}: ${fw.title}`);
    const rows = [["control", "status", "failed", "passed", "suppressed", "not judged", "rules"]];
    for (const c of fw.controls) {
      const n = (x: number) => (c.status === "not evaluated" && c.reason === "rule off" ? "-" : String(x));
      rows.push([c.id, c.status, n(c.failed), n(c.passed), n(c.suppressed), n(c.notEvaluated), c.rules.join(", ") + (c.reason ? ` (${c.reason})` : "")]);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const numeric = new Set([2, 3, 4, 5]);
    for (const r of rows) {
      out.push(
        "  " +
          r
            .map((cell, i) => (i === r.length - 1 ? cell : numeric.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
            .join("  ")
            .trimEnd(),
      );
    }
  }
  return out.join("\n");
}

/** The summary as the JSON document of `--controls-out`. */
export function controlsJson(summaries: readonly FrameworkSummary[], kind: "scan" | "audit"): string {
  return inertJson(JSON.stringify({ kind, frameworks: summaries }, null, 2)) + "\n";
}
