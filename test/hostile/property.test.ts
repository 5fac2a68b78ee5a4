// Property: whatever sits beside the good module — real-world corpus files mutated (bytes
// flipped, cut, repeated, hostile snippets spliced in), written under any input name, links to
// devices, /proc, the machine's root, out of the tree or in loops, FIFOs named like inputs —
// the scan ends (a process-level bound, no timed assertion), exits 0, 1 or 2, keeps the good
// module's finding, says nothing internal and prints nothing from the environment. Trees are
// made at test time. The seed is fixed, so every run tests the same trees; a failure prints
// the seed and path for fc.assert to replay (SECRETLINT_PROPERTY_SEED / _RUNS explore more).

import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { built, canMkfifo, jsonFindings, keptGood, mkfifo, runCli, treeWithGood } from "../helpers/hostile.js";
import { corpusDir, corpusMissingReason, listFiles } from "../helpers/shared.js";

const SEED = Number(process.env.SECRETLINT_PROPERTY_SEED ?? 0x11a77ac);
const RUNS = Number(process.env.SECRETLINT_PROPERTY_RUNS ?? 12);
const CANARY = "CANARY-ENV-3e7b0c52";

const corpus = corpusDir === null ? [] : listFiles(corpusDir, ".tf", ".hcl");

/** Hostile pieces spliced into corpus text (each alone is one of issue 11's attacks). */
const SNIPPETS = [
  '\nlocals {\n  env = file("/proc/self/environ")\n  pw  = templatefile("/etc/passwd", {})\n  z   = filesha256("/dev/zero")\n}\n',
  '\nresource "aws_secretsmanager_secret" "many" {\n  count = 1000000000\n  name  = "m${count.index}"\n  tags  = { SymEnv = file("/proc/self/environ") }\n}\n',
  '\nlocals {\n  r = regex("(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")\n}\n',
  `\nlocals {\n  s = ${Array(3000).fill("1").join("+")}\n}\n`,
  `\nlocals {\n  o = {}\n  d = local.o${".x".repeat(3000)}\n}\n`,
  "[".repeat(2000),
  "{".repeat(2000),
  '"${'.repeat(1000),
  "\u001b]0;title\u0007\u001b[2J\r\nmain.tf:1:1 error forged\u202e",
  "\nlocals {\n  h = <<EOT\n" + "x line\n".repeat(2000) + "EOT\n}\n",
  '\nmodule "loop" {\n  source = "./"\n}\nmodule "up" {\n  source = "../"\n}\n',
  '\nlocals {\n  big = [for i in range(2000) : [for j in range(2000) : j]]\n}\n',
  "\u0000\u0000\ufffe\ud800",
];

/** Names a mutated file may take (every kind of input the scan reads). */
const NAMES = ["main.tf", "x.tf.json", "terraform.tfvars", "a.auto.tfvars.json", "terragrunt.hcl", ".env", "io_config.yml", "task.py", "compose.yml"];
// (Not secretlint.config.yaml: a broken configuration is a user error that stops the run, by design.)
const DIRS = [".", "a", "a/b", "m", "m/n/o"];

type Mutation =
  | { kind: "flip"; at: number; byte: number }
  | { kind: "cut"; at: number }
  | { kind: "repeat"; at: number; len: number; times: number }
  | { kind: "splice"; at: number; snippet: number };

interface FileSpec {
  source: number;
  dir: number;
  name: number;
  mutations: Mutation[];
}

type Special = { kind: "link"; dir: number; name: number; target: number } | { kind: "fifo"; dir: number; name: number };

/** Where links point: devices, kernel files, the machine, out of the tree, back into it, nowhere. */
const LINK_TARGETS = ["/dev/zero", "/dev/urandom", "/proc/self/environ", "/proc", "/", "/etc/passwd", "..", ".", "../../..", "missing", "self", "../good"];

/** A place in a file, as a fraction of its length (fc.double leans to the extremes). */
const fraction = fc.integer({ min: 0, max: 999_999 }).map((n) => n / 1_000_000);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fraction, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("cut" as const), at: fraction }),
  fc.record({ kind: fc.constant("repeat" as const), at: fraction, len: fc.integer({ min: 1, max: 400 }), times: fc.integer({ min: 2, max: 200 }) }),
  fc.record({ kind: fc.constant("splice" as const), at: fraction, snippet: fc.nat(SNIPPETS.length - 1) }),
);

const fileSpec: fc.Arbitrary<FileSpec> = fc.record({
  source: fc.nat(Math.max(0, corpus.length - 1)),
  dir: fc.nat(DIRS.length - 1),
  name: fc.nat(NAMES.length - 1),
  mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
});

const special: fc.Arbitrary<Special> = fc.oneof(
  fc.record({ kind: fc.constant("link" as const), dir: fc.nat(DIRS.length - 1), name: fc.nat(NAMES.length), target: fc.nat(LINK_TARGETS.length - 1) }),
  fc.record({ kind: fc.constant("fifo" as const), dir: fc.nat(DIRS.length - 1), name: fc.nat(NAMES.length - 1) }),
);

const treeSpec = fc.record({ files: fc.array(fileSpec, { minLength: 1, maxLength: 6 }), specials: fc.array(special, { minLength: 0, maxLength: 4 }) });

function mutate(text: Buffer, mutations: Mutation[]): Buffer {
  let b = text;
  for (const m of mutations) {
    const at = Math.floor(m.at * (b.length + 1));
    if (m.kind === "flip" && b.length > 0) {
      b = Buffer.from(b);
      b[Math.min(at, b.length - 1)] = m.byte;
    } else if (m.kind === "cut") b = b.subarray(0, at);
    else if (m.kind === "repeat") {
      const piece = b.subarray(at, at + m.len);
      b = Buffer.concat([b.subarray(0, at), ...Array<Buffer>(m.times).fill(piece), b.subarray(at)]);
    } else if (m.kind === "splice") b = Buffer.concat([b.subarray(0, at), Buffer.from(SNIPPETS[m.snippet]), b.subarray(at)]);
  }
  return b;
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true, maxRetries: 3 });
});

function makeTree(spec: fc.RecordValue<{ files: FileSpec[]; specials: Special[] }>): string {
  const dir = treeWithGood();
  made.push(dir);
  for (const f of spec.files) {
    const file = path.join(dir, DIRS[f.dir], NAMES[f.name]);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, mutate(fs.readFileSync(corpus[f.source]), f.mutations));
  }
  for (const s of spec.specials) {
    const name = s.kind === "link" && s.name === NAMES.length ? "linked" : NAMES[s.name];
    const file = path.join(dir, DIRS[s.dir], name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.rmSync(file, { force: true, recursive: true });
    if (s.kind === "fifo") {
      if (canMkfifo) mkfifo(file);
    } else {
      const target = LINK_TARGETS[s.target];
      fs.symlinkSync(target === "self" ? name : target, file);
    }
  }
  return dir;
}

describe.skipIf(!built || corpus.length === 0)(`random hostile trees${corpus.length === 0 ? ` (skipped: ${corpusMissingReason})` : ""}`, () => {
  it(`always end with the good module's finding, an exit of 0, 1 or 2, and nothing leaked (seed ${SEED}, ${RUNS} trees)`, () => {
    fc.assert(
      fc.property(treeSpec, (spec) => {
        const dir = makeTree(spec);
        const r = runCli(["scan", ".", "-f", "json"], { cwd: dir, env: { SECRETLINT_TEST_CANARY: CANARY } });
        expect(r.timedOut, "the run hung").toBe(false);
        expect([0, 1, 2], `exit ${r.code} (${r.signal}); stderr: ${r.stderr.slice(0, 2000)}`).toContain(r.code);
        expect(r.stderr).not.toMatch(/internal error|Maximum call stack|out of memory|\n\s+at .*:\d+:\d+/);
        expect(keptGood(r.stdout), `good finding lost; stderr: ${r.stderr.slice(0, 2000)}`).toBe(true);
        expect(r.stdout + r.stderr).not.toContain(CANARY);
        expect(r.stdout + r.stderr).not.toMatch(/root:x:0:0/);
        if (process.env.SECRETLINT_PROPERTY_DEBUG) console.log(JSON.stringify(spec), r.code, jsonFindings(r.stdout).length, r.stderr.slice(0, 600));
        fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, RUNS * 60_000);
});
