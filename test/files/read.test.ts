// The reading policy (src/files/read.ts) and the walk (src/files/walk.ts) on files made at test
// time: FIFOs, devices, links out of the tree and into /proc, files over the limit, a file that
// claims a size it does not have. Every call returns (no test here can hang: a FIFO is opened
// non-blocking, and the walk is iterative).

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_FILE_BYTES, readFileBytes, readFileText, Roots } from "../../src/files/read.js";
import { findFilesByDir, type FileNotice } from "../../src/files/walk.js";
import { canMkfifo, mkfifo, tempTree } from "../helpers/hostile.js";

describe("readFileBytes", () => {
  it("reads a regular file inside the roots", () => {
    const dir = tempTree({ "a.tf": "x = 1\n" });
    const r = readFileText(path.join(dir, "a.tf"), { roots: new Roots([dir]) });
    expect(r.ok && r.text).toBe("x = 1\n");
  });

  it.skipIf(!canMkfifo)("refuses a FIFO without blocking (checked on the descriptor)", () => {
    const dir = tempTree();
    mkfifo(path.join(dir, "x.tf"));
    const r = readFileBytes(path.join(dir, "x.tf"), { roots: new Roots([dir]) });
    expect(r).toMatchObject({ ok: false, refusal: "not-regular" });
    expect(!r.ok && r.reason).toMatch(/a FIFO, not a regular file/);
  });

  it("refuses devices and /proc, also through a link, also for files the user names", () => {
    const dir = tempTree();
    fs.symlinkSync("/dev/zero", path.join(dir, "z.tf"));
    fs.symlinkSync("/proc/self/environ", path.join(dir, "env.tf"));
    for (const f of ["z.tf", "env.tf"]) {
      const held = readFileBytes(path.join(dir, f), { roots: new Roots([dir]) });
      expect(held).toMatchObject({ ok: false, refusal: "special" });
      // Without roots (a --var-file), still refused: never a device or /proc entry.
      expect(readFileBytes(path.join(dir, f))).toMatchObject({ ok: false, refusal: "special" });
    }
    expect(readFileBytes("/dev/urandom")).toMatchObject({ ok: false, refusal: "special" });
    expect(readFileBytes("/proc/self/environ")).toMatchObject({ ok: false, refusal: "special" });
  });

  it("refuses a link out of the roots, naming where it leads and nothing it holds", () => {
    const outside = tempTree({ "secret.txt": "CANARY-outside-1234\n" });
    const dir = tempTree();
    fs.symlinkSync(path.join(outside, "secret.txt"), path.join(dir, "x.tf"));
    const r = readFileBytes(path.join(dir, "x.tf"), { roots: new Roots([dir]) });
    expect(r).toMatchObject({ ok: false, refusal: "outside" });
    expect(!r.ok && r.reason).toContain(fs.realpathSync(path.join(outside, "secret.txt")));
    expect(JSON.stringify(r)).not.toContain("CANARY");
    // The same file named by the user is read.
    expect(readFileText(path.join(dir, "x.tf")).ok).toBe(true);
  });

  it("refuses a file over the limit, by its size and by what it holds", () => {
    const dir = tempTree({ "big.tf": Buffer.alloc(1025, 0x20), "ok.tf": Buffer.alloc(1024, 0x20) });
    expect(readFileBytes(path.join(dir, "big.tf"), { maxBytes: 1024 })).toMatchObject({ ok: false, refusal: "too-large" });
    expect(readFileBytes(path.join(dir, "ok.tf"), { maxBytes: 1024 }).ok).toBe(true);
    expect(MAX_FILE_BYTES).toBe(8 * 1024 * 1024);
  });

  it("a missing file, a directory and a loop of links are refusals, not exceptions", () => {
    const dir = tempTree();
    fs.mkdirSync(path.join(dir, "d.tf"));
    fs.symlinkSync(path.join(dir, "l2.tf"), path.join(dir, "l1.tf"));
    fs.symlinkSync(path.join(dir, "l1.tf"), path.join(dir, "l2.tf"));
    expect(readFileBytes(path.join(dir, "none.tf"))).toMatchObject({ ok: false, refusal: "missing" });
    expect(readFileBytes(path.join(dir, "d.tf"))).toMatchObject({ ok: false, refusal: "not-regular" });
    expect(readFileBytes(path.join(dir, "l1.tf"))).toMatchObject({ ok: false, refusal: "unreadable" });
  });
});

describe("findFilesByDir", () => {
  const tf = (name: string) => name.endsWith(".tf");

  it("does not follow links to /, /proc or out of the tree, and says so", () => {
    const outside = tempTree({ "m/main.tf": "x = 1\n" });
    const dir = tempTree({ "a/main.tf": "x = 1\n" });
    fs.symlinkSync("/", path.join(dir, "root"));
    fs.symlinkSync("/proc", path.join(dir, "proc"));
    fs.symlinkSync(outside, path.join(dir, "out"));
    fs.symlinkSync(path.join(dir, "a"), path.join(dir, "again")); // inside: found once, by its own path
    const notices: FileNotice[] = [];
    const found = findFilesByDir(dir, [], tf, { roots: new Roots([dir]), notices });
    expect([...found.keys()].map((d) => path.relative(dir, d))).toEqual(["a"]);
    const byPath = new Map(notices.map((n) => [path.basename(n.path), n]));
    expect(byPath.get("root")?.message).toMatch(/outside the scanned tree/);
    expect(byPath.get("proc")?.message).toMatch(/kernel file system/);
    expect(byPath.get("out")?.message).toMatch(/outside the scanned tree/);
    expect(notices.every((n) => !n.partial)).toBe(true);
  });

  it("finds a directory by its own path even when a link to it is walked first, and walks links that lead elsewhere in the tree afterwards", () => {
    // `a/` sorts before `good/`: a link in `a` to `../good` must not become good's path.
    const dir = tempTree({ "good/main.tf": "x = 1\n", "a/main.tf": "x = 1\n", "z/deep/main.tf": "x = 1\n" });
    fs.symlinkSync("../good", path.join(dir, "a", "terraform.tfvars"));
    fs.symlinkSync("../good", path.join(dir, "a", "linked"));
    fs.symlinkSync("../z", path.join(dir, "a", "zlink")); // z is walked by its own path
    const found = findFilesByDir(dir, [], tf, { roots: new Roots([dir]) });
    expect([...found.keys()].map((d) => path.relative(dir, d))).toEqual(["a", "good", "z/deep"]);
  });

  it("walks a tree thousands of directories deep without recursion", () => {
    const dir = tempTree();
    let d = dir;
    // Paths stay under PATH_MAX: one-letter names.
    for (let i = 0; i < 1500; i++) d = path.join(d, "d");
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, "main.tf"), "x = 1\n");
    const found = findFilesByDir(dir, [], tf, { roots: new Roots([dir]) });
    expect([...found.keys()]).toEqual([d]);
  });
});
