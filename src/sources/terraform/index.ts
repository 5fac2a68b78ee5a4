// Terraform → inventory: evaluates the project and fills the inventory from it.
//
// Root modules are collected one at a time (each with its module tree), so a scan can let one
// root's syntax trees and module instances go before it reads the next; the lists they make are
// put together in the order a collection of every root at once would give (RootInventories),
// and links between roots (a reference to another root's secret by name or ARN) are decided
// once every root is in (links.ts).
//
// One module never sinks the scan: an unexpected error (a bug of ours) while evaluating a
// module instance names that module (ModuleEvaluationError); the module is left out (its
// call reads as unavailable, like a module that is not downloaded), a failure records it, and
// its root module is collected again without it. An error no module can be named for leaves
// out the root module it happened under.

import { emptyInventory, type Inventory } from "../../inventory/model.js";
import { mergeInventories } from "../../inventory/merge.js";
import { ModuleEvaluationError, ModuleInstance, type ModuleSource } from "../../terraform/module.js";
import type { ModuleConfig } from "../../terraform/config.js";
import { loadProject, type ModuleFailure, type Project, type ProjectExtension, type ProjectOptions } from "../../terraform/project.js";
import { openProject } from "../../terraform/stream.js";
import type { Diagnostic, File } from "../../hcl/ast.js";
import { pushAll } from "../../util/arrays.js";
import { unreadModuleCalls, type UnreadCall } from "./unread.js";
import { buildContext, type CollectContext, type IdOptions, type InstanceKind } from "./context.js";
import { APONO_READ, collectApono } from "./apono.js";
import { IAM_READ, collectIam } from "./iam.js";
import { SECRETS_READ, collectSecrets } from "./secrets.js";
import { SYM_READ, collectSym } from "./sym.js";
import { collectUndefinedReferences } from "./references.js";
import { collectLiteralStrings, LiteralTexts } from "./literals.js";
import { iamOrder } from "./iam.js";
import { ScanLinks } from "./links.js";
import { withStatementSyntax } from "./policy-json.js";
import { forgetEncodedJSON } from "../../terraform/functions/support/json.js";

/** How many modules one collection may leave out before it gives up on the root module. */
const MAX_EXCLUDED_PER_ATTEMPT = 20;

export function inventoryFromProject(
  project: Project,
  inventory: Inventory = emptyInventory(),
  ids: IdOptions = {},
  /** Receives the modules left out (load failures of the project, evaluation failures here). */
  failures: ModuleFailure[] = [],
): Inventory {
  // Parse errors of every module directory and of the configurations an extension composed
  // (Terragrunt's generated files), each once.
  const seenErrors = new Set<string>();
  for (const config of [...project.modules.values(), ...project.checkedConfigs]) {
    for (const d of config.diagnostics) {
      const key = `${d.file}\u0000${d.range.start.offset}\u0000${d.message}`;
      if (d.severity !== "error" || seenErrors.has(key)) continue;
      seenErrors.add(key);
      inventory.parseErrors.push({ message: d.message, origin: { file: { path: d.file, range: d.range } } });
    }
  }
  for (const d of project.diagnostics) {
    if (d.severity === "error") inventory.parseErrors.push({ message: d.message, origin: { file: { path: d.file, range: d.range } } });
  }
  for (const f of project.failures) failures.push(f);
  // Ids keep their root prefix whichever roots are collected together.
  const fixedIds: IdOptions = { ...ids, alwaysPrefix: ids.alwaysPrefix === true || project.roots.length > 1 };
  const links = new ScanLinks();
  const roots = new RootInventories();
  for (const root of project.roots) roots.add(collectRoot(project, root, fixedIds, failures, links));
  forgetEncodedJSON(); // as scanTerraform: jsonencode's remembered values do not outlive the collection
  mergeInventories(inventory, roots.merged(links));
  mergeInventories(inventory, collectPerConfig(project, fixedIds, failures));
  return inventory;
}

/**
 * The instances the collectors below read from the context's list. A root's other declarations
 * (an `aws_instance`, a bucket) are not expanded for them: their count and for_each are
 * evaluated only when an expression the collectors follow refers to them. A tenth or more of a
 * large scan's time went to expanding declarations nothing read.
 */
export const INSTANCES_COLLECTED: ReadonlySet<InstanceKind> = new Set([...SECRETS_READ, ...IAM_READ, ...SYM_READ, ...APONO_READ]);

/** What the instance collectors make of some root modules (and their module trees). */
function collectInstances(ctx: CollectContext): void {
  // Order matters: secrets first (others link to them), IAM before Sym (access policies).
  collectSecrets(ctx);
  collectIam(ctx);
  collectSym(ctx);
  collectApono(ctx);
}

/**
 * The inventories of root modules collected one at a time, made one as a collection of every
 * root at once would have made it: lists in the order of the roots, except the IAM lists, in
 * the order of the collection's stages (iamOrder); links to secrets decided once every root is
 * in (links.ts).
 */
export class RootInventories {
  private readonly parts: Inventory[] = [];

  add(part: Inventory): void {
    this.parts.push(part);
  }

  merged(links: ScanLinks): Inventory {
    const out = emptyInventory();
    for (const p of this.parts) mergeInventories(out, p);
    const byStage = (a: object, b: object) => (iamOrder.get(a) ?? 0) - (iamOrder.get(b) ?? 0);
    if (this.parts.length > 1) {
      out.iamPolicies.sort(byStage);
      out.iamPrincipals.sort(byStage);
      out.symAccessPolicies.sort(byStage);
    }
    links.finish();
    return out;
  }
}

/**
 * Collects one root module (and its module tree). On a failure that names a module, leaves that
 * module out and collects again; on one that names none, or the same module again, the root is
 * left out. Its links count only once its collection succeeded.
 */
export function collectRoot(project: Project, root: ModuleInstance, ids: IdOptions, failures: ModuleFailure[], links: ScanLinks): Inventory {
  const excluded = new Set<string>(); // call paths left out
  for (let attempt = 0; attempt <= MAX_EXCLUDED_PER_ATTEMPT; attempt++) {
    const current = withExclusions(root, excluded).instance;
    const inventory = emptyInventory();
    const rootLinks = links.root();
    try {
      // Statements' syntax nodes (closures over this root's instances) are let go once it is collected.
      withStatementSyntax(() => collectInstances(buildContext({ ...project, roots: [current] }, inventory, ids, rootLinks, INSTANCES_COLLECTED)));
      rootLinks.commit();
      return inventory;
    } catch (err) {
      if (!(err instanceof ModuleEvaluationError) || rootOf(err.module) !== current) {
        failures.push(failureOf(project, root, root, err));
        return emptyInventory();
      }
      const path = err.module.callPath;
      failures.push(failureOf(project, current, err.module, err.cause));
      // The root module itself, or a module left out already yet failing again: give up on this root.
      if (path === "" || excluded.has(path)) return emptyInventory();
      excluded.add(path);
    }
  }
  return emptyInventory();
}

/** A root instance that leaves out the module calls at `paths` (a fresh instance: no evaluation carried over). */
function withExclusions(root: ModuleInstance, paths: Set<string> | undefined): { original: ModuleInstance; instance: ModuleInstance } {
  if (!paths || paths.size === 0) return { original: root, instance: root };
  const sources: ModuleSource = {
    resolve: (caller, name, block, source) => root.sources.resolve(caller, name, block, source),
    load: (dir) => root.sources.load(dir),
    readFile: (abs, fn, written) => root.sources.readFile(abs, fn, written),
    fileExists: (abs, fn, written) => root.sources.fileExists?.(abs, fn, written),
    budgetNotice: (r, event) => root.sources.budgetNotice?.(r, event),
    isExcluded: (caller, name) => paths.has(caller.callPath ? `${caller.callPath}.${name}` : name) || root.sources.isExcluded?.(caller, name) === true,
  };
  const instance = new ModuleInstance(root.config, "", root.inputs, sources, new Map(), root.rootDir);
  for (const [name, origin] of root.inputOrigins) instance.inputOrigins.set(name, origin);
  instance.unitDir = root.unitDir;
  return { original: root, instance };
}

function rootOf(m: ModuleInstance): ModuleInstance {
  let r = m;
  while (r.parent) r = r.parent;
  return r;
}

function failureOf(project: Project, root: ModuleInstance, module: ModuleInstance, error: unknown): ModuleFailure {
  const out: ModuleFailure = { stage: "evaluate", module: project.display(module.config.dir), address: module.address, error };
  if (module !== root) out.root = project.display(root.config.dir);
  return out;
}

/**
 * The collectors that read each module configuration's syntax (undefined references, literal
 * text): the project's checked configurations (see Project.checkedConfigs) all at once, or, when
 * that fails, one at a time.
 */
function collectPerConfig(project: Project, ids: IdOptions, failures: ModuleFailure[]): Inventory {
  const texts = new LiteralTexts();
  const run = (modules: Project["modules"]): Inventory => collectConfigs(project, modules, ids, texts);
  // Keyed apart: composed configurations share their module's directory.
  const checked = new Map(project.checkedConfigs.map((c, i) => [`${c.dir}\u0000${i}`, c] as [string, ModuleConfig]));
  try {
    return run(checked);
  } catch {
    const out = emptyInventory();
    for (const [key, config] of checked) {
      const dir = key.slice(0, key.indexOf("\u0000"));
      try {
        mergeInventories(out, run(new Map([[dir, config]])));
      } catch (error) {
        failures.push({ stage: "evaluate", module: project.display(dir), address: "", error });
      }
    }
    return out;
  }
}

export function inventoryFromTerraform(rootDir: string, options: ProjectOptions = {}): Inventory {
  return inventoryFromProject(loadProject(rootDir, options));
}

/** The checks of one module configuration's syntax (undefined references, literal text); throws what they throw. */
function collectConfig(project: Project, config: ModuleConfig, ids: IdOptions, texts: LiteralTexts): Inventory {
  return collectConfigs(project, new Map([[config.dir, config]]), ids, texts);
}

/** The checks of some module configurations' syntax, as the project's modules; throws what they throw. */
function collectConfigs(project: Project, modules: Project["modules"], ids: IdOptions, texts: LiteralTexts): Inventory {
  const inventory = emptyInventory();
  const ctx: CollectContext = { ...buildContext({ ...project, roots: [] }, inventory, ids), project: { ...project, modules } };
  collectUndefinedReferences(ctx);
  collectLiteralStrings(ctx, texts);
  return inventory;
}

/** Where a parsed file of a Terraform scan comes from (see TerraformScan.onFile). */
export type FileKind = "module" | "composed" | "variables" | "extension";

export interface TerraformScanOptions {
  /** The project extension (Terragrunt units). */
  extension?: ProjectExtension;
  /** Other file names the one walk of the tree finds (app configurations): see TerraformScan.otherFound. */
  alsoFind?(name: string): boolean;
  /**
   * Each parsed file findings may be placed in, with where it comes from, once per parse: a
   * module directory's, a composed configuration's (Terragrunt), a variables file, an extension's
   * own file. A later kind wins over an earlier for the same name, as projectFiles lists them.
   */
  onFile?(file: File, kind: FileKind, dir: string): void;
  /** How far the scan is (files read, module directories read, root modules collected): for progress. */
  onProgress?(progress: TerraformProgress): void;
}

export interface TerraformProgress {
  files: number;
  modules: number;
  roots: { done: number; total: number };
}

export interface TerraformScan {
  inventory: Inventory;
  /** The project, its roots let go (Project.roots is empty). */
  project: Project;
  /** Other files the walk found (TerraformScanOptions.alsoFind), by directory. */
  otherFound: ReadonlyMap<string, string[]>;
  /** Every module directory read (the scan's module count). */
  moduleDirs: ReadonlySet<string>;
  /** Module calls to registry or git sources not downloaded. */
  unread: UnreadCall[];
  /** The module directories read before any evaluation, in the order loadProject reads them (then the others, in the order read). */
  moduleOrder: string[];
}

/**
 * Scans the Terraform under a directory one root module at a time (terraform/stream.ts): the
 * inventory of `inventoryFromProject(loadProject(rootDir, options, extension))`, in the memory of
 * the largest root module and its module tree.
 */
export function scanTerraform(rootDir: string, options: ProjectOptions, ids: IdOptions, failures: ModuleFailure[], scan: TerraformScanOptions = {}): TerraformScan {
  const diagnostics = new Map<string, Diagnostic[]>();
  const perConfig = new Map<string, Inventory>();
  const configFailures: ModuleFailure[] = [];
  let project: Project | undefined;
  let fixedIds: IdOptions = ids;
  let filesRead = 0;
  const texts = new LiteralTexts(); // the scan's literal texts, each kept once
  // Configurations loaded while the project opens are checked once it is open (ids need the root count).
  const early: ModuleConfig[] = [];
  const check = (config: ModuleConfig) => {
    try {
      perConfig.set(config.dir, collectConfig(project as Project, config, fixedIds, texts));
    } catch (error) {
      configFailures.push({ stage: "evaluate", module: (project as Project).display(config.dir), address: "", error });
    }
  };
  const stream = openProject(rootDir, options, scan.extension, {
    alsoFind: scan.alsoFind,
    onRead: scan.onProgress
      ? (files) => {
          filesRead = files;
          scan.onProgress?.({ files, modules: 0, roots: { done: 0, total: 0 } });
        }
      : undefined,
    onConfig(config, how) {
      if (how.atLoad) diagnostics.set(config.dir, config.diagnostics);
      for (const f of config.files) scan.onFile?.(f, "module", config.dir);
      if (!how.checked) return;
      if (project) check(config);
      else early.push(config);
    },
  });
  project = stream.project;
  // Ids keep their root prefix whichever roots are collected together.
  fixedIds = { ...ids, alwaysPrefix: ids.alwaysPrefix === true || stream.rootCount > 1 };
  for (const c of early) check(c);
  const loadFailures = project.failures.length;

  const links = new ScanLinks();
  const parts = new RootInventories();
  const evaluation: ModuleFailure[] = [];
  const unread: UnreadCall[] = [];
  const unreadSeen = new Set<string>();
  for (let i = 0; i < stream.rootCount; i++) {
    const root = stream.root(i);
    if (root) {
      parts.add(collectRoot(project, root, fixedIds, evaluation, links));
      pushAll(unread, unreadModuleCalls({ ...project, roots: [root] }, unreadSeen));
    }
    stream.release(i);
    scan.onProgress?.({ files: filesRead, modules: stream.loadedDirs.size, roots: { done: i + 1, total: stream.rootCount } });
  }
  forgetEncodedJSON();
  stream.sweep();
  const composed = stream.composedConfigs.map((c) => {
    for (const f of c.files) scan.onFile?.(f, "composed", c.dir);
    try {
      return collectConfig(project as Project, c, fixedIds, texts);
    } catch (error) {
      configFailures.push({ stage: "evaluate", module: project.display(c.dir), address: "", error });
      return emptyInventory();
    }
  });
  const finished = stream.finish();
  for (const f of finished.inputFiles) scan.onFile?.(f, "variables", rootDir);
  for (const f of finished.extraFiles) scan.onFile?.(f, "extension", rootDir);

  // As inventoryFromProject: parse errors of the directories loaded before any evaluation and of
  // the compositions, each once; failures of loading, then of evaluating, then of checking.
  const inventory = emptyInventory();
  const seenErrors = new Set<string>();
  const addErrors = (list: Diagnostic[] | undefined) => {
    for (const d of list ?? []) {
      const key = `${d.file}\u0000${d.range.start.offset}\u0000${d.message}`;
      if (d.severity !== "error" || seenErrors.has(key)) continue;
      seenErrors.add(key);
      inventory.parseErrors.push({ message: d.message, origin: { file: { path: d.file, range: d.range } } });
    }
  };
  for (const dir of stream.loadTimeDirs()) addErrors(diagnostics.get(dir));
  for (const c of stream.composedConfigs) addErrors(c.diagnostics);
  for (const d of finished.diagnostics) {
    if (d.severity === "error") inventory.parseErrors.push({ message: d.message, origin: { file: { path: d.file, range: d.range } } });
  }
  for (const f of finished.failures.slice(0, loadFailures)) failures.push(f);
  for (const f of finished.failures.slice(loadFailures)) failures.push(f);
  for (const f of evaluation) failures.push(f);
  for (const f of configFailures) failures.push(f);
  mergeInventories(inventory, parts.merged(links));
  for (const dir of stream.checkedDirs()) {
    const part = perConfig.get(dir);
    if (part) mergeInventories(inventory, part);
  }
  for (const part of composed) mergeInventories(inventory, part);
  const loadTime = stream.loadTimeDirs();
  const moduleOrder = [...new Set([...loadTime, ...stream.loadedDirs])];
  return { inventory, project: finished, otherFound: stream.otherFound, moduleDirs: stream.loadedDirs, unread, moduleOrder };
}
