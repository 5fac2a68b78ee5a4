// Collects the literal text of every template in every Terraform file (once per module
// directory), for rules about what was typed (documentation placeholders left in).

import type { Attribute, Body, Expression, TemplateExpr } from "../../hcl/ast.js";
import { forEachChild } from "../../hcl/ast.js";
import { LiteralPacker } from "../../inventory/literal-strings.js";
import type { CollectContext } from "./context.js";

/**
 * Arguments whose text is a template of the AWS service, not a value: EventBridge's
 * `input_transformer.input_template` and Pipes' `target_parameters.input_template` fill
 * `<name>` from `input_paths` at run time. Matched by name wherever they are written (also as
 * an object key, as EventBridge modules take them through variables).
 */
const TEMPLATE_ARGUMENTS: ReadonlySet<string> = new Set(["input_template"]);

export function collectLiteralStrings(ctx: CollectContext, texts: LiteralTexts = new LiteralTexts()): void {
  for (const config of ctx.project.modules.values()) {
    for (const file of config.files) {
      const found = new LiteralPacker(file.fileName);
      const push = (t: TemplateExpr, templateArgument: boolean) => {
        for (const part of t.parts) {
          if (part.type !== "TemplateLiteral") continue;
          found.add(texts.intern(part.value), part.range, templateArgument);
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
        for (const l of b.labels) if (l.quoted) found.add(texts.intern(l.value), l.range, false);
      }
      const packed = found.done();
      if (packed) ctx.inventory.literalStrings.pushPacked(packed);
    }
  }
}

/**
 * The literal texts of one scan, each kept once. A large tree writes hundreds of thousands of
 * literals and most are repeats (`"Allow"`, `"aws"`, a module copied between environments);
 * each is also copied out of its file's source: V8 makes a substring of 13 characters or more
 * a view into its parent, so one literal kept would keep its whole file.
 */
export class LiteralTexts {
  private readonly seen = new Map<string, string>();

  intern(s: string): string {
    const have = this.seen.get(s);
    if (have !== undefined) return have;
    const own = detached(s);
    this.seen.set(own, own);
    return own;
  }
}

/** A flat copy of a string (JSON's round trip makes a new sequential string; slicing would make another view). */
function detached(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
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
