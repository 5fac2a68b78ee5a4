// A project read one root module at a time, for scans: memory grows with the largest root
// module (its module tree), not with the scanned tree.
//
// loadProject (project.ts) parses every module directory, then makes every root: every syntax
// tree and module instance of the tree is in memory at once. openProject finds the same roots
// without keeping the trees: one walk of the tree (Terraform, Terragrunt and, for the scan, app
// configurations), each file read once under the reading policy (the texts are kept until their
// directory is parsed: a tenth of their trees); only the module blocks of the files that may
// hold one are parsed (src/hcl/skim.ts finds them; a file it cannot follow is parsed whole) to
// learn which modules call which (a module called through a local source is not a root).
// Then each root is made when asked for (`root(i)`): its module configurations are parsed as
// its evaluation reaches them, kept while a root still to come may call them, and let go when
// `release(i)` says its collection is done. `sweep()` parses the module directories no root
// reached, so every directory is read (its parse errors, its checks) once.
//
// The roots, their order, the configurations and the values are those of loadProject: the
// collectors cannot tell the two apart (test/terraform/stream.test.ts compares them).
// Terragrunt units are still composed when the project is opened, as loadProject does; their
// configurations stay in memory with their roots.

import path from "node:path";
import { findFilesByDir } from "../files/walk.js";
import type { Block, Diagnostic, File } from "../hcl/ast.js";
import { parseHcl } from "../hcl/parser.js";
import { topLevelBlockSpans } from "../hcl/skim.js";
import { isTerraformFile, listTerraformFiles, loadModuleConfig, moduleConfigOf, parseTerraformFile, readSourceFile, type ModuleConfig, type ModuleFileRead } from "./config.js";
import { ModuleInstance } from "./module.js";
import {
  isLocalSource,
  moduleSources,
  rootVariables,
  projectStart,
  sourceOf,
  unreachableCycles,
  variablesBudgetNotice,
  variablesFilesOf,
  type ModuleFailure,
  type Project,
  type ProjectExtension,
  type ProjectExtensionResult,
  type ProjectOptions,
} from "./project.js";

/** What a scan does with each module configuration, the first time it is parsed. */
export interface StreamHooks {
  /**
   * `atLoad`: a directory loadProject would have loaded before any evaluation (found by the walk,
   * or composed into a Terragrunt unit); `checked`: its syntax is checked (Project.checkedConfigs).
   */
  onConfig?(config: ModuleConfig, how: { atLoad: boolean; checked: boolean }): void;
  /** Other names the one walk of the tree finds (app configurations): by directory in `otherFound`. */
  alsoFind?(name: string): boolean;
  /** Files read so far (each directory's, as the project opens): for progress. */
  onRead?(files: number): void;
}

export interface ProjectStream {
  /**
   * The project as the collectors see it. `roots` is empty (they come one at a time), `modules`
   * holds the configurations in memory now, `checkedConfigs` only the Terragrunt compositions,
   * `inputFiles` the variables files read so far.
   */
  readonly project: Project;
  /** How many root modules, in loadProject's order. */
  readonly rootCount: number;
  /** Files of other kinds the walk found (StreamHooks.alsoFind), by directory, in walk order. */
  readonly otherFound: ReadonlyMap<string, string[]>;
  /** Every module directory loaded (the module count of the scan). */
  readonly loadedDirs: ReadonlySet<string>;
  /** The i-th root module instance, made now; undefined when its directory could not be loaded (a failure says why). */
  root(i: number): ModuleInstance | undefined;
  /** The i-th root's collection is done: lets go of what no root to come needs. */
  release(i: number): void;
  /** Parses the module directories no root reached (each once), and lets them go. */
  sweep(): void;
  /** The configurations a Terragrunt extension composed (checked in place of the directories it owns), in order. */
  readonly composedConfigs: readonly ModuleConfig[];
  /** The directories loaded before any evaluation (found, then composed by an extension), in loadProject's order: for parse errors. */
  loadTimeDirs(): string[];
  /** The module directories whose syntax is checked, in order (those loaded before any evaluation and not owned by an extension). */
  checkedDirs(): string[];
  /** The project at the end: declared variables of every root, every variables file read. */
  finish(): Project;
}

/**
 * Whether a Terraform file's text may hold a `module` block: the word `module` on its own (not
 * part of a longer name, not `module.x` in a reference). A file without it declares no module
 * call. Over-approximate by design (comments and strings count): such a file is parsed to know.
 */
const MAY_HOLD_MODULE_BLOCK = /(?<![\w.-])module(?![\w.-])/;

/**
 * A file's top-level `module` blocks as far as the survey needs them (labels and `source`),
 * each parsed alone from where src/hcl/skim.ts finds it: its header and its `source` line (or
 * the whole block, when only that says). Undefined when the file is to be parsed whole to know
 * them: the skim does not follow it, or what it found does not parse cleanly alone.
 */
export function moduleBlocksOf(text: string, shown: string): Block[] | undefined {
  const spans = topLevelBlockSpans(text, "module", "source");
  if (!spans) return undefined;
  const blocks: Block[] = [];
  for (const span of spans) {
    const { start, end, bodyStart, attribute, whole } = span;
    const part = whole ? text.slice(start, end) : `${text.slice(start, bodyStart)}\n${attribute ? text.slice(attribute.start, attribute.end) : ""}\n}\n`;
    const parsed = parseHcl(part, shown);
    if (parsed.diagnostics.length > 0 || parsed.body.blocks.length !== 1 || parsed.body.attributes.length > 0) return undefined;
    blocks.push(parsed.body.blocks[0]);
  }
  return blocks;
}

/** Source characters of parsed files kept from the first reading for the evaluation (small trees parse once). */
const SURVEY_CACHE_CHARS = 1 << 20;

export function openProject(dir: string, options: ProjectOptions = {}, extension?: ProjectExtension, hooks: StreamHooks = {}): ProjectStream {
  const { rootDir, displayRoot, display, readRoots, fileNotices, notice } = projectStart(dir, options);

  // One walk of the tree: modules, the extension's files, other kinds.
  const variablesFiles = new Map<string, string[]>();
  const walked = findFilesByDir(rootDir, options.exclude ?? [], (name) => isTerraformFile(name) !== null || extension?.accepts(name) === true || hooks.alsoFind?.(name) === true, {
    roots: readRoots,
    notices: fileNotices,
    onListing: variablesFilesOf(variablesFiles),
  });
  const found = new Map<string, string[]>();
  const extensionFound = new Map<string, string[]>();
  const otherFound = new Map<string, string[]>();
  for (const [dir, names] of walked) {
    const tf = names.filter((n) => isTerraformFile(n) !== null);
    if (tf.length > 0) found.set(dir, tf);
    const ext = extension ? names.filter((n) => extension.accepts(n)) : [];
    if (ext.length > 0) extensionFound.set(dir, ext);
    const other = hooks.alsoFind ? names.filter((n) => hooks.alsoFind!(n)) : [];
    if (other.length > 0) otherFound.set(dir, other);
  }

  // Each file read once; the module blocks of the files that may declare module calls parsed (whole files' trees kept while small).
  const reads = new Map<string, ModuleFileRead[]>();
  const surveyed = new Map<string, File>(); // absolute path → tree: the first ones read, up to SURVEY_CACHE_CHARS
  let surveyedChars = 0;
  const failures: ModuleFailure[] = [];
  const dirs: string[] = [];
  const calls = new Map<string, string[]>();
  const called = new Set<string>();
  let filesRead = 0;
  for (const [dir, names] of found) {
    try {
      const list: ModuleFileRead[] = names.map((name) => ({ name, read: readSourceFile(path.join(dir, name), readRoots) }));
      // A module block per name, the last one winning (as collectDeclarations keeps them).
      const moduleBlocks = new Map<string, Block>();
      for (const f of list) {
        if (!f.read.ok || (isTerraformFile(f.name) !== "json" && !MAY_HOLD_MODULE_BLOCK.test(f.read.text))) continue;
        const abs = path.join(dir, f.name);
        // Most files: their module blocks alone, parsed where the skim finds them; the file is parsed once, when its directory is loaded.
        let blocks = isTerraformFile(f.name) === "native" ? moduleBlocksOf(f.read.text, display(abs)) : undefined;
        if (!blocks) {
          const file = parseTerraformFile(f.name, f.read.text, display(abs));
          blocks = file.body.blocks.filter((b) => b.blockType === "module");
          // The first trees are kept, not the last: roots are evaluated in the order read, so the
          // first are used (and let go) first, and the rest are parsed again when their root comes.
          if (surveyedChars + f.read.text.length <= SURVEY_CACHE_CHARS) {
            surveyed.set(abs, file);
            surveyedChars += f.read.text.length;
          }
        }
        for (const block of blocks) {
          const l0 = block.labels[0]?.value;
          if (l0) moduleBlocks.set(l0, block);
        }
      }
      // Modules called through a local source by another module of the scan are not roots.
      const targets: string[] = [];
      for (const block of moduleBlocks.values()) {
        const source = sourceOf(block);
        // (A module calling its own directory stays a root: the call is refused as recursive.)
        if (!isLocalSource(source)) continue;
        const target = path.resolve(dir, source);
        if (target === path.resolve(dir)) continue;
        called.add(target);
        targets.push(target);
      }
      calls.set(dir, targets);
      reads.set(dir, list);
      filesRead += list.length;
      hooks.onRead?.(filesRead);
      dirs.push(dir);
    } catch (error) {
      // A bug reading one directory costs that directory, not the scan.
      failures.push({ stage: "load", module: display(dir), address: "", error });
    }
  }
  // Modules that call each other (Terraform rejects the cycle) would have no root to reach
  // them: each member of such a cycle is evaluated as a root once, with a notice.
  const cycleRoots = new Set<string>();
  for (const cycle of unreachableCycles(dirs, calls, called)) {
    for (const d of cycle) cycleRoots.add(d);
    notice({
      path: cycle[0],
      message: `modules call each other in a cycle (${[...cycle, cycle[0]].map(display).join(" → ")}), which Terraform rejects; each was evaluated as a root module`,
      partial: false,
    });
  }

  // Configurations in memory, and how many roots still to come may call each.
  const modules = new Map<string, ModuleConfig>();
  const loadedDirs = new Set<string>();
  const seenConfig = new Set<string>();
  const pinned = new Set<string>();
  let loading: "extension" | "roots" = "extension";
  const extensionLoaded: string[] = [];
  const loadedByExtension: ModuleConfig[] = [];
  let owned: ReadonlySet<string> = new Set();
  const load = (dir: string): ModuleConfig => {
    let c = modules.get(dir);
    if (c) return c;
    const list = reads.get(dir);
    // A scanned directory leaves out its ignored and excluded files; a module reached only
    // through a call (downloaded, or elsewhere in the repository) is read whole, as Terraform reads it.
    c = list
      ? moduleConfigOf(
          dir,
          list.map((f) => {
            const abs = path.join(dir, f.name);
            const parsed = surveyed.get(abs);
            if (!parsed) return f;
            surveyed.delete(abs);
            surveyedChars -= parsed.source.length;
            return { ...f, parsed };
          }),
          display,
        )
      : loadModuleConfig(dir, found.get(dir) ?? listTerraformFiles(dir), display, readRoots);
    // The texts live on in the configuration while it is in memory; read again if it is loaded again.
    reads.delete(dir);
    modules.set(dir, c);
    loadedDirs.add(dir);
    if (loading === "extension") {
      pinned.add(dir);
      if (!found.has(dir)) extensionLoaded.push(dir);
    }
    if (!seenConfig.has(dir)) {
      seenConfig.add(dir);
      // While the extension loads, what it owns is not known yet: those are told once it is done.
      if (loading === "extension") loadedByExtension.push(c);
      else hooks.onConfig?.(c, { atLoad: found.has(dir), checked: found.has(dir) && !owned.has(dir) });
    }
    return c;
  };
  const sources = moduleSources(readRoots, load, notice, display, displayRoot);
  const varsBudgetNotice = variablesBudgetNotice(notice);

  const diagnostics: Diagnostic[] = [];
  const inputFiles = new Map<string, File>();
  const project: Project = {
    rootDir,
    modules,
    roots: [],
    diagnostics,
    display,
    failures,
    inputFiles: [],
    checkedConfigs: [],
    extraFiles: [],
    notices: [],
    undeclaredVars: [],
    declaredVars: [],
    fileNotices,
    readRoots,
  };
  const ext: ProjectExtensionResult = extension
    ? extension.load({
        rootDir,
        options,
        display,
        load,
        found,
        extensionFound,
        sources,
        diagnostics,
        readRoots,
        fileNotice: notice,
        rootVariables: (config, base) => rootVariables(config, options, diagnostics, display, inputFiles, readRoots, base, varsBudgetNotice),
      })
    : { ownedDirs: new Set(), roots: [], configs: [], files: [], notices: [] };
  loading = "roots";
  owned = ext.ownedDirs;
  // As loadProject's checkedConfigs: every directory loaded so far that the extension does not own.
  for (const c of loadedByExtension) hooks.onConfig?.(c, { atLoad: true, checked: !owned.has(c.dir) });
  project.checkedConfigs = ext.configs;
  project.extraFiles = ext.files;
  project.notices = ext.notices;
  for (const f of ext.failures ?? []) failures.push(f);

  const rootDirs = dirs.filter((dir) => !((called.has(dir) && !cycleRoots.has(dir)) || owned.has(dir)));
  const rootCount = rootDirs.length + ext.roots.length;

  // For each plain root, the directories its local calls reach (its module tree as written).
  const reach = (dir: string): string[] => {
    const out = new Set<string>([dir]);
    const stack = [dir];
    while (stack.length > 0) {
      const d = stack.pop() as string;
      for (const t of calls.get(d) ?? []) {
        if (out.has(t)) continue;
        out.add(t);
        stack.push(t);
      }
    }
    return [...out];
  };
  const users = new Map<string, number>();
  const reached: string[][] = rootDirs.map((d) => {
    const r = reach(d);
    for (const x of r) users.set(x, (users.get(x) ?? 0) + 1);
    return r;
  });

  const declared = new Set<string>();
  const made = new Set<number>();
  const root = (i: number): ModuleInstance | undefined => {
    made.add(i);
    if (i >= rootDirs.length) {
      const r = ext.roots[i - rootDirs.length];
      for (const v of r.config.variables.keys()) declared.add(v);
      project.inputFiles = [...inputFiles.values()];
      return r;
    }
    const dir = rootDirs[i];
    let config: ModuleConfig;
    try {
      config = load(dir);
    } catch (error) {
      failures.push({ stage: "load", module: display(dir), address: "", error });
      return undefined;
    }
    // Variables files are parsed once whichever roots read them (a --var-file: every root).
    // Plain roots are directories the walk listed: their variables files are known.
    const inputs = rootVariables(config, options, diagnostics, display, inputFiles, readRoots, undefined, varsBudgetNotice, variablesFiles.get(dir) ?? []);
    project.inputFiles = [...inputFiles.values()];
    const r = new ModuleInstance(config, "", inputs.values, sources, new Map(), rootDir);
    for (const [name, origin] of inputs.origins) r.inputOrigins.set(name, origin);
    for (const v of config.variables.keys()) declared.add(v);
    return r;
  };
  const release = (i: number): void => {
    if (i < rootDirs.length) for (const d of reached[i]) users.set(d, (users.get(d) ?? 1) - 1);
    for (const dir of [...modules.keys()]) if (!pinned.has(dir) && (users.get(dir) ?? 0) <= 0) modules.delete(dir);
  };
  const sweep = (): void => {
    for (const dir of dirs) {
      if (seenConfig.has(dir)) continue;
      try {
        load(dir);
      } catch (error) {
        // As loadProject, which loads every directory before any evaluation.
        failures.push({ stage: "load", module: display(dir), address: "", error });
      }
      if (!pinned.has(dir)) modules.delete(dir);
    }
  };
  return {
    project,
    rootCount,
    otherFound,
    loadedDirs,
    root,
    release,
    sweep,
    composedConfigs: ext.configs,
    loadTimeDirs: () => [...dirs, ...extensionLoaded],
    checkedDirs: () => [...dirs, ...extensionLoaded].filter((d) => !owned.has(d)),
    finish(): Project {
      const undeclaredVars = [...new Set((options.vars ?? []).map(([n]) => n))].filter((n) => !declared.has(n));
      project.undeclaredVars = undeclaredVars;
      project.declaredVars = [...declared];
      project.inputFiles = [...inputFiles.values()];
      return project;
    },
  };
}
