// Runs rules over an inventory. A rule that throws becomes a tool notification, not a lost
// scan; findings come out sorted and de-duplicated.

import type { Inventory, Origin } from "../inventory/model.js";
import { DEFAULT_SETTINGS, formatMessage, type Level, type Rule, type RuleSettings } from "./rule.js";

export interface Finding {
  ruleId: string;
  level: Level;
  messageId: string;
  message: string;
  data: Record<string, string | number>;
  origin: Origin;
  related: Array<{ origin: Origin; message: string }>;
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
}

export interface RunResult {
  findings: Finding[];
  notifications: Notification[];
  /** The rules that ran (for SARIF's tool.driver.rules). */
  rules: Rule[];
}

export function runRules(inventory: Inventory, rules: Rule[], options: RunOptions = {}): RunResult {
  const settings: RuleSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const findings: Finding[] = [];
  const notifications: Notification[] = [];
  const ran: Rule[] = [];
  for (const rule of rules) {
    const override = options.levels?.[rule.id];
    if (override === "off") continue;
    const level = override ?? rule.level;
    ran.push(rule);
    try {
      rule.check({
        inventory,
        settings,
        report: ({ messageId, data = {}, at, related = [] }) => {
          const template = (rule.messages as Record<string, string>)[messageId];
          if (template === undefined) throw new Error(`rule ${rule.id} reported an unknown message id ${messageId}`);
          findings.push({ ruleId: rule.id, level, messageId, message: formatMessage(template, data), data, origin: at, related });
        },
      });
    } catch (err) {
      notifications.push({ level: "error", ruleId: rule.id, message: `rule ${rule.id} failed: ${(err as Error).message}` });
    }
  }
  return { findings: sortFindings(dedupe(findings)), notifications, rules: ran };
}

function originKey(o: Origin): string {
  const f = o.file ? `${o.file.path}:${o.file.range.start.offset}:${o.file.range.end.offset}` : "";
  const a = o.aws ? `${o.aws.arn ?? ""}@${o.aws.region ?? ""}` : "";
  return `${f}|${a}`;
}

/** The same rule, message and place reported twice (e.g. once per module instance) counts once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\u0000${f.message}\u0000${originKey(f.origin)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
