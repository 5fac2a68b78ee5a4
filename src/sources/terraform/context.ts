// What every Terraform → inventory collector shares: the evaluated project, all module and
// resource instances, and helpers to turn syntax ranges into origins.

import path from "node:path";
import type { Block, Body, Expression, Range } from "../../hcl/ast.js";
import type { Inventory, Located, Origin } from "../../inventory/model.js";
import { findAttr } from "../../terraform/config.js";
import type { ModuleInstance, ResourceInstance } from "../../terraform/module.js";
import type { Project } from "../../terraform/project.js";
import { evaluate } from "../../terraform/evaluate.js";
import { resourceContext, traceArgument, type Written } from "../../terraform/trace.js";
import type { Value } from "../../terraform/values.js";
import { pushAll } from "../../util/arrays.js";
import { immediateLinks, type Links } from "./links.js";

export interface CollectContext {
  project: Project;
  /**
   * The id of an entity declared by a resource instance: its Terraform address, prefixed by
   * its root module's directory when the scan has several root modules (two roots may declare
   * the same address: `envs/prod:aws_secretsmanager_secret.db`).
   */
  idOf(inst: ResourceInstance): string;
  inventory: Inventory;
  /** Every module instance: roots and their descendants. */
  modules: ModuleInstance[];
  /**
   * The resource, data and ephemeral instances of every module instance: all of them, or, when
   * the context was built for some kinds only (buildContext's `kinds`), those.
   */
  instances: ResourceInstance[];
  /** Where links to secrets are decided (links.ts): at once, or when every root module is in. */
  links: Links;
}

export interface IdOptions {
  /** Prefix ids with the root module's directory even when the project has one root (several scan paths). */
  alwaysPrefix?: boolean;
  /** Directory the prefixes are relative to (default: the project's root). */
  prefixBase?: string;
}

/** A kind of instance a collector reads from CollectContext.instances: `managed aws_iam_role`, `data aws_iam_policy_document`. */
export type InstanceKind = `${ResourceInstance["mode"]} ${string}`;

/**
 * The context of a collection of `project.roots`. Links to secrets are decided at once, among
 * those roots' secrets, unless `links` says otherwise (a scan's one root at a time: links.ts).
 * With `kinds`, only the declarations of those kinds are expanded into `instances` (their
 * count and for_each evaluated, their instances made); the others are evaluated only if an
 * expression refers to them, as Terraform's own graph would need them.
 */
export function buildContext(project: Project, inventory: Inventory, ids: IdOptions = {}, links?: Links, kinds?: ReadonlySet<InstanceKind>): CollectContext {
  const modules: ModuleInstance[] = [];
  for (const root of project.roots) modules.push(root, ...root.descendants());
  const instances: ResourceInstance[] = [];
  const wanted = kinds && ((mode: ResourceInstance["mode"], type: string) => kinds.has(`${mode} ${type}`));
  for (const m of modules) pushAll(instances, m.allResourceInstances(wanted));
  const prefixed = ids.alwaysPrefix === true || project.roots.length > 1;
  const base = ids.prefixBase ?? project.rootDir;
  // The prefix of each root's ids, computed once per root (path.relative is not cheap).
  const prefixes = new Map<string, string>();
  const idOf = (inst: ResourceInstance): string => {
    if (!prefixed) return inst.address;
    const dir = inst.module.rootIdDir;
    let prefix = prefixes.get(dir);
    if (prefix === undefined) {
      const rel = path.relative(base, dir).split(path.sep).join("/");
      prefix = rel && rel !== "." ? `${rel}:` : "";
      prefixes.set(dir, prefix);
    }
    return prefix + inst.address;
  };
  return { project, inventory, modules, instances, idOf, links: links ?? immediateLinks(() => inventory.secrets) };
}

/**
 * An origin for a range in a file (file paths are already relative to the scan root). `module`
 * is the address of the module instance whose file it is, when known (see Origin.module).
 */
export function fileOrigin(file: string, range: Range, address?: string, module?: string): Origin {
  const o: Origin = { file: { path: file, range } };
  if (address) o.address = address;
  if (module !== undefined) o.module = module;
  return o;
}

/** The origin of a whole resource block. */
export function instanceOrigin(inst: ResourceInstance): Origin {
  return fileOrigin(inst.file, inst.block.range, inst.address, inst.module.address);
}

/** The origin of a traced value: where it is written, with the way it went (see trace.ts). */
export function writtenOrigin(w: Written, address?: string): Origin {
  const o: Origin = { file: { path: w.place.file, range: w.place.range, valueRange: w.value } };
  if (address) o.address = address;
  o.module = w.module;
  if (w.flow.length > 0) o.flow = w.flow.map((s) => (s.place ? { file: { path: s.place.file, range: s.place.range }, message: s.message } : { message: s.message }));
  return o;
}

/** An argument of a resource instance, evaluated, with where its value is written (the block when unset). */
export function argument(inst: ResourceInstance, name: string): Located {
  const attr = findAttr(inst.block.body, name);
  const value = inst.value.get(name) as Value;
  return {
    value: value === undefined ? null : value,
    origin: attr ? writtenOrigin(traceArgument(attr, resourceContext(inst), inst.address), inst.address) : instanceOrigin(inst),
  };
}

/** An attribute inside a body (a nested block's body), evaluated in the instance's scope, with where its value is written. */
export function bodyArgument(inst: ResourceInstance, body: Body, name: string): Located | undefined {
  const attr = findAttr(body, name);
  if (!attr) return undefined;
  return { value: evaluate(attr.expr, inst.scope), origin: writtenOrigin(traceArgument(attr, resourceContext(inst), inst.address), inst.address) };
}

/** Nested blocks of a type (not `dynamic` ones) in a body. */
export function blocksOf(body: Body, type: string): Block[] {
  return body.blocks.filter((b) => b.blockType === type);
}

/** The expression of an argument, if set. */
export function argumentExpr(inst: ResourceInstance, name: string): Expression | undefined {
  return findAttr(inst.block.body, name)?.expr;
}
