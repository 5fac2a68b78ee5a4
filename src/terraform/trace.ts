// Value tracing: where a value is written. An argument that reads `var.x` in a module gets its
// value from the caller's `x = …`; `local.y`, `each.value.z`, a module output, another
// resource's argument, a tfvars line or a Terragrunt input may stand between. A finding on the
// value belongs where it is written — that is what a person edits — with the places it passed
// through as its chain. The tracer follows the syntax, with the evaluator's scopes to pick
// instances, keys and branches:
//
// - `var.NAME`: the caller's argument NAME in the module call (evaluated in that instance's
//   scope), else, for a root module, its InputOrigin (tfvars, `--var`, Terragrunt), else the
//   variable's `default`;
// - `local.NAME`: the local's expression; `each.value…`: the `for_each` item of this
//   instance's key; `module.NAME[KEY].OUTPUT`: the output's `value` in that instance. A
//   reference to another resource is not followed: its value is that resource's own;
// - attribute and index steps select object items and tuple elements (`var.cfg.window`,
//   `var.list[count.index]`), through parentheses, `tostring()`-like conversions, `try()`,
//   `coalesce()`, `lookup()`, `merge()` (the last argument holding the key), `element()`,
//   `flatten()` (the nested list and index an element of the flat list comes from) and
//   conditionals whose condition is known (not an index through `toset()`: a set orders its
//   elements anew);
// - a `for` expression: the element of its collection that makes the item selected, its value
//   name standing for that element inside the value expression (`{ for k, v in var.m : k => v }`,
//   `{ for s in var.list : s.name => s }`);
// - anything else (a literal, a template, a call that computes) is where the value is written.
//
// The result is plain data (files and ranges): it outlives the syntax trees.

import type { Attribute, Expression, ObjectItem, Range } from "../hcl/ast.js";
import { findAttr } from "./config.js";
import { evaluate, forElementOf, type Scope } from "./evaluate.js";
import { EMPTY_SCOPE, type ModuleInstance, type ResourceInstance } from "./module.js";
import { Failure, ObjectValue, Unknown, isNotKnown, type Value } from "./values.js";

/** A range in a file (its path as findings show it). */
export interface SourcePlace {
  file: string;
  range: Range;
}

/** How a value passed through a place on its way from where it is written to where it is used. */
export type FlowKind = "use" | "argument" | "variable" | "local" | "for_each" | "output" | "input";

export interface FlowStep {
  kind: FlowKind;
  /** Absent for a value given on the command line. */
  place?: SourcePlace;
  /** For people: "passed to `module.db` here", "becomes `var.window` of `module.db`". Never a value. */
  message: string;
}

/** Where a value is written, and the way it went to where it is used. */
export interface Written {
  /** The argument, object item, tuple element or tfvars assignment that writes the value. */
  place: SourcePlace;
  /** The value's own expression inside `place` (what a fix edits). */
  value: Range;
  /** The address of the module instance whose file holds `place` ("" for a root module). */
  module: string;
  /** The places after `place`, in the value's order; the last is the use. Empty when used where written. */
  flow: FlowStep[];
}

/** Where an expression is written and evaluated. */
export interface TraceContext {
  file: string;
  module: ModuleInstance;
  scope: Scope;
  /** The `for_each` this scope's `each` comes from, with this instance's key. */
  iteration?: Iteration;
  /** The `for` expressions the expression is inside of, outermost first: what their names stand for. */
  loops?: readonly LoopBinding[];
}

/** A `for` expression's value name, bound to one element of its collection. */
interface LoopBinding {
  name: string;
  /** The key name (`k` of `for k, v in …`), if any: not followed, but it hides outer names. */
  keyName: string | null;
  /** The collection, where it is evaluated, and the element's key in it. */
  collection: Expression;
  context: TraceContext;
  key: string | number;
}

interface Iteration {
  forEach: Attribute;
  file: string;
  /** Where `for_each` itself is evaluated. */
  context: TraceContext;
  key: string | number | undefined;
  /** `module.db` or `aws_x.y`, for messages. */
  owner: string;
}

/** An attribute name or map key (string), or a tuple index (number). */
export type Selector = string | number;

const MAX_HOPS = 32;

/** The context of a resource instance's arguments (its `each`, `count`, `self`). */
export function resourceContext(inst: ResourceInstance): TraceContext {
  const base: TraceContext = { file: inst.file, module: inst.module, scope: inst.module };
  const fe = findAttr(inst.block.body, "for_each");
  const iteration = fe ? { forEach: fe, file: inst.file, context: base, key: keyOf(inst.key), owner: `${inst.type}.${inst.name}` } : undefined;
  return { file: inst.file, module: inst.module, scope: inst.scope, iteration };
}

/** The context of a module's own declarations (locals, outputs, providers). */
export function moduleContext(module: ModuleInstance, file: string): TraceContext {
  return { file, module, scope: module };
}

export interface TraceOptions {
  /**
   * Follow `local.X` (default true). A whole collection one entity lacks something in (the
   * tags a secret lacks a key of) belongs where that entity's argument or its caller's module
   * argument sets it, not in a local other entities share too: such callers pass false.
   */
  locals?: boolean;
}

/**
 * Where the value of an argument (or object item) is written. `use` names what uses it (a
 * resource address), for the chain's last step.
 */
export function traceArgument(holder: Attribute | ObjectItem, ctx: TraceContext, use: string, selectors: Selector[] = [], options: TraceOptions = {}): Written {
  const expr = "expr" in holder ? holder.expr : holder.value;
  return new Tracer(use, options).run(expr, holder.range, ctx, selectors);
}

/** The same for an expression whose holder range the caller knows (a nested block's argument…). */
export function traceExpression(expr: Expression, holder: Range, ctx: TraceContext, use: string, selectors: Selector[] = [], options: TraceOptions = {}): Written {
  return new Tracer(use, options).run(expr, holder, ctx, selectors);
}

/**
 * One step back from a reference (`var.x…`, `each.value…`, `local.y…`, `module.m[k].out…`) to
 * the expression it reads, as {@link traceArgument} takes it: a caller's argument in that
 * instance's scope (callers with `count`/`for_each` included), a root module's input (tfvars,
 * Terragrunt) or the variable's default, the `for_each` item of the instance's key. For
 * collectors that read the syntax further (the IAM collector places each statement of a policy
 * document): the expression, where it is evaluated, and the attribute and index steps of the
 * reference left to apply to it. Null when the tracer does not follow the reference.
 */
export function referencedExpression(expr: Expression, ctx: TraceContext): { expr: Expression; ctx: TraceContext; selectors: Selector[] } | null {
  if (expr.type !== "Variable" && expr.type !== "GetAttr" && expr.type !== "Index") return null;
  const hop = new Tracer("", {}).reference(expr, expr.range, ctx, []);
  return hop ? { expr: hop.expr, ctx: hop.ctx, selectors: hop.selectors } : null;
}

class Tracer {
  /** Steps from the use backwards. */
  private readonly back: FlowStep[] = [];
  private holderKind: FlowKind = "use";
  private holderLabel: string;

  constructor(
    use: string,
    private readonly options: TraceOptions,
  ) {
    this.holderLabel = use;
  }

  run(expr: Expression, holder: Range, ctx: TraceContext, selectors: Selector[]): Written {
    let e = expr;
    let h = holder;
    let c = ctx;
    let sel = selectors;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const next = this.step(e, h, c, sel);
      if (!next) break;
      ({ expr: e, holder: h, ctx: c, selectors: sel } = next);
    }
    return { place: { file: c.file, range: h }, value: e.range, module: c.module.address, flow: this.back.reverse() };
  }

  /** Leaves the current holder through a reference: it becomes a step of the chain. */
  private leave(holder: Range, ctx: TraceContext, nextKind: FlowKind, nextLabel: string): void {
    this.back.push({ kind: this.holderKind, place: { file: ctx.file, range: holder }, message: this.messageFor(this.holderKind, this.holderLabel) });
    this.holderKind = nextKind;
    this.holderLabel = nextLabel;
  }

  private messageFor(kind: FlowKind, label: string): string {
    switch (kind) {
      case "use":
        return `used here by \`${label}\``;
      case "argument":
        return `passed to \`${label}\` here`;
      case "local":
        return `through \`${label}\``;
      case "for_each":
        return `through the \`for_each\` of \`${label}\``;
      case "output":
        return `through output \`${label}\``;
      case "input":
        return `set for \`${label}\` here`;
      case "variable":
        return label;
    }
  }

  /** One hop: the next expression to look at, or null when `expr` is where the value is written. */
  private step(expr: Expression, holder: Range, ctx: TraceContext, sel: Selector[]): Hop | null {
    const same = (e: Expression, s: Selector[] = sel): Hop => ({ expr: e, holder, ctx, selectors: s });
    switch (expr.type) {
      case "Parens":
        return same(expr.expr);
      case "Template":
        return expr.wrapped ? same(expr.wrapped) : null;
      case "Object": {
        if (sel.length === 0) return null;
        const item = objectItem(expr.items, sel[0], ctx.scope);
        return item ? { expr: item.value, holder: item.range, ctx, selectors: sel.slice(1) } : null;
      }
      case "Tuple": {
        if (sel.length === 0) return null;
        const k = sel[0];
        let item: Expression | undefined;
        if (typeof k === "number") item = expr.items[k];
        // A set of strings iterated by for_each: the element equal to the key.
        else item = expr.items.find((x) => evaluate(x, ctx.scope) === k);
        return item ? { expr: item, holder: item.range, ctx, selectors: sel.slice(1) } : null;
      }
      case "Conditional": {
        const c = evaluate(expr.condition, ctx.scope);
        if (c === true || c === "true") return same(expr.then);
        if (c === false || c === "false") return same(expr.else);
        return null;
      }
      case "For": {
        // The item selected comes from one element of the collection: trace the value
        // expression with the loop's value name standing for that element.
        if (sel.length === 0) return null;
        const el = forElementOf(expr, ctx.scope, sel[0]);
        if (!el) return null;
        const binding: LoopBinding = { name: expr.valueVar, keyName: expr.keyVar, collection: expr.collection, context: ctx, key: el.key };
        const inner: TraceContext = { ...ctx, scope: el.scope, loops: [...(ctx.loops ?? []), binding] };
        return { expr: expr.valueExpr, holder, ctx: inner, selectors: sel.slice(1) };
      }
      case "FunctionCall":
        return this.call(expr, ctx, sel, same);
      case "Variable":
      case "GetAttr":
      case "Index":
        return this.reference(expr, holder, ctx, sel);
      default:
        return null;
    }
  }

  private call(expr: Extract<Expression, { type: "FunctionCall" }>, ctx: TraceContext, sel: Selector[], same: (e: Expression, s?: Selector[]) => Hop): Hop | null {
    const name = expr.name.startsWith("core::") ? expr.name.slice(6) : expr.name;
    const args = expr.args;
    if (expr.expandFinal) return null;
    switch (name) {
      case "tostring":
      case "tonumber":
      case "tobool":
      case "toset":
        // A set orders its elements anew: an index into it is not an index into the argument.
        return args.length === 1 && typeof sel[0] !== "number" ? same(args[0]) : null;
      case "tolist":
      case "tomap":
      case "sensitive":
      case "nonsensitive":
        return args.length === 1 ? same(args[0]) : null;
      case "try":
        for (const a of args) {
          const v = select(evaluate(a, ctx.scope), sel);
          if (v instanceof Failure || v === undefined) continue;
          return v instanceof Unknown ? null : same(a);
        }
        return null;
      case "coalesce":
        for (const a of args) {
          const v = select(evaluate(a, ctx.scope), sel);
          if (v === null || v === "" || v === undefined) continue;
          return isNotKnown(v) ? null : same(a);
        }
        return null;
      case "lookup": {
        if (args.length < 2) return null;
        const key = evaluate(args[1], ctx.scope);
        if (typeof key !== "string") return null;
        const map = evaluate(args[0], ctx.scope);
        if (map instanceof ObjectValue && map.has(key)) return same(args[0], [key, ...sel]);
        return map instanceof ObjectValue && args[2] ? same(args[2]) : null;
      }
      case "merge": {
        if (sel.length === 0) return null;
        for (let i = args.length - 1; i >= 0; i--) {
          const v = evaluate(args[i], ctx.scope);
          if (v instanceof ObjectValue && v.has(String(sel[0]))) return same(args[i]);
          if (isNotKnown(v)) return null; // an unknown argument might hold the key
        }
        return null;
      }
      case "flatten": {
        // The n-th element of the flat list is an element of some nested list: its indexes.
        if (args.length !== 1 || typeof sel[0] !== "number") return null;
        const path = flatIndexPath(evaluate(args[0], ctx.scope), sel[0]);
        return path ? same(args[0], [...path, ...sel.slice(1)]) : null;
      }
      case "element": {
        if (args.length !== 2) return null;
        const list = evaluate(args[0], ctx.scope);
        const i = evaluate(args[1], ctx.scope);
        if (!Array.isArray(list) || list.length === 0 || typeof i !== "number" || !Number.isInteger(i)) return null;
        return same(args[0], [((i % list.length) + list.length) % list.length, ...sel]);
      }
      default:
        return null;
    }
  }

  reference(expr: Expression, holder: Range, ctx: TraceContext, sel: Selector[]): Hop | null {
    const t = flatten(expr);
    if (!t) return null;
    // The steps after the root, as selectors (index keys evaluated where the reference is).
    const steps: Selector[] = [];
    for (const s of t.steps) {
      if (s.attr !== undefined) steps.push(s.attr);
      else {
        const k = keyOf(evaluate(s.index as Expression, ctx.scope));
        if (k === undefined) return null;
        steps.push(k);
      }
    }
    // A `for` expression's value name: the element of its collection (a key name is not followed).
    const loops = ctx.loops ?? [];
    for (let i = loops.length - 1; i >= 0; i--) {
      const b = loops[i];
      if (b.keyName === t.root) return null;
      if (b.name !== t.root) continue;
      return { expr: b.collection, holder, ctx: b.context, selectors: [b.key, ...steps, ...sel] };
    }
    const m = ctx.module;
    const [first, ...rest] = steps;
    switch (t.root) {
      case "var": {
        if (typeof first !== "string") return null;
        const decl = m.config.variables.get(first);
        if (!decl) return null;
        const moduleName = m.address ? `\`${m.address}\`` : "the root module";
        const via = (label: string) => ({ kind: "variable" as const, place: { file: decl.file, range: decl.node.range }, message: label });
        const caller = callerOf(m);
        if (caller) {
          const arg = findAttr(caller.call.block.body, first);
          if (arg) {
            this.leave(holder, ctx, "argument", m.address);
            this.back.push(via(`becomes \`var.${first}\` of ${moduleName}`));
            return { expr: arg.expr, holder: arg.range, ctx: caller.context, selectors: [...rest, ...sel] };
          }
        } else {
          const input = m.inputOrigins.get(first);
          if (input) {
            if (!input.file || !input.range || !input.expr) {
              // Not written in a file (`--var`): the finding stays where the value is used, and
              // the chain names the variable and where it was set.
              this.back.push({ kind: "variable", place: { file: decl.file, range: decl.node.range }, message: `\`var.${first}\` of ${moduleName}, set by ${input.label}` });
              return null;
            }
            this.leave(holder, ctx, "input", `var.${first}`);
            this.back.push(via(`becomes \`var.${first}\` of ${moduleName}`));
            const inputCtx: TraceContext = { file: input.file, module: m, scope: input.scope ?? EMPTY_SCOPE };
            return { expr: input.expr, holder: input.range, ctx: inputCtx, selectors: [...rest, ...sel] };
          }
        }
        // The default, when the caller (or tfvars) does not set it.
        const def = findAttr(decl.node.body, "default");
        if (!def) return null;
        // The default is the written place (inside the variable's block: no step of its own).
        this.leave(holder, ctx, "variable", `the default of \`var.${first}\``);
        return { expr: def.expr, holder: def.range, ctx: { file: decl.file, module: m, scope: EMPTY_SCOPE }, selectors: [...rest, ...sel] };
      }
      case "local": {
        if (typeof first !== "string" || this.options.locals === false) return null;
        const decl = m.config.locals.get(first);
        if (!decl) return null;
        this.leave(holder, ctx, "local", `local.${first}`);
        return { expr: decl.node.expr, holder: decl.node.range, ctx: moduleContext(m, decl.file), selectors: [...rest, ...sel] };
      }
      case "each": {
        const it = ctx.iteration;
        if (!it || it.key === undefined) return null;
        if (first === "value") {
          this.leave(holder, ctx, "for_each", it.owner);
          return { expr: it.forEach.expr, holder: it.forEach.range, ctx: it.context, selectors: [it.key, ...rest, ...sel] };
        }
        return null;
      }
      case "module": {
        if (typeof first !== "string" || !m.config.modules.has(first)) return null;
        const call = m.moduleCall(first);
        let i = 0;
        let child: ModuleInstance | undefined;
        const k = rest[0];
        const keyed = call.instances.length > 0 && call.instances[0].key !== undefined;
        if (keyed) {
          child = call.instances.find((c) => c.key === k || (typeof c.key === "number" && String(c.key) === String(k)));
          i = 1;
        } else child = call.instances[0];
        const output = rest[i];
        if (!child || typeof output !== "string") return null;
        const decl = child.config.outputs.get(output);
        const value = decl ? findAttr(decl.node.body, "value") : undefined;
        if (!decl || !value) return null;
        this.leave(holder, ctx, "output", `${child.address}.${output}`);
        return { expr: value.expr, holder: value.range, ctx: moduleContext(child, decl.file), selectors: [...rest.slice(i + 1), ...sel] };
      }
      case "count":
      case "path":
      case "terraform":
      case "self":
        return null;
      default:
        // Another resource's attribute: that resource's own value, reported on it (not followed).
        return null;
    }
  }
}

interface Hop {
  expr: Expression;
  holder: Range;
  ctx: TraceContext;
  selectors: Selector[];
}

/** The module call that made a (child) module instance, with the context its inputs are evaluated in. */
function callerOf(m: ModuleInstance): { call: ReturnType<ModuleInstance["moduleCall"]>; context: TraceContext } | undefined {
  const parent = m.parent;
  if (!parent || !m.callName) return undefined;
  const call = parent.moduleCall(m.callName);
  const i = call.instances.indexOf(m);
  if (i < 0) return undefined;
  const base: TraceContext = { file: call.file, module: parent, scope: parent };
  const fe = findAttr(call.block.body, "for_each");
  const iteration = fe ? { forEach: fe, file: call.file, context: base, key: keyOf(m.key), owner: m.address } : undefined;
  return { call, context: { file: call.file, module: parent, scope: call.scopes[i] ?? parent, iteration } };
}

function keyOf(v: Value | undefined): string | number | undefined {
  if (typeof v === "string") return v === "*" ? undefined : v;
  if (typeof v === "number") return v;
  return undefined;
}

/** The object item whose key is `key`. */
function objectItem(items: ObjectItem[], key: Selector, scope: Scope): ObjectItem | undefined {
  const want = String(key);
  // Later items win, as in an object constructor.
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i];
    const k = it.bareKey && it.key.type === "Variable" ? it.key.name : evaluate(it.key, scope);
    if ((typeof k === "string" || typeof k === "number") && String(k) === want) return it;
  }
  return undefined;
}

/**
 * Where the `want`-th element of `flatten(v)` sits in `v`: its indexes, list by list. Undefined
 * when flatten's result is not known that far (an unknown element), as the function counts.
 */
function flatIndexPath(v: Value, want: number): number[] | undefined {
  if (!Array.isArray(v)) return undefined;
  let seen = 0;
  const walk = (list: Value[], path: number[]): number[] | "stop" | undefined => {
    for (let j = 0; j < list.length; j++) {
      const x = list[j];
      if (Array.isArray(x)) {
        const r = walk(x, [...path, j]);
        if (r !== undefined) return r;
      } else if (x instanceof Failure || (x instanceof Unknown && !x.template && x.json === undefined)) return "stop";
      else if (seen++ === want) return [...path, j];
    }
    return undefined;
  };
  const r = walk(v, []);
  return Array.isArray(r) ? r : undefined;
}

/** A value with selectors applied (undefined when a selector finds nothing). */
function select(v: Value, sel: Selector[]): Value | undefined {
  let cur: Value | undefined = v;
  for (const s of sel) {
    if (cur instanceof ObjectValue) cur = cur.get(String(s));
    else if (Array.isArray(cur) && typeof s === "number") cur = cur[s];
    else if (isNotKnown(cur)) return cur;
    else return undefined;
  }
  return cur;
}

type TraversalStep = { attr: string; index?: undefined } | { attr?: undefined; index: Expression };

/** `a.b[0].c` → root `a` and its steps; undefined for anything else (splats included). */
function flatten(e: Expression): { root: string; steps: TraversalStep[] } | undefined {
  const steps: TraversalStep[] = [];
  let cur = e;
  for (;;) {
    if (cur.type === "Variable") return { root: cur.name, steps: steps.reverse() };
    if (cur.type === "GetAttr") {
      steps.push({ attr: cur.name });
      cur = cur.object;
    } else if (cur.type === "Index") {
      steps.push({ index: cur.key });
      cur = cur.object;
    } else return undefined;
  }
}
