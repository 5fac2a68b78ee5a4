// Collects the literal text of every template in every Terraform file (once per module
// directory), for rules about what was typed (documentation placeholders left in).

import type { Attribute, Body, Expression, Range, TemplateExpr } from "../../hcl/ast.js";
import { forEachChild } from "../../hcl/ast.js";
import type { Inventory, Origin } from "../../inventory/model.js";

type LiteralString = Inventory["literalStrings"][number];
import type { CollectContext } from "./context.js";
import { fileOrigin } from "./context.js";

/**
 * Arguments whose text is a template of the AWS service, not a value: EventBridge's
 * `input_transformer.input_template` and Pipes' `target_parameters.input_template` fill
 * `<name>` from `input_paths` at run time. Matched by name wherever they are written (also as
 * an object key, as EventBridge modules take them through variables).
 */
const TEMPLATE_ARGUMENTS: ReadonlySet<string> = new Set(["input_template"]);

export function collectLiteralStrings(ctx: CollectContext): void {
  for (const config of ctx.project.modules.values()) {
    for (const file of config.files) {
      const push = (t: TemplateExpr, templateArgument: boolean) => {
        for (const part of t.parts) {
          if (part.type !== "TemplateLiteral") continue;
          ctx.inventory.literalStrings.push(new LiteralAt(part.value, file.fileName, part.range, templateArgument));
        }
      };
      const templateRanges: Array<{ start: number; end: number }> = [];
      const inTemplateArgument = (e: Expression) => templateRanges.some((r) => e.range.start.offset >= r.start && e.range.end.offset <= r.end);
      walkBody(file.body, (e) => {
        if (e.type === "Object") {
          for (const it of e.items) {
            const key = it.key.type === "Variable" ? it.key.name : it.key.type === "Template" && it.key.parts.length === 1 && it.key.parts[0].type === "TemplateLiteral" ? it.key.parts[0].value : undefined;
            if (key !== undefined && TEMPLATE_ARGUMENTS.has(key)) templateRanges.push({ start: it.value.range.start.offset, end: it.value.range.end.offset });
          }
        }
        if (e.type === "Template") push(e, inTemplateArgument(e));
      }, (a) => {
        if (TEMPLATE_ARGUMENTS.has(a.name)) templateRanges.push({ start: a.expr.range.start.offset, end: a.expr.range.end.offset });
      });
      for (const b of allBlocks(file.body)) {
        for (const l of b.labels) if (l.quoted) ctx.inventory.literalStrings.push(new LiteralAt(l.value, file.fileName, l.range, false));
      }
    }
  }
}

/**
 * A literal text and its place, packed: a large tree writes hundreds of thousands of literals,
 * and the inventory outlives every syntax tree, so the place is kept as numbers (not the tree's
 * range objects) and its origin is made when a rule asks for it.
 */
class LiteralAt implements LiteralString {
  readonly templateArgument?: true;
  private readonly startOffset: number;
  private readonly startByte: number;
  private readonly startLine: number;
  private readonly startColumn: number;
  private readonly endOffset: number;
  private readonly endByte: number;
  private readonly endLine: number;
  private readonly endColumn: number;

  readonly text: string;

  constructor(
    text: string,
    private readonly path: string,
    range: Range,
    templateArgument: boolean,
  ) {
    this.text = detached(text);
    if (templateArgument) this.templateArgument = true;
    this.startOffset = range.start.offset;
    this.startByte = range.start.byte;
    this.startLine = range.start.line;
    this.startColumn = range.start.column;
    this.endOffset = range.end.offset;
    this.endByte = range.end.byte;
    this.endLine = range.end.line;
    this.endColumn = range.end.column;
  }

  get origin(): Origin {
    return fileOrigin(this.path, {
      start: { offset: this.startOffset, byte: this.startByte, line: this.startLine, column: this.startColumn },
      end: { offset: this.endOffset, byte: this.endByte, line: this.endLine, column: this.endColumn },
    });
  }
}

/**
 * A copy of a string that does not hold on to the text it was cut from. V8 makes a substring
 * of 13 characters or more a view into its parent (here: the whole file's source), so one
 * literal kept would keep its whole file; slicing a concatenation copies the characters first.
 */
function detached(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

function* allBlocks(body: Body): Generator<Body["blocks"][number]> {
  for (const b of body.blocks) {
    yield b;
    yield* allBlocks(b.body);
  }
}

/** Calls `visit` on every expression of a body, nested ones included (`onAttribute` first on each argument). */
export function walkBody(body: Body, visit: (e: Expression) => void, onAttribute?: (a: Attribute) => void): void {
  for (const a of body.attributes) {
    onAttribute?.(a);
    walkExpr(a.expr, visit);
  }
  for (const b of body.blocks) walkBody(b.body, visit, onAttribute);
}

export function walkExpr(e: Expression, visit: (e: Expression) => void): void {
  visit(e);
  forEachChild(e, (child) => walkExpr(child, visit));
}
