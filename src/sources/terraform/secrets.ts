// Terraform → inventory: AWS Secrets Manager secrets (`aws_secretsmanager_secret`), their
// versions (`aws_secretsmanager_secret_version`: how the value is set and its shape, never the
// value) and rotations. Also the linking helpers the Sym and Apono collectors use to find the
// secret an expression refers to.
//
// Linking a reference to a secret:
// - by syntax first: a traversal `aws_secretsmanager_secret.NAME[KEY].ATTR` in the expression
//   (through `local.X` indirections in the same module) names the declaration NAME in the same
//   module instance. KEY is evaluated in the referring scope: a known key selects that instance;
//   an unknown key, a splat or no key selects every instance of the declaration (when count or
//   for_each is unknown there is one instance, keyed "*"). Callers that need one secret
//   (`secretRef`) take the link only when it is unique.
// - `data.aws_secretsmanager_secret.X.ATTR`: the data source's `name`/`arn` argument, matched
//   by value as below.
// - else by value: a known name, or an ARN (partial ARNs and ARNs with the 6-character suffix
//   alike; known text after `:secret:`), equal to a declared secret's known name, in the same
//   region when both regions are known. Several matches: those of the same module instance,
//   else of the same root module; still several: every one (versions), none (`secretRef`).
// A version whose secret is not declared in the scan (a literal ARN of another stack, a
// variable) links nowhere and is not in the inventory: the model keeps versions on secrets.
//
// Value source (SecretVersion.source), decided from the syntax tree: the argument's expression
// and, through `local.X`, the locals it uses, and through `each.*` the resource's `for_each`:
// - any reference to `var.*` → "variable", `data.*` → "data", `ephemeral.*` → "ephemeral",
//   a managed resource (random_password…) → "resource", `module.*`, `self.*` or a local that is
//   not declared → "unknown"; when several kinds are referenced: ephemeral > resource > data >
//   variable > unknown;
// - calls to functions whose result is not written in the configuration (`file`, `templatefile`,
//   `uuid`, `timestamp`…) → "unknown";
// - otherwise (literal text, heredocs, templates of literals, `jsonencode` of literals, locals
//   of literals, `count.index`, `path.*`) → "literal".
// `secret_string_wo` is always "write-only".

import type { Block, Body, Expression, Range } from "../../hcl/ast.js";
import type { Origin, Secret, SecretVersion, ValueShape, ValueSource, Replica, Located, RotationRules } from "../../inventory/model.js";
import { findAttr, labelOf } from "../../terraform/config.js";
import { ChildScope, evaluate, type Scope } from "../../terraform/evaluate.js";
import { traversalText, type ModuleInstance, type ResourceInstance } from "../../terraform/module.js";
import { Failure, ObjectValue, Unknown, isNotKnown, joinPieces, stringPieces, unknown, type StringPiece, type Value } from "../../terraform/values.js";
import type { CollectContext, InstanceKind } from "./context.js";
import { argument, blocksOf, bodyArgument, fileOrigin, instanceOrigin, writtenOrigin } from "./context.js";
import { moduleContext, resourceContext, traceArgument, traceExpression, type Written } from "../../terraform/trace.js";
import { walkExpr } from "./literals.js";
import { dynamicIterator, forEachTraversal, traversalOf, type Traversal } from "./references.js";
import { instanceNumber, type SecretEntry, type SecretLink, type ValueQuery } from "./links.js";

const SECRET = "aws_secretsmanager_secret";

/** The instances collectSecrets (and secretIndex) read from the context's list. */
export const SECRETS_READ: readonly InstanceKind[] = ["managed aws_secretsmanager_secret", "managed aws_secretsmanager_secret_version", "managed aws_secretsmanager_secret_rotation"];

// ================================================================== collect

export function collectSecrets(ctx: CollectContext): void {
  const index = secretIndex(ctx);
  const mine: Array<{ entry: SecretEntry; secret: Secret }> = [];
  for (const inst of ctx.instances) {
    if (inst.mode !== "managed" || inst.type !== SECRET) continue;
    const secret = secretOf(inst);
    secret.id = ctx.idOf(inst);
    // By instance, not id: two root modules of a scan may declare the same address.
    const entry = index.byInst.get(inst) as SecretEntry;
    entry.secret = secret;
    mine.push({ entry, secret });
    ctx.inventory.secrets.push(secret);
  }
  // Versions (links decided when every root is known: see links.ts).
  for (const inst of ctx.instances) {
    if (inst.mode !== "managed" || inst.type !== "aws_secretsmanager_secret_version") continue;
    const version = versionOf(inst);
    if (!version) continue;
    ctx.links.when("version", linkSecret(index, inst, findAttr(inst.block.body, "secret_id")?.expr, inst.value.get("secret_id")), addVersion(version));
  }
  // Rotations. A rotation whose secret cannot be known (a module input, say) may be any
  // secret's of its root module: those without a known rotation become unknown, not "off".
  for (const inst of ctx.instances) {
    if (inst.mode !== "managed" || inst.type !== "aws_secretsmanager_secret_rotation") continue;
    const secretId = inst.value.get("secret_id");
    const rootDir = inst.module.rootModuleDir;
    const rules = rotationRulesOf(inst, inst.block.body, instanceOrigin(inst));
    ctx.links.when("rotation", linkSecret(index, inst, findAttr(inst.block.body, "secret_id")?.expr, secretId), turnRotationOn(ctx.links.unlinkedRotationRoots, typeof secretId === "string", rootDir, rules));
  }
  ctx.links.after("rotation-fixup", rotationsNotKnown(ctx.links.unlinkedRotationRoots, mine));
  ctx.links.after("shape", shapesOf(mine));
}

// What follows from a link, applied when links.ts decides it (once every root is in). Made by
// these functions, not inside a collector: a closure made there would hold the collector's
// scope (its context, module instances and syntax trees) until the end of the scan.

function addVersion(version: SecretVersion): (targets: SecretEntry[]) => void {
  return (targets) => {
    for (const t of targets) t.secret?.versions.push(version);
  };
}

function turnRotationOn(unlinked: Set<string>, knownId: boolean, rootDir: string, rules: RotationRules | undefined): (targets: SecretEntry[]) => void {
  return (targets) => {
    if (targets.length === 0 && !knownId) unlinked.add(rootDir);
    for (const t of targets) {
      const s = t.secret;
      if (!s) continue;
      s.rotationEnabled = true;
      if (rules) s.rotationRules = rules;
    }
  };
}

function rotationsNotKnown(unlinked: Set<string>, mine: Array<{ entry: SecretEntry; secret: Secret }>): () => void {
  return () => {
    if (unlinked.size > 0) for (const { entry, secret } of mine) if (secret.rotationEnabled === false && unlinked.has(entry.rootModuleDir)) secret.rotationEnabled = undefined;
  };
}

function shapesOf(mine: Array<{ entry: SecretEntry; secret: Secret }>): () => void {
  return () => {
    for (const { secret } of mine) secret.shape = combinedShape(secret.versions);
  };
}

/** Sets `secretRef` of what refers (a Sym secret, an Apono reference) when its link is decided. */
export function setSecretRef(target: { secretRef?: string }): (id: string) => void {
  return (id) => {
    target.secretRef = id;
  };
}

function secretOf(inst: ResourceInstance): Secret {
  const origin = instanceOrigin(inst);
  const body = inst.block.body;
  // `name`, else `name_prefix` and a generated suffix, else a generated name. A null or empty
  // argument is an unset one: the provider generates a name for `name = ""`.
  let name: Located;
  const given = (v: Value | undefined): boolean => v !== null && v !== undefined && v !== "";
  const prefixAttr = findAttr(body, "name_prefix");
  const prefix = prefixAttr ? inst.value.get("name_prefix") : null;
  const nameValue = inst.value.get("name");
  if (findAttr(body, "name") && nameValue !== "" && (nameValue !== null || !given(prefix))) name = argument(inst, "name");
  else if (prefixAttr && given(prefix)) {
    const pieces: StringPiece[] = [typeof prefix === "string" || prefix instanceof Unknown || prefix instanceof Failure ? prefix : unknown("dynamic", "name_prefix")];
    name = { value: joinPieces([...pieces, unknown("computed", "generated name")]), origin: fileOrigin(inst.file, prefixAttr.range, inst.address) };
  } else name = { value: nameValue === "" ? unknown("computed", "generated name") : orUnknown(nameValue), origin };
  const recovery = findAttr(body, "recovery_window_in_days")
    ? argument(inst, "recovery_window_in_days")
    : { value: 30, origin }; // the provider's default
  const { tags, tagOrigins } = tagsOf(inst);
  const secret: Secret = {
    id: inst.address,
    name,
    arn: orUnknown(inst.value.get("arn")),
    region: regionOf(inst),
    tags,
    tagOrigins,
    kmsKeyId: findAttr(body, "kms_key_id") ? argument(inst, "kms_key_id") : { value: null, origin },
    recoveryWindowInDays: recovery,
    versions: [],
    shape: { kind: "unknown" },
    replicas: replicasOf(inst),
    // Rotation configured on the secret itself (provider v2's `rotation_lambda_arn`), else
    // false until an aws_secretsmanager_secret_rotation links to it.
    rotationEnabled: findAttr(body, "rotation_lambda_arn") !== undefined || blocksOf(body, "rotation_rules").length > 0,
    origin,
  };
  const ownRules = rotationRulesOf(inst, body, origin);
  if (ownRules) secret.rotationRules = ownRules;
  const account = providerAccount(inst);
  if (account) secret.account = account;
  return secret;
}

/** The `rotation_rules` block of a body (a rotation resource's, or provider v2's secret's). */
function rotationRulesOf(inst: ResourceInstance, body: Body, fallback: Origin): RotationRules | undefined {
  const block = blocksOf(body, "rotation_rules")[0];
  if (!block) {
    // A `dynamic "rotation_rules"` block: the schedule exists but cannot be read.
    if (body.blocks.some((b) => b.blockType === "dynamic" && b.labels[0]?.value === "rotation_rules")) return { origin: fallback };
    return undefined;
  }
  const rules: RotationRules = { origin: fileOrigin(inst.file, block.range, inst.address) };
  const days = bodyArgument(inst, block.body, "automatically_after_days");
  const schedule = bodyArgument(inst, block.body, "schedule_expression");
  const duration = bodyArgument(inst, block.body, "duration");
  if (days) rules.automaticallyAfterDays = days;
  if (schedule) rules.scheduleExpression = schedule;
  if (duration) rules.duration = duration;
  return rules;
}

/**
 * The account a provider may only run in (`allowed_account_ids = ["111122223333"]`: it refuses
 * any other), so rules that compare accounts (iam/cross-account-read) know a secret's own.
 */
function providerAccount(inst: ResourceInstance): string | undefined {
  const p = providerOf(inst);
  const attr = p ? findAttr(p.block.body, "allowed_account_ids") : undefined;
  if (!p || !attr) return undefined;
  const ids = evaluate(attr.expr, p.module);
  const list = Array.isArray(ids) ? ids : [];
  return list.length === 1 && typeof list[0] === "string" && /^\d{12}$/.test(list[0]) ? list[0] : undefined;
}

function orUnknown(v: Value | undefined): Value {
  return v === undefined ? unknown("computed") : v;
}

// ================================================================== providers and regions

export interface ProviderConfig {
  block: Block;
  file: string;
  /** The module instance that declares it (its scope evaluates the provider's arguments). */
  module: ModuleInstance;
}

/**
 * The provider configuration a resource uses: its `provider` meta-argument or the default one
 * of its type's provider, found in its module or passed down by callers (`providers = {…}`,
 * or default providers inherited), as the evaluator resolves regions. Undefined when no
 * configuration is declared in the scan.
 */
export function providerOf(inst: ResourceInstance): ProviderConfig | undefined {
  const meta = findAttr(inst.block.body, "provider");
  let key = meta ? traversalText(meta.expr) : inst.type.split("_")[0];
  if (!key) return undefined;
  let m: ModuleInstance = inst.module;
  for (let depth = 0; depth < 32; depth++) {
    const d = m.config.providers.get(key);
    if (d) return { block: d.node, file: d.file, module: m };
    const parent = m.parent;
    if (!parent) return undefined;
    const call = callOf(m);
    const map = call ? findAttr(call.node.body, "providers") : undefined;
    let mapped: string | undefined;
    if (map && map.expr.type === "Object") {
      for (const item of map.expr.items) {
        const k = traversalText(item.key) ?? (item.key.type === "Template" ? templateText(item.key) : undefined);
        if (k === key) mapped = traversalText(item.value);
      }
    }
    if (mapped) key = mapped;
    else if (key.includes(".")) return undefined; // aliases are passed only explicitly
    m = parent;
  }
  return undefined;
}

/** The `module` block that calls a (child) module instance, in its parent's configuration. */
function callOf(m: ModuleInstance): { node: Block; file: string } | undefined {
  if (!m.parent) return undefined;
  const callName = /module\.([^.[]+)(?:\[[^\]]*\])?$/.exec(m.address)?.[1];
  return callName ? m.parent.config.modules.get(callName) : undefined;
}

function templateText(e: Expression): string | undefined {
  if (e.type !== "Template" || e.wrapped) return undefined;
  let s = "";
  for (const p of e.parts) {
    if (p.type !== "TemplateLiteral") return undefined;
    s += p.value;
  }
  return s;
}

/**
 * The region of a resource with where it is set: its own `region` argument (AWS provider v6),
 * else its provider's. A null `region` argument means the provider's region (Terraform's
 * semantics for a null argument), which `ResourceInstance.region` does not apply.
 */
export function regionOf(inst: ResourceInstance): Located {
  const own = findAttr(inst.block.body, "region");
  if (own && inst.type.startsWith("aws_") && inst.region !== null) return { value: inst.region, origin: fileOrigin(inst.file, own.range, inst.address) };
  const p = providerOf(inst);
  if (!p) return { value: own ? unknown("dynamic", "the provider's region") : inst.region, origin: instanceOrigin(inst) };
  const region = findAttr(p.block.body, "region");
  const value = own ? (region ? evaluate(region.expr, p.module) : unknown("dynamic", "the provider's region")) : inst.region;
  return { value, origin: region ? writtenOrigin(traceArgument(region, moduleContext(p.module, p.file), `provider ${p.block.labels[0]?.value ?? "aws"}`)) : fileOrigin(p.file, p.block.range) };
}

// ================================================================== tags

/**
 * The tags of a resource: its `tags` merged over its provider's `default_tags` (as the AWS
 * provider does), with where each key's value is written (traced through `merge(…)`, locals,
 * module variables and tfvars: see src/terraform/trace.ts). Each key's origin has the part
 * `tags.KEY`.
 */
export function tagsOf(inst: ResourceInstance): { tags: Located; tagOrigins: Map<string, Origin> } {
  const tagOrigins = new Map<string, Origin>();
  const attr = findAttr(inst.block.body, "tags");
  const own: Value = attr ? (inst.value.get("tags") ?? null) : null;
  // The map as a whole (where a missing key is reported): this resource's argument, or its
  // caller's module argument, not a local other resources share.
  const origin = attr ? writtenOrigin(traceArgument(attr, resourceContext(inst), inst.address, [], { locals: false }), inst.address) : instanceOrigin(inst);

  let defaults: Value = null;
  const p = providerOf(inst);
  const dt = p ? defaultTags(p.block.body) : undefined;
  if (p && dt) defaults = evaluate(dt.expr, p.module);

  const merged = mergeTags(defaults, own);
  if (merged instanceof ObjectValue) {
    for (const key of merged.keys()) {
      let w: Written | undefined;
      if (attr && own instanceof ObjectValue && own.has(key)) w = traceArgument(attr, resourceContext(inst), inst.address, [key]);
      else if (p && dt && defaults instanceof ObjectValue && defaults.has(key)) w = traceExpression(dt.expr, dt.range, moduleContext(p.module, p.file), inst.address, [key]);
      if (w) tagOrigins.set(key, { ...writtenOrigin(w, inst.address), part: `tags.${key}` });
    }
  }
  return { tags: { value: merged, origin }, tagOrigins };
}

/**
 * The tags AWS gives a resource: its `tags` over its provider's `default_tags`, as the AWS
 * provider merges them (without tracing where each is written: see tagsOf for that).
 */
export function effectiveTags(inst: ResourceInstance): Value {
  const own: Value = findAttr(inst.block.body, "tags") ? (inst.value.get("tags") ?? null) : null;
  const p = providerOf(inst);
  const dt = p ? defaultTags(p.block.body) : undefined;
  return mergeTags(p && dt ? evaluate(dt.expr, p.module) : null, own);
}

/** A provider's `default_tags { tags = … }`: the expression and the range that holds it. */
function defaultTags(body: Body): { expr: Expression; range: Range } | undefined {
  const block = blocksOf(body, "default_tags")[0];
  if (block) {
    const a = findAttr(block.body, "tags");
    return a ? { expr: a.expr, range: a.range } : undefined;
  }
  // JSON syntax, or `default_tags = { tags = … }` written as an attribute.
  const a = findAttr(body, "default_tags");
  if (a && a.expr.type === "Object") {
    for (const it of a.expr.items) if (keyText(it.key, it.bareKey) === "tags") return { expr: it.value, range: it.range };
  }
  return undefined;
}

function mergeTags(defaults: Value, own: Value): Value {
  const isEmpty = (v: Value) => v === null;
  if (isNotKnown(own)) return own;
  if (isNotKnown(defaults)) return own instanceof ObjectValue || isEmpty(own) ? new Unknown("dynamic", undefined, undefined, "provider default_tags") : defaults;
  const out = new ObjectValue();
  if (defaults instanceof ObjectValue) for (const [k, v] of defaults.entries) out.set(k, v);
  if (own instanceof ObjectValue) for (const [k, v] of own.entries) out.set(k, v);
  else if (!isEmpty(own)) return own; // not an object: leave it for rules to see as is
  return out;
}

/** The text of an object key written as a bare name or a literal string. */
export function keyText(key: Expression, bareKey: boolean): string | undefined {
  if (bareKey && key.type === "Variable") return key.name;
  if (key.type === "Template") return templateText(key);
  return undefined;
}

// ================================================================== replicas

function replicasOf(inst: ResourceInstance): Replica[] {
  const out: Replica[] = [];
  const body = inst.block.body;
  const fromBody = (b: Body, scope: Scope, origin: Origin): Replica => {
    const get = (name: string): Located => {
      const a = findAttr(b, name);
      return a ? { value: evaluate(a.expr, scope), origin: writtenOrigin(traceArgument(a, { ...resourceContext(inst), scope }, inst.address), inst.address) } : { value: null, origin };
    };
    return { region: get("region"), kmsKeyId: get("kms_key_id"), origin };
  };
  for (const b of body.blocks) {
    if (b.blockType === "replica") out.push(fromBody(b.body, inst.scope, fileOrigin(inst.file, b.range, inst.address)));
    else if (b.blockType === "dynamic" && labelOf(b, 0) === "replica") {
      const origin = fileOrigin(inst.file, b.range, inst.address);
      const forEach = findAttr(b.body, "for_each");
      const content = b.body.blocks.find((x) => x.blockType === "content");
      if (!forEach || !content) continue;
      const iterator = dynamicIterator(b) ?? "replica";
      const coll = evaluate(forEach.expr, inst.scope);
      const pairs: Array<[Value, Value]> | null =
        coll instanceof ObjectValue ? [...coll.entries] : Array.isArray(coll) ? coll.map((v, i) => [i, v] as [Value, Value]) : null;
      if (!pairs) {
        // Unknown collection: there may be replicas, in regions we cannot know.
        if (isNotKnown(coll)) {
          const u = unknown("iteration", 'dynamic "replica"');
          out.push({ region: { value: u, origin }, kmsKeyId: { value: u, origin }, origin });
        }
        continue;
      }
      for (const [key, value] of pairs) {
        const scope = new ChildScope(inst.scope, new Map([[iterator, ObjectValue.from({ key, value })]]));
        out.push(fromBody(content.body, scope, origin));
      }
    }
  }
  // JSON syntax (or an attribute form): `replica = [{ region = … }]`.
  const attr = findAttr(body, "replica");
  if (attr) {
    const origin = fileOrigin(inst.file, attr.range, inst.address);
    const v = inst.value.get("replica");
    const list = Array.isArray(v) ? v : v instanceof ObjectValue ? [v] : null;
    if (list) {
      for (const r of list) {
        if (!(r instanceof ObjectValue)) continue;
        out.push({ region: { value: r.get("region") ?? null, origin }, kmsKeyId: { value: r.get("kms_key_id") ?? null, origin }, origin });
      }
    } else if (v !== undefined && isNotKnown(v)) {
      out.push({ region: { value: v, origin }, kmsKeyId: { value: v, origin }, origin });
    }
  }
  return out;
}

// ================================================================== versions

const VALUE_ARGUMENTS = ["secret_string_wo", "secret_string", "secret_binary"] as const;

function versionOf(inst: ResourceInstance): SecretVersion | undefined {
  const present = VALUE_ARGUMENTS.filter((a) => findAttr(inst.block.body, a));
  if (present.length === 0) return undefined;
  // Modules often set both secret_string and secret_binary, one of them null: take the one set.
  const notNull = present.filter((a) => inst.value.get(a) !== null);
  const chosen = notNull.find((a) => !isNotKnown(inst.value.get(a))) ?? notNull[0] ?? present[0];
  const attr = findAttr(inst.block.body, chosen)!;
  const origin = fileOrigin(inst.file, attr.range, inst.address);
  const value = inst.value.get(chosen) ?? null;
  return {
    origin,
    argument: chosen,
    source: chosen === "secret_string_wo" ? "write-only" : valueSource(attr.expr, inst),
    shape: value === null ? { kind: "unknown", origin } : chosen === "secret_binary" ? { kind: "binary", origin } : shapeOf(value, origin),
  };
}

const SOURCE_PRIORITY: ValueSource[] = ["ephemeral", "resource", "data", "variable", "unknown"];

/** Functions whose result is not written in the configuration (files, clocks, randomness). */
const NOT_WRITTEN_FUNCTIONS = new Set([
  "file",
  "filebase64",
  "fileset",
  "filemd5",
  "filesha1",
  "filesha256",
  "filesha512",
  "filebase64sha256",
  "filebase64sha512",
  "templatefile",
  "fileexists",
  "uuid",
  "timestamp",
  "plantimestamp",
  "bcrypt",
]);

/** How an expression's value is set (see the file header). */
export function valueSource(expr: Expression, inst: ResourceInstance): ValueSource {
  const kinds = new Set<ValueSource>();
  const config = inst.module.config;
  const seenLocals = new Set<string>();
  let followedEach = false;
  const visit = (e: Expression, depth: number) => {
    if (depth > 16) {
      kinds.add("unknown");
      return;
    }
    walkExpr(e, (x) => {
      if (x.type === "FunctionCall") {
        const bare = x.name.startsWith("core::") ? x.name.slice(6) : x.name;
        // Provider-defined functions (`provider::…`) are not modelled either.
        if (NOT_WRITTEN_FUNCTIONS.has(bare) || (x.name.includes("::") && !x.name.startsWith("core::"))) kinds.add("unknown");
      }
    });
    forEachTraversal(e, (t) => {
      const step = t.steps[0];
      switch (t.root.name) {
        case "var":
          kinds.add("variable");
          break;
        case "data":
          kinds.add("data");
          break;
        case "ephemeral":
          kinds.add("ephemeral");
          break;
        case "local": {
          const name = step?.kind === "attr" ? step.name : undefined;
          const d = name ? config.locals.get(name) : undefined;
          if (!d || !name) kinds.add("unknown");
          else if (!seenLocals.has(name)) {
            seenLocals.add(name);
            visit(d.node.expr, depth + 1);
          }
          break;
        }
        case "each": {
          const fe = findAttr(inst.block.body, "for_each");
          if (!fe) kinds.add("unknown");
          else if (!followedEach) {
            followedEach = true;
            visit(fe.expr, depth + 1);
          }
          break;
        }
        case "count":
        case "path":
        case "terraform":
          break;
        case "module":
        case "self":
          kinds.add("unknown");
          break;
        default:
          // A resource (random_password.x.result), or a name nothing declares.
          kinds.add(t.steps.length > 0 ? "resource" : "unknown");
      }
    });
  };
  visit(expr, 0);
  for (const k of SOURCE_PRIORITY) if (kinds.has(k)) return k;
  return "literal";
}

// ================================================================== shapes

const UNKNOWN_MARK = "\u2063secretlint-unknown\u2063";

/**
 * The shape of a string value (never the value): a JSON object with its top-level keys, other
 * JSON, plain text or unknown. Partly known strings: `jsonencode` of a partly known object keeps
 * its keys; a template whose known text decides is read with its unknown pieces stood in for.
 */
export function shapeOf(v: Value, origin?: Origin): ValueShape {
  const o = origin ? { origin } : {};
  if (typeof v === "string") return shapeOfText(v, o);
  if (typeof v === "number" || typeof v === "boolean") return { kind: "plain", ...o };
  if (v instanceof Unknown) {
    if (v.json !== undefined) {
      if (v.json instanceof ObjectValue) return { kind: "json-object", keys: v.json.keys(), ...o };
      if (v.json instanceof Unknown) return { kind: "unknown", ...o };
      return { kind: "json-other", ...o };
    }
    const pieces = stringPieces(v);
    if (!pieces || pieces.length === 0 || typeof pieces[0] !== "string") return { kind: "unknown", ...o };
    return shapeOfTemplate(pieces, o);
  }
  return { kind: "unknown", ...o };
}

function shapeOfText(text: string, o: { origin?: Origin }): ValueShape {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: "plain", ...o };
  }
  if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return { kind: "json-object", keys: Object.keys(parsed), ...o };
  return { kind: "json-other", ...o };
}

function shapeOfTemplate(pieces: ReadonlyArray<string | Unknown | object>, o: { origin?: Origin }): ValueShape {
  const head = (pieces[0] as string).trimStart();
  if (head === "") return { kind: "unknown", ...o };
  const first = head[0];
  // Text that cannot start JSON is plain whatever the rest is.
  if (!/[{["\-0-9tfn]/.test(first)) return { kind: "plain", ...o };
  if (first !== "{") return { kind: "unknown", ...o };
  // Stand in for each unknown piece: a marker inside a JSON string, `null` outside one.
  let text = "";
  let inString = false;
  for (const p of pieces) {
    if (typeof p === "string") {
      for (let i = 0; i < p.length; i++) {
        const c = p[i];
        if (inString && c === "\\") {
          i++;
          continue;
        }
        if (c === '"') inString = !inString;
      }
      text += p;
    } else text += inString ? UNKNOWN_MARK : "null";
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: "unknown", ...o };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { kind: "unknown", ...o };
  const keys = Object.keys(parsed);
  if (keys.some((k) => k.includes(UNKNOWN_MARK))) return { kind: "unknown", ...o };
  return { kind: "json-object", keys, ...o };
}

/** The shape of a secret from its versions: theirs when they agree, else unknown. */
function combinedShape(versions: SecretVersion[]): ValueShape {
  if (versions.length === 0) return { kind: "unknown" };
  const first = versions[0].shape;
  const same = (a: ValueShape, b: ValueShape) =>
    a.kind === b.kind && (a.kind !== "json-object" || (b.kind === "json-object" && sameKeys(a.keys, b.keys)));
  if (versions.every((v) => same(v.shape, first))) return first;
  return { kind: "unknown" };
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((k) => s.has(k));
}

// ================================================================== linking

export interface SecretIndex {
  /** Entity ids (see CollectContext.idOf). */
  idOf(inst: ResourceInstance): string;
  /** Instances of each declaration (by name) of each module instance. */
  byDecl: Map<ModuleInstance, Map<string, ResourceInstance[]>>;
  /** Each declared secret instance as links see it. */
  byInst: Map<ResourceInstance, SecretEntry>;
}

const indexCache = new WeakMap<CollectContext, SecretIndex>();

/** The declared secrets of a context, for linking (built once per context; each declared to the context's links). */
export function secretIndex(ctx: CollectContext): SecretIndex {
  const have = indexCache.get(ctx);
  if (have) return have;
  const index: SecretIndex = { idOf: ctx.idOf, byDecl: new Map(), byInst: new Map() };
  for (const inst of ctx.instances) {
    if (inst.mode !== "managed" || inst.type !== SECRET) continue;
    let decls = index.byDecl.get(inst.module);
    if (!decls) index.byDecl.set(inst.module, (decls = new Map()));
    push(decls, inst.name, inst);
    const name = inst.value.get("name");
    const entry: SecretEntry = {
      id: ctx.idOf(inst),
      region: inst.region,
      module: instanceNumber(inst.module),
      root: instanceNumber(rootOf(inst.module)),
      rootModuleDir: inst.module.rootModuleDir,
    };
    if (typeof name === "string" && findAttr(inst.block.body, "name")) entry.name = name;
    index.byInst.set(inst, entry);
    ctx.links.declare(entry);
  }
  indexCache.set(ctx, index);
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, v: V): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}

/**
 * The declared secrets an argument refers to (see the file header): by syntax, else by value.
 * May be several (a splat, an unknown key, a name declared twice). Decided by the context's
 * links (links.ts), when every root's secrets are known.
 */
export function linkSecret(index: SecretIndex, inst: ResourceInstance, expr: Expression | undefined, value: Value | undefined): SecretLink {
  const link: SecretLink = { local: [], queries: [] };
  if (expr) {
    const local = new Set<SecretEntry>();
    linkBySyntax(index, inst, expr, inst.scope, 0, local, link.queries);
    link.local = [...local];
  }
  const q = value === undefined ? undefined : valueQuery(inst, value);
  if (q) link.fallback = q;
  return link;
}

/** Sets what refers to one secret: `then` gets its id when the link reaches exactly one (`secretRef`). */
export function linkOneSecret(ctx: CollectContext, kind: "sym" | "apono", index: SecretIndex, inst: ResourceInstance, expr: Expression | undefined, value: Value | undefined, then: (id: string) => void): void {
  ctx.links.when(kind, linkSecret(index, inst, expr, value), (found) => {
    if (found.length === 1) then(found[0].id);
  });
}

function linkBySyntax(index: SecretIndex, inst: ResourceInstance, expr: Expression, scope: Scope, depth: number, local: Set<SecretEntry>, queries: ValueQuery[]): void {
  if (depth > 8) return;
  forEachTraversal(expr, (t) => {
    const s1 = t.steps[0];
    if (t.root.name === SECRET && s1?.kind === "attr") {
      for (const target of selectInstances(index.byDecl.get(inst.module)?.get(s1.name) ?? [], t, scope)) local.add(index.byInst.get(target) as SecretEntry);
    } else if (t.root.name === "local" && s1?.kind === "attr") {
      const d = inst.module.config.locals.get(s1.name);
      // Locals are evaluated in the module's scope, not the resource's.
      if (d) linkBySyntax(index, inst, d.node.expr, inst.module, depth + 1, local, queries);
    } else if (t.root.name === "data" && s1?.kind === "attr" && s1.name === SECRET && t.steps[1]?.kind === "attr") {
      const decl = `${SECRET}.${(t.steps[1] as { name: string }).name}`;
      if (!inst.module.config.dataSources.has(decl)) return;
      const found = inst.module.instancesOf("data", decl);
      if (!Array.isArray(found)) return;
      for (const d of found) {
        const v = d.value.has("name") ? d.value.get("name") : d.value.has("arn") ? d.value.get("arn") : undefined;
        const q = v === undefined ? undefined : valueQuery(d, v);
        if (q) queries.push(q);
      }
    }
  });
}

/** The instances a traversal `type.name[key]…` selects. */
function selectInstances(instances: ResourceInstance[], t: Traversal, scope: Scope): ResourceInstance[] {
  const s2 = t.steps[1];
  if (!s2 || s2.kind !== "index") return instances;
  const key = evaluate(s2.key, scope);
  if (typeof key === "number" || typeof key === "string") {
    const exact = instances.filter((i) => i.key === key || (typeof i.key === "number" && String(i.key) === String(key)));
    if (exact.length > 0) return exact;
    // Count/for_each unknown: the one "*" instance stands for every key.
    return instances.filter((i) => i.key === "*");
  }
  return instances;
}

/** A link by a (partly) known name or ARN value: secrets whose known name matches (see links.ts). */
function valueQuery(inst: ResourceInstance, value: Value): ValueQuery | undefined {
  const ref = secretNameOf(value);
  if (!ref) return undefined;
  const q: ValueQuery = { name: ref.name, fromArn: ref.fromArn, module: instanceNumber(inst.module), root: instanceNumber(rootOf(inst.module)) };
  if (ref.region !== undefined) q.region = ref.region;
  return q;
}

function rootOf(m: ModuleInstance): ModuleInstance {
  let r = m;
  while (r.parent) r = r.parent;
  return r;
}

/** The secret name a value gives: a plain name, or the text after `:secret:` of an ARN. */
export function secretNameOf(value: Value): { name: string; region?: string; fromArn: boolean } | undefined {
  const pieces = stringPieces(value);
  if (!pieces) return undefined;
  // Find the known text from `:secret:` to the end.
  let tail = "";
  for (let i = pieces.length - 1; i >= 0; i--) {
    const p = pieces[i];
    if (typeof p !== "string") return undefined;
    const at = p.lastIndexOf(":secret:");
    if (at >= 0) {
      tail = p.slice(at + ":secret:".length) + tail;
      const head = pieces.slice(0, i).every((x) => typeof x === "string") ? (pieces.slice(0, i) as string[]).join("") + p.slice(0, at) : undefined;
      const region = head !== undefined ? /^arn:[^:]*:secretsmanager:([^:]*):/.exec(head + ":")?.[1] : undefined;
      return tail ? { name: tail, region: region || undefined, fromArn: true } : undefined;
    }
    tail = p + tail;
  }
  // No `:secret:`: a name, when wholly known and not some other ARN.
  if (pieces.length === 1 && typeof pieces[0] === "string" && pieces[0] !== "" && !pieces[0].startsWith("arn:")) {
    return { name: pieces[0], fromArn: false };
  }
  return undefined;
}
