// Terraform's built-in functions, over Values with unknowns. (Being written: see the helper task.)

import type { Value } from "./values.js";

export interface FunctionContext {
  /** The module directory, for path-relative functions (file, fileexists, templatefile). */
  readonly baseDir: string;
  /** Reads a file relative to the module (undefined when absent or unreadable). */
  readFile(path: string): string | undefined;
}

export type TfFunction = (args: Value[], ctx: FunctionContext) => Value;

export const functions: Record<string, TfFunction> = {};
