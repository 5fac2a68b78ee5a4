import { describe, expect, it } from "vitest";
import { emptyInventory } from "../../src/inventory/model.js";
import { mergeInventories } from "../../src/inventory/merge.js";

describe("mergeInventories", () => {
  it("merges inventories of any size (a large tree has hundreds of thousands of literal strings)", () => {
    const from = emptyInventory();
    const origin = { file: { path: "a.tf", range: { start: { offset: 0, byte: 0, line: 1, column: 1 }, end: { offset: 0, byte: 0, line: 1, column: 1 } } } };
    for (let i = 0; i < 300_000; i++) from.literalStrings.push({ text: "x", origin });
    const into = emptyInventory();
    expect(() => mergeInventories(into, from)).not.toThrow();
    expect(into.literalStrings.length).toBe(300_000);
  });
});
