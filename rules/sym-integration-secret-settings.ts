// sym/integration-secret-settings: a `sym_integration` lacks the secret settings its type
// needs, or they do not point at `sym_secret` ids.

import { defineRule } from "../src/engine/rule.js";
import type { Located, SymObject } from "../src/inventory/model.js";
import { ObjectValue, Unknown, knownPrefix, typeName, type Value } from "../src/terraform/values.js";
import { listing, where } from "../src/engine/queries/sym.js";

/** The settings each integration type needs, each the id of a `sym_secret`. */
export const SECRET_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  aptible: ["username_secret", "password_secret"],
  github: ["api_token_secret"],
  okta: ["api_token_secret"],
  pagerduty: ["api_token_secret"],
  tailscale: ["api_token_secret"],
  knowbe4: ["api_token_secret"],
  onelogin: ["client_secret"],
  segment: ["write_key_secret"],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `sym_secret.x.id`, `sym_secret.x[0].id`, `module.m.sym_secret.x["k"].id`. */
const SYM_SECRET_ID = /(?:^|\.)sym_secret\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.id$/;
/** An attribute of a managed resource: `[module.m.]type.name[key].attr`. */
const RESOURCE_ATTRIBUTE = /^(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*([a-z][a-z0-9_]*)\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.[\w]+$/;

/** What a setting's value is: a sym_secret id, missing, something else (described), or not known. */
export type Pointer = { kind: "ok" } | { kind: "missing" } | { kind: "wrong"; what: string } | { kind: "unknown" };

export function classifyPointer(v: Value | undefined): Pointer {
  if (v === undefined || v === null) return { kind: "missing" };
  if (v instanceof Unknown) {
    if (v.what && SYM_SECRET_ID.test(v.what)) return { kind: "ok" };
    if (knownPrefix(v).startsWith("arn:")) return { kind: "wrong", what: "an ARN" };
    if (v.reason === "computed" && v.what) {
      const m = RESOURCE_ATTRIBUTE.exec(v.what);
      if (m && !v.what.startsWith("data.") && !v.what.includes(".data.")) return { kind: "wrong", what: `\`${v.what}\`` };
    }
    return { kind: "unknown" };
  }
  if (typeof v === "string") {
    // A UUID may be the id of a sym_secret managed elsewhere.
    if (UUID.test(v)) return { kind: "unknown" };
    // Never echo the string: it may be the credential itself.
    return { kind: "wrong", what: v.startsWith("arn:") ? "an ARN" : "a literal string" };
  }
  if (typeof v === "number" || typeof v === "boolean" || Array.isArray(v) || v instanceof ObjectValue) {
    return { kind: "wrong", what: `a ${typeName(v)}` };
  }
  return { kind: "unknown" };
}

export default defineRule({
  id: "sym/integration-secret-settings",
  level: "error",
  securitySeverity: 4.0,
  tags: ["sym", "correctness"],
  precision: "high",
  title: "A sym_integration lacks its secret settings, or they are not sym_secret ids",
  description:
    "Integrations that call a third-party API read their credentials through `sym_secret` resources: aptible needs `username_secret` and `password_secret`; github, okta, pagerduty, tailscale and knowbe4 need `api_token_secret`; onelogin needs `client_secret`; segment needs `write_key_secret`. Each must be the id of a `sym_secret` (`sym_secret.x.id`), not a secret's name, ARN or value.",
  help: {
    why: "The Sym runtime resolves these settings as `sym_secret` ids when it calls the integration's API. A missing setting, or one holding a Secrets Manager ARN, a secret name or the credential itself, breaks the integration when a flow runs (and a credential written here lands in git and state).",
    bad: `resource "sym_integration" "pagerduty" {
  type        = "pagerduty"
  name        = "main-pagerduty"
  external_id = "example-org"
  settings = {
    api_token_secret = aws_secretsmanager_secret.pagerduty_token.arn
  }
}`,
    good: `resource "sym_integration" "pagerduty" {
  type        = "pagerduty"
  name        = "main-pagerduty"
  external_id = "example-org"
  settings = {
    api_token_secret = sym_secret.pagerduty_token.id
  }
}`,
    fix: "Declare a `sym_secret` for each credential (its `path` naming the Secrets Manager secret) and set the integration's setting to that `sym_secret`'s `id`.",
  },
  messages: {
    noSettings:
      "{integration} (type \"{type}\") has no `settings`: it needs {needed}, each the id of a sym_secret (`sym_secret.<name>.id`).",
    missing:
      "{integration} (type \"{type}\") lacks {missing} in `settings` (set at {settingsAt}): set each to the id of a sym_secret (`sym_secret.<name>.id`).",
    wrong:
      "{integration} (type \"{type}\") sets {wrong} in `settings` (set at {settingsAt}), not the id of a sym_secret: use `sym_secret.<name>.id`.",
  },
  check(ctx) {
    for (const obj of ctx.inventory.symObjects) {
      if (obj.kind !== "sym_integration") continue;
      const type = obj.type.value;
      if (typeof type !== "string") continue;
      const needed = SECRET_SETTINGS[type];
      if (!needed) continue;
      const label = integrationLabel(obj);
      const settings: Located | undefined = obj.attributes.get("settings");
      const value = settings?.value;
      if (value === undefined || value === null) {
        ctx.report({ messageId: "noSettings", data: { integration: label, type, needed: listing(needed.map((n) => `\`${n}\``)) }, at: obj.origin });
        continue;
      }
      if (!(value instanceof ObjectValue)) continue; // unknown as a whole: nothing to say
      const missing: string[] = [];
      const wrong: string[] = [];
      for (const name of needed) {
        const p = classifyPointer(value.get(name));
        if (p.kind === "missing") missing.push(`\`${name}\``);
        else if (p.kind === "wrong") wrong.push(`\`${name}\` to ${p.what}`);
      }
      const at = settings?.origin ?? obj.origin;
      const settingsAt = where(at);
      if (missing.length > 0) ctx.report({ messageId: "missing", data: { integration: label, type, missing: listing(missing), settingsAt }, at });
      if (wrong.length > 0) ctx.report({ messageId: "wrong", data: { integration: label, type, wrong: listing(wrong), settingsAt }, at });
    }
  },
});

function integrationLabel(obj: SymObject): string {
  return obj.origin.address ?? obj.id;
}
