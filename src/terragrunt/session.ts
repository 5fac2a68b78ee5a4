// What one scan's Terragrunt evaluation shares: the options (`--tg-env` values, display paths),
// the files read and parsed (each once), and what the evaluation notices. Every file it reads —
// configurations, includes, `read_terragrunt_config`, `read_tfvars_file`, `file()` — goes
// through the Terraform loader's read function (readSourceFile), under the one reading policy
// (src/files/read.ts): held to the scanned tree, regular files only, size-limited.

import fs from "node:fs";
import path from "node:path";
import type { Diagnostic, File, Pos } from "../hcl/ast.js";
import { parseHclJson } from "../hcl/json.js";
import { parseHcl } from "../hcl/parser.js";
import type { Roots } from "../files/read.js";
import { readSourceFile } from "../terraform/config.js";
import type { BudgetEvent } from "../terraform/budget.js";

export interface TerragruntOptions {
  /** `--tg-env NAME=VALUE`: the only values `get_env()` reads. */
  env: ReadonlyMap<string, string>;
  /** An absolute path as findings show it. */
  display(abs: string): string;
  /** Where files may be read from (the scanned tree); every read is held to it. */
  roots?: Roots;
  /** Told of a file the reading policy refused (not of a missing one). */
  refused?(abs: string, reason: string): void;
  /** Told when a configuration's evaluation goes over a budget (src/terraform/budget.ts), once per place. */
  budgetNotice?(abs: string, event: BudgetEvent): void;
}

/** Line starts of a text, for positions from offsets (as the HCL parser counts them). */
export class Positions {
  private readonly starts: number[] = [0];
  private readonly startBytes: number[] = [0];
  private readonly bom: boolean;
  constructor(readonly text: string) {
    this.bom = text.charCodeAt(0) === 0xfeff;
    let byte = 0;
    let last = 0;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
      byte += Buffer.byteLength(text.slice(last, i + 1), "utf8");
      last = i + 1;
      this.starts.push(last);
      this.startBytes.push(byte);
    }
  }
  pos(offset: number): Pos {
    offset = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const start = this.starts[lo];
    let column = offset - start + 1;
    if (lo === 0 && this.bom && offset > 0) column--;
    const byte = this.startBytes[lo] + Buffer.byteLength(this.text.slice(start, offset), "utf8");
    return { offset, byte, line: lo + 1, column };
  }
}

export class TerragruntSession {
  private readonly texts = new Map<string, string | null>();
  private readonly parsed = new Map<string, File | null>();
  private readonly positions = new Map<string, Positions>();
  /** Every file read through `file()`-family functions, by absolute path (fragments copied into modules). */
  readonly filesRead = new Set<string>();
  /** Parse errors of Terragrunt configurations and variables files (reported as terraform/parse-error). */
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly options: TerragruntOptions) {}

  display(abs: string): string {
    return this.options.display(abs);
  }

  /** A file's text (undefined when it cannot be read). */
  text(abs: string): string | undefined {
    abs = path.resolve(abs);
    if (!this.texts.has(abs)) {
      const r = readSourceFile(abs, this.options.roots);
      if (!r.ok && !r.reason.endsWith("no such file")) this.options.refused?.(abs, r.reason);
      this.texts.set(abs, r.ok ? r.text : null);
    }
    return this.texts.get(abs) ?? undefined;
  }

  /** A file read by a `file()`-family function: recorded, so a directory of such fragments is not scanned as a module of its own. */
  readFragment(abs: string): string | undefined {
    const t = this.text(abs);
    if (t !== undefined) this.filesRead.add(path.resolve(abs));
    return t;
  }

  /** A Terragrunt configuration or variables file, parsed once (HCL, or JSON for `*.json`). */
  parse(abs: string): File | undefined {
    abs = path.resolve(abs);
    if (!this.parsed.has(abs)) {
      const text = this.text(abs);
      let file: File | null = null;
      if (text !== undefined) {
        file = abs.endsWith(".json") ? parseHclJson(text, this.display(abs)) : parseHcl(text, this.display(abs));
        for (const d of file.diagnostics) if (d.severity === "error") this.diagnostics.push(d);
      }
      this.parsed.set(abs, file);
    }
    return this.parsed.get(abs) ?? undefined;
  }

  /** Every file parsed and still kept (for code frames and suppression comments). */
  parsedFiles(): File[] {
    return [...this.parsed.values()].filter((f): f is File => f !== null);
  }

  private readonly existing = new Map<string, boolean>();

  /** Whether a path exists (remembered for the scan: units of one tree probe the same ancestors). */
  exists(abs: string): boolean {
    let e = this.existing.get(abs);
    if (e === undefined) {
      e = fs.existsSync(abs);
      this.existing.set(abs, e);
    }
    return e;
  }

  /** Drops a file from the caches (a unit that was not evaluated: nothing will be placed in it). */
  forget(abs: string): void {
    abs = path.resolve(abs);
    this.texts.delete(abs);
    this.parsed.delete(abs);
    this.positions.delete(abs);
  }

  positionsOf(abs: string): Positions | undefined {
    abs = path.resolve(abs);
    let p = this.positions.get(abs);
    if (!p) {
      const text = this.text(abs);
      if (text === undefined) return undefined;
      p = new Positions(text);
      this.positions.set(abs, p);
    }
    return p;
  }
}
