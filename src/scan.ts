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
import { SuppressionIndex, runWithSuppressions } from "./engine/suppress.js";
import type { RunSummary } from "./report/summary.js";
import { scanAppConfigs, type AppScan } from "./sources/apps/index.js";
import { inventoryFromProject } from "./sources/terraform/index.js";
import { PlanError, inventoryFromPlanFile } from "./sources/plan.js";
import { loadProject, projectFiles, VariableInputError, type ModuleFailure, type Project, type ProjectOptions } from "./terraform/project.js";
import { didYouMean } from "./util/suggest.js";
import { describeInternalError } from "./util/errors.js";
import { terragruntUnits } from "./terragrunt/project.js";
import { unreadModuleCalls, unreadModulesNotice } from "./sources/terraform/unread.js";

export interface ScanOptions extends ProjectOptions, RunOptions {
  /** The rules to run (default: the whole catalogue, at the levels `levels` or their defaults give). */
  rules?: Rule[];
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

/** A path the user named that does not exist, a `--var` Terraform would reject: one line, exit 2. */
export class InputError extends Error {}

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
    const project = loadChecked(root, { ...options, displayRoot });
    projects.push(project);
    // Several scan paths: ids carry their root's directory, so equal addresses stay apart.
    const ids = paths.length > 1 ? { alwaysPrefix: true, prefixBase: displayRoot } : {};
    mergeInventories(inventory, inventoryFromProject(project, undefined, ids, moduleFailures));
    // App configurations (Mage, docker-compose, .env, flytekit Python) under the same root.
    const app = scanAppConfigs(root, { displayRoot, exclude: options.exclude, seen: seenAppFiles });
    apps.push(app);
    mergeInventories(inventory, app.inventory);
  }
  extraNotices.push(...undeclaredVarNotices(projects, options.vars));
  const suppressions = new SuppressionIndex();
  const sources = new Map<string, string>();
  for (const project of projects) {
    const files = projectFiles(project);
    for (const file of files) {
      suppressions.addHclFile(file);
      sources.set(file.fileName, file.source);
    }
  }
  for (const app of apps) {
    for (const [p, text] of app.sources) sources.set(p, text);
    for (const [p, c] of app.comments) suppressions.addComments(p, c.comments, c.file);
  }
  const result = runWithSuppressions(inventory, rules, options, suppressions);
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
  const unread = unreadModulesNotice(projects.flatMap((p) => unreadModuleCalls(p)));
  if (unread) notices.push(unread);
  for (const f of moduleFailures) notices.push(moduleFailureNotification(f));
  const moduleDirs = new Set(projects.flatMap((p) => [...p.modules.keys()]));
  const scanned: RunSummary["scanned"] = [
    { what: "files", count: sources.size + planFiles },
    { what: "modules", count: moduleDirs.size },
  ];
  if (sources.size + planFiles === 0) {
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

