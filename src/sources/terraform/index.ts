// Terraform → inventory: evaluates the project and fills the inventory from it.

import { emptyInventory, type Inventory } from "../../inventory/model.js";
import { loadProject, type Project, type ProjectOptions } from "../../terraform/project.js";
import { buildContext, type IdOptions } from "./context.js";
import { collectApono } from "./apono.js";
import { collectIam } from "./iam.js";
import { collectSecrets } from "./secrets.js";
import { collectSym } from "./sym.js";
import { collectUndefinedReferences } from "./references.js";
import { collectLiteralStrings } from "./literals.js";

export function inventoryFromProject(project: Project, inventory: Inventory = emptyInventory(), ids: IdOptions = {}): Inventory {
  for (const config of project.modules.values()) {
    for (const d of config.diagnostics) {
      if (d.severity === "error") inventory.parseErrors.push({ message: d.message, origin: { file: { path: d.file, range: d.range } } });
    }
  }
  for (const d of project.diagnostics) {
    if (d.severity === "error") inventory.parseErrors.push({ message: d.message, origin: { file: { path: d.file, range: d.range } } });
  }
  const ctx = buildContext(project, inventory, ids);
  // Order matters: secrets first (others link to them), IAM before Sym (access policies).
  collectSecrets(ctx);
  collectIam(ctx);
  collectSym(ctx);
  collectApono(ctx);
  collectUndefinedReferences(ctx);
  collectLiteralStrings(ctx);
  return inventory;
}

export function inventoryFromTerraform(rootDir: string, options: ProjectOptions = {}): Inventory {
  return inventoryFromProject(loadProject(rootDir, options));
}
