// IAM statement helpers shared by the iam/* and secret/* rules: statements of every policy,
// lists, action globs, conditions, display of partly known strings.
// They live here, not in a rule module, so that `rules/` holds only rules.

import type { Inventory, Located, Origin, PolicyDocument, PolicyStatement } from "../../inventory/model.js";
import { Failure, ObjectValue, Unknown, stringPieces, type Value } from "../../terraform/values.js";
import { actionMatches, globSource } from "../../inventory/iam-actions.js";

export { actionMatches };

// ---------------------------------------------------------------- shared IAM helpers

/** A statement with the document and policy it belongs to. */
export interface StatementRef {
  statement: PolicyStatement;
  document: PolicyDocument;
  /** What holds the document, for messages: "policy `NAME`" or "the resource policy of secret `NAME`". */
  holder: string;
  /** "identity": an IAM policy; "secret": a secret's resource policy. */
  kind: "identity" | "secret";
}

/** Every statement of every policy document in the inventory (identity policies, then secrets' resource policies). */
export function allStatements(inventory: Inventory, kinds: ReadonlyArray<"identity" | "secret"> = ["identity", "secret"]): StatementRef[] {
  const out: StatementRef[] = [];
  if (kinds.includes("identity")) {
    for (const p of inventory.iamPolicies) {
      const holder = `policy \`${typeof p.name.value === "string" ? p.name.value : (p.origin.address ?? p.id)}\``;
      for (const statement of p.document.statements) out.push({ statement, document: p.document, holder, kind: "identity" });
    }
  }
  if (kinds.includes("secret")) {
    for (const s of inventory.secrets) {
      if (!s.resourcePolicy) continue;
      for (const statement of s.resourcePolicy.statements) out.push({ statement, document: s.resourcePolicy, holder: `the resource policy of secret \`${secretLabel(s)}\``, kind: "secret" });
    }
  }
  return out;
}

/** A secret's name for messages: its name when known, else its Terraform address or id. */
export function secretLabel(s: { name: Located; origin: Origin; id: string }): string {
  return typeof s.name.value === "string" ? s.name.value : (s.origin.address ?? s.id);
}

/** True when the statement's Effect is known to be Allow. */
export function isAllow(st: PolicyStatement): boolean {
  return st.effect.value === "Allow";
}

/** True when the statement's Effect is known to be Deny. */
export function isDeny(st: PolicyStatement): boolean {
  return st.effect.value === "Deny";
}

/**
 * The items of an Action/Resource-like list: a single string counts as a list of one; a
 * partly known string (a template) is one item. `undefined` when the list itself is unknown.
 * Items that are unknown or failures are kept (callers skip what they cannot read).
 */
export function listItems(loc: Located | undefined): Value[] | undefined {
  if (!loc) return [];
  const v = loc.value;
  if (v === null || v === undefined) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap((x) => (Array.isArray(x) ? x : [x]));
  if (v instanceof Unknown && v.template) return [v];
  if (v instanceof Unknown || v instanceof Failure) return undefined;
  return [v];
}

/** True when the argument is set to something (a non-empty list or a string); undefined when unknown. */
export function isPresent(loc: Located | undefined): boolean | undefined {
  if (!loc) return false;
  const items = listItems(loc);
  if (items === undefined) return undefined;
  return items.length > 0;
}


/** A (partly known) string for messages: unknown parts as `${what}`. */
export function display(v: Value | undefined): string {
  const pieces = stringPieces(v);
  if (!pieces) return "…";
  return pieces.map((p) => (typeof p === "string" ? p : p instanceof Unknown ? `\${${p.what ?? "…"}}` : "${…}")).join("");
}

/**
 * The condition keys of a statement (`secretsmanager:ResourceTag/SymEnv`…), lower-cased;
 * `undefined` when the condition, or which keys it tests, is unknown.
 */
export function conditionKeys(loc: Located | undefined): string[] | undefined {
  if (!loc) return [];
  const c = loc.value;
  if (c === null || c === undefined) return [];
  if (!(c instanceof ObjectValue)) return undefined;
  const keys: string[] = [];
  for (const byOperator of c.entries.values()) {
    if (byOperator === null) continue;
    if (!(byOperator instanceof ObjectValue)) return undefined;
    for (const k of byOperator.keys()) keys.push(k.toLowerCase());
  }
  return keys;
}

/** The values a condition tests a key with (lower-cased key), across operators; undefined when unknown. */
export function conditionValues(loc: Located | undefined, key: string): Value[] | undefined {
  const c = loc?.value;
  if (!(c instanceof ObjectValue)) return [];
  const out: Value[] = [];
  for (const byOperator of c.entries.values()) {
    if (!(byOperator instanceof ObjectValue)) continue;
    for (const [k, v] of byOperator.entries) {
      if (k.toLowerCase() !== key) continue;
      if (v instanceof Unknown && !v.template) return undefined;
      if (Array.isArray(v)) out.push(...v);
      else out.push(v);
    }
  }
  return out;
}

/** A key for de-duplicating findings by place (one statement may be reached through several policies). */
export function originKey(o: Origin | undefined): string {
  if (!o) return "";
  const f = o.file ? `${o.file.path}:${o.file.range.start.offset}:${o.file.range.end.offset}` : "";
  const a = o.aws ? `${o.aws.arn ?? ""}@${o.aws.region ?? ""}` : "";
  return `${f}|${a}|${o.address ?? ""}`;
}

// ---------------------------------------------------------------- this rule

export const GET_SECRET_VALUE = "secretsmanager:GetSecretValue";

/** Condition keys that limit a statement to particular secrets. */
export function isScopingKey(key: string): boolean {
  return (
    key.startsWith("secretsmanager:resourcetag/") ||
    key.startsWith("aws:resourcetag/") ||
    key === "secretsmanager:secretid" ||
    key === "secretsmanager:name" ||
    key === "secretsmanager:kmskeyid" ||
    key === "secretsmanager:resource/allowrotationlambdaarn"
  );
}

export const PROBE_NAMES = ["x-AbC123", "team/app_db.prod+=,@-Qz9Yw1", "ZZZ-000000"];
export const DEFAULTS = ["arn", "aws", "secretsmanager", "us-east-1", "111122223333"];

/** The region and account a covering resource names: a value, `*` for every one, `""` when not known. */
export interface Coverage {
  region: string;
  account: string;
}

/**
 * Whether a Resource item (a known or partly known string) covers every secret of some
 * account and region: `*`, `arn:aws:secretsmanager:R:A:secret:*` and the like (tested by
 * matching the item, as an IAM glob, against sample secret ARNs). Unknown pieces are allowed
 * only inside the partition, region or account fields (a template like
 * `…:${account_id}:secret:*` still covers every secret of that account); anywhere else the
 * unknown decides and the answer is `undefined`.
 */
export function coversEverySecret(item: Value): Coverage | undefined {
  const pieces = stringPieces(item);
  if (!pieces) return undefined;
  let joined = "";
  let source = "";
  for (const p of pieces) {
    if (typeof p === "string") {
      joined += p;
      source += globSource(p);
      continue;
    }
    if (p instanceof Failure) return undefined;
    const field = joined.split(":").length - 1;
    if (field !== 1 && field !== 3 && field !== 4) return undefined;
    joined += "\u0000";
    source += "[^:]*";
  }
  const fields = joined.split(":");
  if (fields.length >= 7 && fields[0] !== "arn") return undefined;
  const concrete = (i: number) => {
    const f = fields[i];
    return f === undefined ? DEFAULTS[i] : f.replace(/\*/g, "").replace(/\?/g, "x").replace(/\u0000/g, "x");
  };
  const re = new RegExp(`^${source}$`, "s");
  for (const name of PROBE_NAMES) {
    const probe = `arn:${concrete(1)}:secretsmanager:${concrete(3)}:${concrete(4)}:secret:${name}`;
    if (!re.test(probe)) return undefined;
  }
  // What the ARN says of the region and account: a value, every one (`*`), or not known here.
  const shown = (i: number): string => {
    const f = fields[i];
    if (f === undefined || f === "" || /^\*+$/.test(f)) return "*";
    if (/[*?<>#{}\u0000]/.test(f) || /your-/i.test(f)) return "";
    return f;
  };
  return { region: shown(3), account: shown(4) };
}

/** Words for what a covering resource covers. */
export function scopeText(resource: Value, cover: Coverage): string {
  if (resource === "*") return "every secret in every account and region the principal can reach";
  const account = cover.account === "*" ? "of every account" : cover.account ? `of account ${cover.account}` : "of the account";
  const region = cover.region === "*" ? "in every region" : cover.region ? `in ${cover.region}` : "in its region";
  return `every secret ${account} ${region}`;
}
