// The library's audit call: account data (read live, or from a snapshot) → the inventory,
// cross-checked with Terraform (and the app configurations beside it) when given (`--tf`) →
// the same rules as a scan → findings, with the suppression comments of those files applied
// to findings placed in them, and the audit's own notices (denied calls: a partial result).

import fs from "node:fs";
import path from "node:path";
import { DEFAULT_SETTINGS, type Rule } from "./engine/rule.js";
import { runRules, type Finding, type Notification, type RunOptions, type RunResult } from "./engine/runner.js";
import { SuppressionIndex, runWithSuppressions } from "./engine/suppress.js";
import type { RunSummary } from "./report/summary.js";
import type { Inventory } from "./inventory/model.js";
import { mergeInventories } from "./inventory/merge.js";
import { InputError, loadChecked, moduleFailureNotification, noticesOf, undeclaredVarNotices } from "./scan.js";
import { scanAppConfigs } from "./sources/apps/index.js";
import type { AccountData } from "./sources/aws/data.js";
import { linkLiveIntegrations } from "./sources/aws/integrations.js";
import { inventoryFromAccount } from "./sources/aws/inventory.js";
import { mergeWithTerraform } from "./sources/aws/terraform.js";
import { inventoryFromProject } from "./sources/terraform/index.js";
import { projectFiles, type ModuleFailure, type ProjectOptions } from "./terraform/project.js";
import { unreadModuleCalls, unreadModulesNotice, type UnreadCall } from "./sources/terraform/unread.js";

export interface AuditOptions extends RunOptions {
  rules: Rule[];
  /** Terraform to cross-check the account with (`--tf DIR`). */
  tfDir?: string;
  /** How to evaluate it (variables, excludes). */
  tfOptions?: Omit<ProjectOptions, "displayRoot">;
  /** Finding paths are relative to it (default: the current directory). */
  displayRoot?: string;
}

export interface AuditResult extends RunResult {
  inventory: Inventory;
  data: AccountData;
  /** Findings hidden by `secretlint:ignore` comments in the Terraform. */
  suppressed: Finding[];
  /** Terraform sources by display path (code frames, fingerprints). */
  sources: Map<string, string>;
  /** The audit's own notices: calls denied or failed. */
  notices: Notification[];
  /** Whether something the rules need could not be read. */
  partial: boolean;
  /** What was read: the account's secrets and IAM principals, and the files and modules of `--tf`. */
  scanned: RunSummary["scanned"];
}

export function auditAccount(data: AccountData, options: AuditOptions): AuditResult {
  let inventory = inventoryFromAccount(data);
  const sources = new Map<string, string>();
  const suppressions = new SuppressionIndex();
  const moduleFailures: ModuleFailure[] = [];
  const projectNotices: Notification[] = [];
  let tfModules = 0;
  const varNotices: Notification[] = [];
  let tfPartial = false;
  const unread: UnreadCall[] = [];
  if (options.tfDir !== undefined) {
    let st: fs.Stats;
    try {
      st = fs.statSync(options.tfDir);
    } catch {
      throw new InputError(`--tf ${options.tfDir}: no such directory; give the Terraform directory to cross-check with`);
    }
    if (!st.isDirectory()) throw new InputError(`--tf ${options.tfDir}: not a directory; give the Terraform directory to cross-check with`);
    const displayRoot = path.resolve(options.displayRoot ?? process.cwd());
    const root = path.resolve(options.tfDir);
    const project = loadChecked(root, { ...options.tfOptions, displayRoot });
    for (const n of project.notices) projectNotices.push({ level: n.level, message: n.message });
    varNotices.push(...undeclaredVarNotices([project], options.tfOptions?.vars));
    tfModules = project.modules.size;
    unread.push(...unreadModuleCalls(project));
    const declared = inventoryFromProject(project, undefined, {}, moduleFailures);
    // The app configurations beside it (Flyte requests, Mage references), as `scan` reads them.
    const apps = scanAppConfigs(root, { displayRoot, exclude: options.tfOptions?.exclude });
    mergeInventories(declared, apps.inventory);
    inventory = mergeWithTerraform(inventory, declared, data);
    for (const file of projectFiles(project)) {
      suppressions.addHclFile(file);
      sources.set(file.fileName, file.source);
    }
    for (const [p, text] of apps.sources) sources.set(p, text);
    for (const [p, c] of apps.comments) suppressions.addComments(p, c.comments, c.file);
    // What the reading policy and the walk skipped (an unreadable directory makes the cross-check partial).
    const skipped = noticesOf([...project.fileNotices, ...apps.notices], displayRoot);
    projectNotices.push(...skipped.notices);
    tfPartial = skipped.partial;
  }
  linkLiveIntegrations(inventory, { ...DEFAULT_SETTINGS, ...options.settings });
  const result = runWithSuppressions(inventory, options.rules, options, suppressions, (f) => f.origin.file !== undefined);
  const notices: Notification[] = data.notices.map((n) => ({ level: n.level, message: n.message }));
  notices.push(...varNotices);
  // A Terraform module left out (a bug of ours) makes the cross-check partial too.
  for (const n of projectNotices) notices.push(n);
  const unreadNotice = unreadModulesNotice(unread);
  if (unreadNotice) notices.push(unreadNotice);
  for (const f of moduleFailures) notices.push(moduleFailureNotification(f));
  const partial = data.notices.some((n) => n.partial) || moduleFailures.length > 0 || tfPartial;
  const scanned: RunSummary["scanned"] = [
    { what: "secrets", count: data.secrets.length },
    { what: "principals", count: data.iam?.principals.length ?? 0 },
  ];
  if (options.tfDir !== undefined) scanned.push({ what: "files", count: sources.size }, { what: "modules", count: tfModules });
  return { ...result, inventory, data, sources, notices, partial, scanned };
}
