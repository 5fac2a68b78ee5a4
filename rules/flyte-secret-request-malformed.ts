// flyte/secret-request-malformed: a flytekit `Secret(...)` request for an AWS Secrets Manager
// secret that Union cannot resolve: `group` is not the secret's ARN up to and including
// `:secret:`, `key` is not the rest (the name with AWS's 6-character suffix), or the mount
// requirement is `ENV_VAR`. Parts that are unknown, or hold a documentation placeholder
// (secret/placeholder-value's), are not judged.
//
// This module also holds what the Flyte rules share: which requests are for AWS Secrets
// Manager, and the ARN a request names.

import { defineRule } from "../src/engine/rule.js";
import type { FlyteSecretRequest, Inventory, Secret } from "../src/inventory/model.js";
import { Failure, joinPieces, knownString, stringPieces, type StringPiece, type Value } from "../src/terraform/values.js";
import { describeOrigin, secretsNamedBy } from "./apono-read-tag-missing.js";
import { checkSecretArn } from "./iam-invalid-secret-arn.js";
import { findPlaceholders } from "./secret-placeholder-value.js";

// ---------------------------------------------------------------- shared by the flyte rules

const UNKNOWN = "\u0000";

/** A part's text with each unknown stretch as one NUL; undefined when it is not a string. */
export function partText(v: Value | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  const pieces = stringPieces(v);
  if (!pieces || pieces.some((p) => p instanceof Failure)) return undefined;
  return pieces.map((p) => (typeof p === "string" ? p : UNKNOWN)).join("");
}

/** Text a person is meant to replace: the guides' placeholders, or anything in `<…>` or `{{…}}`. */
export function hasPlaceholder(text: string): boolean {
  return findPlaceholders(text).length > 0 || /<[^>]*>|\{\{/.test(text);
}

/** Whether a request is for an AWS Secrets Manager secret: its group (or key) is a Secrets Manager ARN. */
export function isAwsRequest(r: FlyteSecretRequest): boolean {
  const g = partText(r.group.value) ?? "";
  const k = partText(r.key.value) ?? "";
  const arnLike = (t: string) => /^arn:/i.test(t) && (/:secretsmanager:/i.test(t) || /:secret:/i.test(t));
  return arnLike(g) || (g === "" && arnLike(k));
}

/** The ARN a request names (`group` + `key`), partly known; undefined without both. */
export function requestArn(r: FlyteSecretRequest): Value | undefined {
  const g = stringPieces(r.group.value ?? undefined);
  const k = stringPieces(r.key.value ?? undefined);
  if (!g || !k || r.group.value === null || r.key.value === null) return undefined;
  return joinPieces([...g, ...k] as StringPiece[]);
}

/** The declared (or live) secrets a request names, matched as AWS matches a full or partial ARN. */
export function secretsRequested(inventory: Inventory, r: FlyteSecretRequest): Secret[] {
  const arn = requestArn(r);
  return arn === undefined ? [] : secretsNamedBy(inventory, arn);
}

/** A request, for messages. */
export function requestLabel(r: FlyteSecretRequest): string {
  return `The flytekit Secret request at ${describeOrigin(r.origin)}`;
}

// ---------------------------------------------------------------- the checks

/** What is wrong with a group, or undefined (fine, or not judged). */
function groupProblem(r: FlyteSecretRequest): string | undefined {
  const g = partText(r.group.value);
  if (g === undefined) {
    if (r.group.value === null) {
      const k = knownString(r.key.value);
      if (k !== undefined && /^arn:/i.test(k) && !hasPlaceholder(k)) {
        return "there is no `group`, and `key` holds the whole ARN: split it after `:secret:` (group = the ARN up to and including `:secret:`, key = the rest)";
      }
    }
    return undefined;
  }
  if (hasPlaceholder(g)) return undefined;
  const at = g.indexOf(":secret:");
  if (at >= 0) {
    const after = g.slice(at + ":secret:".length);
    if (after !== "" && !after.startsWith(UNKNOWN)) {
      return `it holds the secret's name as well (\`${after.replace(/\u0000/g, "…")}\` after \`:secret:\`): that part belongs in \`key\``;
    }
  } else if (!g.endsWith(UNKNOWN)) {
    if (/:secret$/.test(g)) return "it must end with `:secret:`, the last colon included";
    return "it must end with `:secret:`";
  }
  // Fields of the whole ARN (partition, service, region, account), as iam/invalid-secret-arn judges them.
  const arn = requestArn(r);
  const check = arn === undefined ? undefined : checkSecretArn(arn);
  const fieldProblems = (check?.problems ?? []).filter((p) => !/secret name|secret:NAME|resource type/.test(p));
  return fieldProblems.length > 0 ? fieldProblems.join("; ") : undefined;
}

/** What is wrong with a key, or undefined. */
function keyProblem(r: FlyteSecretRequest, inventory: Inventory): string | undefined {
  if (r.key.value === null) {
    if (partText(r.group.value)?.includes(":secret:")) return "there is no `key`: it must be the secret's name with its 6-character suffix (the ARN's part after `:secret:`)";
    return undefined;
  }
  // No group: the group's finding says how to split the key (one finding per mistake).
  if (r.group.value === null) return undefined;
  const k = partText(r.key.value);
  if (k === undefined || hasPlaceholder(k)) return undefined;
  if (/^arn:/i.test(k) && partText(r.group.value) !== undefined) return "it holds an ARN: `key` is only the part after `:secret:` (the name and its 6-character suffix)";
  if (k.includes(":") && !k.includes(UNKNOWN)) return "it holds a `:`; `key` is only the part after `:secret:` (the name and its 6-character suffix)";
  // The suffix: `-` and six letters or digits, when the end of the key is known.
  const tail = k.split(UNKNOWN).pop() ?? "";
  if (k.includes(UNKNOWN) && tail.length < 7) return undefined;
  if (/-[A-Za-z0-9]{6}$/.test(tail)) return undefined;
  const declared = k.includes(UNKNOWN) ? [] : inventory.secrets.filter((s) => knownString(s.name.value) === k);
  const where = declared.length > 0 ? ` (it is the name of the secret declared at ${describeOrigin(declared[0].origin)})` : "";
  return `it has no 6-character suffix${where}: AWS appends \`-\` and six random characters to the name in the secret's ARN, and Union needs the whole of it`;
}

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
