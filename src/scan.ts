// The library's main call: Terraform under a root → inventory → rules → findings.

import type { Inventory } from "./inventory/model.js";
import { runRules, type RunOptions, type RunResult } from "./engine/runner.js";
import type { Rule } from "./engine/rule.js";
import { inventoryFromProject } from "./sources/terraform/index.js";
import { loadProject, type Project, type ProjectOptions } from "./terraform/project.js";

export interface ScanOptions extends ProjectOptions, RunOptions {
  rules: Rule[];
}

export interface ScanResult extends RunResult {
  inventory: Inventory;
  project: Project;
}

export function scanDirectory(rootDir: string, options: ScanOptions): ScanResult {
  const project = loadProject(rootDir, options);
  const inventory = inventoryFromProject(project);
  const result = runRules(inventory, options.rules, options);
  return { ...result, inventory, project };
}
