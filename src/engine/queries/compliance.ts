// Helpers of the compliance rules (rotation, KMS key, unused secrets, required tags, the
// organisation's policies): rotation schedules, the time a live account was read, name
// patterns on partly known names, tags by exact key. Unknown stays unknown: each helper
// answers `undefined` where a value it needs cannot be known.

import type { Inventory, Located, Origin, RotationRules, Secret } from "../../inventory/model.js";
import { ObjectValue, isNotKnown, stringPieces, type Value } from "../../terraform/values.js";
import { namePatternMatches } from "./apono.js";

export const DAY_MS = 86_400_000;

/** The time rules on dates count from: when the account was read, else now. */
export function observedAt(inventory: Inventory): number {
  const t = inventory.observedAt ? Date.parse(inventory.observedAt) : NaN;
  return Number.isNaN(t) ? Date.now() : t;
}

/** Whole days from `from` (ISO 8601) to `now`; undefined when `from` is absent or unreadable. */
export function daysSince(from: string | undefined, now: number): number | undefined {
  if (from === undefined) return undefined;
  const t = Date.parse(from);
  if (Number.isNaN(t)) return undefined;
  return Math.floor((now - t) / DAY_MS);
}

/** `2026-03-01` for messages. */
export function dayOf(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- rotation schedules

/** Bounds, in days, of the longest wait between two rotations a schedule allows. */
export interface IntervalBounds {
  min: number;
  max: number;
  /** The schedule as written (`automatically_after_days = 30`, `rate(10 days)`, `cron(…)`). */
  text: string;
  origin?: Origin;
}

/**
 * The longest gap between rotations a schedule allows: `automatically_after_days` (N days),
 * `rate(N days|hours)`, or a `cron(min hour dom month dow year)` expression whose fields are
 * simple enough (a daily, weekly or monthly schedule). Undefined when the schedule is unknown
 * or a cron expression this does not read (`L`, `W`, `#`, months listed…): rules stay silent.
 */
export function rotationInterval(rules: RotationRules | undefined): IntervalBounds | undefined {
  if (!rules) return undefined;
  const days = rules.automaticallyAfterDays;
  const expr = rules.scheduleExpression;
  // The provider refuses both at once; a schedule expression wins if both are somehow known.
  if (expr && typeof expr.value === "string" && expr.value !== "") return scheduleInterval(expr);
  if (expr && isNotKnown(expr.value)) return undefined;
  if (days) {
    const n = typeof days.value === "number" ? days.value : typeof days.value === "string" && /^\d+$/.test(days.value) ? Number(days.value) : undefined;
    if (n === undefined || n <= 0) return undefined;
    return { min: n, max: n, text: `automatically after ${n} day${n === 1 ? "" : "s"}`, ...(days.origin ? { origin: days.origin } : {}) };
  }
  return undefined;
}

function scheduleInterval(expr: Located): IntervalBounds | undefined {
  const text = (expr.value as string).trim();
  const at = expr.origin ? { origin: expr.origin } : {};
  const rate = /^rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)$/.exec(text);
  if (rate) {
    const n = Number(rate[1]) / (rate[2].startsWith("hour") ? 24 : 1);
    return { min: n, max: n, text, ...at };
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  if (!cron) return undefined;
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) return undefined;
  const [, , dom, month, dow] = fields;
  const any = (f: string) => f === "*" || f === "?";
  if (!any(month)) return undefined;
  if (any(dom) && any(dow)) return { min: 0, max: 1, text, ...at };
  if (any(dom)) {
    const days = weekdays(dow);
    if (!days) return undefined;
    const gap = maxCyclicGap(days, 7);
    return { min: gap, max: gap, text, ...at };
  }
  if (any(dow)) {
    const days = numbers(dom, 1, 31);
    if (!days) return undefined;
    let inner = 0;
    for (let i = 1; i < days.length; i++) inner = Math.max(inner, days[i] - days[i - 1]);
    // From the last day of one month to the first of the next: months have 28 to 31 days.
    const wrap = (len: number) => days[0] + len - days[days.length - 1];
    return { min: Math.max(inner, wrap(28)), max: Math.max(inner, wrap(31)), text, ...at };
  }
  return undefined;
}

/** Sorted day numbers of a cron day-of-week field (`MON`, `1-5`, `SUN,WED`), 1 = Sunday. */
function weekdays(field: string): number[] | undefined {
  const names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
  const replaced = field.toUpperCase().replace(/[A-Z]{3}/g, (n) => String(names.indexOf(n) + 1));
  if (/[^0-9,-]/.test(replaced)) return undefined;
  return numbers(replaced, 1, 7);
}

/** A list of numbers and ranges (`1,15`, `1-5`), sorted; undefined for anything else. */
function numbers(field: string, lo: number, hi: number): number[] | undefined {
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a < lo || b > hi || a > b) return undefined;
    for (let i = a; i <= b; i++) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}

/** The longest gap between sorted points repeating every `period`. */
function maxCyclicGap(points: number[], period: number): number {
  let gap = points[0] + period - points[points.length - 1];
  for (let i = 1; i < points.length; i++) gap = Math.max(gap, points[i] - points[i - 1]);
  return gap;
}

/** A number of days for messages: `30 days`, `12 hours`. */
export function daysText(n: number): string {
  if (n < 1) {
    const h = Math.round(n * 24);
    return `${h} hour${h === 1 ? "" : "s"}`;
  }
  return `${n} day${n === 1 ? "" : "s"}`;
}

// ---------------------------------------------------------------- KMS keys

/**
 * Whether a secret's `kms_key_id` / `KmsKeyId` means the AWS managed key `aws/secretsmanager`:
 * unset (null, or left out live), or that alias by name or ARN. Undefined when unknown.
 */
export function usesDefaultKey(kms: Located): boolean | undefined {
  const v = kms.value;
  if (v === null || v === undefined || v === "") return true;
  if (typeof v === "string") return v === "alias/aws/secretsmanager" || /:alias\/aws\/secretsmanager$/.test(v);
  // A partly known ARN ending in the alias still names it.
  const pieces = stringPieces(v);
  const last = pieces?.[pieces.length - 1];
  if (typeof last === "string" && last.endsWith(":alias/aws/secretsmanager")) return true;
  return undefined;
}

// ---------------------------------------------------------------- names and tags

/** The known text before the first unknown part of a (partly known) string. */
function knownPrefix(v: Value): string | undefined {
  const pieces = stringPieces(v);
  if (!pieces) return undefined;
  let out = "";
  for (const p of pieces) {
    if (typeof p !== "string") break;
    out += p;
  }
  return out;
}

/**
 * Whether a secret name matches a configuration name pattern (`prod/*`: `*` is any run of
 * characters, `/` included; `?` one character). A partly known name decides only when its
 * known prefix does (a pattern `LITERAL*` against a name `prefix…`); else undefined.
 */
export function nameMatches(pattern: string, name: Value): boolean | undefined {
  if (typeof name === "string") return namePatternMatches(pattern, name);
  if (!isNotKnown(name)) return false;
  const prefix = knownPrefix(name);
  if (prefix === undefined) return undefined;
  const star = pattern.search(/[*?]/);
  const literal = star < 0 ? pattern : pattern.slice(0, star);
  if (!literal.startsWith(prefix) && !prefix.startsWith(literal)) return false;
  if (star >= 0 && pattern.slice(star) === "*" && prefix.startsWith(literal)) return true;
  return undefined;
}

/** Whether the name matches any of the patterns; undefined when that cannot be known. */
export function nameMatchesAny(patterns: readonly string[], name: Value): boolean | undefined {
  let unknown = false;
  for (const p of patterns) {
    const m = nameMatches(p, name);
    if (m === true) return true;
    if (m === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

export type ExactTag =
  | { state: "unknown" }
  | { state: "absent" }
  | { state: "present"; value: Value; origin: Origin };

/** A tag by its exact key (AWS tag keys are case-sensitive); unknown when the tags are not known. */
export function exactTag(secret: Secret, key: string): ExactTag {
  const tags = secret.tags.value;
  if (tags === null || tags === undefined) return { state: "absent" };
  if (isNotKnown(tags) || !(tags instanceof ObjectValue)) return { state: "unknown" };
  if (!tags.has(key)) return { state: "absent" };
  return { state: "present", value: tags.get(key) as Value, origin: secret.tagOrigins.get(key) ?? secret.tags.origin ?? secret.origin };
}
