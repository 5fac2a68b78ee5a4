// sym/cmk-without-decrypt: a secret a `sym_secret` reads is encrypted with a customer-managed
// KMS key, and no IAM statement in scope allows `kms:Decrypt` on that key. Reading the secret
// needs both GetSecretValue and Decrypt on its key; the Sym access policy grants only the first.

import { defineRule } from "../src/engine/rule.js";
import type { Inventory, Origin, PolicyStatement, Secret } from "../src/inventory/model.js";
import { Unknown, stringPieces, type Value } from "../src/terraform/values.js";
import { failingSymReads, listing, secretLabel, where } from "../src/engine/queries/sym.js";

/** A customer-managed key as far as it is known: its text, or the resource it comes from. */
type Key = { kind: "text"; text: string } | { kind: "resource"; what: string };

/** `aws_kms_key.x.arn`, `aws_kms_alias.x.arn` and the like: customer-managed by definition (`alias/aws/` is reserved to AWS). */
const KEY_RESOURCE = /^(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*(?:(?:aws_kms_key|aws_kms_replica_key|aws_kms_external_key|aws_kms_replica_external_key)\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.(?:arn|id|key_id)|aws_kms_alias\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.(?:arn|id|name|target_key_arn|target_key_id))$/;
const KEY_ARN = /^arn:[^:]+:kms:[^:]*:[^:]*:key\/(.+)$/;

/** The customer-managed key a secret uses, or undefined (AWS-managed, unset, or not known). */
function customerManagedKey(v: Value): Key | undefined {
  if (typeof v === "string") {
    if (v === "" || /(?:^|:)alias\/aws\//.test(v)) return undefined;
    return { kind: "text", text: v };
  }
  if (v instanceof Unknown && v.reason !== "data" && v.what && KEY_RESOURCE.test(v.what)) return { kind: "resource", what: v.what };
  return undefined;
}

/** A regular expression for an IAM pattern (`*`, `?`), unknown pieces matching anything. */
function patternRegex(v: Value): RegExp | undefined {
  const pieces = stringPieces(v);
  if (!pieces) return undefined;
  const body = pieces
    .map((p) =>
      typeof p === "string"
        ? p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]")
        : "[\\s\\S]*",
    )
    .join("");
  return new RegExp(`^${body}$`, "i");
}

function listOf(v: Value): Value[] | undefined {
  if (Array.isArray(v)) return v;
  if (typeof v === "string" || v instanceof Unknown) return [v];
  return undefined;
}

/** Whether an action list could include kms:Decrypt (unknown parts could). */
function couldAllowDecryptAction(actions: Value): boolean {
  const list = listOf(actions);
  if (!list) return actions instanceof Unknown;
  return list.some((a) => {
    if (a instanceof Unknown) return true;
    const re = patternRegex(a);
    return re ? re.test("kms:Decrypt") : false;
  });
}

/** Whether a resource pattern could cover the key. */
function couldCoverKey(resource: Value, key: Key): boolean {
  if (resource instanceof Unknown && !resource.template) return true;
  const re = patternRegex(resource);
  if (!re) return false;
  if (key.kind === "text") {
    if (KEY_ARN.test(key.text)) return re.test(key.text);
    const id = key.text;
    // A key id (or alias): any pattern that could be a KMS key ARN may be this key's.
    if (typeof resource === "string" && !/[*?]/.test(resource)) {
      const m = KEY_ARN.exec(resource);
      if (!m) return false;
      return /^[0-9a-f-]{36}$/i.test(id) ? m[1].toLowerCase() === id.toLowerCase() : true;
    }
  }
  return couldBeKmsArn(resource);
}

/** Whether a (pattern, partly known) resource could be a KMS key ARN. */
function couldBeKmsArn(resource: Value): boolean {
  const re = patternRegex(resource);
  if (!re) return false;
  // Known text before the first unknown piece: `arn:aws:s3:::bucket` cannot be a KMS key.
  const pieces = stringPieces(resource) ?? [];
  const first = typeof pieces[0] === "string" ? pieces[0] : "";
  if (first === "*" || first.startsWith("*")) return true;
  const segments = first.split(":");
  if (segments.length >= 4 && segments[0].toLowerCase() === "arn") {
    const service = segments[2];
    if (!/[*?]/.test(service) && service.toLowerCase() !== "kms") return false;
  } else if (pieces.length === 1 && typeof pieces[0] === "string" && !/[*?]/.test(first)) {
    return false; // known text that is no ARN at all
  }
  return true;
}

/** Whether a statement could allow kms:Decrypt on the key. */
function couldGrant(st: PolicyStatement, key: Key): boolean {
  const effect = st.effect.value;
  if (typeof effect === "string" && effect !== "Allow") return false;
  if (st.notActions) return true;
  if (!st.actions || !couldAllowDecryptAction(st.actions.value)) return false;
  if (st.notResources || !st.resources) return true;
  const resources = listOf(st.resources.value);
  if (!resources) return st.resources.value instanceof Unknown;
  return resources.some((r) => couldCoverKey(r, key));
}

/** Whether `inner` lies within `outer` (same file). */
function within(inner: Origin, outer: Origin | undefined): boolean {
  const a = inner.file;
  const b = outer?.file;
  if (!a || !b || a.path !== b.path) return false;
  return a.range.start.offset >= b.range.start.offset && a.range.end.offset <= b.range.end.offset;
}

/**
 * Text written outside every policy the inventory holds that could grant decryption (a key
 * policy, an `aws_kms_grant`): when there is some, the rule cannot know what it grants.
 */
function unseenDecryptGrant(inventory: Inventory): boolean {
  const places: Origin[] = [];
  for (const p of inventory.iamPolicies) {
    places.push(p.origin, p.document.origin);
    for (const st of p.document.statements) places.push(st.origin);
  }
  for (const l of inventory.literalStrings) {
    const grants =
      l.text === "Decrypt" || (l.text.match(/kms:[A-Za-z*?]+/gi) ?? []).some((t) => patternRegex(t)?.test("kms:Decrypt"));
    if (grants && !places.some((p) => within(l.origin, p))) return true;
  }
  return false;
}

export default defineRule({
  id: "sym/cmk-without-decrypt",
  level: "warning",
  securitySeverity: 5.0,
  tags: ["sym", "security", "aws-secrets-manager", "kms", "iam"],
  precision: "medium",
  title: "A secret Sym reads uses a customer-managed KMS key nobody may decrypt with",
  description:
    "Reading a secret encrypted with a customer-managed KMS key needs `kms:Decrypt` on that key besides `secretsmanager:GetSecretValue`. Sym's access policy (symopsio/secretsmgr-addon) grants only the Secrets Manager actions, so unless some policy allows `kms:Decrypt` on the key, the Sym runtime's reads fail with AccessDenied.",
  help: {
    why: "Secrets Manager decrypts the value with the secret's KMS key on behalf of the caller, so the caller needs `kms:Decrypt` on a customer-managed key (the AWS-managed `aws/secretsmanager` key needs nothing). The Sym runtime role gets only `GetSecretValue`/`DescribeSecret` from the secretsmgr addon: a secret moved to a CMK stops working in Sym at request time.",
    bad: `resource "aws_kms_key" "secrets" {
  description = "Key for Sym secrets"
}

resource "aws_secretsmanager_secret" "api_key" {
  name       = "sym/main/api-key"
  kms_key_id = aws_kms_key.secrets.arn
  tags       = { SymEnv = "main" }
}

resource "sym_secret" "api_key" {
  source_id = sym_secrets.this.id
  path      = aws_secretsmanager_secret.api_key.name
}`,
    good: `data "aws_iam_policy_document" "sym_decrypt" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.secrets.arn]
  }
}

resource "aws_iam_role_policy" "sym_decrypt" {
  role   = "SymRuntimeMain"
  policy = data.aws_iam_policy_document.sym_decrypt.json
}`,
    fix: "Allow the Sym runtime role `kms:Decrypt` on the key (an IAM policy attached to the role, or the key policy), or use the AWS-managed `aws/secretsmanager` key.",
  },
  messages: {
    noDecrypt:
      "Secret {secret} is read by {symSecrets} and encrypted with the customer-managed KMS key {key} (set at {keyAt}), but no IAM statement in scope allows `kms:Decrypt` on it: the Sym runtime's reads will fail with AccessDenied. Allow the Sym runtime role `kms:Decrypt` on the key.",
  },
  check(ctx) {
    const inventory = ctx.inventory;
    // A policy whose statements are not known could grant anything.
    if (inventory.iamPolicies.some((p) => !p.document.complete)) return;
    const statements = inventory.iamPolicies.flatMap((p) => p.document.statements);
    let unseen: boolean | undefined;
    const fails = (secret: Secret): boolean => {
      const key = customerManagedKey(secret.kmsKeyId.value);
      if (!key) return false;
      if (statements.some((st) => couldGrant(st, key))) return false;
      unseen ??= unseenDecryptGrant(inventory);
      return !unseen;
    };
    for (const [secret, readers] of failingSymReads(inventory, fails)) {
      const key = customerManagedKey(secret.kmsKeyId.value) as Key;
      const at = secret.kmsKeyId.origin ?? secret.origin;
      ctx.report({
        messageId: "noDecrypt",
        data: {
          secret: secretLabel(secret),
          symSecrets: listing(readers.map((r) => r.id)),
          key: key.kind === "text" ? `"${key.text}"` : `\`${key.what}\``,
          keyAt: where(at),
        },
        at,
        related: readers.map((r) => ({ origin: r.path.origin ?? r.origin, message: `${r.id} reads the secret here` })),
      });
    }
  },
});
