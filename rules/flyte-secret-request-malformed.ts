// flyte/secret-request-malformed: a flytekit `Secret(...)` request for an AWS Secrets Manager
// secret that Union cannot resolve: `group` is not the secret's ARN up to and including
// `:secret:`, `key` is not the rest (the name with AWS's 6-character suffix), or the mount
// requirement is `ENV_VAR`. Parts that are unknown, or hold a documentation placeholder
// (secret/placeholder-value's), are not judged.

import { defineRule } from "../src/engine/rule.js";
import type { Secret } from "../src/inventory/model.js";
import { knownString } from "../src/terraform/values.js";
import { partText, isAwsRequest, requestLabel, groupProblem, keyProblem } from "../src/engine/queries/flyte.js";

export default defineRule({
  id: "flyte/secret-request-malformed",
  level: "error",
  securitySeverity: 4.0,
  tags: ["flyte", "union", "aws", "secrets-manager", "correctness"],
  precision: "high",
  title: "A flytekit Secret request cannot name an AWS Secrets Manager secret",
  description:
    "Union reads an AWS Secrets Manager secret for a flytekit `Secret(group=…, key=…)` request by joining the two into the secret's ARN: " +
    "`group` must be the ARN up to and including `:secret:`, and `key` the rest, the secret's name with the 6-character suffix AWS adds. " +
    "Such secrets are mounted as files; a request that asks for `Secret.MountType.ENV_VAR` is not served. Checked for requests whose group " +
    "(or key) is a Secrets Manager ARN; parts that are unknown or hold a documentation placeholder are not judged.",
  help: {
    why:
      "The request is only resolved when the task runs: a group without the trailing `:secret:`, a key without the random suffix, or an " +
      "environment-variable mount makes the task fail in the data plane, after a successful registration.",
    bad: `SECRET = union.Secret(
    group="arn:aws:secretsmanager:us-west-2:123456789012:secret",
    key="prod/api-token",
    mount_requirement=union.Secret.MountType.ENV_VAR,
)`,
    good: `SECRET = union.Secret(
    group="arn:aws:secretsmanager:us-west-2:123456789012:secret:",
    key="prod/api-token-AbC123",
    mount_requirement=union.Secret.MountType.FILE,
)`,
    fix: "Copy the secret's ARN from the console and split it after `:secret:`: the first part (colon included) is `group`, the rest `key`. Mount it as a file.",
  },
  messages: {
    group: "{request} has group `{group}`, which is not a Secrets Manager ARN up to and including `:secret:`: {problem}.",
    key: "{request} has key `{key}`, which is not the ARN's part after `:secret:`: {problem}.",
    missing: "{request} cannot name an AWS secret: {problem}.",
    envVar: "{request} asks for the secret as an environment variable (`MountType.ENV_VAR`): Union mounts AWS Secrets Manager secrets as files only; use `MountType.FILE`.",
  },
  check(ctx) {
    for (const r of ctx.inventory.flyteSecretRequests) {
      if (!isAwsRequest(r)) continue;
      const request = requestLabel(r);
      const g = groupProblem(r);
      if (g !== undefined) {
        const text = partText(r.group.value);
        ctx.report({
          messageId: text === undefined ? "missing" : "group",
          data: { request, group: (text ?? "").replace(/\u0000/g, "…"), problem: g },
          at: r.group.value === null ? r.origin : (r.group.origin ?? r.origin),
          related: r.definedAt?.group ? [{ origin: r.definedAt.group, message: "the group's text is written here" }] : [],
        });
      }
      const k = keyProblem(r, ctx.inventory);
      if (k !== undefined) {
        const text = partText(r.key.value);
        ctx.report({
          messageId: text === undefined ? "missing" : "key",
          data: { request, key: (text ?? "").replace(/\u0000/g, "…"), problem: k },
          at: r.key.value === null ? r.origin : (r.key.origin ?? r.origin),
          related: r.definedAt?.key ? [{ origin: r.definedAt.key, message: "the key's text is written here" }] : [],
        });
      }
      if (knownString(r.mountRequirement?.value) === "ENV_VAR") {
        ctx.report({ messageId: "envVar", data: { request }, at: r.mountRequirement!.origin ?? r.origin });
      }
    }
  },
});
