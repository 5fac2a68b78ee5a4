// The function table and the registration helpers that handle arity, Failures and unknowns.

import { LIMITS, type EvalBudget } from "../../budget.js";
import { Failure, isWhollyKnown, ObjectValue, Unknown, type UnknownReason, type Value } from "../../values.js";

export interface FunctionContext {
  /** The module directory, for path-relative functions (file, fileexists, templatefile). */
  readonly baseDir: string;
  /**
   * Reads a file relative to the module (undefined when absent, unreadable or refused by the
   * reading policy); `fn` names the function asking, for the notice a refusal gives.
   */
  readFile(path: string, fn?: string): string | undefined;
  /** The evaluation budget of the module evaluating (templatefile renders under it). */
  readonly budget?: EvalBudget;
  /** Whether a file exists (fileexists): undefined when the reading policy may not look (outside the tree, a special file). */
  fileExists?(path: string, fn: string): boolean | undefined;
  /** Functions this context adds to Terraform's (Terragrunt's, in a Terragrunt configuration); they win over Terraform's. */
  readonly functions?: Readonly<Record<string, TfFunction>>;
  /**
   * A file that is not there is an error (a Failure), not a file generated later (unknown): in a
   * Terragrunt configuration, evaluated before anything is generated, as Terragrunt does.
   */
  readonly missingFilesFail?: boolean;
}

export type TfFunction = (args: Value[], ctx: FunctionContext) => Value;

export const functions: Record<string, TfFunction> = {};

/** An unknown result of `name(…)`. */
export function unk(name: string, reason: UnknownReason = "dynamic"): Unknown {
  return new Unknown(reason, undefined, undefined, `${name}(…)`);
}

/** An unknown standing for a changed (transformed) unknown string: it keeps no template or json. */
export function opaque(u: Unknown): Unknown {
  return u.template === undefined && u.json === undefined ? u : new Unknown(u.reason, undefined, undefined, u.what);
}

export function arityFailure(args: Value[], min: number, max: number): Failure | undefined {
  if (args.length >= min && args.length <= max) return undefined;
  const want =
    min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  return new Failure(`expects ${want} argument${want === "1" ? "" : "s"}, got ${args.length}`);
}

/** The first Failure anywhere inside v. */
export function findFailure(v: Value): Failure | undefined {
  if (v instanceof Failure) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const f = findFailure(x);
      if (f) return f;
    }
  } else if (v instanceof ObjectValue) {
    for (const x of v.entries.values()) {
      const f = findFailure(x);
      if (f) return f;
    }
  }
  return undefined;
}

export type Impl = (args: Value[], ctx: FunctionContext, name: string) => Value;

/**
 * Registers a function that needs its arguments known at the top level (a list argument may
 * still hold unknown elements): a Failure argument is returned, an unknown one gives unknown.
 */
export function def(name: string, min: number, max: number, impl: Impl): void {
  functions[name] = (args, ctx) => {
    const bad = arityFailure(args, min, max);
    if (bad) return bad;
    for (const a of args) if (a instanceof Failure) return a;
    for (const a of args) if (a instanceof Unknown) return unk(name);
    return impl(args, ctx, name);
  };
}

/** Registers a function that needs its arguments known at every depth. */
export function defDeep(name: string, min: number, max: number, impl: Impl): void {
  functions[name] = (args, ctx) => {
    const bad = arityFailure(args, min, max);
    if (bad) return bad;
    for (const a of args) {
      const f = findFailure(a);
      if (f) return f;
    }
    for (const a of args) if (!isWhollyKnown(a)) return unk(name);
    return impl(args, ctx, name);
  };
}

/** Registers a function that handles unknown arguments itself (top-level Failures still propagate). */
export function defPartial(name: string, min: number, max: number, impl: Impl): void {
  functions[name] = (args, ctx) => {
    const bad = arityFailure(args, min, max);
    if (bad) return bad;
    for (const a of args) if (a instanceof Failure) return a;
    return impl(args, ctx, name);
  };
}

/**
 * Registers functions that are always unknown: impure ones (a new value at each run), ones that
 * depend on the machine or on what a static scan cannot read, and ones not implemented here.
 */
export function defUnknown(names: readonly string[]): void {
  for (const name of names) {
    functions[name] = (args) => {
      const f = args.find((a): a is Failure => a instanceof Failure);
      return f ?? unk(name, "function");
    };
  }
}

/** Results over a budget that a function refused to build; evaluate reports them with the call's place. */
const overruns = new WeakSet<Unknown>();

/**
 * An unknown result standing for one a function did not build because it would pass the
 * budget (`what` says how big: "a result of 70000000000 characters"). The call's evaluation
 * reports it once, with its place (see isFreshOverrun).
 */
export function tooLarge(name: string, what: string): Unknown {
  const u = new Unknown("budget", undefined, undefined, `${name}(): ${what}`);
  overruns.add(u);
  return u;
}

/** Whether a function's result is an overrun it just refused (see tooLarge). */
export function isFreshOverrun(v: Value): v is Unknown {
  return v instanceof Unknown && overruns.has(v);
}

/** The longest string a function builds (LIMITS.stringLength) and the most values in a collection it builds. */
export const MAX_RESULT_CHARS = LIMITS.stringLength;
export const MAX_RESULT_VALUES = LIMITS.collectionSize;
