// What the sym/* and Mage rules share: which secrets a `sym_secret` reads, the Sym tag names and
// environments, tag lookup, and how places are named in messages.
// They live here, not in a rule module, so that `rules/` holds only rules.

import type { RuleSettings } from "../../engine/rule.js";
import type { Inventory, Origin, Secret, SymAccessPolicy, SymSecret } from "../../inventory/model.js";
import { Failure, ObjectValue, Unknown, isNotKnown, stringPieces, type Value } from "../../terraform/values.js";
import { merged, secretIndex } from "./secret-index.js";

// ---------------------------------------------------------------- shared by the sym rules

/**
 * The Sym access policies in scope: the secretsmgr addon's, and policies conditioning secret
 * reads on the Sym tag (another tag's condition, like a CI role's `ResourceTag/Team`, is not
 * taken for Sym's).
 */
export function symAccessPolicies(inventory: Inventory, settings: Readonly<RuleSettings>): SymAccessPolicy[] {
  const tag = settings.symTagName.toLowerCase();
  return inventory.symAccessPolicies.filter((p) => p.from === "secretsmgr-addon" || p.tagName.toLowerCase() === tag);
}

/**
 * The tag names Sym access may condition on: the configured one (`SymEnv` by default) and those
 * of the Sym access policies in scope. A secret carrying any of them is not missing the tag.
 */
export function symTagNames(inventory: Inventory, settings: Readonly<RuleSettings>): string[] {
  const names = new Set<string>([settings.symTagName]);
  for (const p of symAccessPolicies(inventory, settings)) if (p.tagName) names.add(p.tagName);
  return [...names];
}

/**
 * Whether a Sym access policy in scope conditions on a tag whose name is unknown (the
 * secretsmgr addon's `tag_name` from a variable with no value): then no tag can be judged.
 */
export function symTagNameUnknown(inventory: Inventory): boolean {
  return inventory.iamPolicies.some(
    (p) =>
      p.kind === "module" &&
      p.document.statements.some(
        (st) => st.condition?.value instanceof Unknown && Array.isArray(st.actions?.value) && st.actions.value.includes("secretsmanager:GetSecretValue"),
      ),
  );
}

/**
 * The one Sym environment in scope, with the tag it goes in: when every Sym access policy in
 * scope (and the configuration's Sym environments) names the same, known, literal environment
 * for the same tag. Undefined when there is none, several, a pattern or an unknown: a fix
 * would have to guess (see engine/fix.ts).
 */
export function theSymEnvironment(inventory: Inventory, settings: Readonly<RuleSettings>): { tagName: string; environment: string } | undefined {
  const found = new Map<string, { tagName: string; environment: string }>();
  for (const p of symAccessPolicies(inventory, settings)) {
    const env = p.environment.value;
    if (typeof env !== "string" || env === "" || /[*?]|\$\{/.test(env)) return undefined;
    const tagName = p.tagName || settings.symTagName;
    found.set(`${tagName.toLowerCase()}\u0000${env}`, { tagName, environment: env });
  }
  for (const env of settings.symEnvironments) {
    if (env === "" || /[*?]/.test(env)) return undefined;
    found.set(`${settings.symTagName.toLowerCase()}\u0000${env}`, { tagName: settings.symTagName, environment: env });
  }
  return found.size === 1 ? [...found.values()][0] : undefined;
}

/** The secrets a `sym_secret` reads, and whether that list is certain. */
export interface SymReads {
  secrets: Secret[];
  /**
   * False when another secret might be the one read (a secret whose name is unknown could be
   * the `path`), or when the path itself is unknown: rules then say nothing.
   */
  certain: boolean;
}

/**
 * What a `sym_secret` reads: the secret its `path` refers to (`aws_secretsmanager_secret.x.name`:
 * every instance when the reference has no instance key), or the secrets whose name is the
 * known `path` (a name, or an ARN).
 */
export function secretsReadBy(inventory: Inventory, s: SymSecret): SymReads {
  const index = secretIndex(inventory);
  const path = s.path.value;
  // A full ARN names the secret with or without its 6-character suffix; accept both readings.
  const arnName = typeof path === "string" ? /^arn:[^:]*:secretsmanager:[^:]*:[^:]*:secret:(.+)$/.exec(path)?.[1] : undefined;
  const names = typeof path !== "string" || path === "" ? [] : arnName ? [...new Set([arnName, secretNameOfPath(path)])] : [path];
  // A secret whose name is unknown could be the one a written name names.
  const namesake = () => index.unknownNamed.some((x) => names.some((n) => couldBe(x.name.value, n)));
  if (s.secretRef) {
    const ref = s.secretRef;
    let secrets = [...index.withId(ref)];
    if (secrets.length === 0) secrets = [...index.instancesOf(ref)];
    // Linked by reference: certain. Linked by a name written in `path`: unless a namesake may exist.
    const byName = names.length > 0 && writtenIn(inventory, s.path.origin);
    return { secrets, certain: secrets.length > 0 && !(byName && namesake()) };
  }
  if (names.length === 0) return { secrets: [], certain: false };
  const secrets = merged(index, ...names.map((n) => index.named(n)), arnName !== undefined ? index.withArn(path as string).filter((x) => typeof x.name.value === "string") : []);
  return { secrets, certain: !namesake() };
}

/** Whether literal text is written within an argument (not only reached through references). */
export function writtenIn(inventory: Inventory, origin: Origin | undefined): boolean {
  const outer = origin?.file;
  if (!outer) return false;
  const list = secretIndex(inventory).literalsIn(outer.path);
  // The first literal starting at or after the argument, then those that start inside it.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].origin.file!.range.start.offset < outer.range.start.offset) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < list.length && list[i].origin.file!.range.start.offset <= outer.range.end.offset; i++) {
    if (list[i].origin.file!.range.end.offset <= outer.range.end.offset) return true;
  }
  return false;
}

/** The secret name a `path` names: the name itself, or the name inside a secret ARN. */
export function secretNameOfPath(path: string): string {
  const m = /^arn:[^:]*:secretsmanager:[^:]*:[^:]*:secret:(.+)$/.exec(path);
  if (!m) return path;
  // A full ARN ends in `-` and six random characters that are not part of the name.
  return m[1].replace(/-[A-Za-z0-9]{6}$/, "");
}

/** Whether a (partly) unknown string value could equal `text`. */
export function couldBe(v: Value | undefined, text: string): boolean {
  if (typeof v === "string") return v === text;
  if (typeof v !== "object" || v === null || !(v instanceof Unknown || v instanceof Failure)) {
    const pieces = stringPieces(v);
    return pieces !== undefined && pieces.join("") === text;
  }
  let re = shapes.get(v);
  if (re === undefined) {
    const pieces = stringPieces(v);
    re = pieces ? new RegExp(`^${pieces.map((p) => (typeof p === "string" ? p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : "[\\s\\S]*")).join("")}$`) : null;
    shapes.set(v, re);
  }
  return re !== null && re.test(text);
}

/** The pattern of each partly known name, made once (a name is compared with every written path). */
const shapes = new WeakMap<Unknown | Failure, RegExp | null>();

export type TagLookup =
  | { state: "unknown" }
  | { state: "absent" }
  | { state: "present"; key: string; value: Value; origin: Origin };

/**
 * A tag of a secret, by any of `names` (compared without case, as IAM compares the tag key
 * of `aws:ResourceTag/…`). Unknown when the tags are not known as a whole.
 */
export function lookupTag(secret: Secret, names: readonly string[]): TagLookup {
  const tags = secret.tags.value;
  if (tags === null || tags === undefined) return { state: "absent" };
  if (isNotKnown(tags) || !(tags instanceof ObjectValue)) return { state: "unknown" };
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  for (const key of tags.keys()) {
    if (wanted.has(key.toLowerCase())) {
      return { state: "present", key, value: tags.get(key) as Value, origin: secret.tagOrigins.get(key) ?? secret.tags.origin ?? secret.origin };
    }
  }
  return { state: "absent" };
}

/** A place, for messages: `file:line`, else the ARN, else the address. */
export function where(origin: Origin | undefined): string {
  if (!origin) return "an unknown place";
  if (origin.file) return `${origin.file.path}:${origin.file.range.start.line}`;
  if (origin.aws?.arn) return origin.aws.arn;
  return origin.address ?? "an unknown place";
}

/** A secret, for messages: its Terraform address and its name when known, or its ARN. */
export function secretLabel(secret: Secret): string {
  const name = typeof secret.name.value === "string" ? secret.name.value : undefined;
  if (secret.origin.address) return name ? `${secret.origin.address} ("${name}")` : secret.origin.address;
  return name ?? secret.id;
}

/**
 * The secrets that `fails` condemns, with the sym_secrets that read them. A sym_secret whose
 * path may name several secrets (instances of one resource, namesakes in other regions)
 * counts only when every one of them fails: any of them could be the one Sym reads.
 */
export function failingSymReads(inventory: Inventory, fails: (secret: Secret) => boolean): Map<Secret, SymSecret[]> {
  const out = new Map<Secret, SymSecret[]>();
  for (const s of inventory.symSecrets) {
    const reads = secretsReadBy(inventory, s);
    if (!reads.certain || reads.secrets.length === 0 || !reads.secrets.every(fails)) continue;
    for (const secret of reads.secrets) {
      const list = out.get(secret);
      if (list) list.push(s);
      else out.set(secret, [s]);
    }
  }
  return out;
}

/** `a`, `a` and `b`, `a`, `b` and `c`. */
export function listing(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

// ---------------------------------------------------------------- the rule
