// Runs rules over an inventory. A rule that throws becomes a tool notification, not a lost
// scan; findings come out sorted and de-duplicated.

import type { Inventory, Origin } from "../inventory/model.js";
import type { Fix } from "./fix.js";
import { DEFAULT_SETTINGS, formatMessage, type Level, type Rule, type RuleSettings } from "./rule.js";

export interface Finding {
  ruleId: string;
  level: Level;
  messageId: string;
  message: string;
  data: Record<string, string | number>;
  /** Where: for a value, where it is written (its `flow` says how it got to where it is used). */
  origin: Origin;
  /** Other places: the value's flow first (Origin.flow, those with a file), then the rule's own. */
  related: Array<{ origin: Origin; message: string }>;
  /** Set on a finding hidden by a suppression comment (`inSource`, with the comment's reason) or a baseline (`external`). */
  suppression?: Suppression;
  /**
   * The resources the finding is about (secrets' ids), when the rule says: one, or several
   * when findings about instances of one declaration at one place were made one.
   */
  resources?: string[];
  /** The change that resolves it, when certain (engine/fix.ts); for findings made one, every instance's. */
  fix?: Fix;
}

/** What a rule judged: the resources it decided on, and those it could not. */
export interface RuleCoverage {
  evaluated: Set<string>;
  undetermined: Set<string>;
}

/** How a finding is suppressed (SARIF `suppressions[]`). */
export interface Suppression {
  kind: "inSource" | "external";
  /** The `-- reason` of the comment, or which baseline hides it. */
  justification?: string;
}

export interface Notification {
  level: "error" | "warning" | "note";
  message: string;
  ruleId?: string;
}

export interface RunOptions {
  settings?: Partial<RuleSettings>;
  /** Level overrides by rule id (`off` disables). */
  levels?: Record<string, Level | "off">;
  /** Which rules run: those of this phase (see RuleMeta.phase; default "rules"). */
  phase?: "rules" | "after-suppressions";
}

export interface RunResult {
  findings: Finding[];
  notifications: Notification[];
  /** The rules that ran (for SARIF's tool.driver.rules). */
  rules: Rule[];
  /** The level each rule that ran had (its default, a preset's, or the configuration's). */
  levels?: Record<string, Level>;
  /** By rule id: the resources judged and those that could not be (rules that record them). */
  coverage?: Map<string, RuleCoverage>;
}

export function runRules(inventory: Inventory, rules: Rule[], options: RunOptions = {}): RunResult {
  const settings: RuleSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const findings: Finding[] = [];
  const notifications: Notification[] = [];
  const ran: Rule[] = [];
  const levels: Record<string, Level> = {};
  const coverage = new Map<string, RuleCoverage>();
  const phase = options.phase ?? "rules";
  for (const rule of rules) {
    if ((rule.phase ?? "rules") !== phase) continue;
    const level = options.levels?.[rule.id] ?? rule.level;
    if (level === "off") continue;
    ran.push(rule);
    levels[rule.id] = level;
    const covered: RuleCoverage = { evaluated: new Set(), undetermined: new Set() };
    coverage.set(rule.id, covered);
    try {
      rule.check({
        inventory,
        settings,
        report: ({ messageId, data = {}, at, related = [], resource, fix }) => {
          const template = (rule.messages as Record<string, string>)[messageId];
          if (template === undefined) throw new Error(`rule ${rule.id} reported an unknown message id ${messageId}`);
          const flow = (at.flow ?? []).filter((p) => p.file).map((p) => ({ origin: { file: p.file }, message: p.message }));
          const finding: Finding = { ruleId: rule.id, level, messageId, message: formatMessage(template, data), data, origin: at, related: [...flow, ...related] };
          if (fix) finding.fix = { description: fix.description, tags: fix.tags.map((t) => ({ ...t })) };
          if (resource !== undefined) {
            finding.resources = Array.isArray(resource) ? [...resource] : [resource];
            for (const r of finding.resources) covered.evaluated.add(r);
          }
          findings.push(finding);
        },
        evaluated: (resource) => void covered.evaluated.add(resource),
        undetermined: (resource) => void covered.undetermined.add(resource),
      });
    } catch (err) {
      notifications.push({ level: "error", ruleId: rule.id, message: `rule ${rule.id} failed: ${(err as Error).message}` });
    }
  }
  return { findings: sortFindings(dedupe(findings)), notifications, rules: ran, levels, coverage };
}

function originKey(o: Origin): string {
  const f = o.file ? `${o.file.path}:${o.file.range.start.offset}:${o.file.range.end.offset}` : "";
  const a = o.aws ? `${o.aws.arn ?? ""}@${o.aws.region ?? ""}` : "";
  return `${f}|${a}`;
}

/**
 * One finding per written place. The same rule and message at the same place counts once;
 * findings of one rule and message id at one place about instances of the same declaration
 * (`module.db["a"].aws_x.y` and `module.db["b"].aws_x.y`, or `module.a.aws_x.y` and
 * `module.b.aws_x.y` when the value is written in the module they share) are one finding too:
 * the one kept says which other instances the value also reaches. Different findings about
 * one instance at one place all stay.
 */
function dedupe(findings: Finding[]): Finding[] {
  const groups = new Map<string, Array<{ finding: Finding; others: string[] }>>();
  const out: Finding[] = [];
  for (const f of findings) {
    const address = f.origin.address;
    const key = `${f.ruleId}\u0000${f.messageId}\u0000${originKey(f.origin)}\u0000${address ? declarationOf(address) : f.message}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, [{ finding: f, others: [] }]);
      out.push(f);
      continue;
    }
    const sameInstance = group.filter((g) => g.finding.origin.address === address);
    if (sameInstance.some((g) => g.finding.message === f.message)) continue; // reported twice
    if (sameInstance.length > 0 || !address) {
      group.push({ finding: f, others: [] }); // another fact about the same instance
      out.push(f);
      continue;
    }
    const first = group[0];
    if (!first.others.includes(address)) first.others.push(address);
    mergeFix(first.finding, f);
    for (const r of f.resources ?? []) if (!first.finding.resources?.includes(r)) (first.finding.resources ??= []).push(r);
  }
  for (const group of groups.values()) {
    for (const { finding, others } of group) {
      if (others.length === 0) continue;
      const shown = others.slice(0, 3).map((a) => `\`${a}\``).join(", ");
      const more = others.length > 3 ? ` and ${others.length - 3} more` : "";
      finding.message += ` (the same value also reaches ${shown}${more})`;
    }
  }
  return out;
}

/**
 * Findings made one (instances of one declaration at one place): the fix must cover every
 * instance, so their tag changes join; one instance without a fix, or wanting another value,
 * leaves none (the written place cannot serve both).
 */
function mergeFix(kept: Finding, other: Finding): void {
  if (!kept.fix) return;
  const ok = other.fix && other.fix.tags.every((t) => kept.fix!.tags.some((k) => k.key === t.key && k.value === t.value));
  if (!ok) {
    delete kept.fix;
    return;
  }
  for (const t of other.fix!.tags) if (!kept.fix.tags.some((k) => k.secret === t.secret && k.key === t.key)) kept.fix.tags.push({ ...t });
}

/** A Terraform address reduced to its declaration: module path and instance keys dropped (`aws_x.y`, `data.aws_x.y`). */
export function declarationOf(address: string): string {
  const parts = address.replace(/\[[^\]]*\]/g, "").split(".");
  while (parts[0] === "module" && parts.length > 2) parts.splice(0, 2);
  return parts.join(".");
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => {
    const fa = a.origin.file?.path ?? "\uffff" + (a.origin.aws?.arn ?? "");
    const fb = b.origin.file?.path ?? "\uffff" + (b.origin.aws?.arn ?? "");
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.origin.file?.range.start.offset ?? 0;
    const lb = b.origin.file?.range.start.offset ?? 0;
    if (la !== lb) return la - lb;
    return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
  });
}
