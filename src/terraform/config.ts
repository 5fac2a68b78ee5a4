// A module's configuration as Terraform reads it: the declarations of every `.tf` and
// `.tf.json` file of one directory, by kind and name, with their syntax trees.

import fs from "node:fs";
import path from "node:path";
import type { Attribute, Block, Body, Diagnostic, File } from "../hcl/ast.js";
import { isStringLiteral, stringLiteralValue } from "../hcl/ast.js";
import { parseHclJson } from "../hcl/json.js";
import { parseHcl } from "../hcl/parser.js";
import { readFileBytes, type Roots } from "../files/read.js";
import { pushAll } from "../util/arrays.js";
import type { Value } from "./values.js";

export interface Declared<T = Block> {
  node: T;
  file: string;
}

export interface ModuleConfig {
  /** Absolute directory. */
  dir: string;
  files: File[];
  /** Parse errors of the module's files. */
  diagnostics: Diagnostic[];
  variables: Map<string, Declared>;
  locals: Map<string, Declared<Attribute>>;
  /** `type.name` → block. */
  resources: Map<string, Declared>;
  /** `type.name` → block (without the `data.` prefix). */
  dataSources: Map<string, Declared>;
  /** `ephemeral` resources (Terraform 1.10+): `type.name` → block. */
  ephemerals: Map<string, Declared>;
  modules: Map<string, Declared>;
  outputs: Map<string, Declared>;
  /** `aws` or `aws.alias` → provider block. */
  providers: Map<string, Declared>;
  /**
   * Names that stand for values from outside the module's files (a Terragrunt-generated file
   * whose text had unknown stretches refers to them); a module instance reads them as roots.
   */
  externalValues?: Map<string, Value>;
}

/** Texts standing for files while a fix is checked (see withSourceOverlay). */
let sourceOverlay: ReadonlyMap<string, string> | undefined;

/**
 * Runs `fn` with some files (absolute paths) read as the given texts instead of their
 * contents on disk: how a fix is evaluated before anything is written (src/fix/verify.ts).
 */
export function withSourceOverlay<T>(texts: ReadonlyMap<string, string>, fn: () => T): T {
  const before = sourceOverlay;
  sourceOverlay = new Map([...(before ?? []), ...[...texts].map(([k, v]) => [path.resolve(k), v] as const)]);
  try {
    return fn();
  } finally {
    sourceOverlay = before;
  }
}

/** The text standing for a file while a fix is checked, if any. */
export function overlaidSource(abs: string): string | undefined {
  return sourceOverlay?.get(path.resolve(abs));
}

/** A source file's text, or why it cannot be read (one line naming no content). */
export type SourceRead = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Reads a file the scan parses (Terraform, and the Terragrunt files, variables files and
 * `file()` targets a Terragrunt configuration names) under the one reading policy
 * (src/files/read.ts): a regular file, inside `roots` when given, no larger than the limit,
 * and text (no NUL byte).
 */
export function readSourceFile(abs: string, roots?: Roots): SourceRead {
  const overlaid = sourceOverlay?.get(path.resolve(abs));
  if (overlaid !== undefined) return { ok: true, text: overlaid };
  const read = readFileBytes(abs, roots ? { roots } : {});
  if (!read.ok) return { ok: false, reason: read.refusal === "missing" ? "cannot read the file: no such file" : read.reason };
  if (read.bytes.includes(0)) return { ok: false, reason: "file holds binary data (a NUL byte), not Terraform; it was not parsed" };
  return { ok: true, text: read.bytes.toString("utf8") };
}

export function isTerraformFile(name: string): "native" | "json" | null {
  if (name.endsWith(".tf.json")) return "json";
  if (name.endsWith(".tf")) return "native";
  return null;
}

/**
 * Reads and parses the Terraform files directly in `dir` (override files included), under the
 * reading policy: a file it refuses is a diagnostic at its first line; the others are still read.
 */
export function loadModuleConfig(dir: string, fileNames?: string[], displayPath: (abs: string) => string = (p) => p, roots?: Roots): ModuleConfig {
  const names = fileNames ?? listTerraformFiles(dir);
  return moduleConfigOf(
    dir,
    names.map((name) => ({ name, read: readSourceFile(path.join(dir, name), roots) })),
    displayPath,
  );
}

/** A file of a module directory as read (see readSourceFile), and its syntax tree when it is parsed already. */
export interface ModuleFileRead {
  name: string;
  read: SourceRead;
  parsed?: File;
}

/** A module's configuration from its files' texts (read under the policy): each parsed, unless given parsed. */
export function moduleConfigOf(dir: string, reads: ModuleFileRead[], displayPath: (abs: string) => string = (p) => p): ModuleConfig {
  const files: File[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { name, read, parsed } of reads) {
    const shown = displayPath(path.join(dir, name));
    if (!read.ok) {
      diagnostics.push(fileDiagnostic(shown, read.reason));
      continue;
    }
    const file = parsed ?? parseTerraformFile(name, read.text, shown);
    files.push(file);
    pushAll(diagnostics, file.diagnostics);
  }
  return collectDeclarations(dir, files, diagnostics);
}

/** Parses a Terraform file's text (`.tf.json` as JSON syntax, anything else as native syntax). */
export function parseTerraformFile(name: string, text: string, shown: string): File {
  return isTerraformFile(name) === "json" ? parseHclJson(text, shown) : parseHcl(text, shown);
}

export function listTerraformFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && isTerraformFile(e.name) !== null)
    .map((e) => e.name)
    .sort();
}

function fileDiagnostic(file: string, message: string): Diagnostic {
  const p = { offset: 0, byte: 0, line: 1, column: 1 };
  return { severity: "error", message, file, range: { start: p, end: p } };
}

export function labelOf(block: Block, i: number): string | undefined {
  return block.labels[i]?.value;
}

/** Builds the declaration maps from parsed files (exported for tests that parse text). */
export function collectDeclarations(dir: string, files: File[], diagnostics: Diagnostic[] = []): ModuleConfig {
  const config: ModuleConfig = {
    dir,
    files,
    diagnostics,
    variables: new Map(),
    locals: new Map(),
    resources: new Map(),
    dataSources: new Map(),
    ephemerals: new Map(),
    modules: new Map(),
    outputs: new Map(),
    providers: new Map(),
  };
  for (const file of files) {
    for (const block of file.body.blocks) {
      const l0 = labelOf(block, 0);
      const l1 = labelOf(block, 1);
      const d = { node: block, file: file.fileName };
      switch (block.blockType) {
        case "variable":
          if (l0) config.variables.set(l0, d);
          break;
        case "locals":
          for (const attr of block.body.attributes) config.locals.set(attr.name, { node: attr, file: file.fileName });
          break;
        case "resource":
          if (l0 && l1) config.resources.set(`${l0}.${l1}`, d);
          break;
        case "data":
          if (l0 && l1) config.dataSources.set(`${l0}.${l1}`, d);
          break;
        case "ephemeral":
          if (l0 && l1) config.ephemerals.set(`${l0}.${l1}`, d);
          break;
        case "module":
          if (l0) config.modules.set(l0, d);
          break;
        case "output":
          if (l0) config.outputs.set(l0, d);
          break;
        case "provider":
          if (l0) {
            const alias = literalAttr(block.body, "alias");
            config.providers.set(alias ? `${l0}.${alias}` : l0, d);
          }
          break;
      }
    }
  }
  return config;
}

export function findAttr(body: Body, name: string): Attribute | undefined {
  for (const a of body.attributes) if (a.name === name) return a;
  return undefined;
}

/** The literal string value of an attribute, when it is a plain string. */
export function literalAttr(body: Body, name: string): string | undefined {
  const a = findAttr(body, name);
  if (a && isStringLiteral(a.expr)) return stringLiteralValue(a.expr);
  return undefined;
}
