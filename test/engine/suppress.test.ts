import { describe, expect, it } from "vitest";
import { parseHcl } from "../../src/hcl/parser.js";
import { SuppressionIndex, parseDirective } from "../../src/engine/suppress.js";
import type { Finding } from "../../src/engine/runner.js";

let currentText = "";
function findingAt(path: string, line: number, ruleId = "secret/immediate-deletion"): Finding {
  // The finding starts at the first non-blank character of the line, as rules report.
  const lines = currentText.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  const indent = (lines[line - 1] ?? "").search(/\S|$/);
  const p = { offset: offset + indent, byte: offset + indent, line, column: indent + 1 };
  return { ruleId, level: "warning", messageId: "m", message: "m", data: {}, origin: { file: { path, range: { start: p, end: p } } }, related: [] };
}

function index(text: string): SuppressionIndex {
  currentText = text;
  const idx = new SuppressionIndex();
  idx.addHclFile(parseHcl(text, "main.tf"));
  return idx;
}

describe("suppression comments", () => {
  it("parses ids and a reason", () => {
    expect(parseDirective("# secretlint:ignore iam/wildcard-action, iam/not-action-allow -- break-glass role")).toEqual({
      fileWide: false,
      ruleIds: ["iam/wildcard-action", "iam/not-action-allow"],
      reason: "break-glass role",
    });
    expect(parseDirective("// secretlint:ignore-file secret/placeholder-value")?.fileWide).toBe(true);
    expect(parseDirective("# secretlint-disable")).toBeNull();
    expect(parseDirective("# a comment about secretlint:ignore")).toBeNull();
  });

  const text = [
    'resource "aws_secretsmanager_secret" "a" {', // 1
    '  name = "a"', // 2
    "  # secretlint:ignore secret/immediate-deletion -- scratch account", // 3
    "  recovery_window_in_days = 0", // 4
    "}", // 5
    "# secretlint:ignore secret/immediate-deletion", // 6
    'resource "aws_secretsmanager_secret" "b" {', // 7
    "  recovery_window_in_days = 0", // 8
    "}", // 9
    'resource "aws_secretsmanager_secret" "c" {', // 10
    "  recovery_window_in_days = 0 # secretlint:ignore secret/immediate-deletion", // 11
    "  name = 1 # secretlint:ignore other/rule", // 12
    "}", // 13
    "",
  ].join("\n");

  it("applies on the line before an argument or a block, and at the end of the line", () => {
    const idx = index(text);
    expect(idx.isSuppressed(findingAt("main.tf", 4))).toBe(true);
    expect(idx.isSuppressed(findingAt("main.tf", 8))).toBe(true); // inside block b, comment before the block
    expect(idx.isSuppressed(findingAt("main.tf", 11))).toBe(true);
  });

  it("applies only to the rules it names and the place it stands", () => {
    const idx = index(text);
    expect(idx.isSuppressed(findingAt("main.tf", 12))).toBe(false);
    expect(idx.isSuppressed(findingAt("main.tf", 4, "iam/wildcard-action"))).toBe(false);
    expect(idx.isSuppressed(findingAt("main.tf", 2))).toBe(false);
    expect(idx.isSuppressed(findingAt("other.tf", 4))).toBe(false);
  });

  it("ignore-file covers the whole file for the rules it names", () => {
    const idx = index('# secretlint:ignore-file secret/*\nresource "x" "y" {\n  a = 1\n}\n');
    expect(idx.isSuppressed(findingAt("main.tf", 3, "secret/placeholder-value"))).toBe(true);
    expect(idx.isSuppressed(findingAt("main.tf", 3, "iam/wildcard-action"))).toBe(false);
  });
});
