// Checking a Terraform fix before it is offered: the edited files are evaluated again (read
// from memory, nothing written) and every resource of every module instance must evaluate as
// before — its arguments, its region and the tags AWS would give it (provider default_tags
// included) — except the tags the fixes set, on the secrets they are for. A written value that
// also feeds something else (a local used in a name as well as in a tag, a tfvars value passed
// to two modules) changes more than the tag: that fix is not certain, and is not offered.

import { emptyInventory } from "../inventory/model.js";
import type { TagChange } from "../engine/fix.js";
import { buildContext, type IdOptions } from "../sources/terraform/context.js";
import { effectiveTags } from "../sources/terraform/secrets.js";
import { withSourceOverlay } from "../terraform/config.js";
import type { Project, ProjectOptions } from "../terraform/project.js";
import { openProject } from "../terraform/stream.js";
import { Failure, ObjectValue, Unknown, type Value } from "../terraform/values.js";
import { terragruntUnits } from "../terragrunt/project.js";

/** What a resource evaluates to, as comparable text; tags apart (`tags`: those AWS would give it). */
interface Evaluated {
  id: string;
  rest: string;
  tags: Value;
}

/** Every resource instance of a project, by root directory and address. */
function evaluated(project: Project, ids: IdOptions): Map<string, Evaluated> {
  const ctx = buildContext(project, emptyInventory(), ids);
  const out = new Map<string, Evaluated>();
  for (const inst of ctx.instances) {
    const key = `${inst.module.rootModuleDir}\u0000${inst.mode}\u0000${inst.address}`;
    const aws = inst.mode === "managed" && inst.type.startsWith("aws_");
    const rest: Record<string, unknown> = { region: comparable(inst.region) };
    for (const [k, v] of inst.value.entries) if (!(aws && k === "tags")) rest[k] = comparable(v);
    out.set(key, { id: ctx.idOf(inst), rest: JSON.stringify(rest), tags: aws ? effectiveTags(inst) : null });
  }
  return out;
}

/**
 * Every resource instance of the Terraform under a directory (with Terragrunt units), one root
 * module at a time: the memory of the largest root, as the scan.
 */
function evaluatedByRoot(rootDir: string, options: ProjectOptions, ids: IdOptions): Map<string, Evaluated> {
  const stream = openProject(rootDir, options, terragruntUnits());
  const fixedIds: IdOptions = { ...ids, alwaysPrefix: ids.alwaysPrefix === true || stream.rootCount > 1 };
  const out = new Map<string, Evaluated>();
  for (let i = 0; i < stream.rootCount; i++) {
    const root = stream.root(i);
    if (root) for (const [k, v] of evaluated({ ...stream.project, roots: [root] }, fixedIds)) out.set(k, v);
    stream.release(i);
  }
  return out;
}

/** A value as plain data with sorted keys (maps are unordered), errors without their wording. */
function comparable(v: Value | undefined): unknown {
  if (v === undefined) return { $absent: true };
  if (v instanceof Failure) return { $error: true };
  if (v instanceof Unknown) {
    const out: Record<string, unknown> = { $unknown: v.reason };
    if (v.template) out.template = v.template.map((p) => (typeof p === "string" ? p : comparable(p)));
    if (v.json !== undefined) out.json = comparable(v.json);
    return out;
  }
  if (Array.isArray(v)) return v.map(comparable);
  if (v instanceof ObjectValue) {
    const out: Record<string, unknown> = {};
    for (const k of v.keys().sort()) out[k] = comparable(v.get(k));
    return out;
  }
  return v;
}

/** The tags expected after the change: those before, with the fixed keys set. */
function expectedTags(before: Value, changes: TagChange[]): unknown {
  const obj = before instanceof ObjectValue ? new ObjectValue(before.entries) : before === null ? new ObjectValue() : undefined;
  if (!obj) return comparable(before);
  for (const c of changes) obj.set(c.key, c.value);
  return comparable(obj);
}

export interface VerifyInput {
  projects: Project[];
  options: ProjectOptions;
  /** How entity ids were made in the scan (several scan paths prefix them). */
  ids: IdOptions;
  /** New texts of the edited files, by absolute path. */
  texts: ReadonlyMap<string, string>;
  /** The tag changes the edits should make, and nothing else. */
  changes: TagChange[];
}

/** Undefined when the edits change exactly the expected tags; else what else they change. */
export function verifyEdits(input: VerifyInput): string | undefined {
  const bySecret = new Map<string, TagChange[]>();
  for (const c of input.changes) bySecret.set(c.secret, [...(bySecret.get(c.secret) ?? []), c]);
  const touched = new Set<string>();
  for (const project of input.projects) {
    // A scanned directory's roots were let go one by one (terraform/stream.ts): evaluated again
    // the same way; a plan's source project keeps its roots.
    const before = project.roots.length > 0 ? evaluated(project, input.ids) : evaluatedByRoot(project.rootDir, input.options, input.ids);
    const after = withSourceOverlay(input.texts, () => evaluatedByRoot(project.rootDir, input.options, input.ids));
    if (before.size !== after.size) return "the edited configuration declares other resources";
    for (const [key, b] of before) {
      const a = after.get(key);
      if (!a) return `${key.split("\u0000")[2]} is gone after the edit`;
      const address = key.split("\u0000")[2];
      if (a.rest !== b.rest) return `the edit changes \`${address}\` beyond its tags`;
      const changes = bySecret.get(b.id);
      const want = changes ? expectedTags(b.tags, changes) : comparable(b.tags);
      if (JSON.stringify(comparable(a.tags)) !== JSON.stringify(want)) return changes ? `the edit does not set the tags of \`${address}\` as intended` : `the edit changes the tags of \`${address}\``;
      if (changes) touched.add(b.id);
    }
  }
  for (const id of bySecret.keys()) if (!touched.has(id)) return `the secret ${id} was not found again after the edit`;
  return undefined;
}

