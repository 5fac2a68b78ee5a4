// Where each of a unit's inputs is written, for findings on those values: an item of an
// `inputs = { … }` object (in terragrunt.hcl or an included parent), an assignment of a tfvars
// file read with read_tfvars_file, a `locals` entry of a file read with read_terragrunt_config.
// Followed through merge(), jsondecode(), locals and exposed includes, by syntax; anything else
// has no place of its own (the finding stays where the module uses the value).

import path from "node:path";
import type { Expression, Range } from "../hcl/ast.js";
import { isStringLiteral, stringLiteralValue } from "../hcl/ast.js";
import { evaluate } from "../terraform/evaluate.js";
import { EMPTY_SCOPE, type InputOrigin } from "../terraform/module.js";
import { CONFIG_NAMES, TgConfig } from "./config.js";
import fs from "node:fs";

export interface KeyOrigin {
  /** The file, as findings show it. */
  file: string;
  /** The item or assignment. */
  range: Range;
  expr: Expression;
  /** The configuration it is evaluated in (none for a tfvars literal). */
  cfg?: TgConfig;
}

type Resolved = { kind: "keys"; keys: Map<string, KeyOrigin> } | { kind: "config"; cfg: TgConfig };

const MAX_DEPTH = 12;

/** Per input name, where it is written (later parts win, as inputs merge). */
export function inputOrigins(parts: Array<{ expr: Expression; cfg: TgConfig }>): Map<string, KeyOrigin> {
  const out = new Map<string, KeyOrigin>();
  for (const p of parts) {
    const r = resolve(p.expr, p.cfg, 0);
    if (r?.kind === "keys") for (const [k, v] of r.keys) out.set(k, v);
  }
  return out;
}

/** The InputOrigin trace.ts follows: into the written expression only when it holds no Terragrunt reference (the tracer reads `local.` as the module's). */
export function toInputOrigin(name: string, o: KeyOrigin): InputOrigin {
  const safe = !mentionsLocal(o.expr);
  return {
    label: `\`${name}\` in the inputs of ${o.file}`,
    file: o.file,
    range: o.range,
    expr: safe ? o.expr : { type: "Literal", value: null, raw: "", range: o.expr.range },
    scope: o.cfg ?? EMPTY_SCOPE,
  };
}

function mentionsLocal(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  if ((e as Expression).type === "Variable" && ((e as { name: string }).name === "local" || (e as { name: string }).name === "include" || (e as { name: string }).name === "dependency")) return true;
  for (const v of Object.values(e)) {
    if (Array.isArray(v)) {
      if (v.some(mentionsLocal)) return true;
    } else if (typeof v === "object" && v !== null && "type" in v && mentionsLocal(v)) return true;
  }
  return false;
}

function staticKey(key: Expression, bare: boolean): string | undefined {
  if (bare && key.type === "Variable") return key.name;
  if (isStringLiteral(key)) return stringLiteralValue(key);
  return undefined;
}

function resolve(expr: Expression, cfg: TgConfig, depth: number): Resolved | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (expr.type) {
    case "Parens":
      return resolve(expr.expr, cfg, depth + 1);
    case "Template":
      return expr.wrapped ? resolve(expr.wrapped, cfg, depth + 1) : undefined;
    case "Object": {
      const keys = new Map<string, KeyOrigin>();
      for (const it of expr.items) {
        const k = staticKey(it.key, it.bareKey);
        if (k !== undefined) keys.set(k, { file: cfg.display, range: it.range, expr: it.value, cfg });
      }
      return { kind: "keys", keys };
    }
    case "FunctionCall": {
      const name = expr.name.startsWith("core::") ? expr.name.slice(6) : expr.name;
      if (name === "merge") {
        const keys = new Map<string, KeyOrigin>();
        for (const a of expr.args) {
          const r = resolve(a, cfg, depth + 1);
          if (r?.kind === "keys") for (const [k, v] of r.keys) keys.set(k, v);
        }
        return { kind: "keys", keys };
      }
      if (name === "jsondecode" && expr.args.length === 1) return resolve(expr.args[0], cfg, depth + 1);
      if (name === "read_tfvars_file" && expr.args.length === 1) {
        const p = evaluate(expr.args[0], cfg);
        if (typeof p !== "string") return undefined;
        const abs = path.resolve(path.dirname(cfg.ctx.configPath), p);
        const file = cfg.session.parse(abs);
        if (!file) return undefined;
        const keys = new Map<string, KeyOrigin>();
        for (const a of file.body.attributes) keys.set(a.name, { file: file.fileName, range: a.range, expr: a.expr });
        return { kind: "keys", keys };
      }
      if (name === "read_terragrunt_config" && expr.args.length >= 1) {
        const p = evaluate(expr.args[0], cfg);
        if (typeof p !== "string") return undefined;
        let abs = path.resolve(path.dirname(cfg.ctx.configPath), p);
        try {
          if (fs.statSync(abs).isDirectory()) abs = path.join(abs, CONFIG_NAMES[0]);
        } catch {
          return undefined;
        }
        const file = cfg.session.parse(abs);
        if (!file) return undefined;
        return { kind: "config", cfg: new TgConfig(abs, file, { configPath: abs, originalPath: cfg.ctx.originalPath }, cfg.session, cfg.depth + 1) };
      }
      return undefined;
    }
    case "Variable":
    case "GetAttr":
    case "Index":
      return traversal(expr, cfg, depth);
    default:
      return undefined;
  }
}

/** `local.a.b`, `include.root.inputs`: the steps after the root, applied to what the root resolves to. */
function traversal(expr: Expression, cfg: TgConfig, depth: number): Resolved | undefined {
  const steps: string[] = [];
  let e: Expression = expr;
  while (e.type === "GetAttr" || e.type === "Index") {
    if (e.type === "GetAttr") steps.unshift(e.name);
    else {
      const k = evaluate(e.key, cfg);
      if (typeof k !== "string") return undefined;
      steps.unshift(k);
    }
    e = e.object;
  }
  if (e.type !== "Variable") return undefined;
  let cur: Resolved | undefined;
  let rest = steps;
  if (e.name === "local") {
    const decl = rest[0] !== undefined ? cfg.localDecl(rest[0]) : undefined;
    if (!decl) return undefined;
    cur = resolve(decl.expr, cfg, depth + 1);
    rest = rest.slice(1);
  } else if (e.name === "include") {
    const list = cfg.includes().filter((i) => i.expose);
    const bare = list.find((i) => i.name === "");
    const spec = bare ?? list.find((i) => i.name === rest[0]);
    const parent = spec ? cfg.parent(spec) : null;
    if (!parent) return undefined;
    cur = { kind: "config", cfg: parent };
    rest = bare ? rest : rest.slice(1);
  } else return undefined;
  for (const step of rest) {
    if (!cur) return undefined;
    if (cur.kind === "config") {
      const c: TgConfig = cur.cfg;
      if (step === "locals") {
        const keys = new Map<string, KeyOrigin>();
        for (const b of c.blocks("locals")) for (const a of b.body.attributes) keys.set(a.name, { file: c.display, range: a.range, expr: a.expr, cfg: c });
        cur = { kind: "keys", keys };
      } else if (step === "inputs") {
        const keys = new Map<string, KeyOrigin>();
        for (const part of c.view().inputs) {
          const r = resolve(part.sourced.expr, part.sourced.cfg, depth + 1);
          if (r?.kind === "keys") for (const [k, v] of r.keys) keys.set(k, v);
        }
        cur = { kind: "keys", keys };
      } else return undefined;
    } else {
      const o = cur.keys.get(step);
      if (!o) return undefined;
      cur = o.cfg ? resolve(o.expr, o.cfg, depth + 1) : o.expr.type === "Object" ? resolveLiteralObject(o) : undefined;
    }
  }
  return cur;
}

/** A tfvars object value's items (no configuration to evaluate in: keys are literal). */
function resolveLiteralObject(o: KeyOrigin): Resolved | undefined {
  if (o.expr.type !== "Object") return undefined;
  const keys = new Map<string, KeyOrigin>();
  for (const it of o.expr.items) {
    const k = staticKey(it.key, it.bareKey);
    if (k !== undefined) keys.set(k, { file: o.file, range: it.range, expr: it.value });
  }
  return { kind: "keys", keys };
}
