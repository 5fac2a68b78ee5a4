// The inventory of the whole real-world corpus (`<root>/../shared/corpus`) builds without an
// exception, and the corpus (valid, published Terraform) gives no false undefined reference
// outside the Apono provider's examples (snippets that use data sources declared in other
// example files, and a test case whose variables come from a template copied in at test time).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dumpInventory } from "../../src/inventory/dump.js";
import { inventoryFromProject } from "../../src/sources/terraform/index.js";
import { loadProject } from "../../src/terraform/project.js";
import { corpusDir, corpusMissingReason } from "../helpers/shared.js";

if (corpusDir === null) console.warn(`corpus.test.ts: skipped: ${corpusMissingReason}`);

describe("the shared corpus through Terraform → inventory", () => {
  it.skipIf(corpusDir === null)(`builds the inventory of every module directory${corpusDir === null ? ` (skipped: ${corpusMissingReason})` : ""}`, () => {
    const project = loadProject(corpusDir as string);
    expect(project.modules.size).toBeGreaterThan(50);
    const inv = inventoryFromProject(project);
    expect(inv.parseErrors).toEqual([]);
    // Secrets from terraform-aws-modules/secrets-manager, lgallard's module and the lambda examples.
    expect(inv.secrets.length).toBeGreaterThan(5);
    expect(inv.aponoSecretRefs.length).toBeGreaterThanOrEqual(2);
    const outsideApono = inv.undefinedReferences.filter((r) => !r.module.startsWith("apono-io/"));
    expect(outsideApono.map((r) => `${r.origin.file?.path}:${r.origin.file?.range.start.line} ${r.reference}`)).toEqual([]);
    // The dump is plain JSON.
    expect(() => JSON.stringify(dumpInventory(inv))).not.toThrow();
  });

  it.skipIf(corpusDir === null)("builds each module directory on its own as a scan root", () => {
    const project = loadProject(corpusDir as string);
    for (const dir of project.modules.keys()) {
      const rel = path.relative(corpusDir as string, dir);
      expect(() => inventoryFromProject(loadProject(dir)), rel).not.toThrow();
    }
  });
});
