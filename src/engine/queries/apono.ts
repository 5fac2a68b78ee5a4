// What the Apono, Flyte, Mage and region rules share: which secrets an Apono integration reads,
// AWS-style secret matching (name, full or partial ARN), and how places are named in messages.
// They live here, not in a rule module, so that `rules/` holds only rules.

import type { RuleSettings } from "../../engine/rule.js";
import type { AponoSecretRef, Inventory, Origin, Secret } from "../../inventory/model.js";
import { isObject, knownPrefix, knownString, knownSuffix, type Value } from "../../terraform/values.js";
import { merged, secretIndex } from "./secret-index.js";

export const APONO_TAG = "apono-connector-read";

// ---------------------------------------------------------------- shared helpers

/** Something that reads a secret: an Apono integration (or config entry), or a name pattern. */
export interface SecretReader {
  /** For messages: "Apono integration `apono_integration.db`". */
  label: string;
  origin?: Origin;
  ref?: AponoSecretRef;
  pattern?: string;
}

/** `path:line` of a file origin, the ARN/region of an AWS one, else `fallback`. */
export function describeOrigin(o: Origin | undefined, fallback = "an unknown place"): string {
  if (o?.file) return `${o.file.path}:${o.file.range.start.line}`;
  if (o?.aws?.arn) return o.aws.arn;
  if (o?.aws?.region) return `the account (${o.aws.region})`;
  return fallback;
}

/** A secret's name for messages: its known name, else its address or ARN. */
export function secretLabel(s: Secret): string {
  return knownString(s.name.value) ?? s.id;
}

/** An Apono reference for messages. */
export function aponoRefLabel(ref: AponoSecretRef): string {
  if (ref.via === "config") return "the Apono configuration";
  if (ref.via === "tag") return "the Apono connector (the secret is tagged for it)";
  return `Apono integration \`${ref.origin.address ?? ref.id}\``;
}

/**
 * A name pattern from configuration, matched against a whole secret name: `*` (or `**`) is any
 * run of characters, `/` included (as in IAM resource patterns: `apono/*` covers
 * `apono/prod/db`), `?` is one character.
 */
export function namePatternMatches(pattern: string, name: string): boolean {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") {
      while (pattern[i + 1] === "*") i++;
      re += ".*";
    } else if (c === "?") re += ".";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "s").test(name);
}

/** The fields of a (partly known) Secrets Manager ARN that are known. */
export interface ArnFields {
  partition?: string;
  region?: string;
  account?: string;
  /** The resource part after `:secret:`: a name, or a name with the 6-character suffix. */
  name?: string;
}

/**
 * Known fields of an ARN-like value, or undefined when it is not (known to be) an ARN. Leading
 * fields come from the known prefix (only fields followed by a `:` within it); the name from
 * the known suffix after `:secret:` (secret names cannot hold a colon).
 */
export function arnFields(v: Value | undefined): ArnFields | undefined {
  const prefix = knownPrefix(v);
  if (!prefix.startsWith("arn:")) return undefined;
  const out: ArnFields = {};
  const complete = prefix.split(":");
  complete.pop(); // the last field may go on into an unknown piece
  if (complete[2] !== undefined && complete[2] !== "secretsmanager") return undefined;
  if (complete[1]) out.partition = complete[1];
  if (complete[3] !== undefined) out.region = complete[3];
  if (complete[4] !== undefined) out.account = complete[4];
  const suffix = knownSuffix(v);
  const at = suffix.indexOf(":secret:");
  if (at >= 0) {
    const name = suffix.slice(at + ":secret:".length);
    if (name !== "" && !name.includes(":")) out.name = name;
  }
  return out;
}

export function secretAccount(s: Secret): string | undefined {
  return s.origin.aws?.account ?? arnFields(s.arn)?.account;
}

export function secretPartition(s: Secret): string | undefined {
  return arnFields(s.arn)?.partition;
}

/** Both known and different: a contradiction. Unknown on either side is no contradiction. */
export function differ(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}

/**
 * The declared secrets a secret id names, as AWS resolves it: a name; a full ARN (name plus
 * `-` and 6 characters); or a partial ARN (name without the suffix). Known region, account or
 * partition in the ARN that contradict the secret's rule it out; unknown ones do not.
 */
export function secretsNamedBy(inventory: Inventory, id: Value): Secret[] {
  const plain = knownString(id);
  const index = secretIndex(inventory);
  if (plain !== undefined && !plain.startsWith("arn:")) return [...index.named(plain)];
  const arn = arnFields(id);
  if (!arn?.name) return [];
  const name = arn.name;
  const withoutSuffix = /^(.+)-[A-Za-z0-9]{6}$/.exec(name)?.[1];
  return merged(index, index.named(name), withoutSuffix !== undefined ? index.named(withoutSuffix) : []).filter((s) => {
    if (differ(arn.region, knownString(s.region.value))) return false;
    if (differ(arn.account, secretAccount(s))) return false;
    if (differ(arn.partition, secretPartition(s))) return false;
    return true;
  });
}

/**
 * The secrets an Apono reference reads: the one it refers to, or those its secret id names.
 * When several match by name and the reference's region is known, those in that region win
 * (a same-named secret elsewhere is another secret, not the one read).
 */
export function secretsReadByRef(inventory: Inventory, ref: AponoSecretRef): Secret[] {
  if (ref.secretRef !== undefined) return [...secretIndex(inventory).withId(ref.secretRef)];
  const found = secretsNamedBy(inventory, ref.secretId.value);
  const region = knownString(ref.region.value);
  if (region !== undefined && found.length > 1) {
    const inRegion = found.filter((s) => knownString(s.region.value) === region);
    if (inRegion.length > 0) return inRegion;
  }
  return found;
}

/** Every secret Apono reads, with what reads it, in inventory order. */
export function aponoReadSecrets(inventory: Inventory, settings: Readonly<RuleSettings>): Array<{ secret: Secret; readers: SecretReader[] }> {
  const readers = new Map<Secret, SecretReader[]>();
  const add = (s: Secret, r: SecretReader) => {
    const list = readers.get(s) ?? [];
    list.push(r);
    readers.set(s, list);
  };
  for (const ref of inventory.aponoSecretRefs) {
    for (const s of secretsReadByRef(inventory, ref)) add(s, { label: aponoRefLabel(ref), origin: ref.origin, ref });
  }
  for (const s of inventory.secrets) {
    const name = knownString(s.name.value);
    if (name === undefined) continue;
    const pattern = settings.aponoSecretPatterns.find((p) => namePatternMatches(p, name));
    if (pattern !== undefined) add(s, { label: `the Apono secret pattern \`${pattern}\` (config \`apono.secrets\`)`, pattern });
  }
  return inventory.secrets.filter((s) => readers.has(s)).map((secret) => ({ secret, readers: readers.get(secret)! }));
}

/** "X" or "X (and 2 more)". */
export function readersLabel(readers: SecretReader[]): string {
  return readers.length === 1 ? readers[0].label : `${readers[0].label} (and ${readers.length - 1} more)`;
}

/** Related locations: where each reader is declared. */
export function readerRelated(readers: SecretReader[]): Array<{ origin: Origin; message: string }> {
  return readers.filter((r) => r.origin).map((r) => ({ origin: r.origin!, message: `read by ${r.label}` }));
}

/** Tag keys that differ from `key` only by surrounding spaces (and perhaps case). */
export function nearMissKeys(keys: string[], key: string): string[] {
  return keys.filter((k) => k !== key && k.trim().toLowerCase() === key.toLowerCase());
}

// ---------------------------------------------------------------- the rule
