// Evaluates HCL expressions to Values the way Terraform would, three-valued: a known value,
// an unknown (keeping what is known about it), or a Failure. Names are resolved by a Scope,
// which the module evaluator provides; functions come from `functions/`.

import type { Expression, Range, TemplateExpr, TemplatePart } from "../hcl/ast.js";
import { functions, numberToString, type FunctionContext } from "./functions/index.js";
import { isFreshOverrun } from "./functions/support/registry.js";
import {
  Failure,
  ObjectValue,
  Unknown,
  isFailure,
  isNotKnown,
  isUnknown,
  joinPieces,
  sortedEntries,
  typeName,
  unknown,
  valuesEqual,
  type StringPiece,
  type Value,
} from "./values.js";
import { collectionSize } from "./values.js";
import { standaloneBudget, type EvalBudget } from "./budget.js";

export interface Scope {
  /**
   * The value of a root name (`var`, `local`, `module`, `data`, `path`, `terraform`, `each`,
   * `count`, `self`, a resource type, a `for` variable), or undefined when it is not declared.
   */
  root(name: string): Value | undefined;
  readonly functionContext: FunctionContext;
  /** The evaluation budget charged (a root module's; see budget.ts). Default: depth and sizes only. */
  readonly budget?: EvalBudget;
}

/** A scope with extra names (for `for` expressions and template `for` directives). */
export class ChildScope implements Scope {
  readonly budget?: EvalBudget;
  constructor(
    private readonly parent: Scope,
    private readonly names: Map<string, Value>,
  ) {
    this.budget = parent.budget;
  }
  root(name: string): Value | undefined {
    return this.names.has(name) ? this.names.get(name) : this.parent.root(name);
  }
  get functionContext(): FunctionContext {
    return this.parent.functionContext;
  }
}

/** The budget of evaluations outside any module without a budget of their own (see standaloneBudget). */
const STANDALONE = standaloneBudget();

/** The budget an outermost evaluation charges: the scope's, or the standalone one counted afresh. */
function budgetOf(scope: Scope): EvalBudget {
  if (scope.budget) return scope.budget;
  if (STANDALONE.depth === 0) STANDALONE.restart();
  return STANDALONE;
}

/**
 * The expressions that make a new collection (the others give one already made, and checked
 * then): only their results are measured against the collection budget.
 */
const BUILDS_COLLECTIONS: ReadonlySet<Expression["type"]> = new Set(["For", "FunctionCall", "Tuple", "Object", "Splat"]);

/**
 * Evaluates an expression, charging the scope's budget: one step, one level of depth, and the
 * size of a string or collection it makes. Past a budget the value is unknown ("budget") and the
 * budget reports the place once.
 */
export function evaluate(expr: Expression, scope: Scope): Value {
  const budget = budgetOf(scope);
  try {
    if (!budget.enter(expr)) return unknown("budget", "over the evaluation budget");
    const v = evaluateExpr(expr, scope);
    if (typeof v === "string") {
      if (v.length > budget.limits.stringLength) {
        budget.over({ kind: "stringLength", detail: `a string of ${v.length} characters (the limit is ${budget.limits.stringLength}); its value is unknown`, expr });
        return unknown("budget", "a string over the size limit");
      }
    } else if (BUILDS_COLLECTIONS.has(expr.type) && typeof v === "object" && v !== null && (Array.isArray(v) || v instanceof ObjectValue)) {
      if (collectionSize(v) > budget.limits.collectionSize) {
        budget.over({ kind: "collectionSize", detail: `a collection of more than ${budget.limits.collectionSize} values; its value is unknown`, expr });
        return unknown("budget", "a collection over the size limit");
      }
    }
    return v;
  } finally {
    budget.leave();
  }
}

function evaluateExpr(expr: Expression, scope: Scope): Value {
  switch (expr.type) {
    case "Literal":
      return expr.value;
    case "Template":
      return evaluateTemplate(expr, scope);
    case "Variable": {
      const v = scope.root(expr.name);
      if (v === undefined) return new Failure(`\`${expr.name}\` is not declared`, expr.range);
      return v;
    }
    case "GetAttr":
      return getAttr(evaluate(expr.object, scope), expr.name, expr.range);
    case "Index":
      return index(evaluate(expr.object, scope), evaluate(expr.key, scope), expr.range);
    case "Splat":
      return splat(expr.object, expr.each, expr.full, scope);
    case "SplatItem": {
      const v = scope.root(SPLAT_ITEM);
      return v === undefined ? new Failure("a splat item outside a splat", expr.range) : v;
    }
    case "FunctionCall":
      return call(expr, scope);
    case "Tuple":
      return expr.items.map((e) => evaluate(e, scope));
    case "Object": {
      const out = new ObjectValue();
      for (const item of expr.items) {
        const key = item.bareKey && item.key.type === "Variable" ? item.key.name : evaluate(item.key, scope);
        const value = evaluate(item.value, scope);
        if (typeof key === "string") out.set(key, value);
        else if (typeof key === "number" || typeof key === "boolean") out.set(String(key), value);
        else if (isNotKnown(key)) {
          // An unknown key makes the whole object's set of keys unknown.
          return new Unknown("dynamic", undefined, undefined, "an object key");
        } else return new Failure(`an object key must be a string, not ${typeName(key)}`, item.key.range);
      }
      return out;
    }
    case "Unary": {
      const v = evaluate(expr.operand, scope);
      if (isNotKnown(v)) return v;
      if (expr.op === "!") return typeof v === "boolean" ? !v : new Failure(`\`!\` needs a bool, not ${typeName(v)}`, expr.range);
      const n = toNumber(v);
      return n === undefined ? new Failure(`\`-\` needs a number, not ${typeName(v)}`, expr.range) : -n;
    }
    case "Binary":
      return binary(expr.op, expr.left, expr.right, scope, expr.range);
    case "Conditional": {
      const c = evaluate(expr.condition, scope);
      if (typeof c === "boolean") return evaluate(c ? expr.then : expr.else, scope);
      if (typeof c === "string" && (c === "true" || c === "false")) return evaluate(c === "true" ? expr.then : expr.else, scope);
      if (isFailure(c)) return c;
      if (isUnknown(c)) {
        // Both branches agreeing is still known, whatever the condition turns out to be.
        const a = evaluate(expr.then, scope);
        const b = evaluate(expr.else, scope);
        if (valuesEqual(a, b) === true) return a;
        return new Unknown(c.reason, undefined, undefined, c.what ?? "a condition");
      }
      return new Failure(`a condition must be a bool, not ${typeName(c)}`, expr.condition.range);
    }
    case "For":
      return forExpr(expr, scope);
    case "Parens":
      return evaluate(expr.expr, scope);
    case "Invalid":
      return new Failure("an invalid expression", expr.range);
  }
}

const SPLAT_ITEM = "\u0000splat";

export function getAttr(obj: Value, name: string, range?: Range): Value {
  if (obj instanceof ObjectValue) {
    const v = obj.readAttribute(name);
    if (v === undefined) return new Failure(`this object has no attribute \`${name}\``, range);
    return v;
  }
  if (obj instanceof Unknown) {
    // A jsonencode-style partial object is not an object; anything else stays unknown.
    return new Unknown(obj.reason, undefined, undefined, obj.what ? `${obj.what}.${name}` : undefined);
  }
  if (obj instanceof Failure) return obj;
  if (obj === null) return new Failure(`cannot read \`${name}\` of null`, range);
  return new Failure(`cannot read attribute \`${name}\` of a ${typeName(obj)}`, range);
}

export function index(coll: Value, key: Value, range?: Range): Value {
  if (coll instanceof Failure) return coll;
  if (key instanceof Failure) return key;
  if (Array.isArray(coll)) {
    if (isUnknown(key)) return new Unknown("dynamic", undefined, undefined, "an index");
    const n = toNumber(key);
    if (n === undefined || !Number.isInteger(n)) return new Failure(`a list index must be a whole number, not ${typeName(key)}`, range);
    if (n < 0 || n >= coll.length) return new Failure(`index ${n} is out of range (${coll.length} elements)`, range);
    return coll[n];
  }
  if (coll instanceof ObjectValue) {
    if (isUnknown(key)) return new Unknown("dynamic", undefined, undefined, "a key");
    const k = typeof key === "string" ? key : typeof key === "number" || typeof key === "boolean" ? String(key) : undefined;
    if (k === undefined) return new Failure(`a map key must be a string, not ${typeName(key)}`, range);
    const v = coll.get(k);
    return v === undefined ? new Failure(`there is no key "${k}"`, range) : v;
  }
  if (coll instanceof Unknown) return new Unknown(coll.reason, undefined, undefined, coll.what);
  return new Failure(`cannot index a ${typeName(coll)}`, range);
}

function splat(objectExpr: Expression, each: Expression, full: boolean, scope: Scope): Value {
  const source = evaluate(objectExpr, scope);
  if (isNotKnown(source)) return source instanceof Unknown ? new Unknown(source.reason, undefined, undefined, source.what) : source;
  // A splat over a single non-list value treats it as a one-element list (null as empty).
  const items: Value[] = Array.isArray(source) ? source : source === null ? [] : [source];
  void full;
  return items.map((item) => evaluate(each, new ChildScope(scope, new Map([[SPLAT_ITEM, item]]))));
}

function call(expr: Extract<Expression, { type: "FunctionCall" }>, scope: Scope): Value {
  const name = expr.name;
  // try() and can() look at failures of their arguments, so they evaluate them themselves.
  if (name === "try") {
    let sawUnknown: Value | null = null;
    for (const arg of expr.args) {
      const v = evaluate(arg, scope);
      if (v instanceof Failure) continue;
      if (!(v instanceof Unknown) && !containsFailure(v)) return sawUnknown ?? v;
      if (v instanceof Unknown) {
        // An unknown argument might fail or succeed after apply: the result is unknown,
        // unless a later argument equals it anyway (not worth tracking).
        sawUnknown ??= v;
        return sawUnknown;
      }
    }
    return sawUnknown ?? new Failure("no argument of try() could be evaluated", expr.range);
  }
  if (name === "can") {
    if (expr.args.length !== 1) return new Failure("can() takes exactly one argument", expr.range);
    const v = evaluate(expr.args[0], scope);
    if (v instanceof Failure || containsFailure(v)) return false;
    if (v instanceof Unknown) return unknown("dynamic", "can()");
    return true;
  }
  // Pushed onto one array literal: V8 then makes every call's arguments array with the same
  // element kind (the literal's allocation site learns it), and the function implementations
  // and inputCost see one array map (arrays from map() take the kind of their values: small
  // integers, doubles or objects, and made call deoptimise on "wrong map").
  let args: Value[] = [];
  for (const a of expr.args) args.push(evaluate(a, scope));
  if (expr.expandFinal && args.length > 0) {
    const last = args[args.length - 1];
    if (Array.isArray(last)) args = [...args.slice(0, -1), ...last];
    else if (isNotKnown(last)) return last instanceof Unknown ? unknown("dynamic", `${name}(…)`) : last;
    else return new Failure(`\`...\` needs a list as the last argument of ${name}()`, expr.range);
  }
  const bare = name.startsWith("core::") ? name.slice(6) : name;
  const fn = scope.functionContext.functions?.[bare] ?? functions[bare];
  if (!fn) return unknown("function", `${name}()`);
  // A function's work grows with its arguments: charged by their size, so a loop calling
  // jsonencode() or merge() on a large value runs out of steps, not out of time.
  if (!(scope.budget ?? STANDALONE).charge(inputCost(args), expr)) return unknown("budget", `${name}(…)`);
  try {
    const out = fn(args, scope.functionContext);
    // The call names the function and places the failure; a kind of failure (a subclass) stays that kind.
    if (out instanceof Failure && !out.range) return new (out.constructor as typeof Failure)(`${name}(): ${out.message}`, expr.range);
    if (isFreshOverrun(out)) (scope.budget ?? STANDALONE).over({ kind: "collectionSize", detail: `${out.what ?? `${name}(): a result over the size limit`}; its value is unknown`, expr });
    return out;
  } catch (err) {
    // A result past what the engine can hold (a string or array doubled too often) is over budget,
    // not a mistake in the configuration.
    if (err instanceof RangeError && /Invalid (string|array|typed array) length|Array buffer allocation failed/.test(err.message)) {
      (scope.budget ?? STANDALONE).over({ kind: "stringLength", detail: `${name}(): a result too large to build; its value is unknown`, expr });
      return unknown("budget", `${name}(…)`);
    }
    // A bug in a function must not lose the scan.
    return new Failure(`${name}(): ${(err as Error).message}`, expr.range);
  }
}

/** Steps charged for walking values: each collection's values, and a step per 16 characters of a string. */
function inputCost(values: readonly Value[]): number {
  let n = 0;
  for (const v of values) {
    if (typeof v === "string") n += v.length >> 4;
    else if (typeof v === "object" && v !== null && (Array.isArray(v) || v instanceof ObjectValue || v instanceof Unknown)) n += collectionSize(v) - 1;
  }
  return n;
}

function containsFailure(v: Value): boolean {
  if (v instanceof Failure) return true;
  if (Array.isArray(v)) return v.some(containsFailure);
  if (v instanceof ObjectValue) {
    for (const x of v.entries.values()) if (containsFailure(x)) return true;
  }
  return false;
}

export function toNumber(v: Value): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

function toBool(v: Value): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

function binary(op: string, leftExpr: Expression, rightExpr: Expression, scope: Scope, range: Range): Value {
  const left = evaluate(leftExpr, scope);
  // `&&` and `||`: a known deciding side is enough.
  if (op === "&&" || op === "||") {
    const right = evaluate(rightExpr, scope);
    const l = toBool(left);
    const r = toBool(right);
    if (op === "&&") {
      if (l === false || r === false) return false;
      if (l === true && r === true) return true;
    } else {
      if (l === true || r === true) return true;
      if (l === false && r === false) return false;
    }
    if (isFailure(left)) return left;
    if (isFailure(right)) return right;
    if (isNotKnown(left) || isNotKnown(right)) return unknown("dynamic");
    return new Failure(`\`${op}\` needs bools, not ${typeName(left)} and ${typeName(right)}`, range);
  }
  const right = evaluate(rightExpr, scope);
  if (op === "==" || op === "!=") {
    // Comparing collections walks them: charged by their size, as function calls are.
    if (!(scope.budget ?? STANDALONE).charge(inputCost([left, right]))) return unknown("budget", "a comparison over the evaluation budget");
    const eq = valuesEqual(left, right);
    if (eq === undefined) return isFailure(left) ? left : isFailure(right) ? right : unknown("dynamic");
    return op === "==" ? eq : !eq;
  }
  if (isFailure(left)) return left;
  if (isFailure(right)) return right;
  if (isUnknown(left) || isUnknown(right)) return unknown("dynamic");
  const a = toNumber(left);
  const b = toNumber(right);
  if (a === undefined || b === undefined) {
    return new Failure(`\`${op}\` needs numbers, not ${typeName(left)} and ${typeName(right)}`, range);
  }
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return b === 0 ? new Failure("division by zero", range) : a / b;
    case "%":
      return b === 0 ? new Failure("division by zero", range) : a % b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
  return new Failure(`unknown operator ${op}`, range);
}

/** Iterates a collection for `for`: [key, value] pairs, or a non-known value. */
function forPairs(coll: Value, range: Range): Array<[Value, Value]> | Unknown | Failure {
  if (coll instanceof Unknown || coll instanceof Failure) return coll;
  if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
  // Maps and objects iterate in lexical key order, as in Terraform (cty sorts their keys).
  if (coll instanceof ObjectValue) return sortedEntries(coll).map(([k, v]) => [k, v] as [Value, Value]);
  if (coll === null) return new Failure("cannot iterate over null", range);
  return new Failure(`cannot iterate over a ${typeName(coll)}`, range);
}

/** The scope of one element of a `for`: its key and value names bound. */
function forScope(expr: Extract<Expression, { type: "For" }>, scope: Scope, k: Value, v: Value): Scope {
  const names = new Map<string, Value>();
  if (expr.keyVar) names.set(expr.keyVar, k);
  names.set(expr.valueVar, v);
  return new ChildScope(scope, names);
}

/** Whether a `for`'s `if` keeps the element (true without one); the unknown or failure when the condition is not a bool. */
function forKeeps(expr: Extract<Expression, { type: "For" }>, inner: Scope): boolean | Value {
  if (!expr.condition) return true;
  const cv = evaluate(expr.condition, inner);
  const c = toBool(cv);
  if (c !== undefined) return c;
  if (cv instanceof Failure) return cv;
  if (cv instanceof Unknown) return unknown("dynamic", "a for condition");
  return new Failure(`a for condition must be a bool, not ${typeName(cv)}`, expr.condition.range);
}

/** An object `for`'s key for the element (a string), or the unknown or failure it is instead. */
function forKey(expr: Extract<Expression, { type: "For" }>, inner: Scope): string | Value {
  const key = evaluate(expr.keyExpr as Expression, inner);
  if (isNotKnown(key)) return unknown("dynamic", "a for key");
  if (typeof key === "string") return key;
  if (typeof key === "number" || typeof key === "boolean") return String(key);
  return new Failure(`a for key must be a string, not ${typeName(key)}`, expr.range);
}

function forExpr(expr: Extract<Expression, { type: "For" }>, scope: Scope): Value {
  const pairs = forPairs(evaluate(expr.collection, scope), expr.collection.range);
  if (!Array.isArray(pairs)) return pairs instanceof Unknown ? unknown("iteration", "a for collection") : pairs;
  const tupleOut: Value[] = [];
  const objOut = new ObjectValue();
  for (const [k, v] of pairs) {
    const inner = forScope(expr, scope, k, v);
    const keep = forKeeps(expr, inner);
    if (keep === false) continue;
    if (keep !== true) return keep;
    const value = evaluate(expr.valueExpr, inner);
    if (!expr.isObject) {
      tupleOut.push(value);
      continue;
    }
    const ks = forKey(expr, inner);
    if (typeof ks !== "string") return ks;
    if (expr.grouping) {
      const group = objOut.get(ks);
      if (Array.isArray(group)) group.push(value);
      else objOut.set(ks, [value]);
    } else {
      if (objOut.has(ks)) return new Failure(`duplicate key "${ks}" in a for expression (use \`...\` to group)`, expr.range);
      objOut.set(ks, value);
    }
  }
  return expr.isObject ? objOut : tupleOut;
}

/**
 * The element of a `for` expression's collection that makes the item `selector` of its result
 * (a key of the object it makes, or an index of the tuple), for tracing where a value is
 * written: the element's key in the collection (a map key, or a list index) and the scope that
 * binds the loop's names to it. Undefined when that is not known (an unknown collection, key
 * or condition; `...` grouping).
 */
export function forElementOf(expr: Extract<Expression, { type: "For" }>, scope: Scope, selector: string | number): ForElement | undefined {
  // Every instance of a `for_each` asks about the same `for`: its elements are found once.
  let byScope = FOR_ELEMENTS.get(expr);
  if (!byScope) FOR_ELEMENTS.set(expr, (byScope = new WeakMap()));
  let elements = byScope.get(scope);
  if (elements === undefined) byScope.set(scope, (elements = forElements(expr, scope)));
  return elements?.get(String(selector));
}

export interface ForElement {
  key: string | number;
  scope: Scope;
}

const FOR_ELEMENTS = new WeakMap<Expression, WeakMap<Scope, Map<string, ForElement> | null>>();

/** The result's items (object keys, or tuple indexes as strings) and the elements that make them; null when not known. */
function forElements(expr: Extract<Expression, { type: "For" }>, scope: Scope): Map<string, ForElement> | null {
  if (expr.grouping) return null;
  const pairs = forPairs(evaluate(expr.collection, scope), expr.collection.range);
  if (!Array.isArray(pairs)) return null;
  const out = new Map<string, ForElement>();
  let n = 0;
  for (const [k, v] of pairs) {
    const inner = forScope(expr, scope, k, v);
    const keep = forKeeps(expr, inner);
    if (keep === false) continue;
    if (keep !== true) return null;
    let item: string;
    if (expr.isObject) {
      const key = forKey(expr, inner);
      if (typeof key !== "string") return null;
      item = key;
    } else item = String(n++);
    if (out.has(item)) return null; // a duplicate key: the expression fails
    if (typeof k === "string" || typeof k === "number") out.set(item, { key: k, scope: inner });
  }
  return out;
}

// ---------------------------------------------------------------- templates

export function evaluateTemplate(t: TemplateExpr, scope: Scope): Value {
  if (t.wrapped) return evaluate(t.wrapped, scope);
  const pieces: StringPiece[] = [];
  const acc: TemplateLength = { chars: 0, budget: budgetOf(scope) };
  const fail = templatePieces(t.parts, scope, pieces, acc);
  if (fail === OVER) return unknown("budget", "a template over the size limit");
  if (fail) return fail;
  return joinPieces(pieces);
}

/** The known characters a template has made so far, against the string budget. */
interface TemplateLength {
  chars: number;
  budget: EvalBudget;
}

/** Stops a template past the budget (its loops make text without evaluating expressions). */
const OVER = new Failure("over the evaluation budget");

/** Appends the pieces of template parts; returns a Failure when one is fatal. */
function templatePieces(parts: TemplatePart[], scope: Scope, out: StringPiece[], acc: TemplateLength): Failure | null {
  for (const part of parts) {
    if (!acc.budget.charge(1)) return OVER;
    switch (part.type) {
      case "TemplateLiteral":
        out.push(part.value);
        if (tooLong(acc, part.value)) return OVER;
        break;
      case "TemplateInterpolation": {
        const v = evaluate(part.expr, scope);
        const s = toTemplateString(v, part.range);
        if (s instanceof Failure) return s;
        out.push(s);
        if (typeof s === "string" && tooLong(acc, s, part.expr)) return OVER;
        break;
      }
      case "TemplateIf": {
        const cv = evaluate(part.condition, scope);
        const c = toBool(cv);
        if (c === undefined) {
          if (cv instanceof Failure) return cv;
          if (!(cv instanceof Unknown)) return new Failure(`a template condition must be a bool, not ${typeName(cv)}`, part.condition.range);
          out.push(unknown("dynamic", "a template condition"));
          break;
        }
        const branch = c ? part.then : part.else;
        if (branch) {
          const f = templatePieces(branch.parts, scope, out, acc);
          if (f) return f;
        }
        break;
      }
      case "TemplateFor": {
        const pairs = forPairs(evaluate(part.collection, scope), part.collection.range);
        if (!Array.isArray(pairs)) {
          if (pairs instanceof Failure) return pairs;
          out.push(unknown("iteration", "a template for"));
          break;
        }
        for (const [k, v] of pairs) {
          const names = new Map<string, Value>();
          if (part.keyVar) names.set(part.keyVar, k);
          names.set(part.valueVar, v);
          const f = templatePieces(part.body.parts, new ChildScope(scope, names), out, acc);
          if (f) return f;
        }
        break;
      }
    }
  }
  return null;
}

/** Adds a piece's length; true (and reported) when the template passes the string budget. */
function tooLong(acc: TemplateLength, s: string, expr?: Expression): boolean {
  acc.chars += s.length;
  if (acc.chars <= acc.budget.limits.stringLength) return false;
  acc.budget.over({ kind: "stringLength", detail: `a template of more than ${acc.budget.limits.stringLength} characters; its value is unknown`, expr });
  return true;
}

function toTemplateString(v: Value, range: Range): StringPiece {
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberToString(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof Unknown) return v.template ? new Unknown(v.reason, v.template, undefined, v.what) : v;
  if (v instanceof Failure) return v;
  if (v === null) return new Failure("a template cannot interpolate null", range);
  return new Failure(`a template cannot interpolate a ${typeName(v)}`, range);
}
