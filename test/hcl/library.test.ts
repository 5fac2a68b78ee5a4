// The package's main module is a library: the parsers and the scan are importable from it.
import { describe, expect, it } from "vitest";
import * as lib from "../../src/index.js";

describe("library API", () => {
  it("exports parseHcl and its JSON-syntax twin, with the same tree shape", () => {
    const native = lib.parseHcl('resource "aws_secretsmanager_secret" "a" {\n  name = "x"\n}\n', "main.tf");
    const json = lib.parseHclJson('{"resource": {"aws_secretsmanager_secret": {"a": {"name": "x"}}}}', "main.tf.json");
    for (const f of [native, json]) {
      expect(f.diagnostics).toEqual([]);
      const b = f.body.blocks[0];
      expect([b.blockType, ...b.labels.map((l) => l.value)]).toEqual(["resource", "aws_secretsmanager_secret", "a"]);
      expect(b.body.attributes[0].name).toBe("name");
      expect(b.range.start.line).toBe(1);
    }
  });

  it("exports the scan and the rule catalogue", () => {
    expect(typeof lib.scanPaths).toBe("function");
    expect(lib.allRules.length).toBeGreaterThan(20);
  });
});
