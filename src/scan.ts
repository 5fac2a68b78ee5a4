// The library's main call: Terraform and app configurations under the given paths → one
// inventory → rules → findings, with suppression comments applied and the sources kept for
// code frames.

import fs from "node:fs";
import path from "node:path";
import { emptyInventory, type Inventory } from "./inventory/model.js";
import { mergeInventories } from "./inventory/merge.js";
import type { FileNotice } from "./files/walk.js";
import { runRules, type Finding, type Notification, type RunOptions, type RunResult } from "./engine/runner.js";
import type { Rule } from "./engine/rule.js";
import { allRules } from "../rules/index.js";
import { SuppressionIndex, hclFileSuppressions, runWithSuppressions, type FileSuppressions } from "./engine/suppress.js";
import type { RunSummary } from "./report/summary.js";
import { appFileKind, scanAppConfigs, type AppScan } from "./sources/apps/index.js";
import { scanTerraform, type TerraformProgress, type TerraformScan, type TerraformScanOptions } from "./sources/terraform/index.js";
import type { IdOptions } from "./sources/terraform/context.js";
import type { File } from "./hcl/ast.js";
import { Roots } from "./files/read.js";
import { readSourceFile } from "./terraform/config.js";
import { pushAll } from "./util/arrays.js";
import { PlanError, inventoryFromPlanFile } from "./sources/plan.js";
import { loadProject, projectFiles, VariableInputError, type ModuleFailure, type Project, type ProjectOptions } from "./terraform/project.js";
import { didYouMean } from "./util/suggest.js";
import { describeInternalError } from "./util/errors.js";
import { terragruntUnits } from "./terragrunt/project.js";
import { unreadModuleCalls, unreadModulesNotice, type UnreadCall } from "./sources/terraform/unread.js";

export interface ScanOptions extends ProjectOptions, RunOptions {
  /** The rules to run (default: the whole catalogue, at the levels `levels` or their defaults give). */
  rules?: Rule[];
  /** How far the Terraform of the current scan path is (files read, module directories, root modules): for a progress line. */
  onProgress?(progress: TerraformProgress): void;
}

export interface ScanResult extends RunResult {
  inventory: Inventory;
  projects: Project[];
  /** Findings hidden by `secretlint:ignore` comments (SARIF leaves them out by default). */
  suppressed: Finding[];
  /** Source text by the path findings carry, for code frames and fingerprints. */
  sources: Map<string, string>;
  /** Modules left out because of an unexpected error (each also a notice). */
  moduleFailures: ModuleFailure[];
  /** The scan's own notifications (modules left out…), beside the rules' in `notifications`. */
  notices: Notification[];
  /** Part of the input could not be scanned (a module left out, a rule that failed). */
  partial: boolean;
  /** What was read: files (Terraform, variables, plans, app configurations) and Terraform module directories. */
  scanned: RunSummary["scanned"];
}

/** A module left out, as a notification: which module, under which root, and why. */
export function moduleFailureNotification(f: ModuleFailure): Notification {
  const where = f.address ? ` (${f.address}${f.root ? ` of ${f.root}` : ""})` : f.root ? ` (under ${f.root})` : "";
  const doing = f.stage === "load" ? "reading" : "evaluating";
  return {
    level: "error",
    message: `module ${f.module}${where} was left out: an internal error while ${doing} it (${describeInternalError(f.error)}); every other module was scanned. Please report this bug.`,
  };
}

/** `*.json` files other than `.tf.json` given as scan paths are Terraform plans. */
function isPlanFile(p: string): boolean {
  return p.endsWith(".json") && !p.endsWith(".tf.json");
}

/**
 * A parsed file of a scan as kept past its syntax tree: its suppression comments, and its text
 * only when it cannot be read again (a file Terragrunt generates or composes): the others are
 * read back for the findings that name them (see findingSources).
 */
interface KeptFile {
  path: string;
  text?: string;
  suppressions?: FileSuppressions;
}

function keep(file: File, withText: boolean): KeptFile {
  const out: KeptFile = { path: file.fileName };
  if (withText) out.text = file.source;
  const s = hclFileSuppressions(file);
  if (s) out.suppressions = s;
  return out;
}

/**
 * The scan's sources for reports (code frames, fingerprints) and fixes: the texts of the files
 * findings name (their places, the way their values went, related places), and every app
 * configuration's (redacted: never read again). Any other Terraform file of the scan is read
 * again when asked for (a fix may edit where a value is written), under the reading policy.
 */
function findingSources(texts: Map<string, string | undefined>, appTexts: Map<string, string>, findings: Finding[], absolute: (p: string) => string, roots: Set<string>): Map<string, string> {
  const named = new Set<string>();
  for (const f of findings) {
    if (f.origin.file) named.add(f.origin.file.path);
    for (const p of f.origin.flow ?? []) if (p.file) named.add(p.file.path);
    for (const r of f.related) if (r.origin.file) named.add(r.origin.file.path);
  }
  const scanned = new Set(texts.keys());
  const out = new SourceTexts(scanned, (p) => {
    const read = readSourceFile(absolute(p), new Roots([...roots].flatMap((r) => Roots.forScan(r).list)));
    return read.ok ? read.text : undefined;
  });
  for (const [p, text] of appTexts) out.set(p, text);
  for (const p of named) {
    const text = texts.get(p);
    if (text !== undefined) out.set(p, text);
  }
  return out;
}

/**
 * Texts by the paths findings show: those kept, and the other scanned files read again on
 * demand (`get`, `has`). `keys()` gives every scanned path (reports recognise places in
 * messages by them); iterating the entries gives what is in memory.
 */
class SourceTexts extends Map<string, string> {
  constructor(
    private readonly scanned: ReadonlySet<string>,
    private readonly readAgain: (path: string) => string | undefined,
  ) {
    super();
  }
  override get(key: string): string | undefined {
    const have = super.get(key);
    if (have !== undefined || !this.scanned.has(key)) return have;
    const text = this.readAgain(key);
    if (text !== undefined) super.set(key, text);
    return text;
  }
  override has(key: string): boolean {
    return super.has(key) || this.scanned.has(key);
  }
  override keys(): MapIterator<string> {
    return new Set([...this.scanned, ...super.keys()]).keys();
  }
}

/** A path the user named that does not exist, a `--var` Terraform would reject: one line, exit 2. */
export class InputError extends Error {}

/** Scans a directory's Terraform one root at a time (sources/terraform); a `--var` that does not fit its variable's type is an input error. */
function scanTerraformChecked(root: string, options: ProjectOptions, ids: IdOptions, failures: ModuleFailure[], scan: TerraformScanOptions): TerraformScan {
  try {
    return scanTerraform(root, options, ids, failures, scan);
  } catch (err) {
    if (err instanceof VariableInputError) throw new InputError(err.message);
    throw err;
  }
}

/** Loads a project (with Terragrunt units unless `plain`); a `--var` that does not fit its variable's type is an input error. */
export function loadChecked(root: string, options: ProjectOptions, plain = false): Project {
  try {
    return plain ? loadProject(root, options) : loadProject(root, options, terragruntUnits());
  } catch (err) {
    if (err instanceof VariableInputError) throw new InputError(err.message);
    throw err;
  }
}

/**
 * `--var`s that no root module of the scan declares: Terraform rejects them; here they are a
 * warning (one command line may serve scans of several trees), with the closest declared name.
 */
export function undeclaredVarNotices(projects: Project[], vars: Array<[string, string]> | undefined): Notification[] {
  if (!vars?.length || projects.length === 0) return [];
  const out: Notification[] = [];
  for (const name of new Set(vars.map(([n]) => n))) {
    if (!projects.every((p) => p.undeclaredVars.includes(name))) continue;
    const declared = projects.flatMap((p) => p.declaredVars);
    out.push({ level: "warning", message: `--var ${name}: no root module of the scan declares a variable \`${name}\`${didYouMean(name, declared)}; it was ignored` });
  }
  return out;
}

/** Scans one directory; paths in findings are relative to it. */
export function scanDirectory(rootDir: string, options: ScanOptions = {}): ScanResult {
  return scanPaths([rootDir], { displayRoot: rootDir, ...options });
}

/** Scans several paths (directories, or a file's directory); finding paths are relative to `displayRoot` (default: the current directory). */
export function scanPaths(paths: string[], options: ScanOptions = {}): ScanResult {
  const rules = options.rules ?? allRules;
  const inventory = emptyInventory();
  const projects: Project[] = [];
  const displayRoot = path.resolve(options.displayRoot ?? process.cwd());
  const seenRoots = new Set<string>();
  const apps: AppScan[] = [];
  const seenAppFiles = new Set<string>();
  const moduleFailures: ModuleFailure[] = [];
  const extraNotices: Notification[] = [];
  /** Every parsed file findings may be placed in, as projectFiles lists them, project by project. */
  const keptLists: Array<() => KeptFile[]> = [];
  const moduleDirs = new Set<string>();
  const unreadCalls: UnreadCall[] = [];
  let planFiles = 0;
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new InputError(`${p}: no such file or directory; give a directory (or file) to scan`);
    }
    if (st.isFile() && isPlanFile(p)) {
      // A Terraform plan (`terraform show -json`): planned values are known values. The
      // Terraform beside it only places findings at their declarations; it is not scanned
      // again (the plan already holds those resources).
      const sourceRoot = loadChecked(path.dirname(path.resolve(p)), { ...options, displayRoot }, true);
      projects.push(sourceRoot);
      // Its files and modules as they stand once the plan is read (placing findings evaluates it).
      keptLists.push(() => {
        for (const d of sourceRoot.modules.keys()) moduleDirs.add(d);
        pushAll(unreadCalls, unreadModuleCalls(sourceRoot));
        return projectFiles(sourceRoot).map((f) => keep(f, true));
      });
      const displayPath = path.relative(displayRoot, path.resolve(p)).split(path.sep).join("/");
      planFiles++;
      try {
        mergeInventories(inventory, inventoryFromPlanFile(p, { sourceRoot, displayPath }));
      } catch (err) {
        if (err instanceof PlanError) throw new InputError(err.message.startsWith(p) ? err.message : `${p}: ${err.message}`);
        throw err;
      }
      continue;
    }
    const root = path.resolve(st.isDirectory() ? p : path.dirname(p));
    if (seenRoots.has(root)) continue;
    seenRoots.add(root);
    // Several scan paths: ids carry their root's directory, so equal addresses stay apart.
    const ids = paths.length > 1 ? { alwaysPrefix: true, prefixBase: displayRoot } : {};
    // One root module at a time (sources/terraform, terraform/stream.ts): each parsed file is
    // kept as its text and suppression comments, not as its syntax tree.
    const byDir = new Map<string, KeptFile[]>();
    const later: KeptFile[][] = [[], [], []];
    const tf = scanTerraformChecked(root, { ...options, displayRoot }, ids, moduleFailures, {
      extension: terragruntUnits(),
      alsoFind: (name) => appFileKind(name) !== null,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      onFile(file, kind, dir) {
        // Module directories' and variables files are on disk: read back if a finding names them.
        const kept = keep(file, kind !== "module" && kind !== "variables");
        if (kind === "module") byDir.set(dir, [...(byDir.get(dir) ?? []), kept]);
        else later[kind === "composed" ? 0 : kind === "variables" ? 1 : 2].push(kept);
      },
    });
    projects.push(tf.project);
    mergeInventories(inventory, tf.inventory);
    keptLists.push(() => {
      for (const d of tf.moduleDirs) moduleDirs.add(d);
      pushAll(unreadCalls, tf.unread);
      // In the order projectFiles lists them: module directories as loadProject reads them, then the rest.
      const out: KeptFile[] = [];
      for (const dir of tf.moduleOrder) pushAll(out, byDir.get(dir) ?? []);
      for (const list of later) pushAll(out, list);
      return out;
    });
    // App configurations (Mage, docker-compose, .env, flytekit Python) under the same root, found by the same walk.
    const app = scanAppConfigs(root, { displayRoot, exclude: options.exclude, seen: seenAppFiles, found: tf.otherFound });
    apps.push(app);
    mergeInventories(inventory, app.inventory);
  }
  extraNotices.push(...undeclaredVarNotices(projects, options.vars));
  const suppressions = new SuppressionIndex();
  const texts = new Map<string, string | undefined>();
  for (const list of keptLists) {
    for (const k of list()) {
      if (k.suppressions) suppressions.addFile(k.suppressions);
      if (k.text !== undefined || !texts.has(k.path)) texts.set(k.path, k.text);
    }
  }
  const appTexts = new Map<string, string>();
  for (const app of apps) {
    for (const [p, text] of app.sources) {
      texts.set(p, text);
      appTexts.set(p, text);
    }
    for (const [p, c] of app.comments) suppressions.addComments(p, c.comments, c.file);
  }
  const result = runWithSuppressions(inventory, rules, options, suppressions);
  const sources = findingSources(texts, appTexts, [...result.findings, ...result.suppressed], (p) => path.resolve(displayRoot, p), seenRoots);
  const notices: Notification[] = [];
  // What the projects say about what was not read (remote Terragrunt sources…), once each.
  const said = new Set<string>();
  for (const project of projects) {
    for (const n of project.notices) {
      if (said.has(n.message)) continue;
      said.add(n.message);
      notices.push({ level: n.level, message: n.message });
    }
  }
  // Module calls to registry or git sources not downloaded: once, with the count.
  const unread = unreadModulesNotice(unreadCalls);
  if (unread) notices.push(unread);
  for (const f of moduleFailures) notices.push(moduleFailureNotification(f));
  const scanned: RunSummary["scanned"] = [
    { what: "files", count: texts.size + planFiles },
    { what: "modules", count: moduleDirs.size },
  ];
  if (texts.size + planFiles === 0) {
    // Said in every format (a notice), so an empty or mistyped path is not taken for a clean one.
    extraNotices.push({ level: "warning", message: `nothing was scanned: no Terraform (.tf, .tf.json), variables, plan or app configuration file under ${paths.join(", ")}` });
  }
  // What the reading policy and the walk skipped (an unreadable directory makes the scan partial).
  const skipped = noticesOf([...projects.flatMap((p) => p.fileNotices), ...apps.flatMap((a) => a.notices)], displayRoot);
  notices.push(...skipped.notices);
  const partial = skipped.partial || [...result.notifications, ...notices].some((n) => n.level === "error");
  return { ...result, inventory, projects, sources, moduleFailures, notices: [...notices, ...extraNotices], partial, scanned };
}

/**
 * File notices as the run's notifications (once each; paths relative to the display root when
 * inside it), and whether the run is partial (files that should have been scanned were not).
 */
export function noticesOf(fileNotices: FileNotice[], displayRoot: string): { notices: Notification[]; partial: boolean } {
  const notices: Notification[] = [];
  const seen = new Set<string>();
  let partial = false;
  for (const n of fileNotices) {
    const rel = path.relative(displayRoot, n.path);
    const shown = rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? n.path : rel.split(path.sep).join("/");
    const message = `${shown}: ${n.message}`;
    if (seen.has(message)) continue;
    seen.add(message);
    if (n.partial) partial = true;
    notices.push({ level: n.partial ? "error" : "warning", message });
  }
  return { notices, partial };
}

