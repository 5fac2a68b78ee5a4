// Module instances: a module's configuration evaluated with its inputs, as Terraform would
// plan it. Names resolve lazily (locals, resources, module outputs are computed on first
// use), so declarations may refer to each other in any order.

import path from "node:path";
import type { Attribute, Block, Body, Expression, Range } from "../hcl/ast.js";
import { isStringLiteral, stringLiteralValue } from "../hcl/ast.js";
import { collectDeclarations, findAttr, labelOf, type Declared, type ModuleConfig } from "./config.js";
import { ChildScope, evaluate, toNumber, type Scope } from "./evaluate.js";
import { numberToString, type FunctionContext } from "./functions/index.js";
import { derivedAttribute } from "./models.js";
import { EvalBudget, type BudgetEvent } from "./budget.js";
import {
  Failure,
  LazyObject,
  ObjectValue,
  Unknown,
  compareCodePoints,
  equalityKey,
  isNotKnown,
  sortedEntries,
  unknown,
  valuesEqual,
  type UnknownReason,
  type Value,
} from "./values.js";
import { pushAll } from "../util/arrays.js";

/** Arguments of resource and data blocks that are Terraform's, not the resource's. */
const RESOURCE_META_ARGUMENTS: ReadonlySet<string> = new Set(["count", "for_each", "provider", "depends_on", "lifecycle"]);
/** Arguments of module blocks that are Terraform's, not inputs of the module. */
const MODULE_META_ARGUMENTS: ReadonlySet<string> = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);
/** Nested blocks of a resource that are Terraform's. */
const META_BLOCKS: ReadonlySet<string> = new Set(["lifecycle", "provisioner", "connection"]);

export interface ResourceInstance {
  mode: "managed" | "data" | "ephemeral";
  type: string;
  name: string;
  /** Instance key: a number (count), a string (for_each), undefined (single), or "*" (unknown). */
  key: number | string | undefined;
  /** Full address, module path included: `module.a.aws_x.y["k"]`. */
  address: string;
  block: Block;
  file: string;
  module: ModuleInstance;
  /** The instance's attributes: config arguments, nested blocks as lists, computed ones unknown. */
  value: ObjectValue;
  /** The AWS region the resource lives in (provider region, or its own `region` argument). */
  region: Value;
  /** The scope its arguments are evaluated in (with `each`, `count`, `self`). */
  scope: Scope;
}

export interface ModuleSource {
  /** Resolves a module call to a directory, or null when its source is not available. */
  resolve(caller: ModuleInstance, name: string, block: Block, source: string | undefined): string | null;
  /** Loads (and caches) the configuration of a directory. */
  load(dir: string): ModuleConfig;
  /** Told when a root module's evaluation goes over a budget (src/terraform/budget.ts), once per place. */
  budgetNotice?(root: ModuleInstance, event: BudgetEvent): void;
  /** Whether a call is left out because evaluating it failed in an earlier attempt (see ModuleEvaluationError). */
  isExcluded?(caller: ModuleInstance, name: string): boolean;
  /**
   * Reads a file for a file function (`file`, `templatefile`, `filesha256`…) under the reading
   * policy (src/files/read.ts): undefined when it is absent or refused (a refusal is noticed).
   */
  readFile(absPath: string, fn?: string, written?: string): string | undefined;
  /** Whether a file exists for fileexists(): undefined when the reading policy may not look. */
  fileExists?(absPath: string, fn: string, written: string): boolean | undefined;
}

/**
 * An unexpected error (a bug, not a user mistake) while evaluating a module instance: it names
 * the innermost module whose evaluation threw, so the scan can leave that module out, say so,
 * and go on with the rest.
 */
export class ModuleEvaluationError extends Error {
  constructor(
    readonly module: ModuleInstance,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "ModuleEvaluationError";
  }
}

export interface ModuleCall {
  name: string;
  block: Block;
  file: string;
  /** The `source` argument as written. */
  source: string | undefined;
  /** Resolved child instances (one per count/for_each instance); empty when unavailable. */
  instances: ModuleInstance[];
  /** The caller-side inputs, evaluated (one object per instance; one unknown-keyed when unknown). */
  inputs: ObjectValue[];
  /** The instance key of each entry of `inputs` (count index, for_each key, "*" when unknown, undefined when single). */
  keys: Array<number | string | undefined>;
  /** The scope each entry of `inputs` is evaluated in (the caller's, with that instance's `each`/`count`). */
  scopes: Scope[];
  /** Whether the module's source was found (false: registry/git module not downloaded, or recursive). */
  available: boolean;
  /** Left out because its evaluation failed (a notification says so); not a missing source. */
  excluded?: boolean;
}

/**
 * Where a root module's variable value is written outside the module: a tfvars assignment, a
 * `--var` on the command line, a Terragrunt unit's `inputs` item. Value tracing
 * (`trace.ts`) places a finding on such a value there. Whoever makes a root instance sets
 * them in `ModuleInstance.inputOrigins`; a variable without one takes its default's place.
 * Plain positions plus, while the syntax trees live, the expression to trace into.
 */
export interface InputOrigin {
  /** How to name it for people: `terraform.tfvars`, `--var`, `terragrunt.hcl inputs`. */
  label: string;
  /** The file (as findings show it, like ModuleConfig file names) and the assignment's range; absent for the command line. */
  file?: string;
  range?: Range;
  /** The value's expression, when written in HCL: tracing continues into it (object items, references). */
  expr?: Expression;
  /** The scope `expr` is evaluated in (default: no names, as tfvars hold literal values). */
  scope?: Scope;
}

export class ModuleInstance implements Scope {
  readonly functionContext: FunctionContext;
  /** The budget of this instance's root module, shared by every instance under it. */
  readonly budget: EvalBudget;
  /** For a root: the module configurations evaluated under it (where a budget notice looks for its place). */
  readonly evaluatedConfigs = new Set<ModuleConfig>();
  /** Where each variable given from outside a root module is written (see InputOrigin); empty for called modules. */
  readonly inputOrigins = new Map<string, InputOrigin>();
  /**
   * For a root: the directory that names this root among others (ids, messages), when it is not
   * the module's own: a Terragrunt unit's directory, where one module serves many units.
   */
  unitDir?: string;
  private readonly varsObj: LazyObject;
  private readonly localsObj: LazyObject;
  private readonly resourceRoots = new Map<string, LazyObject>();
  private readonly resourceRootObj: LazyObject;
  private readonly dataObj: LazyObject;
  private readonly ephemeralObj: LazyObject;
  private readonly moduleObj: LazyObject;
  /** `path` (made when first read: most instances never read it). */
  private pathObj: ObjectValue | undefined;
  private readonly resourceInstancesByDecl = new Map<string, ResourceInstance[] | Unknown | Failure>();
  private readonly callCache = new Map<string, ModuleCall>();
  /** Regions of providers passed in by the caller (or inherited). */
  private readonly inheritedProviders: Map<string, Value>;
  /** Provider regions resolved so far, by key (`aws`, `aws.west`); resolved on first use. */
  private readonly providerRegionCache = new Map<string, Value | undefined>();
  private readonly providersResolving = new Set<string>();
  /** The root module's directory: where Terraform runs, what relative paths start from. */
  readonly rootModuleDir: string;

  constructor(
    readonly config: ModuleConfig,
    /** `module.a.module.b` or "" for a root. */
    readonly address: string,
    /** Values for variables (from the caller, or tfvars for roots); absent ones use defaults. */
    readonly inputs: ObjectValue,
    readonly sources: ModuleSource,
    /** Regions of providers passed in by the caller (or inherited). */
    inheritedProviders: Map<string, Value>,
    readonly rootDir: string,
    /** How deep in module calls (a guard against recursive modules). */
    readonly depth = 0,
    readonly parent: ModuleInstance | null = null,
    /** This instance's key in its module call (count index, for_each key, "*" when unknown). */
    readonly key: ResourceInstance["key"] = undefined,
    /** The name of the module call that made this instance (null for a root). */
    readonly callName: string | null = null,
  ) {
    const dir = config.dir;
    // Terraform runs in the root module's directory: relative paths (file(), templatefile(),
    // path.module) are relative to it, whichever module the expression is in.
    this.rootModuleDir = parent ? parent.rootModuleDir : dir;
    this.budget = parent ? parent.budget : new EvalBudget((event) => sources.budgetNotice?.(this, event));
    this.rootInstance.evaluatedConfigs.add(config);
    const cwd = this.rootModuleDir;
    this.functionContext = {
      budget: this.budget,
      baseDir: cwd,
      readFile: (p, fn) => sources.readFile(path.resolve(cwd, p), fn, p),
      fileExists: (p, fn) => sources.fileExists?.(path.resolve(cwd, p), fn, p) ?? sources.readFile(path.resolve(cwd, p), fn, p) !== undefined,
    };
    const names = namesOf(config);
    this.varsObj = new Namespace("var.", names.variables, (n) => this.guarded(() => this.variableValue(n)));
    this.localsObj = new Namespace("local.", names.locals, (n) =>
      this.guarded(() => {
        const d = config.locals.get(n) as Declared<Attribute>;
        return evaluate(d.node.expr, this);
      }),
    );
    const { types, dataTypes, ephTypes } = names;
    for (const [type, typeNames] of types) {
      this.resourceRoots.set(type, new Namespace(`${type}.`, typeNames, (n) => this.guarded(() => this.collectionValue("managed", `${type}.${n}`))));
    }
    this.resourceRootObj = new Namespace("resource.", names.resourceTypes, (type) => this.resourceRoots.get(type) as Value);
    this.dataObj = new Namespace("data.", names.dataTypeNames, (type) =>
      new Namespace(`data.${type}.`, dataTypes.get(type) ?? [], (n) => this.guarded(() => this.collectionValue("data", `${type}.${n}`))),
    );
    this.ephemeralObj = new Namespace("ephemeral.", names.ephTypeNames, (type) =>
      new Namespace(`ephemeral.${type}.`, ephTypes.get(type) ?? [], (n) => this.guarded(() => this.collectionValue("ephemeral", `${type}.${n}`))),
    );
    this.moduleObj = new Namespace("module.", names.modules, (n) => this.guarded(() => this.moduleValue(n)));
    this.inheritedProviders = inheritedProviders;
  }

  /**
   * Runs a piece of this module's evaluation: an unexpected error in it becomes a
   * ModuleEvaluationError naming this module (an inner module's error keeps its name). A
   * RangeError (references nested deeper than the stack) passes through: LazyObject makes it
   * a Failure of the name being evaluated.
   */
  private guarded<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ModuleEvaluationError || err instanceof RangeError) throw err;
      throw new ModuleEvaluationError(this, err);
    }
  }

  /** The root module instance this one is evaluated under. */
  get rootInstance(): ModuleInstance {
    let r: ModuleInstance = this;
    while (r.parent) r = r.parent;
    return r;
  }

  /** The directory that names this instance's root among the scan's roots (see unitDir). */
  get rootIdDir(): string {
    return this.parent ? this.parent.rootIdDir : (this.unitDir ?? this.rootModuleDir);
  }

  /** The call names from the root to this instance (`net.sg`), "" for a root. */
  get callPath(): string {
    const names: string[] = [];
    for (let m: ModuleInstance | null = this; m?.callName; m = m.parent) names.unshift(m.callName);
    return names.join(".");
  }

  // ---------------------------------------------------------------- Scope

  root(name: string): Value | undefined {
    switch (name) {
      case "var":
        return this.varsObj;
      case "local":
        return this.localsObj;
      case "data":
        return this.dataObj;
      case "ephemeral":
        return this.ephemeralObj;
      case "module":
        return this.moduleObj;
      case "path": {
        // Terraform runs in the root module's directory: path.cwd is that directory (absolute).
        const cwd = this.rootModuleDir;
        return (this.pathObj ??= ObjectValue.from({ module: path.relative(cwd, this.config.dir).split(path.sep).join("/") || ".", root: ".", cwd }));
      }
      case "terraform":
        return ObjectValue.from({ workspace: "default" });
      case "resource":
        // `resource.aws_x.y`: Terraform's explicit form of a managed resource reference.
        return this.resourceRootObj;
      default:
        // A name nothing declares (a resource type without resources, a typo) reads as unknown:
        // terraform/undefined-reference reports it, and the rest of the value stays known.
        if (this.resourceRoots.has(name)) return this.resourceRoots.get(name);
        if (this.config.externalValues?.has(name)) return this.config.externalValues.get(name);
        // count, each and self are Terraform's own names: outside their blocks they are errors.
        return RESERVED_SCOPE_NAMES.has(name) || name.startsWith("\u0000") ? undefined : unknown("undeclared", name);
    }
  }

  // ---------------------------------------------------------------- variables

  private variableValue(name: string): Value {
    const decl = this.config.variables.get(name) as Declared;
    const type = findAttr(decl.node.body, "type")?.expr;
    const given = this.inputs.get(name);
    // `nullable = false`: a null from the caller means "use the default".
    const nullableAttr = findAttr(decl.node.body, "nullable");
    const nullable = nullableAttr ? evaluate(nullableAttr.expr, EMPTY_SCOPE) !== false : true;
    if (given !== undefined && !(given === null && !nullable)) return convertToType(given, type);
    const def = findAttr(decl.node.body, "default");
    // A default is evaluated without scope: Terraform allows only literal values there.
    if (def) return convertToType(evaluate(def.expr, EMPTY_SCOPE), type);
    return unknown("variable", `var.${name}`);
  }

  // ---------------------------------------------------------------- providers

  /**
   * The region of the provider configuration `key` (`aws`, `aws.west`) visible here, or
   * undefined when there is none. Resolved on first use, not when the instance is made: a
   * provider's region may come from a data source or a local (`region =
   * local.region`, read from `data.terraform_remote_state`), which needs the instance. A
   * region that depends on itself through a data source of the same provider is unknown.
   */
  providerRegion(key: string): Value | undefined {
    if (this.providerRegionCache.has(key)) return this.providerRegionCache.get(key);
    const d = this.config.providers.get(key);
    let region: Value | undefined;
    // A block with nothing but `alias` (or nothing at all) in a called module is a proxy
    // for a configuration the caller passes: the passed one stands.
    const body = d?.node.body;
    const proxy = body !== undefined && body.blocks.length === 0 && body.attributes.every((a) => a.name === "alias");
    if (!d || (proxy && this.inheritedProviders.has(key))) region = this.inheritedProviders.get(key);
    else {
      if (this.providersResolving.has(key)) return unknown("dynamic", `provider ${key} region`);
      this.providersResolving.add(key);
      try {
        const attr = findAttr(d.node.body, "region");
        region = attr ? this.guarded(() => evaluate(attr.expr, this)) : unknown("dynamic", `provider ${key} region`);
      } finally {
        this.providersResolving.delete(key);
      }
    }
    this.providerRegionCache.set(key, region);
    return region;
  }

  /** Every provider configuration visible here (inherited and own), key → region. */
  providerRegions(): Map<string, Value> {
    const out = new Map<string, Value>();
    for (const key of new Set([...this.inheritedProviders.keys(), ...this.config.providers.keys()])) {
      const v = this.providerRegion(key);
      if (v !== undefined) out.set(key, v);
    }
    return out;
  }

  /** The region of a resource: its own `region` argument, else its provider's. */
  private regionOf(block: Block, scope: Scope): Value {
    const own = findAttr(block.body, "region");
    if (own && block.labels[0]?.value.startsWith("aws_")) {
      // `region = null` (often `var.region` defaulting to null) means the provider's region.
      const v = evaluate(own.expr, scope);
      if (v !== null) return v;
    }
    const type = block.labels[0]?.value ?? "";
    const providerName = type.split("_")[0];
    const meta = findAttr(block.body, "provider");
    // `provider = aws.west`, or the quoted form of Terraform 0.11 (`provider = "aws.west"`).
    const key = meta ? (traversalText(meta.expr) ?? (isStringLiteral(meta.expr) ? stringLiteralValue(meta.expr) : undefined)) : providerName;
    const region = key ? this.providerRegion(key) : undefined;
    if (region !== undefined) return region;
    return unknown("dynamic", `the region of provider ${key ?? providerName}`);
  }

  // ---------------------------------------------------------------- resources

  /** Every instance of a declaration (`type.name`), or unknown when count/for_each is. */
  instancesOf(mode: ResourceInstance["mode"], declKey: string): ResourceInstance[] | Unknown | Failure {
    const cacheKey = `${mode}:${declKey}`;
    const have = this.resourceInstancesByDecl.get(cacheKey);
    if (have) return have;
    return this.guarded(() => this.makeInstances(mode, declKey, cacheKey));
  }

  private makeInstances(mode: ResourceInstance["mode"], declKey: string, cacheKey: string): ResourceInstance[] | Unknown | Failure {
    const map = mode === "managed" ? this.config.resources : mode === "data" ? this.config.dataSources : this.config.ephemerals;
    const decl = map.get(declKey) as Declared;
    const [type, name] = [labelOf(decl.node, 0) as string, labelOf(decl.node, 1) as string];
    const prefix = (this.address ? this.address + "." : "") + (mode === "data" ? "data." : mode === "ephemeral" ? "ephemeral." : "");
    const make = (key: ResourceInstance["key"], names: Map<string, Value>): ResourceInstance => {
      const scope = names.size > 0 ? new ChildScope(this, names) : this;
      const address = prefix + declKey + (key === undefined ? "" : typeof key === "number" ? `[${key}]` : key === "*" ? "[*]" : `[${JSON.stringify(key)}]`);
      const inst: ResourceInstance = {
        mode,
        type,
        name,
        key,
        address,
        block: decl.node,
        file: decl.file,
        module: this,
        value: new ObjectValue(),
        region: unknown("dynamic"),
        scope,
      };
      inst.region = this.regionOf(decl.node, scope);
      const unset: UnsetAttributes = { reason: mode === "data" ? "data" : "computed", path: address };
      const guard: Guard = (fn) => this.guarded(fn);
      inst.value = bodyObject(decl.node.body, scope, (attr) => guard(() => derivedAttribute(inst, attr)), false, unset, guard);
      return inst;
    };
    const result = expandInstances(decl.node.body, this, make);
    this.resourceInstancesByDecl.set(cacheKey, result);
    return result;
  }

  /** The value `type.name` has in expressions: one object, a list (count) or a map (for_each). */
  private collectionValue(mode: ResourceInstance["mode"], declKey: string): Value {
    const inst = this.instancesOf(mode, declKey);
    if (!Array.isArray(inst)) return inst instanceof Unknown ? unknown("iteration", declKey) : inst;
    const map = mode === "managed" ? this.config.resources : mode === "data" ? this.config.dataSources : this.config.ephemerals;
    const block = (map.get(declKey) as Declared).node;
    const hasCount = findAttr(block.body, "count") !== undefined;
    const hasForEach = !hasCount && findAttr(block.body, "for_each") !== undefined;
    if (inst.length === 1 && inst[0].key === "*") return unknown("iteration", declKey);
    if (hasCount) return inst.map((i) => i.value);
    if (hasForEach) return new ObjectValue(inst.map((i) => [String(i.key), i.value] as [string, Value]));
    return inst[0]?.value ?? unknown("dynamic", declKey);
  }

  /** All resource instances of this module (not of its children), or those of the declarations `wanted` takes. */
  allResourceInstances(wanted?: (mode: ResourceInstance["mode"], type: string) => boolean): ResourceInstance[] {
    const out: ResourceInstance[] = [];
    const add = (mode: ResourceInstance["mode"], keys: Iterable<string>) => {
      for (const k of keys) {
        // A declaration's key is `type.name`; a type holds no dot.
        if (wanted && !wanted(mode, k.slice(0, k.indexOf(".")))) continue;
        const r = this.instancesOf(mode, k);
        if (Array.isArray(r)) pushAll(out, r);
      }
    };
    add("managed", this.config.resources.keys());
    add("data", this.config.dataSources.keys());
    add("ephemeral", this.config.ephemerals.keys());
    return out;
  }

  // ---------------------------------------------------------------- module calls

  moduleCall(name: string): ModuleCall {
    const have = this.callCache.get(name);
    if (have) return have;
    return this.guarded(() => this.makeCall(name));
  }

  private makeCall(name: string): ModuleCall {
    const decl = this.config.modules.get(name) as Declared;
    const block = decl.node;
    const sourceAttr = findAttr(block.body, "source");
    const source = sourceAttr && sourceAttr.expr.type === "Template" ? (evaluate(sourceAttr.expr, EMPTY_SCOPE) as string) : undefined;
    const call: ModuleCall = { name, block, file: decl.file, source: typeof source === "string" ? source : undefined, instances: [], inputs: [], keys: [], scopes: [], available: false };
    this.callCache.set(name, call);
    if (this.sources.isExcluded?.(this, name)) call.excluded = true;
    let dir = !call.excluded ? this.sources.resolve(this, name, block, call.source) : null;
    if (dir !== null && this.depth >= MAX_MODULE_DEPTH) {
      this.budget.over({ kind: "moduleDepth", detail: `module "${name}" is nested deeper than ${MAX_MODULE_DEPTH} module levels; it was not evaluated, and its outputs are unknown`, expr: sourceAttr?.expr });
      dir = null;
    }
    // A module that calls itself, directly or through others: Terraform rejects it; we stop.
    const target = dir === null ? null : path.resolve(dir);
    for (let m: ModuleInstance | null = this; dir !== null && m; m = m.parent) {
      if (path.resolve(m.config.dir) === target) dir = null;
    }
    // One set of input names for every instance of the call (LazyObject keeps a Set as given).
    const inputNames = new Set(block.body.attributes.filter((a) => !MODULE_META_ARGUMENTS.has(a.name)).map((a) => a.name));
    const make = (key: ResourceInstance["key"], names: Map<string, Value>) => {
      const scope = names.size > 0 ? new ChildScope(this, names) : this;
      const inputs = new LazyObject(inputNames, (n) => this.guarded(() => evaluate((findAttr(block.body, n) as Attribute).expr, scope)));
      call.inputs.push(inputs);
      call.keys.push(key);
      call.scopes.push(scope);
      const addr = `${this.address ? this.address + "." : ""}module.${name}` + (key === undefined ? "" : typeof key === "number" ? `[${key}]` : key === "*" ? "[*]" : `[${JSON.stringify(key)}]`);
      return { key, addr, inputs };
    };
    const expanded = expandInstances(block.body, this, make);
    if (dir && Array.isArray(expanded) && this.budget.moduleInstances + expanded.length > this.budget.limits.moduleInstances) {
      // A fan-out of module calls (2 instances a level, 13 levels: 8,192) is bounded per root:
      // past it, a call's module is not evaluated and its outputs are unknown.
      this.budget.over({ kind: "moduleInstances", detail: `module "${name}" would make the module instances under this root more than ${this.budget.limits.moduleInstances}; it was not evaluated, and its outputs are unknown`, expr: sourceAttr?.expr });
      dir = null;
    }
    if (dir && Array.isArray(expanded)) {
      this.budget.moduleInstances += expanded.length;
      call.available = true;
      const config = this.sources.load(dir);
      const providers = this.providersForChild(block);
      for (const e of expanded) {
        call.instances.push(new ModuleInstance(config, e.addr, e.inputs, this.sources, providers, this.rootDir, this.depth + 1, this, e.key, name));
      }
    }
    return call;
  }

  private moduleValue(name: string): Value {
    const call = this.moduleCall(name);
    if (!call.available) return unknown("module", `module.${name}`);
    if (call.instances.length === 1 && call.instances[0].key === "*") return unknown("iteration", `module.${name}`);
    const outputs = (m: ModuleInstance) => new LazyObject(m.config.outputs.keys(), (o) => m.outputValue(o));
    const block = call.block;
    if (findAttr(block.body, "count")) return call.instances.map(outputs);
    if (findAttr(block.body, "for_each")) {
      return new ObjectValue(call.instances.map((m) => [String(m.key), outputs(m)] as [string, Value]));
    }
    return outputs(call.instances[0]);
  }

  /** The value of one of this module's outputs. */
  outputValue(name: string): Value {
    return this.guarded(() => {
      const d = this.config.outputs.get(name) as Declared;
      const v = findAttr(d.node.body, "value");
      return v ? evaluate(v.expr, this) : null;
    });
  }

  /**
   * `providers = { aws = aws.west }`: only the listed configurations (the argument cancels
   * inheritance); without it, this module's default (unaliased) configurations.
   */
  private providersForChild(block: Block): Map<string, Value> {
    const out = new Map<string, Value>();
    const map = findAttr(block.body, "providers");
    if (!map) for (const [k, v] of this.providerRegions()) if (!k.includes(".")) out.set(k, v);
    if (map && map.expr.type === "Object") {
      for (const item of map.expr.items) {
        const childKey = traversalText(item.key) ?? (item.key.type === "Template" ? (evaluate(item.key, EMPTY_SCOPE) as string) : undefined);
        const parentKey = traversalText(item.value);
        if (typeof childKey === "string" && parentKey) {
          out.set(childKey, this.providerRegion(parentKey) ?? unknown("dynamic", `provider ${parentKey}`));
        }
      }
    }
    return out;
  }

  /** Every module instance below this one (children first-level and deeper). */
  descendants(): ModuleInstance[] {
    const out: ModuleInstance[] = [];
    for (const name of this.config.modules.keys()) {
      for (const child of this.moduleCall(name).instances) {
        out.push(child, ...child.descendants());
      }
    }
    return out;
  }
}

const MAX_MODULE_DEPTH = 16;

/** Names that only blocks bind (`count.index`, `each.key`, `self`): not declarations. */
const RESERVED_SCOPE_NAMES: ReadonlySet<string> = new Set(["count", "each", "self"]);

// ---------------------------------------------------------------- variable types

/** The keyword of a type expression: `string`, `list` (also legacy `"string"`), or undefined. */
export function typeKeyword(e: Expression): string | undefined {
  if (e.type === "Variable") return e.name;
  if (isStringLiteral(e)) return stringLiteralValue(e);
  if (e.type === "FunctionCall") return e.name;
  return undefined;
}

/**
 * Whether Terraform parses a `--var` value for this variable as HCL (complex types and `any`)
 * rather than taking the text as a literal string (no type, or string, number, bool).
 */
export function variableParsesAsHcl(variable: Block): boolean {
  const type = findAttr(variable.body, "type")?.expr;
  if (!type) return false;
  const k = typeKeyword(type);
  return !(k === "string" || k === "number" || k === "bool");
}

function sortSetElements(list: Value[]): Value[] {
  const out: Value[] = [];
  // Known elements by a canonical key (linear); others pairwise, among few.
  const seen = new Set<string>();
  const others: Value[] = [];
  for (const x of list) {
    const k = equalityKey(x);
    if (k !== undefined) {
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    } else if (others.length > 4096 || !others.some((y) => valuesEqual(x, y) === true)) {
      others.push(x);
      out.push(x);
    }
  }
  if (out.every((x) => typeof x === "string")) return (out as string[]).sort(compareCodePoints);
  if (out.every((x) => typeof x === "number")) return (out as number[]).sort((a, b) => a - b);
  return out;
}

/**
 * Converts a value to a variable's type constraint, as Terraform does with inputs: primitive
 * conversions (`5` → `"5"` for a string, `"7"` → `7` for a number), element types of lists,
 * sets and maps, and object attributes with `optional(type, default)` defaults (attributes the
 * type does not declare are dropped). A value it cannot convert is kept as it is; unknowns
 * and failures are unchanged.
 */
export function convertToType(v: Value, type: Expression | undefined): Value {
  if (!type || v === null || v instanceof Unknown || v instanceof Failure) return v;
  const k = typeKeyword(type);
  const arg = type.type === "FunctionCall" ? type.args[0] : undefined;
  switch (k) {
    case "string":
      if (typeof v === "number") return numberToString(v);
      if (typeof v === "boolean") return v ? "true" : "false";
      return v;
    case "number": {
      if (typeof v === "string") {
        const n = toNumber(v);
        return n === undefined ? v : n;
      }
      return v;
    }
    case "bool":
      return v === "true" ? true : v === "false" ? false : v;
    case "list":
    case "set": {
      if (!Array.isArray(v)) return v;
      const list = arg ? v.map((x) => convertToType(x, arg)) : v;
      return k === "set" ? sortSetElements(list) : list;
    }
    case "tuple": {
      if (!Array.isArray(v) || !arg || arg.type !== "Tuple") return v;
      return v.map((x, i) => convertToType(x, arg.items[i]));
    }
    case "map": {
      if (!(v instanceof ObjectValue) || !arg) return v;
      return new ObjectValue([...v.entries].map(([key, x]) => [key, convertToType(x, arg)] as [string, Value]));
    }
    case "object": {
      if (!(v instanceof ObjectValue) || !arg || arg.type !== "Object") return v;
      const out = new ObjectValue();
      for (const item of arg.items) {
        const name = item.bareKey && item.key.type === "Variable" ? item.key.name : evaluate(item.key, EMPTY_SCOPE);
        if (typeof name !== "string") return v;
        let attrType: Expression | undefined = item.value;
        let optional = false;
        let def: Expression | undefined;
        if (attrType.type === "FunctionCall" && attrType.name === "optional") {
          optional = true;
          def = attrType.args[1];
          attrType = attrType.args[0];
        }
        const given = v.get(name);
        if (given !== undefined && given !== null) out.set(name, convertToType(given, attrType));
        else if (def) out.set(name, convertToType(evaluate(def, EMPTY_SCOPE), attrType));
        else if (optional || given === null) out.set(name, null);
        // A required attribute that is missing: Terraform rejects the value; leave it out.
      }
      return out;
    }
    default:
      return v;
  }
}

export const EMPTY_SCOPE: Scope = {
  root: () => undefined,
  functionContext: { baseDir: ".", readFile: () => undefined },
};

/** The names a module configuration declares, as its instances' namespaces take them. */
interface ConfigNames {
  variables: ReadonlySet<string>;
  locals: ReadonlySet<string>;
  modules: ReadonlySet<string>;
  /** Resource names by type (`aws_x.a` → aws_x: {a}), and the types. */
  types: ReadonlyMap<string, ReadonlySet<string>>;
  resourceTypes: ReadonlySet<string>;
  dataTypes: ReadonlyMap<string, ReadonlySet<string>>;
  dataTypeNames: ReadonlySet<string>;
  ephTypes: ReadonlyMap<string, ReadonlySet<string>>;
  ephTypeNames: ReadonlySet<string>;
}

/** Per configuration, made once for all its instances (a module is instantiated per call, per count/for_each key, per root). */
const configNames = new WeakMap<ModuleConfig, ConfigNames>();

function namesOf(config: ModuleConfig): ConfigNames {
  let names = configNames.get(config);
  if (names) return names;
  const byType = (keys: Iterable<string>) => {
    const grouped = new Map<string, string[]>();
    for (const key of keys) pushTo(grouped, key);
    return new Map([...grouped].map(([type, list]) => [type, new Set(list)] as const));
  };
  const types = byType(config.resources.keys());
  const dataTypes = byType(config.dataSources.keys());
  const ephTypes = byType(config.ephemerals.keys());
  names = {
    variables: new Set(config.variables.keys()),
    locals: new Set(config.locals.keys()),
    modules: new Set(config.modules.keys()),
    types,
    resourceTypes: new Set(types.keys()),
    dataTypes,
    dataTypeNames: new Set(dataTypes.keys()),
    ephTypes,
    ephTypeNames: new Set(ephTypes.keys()),
  };
  configNames.set(config, names);
  return names;
}

function pushTo(map: Map<string, string[]>, key: string): void {
  const dot = key.indexOf(".");
  const type = key.slice(0, dot);
  const name = key.slice(dot + 1);
  const list = map.get(type);
  if (list) list.push(name);
  else map.set(type, [name]);
}

/** `aws.west` for a traversal expression `aws.west`, else undefined. */
export function traversalText(e: Expression): string | undefined {
  if (e.type === "Variable") return e.name;
  if (e.type === "GetAttr") {
    const base = traversalText(e.object);
    return base === undefined ? undefined : `${base}.${e.name}`;
  }
  return undefined;
}

/**
 * Expands count / for_each into instances. Unknown count or for_each gives one instance with
 * key "*" whose `count.index` / `each.*` are unknown, so its other arguments are still seen.
 */
function expandInstances<T>(
  body: Body,
  scope: Scope,
  make: (key: ResourceInstance["key"], names: Map<string, Value>) => T,
): T[] | Unknown | Failure {
  const countAttr = findAttr(body, "count");
  const forEachAttr = findAttr(body, "for_each");
  // A count or for_each that fails to evaluate (Terraform would reject it, or the evaluator
  // lacks something) still gives the "*" instance: the block's other arguments stay visible.
  const budget = scope.budget;
  const limit = budget?.limits.instances ?? Infinity;
  /** Past the instance budget: one "*" instance (its arguments still seen), and a notice. */
  const tooMany = (what: string, expr: Expression, names: Map<string, Value>): T[] => {
    budget?.over({ kind: "instances", detail: `${what}: more instances than the limit of ${limit}; the block is evaluated as one instance of unknown key`, expr });
    return [make("*", names)];
  };
  if (countAttr) {
    const v = evaluate(countAttr.expr, scope);
    const n = typeof v === "string" ? toNumber(v) : v;
    if (typeof n === "number" && Number.isInteger(n) && n > limit) {
      return tooMany(`count = ${n}`, countAttr.expr, new Map([["count", ObjectValue.from({ index: unknown("budget", "count.index") })]]));
    }
    if (typeof n === "number" && Number.isInteger(n) && n >= 0) {
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(make(i, new Map([["count", ObjectValue.from({ index: i })]])));
      return out;
    }
    return [make("*", new Map([["count", ObjectValue.from({ index: unknown("iteration", "count.index") })]]))];
  }
  if (forEachAttr) {
    const coll = evaluate(forEachAttr.expr, scope);
    const each = (key: Value, value: Value) => new Map([["each", ObjectValue.from({ key, value })]]);
    const size = coll instanceof ObjectValue ? coll.size : Array.isArray(coll) ? coll.length : 0;
    if (size > limit) return tooMany(`for_each over ${size} elements`, forEachAttr.expr, each(unknown("budget", "each.key"), unknown("budget", "each.value")));
    if (coll instanceof ObjectValue) return sortedEntries(coll).map(([k, v]) => make(k, each(k, v)));
    if (Array.isArray(coll) && coll.every((x) => typeof x === "string")) {
      // A set of strings: each.key and each.value are the element.
      return [...new Set(coll as string[])].sort(compareCodePoints).map((k) => make(k, each(k, k)));
    }
    return [make("*", each(unknown("iteration", "each.key"), unknown("iteration", "each.value")))];
  }
  return [make(undefined, new Map())];
}

/**
 * A body as an object value: arguments evaluated lazily, nested blocks as lists of objects
 * (`dynamic` blocks expanded when their collection is known). `missing` answers attributes the
 * configuration does not set (computed ones).
 */
export function bodyObject(
  body: Body,
  scope: Scope,
  missing?: (name: string) => Value | undefined,
  /** A nested block's body: every argument is the resource's (no meta-arguments). */
  nested = false,
  /** How unset attributes of this body (when nested) and of its nested blocks read in expressions. */
  unset?: UnsetAttributes,
  /** Runs each argument's evaluation (the module's error guard). */
  guard: Guard = (fn) => fn(),
): ObjectValue {
  const meta: ReadonlySet<string> = nested ? NO_NAMES : RESOURCE_META_ARGUMENTS;
  const names = bodyNames(body, nested);
  const obj = new ResourceObject(names, (n) =>
    guard(() => {
      const attr = findAttr(body, n);
      if (attr && !meta.has(n)) return evaluate(attr.expr, scope);
      return nestedBlocks(body, n, scope, unset, guard);
    }), missing, nested ? unset : undefined);
  return obj;
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** bodyObject's names per body (a resource's, or a nested block's), for every instance of it. */
const namesByBody = new WeakMap<Body, ReadonlySet<string>>();
const namesByNestedBody = new WeakMap<Body, ReadonlySet<string>>();

/** The arguments a body sets (less meta-arguments, unless nested) and then the types of its nested blocks. */
function bodyNames(body: Body, nested: boolean): ReadonlySet<string> {
  const cache = nested ? namesByNestedBody : namesByBody;
  const have = cache.get(body);
  if (have) return have;
  const meta: ReadonlySet<string> = nested ? NO_NAMES : RESOURCE_META_ARGUMENTS;
  // Added to one set in order (a block type that is also an argument's name keeps the
  // argument's place); spreading arrays of varying element kinds made this deoptimise.
  const names = new Set<string>();
  for (const a of body.attributes) if (!meta.has(a.name)) names.add(a.name);
  for (const b of body.blocks) {
    if (!nested && META_BLOCKS.has(b.blockType)) continue;
    names.add(b.blockType === "dynamic" ? (labelOf(b, 0) ?? "dynamic") : b.blockType);
  }
  cache.set(body, names);
  return names;
}

/** How attributes a nested block does not set read in expressions (computed, under a path). */
export interface UnsetAttributes {
  reason: UnknownReason;
  /** `aws_eks_cluster.this[0].vpc_config` */
  path: string;
}

/**
 * The names a module declares under one prefix (`var.`, `local.`, `aws_x.`, `data.aws_y.`…): a
 * name it does not declare reads as unknown ("undeclared"), not as an error, so one undeclared
 * reference inside a policy, a jsonencode or a template leaves the rest of the value known.
 * terraform/undefined-reference reports the reference itself.
 */
class Namespace extends LazyObject {
  constructor(
    private readonly prefix: string,
    names: Iterable<string>,
    compute: (name: string) => Value,
  ) {
    super(names, compute);
  }
  override readAttribute(key: string): Value | undefined {
    const v = super.readAttribute(key);
    return v === undefined ? unknown("undeclared", `${this.prefix}${key}`) : v;
  }
}

/** Runs a piece of a module's evaluation so that an unexpected error names the module. */
export type Guard = <T>(fn: () => T) => T;

function nestedBlocks(body: Body, type: string, scope: Scope, unset: UnsetAttributes | undefined, guard: Guard): Value {
  const out: Value[] = [];
  const inner = unset ? { reason: unset.reason, path: `${unset.path}.${type}` } : undefined;
  for (const b of body.blocks) {
    if (b.blockType === type) out.push(bodyObject(b.body, scope, undefined, true, inner, guard));
    else if (b.blockType === "dynamic" && labelOf(b, 0) === type) {
      const forEach = findAttr(b.body, "for_each");
      const content = b.body.blocks.find((x) => x.blockType === "content");
      if (!forEach || !content) continue;
      const iterator = (findAttr(b.body, "iterator")?.expr.type === "Variable" ? (findAttr(b.body, "iterator")?.expr as { name: string }).name : undefined) ?? type;
      const coll = evaluate(forEach.expr, scope);
      const pairs: Array<[Value, Value]> | null =
        coll instanceof ObjectValue ? sortedEntries(coll) : Array.isArray(coll) ? coll.map((v, i) => [i, v]) : null;
      if (!pairs) return isNotKnown(coll) ? unknown("iteration", `dynamic "${type}"`) : new Failure(`dynamic "${type}": for_each is not a collection`);
      for (const [key, value] of pairs) {
        out.push(bodyObject(content.body, new ChildScope(scope, new Map([[iterator, ObjectValue.from({ key, value })]])), undefined, true, inner, guard));
      }
    }
  }
  return out;
}

/**
 * A resource's object: unset attributes are answered by `missing` (derived or computed). A
 * nested block's object answers `get` with undefined for what it does not set, but a
 * reference in an expression (`x.vpc_config[0].cluster_security_group_id`) reads a computed
 * unknown (`unset`), as Terraform's provider schema would give.
 */
class ResourceObject extends LazyObject {
  constructor(
    names: Iterable<string>,
    compute: (name: string) => Value,
    private readonly missing?: (name: string) => Value | undefined,
    private readonly unset?: UnsetAttributes,
  ) {
    super(names, compute);
  }
  override get(key: string): Value | undefined {
    const v = super.get(key);
    if (v !== undefined || !this.missing) return v;
    return this.missing(key);
  }
  override readAttribute(key: string): Value | undefined {
    const v = this.get(key);
    if (v !== undefined || !this.unset) return v;
    return unknown(this.unset.reason, `${this.unset.path}.${key}`);
  }
}

export { collectDeclarations };
