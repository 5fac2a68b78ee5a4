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

describe("Roots.realPathOf (a scan's cache of directories' real paths)", () => {
  it("gives what realpath gives, for files, directories, links to either, and paths that do not resolve", () => {
    const dir = tempTree({ "a/main.tf": "x = 1\n", "a/b/c.tf": "x = 1\n", "file.txt": "x\n" });
    fs.symlinkSync("a", path.join(dir, "la"));
    fs.symlinkSync(path.join(dir, "a", "main.tf"), path.join(dir, "a", "link.tf"));
    fs.symlinkSync("nowhere.tf", path.join(dir, "a", "dangling.tf"));
    fs.symlinkSync("l2", path.join(dir, "l1"));
    fs.symlinkSync("l1", path.join(dir, "l2"));
    const shared = new Roots([dir]);
    const paths = ["a", "a/main.tf", "a/b", "a/b/c.tf", "la", "la/main.tf", "la/b/c.tf", "la/b", "a/link.tf", "la/link.tf", "a/link.tf/x.tf", "a/dangling.tf", "a/dangling.tf/x.tf", "a/none.tf", "none/x.tf", "none/deeper/x.tf", "file.txt/x.tf", "file.txt/y/x.tf", "l1", "l1/x.tf", "la/..", "/", "/tmp"];
    // First each path with nothing cached, then twice with one cache: the last pass answers from it.
    for (let pass = 0; pass < 3; pass++) {
      for (const p of paths) {
        const roots = pass === 0 ? new Roots([dir]) : shared;
        const abs = path.resolve(dir, p);
        let expected: unknown;
        try {
          expected = { ok: true, path: fs.realpathSync.native(abs) };
        } catch (err) {
          expected = { ok: false, code: (err as NodeJS.ErrnoException).code };
        }
        expect([p, roots.realPathOf(abs)]).toEqual([p, expected]);
      }
    }
  });

  it("a cached directory does not let a link beside a file it read lead out of the roots or into /dev", () => {
    const outside = tempTree({ "secret.tf": "CANARY-outside-5678\n", "m/main.tf": "CANARY-outside-5678\n" });
    const dir = tempTree({ "a/main.tf": "x = 1\n" });
    fs.symlinkSync(path.join(outside, "secret.tf"), path.join(dir, "a", "out.tf"));
    fs.symlinkSync("/dev/zero", path.join(dir, "a", "zero.tf"));
    fs.symlinkSync(path.join(outside, "m"), path.join(dir, "a", "mod"));
    const roots = new Roots([dir]);
    for (let pass = 0; pass < 2; pass++) {
      expect(readFileText(path.join(dir, "a", "main.tf"), { roots }).ok).toBe(true);
      expect(readFileBytes(path.join(dir, "a", "out.tf"), { roots })).toMatchObject({ ok: false, refusal: "outside" });
      expect(readFileBytes(path.join(dir, "a", "zero.tf"), { roots })).toMatchObject({ ok: false, refusal: "special" });
      // A file under a linked directory (a module source `./mod`): the directory's link is resolved, and cached resolved.
      expect(readFileBytes(path.join(dir, "a", "mod", "main.tf"), { roots })).toMatchObject({ ok: false, refusal: "outside" });
      expect(roots.realPathOf(path.join(dir, "a", "mod"))).toEqual({ ok: true, path: fs.realpathSync.native(path.join(outside, "m")) });
    }
  });

  it("a directory swapped for a link out of the roots after it was cached is still refused (the opened descriptor is checked)", () => {
    const outside = tempTree({ "main.tf": "CANARY-outside-9012\n" });
    const dir = tempTree({ "a/main.tf": "x = 1\n" });
    const roots = new Roots([dir]);
    expect(readFileText(path.join(dir, "a", "main.tf"), { roots }).ok).toBe(true);
    fs.renameSync(path.join(dir, "a"), path.join(dir, "was-a"));
    fs.symlinkSync(outside, path.join(dir, "a"));
    const r = readFileBytes(path.join(dir, "a", "main.tf"), { roots });
    expect(r).toMatchObject({ ok: false, refusal: "outside" });
    expect(JSON.stringify(r)).not.toContain("CANARY");
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
