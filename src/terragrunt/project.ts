// Terragrunt units in a scan: every directory with a `terragrunt.hcl` that no other
// configuration includes is a unit. Its configuration is evaluated (config.ts), never run; its
// module (`terraform { source = … }`, a local path, `//subdir` included; or, without a source,
// the unit's own directory) is evaluated once per unit, as Terragrunt runs it: the module's
// files, the unit directory's own `.tf` files copied over them, the files its `generate` blocks
// write (`if_exists` decides whether a module file of that name is replaced), and the unit's
// inputs as the root variables (below the module's tfvars, as TF_VAR_ values are). A module
// directory used this way — and a directory of fragments that `generate` blocks copy in with
// file() — is not scanned as a root of its own, and its undefined references are judged in the
// units' compositions. Remote sources are skipped, and the scan says so once, with the count.

import path from "node:path";
import type { Block, File } from "../hcl/ast.js";
import { collectDeclarations, type ModuleConfig } from "../terraform/config.js";
import { evaluate } from "../terraform/evaluate.js";
import { ModuleInstance, type InputOrigin } from "../terraform/module.js";
import type { ModuleFailure, ProjectExtension, ProjectExtensionContext, ProjectExtensionResult, ProjectNotice } from "../terraform/project.js";
import { ObjectValue, Unknown, unknown, type Value } from "../terraform/values.js";
import { TgConfig, type Sourced } from "./config.js";
import { NotInGitRepository } from "./functions.js";
import { generateFile, type GeneratedFile } from "./generate.js";
import { inputOrigins, toInputOrigin } from "./inputs.js";
import { TerragruntSession } from "./session.js";

/** Where a unit's module comes from. */
type SourceDecision =
  | { kind: "local"; dir: string; undecided?: { on: string; hint: string } }
  | { kind: "remote"; text: string }
  | { kind: "none" }
  | { kind: "unknown"; why: string };

const REMOTE = /^(?:[a-z0-9]+::|git@|tfr:|oci:|https?:\/\/|github\.com\/|bitbucket\.org\/|gitlab\.com\/)/i;

/** Whether a source address is remote (git, registry, HTTP, S3…), as go-getter reads it. */
export function isRemoteSource(s: string): boolean {
  return REMOTE.test(s);
}

/** A local source's directory: `../modules//app?ref=x` → `<unit>/../modules/app`. */
export function localSourceDir(source: string, unitDir: string): string {
  let s = source.replace(/\?.*$/, "");
  const dbl = s.indexOf("//");
  if (dbl >= 0) s = path.join(s.slice(0, dbl), s.slice(dbl + 2));
  return path.resolve(unitDir, s);
}

/** A Terragrunt stack: its units are generated (`terragrunt stack generate`), which secretlint does not do. */
const STACK_FILE = "terragrunt.stack.hcl";

/** The Terragrunt extension of a project load (see terraform/project.ts ProjectExtension). */
export function terragruntUnits(): ProjectExtension {
  return { accepts: (name) => name === "terragrunt.hcl" || name === STACK_FILE, load: loadUnits };
}

function loadUnits(ctx: ProjectExtensionContext): ProjectExtensionResult {
  const session = new TerragruntSession({
    env: new Map(ctx.options.tgEnv ?? []),
    display: ctx.display,
    roots: ctx.readRoots,
    refused: (abs, reason) => ctx.fileNotice({ path: abs, message: `${reason.replace(/; it was not (read|parsed)$/, "")}; it was not read, and what it holds is unknown`, partial: false }),
    budgetNotice: (abs, event) =>
      ctx.fileNotice({ path: abs, message: `${event.expr ? `line ${event.expr.range.start.line}: ` : ""}${event.detail} (evaluation budget of a Terragrunt configuration)`, partial: false }),
  });
  const found = ctx.extensionFound;
  const ownedDirs = new Set<string>();
  const roots: ModuleInstance[] = [];
  const configs: ModuleConfig[] = [];
  const notices: ProjectNotice[] = [];
  const failures: ModuleFailure[] = [];
  const generated: File[] = [];
  if (found.size === 0) return { ownedDirs, roots, configs, files: [], notices, failures };

  // One pass: each unit is evaluated (or set aside) as it is read. A configuration with `skip =
  // true` (a parent meant only to be included) or an `exclude` of all actions is not run by
  // Terragrunt, so not evaluated; a parent without a source or .tf files of its own runs
  // nothing either. A file whose unit is not evaluated is forgotten at once: a tree of
  // thousands of units is not held in memory.
  const visible = [...found].filter(([d]) => !isHidden(path.relative(ctx.rootDir, d)));
  const unitFiles = visible.filter(([, names]) => names.includes("terragrunt.hcl")).map(([d]) => path.join(d, "terragrunt.hcl"));
  const stacks = visible.filter(([, names]) => names.includes(STACK_FILE)).map(([d]) => ctx.display(path.join(d, STACK_FILE)));
  interface Outcome {
    abs: string;
    remote?: string;
    notKnown?: string;
    undecided?: { unit: string; module: string; on: string; hint: string };
    unit?: ComposedUnit;
    owned: string[];
    failure?: ModuleFailure;
  }
  const outcomes: Outcome[] = [];
  for (const abs of unitFiles) {
    const file = session.parse(abs);
    if (!file) continue;
    const cfg = new TgConfig(abs, file, { configPath: abs, originalPath: abs }, session);
    const unitDir = path.dirname(abs);
    const shown = ctx.display(unitDir);
    const out: Outcome = { abs, owned: [] };
    outcomes.push(out);
    try {
      if (skipped(cfg)) {
        session.forget(abs);
        continue;
      }
      const decision = decideSource(cfg, unitDir);
      if (decision.kind === "remote") out.remote = shown;
      else if (decision.kind === "unknown") out.notKnown = `${shown} (${decision.why})`;
      else {
        if (decision.kind === "local" && decision.undecided) out.undecided = { unit: shown, module: ctx.display(decision.dir), ...decision.undecided };
        const moduleDir = decision.kind === "local" ? decision.dir : unitDir;
        // Without a source and without .tf files, nothing runs here.
        if (ctx.found.has(moduleDir) || decision.kind === "local") {
          out.unit = composeUnit(ctx, cfg, unitDir, moduleDir);
          out.owned.push(moduleDir);
          if (ctx.found.has(unitDir)) out.owned.push(unitDir);
        }
      }
    } catch (error) {
      out.failure = { stage: "load", module: shown, address: "", error };
    }
    if (!out.unit) session.forget(abs);
  }

  const remote: string[] = [];
  const notKnown: string[] = [];
  const undecided = new Map<string, { on: string; hint: string; units: string[] }>();
  for (const o of outcomes) {
    if (o.failure) failures.push(o.failure);
    if (o.remote) remote.push(o.remote);
    if (o.notKnown) notKnown.push(o.notKnown);
    if (o.undecided) {
      const key = `${o.undecided.on}${o.undecided.hint}`;
      const u = undecided.get(key) ?? { on: o.undecided.on, hint: o.undecided.hint, units: [] };
      u.units.push(`${o.undecided.unit} → ${o.undecided.module}`);
      undecided.set(key, u);
    }
    if (!o.unit) continue;
    for (const d of o.owned) ownedDirs.add(d);
    roots.push(o.unit.root);
    if (!o.unit.incomplete) configs.push(o.unit.config);
    for (const g of o.unit.generated) generated.push(g.file);
  }

  const list = (items: string[]) => items.slice(0, 5).join(", ") + (items.length > 5 ? `, and ${items.length - 5} more` : "");
  if (remote.length > 0) {
    notices.push({
      level: "note",
      message: `${remote.length} Terragrunt unit${remote.length === 1 ? "" : "s"} with a remote module source (git, registry) ${remote.length === 1 ? "was" : "were"} not evaluated (${list(remote)}): secretlint does not download modules; scan a checkout of the module repository as well, or point terraform.source at a local path`,
    });
  }
  for (const u of undecided.values()) {
    const n = u.units.length;
    notices.push({
      level: "note",
      message: `${n} Terragrunt unit${n === 1 ? "" : "s"} choose${n === 1 ? "s" : ""} between a remote module source and a local path ${u.on}; evaluated with the local path (${list(u.units)})${u.hint}`,
    });
  }
  if (stacks.length > 0) {
    notices.push({
      level: "note",
      message: `${stacks.length} Terragrunt stack${stacks.length === 1 ? "" : "s"} ${stacks.length === 1 ? "was" : "were"} not read (${list(stacks)}): secretlint does not generate a stack's units; scan the repository of the units and modules it names as well`,
    });
  }
  if (notKnown.length > 0) {
    notices.push({
      level: "note",
      message: `${notKnown.length} Terragrunt unit${notKnown.length === 1 ? "" : "s"} whose module source is not known ${notKnown.length === 1 ? "was" : "were"} not evaluated: ${list(notKnown)}`,
    });
  }

  // Directories whose every Terraform file a generate block copies in with file() are fragments, not modules.
  for (const [dir, names] of ctx.found) {
    if (names.length > 0 && names.every((n) => session.filesRead.has(path.join(dir, n)))) ownedDirs.add(dir);
  }
  for (const d of session.diagnostics) ctx.diagnostics.push(d);
  return { ownedDirs, roots, configs, files: [...mergedFiles(session, generated)], notices, failures };
}

/**
 * Whether Terragrunt never runs this configuration: `skip = true`, or an `exclude` block (its
 * own, else a merged parent's) with `if = true` and `actions = ["all"]`.
 */
function skipped(cfg: TgConfig): boolean {
  const skip = cfg.attr("skip");
  if (skip && evaluate(skip.expr, cfg) === true) return true;
  let excluding: { block: Block; cfg: TgConfig } | undefined;
  for (const spec of cfg.includes()) {
    if (spec.mergeStrategy === "no_merge") continue;
    const p = cfg.parent(spec);
    const b = p?.blocks("exclude")[0];
    if (p && b) excluding = { block: b, cfg: p };
  }
  const own = cfg.blocks("exclude")[0];
  if (own) excluding = { block: own, cfg };
  if (!excluding) return false;
  const attr = (n: string) => excluding.block.body.attributes.find((a) => a.name === n);
  const cond = attr("if");
  const actions = attr("actions");
  const acts = actions ? evaluate(actions.expr, excluding.cfg) : null;
  return cond !== undefined && evaluate(cond.expr, excluding.cfg) === true && Array.isArray(acts) && acts.includes("all");
}

/** A path with a hidden directory in it (Terragrunt does not look for units there: `.boilerplate/` templates…). */
function isHidden(rel: string): boolean {
  return rel.split(path.sep).some((seg) => seg.startsWith(".") && seg !== "." && seg !== "..");
}

/** The terraform.source decision for a unit. */
function decideSource(cfg: TgConfig, unitDir: string): SourceDecision {
  const src = cfg.view().terraform.get("source");
  if (!src) return { kind: "none" };
  const v = evaluate(src.expr, src.cfg);
  if (typeof v === "string") return classify(v, unitDir);
  if (v instanceof Unknown) {
    // A conditional between a remote address and a local path, undecided by an unknown
    // (environment) value: the local path is the code in this checkout.
    const options = candidates(src, 0).filter((c): c is string => typeof c === "string");
    const locals = [...new Set(options.filter((o) => !isRemoteSource(o)))];
    const remotes = options.filter((o) => isRemoteSource(o));
    if (locals.length === 1 && remotes.length > 0) {
      const d = classify(locals[0], unitDir);
      if (d.kind === "local") {
        const envs = unknownEnv(src.expr, src.cfg, 0);
        const why = envs.length > 0 ? `on ${envs.map((n) => `get_env("${n}")`).join(", ")}, which ${envs.length === 1 ? "is" : "are"} not known` : "on a value that is not known";
        return { ...d, undecided: { on: `depending ${why}`, hint: envs.length > 0 ? "; pass --tg-env to choose" : "" } };
      }
    }
    const envs = unknownEnv(src.expr, src.cfg, 0);
    return { kind: "unknown", why: envs.length > 0 ? `it depends on ${envs.map((n) => `get_env("${n}")`).join(", ")}; pass --tg-env` : "not known statically" };
  }
  if (v instanceof NotInGitRepository) {
    const fn = /^([a-z_]+)\(\): /.exec(v.message)?.[1] ?? "get_repo_root";
    return { kind: "unknown", why: `${fn}() needs a git work tree, and the unit is in none; scan a git checkout` };
  }
  return { kind: "unknown", why: "it cannot be evaluated" };
}

/** The get_env names an expression depends on (through locals) that have no value. */
function unknownEnv(expr: Sourced["expr"], cfg: TgConfig, depth: number): string[] {
  const out = new Set<string>();
  const walk = (e: unknown, d: number): void => {
    if (typeof e !== "object" || e === null || d > 16) return;
    const x = e as Sourced["expr"];
    if (x.type === "FunctionCall" && x.name === "get_env" && x.args[0]) {
      const n = evaluate(x.args[0], cfg);
      if (typeof n === "string" && evaluate(x, cfg) instanceof Unknown) out.add(n);
    }
    if (x.type === "GetAttr" && x.object.type === "Variable" && x.object.name === "local") {
      const decl = cfg.localDecl(x.name);
      if (decl) walk(decl.expr, d + 1);
    }
    for (const v of Object.values(x)) {
      if (Array.isArray(v)) for (const i of v) walk(i, d + 1);
      else if (typeof v === "object" && v !== null && "type" in v) walk(v, d + 1);
    }
  };
  walk(expr, depth);
  return [...out];
}

function classify(source: string, unitDir: string): SourceDecision {
  if (isRemoteSource(source)) return { kind: "remote", text: source };
  const dir = localSourceDir(source, unitDir);
  return { kind: "local", dir };
}

/** The values a source expression may take: the branches of its conditionals (through locals and templates). */
function candidates(s: Sourced, depth: number): Value[] {
  if (depth > 8) return [];
  const out: Value[] = [];
  const visit = (e: Sourced["expr"], d: number): void => {
    if (d > 8) return;
    switch (e.type) {
      case "Parens":
        return visit(e.expr, d + 1);
      case "Conditional":
        visit(e.then, d + 1);
        visit(e.else, d + 1);
        return;
      case "Template":
        if (e.wrapped) return visit(e.wrapped, d + 1);
        break;
      case "GetAttr":
        if (e.object.type === "Variable" && e.object.name === "local") {
          const decl = s.cfg.localDecl(e.name);
          if (decl) return visit(decl.expr, d + 1);
        }
        break;
      default:
        break;
    }
    out.push(evaluate(e, s.cfg));
  };
  visit(s.expr, depth);
  return out;
}

interface ComposedUnit {
  root: ModuleInstance;
  config: ModuleConfig;
  generated: GeneratedFile[];
  /** A generated Terraform file whose declarations are not known. */
  incomplete: boolean;
}

const IS_TF = /\.tf(?:\.json)?$/;

/** The unit's module as Terragrunt runs it, and its root instance. */
function composeUnit(ctx: ProjectExtensionContext, cfg: TgConfig, unitDir: string, moduleDir: string): ComposedUnit {
  const base = path.posix.basename;
  const module = ctx.found.has(moduleDir) || moduleDir !== unitDir ? ctx.load(moduleDir) : undefined;
  const files = new Map<string, File>();
  const diagnostics = [...(module?.diagnostics ?? [])];
  for (const f of module?.files ?? []) files.set(base(f.fileName), f);
  // Terragrunt copies the unit directory's files over the module's.
  if (unitDir !== moduleDir && ctx.found.has(unitDir)) {
    const own = ctx.load(unitDir);
    for (const f of own.files) files.set(base(f.fileName), f);
    diagnostics.push(...own.diagnostics);
  }
  const view = cfg.view();
  const generated: GeneratedFile[] = [];
  const externalValues = new Map<string, Value>();
  let incomplete = false;
  for (const g of view.generates.values()) {
    const disable = g.disable();
    if (disable === true || disable === "true") continue;
    const gpath = g.path();
    if (typeof gpath !== "string") {
      // A generated file we cannot name: it may be Terraform whose declarations we do not know.
      incomplete = true;
      continue;
    }
    const rel = gpath.replace(/^\.\//, "");
    if (rel.includes("/") || !IS_TF.test(rel)) continue; // not a file of the module's directory
    const ie = g.ifExists();
    const ifExists = typeof ie === "string" ? ie : "overwrite_terragrunt";
    if (files.has(rel) && (ifExists === "skip" || ifExists === "error")) continue;
    const contents = g.contents();
    const gf = generateFile(g.cfg, contents.expr, contents.value, g.range, rel);
    if (gf.wholeUnknown) {
      incomplete = true;
      files.delete(rel);
      continue;
    }
    generated.push(gf);
    files.set(rel, gf.file);
    for (const [k, v] of gf.unknowns) externalValues.set(k, v);
    for (const d of gf.file.diagnostics) diagnostics.push(d);
  }
  const rs = view.remoteStateGenerate;
  if (rs && typeof rs.path === "string") {
    const rel = rs.path.replace(/^\.\//, "");
    const ifExists = typeof rs.ifExists === "string" ? rs.ifExists : "overwrite_terragrunt";
    // The backend file declares nothing the scan evaluates; it only replaces a module file of that name.
    if (ifExists !== "skip" && ifExists !== "error") files.delete(rel);
  }
  const config = collectDeclarations(moduleDir, [...files.values()], diagnostics);
  if (externalValues.size > 0) config.externalValues = externalValues;

  // Inputs: the root variables, as TF_VAR_ values (the module's tfvars and --var win over them).
  const inputs = cfg.inputsValue();
  const values = new ObjectValue();
  const origins = new Map<string, InputOrigin>();
  const written = inputOrigins(view.inputs.map((p) => ({ expr: p.sourced.expr, cfg: p.sourced.cfg })));
  for (const name of config.variables.keys()) {
    let v: Value | undefined;
    if (inputs instanceof ObjectValue) v = inputs.get(name);
    else if (inputs instanceof Unknown) v = unknown("dynamic", `inputs of ${cfg.display}`);
    if (v === undefined) continue;
    values.set(name, v);
    const o = written.get(name);
    if (o) origins.set(name, toInputOrigin(name, o));
  }
  const finalValues = ctx.rootVariables(config, { values, origins });
  const root = new ModuleInstance(config, "", finalValues.values, ctx.sources, new Map(), ctx.rootDir);
  root.unitDir = unitDir;
  for (const [n, o] of finalValues.origins) root.inputOrigins.set(n, o);
  return { root, config, generated, incomplete };
}

/**
 * One file per path for code frames and suppression comments: a Terragrunt configuration
 * together with the files generated from its text (their comments and blocks are positioned
 * in it).
 */
function mergedFiles(session: TerragruntSession, generated: File[]): File[] {
  const byName = new Map<string, File>();
  for (const f of session.parsedFiles()) byName.set(f.fileName, f);
  for (const g of generated) {
    const have = byName.get(g.fileName);
    if (!have) {
      byName.set(g.fileName, g);
      continue;
    }
    const seen = new Set(have.comments.map((c) => c.range.start.offset));
    const blocks: Block[] = [...have.body.blocks];
    for (const b of g.body.blocks) if (!blocks.some((x) => x.range.start.offset === b.range.start.offset)) blocks.push(b);
    byName.set(g.fileName, {
      ...have,
      body: { ...have.body, blocks },
      comments: [...have.comments, ...g.comments.filter((c) => !seen.has(c.range.start.offset))],
      diagnostics: have.diagnostics,
    });
  }
  return [...byName.values()];
}
