// Look-ups the Sym and Apono queries make for every reference they read: the secrets with an id,
// a name or an ARN, and the literal text written in a file. A filter over every secret per
// reference was quadratic (20,000 secrets in a snapshot took 21 s; two roots of 4,000 secrets
// each, more than a minute); the index is built once per inventory, on first use, and lists
// keep the inventory's order.

import type { Inventory, LiteralString, Secret } from "../../inventory/model.js";

export interface SecretIndex {
  /** Secrets whose id is `id`. */
  withId(id: string): readonly Secret[];
  /** Secrets whose id is `ref` followed by an instance key (`ref[0]`, `ref["a"]`). */
  instancesOf(ref: string): readonly Secret[];
  /** Secrets whose name is known and is `name`. */
  named(name: string): readonly Secret[];
  /** Secrets whose ARN is known and is `arn`. */
  withArn(arn: string): readonly Secret[];
  /** Secrets whose name is not wholly known but has known pieces, or is wholly unknown. */
  readonly unknownNamed: readonly Secret[];
  /** Non-empty literal strings written in a file, by start offset. */
  literalsIn(file: string): readonly LiteralString[];
  /** The order of secrets in the inventory (to merge look-ups in inventory order). */
  order(s: Secret): number;
}

interface Built {
  secrets: number;
  literals: number;
  index: SecretIndex;
}

const built = new WeakMap<Inventory, Built>();

/** The index of an inventory's secrets (built on first use; rebuilt if secrets were added since). */
export function secretIndex(inventory: Inventory): SecretIndex {
  const have = built.get(inventory);
  if (have && have.secrets === inventory.secrets.length && have.literals === inventory.literalStrings.length) return have.index;
  const index = build(inventory);
  built.set(inventory, { secrets: inventory.secrets.length, literals: inventory.literalStrings.length, index });
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, v: V): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}

function build(inventory: Inventory): SecretIndex {
  const byId = new Map<string, Secret[]>();
  const byBase = new Map<string, Secret[]>();
  const byName = new Map<string, Secret[]>();
  const byArn = new Map<string, Secret[]>();
  const unknownNamed: Secret[] = [];
  const order = new Map<Secret, number>();
  inventory.secrets.forEach((s, i) => {
    order.set(s, i);
    push(byId, s.id, s);
    // Every prefix that ends before a `[`: `a.b[0]` is an instance of `a.b`, `m["x"].a.b[1]` of
    // `m["x"].a.b` (and, harmlessly, of `m`).
    for (let at = s.id.indexOf("["); at > 0; at = s.id.indexOf("[", at + 1)) push(byBase, s.id.slice(0, at), s);
    if (typeof s.name.value === "string") push(byName, s.name.value, s);
    else unknownNamed.push(s);
    if (typeof s.arn === "string") push(byArn, s.arn, s);
  });
  let literals: Map<string, LiteralString[]> | undefined;
  const none: readonly Secret[] = [];
  return {
    withId: (id) => byId.get(id) ?? none,
    instancesOf: (ref) => byBase.get(ref) ?? none,
    named: (name) => byName.get(name) ?? none,
    withArn: (arn) => byArn.get(arn) ?? none,
    unknownNamed,
    literalsIn(file) {
      if (!literals) {
        literals = new Map();
        for (const l of inventory.literalStrings) if (l.text !== "" && l.origin.file) push(literals, l.origin.file.path, l);
        for (const list of literals.values()) list.sort((a, b) => a.origin.file!.range.start.offset - b.origin.file!.range.start.offset);
      }
      return literals.get(file) ?? [];
    },
    order: (s) => order.get(s) ?? -1,
  };
}

/** Secrets of several look-ups, each once, in inventory order. */
export function merged(index: SecretIndex, ...lists: ReadonlyArray<readonly Secret[]>): Secret[] {
  const set = new Set<Secret>();
  for (const l of lists) for (const s of l) set.add(s);
  return [...set].sort((a, b) => index.order(a) - index.order(b));
}

