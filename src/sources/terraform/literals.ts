// Collects the literal text of every template in every Terraform file (once per module
// directory), for rules about what was typed (documentation placeholders left in).

import type { Attribute, Body, Expression } from "../../hcl/ast.js";
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
      // Offsets of `input_template` values, as start, end pairs: literals inside are the service's templates.
      const templateRanges: number[] = [];
      const inTemplateArgument = (e: Expression) => {
        for (let i = 0; i < templateRanges.length; i += 2) if (e.range.start.offset >= templateRanges[i] && e.range.end.offset <= templateRanges[i + 1]) return true;
        return false;
      };
      walkBody(
        file.body,
        (e) => {
          if (e.type === "Object") {
            for (let i = 0; i < e.items.length; i++) {
              const it = e.items[i];
              const key = it.key.type === "Variable" ? it.key.name : it.key.type === "Template" && it.key.parts.length === 1 && it.key.parts[0].type === "TemplateLiteral" ? it.key.parts[0].value : undefined;
              if (key !== undefined && TEMPLATE_ARGUMENTS.has(key)) templateRanges.push(it.value.range.start.offset, it.value.range.end.offset);
            }
          } else if (e.type === "Template") {
            const templateArgument = inTemplateArgument(e);
            for (let i = 0; i < e.parts.length; i++) {
              const part = e.parts[i];
              if (part.type === "TemplateLiteral") found.add(texts.intern(part.value), part.range, templateArgument);
            }
          }
        },
        (a) => {
          if (TEMPLATE_ARGUMENTS.has(a.name)) templateRanges.push(a.expr.range.start.offset, a.expr.range.end.offset);
        },
      );
      addQuotedLabels(file.body, found, texts);
      const packed = found.done();
      if (packed) ctx.inventory.literalStrings.pushPacked(packed);
    }
  }
}

/** The quoted labels of every block of a body, nested blocks included, in order. */
function addQuotedLabels(body: Body, found: LiteralPacker, texts: LiteralTexts): void {
  for (let i = 0; i < body.blocks.length; i++) {
    const b = body.blocks[i];
    for (let j = 0; j < b.labels.length; j++) {
      const l = b.labels[j];
      if (l.quoted) found.add(texts.intern(l.value), l.range, false);
    }
    addQuotedLabels(b.body, found, texts);
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

/**
 * Calls `visit` on every expression of a body, nested ones included (`onAttribute` first on each
 * argument). Indexed loops and one closure per call: it runs over every expression of a scan.
 */
export function walkBody(body: Body, visit: (e: Expression) => void, onAttribute?: (a: Attribute) => void): void {
  const walk = expressionWalker(visit);
  const inBody = (b: Body): void => {
    for (let i = 0; i < b.attributes.length; i++) {
      const a = b.attributes[i];
      onAttribute?.(a);
      walk(a.expr);
    }
    for (let i = 0; i < b.blocks.length; i++) inBody(b.blocks[i].body);
  };
  inBody(body);
}

export function walkExpr(e: Expression, visit: (e: Expression) => void): void {
  expressionWalker(visit)(e);
}

/** A function that calls `visit` on an expression and every expression nested in it (one closure for the whole walk). */
function expressionWalker(visit: (e: Expression) => void): (e: Expression) => void {
  const walk = (x: Expression): void => {
    visit(x);
    forEachChild(x, walk);
  };
  return walk;
}
