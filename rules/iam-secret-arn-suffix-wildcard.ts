// iam/secret-arn-suffix-wildcard: a secret ARN in a policy Resource that ends `NAME-*` or
// `NAME*`. Secrets Manager appends 6 random characters to every ARN; `-*` stands for them but
// also matches every other secret whose name starts with NAME- (`prod/db-*` matches
// `prod/db-readonly-AbC123`). `NAME-??????` matches exactly the one secret. Silent when the
// scanned secrets are named past NAME- and none is NAME: the prefix is then the point.

import { defineRule } from "../src/engine/rule.js";
import type { Located, Secret } from "../src/inventory/model.js";
import { Failure, stringPieces, type StringPiece, type Value } from "../src/terraform/values.js";
import { allStatements, display, listItems } from "../src/engine/queries/iam.js";

/**
 * For a (partly known) Secrets Manager ARN whose name ends in a wildcard after a name prefix,
 * the name stem and the suggested `-??????` form; undefined otherwise (or when an unknown
 * part decides).
 */
export function suffixWildcard(item: Value): { stem: string; suggestion: string; knownStem?: string } | undefined {
  const pieces = stringPieces(item);
  if (!pieces || pieces.some((p) => p instanceof Failure)) return undefined;
  const joined = markedText(pieces);
  const fields = joined.split(":");
  if (fields.length < 7 || fields[0] !== "arn" || fields[2] !== "secretsmanager" || fields[5] !== "secret") return undefined;
  const name = fields.slice(6).join(":");
  const m = /^(.*?)\*+$/s.exec(name);
  if (!m) return undefined;
  const stem = m[1];
  if (stem === "" || /[*?]/.test(stem)) return undefined; // `secret:*` is iam/secret-read-wildcard's; other globs are deliberate
  const last = stem[stem.length - 1];
  if (last === "\u0000" || last === "/") return undefined; // an unknown decides, or a path prefix (`prod/*`) chosen on purpose
  if (stem.replace(/-$/, "") === "") return undefined;
  // The same slices, shown with the unknown parts as `${what}`.
  const shownStem = display(item).split(":").slice(6).join(":").replace(/\*+$/, "");
  const shownBase = shownStem.endsWith("-") ? shownStem.slice(0, -1) : shownStem;
  return { stem: shownStem, suggestion: `${shownBase}-??????`, knownStem: stem.includes("\u0000") ? undefined : stem };
}

/** A partly known string's text, each part not known shown as U+0000. */
function markedText(pieces: readonly StringPiece[]): string {
  return pieces.map((p) => (typeof p === "string" ? p : "\u0000")).join("");
}

/** The scanned secrets' names as {@link markedText} shows them (those that are strings, known or not). */
function secretNames(secrets: readonly Secret[]): string[] {
  const out: string[] = [];
  for (const secret of secrets) {
    const pieces = stringPieces(secret.name.value);
    if (pieces) out.push(markedText(pieces));
  }
  return out;
}

/**
 * Whether the scanned secrets' names go on past `stem` (they start with it and hold more: a
 * `name_prefix`, a random or per-key part) while none is named `stem` without its last `-`:
 * the wildcard then stands for those secrets on purpose (a module granting its own secrets by
 * their common prefix), not for the 6 characters of one secret. A name partly unknown counts
 * by its known start.
 */
export function namesGoOnPast(stem: string, names: readonly string[]): boolean {
  const one = stem.endsWith("-") ? stem.slice(0, -1) : stem;
  let past = false;
  for (const name of names) {
    if (name === one) return false;
    if (name.length > stem.length && name.startsWith(stem)) past = true;
  }
  return past;
}

export default defineRule({
  id: "iam/secret-arn-suffix-wildcard",
  level: "warning",
  securitySeverity: 4.0,
  tags: ["security", "iam", "secretsmanager", "least-privilege"],
  precision: "high",
  title: "Secret ARN ends in a wildcard that also matches other secrets",
  description:
    "A Secrets Manager ARN in a policy Resource ending `NAME-*` or `NAME*` matches the secret NAME and every other secret whose name starts with NAME (`prod/db-*` also matches `prod/db-admin`). Use `NAME-??????`: Secrets Manager appends exactly 6 random characters. Silent when the scanned secrets are named past NAME (a `name_prefix`, a per-key or random part) and none is named NAME: the wildcard then grants them on purpose.",
  help: {
    why:
      "Secret ARNs end in a hyphen and 6 random characters (`prod/db-AbC123`). `prod/db-*` is the usual way to stand for them, but it also matches `prod/db-admin-XyZ789`, so the policy grants more secrets than the one intended, including ones created later.",
    bad: `data "aws_iam_policy_document" "read_db" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-*"]
  }
}`,
    good: `data "aws_iam_policy_document" "read_db" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-??????"]
  }
}`,
    fix: "End the ARN with `-??????` (exactly the 6 random characters), or refer to the secret's `arn` attribute.",
  },
  messages: {
    suffixWildcard:
      "`{arn}` also matches every other secret whose name starts with `{stem}`; use `{suggestion}` to match the one secret (Secrets Manager appends exactly 6 characters)",
  },
  check(ctx) {
    const lists: Located[] = [];
    for (const ref of allStatements(ctx.inventory)) {
      if (ref.statement.resources) lists.push(ref.statement.resources);
    }
    let names: string[] | undefined; // made at the first wildcard, once
    for (const loc of lists) {
      for (const item of listItems(loc) ?? []) {
        const hit = suffixWildcard(item);
        if (!hit || !loc.origin) continue;
        if (hit.knownStem !== undefined && namesGoOnPast(hit.knownStem, (names ??= secretNames(ctx.inventory.secrets)))) continue;
        ctx.report({ messageId: "suffixWildcard", data: { arn: display(item), stem: hit.stem, suggestion: hit.suggestion }, at: loc.origin });
      }
    }
  },
});
