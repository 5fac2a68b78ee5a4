// Actions as the service authorization data knows them: whether an action glob from a policy
// (`secretsmanager:GetSecretValue`, `secretsmanager:Get*`, `s3:?et*`) matches any real action.
// AWS compares action names without case; `*` and `?` are wildcards, in the service prefix too.

import { actionsOf, allServices } from "./data.js";
import { GLOB_IGNORE_CASE, matchText } from "./text.js";

export type ActionCheck =
  | { kind: "ok"; matches: number }
  /** No `service:action` shape. */
  | { kind: "malformed" }
  /** No service has this prefix. */
  | { kind: "unknown-service"; service: string }
  /** The service exists; none of its actions matches. */
  | { kind: "no-match"; service: string }
  /** Unknown pieces decide. */
  | { kind: "unknown" };

const checked = new Map<string, ActionCheck>();

/** A glob (`*`, `?`) as a case-insensitive regular expression. */
function globRegex(glob: string): RegExp {
  const src = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^]*").replace(/\?/g, "[^]");
  return new RegExp(`^${src}$`, "i");
}

/** Checks one action item (text with tokens) against the service authorization data (remembered per item). */
export function checkAction(item: string): ActionCheck {
  const key = item.toLowerCase();
  let c = checked.get(key);
  if (!c) {
    c = check(item);
    if (checked.size > 50_000) checked.clear();
    checked.set(key, c);
  }
  return c;
}

function check(item: string): ActionCheck {
  if (/^\*+$/.test(item)) return { kind: "ok", matches: Number.POSITIVE_INFINITY };
  if (/[\u{f0000}-\u{ffffd}]/u.test(item)) return { kind: "unknown" };
  const at = item.indexOf(":");
  if (at <= 0 || at === item.length - 1) return { kind: "malformed" };
  const service = item.slice(0, at);
  const action = item.slice(at + 1);
  const serviceRe = globRegex(service);
  const services = /[*?]/.test(service) ? allServices().filter((s) => serviceRe.test(s)) : actionsOf(service) ? [service.toLowerCase()] : [];
  if (services.length === 0) return { kind: "unknown-service", service };
  let matches = 0;
  if (!/[*?]/.test(action)) {
    const want = action.toLowerCase();
    for (const s of services) for (const a of actionsOf(s) ?? []) if (a.toLowerCase() === want) matches++;
  } else {
    const re = globRegex(action);
    for (const s of services) for (const a of actionsOf(s) ?? []) if (re.test(a)) matches++;
  }
  return matches > 0 ? { kind: "ok", matches } : { kind: "no-match", service };
}

/** The real actions of a service an action glob matches (`secretsmanager:Get*` → GetSecretValue, GetRandomPassword…). */
export function expandAction(item: string, service: string): string[] {
  return (actionsOf(service) ?? []).map((a) => `${service}:${a}`).filter((a) => matchText(item, a, GLOB_IGNORE_CASE) === "yes");
}

/** Whether an action glob from a policy (known text) covers `action` (`service:Action`). */
export function actionMatches(glob: string, action: string): boolean {
  return matchText(glob, action, GLOB_IGNORE_CASE) === "yes";
}
