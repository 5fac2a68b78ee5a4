// A `generate` block's contents as a file of the unit's module, placed where the user wrote it:
// the text is rendered piece by piece from the contents expression (a heredoc or quoted
// template, `file()`, a local), each piece remembering the source range it came from, then
// parsed as Terraform, and every position in the syntax tree is moved back to the source — the
// heredoc line in root.hcl, or the fragment file `file()` read. A finding in a generated file
// therefore points at the text the user wrote.
//
// Stretches whose value is not known become references to names the module instance reads as
// unknown (ModuleConfig.externalValues), so the rest of the file stays known.

import path from "node:path";
import type { Expression, File, Pos, Range, TemplateExpr } from "../hcl/ast.js";
import { parseHclJson } from "../hcl/json.js";
import { parseHcl } from "../hcl/parser.js";
import { evaluate } from "../terraform/evaluate.js";
import { Unknown, unknown, type Value } from "../terraform/values.js";
import type { TgConfig } from "./config.js";

/** A stretch of the generated text and where it was written. */
interface Segment {
  genStart: number;
  genEnd: number;
  /** Source offsets in the home file. */
  srcStart: number;
  srcEnd: number;
  /** Literal text written as is: positions inside map one to one (line by line); otherwise the whole stretch maps to its source range. */
  literal: boolean;
}

export interface GeneratedFile {
  file: File;
  /** Names of unknown stretches → their values (ModuleConfig.externalValues). */
  unknowns: Map<string, Value>;
  /** Whether the whole contents was unknown (the file's declarations are not known). */
  wholeUnknown: boolean;
}

let unknownCounter = 0;

class Renderer {
  text = "";
  readonly segments: Segment[] = [];
  readonly unknowns = new Map<string, Value>();
  knownChars = 0;

  literal(value: string, srcStart: number, srcEnd: number): void {
    const genStart = this.text.length;
    this.text += value;
    this.knownChars += value.length;
    this.segments.push({ genStart, genEnd: this.text.length, srcStart, srcEnd, literal: true });
  }

  whole(v: Value, srcStart: number, srcEnd: number): void {
    const genStart = this.text.length;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
      const s = String(v);
      this.text += s;
      this.knownChars += s.length;
    } else if (v instanceof Unknown && v.template) {
      for (const p of v.template) {
        if (typeof p === "string") {
          this.text += p;
          this.knownChars += p.length;
        } else this.placeholder(p);
      }
    } else if (v !== null) this.placeholder(v);
    this.segments.push({ genStart, genEnd: this.text.length, srcStart, srcEnd, literal: false });
  }

  /** An unknown stretch: a reference to a name the module reads as unknown, inside or outside a string. */
  private placeholder(v: Value): void {
    const name = `__secretlint_generated_${++unknownCounter}`;
    this.unknowns.set(name, v instanceof Unknown ? v : unknown("dynamic", "generated contents"));
    this.text += insideString(this.text) ? `\${${name}}` : name;
  }
}

/** Whether the end of `text` is inside a quoted string or a heredoc body (HCL native syntax). */
function insideString(text: string): boolean {
  const lines = text.split("\n");
  let heredoc: string | null = null;
  for (let i = 0; i < lines.length - 1; i++) {
    const l = lines[i];
    if (heredoc !== null) {
      if (l.trim() === heredoc) heredoc = null;
      continue;
    }
    const m = /<<-?([A-Za-z_][A-Za-z0-9_-]*)\s*$/.exec(l);
    if (m && !quoteOpen(l.slice(0, m.index))) heredoc = m[1];
  }
  if (heredoc !== null) return true;
  return quoteOpen(lines[lines.length - 1]);
}

function quoteOpen(line: string): boolean {
  let open = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && open) i++;
    else if (c === '"') open = !open;
    else if (c === "#" && !open) break;
  }
  return open;
}

/**
 * Renders a contents expression written in `cfg` (or, when `expr` is absent, its value alone,
 * placed at `fallback`) and parses it as the Terraform file `fileName` of a module.
 */
export function generateFile(cfg: TgConfig, expr: Expression | undefined, value: Value, fallback: Range, generatedPath: string): GeneratedFile {
  // A contents that is exactly file("x") is that file's text: it is the home file.
  let homeAbs = cfg.abs;
  let homeText = cfg.file.source;
  let homeDisplay = cfg.display;
  const r = new Renderer();
  const direct = expr ? fileCall(expr, cfg) : undefined;
  if (direct && direct.text !== undefined) {
    homeAbs = direct.abs;
    homeText = direct.text;
    homeDisplay = cfg.session.display(direct.abs);
    const rr = new Renderer();
    rr.literal(direct.text, 0, direct.text.length);
    return finish(rr, cfg, homeAbs, homeText, homeDisplay, generatedPath);
  }
  if (expr) render(expr, cfg, r, 0);
  else r.whole(value, fallback.start.offset, fallback.end.offset);
  return finish(r, cfg, homeAbs, homeText, homeDisplay, generatedPath);
}

function finish(r: Renderer, cfg: TgConfig, homeAbs: string, homeText: string, homeDisplay: string, generatedPath: string): GeneratedFile {
  const wholeUnknown = r.knownChars === 0 && r.unknowns.size > 0;
  const parsed = generatedPath.endsWith(".json") ? parseHclJson(r.text, homeDisplay) : parseHcl(r.text, homeDisplay);
  const positions = cfg.session.positionsOf(homeAbs);
  const mapOffset = (gen: number, isEnd: boolean): number => {
    const segs = r.segments;
    let seg: Segment | undefined;
    for (const s of segs) {
      if (gen >= s.genStart && gen < s.genEnd) {
        seg = s;
        break;
      }
      if (isEnd && gen === s.genEnd && s.genEnd > s.genStart) seg = s;
    }
    seg ??= segs[segs.length - 1];
    if (!seg) return 0;
    if (!seg.literal) return isEnd ? seg.srcEnd : seg.srcStart;
    return alignLiteral(r.text.slice(seg.genStart, seg.genEnd), homeText.slice(seg.srcStart, seg.srcEnd), gen - seg.genStart) + seg.srcStart;
  };
  const memo = [new Map<Pos, Pos>(), new Map<Pos, Pos>()];
  const mapPos = (p: Pos, isEnd: boolean): Pos => {
    const m = memo[isEnd ? 1 : 0];
    const have = m.get(p);
    if (have) return have;
    const out = positions ? positions.pos(mapOffset(p.offset, isEnd)) : p;
    m.set(p, out);
    return out;
  };
  remapRanges(parsed, (range) => ({ start: mapPos(range.start, false), end: mapPos(range.end, true) }));
  const diagnostics = r.unknowns.size > 0 ? [] : parsed.diagnostics.map((d) => ({ ...d, file: homeDisplay }));
  const file: File = { fileName: homeDisplay, body: parsed.body, comments: parsed.comments, diagnostics, source: homeText };
  return { file, unknowns: r.unknowns, wholeUnknown };
}

/** `file("x")` with a known, readable path: the file and its text. */
function fileCall(expr: Expression, cfg: TgConfig): { abs: string; text: string | undefined } | undefined {
  let e = expr;
  while (e.type === "Parens") e = e.expr;
  if (e.type === "Template" && e.wrapped) e = e.wrapped;
  if (e.type !== "FunctionCall" || e.name !== "file" || e.args.length !== 1) return undefined;
  const p = evaluate(e.args[0], cfg);
  if (typeof p !== "string") return undefined;
  const abs = path.resolve(cfg.dir, p);
  return { abs, text: cfg.session.readFragment(abs) };
}

function render(expr: Expression, cfg: TgConfig, r: Renderer, depth: number): void {
  if (depth > 8) {
    r.whole(evaluate(expr, cfg), expr.range.start.offset, expr.range.end.offset);
    return;
  }
  switch (expr.type) {
    case "Parens":
      return render(expr.expr, cfg, r, depth + 1);
    case "Template": {
      if (expr.wrapped) return render(expr.wrapped, cfg, r, depth + 1);
      for (const part of expr.parts) {
        if (part.type === "TemplateLiteral") r.literal(part.value, part.range.start.offset, part.range.end.offset);
        else if (part.type === "TemplateInterpolation") {
          // A fragment read with file() inside the text: its text, placed at the interpolation.
          r.whole(evaluate(part.expr, cfg), part.range.start.offset, part.range.end.offset);
        } else {
          const one: TemplateExpr = { type: "Template", parts: [part], range: part.range };
          r.whole(evaluate(one, cfg), part.range.start.offset, part.range.end.offset);
        }
      }
      return;
    }
    case "Variable":
    case "GetAttr": {
      // `local.NAME`: the local's own expression, written in this file.
      if (expr.type === "GetAttr" && expr.object.type === "Variable" && expr.object.name === "local") {
        const decl = cfg.localDecl(expr.name);
        if (decl) return render(decl.expr, cfg, r, depth + 1);
      }
      break;
    }
    default:
      break;
  }
  r.whole(evaluate(expr, cfg), expr.range.start.offset, expr.range.end.offset);
}

/**
 * The source offset (relative to the literal's source text) of a generated offset inside a
 * literal: line by line; a line shorter in the value than in the source lost its indentation
 * (an indented heredoc), so the difference is counted at its start.
 */
function alignLiteral(value: string, source: string, offset: number): number {
  if (value === source) return offset;
  const vLines = value.split("\n");
  const sLines = source.split("\n");
  if (vLines.length !== sLines.length) return Math.min(offset, source.length);
  let vStart = 0;
  let sStart = 0;
  for (let i = 0; i < vLines.length; i++) {
    const vLen = vLines[i].length;
    if (offset <= vStart + vLen) {
      const shift = Math.max(0, sLines[i].length - vLen);
      return sStart + shift + (offset - vStart);
    }
    vStart += vLen + 1;
    sStart += sLines[i].length + 1;
  }
  return source.length;
}

/** Replaces every Range in a syntax tree (nodes, comments, diagnostics) by `map(range)`. */
function remapRanges(root: object, map: (r: Range) => Range): void {
  const seen = new Set<object>();
  const isPos = (x: unknown): x is Pos => typeof x === "object" && x !== null && typeof (x as Pos).offset === "number" && typeof (x as Pos).line === "number";
  const isRange = (x: unknown): x is Range => typeof x === "object" && x !== null && isPos((x as Range).start) && isPos((x as Range).end);
  const walk = (node: unknown): void => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (isRange(v)) node[i] = map(v);
        else walk(v);
      }
      return;
    }
    for (const key of Object.keys(node)) {
      const v = (node as Record<string, unknown>)[key];
      if (key === "source" && typeof v === "string") continue;
      if (isRange(v)) (node as Record<string, unknown>)[key] = map(v);
      else walk(v);
    }
  };
  walk(root);
}
