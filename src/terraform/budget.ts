// Budgets, not hopes: a configuration from an untrusted pull request can ask for a billion
// instances, a string that doubles thirty times, a value shared so often that encoding it
// never ends, or an expression nested thousands deep. Evaluation charges a budget per root
// module (its whole tree of module instances); past a limit the value becomes unknown ("budget")
// and a notice names the place, once. Unknown is never a finding, so a budget can only make the
// tool quieter, never wrong. The limits are far above what real configurations use (the
// corpus ×10 tree stays two orders of magnitude below each: see docs in the README).

import type { Expression } from "../hcl/ast.js";

export const LIMITS = {
  /** Instances of one `count` / `for_each`. */
  instances: 10_000,
  /** Module instances under one root module (module calls × their count/for_each, all levels). */
  moduleInstances: 4_096,
  /** Characters of one string value (as the file size limit: 8 MB). */
  stringLength: 8 * 1024 * 1024,
  /** Values inside one list, set, map or object, counted through every level (shared parts counted each time they appear). */
  collectionSize: 1_000_000,
  /** Expressions evaluated under one root module, all its instances included. */
  steps: 20_000_000,
  /** Expressions evaluated inside one another (the evaluator recurses: this bounds its stack). */
  depth: 1_500,
} as const;

export type BudgetKind = "instances" | "moduleInstances" | "moduleDepth" | "stringLength" | "collectionSize" | "steps" | "depth";

/** Something over a budget, for the notice: what, and where (the expression, when there is one). */
export interface BudgetEvent {
  kind: BudgetKind;
  /** What was asked, in words: `count = 1000000000`, `a string of 16777216 characters`. */
  detail: string;
  expr?: Expression;
}

/**
 * One root module's budget. Evaluation calls `enter()`/`leave()` around each expression, and the
 * checks below where work can grow; `report` receives each kind of overrun once per place.
 */
export class EvalBudget {
  steps = 0;
  depth = 0;
  moduleInstances = 0;
  private readonly reported = new Set<string>();
  /** Set once the steps are spent: every later expression is unknown at once. */
  spent = false;

  constructor(
    private readonly report: (event: BudgetEvent) => void = () => {},
    readonly limits: { [K in keyof typeof LIMITS]: number } = LIMITS,
  ) {}

  /** Charges one expression; false when it must not be evaluated (steps spent, or too deep). */
  enter(expr: Expression): boolean {
    this.depth++;
    if (this.spent) return false;
    if (++this.steps > this.limits.steps) {
      this.spent = true;
      this.over({ kind: "steps", detail: `more than ${this.limits.steps} evaluation steps; what was left to evaluate is unknown`, expr });
      return false;
    }
    if (this.depth > this.limits.depth) {
      this.over({ kind: "depth", detail: `expressions nested deeper than ${this.limits.depth} levels (through references); the value is unknown`, expr });
      return false;
    }
    return true;
  }

  leave(): void {
    this.depth--;
  }

  /** Charges work that evaluates no expression (a template loop's iterations, instances made). */
  charge(n: number, expr?: Expression): boolean {
    if (this.spent) return false;
    this.steps += n;
    if (this.steps > this.limits.steps) {
      this.spent = true;
      this.over({ kind: "steps", detail: `more than ${this.limits.steps} evaluation steps; what was left to evaluate is unknown`, expr });
      return false;
    }
    return true;
  }

  /** Reports an overrun once per kind and place. */
  over(event: BudgetEvent): void {
    const r = event.expr?.range.start;
    const key = `${event.kind}\u0000${r ? `${r.offset}:${r.line}` : ""}\u0000${event.kind === "steps" ? "" : event.detail}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.report(event);
  }

  /** Starts the step count again (the budget of evaluations outside any module: each gets the full count). */
  restart(): void {
    this.steps = 0;
    this.spent = false;
  }
}

/**
 * The budget of an evaluation outside any module that has none of its own (a variable's
 * default, a value given on the command line): the same limits, counted afresh for each
 * outermost evaluation, and nobody told (the value is unknown). Variables files and Terragrunt
 * configurations have budgets of their own, with notices.
 */
export function standaloneBudget(): EvalBudget {
  return new EvalBudget(() => {}, LIMITS);
}
