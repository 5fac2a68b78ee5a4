// secret/placeholder-value: documentation placeholders left in the configuration
// (`<Region>`, `#SECRET_NAME`, `KEY1`/`VALUE1`, `YOUR-API-KEY`…). Reports the placeholder
// only, never the text around it (that text may be a secret).

import { defineRule } from "../src/engine/rule.js";
import type { Origin } from "../src/inventory/model.js";

/** The placeholders of the vendor guides, as patterns. Case-sensitive where the guides write them so. */
const PATTERNS: RegExp[] = [
  /<(?:Region|AccountId|SecretName|SixRandomCharacters)>/gi,
  /#(?:SECRET_NAME|REGION)(?![A-Za-z0-9_])/g,
  /(?<![A-Za-z0-9_])(?:KEY1|VALUE1)(?![A-Za-z0-9_])/g,
  /(?<![A-Za-z0-9_-])(?:YOUR-SECRET-VALUE|YOUR-API-KEY|EXAMPLE-PASSWORD)(?![A-Za-z0-9_-])/g,
  /(?<![A-Za-z0-9_])(?:your-region|your-account-id)(?![A-Za-z0-9_])/g,
];

export interface PlaceholderHit {
  placeholder: string;
  index: number;
}

/** Every placeholder in a text, in order of position. */
export function findPlaceholders(text: string): PlaceholderHit[] {
  const hits: PlaceholderHit[] = [];
  for (const re of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) hits.push({ placeholder: m[0], index: m.index });
  }
  return hits.sort((a, b) => a.index - b.index);
}

/** How a character is written inside a quoted HCL string (for columns in single-line literals). */
function sourceLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "\\" || c === "\n" || c === "\r" || c === "\t") n += 2;
    else if ((c === "$" || c === "%") && text[i + 1] === "{") n += 2;
    else n += 1;
  }
  return n;
}

/**
 * The origin of a stretch of a literal text, from the literal's own origin: lines are exact
 * (a literal spanning lines is a heredoc, written as is); columns are exact in quoted strings
 * and plain heredocs, and approximate in indented (`<<-`) heredocs.
 */
function originOf(literal: Origin, text: string, index: number, length: number): Origin {
  const f = literal.file;
  if (!f) return literal;
  const { start, end } = f.range;
  const before = text.slice(0, index);
  const newlines = before.split("\n").length - 1;
  let line = start.line;
  let startShift: number;
  let endShift: number;
  let lineStartColumn = start.column;
  if (start.line === end.line) {
    // Quoted text: escapes make the source longer than the text; a block label's range also includes its quotes.
    const quoteShift = end.offset - start.offset === sourceLength(text) + 2 ? 1 : 0;
    startShift = quoteShift + sourceLength(before);
    endShift = quoteShift + sourceLength(text.slice(0, index + length));
  } else if (newlines === 0) {
    startShift = index;
    endShift = index + length;
  } else {
    // A heredoc line (indented heredocs lose their indentation in the text: columns are then approximate).
    line = start.line + newlines;
    const lineStart = before.lastIndexOf("\n") + 1;
    lineStartColumn = 1;
    startShift = index - lineStart;
    endShift = startShift + length;
  }
  const offset = start.offset + (newlines === 0 ? startShift : index);
  const endOffset = offset + (endShift - startShift);
  const ascii = /^[\x00-\x7f]*$/.test(text.slice(0, index + length));
  const byte = ascii ? start.byte + (offset - start.offset) : start.byte;
  return {
    ...literal,
    file: {
      path: f.path,
      range: {
        start: { offset, byte, line, column: lineStartColumn + startShift },
        end: { offset: endOffset, byte: ascii ? byte + (endOffset - offset) : start.byte, line, column: lineStartColumn + endShift },
      },
    },
  };
}

export default defineRule({
  id: "secret/placeholder-value",
  level: "warning",
  securitySeverity: 3.0,
  tags: ["correctness", "secretsmanager", "documentation"],
  precision: "high",
  title: "Documentation placeholder left in the configuration",
  description:
    "Placeholders from vendor setup guides left in: `<Region>`, `<AccountId>`, `<SecretName>`, `#SECRET_NAME`, `#REGION`, `KEY1`/`VALUE1`, `YOUR-SECRET-VALUE`, `YOUR-API-KEY`, `EXAMPLE-PASSWORD`, `your-region`, `your-account-id`. The ARN, name or value they stand in has never been filled in.",
  help: {
    why:
      "A placeholder copied from a guide makes a policy that matches no secret (`arn:aws:secretsmanager:<Region>:<AccountId>:secret:*`), a secret with a documentation value, or a name nothing reads. Nothing fails at plan time; the integration fails at run time with AccessDenied or a missing secret.",
    bad: `resource "aws_secretsmanager_secret" "apono" {
  name = "#SECRET_NAME"
  tags = {
    "apono-connector-read" = "true"
  }
}`,
    good: `resource "aws_secretsmanager_secret" "apono" {
  name = "apono/postgres-prod"
  tags = {
    "apono-connector-read" = "true"
  }
}`,
    fix: "Replace the placeholder with the real region, account id, secret name or value (a value belongs outside the configuration: see secret/hardcoded-value).",
  },
  messages: {
    placeholder: "{noun} {placeholders} left in from a setup guide; replace with the real value",
  },
  check(ctx) {
    for (const lit of ctx.inventory.literalStrings) {
      const hits = findPlaceholders(lit.text);
      if (hits.length === 0) continue;
      // One finding per line of the literal, naming the placeholders on it.
      const byLine = new Map<number, PlaceholderHit[]>();
      for (const h of hits) {
        const line = lit.text.slice(0, h.index).split("\n").length;
        const list = byLine.get(line) ?? [];
        list.push(h);
        byLine.set(line, list);
      }
      for (const list of byLine.values()) {
        const names = [...new Set(list.map((h) => h.placeholder))];
        const first = list[0];
        const last = list[list.length - 1];
        const at = originOf(lit.origin, lit.text, first.index, last.index + last.placeholder.length - first.index);
        ctx.report({ messageId: "placeholder", data: { noun: names.length > 1 ? "Documentation placeholders" : "Documentation placeholder", placeholders: names.map((n) => `\`${n}\``).join(", ") }, at });
      }
    }
  },
});
