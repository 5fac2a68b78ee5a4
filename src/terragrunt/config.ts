// One Terragrunt configuration file evaluated as Terragrunt evaluates it, never run: its
// `locals`, its `include`s (the parent evaluated in the child's context, exposed or merged),
// `dependency` outputs (unknown: mock outputs are not real values), `feature` defaults, and the
// functions of Terragrunt (functions.ts) beside Terraform's. The merged view (what a unit runs
// with) holds the terraform block's arguments, generate blocks, remote_state, and the inputs
// in merge order, each with the file and scope it is written in.
//
// Contexts follow Terragrunt's parsing context: an included parent is evaluated with the
// child's configuration path (get_terragrunt_dir() is the child's directory; find_in_parent_folders
// starts above it), and with its include block as the "original" include (path_relative_to_include,
// get_parent_terragrunt_dir). A file read by read_terragrunt_config is evaluated with its own
// path. Terraform's file functions resolve against the directory of the file they are written in.

import path from "node:path";
import type { Attribute, Block, Expression, File, Range } from "../hcl/ast.js";
import { findAttr } from "../terraform/config.js";
import { evaluate, type Scope } from "../terraform/evaluate.js";
import type { FunctionContext } from "../terraform/functions/index.js";
import { Failure, LazyObject, ObjectValue, Unknown, isNotKnown, unknown, type Value } from "../terraform/values.js";
import { terragruntFunctions } from "./functions.js";
import type { TerragruntSession } from "./session.js";
import { EvalBudget } from "../terraform/budget.js";

/** The file names Terragrunt takes for a configuration in a directory. */
export const CONFIG_NAMES = ["terragrunt.hcl", "terragrunt.hcl.json"];

/** Deeper than this, include and read_terragrunt_config chains stop (a cycle, or worse). */
const MAX_DEPTH = 8;

export interface IncludeSpec {
  /** The block's label ("" for a bare `include {}`). */
  name: string;
  block: Block;
  /** Absolute path of the parent configuration, when its `path` is known. */
  path: string | undefined;
  expose: boolean;
  mergeStrategy: "shallow" | "deep" | "no_merge";
}

export interface TgContext {
  /** The configuration Terragrunt is processing (the unit's, or one read by read_terragrunt_config). */
  configPath: string;
  /** The unit's configuration: get_original_terragrunt_dir(). */
  originalPath: string;
  /** For an included parent: the include block that brought it in. */
  includeOriginal?: IncludeSpec;
}

/** An expression with the configuration (file and scope) it is written in. */
export interface Sourced {
  expr: Expression;
  cfg: TgConfig;
  /** The attribute or object item that holds it. */
  holder: Range;
}

export interface GenerateSpec {
  name: string;
  /** Where the block (or `generate` attribute item) is written. */
  cfg: TgConfig;
  range: Range;
  /** Evaluated on demand: a unit whose module is not evaluated never needs them. */
  path(): Value;
  ifExists(): Value;
  disable(): Value;
  /** The contents, with its expression when it is written as one (a block's `contents`, an object item). */
  contents(): { value: Value; expr?: Expression };
}

export interface MergedView {
  /** The terraform block's arguments (`source`…), the child's winning. */
  terraform: Map<string, Sourced>;
  /** By name, the child's winning. */
  generates: Map<string, GenerateSpec>;
  /** remote_state's `generate` (path, if_exists), when set. */
  remoteStateGenerate?: { path: Value; ifExists: Value };
  /** The inputs to merge, in order (later wins; `deep` merges recursively). */
  inputs: Array<{ sourced: Sourced; deep: boolean }>;
}

export class TgConfig implements Scope {
  readonly functionContext: FunctionContext;
  /** This configuration's evaluation budget (a unit's configuration and each file it includes: one each). */
  readonly budget: EvalBudget;
  readonly dir: string;
  private readonly localsObj: LazyObject;
  private includeSpecs?: IncludeSpec[];
  private resolvingIncludes = false;
  private readonly parents = new Map<IncludeSpec, TgConfig | null>();
  private merged?: MergedView;
  private valueObj?: LazyObject;

  constructor(
    /** Absolute path of the file. */
    readonly abs: string,
    readonly file: File,
    readonly ctx: TgContext,
    readonly session: TerragruntSession,
    readonly depth = 0,
  ) {
    this.dir = path.dirname(abs);
    this.budget = new EvalBudget((event) => session.options.budgetNotice?.(abs, event));
    let fns: FunctionContext["functions"];
    const self = this;
    this.functionContext = {
      baseDir: this.dir,
      budget: this.budget,
      // Terraform's file functions, relative to this file's directory, through the loader's read function.
      readFile: (p) => session.readFragment(path.resolve(this.dir, p)),
      missingFilesFail: true,
      get functions() {
        return (fns ??= terragruntFunctions(self));
      },
    };
    const localNames: string[] = [];
    for (const b of this.blocks("locals")) for (const a of b.body.attributes) localNames.push(a.name);
    this.localsObj = new LazyObject(localNames, (n) => {
      const a = this.localDecl(n);
      return a ? evaluate(a.expr, this) : unknown("undeclared", `local.${n}`);
    });
  }

  get display(): string {
    return this.file.fileName;
  }

  blocks(type: string): Block[] {
    return this.file.body.blocks.filter((b) => b.blockType === type);
  }

  attr(name: string): Attribute | undefined {
    return findAttr(this.file.body, name);
  }

  localDecl(name: string): Attribute | undefined {
    for (const b of this.blocks("locals")) {
      const a = findAttr(b.body, name);
      if (a) return a;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- Scope

  root(name: string): Value | undefined {
    switch (name) {
      case "local":
        return this.localsObj;
      case "include":
        return this.exposedIncludes();
      case "dependency":
        return new DependencyNamespace();
      case "feature":
        return this.features();
      case "values":
        return unknown("dynamic", "values");
      default:
        return name.startsWith("\u0000") ? undefined : unknown("undeclared", name);
    }
  }

  // ---------------------------------------------------------------- includes

  /** The include blocks, their paths evaluated (in this configuration's scope). */
  includes(): IncludeSpec[] {
    if (this.includeSpecs) return this.includeSpecs;
    if (this.resolvingIncludes) return []; // an include path that refers to includes: none yet
    this.resolvingIncludes = true;
    try {
      const out: IncludeSpec[] = [];
      for (const b of this.blocks("include")) {
        const p = findAttr(b.body, "path");
        const v = p ? evaluate(p.expr, this) : undefined;
        const expose = findAttr(b.body, "expose");
        const strategy = findAttr(b.body, "merge_strategy");
        const s = strategy ? evaluate(strategy.expr, this) : "shallow";
        out.push({
          name: b.labels[0]?.value ?? "",
          block: b,
          path: typeof v === "string" ? path.resolve(this.dir, v) : undefined,
          expose: expose ? evaluate(expose.expr, this) === true : false,
          mergeStrategy: s === "deep" || s === "no_merge" ? s : "shallow",
        });
      }
      this.includeSpecs = out;
      return out;
    } finally {
      this.resolvingIncludes = false;
    }
  }

  /** The parent configuration an include brings in, evaluated in this configuration's context. */
  parent(spec: IncludeSpec): TgConfig | null {
    if (this.parents.has(spec)) return this.parents.get(spec) ?? null;
    let out: TgConfig | null = null;
    if (spec.path !== undefined && this.depth < MAX_DEPTH) {
      const file = this.session.parse(spec.path);
      if (file) out = new TgConfig(spec.path, file, { configPath: this.ctx.configPath, originalPath: this.ctx.originalPath, includeOriginal: spec }, this.session, this.depth + 1);
    }
    this.parents.set(spec, out);
    return out;
  }

  /** The include a path function refers to: the one that brought this file in, else this file's by name (or its only one). */
  selectedInclude(name: string | undefined): IncludeSpec | undefined {
    if (this.ctx.includeOriginal) return this.ctx.includeOriginal;
    const list = this.includes();
    if (name !== undefined) return list.find((i) => i.name === name);
    return list[0];
  }

  private exposedIncludes(): Value {
    const list = this.includes().filter((i) => i.expose);
    const bare = list.find((i) => i.name === "");
    if (bare) return this.parent(bare)?.asValue() ?? unknown("dynamic", "include");
    return new LazyObject(
      list.map((i) => i.name),
      (n) => {
        const spec = list.find((i) => i.name === n) as IncludeSpec;
        return this.parent(spec)?.asValue() ?? unknown("dynamic", `include.${n}`);
      },
    );
  }

  private features(): Value {
    const blocks = this.blocks("feature");
    return new LazyObject(
      blocks.map((b) => b.labels[0]?.value ?? ""),
      (n) => {
        const b = blocks.find((x) => x.labels[0]?.value === n) as Block;
        const d = findAttr(b.body, "default");
        // A feature flag's value is its default unless the command line or the environment sets it.
        return ObjectValue.from({ value: d ? evaluate(d.expr, this) : null });
      },
    );
  }

  // ---------------------------------------------------------------- the merged view

  /** What this configuration runs with: its own blocks over its merged parents'. */
  view(): MergedView {
    if (this.merged) return this.merged;
    const out: MergedView = { terraform: new Map(), generates: new Map(), inputs: [] };
    for (const spec of this.includes()) {
      if (spec.mergeStrategy === "no_merge") continue;
      const p = this.parent(spec);
      if (!p) continue;
      const pv = p.view();
      for (const [k, v] of pv.terraform) out.terraform.set(k, v);
      for (const [k, v] of pv.generates) out.generates.set(k, v);
      if (pv.remoteStateGenerate) out.remoteStateGenerate = pv.remoteStateGenerate;
      for (const part of pv.inputs) out.inputs.push({ sourced: part.sourced, deep: part.deep || spec.mergeStrategy === "deep" });
    }
    const deepChild = this.includes().some((i) => i.mergeStrategy === "deep");
    for (const b of this.blocks("terraform")) {
      for (const a of b.body.attributes) out.terraform.set(a.name, { expr: a.expr, cfg: this, holder: a.range });
    }
    for (const g of this.ownGenerates()) out.generates.set(g.name, g);
    const rs = this.ownRemoteStateGenerate();
    if (rs) out.remoteStateGenerate = rs;
    const inputs = this.attr("inputs");
    if (inputs) out.inputs.push({ sourced: { expr: inputs.expr, cfg: this, holder: inputs.range }, deep: deepChild });
    this.merged = out;
    return out;
  }

  private ownGenerates(): GenerateSpec[] {
    const out: GenerateSpec[] = [];
    for (const b of this.blocks("generate")) {
      const get = (n: string) => (): Value => {
        const a = findAttr(b.body, n);
        return a ? evaluate(a.expr, this) : null;
      };
      const contents = findAttr(b.body, "contents");
      out.push({
        name: b.labels[0]?.value ?? "",
        cfg: this,
        range: b.range,
        path: get("path"),
        ifExists: get("if_exists"),
        disable: get("disable"),
        contents: () => ({ value: contents ? evaluate(contents.expr, this) : null, expr: contents?.expr }),
      });
    }
    // `generate = { name = { path = …, contents = … } }`, or a value read from another file.
    const attr = this.attr("generate");
    if (attr) {
      const v = evaluate(attr.expr, this);
      const items = attr.expr.type === "Object" ? attr.expr.items : [];
      if (v instanceof ObjectValue) {
        for (const [name, g] of v.entries) {
          if (!(g instanceof ObjectValue)) continue;
          const item = items.find((it) => (it.key.type === "Variable" ? it.key.name : evaluate(it.key, this)) === name);
          const contentsItem = item?.value.type === "Object" ? item.value.items.find((it) => it.key.type === "Variable" && it.key.name === "contents") : undefined;
          out.push({
            name,
            cfg: this,
            range: item?.range ?? attr.range,
            path: () => g.get("path") ?? null,
            ifExists: () => g.get("if_exists") ?? null,
            disable: () => g.get("disable") ?? null,
            contents: () => ({ value: g.get("contents") ?? null, expr: contentsItem?.value }),
          });
        }
      } else if (isNotKnown(v)) {
        // Generated files not known: whatever they declare is not known either.
        const u = unknown("dynamic", "generate");
        out.push({ name: "\u0000unknown", cfg: this, range: attr.range, path: () => u, ifExists: () => null, disable: () => null, contents: () => ({ value: u }) });
      }
    }
    return out;
  }

  private ownRemoteStateGenerate(): { path: Value; ifExists: Value } | undefined {
    const b = this.blocks("remote_state")[0];
    let g: Value | undefined;
    if (b) {
      const a = findAttr(b.body, "generate");
      g = a ? evaluate(a.expr, this) : undefined;
    } else {
      const a = this.attr("remote_state");
      const v = a ? evaluate(a.expr, this) : undefined;
      g = v instanceof ObjectValue ? v.get("generate") : undefined;
    }
    if (!(g instanceof ObjectValue)) return undefined;
    return { path: g.get("path") ?? null, ifExists: g.get("if_exists") ?? null };
  }

  /** The inputs this configuration runs with (its own over its merged parents'). */
  inputsValue(): Value {
    let acc: Value | undefined;
    for (const part of this.view().inputs) {
      const v = evaluate(part.sourced.expr, part.sourced.cfg);
      acc = acc === undefined ? v : mergeInputs(acc, v, part.deep);
    }
    return acc ?? new ObjectValue();
  }

  // ---------------------------------------------------------------- as a value

  /** The configuration as read_terragrunt_config and an exposed include give it. */
  asValue(): LazyObject {
    if (this.valueObj) return this.valueObj;
    const fixed = ["locals", "inputs", "terraform", "remote_state", "dependency", "dependencies", "generate", "feature"];
    const others = this.file.body.attributes.map((a) => a.name).filter((n) => !fixed.includes(n));
    this.valueObj = new LazyObject([...fixed, ...others], (n) => {
      switch (n) {
        case "locals":
          return this.localsObj;
        case "inputs":
          return this.inputsValue();
        case "terraform": {
          const t = this.view().terraform;
          return new LazyObject(t.keys(), (k) => {
            const s = t.get(k) as Sourced;
            return evaluate(s.expr, s.cfg);
          });
        }
        case "dependency":
          return new DependencyNamespace(this.blocks("dependency").map((b) => b.labels[0]?.value ?? ""));
        case "dependencies": {
          const b = this.blocks("dependencies")[0];
          const p = b ? findAttr(b.body, "paths") : undefined;
          return ObjectValue.from({ paths: p ? evaluate(p.expr, this) : [] });
        }
        case "generate": {
          const gens = this.view().generates;
          return new ObjectValue(
            [...gens.values()].map((g) => [g.name, ObjectValue.from({ path: g.path(), if_exists: g.ifExists(), contents: g.contents().value, disable: g.disable() })] as [string, Value]),
          );
        }
        case "feature":
          return this.features();
        case "remote_state": {
          const b = this.blocks("remote_state")[0];
          if (b) return new LazyObject(b.body.attributes.map((a) => a.name), (k) => evaluate((findAttr(b.body, k) as Attribute).expr, this));
          const a = this.attr("remote_state");
          return a ? evaluate(a.expr, this) : null;
        }
        default: {
          const a = this.attr(n);
          return a ? evaluate(a.expr, this) : null;
        }
      }
    });
    return this.valueObj;
  }
}

/** `dependency.NAME.outputs…`: never known statically (mock outputs are not real values). */
class DependencyNamespace extends ObjectValue {
  constructor(private readonly declared: string[] = []) {
    super();
  }
  override get(key: string): Value | undefined {
    return ObjectValue.from({
      outputs: unknown("module", `dependency.${key}.outputs`),
      inputs: unknown("module", `dependency.${key}.inputs`),
      mock_outputs: unknown("module", `dependency.${key}.mock_outputs`),
      config_path: unknown("dynamic", `dependency.${key}.config_path`),
    });
  }
  override readAttribute(key: string): Value | undefined {
    return this.get(key);
  }
  override has(key: string): boolean {
    return this.declared.includes(key);
  }
  override get entries(): Map<string, Value> {
    return new Map(this.declared.map((k) => [k, this.get(k) as Value]));
  }
}

/** Terragrunt's merge of inputs: shallow (the child's keys replace the parent's) or deep. */
export function mergeInputs(parent: Value, child: Value, deep: boolean): Value {
  if (child instanceof Failure || parent instanceof Failure) return unknown("dynamic", "inputs");
  if (!(child instanceof ObjectValue) || !(parent instanceof ObjectValue)) {
    if (child instanceof Unknown || parent instanceof Unknown) return unknown("dynamic", "inputs");
    return child;
  }
  const out = new ObjectValue(parent.entries);
  for (const [k, v] of child.entries) {
    const p = out.get(k);
    out.set(k, deep && p !== undefined ? deepMerge(p, v) : v);
  }
  return out;
}

/** Terragrunt's deep merge: objects merged recursively, lists concatenated, the later value otherwise. */
export function deepMerge(a: Value, b: Value): Value {
  if (a instanceof ObjectValue && b instanceof ObjectValue) {
    const out = new ObjectValue(a.entries);
    for (const [k, v] of b.entries) {
      const p = out.get(k);
      out.set(k, p !== undefined ? deepMerge(p, v) : v);
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  return b;
}
