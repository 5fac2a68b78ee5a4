// References in Terraform expressions, read from the syntax tree (not from values): the
// traversals an expression holds (`aws_secretsmanager_secret.x["k"].name`, `var.p`), with the
// names that `for` expressions, template `%{for}` directives and `dynamic` blocks bind. Other
// collectors use them to link entities (a `sym_secret.path` to the secret it names) and to tell
// a literal value from a computed one; `collectUndefinedReferences` reports the references
// whose target the module does not declare (`terraform/undefined-reference`).

import path from "node:path";
import type { Block, Body, Expression, Range, VariableExpr } from "../../hcl/ast.js";
import type { ModuleConfig } from "../../terraform/config.js";
import type { UndefinedReference } from "../../inventory/model.js";
import type { CollectContext } from "./context.js";
import { fileOrigin } from "./context.js";
import { pushAll } from "../../util/arrays.js";

// ---------------------------------------------------------------- traversals

export type TraversalStep =
  | { kind: "attr"; name: string; range: Range }
  | { kind: "index"; key: Expression; range: Range }
  /** `[*]` or `.*`: every element from here on. */
  | { kind: "splat"; range: Range };

/** A reference as written: a root name and the steps after it. */
export interface Traversal {
  root: VariableExpr;
  steps: TraversalStep[];
  /** The whole expression the traversal spans. */
  expr: Expression;
  /**
   * Written `resource.TYPE.NAME` (Terraform's explicit form of a managed resource reference):
   * `root` then stands for `resource.TYPE` (named TYPE, spanning both) and `steps` start at NAME.
   */
  resourcePrefix?: true;
}

/** `resource.aws_x.y` read as `aws_x.y` (see Traversal.resourcePrefix); others unchanged. */
export function withoutResourcePrefix(t: Traversal): Traversal {
  const s1 = t.steps[0];
  if (t.root.name !== "resource" || s1?.kind !== "attr") return t;
  const root: VariableExpr = { type: "Variable", name: s1.name, range: { start: t.root.range.start, end: s1.range.end } };
  return { root, steps: t.steps.slice(1), expr: t.expr, resourcePrefix: true };
}

/**
 * The traversal an expression is, when it is a chain of attribute, index and splat steps on a
 * root name (`aws_x.y[0].id`, `var.a[*].b`); undefined for anything else (a function call's
 * result, a literal…).
 */
export function traversalOf(e: Expression): Traversal | undefined {
  const steps: TraversalStep[] = [];
  let cur: Expression = e;
  for (;;) {
    switch (cur.type) {
      case "Variable":
        steps.reverse();
        return { root: cur, steps, expr: e };
      case "GetAttr":
        steps.push({ kind: "attr", name: cur.name, range: cur.nameRange });
        cur = cur.object;
        break;
      case "Index":
        steps.push({ kind: "index", key: cur.key, range: cur.range });
        cur = cur.object;
        break;
      case "Splat": {
        const each = splatSteps(cur.each);
        if (!each) return undefined;
        // Pushed reversed (we reverse the whole list at the end).
        for (let i = each.length - 1; i >= 0; i--) steps.push(each[i]);
        steps.push({ kind: "splat", range: cur.range });
        cur = cur.object;
        break;
      }
      case "Parens":
        // `(a.b).c` is the same traversal as `a.b.c` for our purposes.
        cur = cur.expr;
        break;
      default:
        return undefined;
    }
  }
}

/** The steps of a splat's per-element traversal (rooted at the SplatItem), in order. */
function splatSteps(e: Expression): TraversalStep[] | undefined {
  const out: TraversalStep[] = [];
  let cur: Expression = e;
  for (;;) {
    if (cur.type === "SplatItem") return out.reverse();
    if (cur.type === "GetAttr") {
      out.push({ kind: "attr", name: cur.name, range: cur.nameRange });
      cur = cur.object;
    } else if (cur.type === "Index") {
      out.push({ kind: "index", key: cur.key, range: cur.range });
      cur = cur.object;
    } else return undefined;
  }
}

/** Root names that are not resource types. */
export const RESERVED_ROOTS: ReadonlySet<string> = new Set([
  "var",
  "local",
  "module",
  "data",
  "path",
  "terraform",
  "each",
  "count",
  "self",
  "ephemeral",
]);

const NO_NAMES: ReadonlySet<string> = new Set();

/**
 * Calls `visit` on every traversal in an expression whose root is not a name bound by an
 * enclosing `for` (or one of `bound`), outermost first; index keys inside a traversal
 * (`aws_x.y[var.k]`) are visited too. Bare object keys (`{ name = 1 }`) are not references.
 */
export function forEachTraversal(e: Expression, visit: (t: Traversal) => void, bound: ReadonlySet<string> = NO_NAMES): void {
  walkTraversals(e, bound, visit);
}

// A module-level function, not a closure made per call: every call site then sees one target
// (a closure per call made optimised callers deoptimise on "wrong call target").
function walkTraversals(x: Expression, names: ReadonlySet<string>, visit: (t: Traversal) => void): void {
  switch (x.type) {
    case "Variable":
    case "GetAttr":
    case "Index":
    case "Splat": {
      const t = traversalOf(x);
      if (t) {
        if (!names.has(t.root.name)) visit(withoutResourcePrefix(t));
        for (let i = 0; i < t.steps.length; i++) {
          const s = t.steps[i];
          if (s.kind === "index") walkTraversals(s.key, names, visit);
        }
        return;
      }
      // A traversal on something else (a call's result, a tuple…): walk its parts.
      if (x.type === "GetAttr") walkTraversals(x.object, names, visit);
      else if (x.type === "Index") {
        walkTraversals(x.object, names, visit);
        walkTraversals(x.key, names, visit);
      } else if (x.type === "Splat") {
        walkTraversals(x.object, names, visit);
        walkTraversals(x.each, names, visit);
      }
      return;
    }
    case "Template":
      for (let i = 0; i < x.parts.length; i++) {
        const p = x.parts[i];
        if (p.type === "TemplateInterpolation") walkTraversals(p.expr, names, visit);
        else if (p.type === "TemplateIf") {
          walkTraversals(p.condition, names, visit);
          walkTraversals(p.then, names, visit);
          if (p.else) walkTraversals(p.else, names, visit);
        } else if (p.type === "TemplateFor") {
          walkTraversals(p.collection, names, visit);
          walkTraversals(p.body, withNames(names, p.keyVar, p.valueVar), visit);
        }
      }
      return;
    case "FunctionCall":
      for (let i = 0; i < x.args.length; i++) walkTraversals(x.args[i], names, visit);
      return;
    case "Tuple":
      for (let i = 0; i < x.items.length; i++) walkTraversals(x.items[i], names, visit);
      return;
    case "Object":
      for (let i = 0; i < x.items.length; i++) {
        const it = x.items[i];
        if (!(it.bareKey && it.key.type === "Variable")) walkTraversals(it.key, names, visit);
        walkTraversals(it.value, names, visit);
      }
      return;
    case "Unary":
      walkTraversals(x.operand, names, visit);
      return;
    case "Binary":
      walkTraversals(x.left, names, visit);
      walkTraversals(x.right, names, visit);
      return;
    case "Conditional":
      walkTraversals(x.condition, names, visit);
      walkTraversals(x.then, names, visit);
      walkTraversals(x.else, names, visit);
      return;
    case "For": {
      walkTraversals(x.collection, names, visit);
      const inner = withNames(names, x.keyVar, x.valueVar);
      if (x.keyExpr) walkTraversals(x.keyExpr, inner, visit);
      walkTraversals(x.valueExpr, inner, visit);
      if (x.condition) walkTraversals(x.condition, inner, visit);
      return;
    }
    case "Parens":
      walkTraversals(x.expr, names, visit);
      return;
    case "Literal":
    case "SplatItem":
    case "Invalid":
      return;
  }
}

function withNames(names: ReadonlySet<string>, ...add: Array<string | null>): ReadonlySet<string> {
  const out = new Set(names);
  for (const n of add) if (n) out.add(n);
  return out;
}

/** Every traversal of an expression, as a list (see forEachTraversal). */
export function traversalsIn(e: Expression, bound?: ReadonlySet<string>): Traversal[] {
  const out: Traversal[] = [];
  forEachTraversal(e, (t) => out.push(t), bound);
  return out;
}

// ---------------------------------------------------------------- undefined references

/**
 * Reports, once per module directory, every reference to a variable, local, module, data
 * source, ephemeral or managed resource that the module does not declare. Static: it reads the
 * syntax of every file, not the evaluated instances.
 */
export function collectUndefinedReferences(ctx: CollectContext): void {
  const root = ctx.project.rootDir;
  for (const config of ctx.project.modules.values()) {
    const moduleDir = path.relative(root, config.dir).split(path.sep).join("/") || ".";
    // Modules Terraform downloaded (`.terraform/modules`) are not the user's code.
    if (moduleDir.split("/").includes(".terraform")) continue;
    pushAll(ctx.inventory.undefinedReferences, undefinedReferencesIn(config, moduleDir));
  }
}

/** The undefined references of one module configuration (exported for tests). */
export function undefinedReferencesIn(config: ModuleConfig, moduleDir: string): UndefinedReference[] {
  const out: UndefinedReference[] = [];
  for (const file of config.files) {
    // One visitor per file, not per expression (this runs over every expression of a scan).
    let scoped: ReadonlySet<string> | undefined;
    const onTraversal = (t: Traversal) => {
      const r = undefinedTarget(config, t, scoped);
      if (r) out.push({ ...r, module: moduleDir, origin: fileOrigin(file.fileName, r.range) });
    };
    const check = (e: Expression, bound: ReadonlySet<string>, scopedData?: ReadonlySet<string>) => {
      scoped = scopedData;
      forEachTraversal(e, onTraversal, bound);
    };
    for (const block of file.body.blocks) checkTopBlock(block, check);
    // Top-level attributes are not Terraform (a parse of something else); still references.
    for (const a of file.body.attributes) check(a.expr, EMPTY);
  }
  // Drop the range helper field.
  return out.map(({ reference, kind, module, origin }) => ({ reference, kind, module, origin }));
}

const EMPTY: ReadonlySet<string> = new Set();

type Check = (e: Expression, bound: ReadonlySet<string>, scopedData?: ReadonlySet<string>) => void;

function checkTopBlock(block: Block, check: Check): void {
  switch (block.blockType) {
    case "terraform":
      // required_providers, backend, cloud, experiments: no references.
      return;
    case "variable":
      for (const a of block.body.attributes) if (a.name !== "type") check(a.expr, EMPTY);
      for (const b of block.body.blocks) checkBody(b.body, EMPTY, check, undefined);
      return;
    case "moved":
      // `from` names what no longer exists; `to` is an address, not an expression to resolve.
      return;
    case "removed":
      return;
    case "import":
      for (const a of block.body.attributes) if (a.name !== "provider" && a.name !== "to") check(a.expr, EMPTY);
      return;
    case "module":
      for (const a of block.body.attributes) if (a.name !== "providers" && a.name !== "source" && a.name !== "version") check(a.expr, EMPTY);
      for (const b of block.body.blocks) checkBody(b.body, EMPTY, check, undefined);
      return;
    case "check": {
      // Data sources declared inside a check block are visible within it.
      const scoped = new Set<string>();
      for (const b of block.body.blocks) {
        if (b.blockType === "data" && b.labels.length >= 2) scoped.add(`${b.labels[0].value}.${b.labels[1].value}`);
      }
      checkBody(block.body, EMPTY, check, scoped);
      return;
    }
    case "resource":
    case "data":
    case "ephemeral":
    default:
      checkBody(block.body, EMPTY, check, undefined);
  }
}

/** Walks a resource-like body: meta-arguments that are not expressions are skipped. */
function checkBody(body: Body, bound: ReadonlySet<string>, check: Check, scopedData: ReadonlySet<string> | undefined): void {
  for (let i = 0; i < body.attributes.length; i++) {
    const a = body.attributes[i];
    if (a.name === "provider") continue; // `aws.west` is a provider, not a resource
    check(a.expr, bound, scopedData);
  }
  for (let i = 0; i < body.blocks.length; i++) {
    const b = body.blocks[i];
    if (b.blockType === "lifecycle") {
      for (const a of b.body.attributes) {
        if (a.name === "ignore_changes") continue; // attribute names, not references
        check(a.expr, bound, scopedData);
      }
      for (const c of b.body.blocks) checkBody(c.body, bound, check, scopedData);
    } else if (b.blockType === "dynamic") {
      // The iterator (its `iterator` argument, else the block's label) is bound in the body;
      // `for_each` itself is evaluated outside it.
      const iterator = dynamicIterator(b);
      const inner = iterator ? withNames(bound, iterator) : bound;
      for (const a of b.body.attributes) {
        if (a.name === "iterator") continue;
        check(a.expr, a.name === "for_each" ? bound : inner, scopedData);
      }
      for (const c of b.body.blocks) checkBody(c.body, inner, check, scopedData);
    } else checkBody(b.body, bound, check, scopedData);
  }
}

/**
 * The name a `dynamic` block binds in its content: its `iterator` argument (a bare name, or a
 * string in JSON syntax), else its label.
 */
export function dynamicIterator(b: Block): string | undefined {
  const a = b.body.attributes.find((x) => x.name === "iterator");
  if (a) {
    if (a.expr.type === "Variable") return a.expr.name;
    if (a.expr.type === "Template" && !a.expr.wrapped && a.expr.parts.every((p) => p.type === "TemplateLiteral")) {
      return a.expr.parts.map((p) => (p as { value: string }).value).join("");
    }
  }
  return b.labels[0]?.value;
}

interface Found {
  reference: string;
  kind: UndefinedReference["kind"];
  range: Range;
}

/** The undeclared target of a traversal, or undefined when it is declared (or not a reference we check). */
function undefinedTarget(config: ModuleConfig, t: Traversal, scopedData: ReadonlySet<string> | undefined): Found | undefined {
  const root = t.root.name;
  const s1 = t.steps[0];
  const s2 = t.steps[1];
  const span = (last: TraversalStep): Range => ({ start: t.root.range.start, end: last.range.end });
  switch (root) {
    case "var":
      if (s1?.kind !== "attr" || config.variables.has(s1.name)) return undefined;
      return { reference: `var.${s1.name}`, kind: "variable", range: span(s1) };
    case "local":
      if (s1?.kind !== "attr" || config.locals.has(s1.name)) return undefined;
      return { reference: `local.${s1.name}`, kind: "local", range: span(s1) };
    case "module":
      if (s1?.kind !== "attr" || config.modules.has(s1.name)) return undefined;
      return { reference: `module.${s1.name}`, kind: "module", range: span(s1) };
    case "data":
    case "ephemeral": {
      if (s1?.kind !== "attr" || s2?.kind !== "attr") return undefined;
      const key = `${s1.name}.${s2.name}`;
      const declared = root === "data" ? config.dataSources.has(key) || (scopedData?.has(key) ?? false) : config.ephemerals.has(key);
      if (declared) return undefined;
      return { reference: `${root}.${key}`, kind: root === "data" ? "data" : "resource", range: span(s2) };
    }
    default: {
      if (RESERVED_ROOTS.has(root)) return undefined;
      // A resource reference needs a type and a name: a bare name alone is not one.
      if (s1?.kind !== "attr") return undefined;
      const key = `${root}.${s1.name}`;
      if (config.resources.has(key)) return undefined;
      return { reference: t.resourcePrefix ? `resource.${key}` : key, kind: "resource", range: span(s1) };
    }
  }
}
