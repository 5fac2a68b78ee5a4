// User mistakes are user errors: one line on stderr naming the option or file and what to do,
// exit 2, never `internal error` (through the built CLI).

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { built, canMkfifo, dropToUid, mkfifo, runCli, treeWithGood } from "../helpers/hostile.js";

function userError(r: ReturnType<typeof runCli>, message: RegExp) {
  expect(r.timedOut).toBe(false);
  expect(r.code).toBe(2);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
}

describe.skipIf(!built)("user errors", () => {
  it("output paths: a directory, a missing directory, a place that cannot be written", () => {
    const dir = treeWithGood();
    fs.mkdirSync(path.join(dir, "out"));
    userError(runCli(["scan", ".", "-o", "out"], { cwd: dir }), /^secretlint: --output out: is a directory; give a file path$/m);
    userError(runCli(["scan", ".", "--sarif-file", "out"], { cwd: dir }), /--sarif-file out: is a directory; give a file path/);
    userError(runCli(["scan", ".", "--write-baseline", "out"], { cwd: dir }), /--write-baseline out: is a directory; give a file path/);
    userError(runCli(["scan", ".", "-o", "missing/report.txt"], { cwd: dir }), /--output missing\/report\.txt: no such directory .*missing; create it first or give another path/);
    if (dropToUid !== undefined || process.getuid?.() !== 0) {
      const locked = path.join(dir, "locked");
      fs.mkdirSync(locked, { mode: 0o555 });
      fs.chmodSync(locked, 0o555);
      userError(runCli(["scan", ".", "-o", "locked/report.txt"], { cwd: dir, uid: dropToUid }), /--output locked\/report\.txt: permission denied; give a path you can write to/);
    }
  });

  it("a baseline with a null entry, or that is not JSON, names the file", () => {
    const dir = treeWithGood({
      "null.json": JSON.stringify({ version: 1, tool: "secretlint", findings: [null] }),
      "junk.json": '{"version": 1, "findings": [ {"ruleId": "a", "fingerprint": "b"} oops ]}',
      "deep.json": "[".repeat(100_000) + "]".repeat(100_000),
    });
    userError(runCli(["scan", ".", "--baseline", "null.json"], { cwd: dir }), /null\.json: findings\[0\] is not a \{"ruleId", "fingerprint"\} entry; write the baseline again with --write-baseline/);
    userError(runCli(["scan", ".", "--baseline", "junk.json"], { cwd: dir }), /junk\.json: not a baseline \(invalid JSON at line 1, column \d+\)/);
    userError(runCli(["scan", ".", "--baseline", "deep.json"], { cwd: dir }), /deep\.json: not a baseline \(JSON nests deeper than 500 levels/);
  });

  it("configuration: a YAML alias bomb, deep nesting, a FIFO", () => {
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
    for (let i = 0, prev = "a"; i < 9; i++) {
      bomb += `b${i}: &b${i} [${Array(9).fill(`*${prev}`).join(", ")}]\n`;
      prev = `b${i}`;
    }
    const dir = treeWithGood({
      "bomb.yaml": bomb,
      "deep.yaml": "rules: " + "[".repeat(50_000) + "]".repeat(50_000) + "\n",
      "deep-block.yaml": Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n") + "\n",
      "deep.json": "[".repeat(100_000) + "]".repeat(100_000),
    });
    userError(runCli(["scan", ".", "-c", "bomb.yaml"], { cwd: dir }), /bomb\.yaml: YAML aliases \(`\*name`\) expand too much; write the values out instead of aliasing them/);
    userError(runCli(["scan", ".", "-c", "deep.yaml"], { cwd: dir }), /deep\.yaml:1:\d+: YAML nests deeper than 500 levels/);
    userError(runCli(["scan", ".", "-c", "deep-block.yaml"], { cwd: dir }), /deep-block\.yaml:\d+:1: YAML nests deeper than 500 levels/);
    userError(runCli(["scan", ".", "-c", "deep.json"], { cwd: dir }), /deep\.json:1:501: JSON nests deeper than 500 levels/);
    if (canMkfifo) {
      mkfifo(path.join(dir, "fifo.yaml"));
      userError(runCli(["scan", ".", "-c", "fifo.yaml"], { cwd: dir }), /fifo\.yaml: file is a FIFO, not a regular file; give the path of a configuration file/);
    }
  });

  it("a snapshot that is a FIFO, a device or nests too deep", () => {
    const dir = treeWithGood({ "deep.json": "[".repeat(100_000) + "]".repeat(100_000) });
    userError(runCli(["audit", "--snapshot", "/dev/zero"], { cwd: dir }), /\/dev\/zero: file resolves to \/dev\/zero, in a kernel file system; give the path of a snapshot/);
    userError(runCli(["audit", "--snapshot", "deep.json"], { cwd: dir }), /deep\.json: not a snapshot \(JSON nests deeper than 500 levels/);
    if (canMkfifo) {
      mkfifo(path.join(dir, "fifo.json"));
      userError(runCli(["audit", "--snapshot", "fifo.json"], { cwd: dir }), /fifo\.json: file is a FIFO, not a regular file; give the path of a snapshot/);
    }
  });
});
