// A scan over a directory tree: every directory with Terraform files is a module; modules
// that another module in the scan calls through a local `source` are evaluated only through
// that call, with the caller's inputs; the others are roots, evaluated with their variables'
// defaults, tfvars files and command-line values, with Terraform's precedence.

import fs from "node:fs";
import path from "node:path";
import { isSpecialPath, readFileText, Roots } from "../files/read.js";
import { findFilesByDir, type FileNotice, type WalkOptions } from "../files/walk.js";
import type { Attribute, Block, Body, Diagnostic, Expression, File } from "../hcl/ast.js";
import { forEachChild } from "../hcl/ast.js";
import { parseHclJson } from "../hcl/json.js";
import { parseHcl } from "../hcl/parser.js";
import { overlaidSource, isTerraformFile, listTerraformFiles, loadModuleConfig, type ModuleConfig } from "./config.js";
import { evaluate, type Scope } from "./evaluate.js";
import { EvalBudget, type BudgetEvent } from "./budget.js";
import { EMPTY_SCOPE, ModuleInstance, typeKeyword, variableParsesAsHcl, type InputOrigin, type ModuleSource } from "./module.js";
import { ObjectValue, fromJSON, type Value } from "./values.js";
import { pushAll } from "../util/arrays.js";
import { parseJsonText } from "../util/json.js";

export interface ProjectOptions {
  /** File paths in findings are relative to this directory (default: the scan root). */
  displayRoot?: string;
  /** `--var NAME=VALUE`, in command-line order. */
  vars?: Array<[string, string]>;
  /** `--var-file FILE`, in command-line order (applied after `--var`s given before them: we keep files first, then vars). */
  varFiles?: string[];
  /** `--exclude GLOB` patterns, relative to the scan root. */
  exclude?: string[];
  /** `--tg-env NAME=VALUE`: the values Terragrunt's `get_env()` reads (never the process environment). */
  tgEnv?: Array<[string, string]>;
}

export interface Project {
  rootDir: string;
  /** Every module directory found, by absolute path. */
  modules: Map<string, ModuleConfig>;
  /** The root module instances (modules no other module in the scan calls). */
  roots: ModuleInstance[];
  /** Problems with inputs (tfvars, var files) that are not parse errors of modules. */
  diagnostics: Diagnostic[];
  /** An absolute path as paths in findings show it (relative to the display root, `/`). */
  display(abs: string): string;
  /** Modules left out because of an unexpected error (evaluation adds its own: see sources/terraform). */
  failures: ModuleFailure[];
  /** The variables files read for the roots (tfvars, `--var-file`), parsed: findings may be placed in them. */
  inputFiles: File[];
  /**
   * The module configurations whose syntax is checked (undefined references, literal text):
   * every module directory's, except those a loader extension evaluates its own way (a module
   * only ever run through Terragrunt units), whose composed configurations stand instead.
   */
  checkedConfigs: ModuleConfig[];
  /** Other files findings may be placed in (Terragrunt configurations, generated files). */
  extraFiles: File[];
  /** What the project says about its loading (sources skipped, not read). */
  notices: ProjectNotice[];
  /** `--var` names no root module of this project declares (Terraform rejects them; the scan decides over all its projects). */
  undeclaredVars: string[];
  /** The variables the root modules declare. */
  declaredVars: string[];
  /** What the reading policy and the walk skipped: unreadable directories, links out of the tree, files functions may not read, module cycles. */
  fileNotices: FileNotice[];
  /** Where the scan may read: the root and the git work tree around it. */
  readRoots: Roots;
}

/** Something a scan should say about what it read or did not read. */
export interface ProjectNotice {
  level: "warning" | "note";
  message: string;
}

/**
 * What a loader extension (Terragrunt units: src/terragrunt/) gets: the project's module loading,
 * module sources, display paths and root variable precedence.
 */
export interface ProjectExtensionContext {
  rootDir: string;
  options: ProjectOptions;
  display(abs: string): string;
  /** Loads (and caches) a module directory's configuration. */
  load(dir: string): ModuleConfig;
  /** The module directories found under the root, with their Terraform file names. */
  found: ReadonlyMap<string, string[]>;
  /** The directories holding files the extension accepts (ProjectExtension.accepts), from the same walk. */
  extensionFound: ReadonlyMap<string, string[]>;
  sources: ModuleSource;
  diagnostics: Diagnostic[];
  /** Where the scan may read (src/files/read.ts): every file the extension reads is held to it. */
  readRoots: Roots;
  /** Says that a file was skipped (a refused read, a link out of the tree). */
  fileNotice(n: FileNotice): void;
  /**
   * Root variable values as Terraform reads them for a root of this configuration (its
   * directory's tfvars, `--var-file`, `--var`), over lower-precedence `base` values.
   */
  rootVariables(config: ModuleConfig, base: { values: ObjectValue; origins: Map<string, InputOrigin> }): { values: ObjectValue; origins: Map<string, InputOrigin> };
}

export interface ProjectExtensionResult {
  /** Module directories the extension evaluates: not roots of their own, not checked raw. */
  ownedDirs: Set<string>;
  roots: ModuleInstance[];
  /** The configurations it evaluates (composed), checked in place of the owned directories'. */
  configs: ModuleConfig[];
  files: File[];
  notices: ProjectNotice[];
  /** Units or modules it could not load because of an unexpected error. */
  failures?: ModuleFailure[];
}

export interface ProjectExtension {
  /** File names the extension reads (found by the project's one walk of the tree). */
  accepts(name: string): boolean;
  load(ctx: ProjectExtensionContext): ProjectExtensionResult;
}

/**
 * A module the scan left out because of an unexpected error (a bug of ours, not a mistake in
 * the input): the scan says so and goes on with every other module.
 */
export interface ModuleFailure {
  stage: "load" | "evaluate";
  /** The module's directory, as paths in findings show it. */
  module: string;
  /** Its address under its root module (`module.net`), "" for a root module or at load. */
  address: string;
  /** The root module it was evaluated under (its directory, as shown), when not itself. */
  root?: string;
  error: unknown;
}

/** Finds module directories under root (skipping .terraform, .gitignored paths and excludes). */
export function findModuleDirs(rootDir: string, exclude: string[] = []): string[] {
  return [...findModuleFiles(rootDir, exclude).keys()];
}

/**
 * Module directories under root with their Terraform file names (sorted), leaving out
 * `.terraform`, `.git`, `node_modules`, Terragrunt caches, `.gitignore`d and excluded
 * directories and files (see src/files/walk.ts for links and unreadable directories).
 */
export function findModuleFiles(rootDir: string, exclude: string[] = [], options: WalkOptions = {}): Map<string, string[]> {
  return findFilesByDir(rootDir, exclude, (name) => isTerraformFile(name) !== null, options);
}

export function isLocalSource(source: string | undefined): source is string {
  return source !== undefined && (source.startsWith("./") || source.startsWith("../"));
}

/**
 * The working directory Terragrunt ran Terraform in for a unit (`.terragrunt-cache/<hash>/<hash>`,
 * the one with downloaded modules), or undefined when the unit was never initialised.
 */
export function terragruntWorkDir(unitDir: string): string | undefined {
  const cache = path.join(unitDir, ".terragrunt-cache");
  let best: { dir: string; mtime: number } | undefined;
  try {
    for (const a of fs.readdirSync(cache)) {
      for (const b of fs.readdirSync(path.join(cache, a))) {
        const dir = path.join(cache, a, b);
        try {
          const st = fs.statSync(path.join(dir, ".terraform", "modules", "modules.json"));
          if (!best || st.mtimeMs > best.mtime) best = { dir, mtime: st.mtimeMs };
        } catch {
          // not initialised
        }
      }
    }
  } catch {
    return undefined;
  }
  return best?.dir;
}

/** Terraform's record of downloaded modules: `.terraform/modules/modules.json` (directories outside the roots are left out). */
function readModulesJson(rootDir: string, roots: Roots): Map<string, string> {
  const out = new Map<string, string>();
  const read = readFileText(path.join(rootDir, ".terraform", "modules", "modules.json"), { roots });
  if (!read.ok) return out; // no downloaded modules
  try {
    const json = JSON.parse(read.text) as { Modules?: Array<{ Key: string; Dir: string }> };
    for (const m of json.Modules ?? []) if (m && typeof m.Key === "string" && m.Key && typeof m.Dir === "string") out.set(m.Key, path.resolve(rootDir, m.Dir));
  } catch {
    // not JSON: as if nothing was downloaded
  }
  return out;
}

/**
 * How module calls of a project resolve and load: local sources by path, registry and git
 * sources where Terraform downloaded them (`.terraform/modules/modules.json` of the root, or of
 * a Terragrunt unit's working copy), held to the scan's roots; file functions' reads under the
 * reading policy; evaluation budget notices.
 */
export function moduleSources(
  readRoots: Roots,
  load: (dir: string) => ModuleConfig,
  notice: (n: FileNotice) => void,
  display: (abs: string) => string,
  displayRoot: string,
): ModuleSource {
  // Per root instance, not holding it (a scan lets each root go once collected).
  const budgetNotices = new WeakMap<ModuleInstance, number>();
  /** A file function the policy refused: the function and the path as written, never what the file holds. */
  const fileFunctionNotice = (abs: string, fn: string, written: string, reason: string) =>
    notice({ path: abs, message: `${fn}(${JSON.stringify(written)}) did not read it: ${reason.replace(/; it was not read$/, "")}; its value is unknown`, partial: false });

  // Downloaded modules, per root: keys are `name` or `parent.child`.
  const downloadedByRoot = new Map<string, Map<string, string>>();
  return {
    resolve(caller, name, _block, source) {
      let dir: string | null = null;
      if (isLocalSource(source)) {
        dir = path.resolve(caller.config.dir, source);
      } else {
        // A registry or git module: only where Terraform has downloaded it.
        let top: ModuleInstance = caller;
        while (top.parent) top = top.parent;
        // A Terragrunt unit runs Terraform in its .terragrunt-cache copy: `terragrunt init` downloads there.
        const workDir = top.unitDir ? (terragruntWorkDir(top.unitDir) ?? top.config.dir) : top.config.dir;
        let downloaded = downloadedByRoot.get(workDir);
        if (!downloaded) {
          downloaded = readModulesJson(workDir, readRoots);
          downloadedByRoot.set(workDir, downloaded);
        }
        // modules.json keys are the call names from the root, joined by dots (`vpc.sg`).
        const names = [name];
        for (let m: ModuleInstance | null = caller; m?.callName; m = m.parent) names.unshift(m.callName);
        dir = downloaded.get(names.join(".")) ?? null;
        if (dir === null) return null;
      }
      // Asked once per directory for the scan (Roots.realPathOf): a module is called from every instance of its caller.
      const resolved = readRoots.realPathOf(dir);
      if (!resolved.ok) return null;
      if (!readRoots.contains(resolved.path)) {
        notice({ path: dir, message: `module "${name}" (source ${JSON.stringify(source ?? "")}) is outside the scanned tree; it was not read, and its outputs are unknown`, partial: false });
        return null;
      }
      return dir;
    },
    load,
    readFile(abs, fn = "a file function", written = abs) {
      const r = readFileText(abs, { roots: readRoots });
      if (r.ok) return r.text;
      // A file that is not there may be generated before plan: unknown, and no notice.
      if (r.refusal !== "missing") fileFunctionNotice(abs, fn, written, r.reason);
      return undefined;
    },
    budgetNotice(root, event) {
      const said = budgetNotices.get(root) ?? 0;
      if (said >= MAX_BUDGET_NOTICES) return;
      budgetNotices.set(root, said + 1);
      const where = event.expr ? locateExpression(root.evaluatedConfigs, event.expr) : undefined;
      const rootShown = display(root.unitDir ?? root.config.dir);
      const more = said + 1 === MAX_BUDGET_NOTICES ? ` (further budget notices of root ${rootShown} are not shown)` : "";
      notice({
        path: where ? path.resolve(displayRoot, where.file) : root.config.dir,
        message: `${where ? `line ${where.line}: ` : ""}${event.detail} (evaluation budget of root module ${rootShown})${more}`,
        partial: false,
      });
    },
    fileExists(abs, fn, written) {
      const resolved = readRoots.realPathOf(path.resolve(abs));
      if (!resolved.ok) return false;
      const real = resolved.path;
      if (isSpecialPath(real) || !readRoots.contains(real)) {
        fileFunctionNotice(abs, fn, written, isSpecialPath(real) ? `file resolves to ${real}, in a kernel file system` : `file resolves outside the scanned tree (to ${real})`);
        return undefined;
      }
      return true;
    },
  };
}

/**
 * What opening a project starts from (loadProject here, openProject in stream.ts): the absolute
 * root, how paths are shown, the roots files may be read from, and file notices said once each.
 */
export function projectStart(rootDir: string, options: ProjectOptions) {
  const root = path.resolve(rootDir);
  const displayRoot = path.resolve(options.displayRoot ?? root);
  const display = (abs: string) => path.relative(displayRoot, abs).split(path.sep).join("/") || path.basename(abs);
  const fileNotices: FileNotice[] = [];
  const noticed = new Set<string>();
  const notice = (n: FileNotice) => {
    const key = `${n.path}\u0000${n.message}`;
    if (noticed.has(key)) return;
    noticed.add(key);
    fileNotices.push(n);
  };
  return { rootDir: root, displayRoot, display, readRoots: Roots.forScan(root), fileNotices, notice };
}

/**
 * A walk's listing hook (WalkOptions.onListing) that keeps each directory's variables file
 * names, so that rootVariables does not list every root module's directory again. Directories
 * with none are left out: a directory the walk found files in and that is not here has none.
 */
export function variablesFilesOf(out: Map<string, string[]>): (dir: string, entries: readonly fs.Dirent[]) => void {
  return (dir, entries) => {
    let names: string[] | undefined;
    for (const e of entries) if (isVariablesFileName(e.name)) (names ??= []).push(e.name);
    if (names) out.set(dir, names);
  };
}

export function loadProject(dir: string, options: ProjectOptions = {}, extension?: ProjectExtension): Project {
  const { rootDir, displayRoot, display, readRoots, fileNotices, notice } = projectStart(dir, options);
  const modules = new Map<string, ModuleConfig>();
  // One walk of the tree for the modules and the extension's files.
  const variablesFiles = new Map<string, string[]>();
  const walked = findFilesByDir(rootDir, options.exclude ?? [], (name) => isTerraformFile(name) !== null || extension?.accepts(name) === true, {
    roots: readRoots,
    notices: fileNotices,
    onListing: variablesFilesOf(variablesFiles),
  });
  const found = new Map<string, string[]>();
  const extensionFound = new Map<string, string[]>();
  for (const [dir, names] of walked) {
    const tf = names.filter((n) => isTerraformFile(n) !== null);
    if (tf.length > 0) found.set(dir, tf);
    const other = extension ? names.filter((n) => extension.accepts(n)) : [];
    if (other.length > 0) extensionFound.set(dir, other);
  }
  const load = (dir: string): ModuleConfig => {
    let c = modules.get(dir);
    if (!c) {
      // A scanned directory leaves out its ignored and excluded files; a module reached only
      // through a call (downloaded, or elsewhere in the repository) is read whole, as Terraform reads it.
      c = loadModuleConfig(dir, found.get(dir) ?? listTerraformFiles(dir), display, readRoots);
      modules.set(dir, c);
    }
    return c;
  };
  const failures: ModuleFailure[] = [];
  const dirs: string[] = [];
  for (const d of found.keys()) {
    try {
      load(d);
      dirs.push(d);
    } catch (error) {
      // A bug reading one directory costs that directory, not the scan.
      failures.push({ stage: "load", module: display(d), address: "", error });
    }
  }

  // Modules called through a local source by another module of the scan are not roots.
  const calls = new Map<string, string[]>();
  const called = new Set<string>();
  for (const config of [...modules.values()]) {
    const targets: string[] = [];
    for (const [, d] of config.modules) {
      const source = sourceOf(d.node);
      // (A module calling its own directory stays a root: the call is refused as recursive.)
      if (!isLocalSource(source)) continue;
      const target = path.resolve(config.dir, source);
      if (target === path.resolve(config.dir)) continue;
      called.add(target);
      targets.push(target);
    }
    calls.set(config.dir, targets);
  }
  // Modules that call each other (Terraform rejects the cycle) would have no root to reach
  // them: each member of such a cycle is evaluated as a root once, with a notice.
  const cycleRoots = new Set<string>();
  for (const cycle of unreachableCycles(dirs, calls, called)) {
    for (const d of cycle) cycleRoots.add(d);
    notice({
      path: cycle[0],
      message: `modules call each other in a cycle (${[...cycle, cycle[0]].map(display).join(" → ")}), which Terraform rejects; each was evaluated as a root module`,
      partial: false,
    });
  }

  const varsBudgetNotice = variablesBudgetNotice(notice);
  const sources = moduleSources(readRoots, load, notice, display, displayRoot);

  const diagnostics: Diagnostic[] = [];
  const roots: ModuleInstance[] = [];
  const inputFiles = new Map<string, File>();
  const ext: ProjectExtensionResult = extension
    ? extension.load({
        rootDir,
        options,
        display,
        load,
        found,
        extensionFound,
        sources,
        diagnostics,
        readRoots,
        fileNotice: notice,
        rootVariables: (config, base) => rootVariables(config, options, diagnostics, display, inputFiles, readRoots, base, varsBudgetNotice),
      })
    : { ownedDirs: new Set(), roots: [], configs: [], files: [], notices: [] };
  for (const dir of dirs) {
    if ((called.has(dir) && !cycleRoots.has(dir)) || ext.ownedDirs.has(dir)) continue;
    const config = load(dir);
    const inputs = rootVariables(config, options, diagnostics, display, inputFiles, readRoots, undefined, varsBudgetNotice, variablesFiles.get(dir) ?? []);
    const root = new ModuleInstance(config, "", inputs.values, sources, new Map(), rootDir);
    for (const [name, origin] of inputs.origins) root.inputOrigins.set(name, origin);
    roots.push(root);
  }
  pushAll(roots, ext.roots);
  pushAll(failures, ext.failures ?? []);
  const checkedConfigs = [...[...modules.entries()].filter(([dir]) => !ext.ownedDirs.has(dir)).map(([, c]) => c), ...ext.configs];
  const declaredAnywhere = new Set(roots.flatMap((r) => [...r.config.variables.keys()]));
  const undeclaredVars = [...new Set((options.vars ?? []).map(([n]) => n))].filter((n) => !declaredAnywhere.has(n));
  return {
    rootDir,
    modules,
    roots,
    diagnostics,
    display,
    failures,
    inputFiles: [...inputFiles.values()],
    checkedConfigs,
    extraFiles: ext.files,
    notices: ext.notices,
    undeclaredVars,
    declaredVars: [...declaredAnywhere],
    fileNotices,
    readRoots,
  };
}

/**
 * The cycles of module calls that no uncalled module reaches (each as its members, in call
 * order from the first found). Iterative: module trees may be thousands deep in calls.
 */
export function unreachableCycles(dirs: string[], calls: Map<string, string[]>, called: Set<string>): string[][] {
  const reached = new Set<string>();
  const stack = dirs.filter((d) => !called.has(d));
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (reached.has(d)) continue;
    reached.add(d);
    for (const t of calls.get(d) ?? []) if (!reached.has(t)) stack.push(t);
  }
  const out: string[][] = [];
  const done = new Set<string>(reached);
  for (const start of dirs) {
    if (done.has(start)) continue;
    // Follow calls from `start` until a module repeats: the repeat closes a cycle.
    const pathIndex = new Map<string, number>();
    const trail: string[] = [];
    const frames: Array<{ dir: string; next: number }> = [{ dir: start, next: 0 }];
    pathIndex.set(start, 0);
    trail.push(start);
    let cycle: string[] | null = null;
    while (frames.length > 0 && !cycle) {
      const top = frames[frames.length - 1];
      const targets = (calls.get(top.dir) ?? []).filter((t) => calls.has(t));
      if (top.next >= targets.length) {
        frames.pop();
        pathIndex.delete(top.dir);
        trail.pop();
        continue;
      }
      const t = targets[top.next++];
      const at = pathIndex.get(t);
      if (at !== undefined) {
        cycle = trail.slice(at);
        break;
      }
      if (done.has(t)) continue;
      pathIndex.set(t, trail.length);
      trail.push(t);
      frames.push({ dir: t, next: 0 });
    }
    if (!cycle) {
      done.add(start);
      continue;
    }
    out.push(cycle);
    // Everything the cycle reaches is now reached.
    const more = [...cycle];
    while (more.length > 0) {
      const d = more.pop()!;
      if (done.has(d)) continue;
      done.add(d);
      for (const t of calls.get(d) ?? []) if (!done.has(t)) more.push(t);
    }
  }
  return out;
}

/** Every parsed file of a project findings may be placed in: modules', variables files, extension files (each once). */
export function projectFiles(project: Project): File[] {
  const seen = new Set<File>();
  const out: File[] = [];
  const add = (f: File) => {
    if (seen.has(f)) return;
    seen.add(f);
    out.push(f);
  };
  for (const c of project.modules.values()) for (const f of c.files) add(f);
  for (const c of project.checkedConfigs) for (const f of c.files) add(f);
  for (const f of project.inputFiles) add(f);
  for (const f of project.extraFiles) add(f);
  return out;
}

/** Budget notices said per root module (the rest would repeat the same story). */
const MAX_BUDGET_NOTICES = 20;

/** The file (as findings show it) and line of an expression, searched among the configurations a root evaluated (rare: a budget notice). */
function locateExpression(configs: Iterable<ModuleConfig>, expr: Expression): { file: string; line: number } | undefined {
  for (const config of configs) {
    for (const file of config.files) {
      const stack: Array<Body | Expression> = [file.body];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (node === expr) return { file: file.fileName, line: expr.range.start.line };
        if (node.type === "Body") {
          for (const a of node.attributes) stack.push(a.expr);
          for (const b of node.blocks) stack.push(b.body);
        } else forEachChild(node, (child) => stack.push(child));
      }
    }
  }
  return undefined;
}

export function sourceOf(block: Block): string | undefined {
  const a = block.body.attributes.find((x) => x.name === "source");
  if (!a) return undefined;
  const v = evaluate(a.expr, EMPTY_SCOPE);
  return typeof v === "string" ? v : undefined;
}

/** The notice of a variables file's value over a budget (src/terraform/budget.ts): its place and the limit. */
export function variablesBudgetNotice(notice: (n: FileNotice) => void): (file: string, event: BudgetEvent) => void {
  return (file, event) =>
    notice({ path: file, message: `${event.expr ? `line ${event.expr.range.start.line}: ` : ""}${event.detail} (evaluation budget of a variables file)`, partial: false });
}

/** The names of a module directory's files that Terraform reads root variables from (rootVariables). */
export function isVariablesFileName(name: string): boolean {
  return name === "terraform.tfvars" || name === "terraform.tfvars.json" || isAutoVariablesFileName(name);
}

function isAutoVariablesFileName(name: string): boolean {
  return name.endsWith(".auto.tfvars") || name.endsWith(".auto.tfvars.json");
}

/**
 * Root variable values with Terraform's precedence (later wins): terraform.tfvars,
 * terraform.tfvars.json, *.auto.tfvars(.json) in lexical order, then --var-file and --var; and
 * where each is written (InputOrigin), for findings on those values. `files` collects the
 * variables files read (by absolute path, each parsed once).
 */
export function rootVariables(
  config: ModuleConfig,
  options: ProjectOptions,
  diagnostics: Diagnostic[],
  display: (abs: string) => string,
  files: Map<string, File>,
  /** Where the module's own variables files must resolve (src/files/read.ts). */
  roots: Roots,
  /** Values of lower precedence (a Terragrunt unit's inputs, which reach Terraform as TF_VAR_ variables). */
  base?: { values: ObjectValue; origins: Map<string, InputOrigin> },
  /** Told when a value of a variables file goes over a budget. */
  budgetNotice?: (file: string, event: BudgetEvent) => void,
  /** The directory's variables file names (isVariablesFileName) when the walk listed it; else it is listed here. */
  listed?: readonly string[],
): { values: ObjectValue; origins: Map<string, InputOrigin> } {
  const values = new ObjectValue(base?.values.entries);
  const origins = new Map<string, InputOrigin>(base?.origins);
  const declared = config.variables;
  const paths: string[] = [];
  let entries: readonly string[] = [];
  if (listed) entries = listed;
  else {
    try {
      entries = fs.readdirSync(config.dir);
    } catch {
      entries = [];
    }
  }
  if (entries.includes("terraform.tfvars")) paths.push(path.join(config.dir, "terraform.tfvars"));
  if (entries.includes("terraform.tfvars.json")) paths.push(path.join(config.dir, "terraform.tfvars.json"));
  for (const e of entries.filter(isAutoVariablesFileName).sort()) {
    paths.push(path.join(config.dir, e));
  }
  const found = paths.length;
  for (const f of options.varFiles ?? []) paths.push(path.resolve(f));
  for (const [i, file] of paths.entries()) {
    // Files found in the module are held to the scanned tree; `--var-file`s are the user's choice.
    const read = readVariablesFile(file, diagnostics, display, files, i < found ? roots : undefined, budgetNotice);
    for (const [name, v] of read) {
      if (!declared.has(name)) continue;
      values.set(name, v.value);
      if (v.attr && v.file) origins.set(name, { label: v.file, file: v.file, range: v.attr.range, expr: v.attr.expr });
      else origins.delete(name);
    }
  }
  for (const [name, raw] of options.vars ?? []) {
    const decl = declared.get(name);
    if (!decl) continue;
    const value = variableParsesAsHcl(decl.node) ? parseCliVar(raw) : raw;
    checkCliVar(name, raw, value, decl);
    values.set(name, value);
    origins.set(name, { label: "`--var` on the command line" });
  }
  return { values, origins };
}

/**
 * A `--var` Terraform would reject: a value that does not convert to the variable's declared
 * type, or a name no root module of the scan declares. Its message names the variable, its
 * declaration and the type — never the value (it may be a secret).
 */
export class VariableInputError extends Error {}

/** Checks a `--var` value against the variable's type, as Terraform does before planning. */
function checkCliVar(name: string, raw: string, value: Value, decl: { node: Block; file: string }): void {
  const type = decl.node.body.attributes.find((a) => a.name === "type")?.expr;
  const k = type ? typeKeyword(type) : undefined;
  const where = `${decl.file}:${decl.node.range.start.line}`;
  const fail = (what: string, example: string) => {
    throw new VariableInputError(`--var ${name}: \`var.${name}\` is declared as ${what} (${where}), and the value given is not one; for example --var '${name}=${example}'`);
  };
  if (k === "number" && (raw.trim() === "" || Number.isNaN(Number(raw)))) fail("a number", "30");
  if (k === "bool" && raw !== "true" && raw !== "false") fail("a bool", "true");
  // Complex types take HCL syntax: a value that does not parse stays the raw string.
  if (k === "list" || k === "set" || k === "tuple") {
    if (!Array.isArray(value)) fail(`a ${k}`, '["a", "b"]');
  }
  if (k === "map" || k === "object") {
    if (!(value instanceof ObjectValue)) fail(`a ${k}`, '{ key = "value" }');
  }
}

/** A tfvars file's assignments (HCL or JSON). Unreadable or refused files become diagnostics. */
export function readTfvars(file: string, diagnostics: Diagnostic[], display: (abs: string) => string = (p) => p, roots?: Roots): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [name, v] of readVariablesFile(file, diagnostics, display, new Map(), roots)) out.set(name, v.value);
  return out;
}

/** A variables file's assignments: each value, with the attribute that writes it where the file's syntax tree gives one. */
function readVariablesFile(
  file: string,
  diagnostics: Diagnostic[],
  display: (abs: string) => string,
  files: Map<string, File>,
  /** Where the file must resolve (files found in a module); none for a `--var-file`, the user's choice. */
  roots?: Roots,
  budgetNotice?: (file: string, event: BudgetEvent) => void,
): Map<string, { value: Value; attr?: Attribute; file?: string }> {
  const out = new Map<string, { value: Value; attr?: Attribute; file?: string }>();
  const start = { offset: 0, byte: 0, line: 1, column: 1 };
  const overlaid = overlaidSource(file);
  const read = overlaid !== undefined ? ({ ok: true, text: overlaid } as const) : readFileText(file, roots ? { roots } : {});
  if (!read.ok) {
    diagnostics.push({ severity: "error", message: `variables file: ${read.reason}`, file: display(file), range: { start, end: start } });
    return out;
  }
  const text = read.text;
  const shown = display(file);
  if (file.endsWith(".json")) {
    const decoded = parseJsonText(text);
    if (!decoded.ok || typeof decoded.value !== "object" || decoded.value === null || Array.isArray(decoded.value)) {
      const why = decoded.ok ? "expected a JSON object of variable values" : decoded.error;
      diagnostics.push({ severity: "error", message: `variables file: ${why}`, file: shown, range: { start, end: start } });
      return out;
    }
    const json = decoded.value as Record<string, unknown>;
    // The JSON syntax tree only places the values (its schema errors do not apply to variables).
    const parsed = files.get(file) ?? parseHclJson(text, shown);
    files.set(file, parsed);
    for (const [k, v] of Object.entries(json)) {
      const attr = parsed.body.attributes.find((a) => a.name === k);
      out.set(k, { value: fromJSON(v), attr, file: shown });
    }
    return out;
  }
  const have = files.get(file);
  const parsed = have ?? parseHcl(text, shown);
  if (!have) {
    files.set(file, parsed);
    pushAll(diagnostics, parsed.diagnostics);
  }
  // Terraform takes only constant values here; we evaluate whatever is written, under a budget of the file's own.
  const scope: Scope = { root: EMPTY_SCOPE.root, functionContext: EMPTY_SCOPE.functionContext, budget: new EvalBudget((event) => budgetNotice?.(file, event)) };
  for (const a of parsed.body.attributes) out.set(a.name, { value: evaluate(a.expr, scope), attr: a, file: shown });
  return out;
}

/**
 * `--var name=value` for a variable of a complex type or `any`: HCL syntax where it parses as
 * a literal value, else the raw string. (For no type or a primitive one, Terraform takes the
 * text as a string and converts it to the type: the module does that conversion.)
 */
function parseCliVar(raw: string): Value {
  const parsed = parseHcl(`v = ${raw}\n`, "--var");
  const attr = parsed.body.attributes[0];
  if (parsed.diagnostics.length === 0 && attr && attr.expr.type !== "Variable" && attr.expr.type !== "GetAttr") {
    const v = evaluate(attr.expr, EMPTY_SCOPE);
    if (typeof v !== "object" || v === null || v instanceof ObjectValue || Array.isArray(v)) return v;
  }
  return raw;
}
