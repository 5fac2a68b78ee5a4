// The inventory's literal strings: every literal text written in the sources, with its place.
// A large tree writes hundreds of thousands, and the inventory outlives every syntax tree, so
// a Terraform file's literals are kept packed (PackedLiterals: texts, and places as numbers in
// one typed array) and made into objects only while a rule reads them; app configurations add
// theirs one by one. Reading gives them in the order they were added.

import type { Range } from "../hcl/ast.js";
import type { Origin } from "./model.js";

export interface LiteralString {
  text: string;
  origin: Origin;
  /**
   * Inside a documented template argument (EventBridge and Pipes `input_template`), whose
   * `<name>`s are the template's own placeholders, filled from `input_paths` at run time.
   */
  templateArgument?: true;
}

/** Numbers kept per literal: start and end, each offset, byte, line and column. */
const PLACE_FIELDS = 8;

/** The literals of one file, packed. */
export class PackedLiterals {
  constructor(
    readonly path: string,
    readonly texts: readonly string[],
    /** PLACE_FIELDS numbers per literal. */
    private readonly places: Int32Array,
    /** The indexes of the literals inside a template argument (usually none). */
    private readonly inTemplateArgument: ReadonlySet<number> | undefined,
  ) {}

  get length(): number {
    return this.texts.length;
  }

  /** The i-th literal, as an object (made now). */
  at(i: number): LiteralString {
    return new PackedLiteral(this, i);
  }

  templateArgument(i: number): boolean {
    return this.inTemplateArgument?.has(i) === true;
  }

  origin(i: number): Origin {
    const n = this.places;
    const at = i * PLACE_FIELDS;
    return {
      file: {
        path: this.path,
        range: {
          start: { offset: n[at], byte: n[at + 1], line: n[at + 2], column: n[at + 3] },
          end: { offset: n[at + 4], byte: n[at + 5], line: n[at + 6], column: n[at + 7] },
        },
      },
    };
  }
}

class PackedLiteral implements LiteralString {
  readonly text: string;

  constructor(
    private readonly pack: PackedLiterals,
    private readonly index: number,
  ) {
    this.text = pack.texts[index];
  }

  get origin(): Origin {
    return this.pack.origin(this.index);
  }

  get templateArgument(): true | undefined {
    return this.pack.templateArgument(this.index) ? true : undefined;
  }
}

/** Packs one file's literals as they are found (see PackedLiterals). */
export class LiteralPacker {
  private readonly texts: string[] = [];
  private readonly places: number[] = [];
  private inTemplateArgument: Set<number> | undefined;

  constructor(private readonly path: string) {}

  add(text: string, range: Range, templateArgument: boolean): void {
    if (templateArgument) (this.inTemplateArgument ??= new Set()).add(this.texts.length);
    this.texts.push(text);
    const { start, end } = range;
    this.places.push(start.offset, start.byte, start.line, start.column, end.offset, end.byte, end.line, end.column);
  }

  /** The packed literals (undefined when there are none). */
  done(): PackedLiterals | undefined {
    if (this.texts.length === 0) return undefined;
    return new PackedLiterals(this.path, this.texts, Int32Array.from(this.places), this.inTemplateArgument);
  }
}

/** The inventory's list of literal strings (see the top of this file). */
export class LiteralStrings implements Iterable<LiteralString> {
  private readonly parts: Array<LiteralString | PackedLiterals> = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(...items: LiteralString[]): number {
    for (const item of items) this.parts.push(item);
    this.count += items.length;
    return this.count;
  }

  pushPacked(pack: PackedLiterals): void {
    this.parts.push(pack);
    this.count += pack.length;
  }

  /** Adds another list's literals after these. */
  append(other: LiteralStrings): void {
    for (const part of other.parts) this.parts.push(part);
    this.count += other.count;
  }

  *[Symbol.iterator](): Iterator<LiteralString> {
    for (const part of this.parts) {
      if (part instanceof PackedLiterals) {
        for (let i = 0; i < part.length; i++) yield part.at(i);
      } else {
        yield part;
      }
    }
  }

  filter(keep: (l: LiteralString) => boolean): LiteralString[] {
    const out: LiteralString[] = [];
    for (const l of this) if (keep(l)) out.push(l);
    return out;
  }

  some(test: (l: LiteralString) => boolean): boolean {
    for (const l of this) if (test(l)) return true;
    return false;
  }

  map<T>(fn: (l: LiteralString) => T): T[] {
    const out: T[] = [];
    for (const l of this) out.push(fn(l));
    return out;
  }
}
