// Links to declared secrets, decided when every root module's secrets are known.
//
// A scan collects its root modules one at a time (sources/terraform/index.ts), and lets each
// root's syntax trees and module instances go before the next: memory grows with the largest
// root module, not with the tree. A reference may name a secret of another root module, by its
// name or ARN (secrets.ts, "Linking a reference to a secret"): a `sym_secret` in one stack, the
// secret in another. Such a link cannot be decided while its own root is collected. So the
// collectors do not apply a link; they hand it to the scan's SecretLinks with what follows from
// it (a version joins its secret, a rotation turns rotation on, a policy becomes the secret's
// resource policy, a Sym or Apono reference gets the secret's id), and SecretLinks decides the
// link once every root is in, and applies those consequences kind by kind, each kind in the
// order of the roots and, within a root, in the order the collector met them: the order a
// collection of every root at once would have applied them in, so the inventory is the same.
//
// Everything kept here is plain data (names, regions, numbers for module instances, inventory
// entries): no syntax tree, no module instance.
//
// A collection of one context alone (buildContext, as the collectors' own tests use it) links
// at once, against that context's secrets (see `immediateLinks`).

import type { PolicyDocument, Secret } from "../../inventory/model.js";
import type { ModuleInstance } from "../../terraform/module.js";
import type { Value } from "../../terraform/values.js";

/** A declared secret as links see it. */
export interface SecretEntry {
  /** Its inventory id (CollectContext.idOf). */
  id: string;
  /** Its name, when written (`name = …`) and known. */
  name?: string;
  /** Its region (ResourceInstance.region). */
  region: Value;
  /** Its module instance and root module instance, as numbers (see instanceNumber). */
  module: number;
  root: number;
  /** The directory of its root module (rotations of a root whose secret is not known: see secrets.ts). */
  rootModuleDir: string;
  /** The inventory entry, once collectSecrets made it. */
  secret?: Secret;
}

/** A link by value: a known secret name, or the name in a (partly known) ARN. */
export interface ValueQuery {
  name: string;
  /** The region the ARN names, when known. */
  region?: string;
  fromArn: boolean;
  /** The module instance and root of what refers (same-module, then same-root secrets are preferred). */
  module: number;
  root: number;
}

/**
 * What an argument refers to (secrets.ts linkSecret): by syntax, the secrets of its own module
 * instance (`local`) and, through data sources, secrets by value (`queries`); when those give
 * none, secrets by the argument's own value (`fallback`).
 */
export interface SecretLink {
  local: SecretEntry[];
  queries: ValueQuery[];
  fallback?: ValueQuery;
}

/** A secret policy's targets (IamCollector): by reference, else every secret its known ARN or name matches. */
export interface PolicyTargets {
  local: Secret[];
  /** The `secret_arn` text, when known, for matching by value (used when `local` is empty). */
  text?: string;
}

/** The kinds of consequences, in the order a collection of every root at once applies them. */
const KINDS = ["version", "rotation", "rotation-fixup", "shape", "policy", "sym", "apono"] as const;
export type LinkKind = (typeof KINDS)[number];

export interface Links {
  /** Registers a root's declared secret (collectSecrets makes its inventory entry). */
  declare(entry: SecretEntry): void;
  /** Applies `then` to the secrets a link reaches, once they are known. */
  when(kind: LinkKind, link: SecretLink, then: (targets: SecretEntry[]) => void): void;
  /** Runs `fn` after every consequence of the kinds before `kind`. */
  after(kind: LinkKind, fn: () => void): void;
  /** Rotations whose secret is not known, by root module directory (secrets.ts). */
  readonly unlinkedRotationRoots: Set<string>;
  /** Whether an explicit secret policy met before now reaches `secret` (then its own `policy` argument does not count). */
  hasExplicitPolicy(secret: Secret): boolean;
  /** An `aws_secretsmanager_secret_policy`: its document becomes each target's resource policy. */
  explicitPolicy(targets: PolicyTargets, doc: PolicyDocument): void;
  /** A secret's own `policy` argument (only when no explicit policy reached it before). */
  ownPolicy(secret: Secret, doc: PolicyDocument): void;
}

// ---------------------------------------------------------------- module instance numbers

const numbers = new WeakMap<ModuleInstance, number>();
let nextNumber = 1;

/** A number for a module instance, the same for the whole run (identity without holding the instance). */
export function instanceNumber(m: ModuleInstance): number {
  let n = numbers.get(m);
  if (n === undefined) {
    n = nextNumber++;
    numbers.set(m, n);
  }
  return n;
}

// ---------------------------------------------------------------- matching

/** The secrets a query reaches among `byName`, as secrets.ts links by value. */
function byValue(byName: ReadonlyMap<string, SecretEntry[]>, q: ValueQuery): SecretEntry[] {
  let candidates = byName.get(q.name) ?? [];
  if (candidates.length === 0 && q.fromArn) {
    const stripped = /^(.*)-[A-Za-z0-9]{6}$/.exec(q.name)?.[1];
    if (stripped) candidates = byName.get(stripped) ?? [];
  }
  if (q.region !== undefined) candidates = candidates.filter((c) => typeof c.region !== "string" || c.region === q.region);
  // Several: prefer those of the same module instance, then of the same root module.
  if (candidates.length > 1) {
    const local = candidates.filter((c) => c.module === q.module);
    if (local.length > 0) candidates = local;
  }
  if (candidates.length > 1) {
    const sameRoot = candidates.filter((c) => c.root === q.root);
    if (sameRoot.length > 0) candidates = sameRoot;
  }
  return candidates;
}

function resolve(byName: ReadonlyMap<string, SecretEntry[]>, link: SecretLink): SecretEntry[] {
  const out = new Set<SecretEntry>(link.local);
  for (const q of link.queries) for (const e of byValue(byName, q)) out.add(e);
  if (out.size > 0) return [...out];
  return link.fallback ? byValue(byName, link.fallback) : [];
}

/** Whether a secret policy's `secret_arn` (known text) names a secret (IamCollector's matching by value). */
export function policyTextMatches(text: string, secret: Secret): boolean {
  const m = /^arn:[^:]+:secretsmanager:([^:]*):[^:]*:secret:(.+)$/.exec(text);
  if (typeof secret.arn === "string" && secret.arn === text) return true;
  if (m) {
    const name = typeof secret.name.value === "string" ? secret.name.value : undefined;
    const region = typeof secret.region.value === "string" ? secret.region.value : undefined;
    return name !== undefined && (m[2] === name || (m[2].length === name.length + 7 && m[2].startsWith(name + "-"))) && (region === undefined || region === m[1]);
  }
  return secret.name.value === text;
}

function policyTargets(t: PolicyTargets, secrets: readonly Secret[]): Secret[] {
  if (t.local.length > 0 || t.text === undefined) return t.local;
  return secrets.filter((s) => policyTextMatches(t.text as string, s));
}

function addTo(byName: Map<string, SecretEntry[]>, entry: SecretEntry): void {
  if (entry.name === undefined) return;
  const list = byName.get(entry.name);
  if (list) list.push(entry);
  else byName.set(entry.name, [entry]);
}

// ---------------------------------------------------------------- at once

/**
 * Links decided at once, against the secrets declared so far (every secret of the context is
 * declared before anything links: collectSecrets declares them first, and secretIndex declares
 * the rest when a collector that links runs alone).
 */
export function immediateLinks(secrets: () => readonly Secret[]): Links {
  const byName = new Map<string, SecretEntry[]>();
  return {
    declare: (entry) => addTo(byName, entry),
    when: (_kind, link, then) => then(resolve(byName, link)),
    after: (_kind, fn) => fn(),
    unlinkedRotationRoots: new Set(),
    hasExplicitPolicy: (secret) => secret.resourcePolicy !== undefined,
    explicitPolicy: (targets, doc) => {
      for (const s of policyTargets(targets, secrets())) s.resourcePolicy = doc;
    },
    ownPolicy: (secret, doc) => {
      if (!secret.resourcePolicy) secret.resourcePolicy = doc;
    },
  };
}

// ---------------------------------------------------------------- once every root is in

type PolicyEvent = { kind: "explicit"; targets: PolicyTargets; doc: PolicyDocument } | { kind: "own"; secret: Secret; doc: PolicyDocument };

/** The links of a whole scan: one RootLinks per root module collection, committed when it succeeds. */
export class ScanLinks {
  private readonly byName = new Map<string, SecretEntry[]>();
  private readonly secrets: Secret[] = [];
  private readonly queued = new Map<LinkKind, Array<() => void>>(KINDS.map((k) => [k, []]));
  private readonly events: PolicyEvent[] = [];
  readonly unlinkedRotationRoots = new Set<string>();

  /** The links of one root module's collection; nothing counts until it is committed. */
  root(): RootLinks {
    return new RootLinks(this);
  }

  /** @internal */
  commit(r: RootLinks): void {
    for (const e of r.entries) {
      addTo(this.byName, e);
      if (e.secret) this.secrets.push(e.secret);
    }
    for (const [kind, fns] of r.queued) for (const fn of fns) this.queued.get(kind)!.push(fn);
    for (const e of r.events) this.events.push(e);
  }

  /** @internal Whether an explicit policy event so far (committed, or of `pending`) reaches a secret. */
  explicitReaches(secret: Secret, pending: readonly PolicyEvent[]): boolean {
    for (const list of [this.events, pending]) {
      for (const e of list) {
        if (e.kind !== "explicit") continue;
        if (e.targets.local.length > 0 ? e.targets.local.includes(secret) : e.targets.text !== undefined && policyTextMatches(e.targets.text, secret)) return true;
      }
    }
    return false;
  }

  /** @internal */
  resolve(link: SecretLink): SecretEntry[] {
    return resolve(this.byName, link);
  }

  /** Applies every consequence, kind by kind, in order. */
  finish(): void {
    for (const kind of KINDS) {
      if (kind === "policy") {
        for (const e of this.events) {
          if (e.kind === "own") {
            if (!e.secret.resourcePolicy) e.secret.resourcePolicy = e.doc;
          } else for (const s of policyTargets(e.targets, this.secrets)) s.resourcePolicy = e.doc;
        }
      }
      for (const fn of this.queued.get(kind)!) fn();
    }
  }
}

/** One root module's links (see ScanLinks). */
export class RootLinks implements Links {
  /** @internal */ readonly entries: SecretEntry[] = [];
  /** @internal */ readonly queued = new Map<LinkKind, Array<() => void>>();
  /** @internal */ readonly events: PolicyEvent[] = [];

  constructor(private readonly scan: ScanLinks) {}

  get unlinkedRotationRoots(): Set<string> {
    return this.scan.unlinkedRotationRoots;
  }

  declare(entry: SecretEntry): void {
    this.entries.push(entry);
  }

  private queue(kind: LinkKind, fn: () => void): void {
    const list = this.queued.get(kind);
    if (list) list.push(fn);
    else this.queued.set(kind, [fn]);
  }

  when(kind: LinkKind, link: SecretLink, then: (targets: SecretEntry[]) => void): void {
    this.queue(kind, () => then(this.scan.resolve(link)));
  }

  after(kind: LinkKind, fn: () => void): void {
    this.queue(kind, fn);
  }

  hasExplicitPolicy(secret: Secret): boolean {
    return this.scan.explicitReaches(secret, this.events);
  }

  explicitPolicy(targets: PolicyTargets, doc: PolicyDocument): void {
    this.events.push({ kind: "explicit", targets, doc });
  }

  ownPolicy(secret: Secret, doc: PolicyDocument): void {
    this.events.push({ kind: "own", secret, doc });
  }

  commit(): void {
    this.scan.commit(this);
  }
}
