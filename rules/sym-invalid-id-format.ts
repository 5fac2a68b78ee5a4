// sym/invalid-id-format: an Aptible organization id (`sym_integration` of type aptible,
// `external_id`) or an Aptible role id (`sym_target` of type aptible_role, `settings.role_id`)
// that is not a UUID. UUIDs are matched without case.

import { defineRule } from "../src/engine/rule.js";
import type { Inventory, Located, Origin } from "../src/inventory/model.js";
import { ObjectValue } from "../src/terraform/values.js";
import { where } from "../src/engine/queries/sym.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default defineRule({
  id: "sym/invalid-id-format",
  level: "warning",
  securitySeverity: 2.0,
  tags: ["sym", "correctness", "aptible"],
  precision: "very-high",
  title: "An Aptible organization or role id is not a UUID",
  description:
    "Aptible identifies organizations and roles by UUID. The `external_id` of a `sym_integration` of type `aptible` (the organization id) and the `settings.role_id` of a `sym_target` of type `aptible_role` must be UUIDs (in either case); anything else makes the Aptible strategy fail when access is requested.",
  help: {
    why: "Sym passes these ids to Aptible's API as they are. A mistyped id, a role name instead of its id, or a placeholder copied from the guide is accepted by Terraform and fails only when someone requests access.",
    bad: `resource "sym_integration" "aptible" {
  type        = "aptible"
  name        = "main-aptible"
  external_id = "qac28b21-1234-5678-2a53-dq3s52272014"
  settings = {
    username_secret = sym_secret.aptible_bot_username.id
    password_secret = sym_secret.aptible_bot_password.id
  }
}`,
    good: `resource "sym_integration" "aptible" {
  type        = "aptible"
  name        = "main-aptible"
  external_id = "94a49e57-d046-4d9d-9dbf-f7711e337368"
  settings = {
    username_secret = sym_secret.aptible_bot_username.id
    password_secret = sym_secret.aptible_bot_password.id
  }
}`,
    fix: "Copy the id from Aptible (the organization's or role's UUID, as shown in its URL or the `aptible` CLI).",
  },
  messages: {
    externalId:
      "{object} (type \"aptible\") has `external_id` \"{value}\" (set at {at}), which is not a UUID: Aptible organization ids are UUIDs.",
    roleId:
      "{object} (type \"aptible_role\") has `settings.role_id` \"{value}\" (set at {at}), which is not a UUID: Aptible role ids are UUIDs.",
  },
  check(ctx) {
    for (const obj of ctx.inventory.symObjects) {
      const type = obj.type.value;
      const label = obj.origin.address ?? obj.id;
      if (obj.kind === "sym_integration" && type === "aptible") {
        const id = obj.attributes.get("external_id");
        if (!id || typeof id.value !== "string" || UUID.test(id.value)) continue;
        const at = id.origin ?? obj.origin;
        ctx.report({ messageId: "externalId", data: { object: label, value: id.value, at: where(at) }, at });
      } else if (obj.kind === "sym_target" && type === "aptible_role") {
        const settings = obj.attributes.get("settings");
        if (!settings || !(settings.value instanceof ObjectValue)) continue;
        const roleId = settings.value.get("role_id");
        if (typeof roleId !== "string" || UUID.test(roleId)) continue;
        const at = literalOrigin(ctx.inventory, roleId, settings) ?? settings.origin ?? obj.origin;
        ctx.report({ messageId: "roleId", data: { object: label, value: roleId, at: where(at) }, at });
      }
    }
  },
});

/**
 * Where a literal value is written inside an argument (`role_id = "..."` inside `settings`):
 * the one literal of that text within the argument's range, when there is exactly one.
 */
function literalOrigin(inventory: Inventory, text: string, within: Located): Origin | undefined {
  const outer = within.origin?.file;
  if (!outer) return undefined;
  const hits = inventory.literalStrings.filter(
    (l) =>
      l.text === text &&
      l.origin.file?.path === outer.path &&
      l.origin.file.range.start.offset >= outer.range.start.offset &&
      l.origin.file.range.end.offset <= outer.range.end.offset,
  );
  if (hits.length !== 1) return undefined;
  return { ...hits[0].origin, address: within.origin?.address };
}
