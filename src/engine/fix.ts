// Fixes are data: a rule may attach to a finding the change that resolves it, in the manner of
// ESLint's `fix` and SARIF's `fixes[]`. A rule says *what* changes (a tag of a secret, with a
// value the model makes certain); the scan turns that into text edits of the Terraform where the
// value is written (src/fix/terraform.ts), and the audit into a tag change of the live secret
// (src/fix/account.ts). Only changes whose result is certain are attached: a rule that would
// have to guess a value attaches none.

import type { Pos } from "../hcl/ast.js";

/** Set tag `key` to `value` on a secret (an inventory id: a Terraform address, or an ARN live). */
export interface TagChange {
  secret: string;
  /** The key as it is (or will be) written: a present key keeps its spelling. */
  key: string;
  value: string;
}

/** A text edit of a file: replace [start, end) with `text` (an insertion when start = end). */
export interface TextEdit {
  /** The file, as finding paths show it. */
  path: string;
  start: Pos;
  end: Pos;
  text: string;
}

export interface Fix {
  /** For people: "add the tag `SymEnv` = "prod"". Never a secret value. */
  description: string;
  /** The tags it sets (several when one written place serves several secrets). */
  tags: TagChange[];
  /**
   * The edits that make the change in Terraform, once the scan has found them certain (see
   * src/fix/terraform.ts); absent until then, and for live secrets.
   */
  edits?: TextEdit[];
}

/** `add the tag `K` = "V"` / `set the tag `K` to "V"`. */
export function describeTagChange(key: string, value: string, present: boolean): string {
  return present ? `set the tag \`${key}\` to ${JSON.stringify(value)}` : `add the tag \`${key}\` = ${JSON.stringify(value)}`;
}

/** A fix setting one tag on one secret. */
export function tagFix(secret: string, key: string, value: string, present: boolean): Fix {
  return { description: describeTagChange(key, value, present), tags: [{ secret, key, value }] };
}
