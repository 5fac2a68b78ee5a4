// What a scan did not read: module calls to registry or git sources that are not downloaded
// (no `.terraform/modules`, or no `.terragrunt-cache` for a Terragrunt unit). Their outputs are
// unknown and their resources unseen; the scan says so once, with the count and how to
// include them.

import type { ModuleInstance } from "../../terraform/module.js";
import type { Project, ProjectNotice } from "../../terraform/project.js";
import { moduleModelOf } from "./iam.js";

function isLocal(source: string): boolean {
  return source.startsWith("./") || source.startsWith("../");
}

export interface UnreadCall {
  /** Where the module block is (as findings show it), and its line. */
  file: string;
  line: number;
  source: string;
  /** Called from a Terragrunt unit's module. */
  terragrunt: boolean;
}

/**
 * Every module call (each block once: `seen` holds those said already) whose registry or git
 * source is not downloaded, except the modules read through a built-in model (Sym's
 * secretsmgr-addon and runtime-connector): what the rules need of them is known without their files.
 */
export function unreadModuleCalls(project: Project, seen = new Set<string>()): UnreadCall[] {
  const out: UnreadCall[] = [];
  const visit = (m: ModuleInstance, terragrunt: boolean, depth: number): void => {
    if (depth > 16) return;
    for (const name of m.config.modules.keys()) {
      let call;
      try {
        call = m.moduleCall(name);
      } catch {
        continue; // a module that fails is said elsewhere
      }
      if (!call.available && !call.excluded && call.source !== undefined && !isLocal(call.source) && moduleModelOf(call.source) === undefined) {
        const key = `${call.file}\u0000${call.block.range.start.offset}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push({ file: call.file, line: call.block.range.start.line, source: call.source, terragrunt });
        }
      }
      for (const child of call.instances) visit(child, terragrunt, depth + 1);
    }
  };
  for (const r of project.roots) visit(r, r.unitDir !== undefined, 0);
  return out;
}

/** The notice for the calls not read, or undefined when every call was read. */
export function unreadModulesNotice(calls: UnreadCall[]): ProjectNotice | undefined {
  if (calls.length === 0) return undefined;
  const n = calls.length;
  const sorted = [...calls].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const shown = sorted.slice(0, 3).map((c) => `${c.file}:${c.line} \`${c.source}\``).join(", ") + (n > 3 ? `, and ${n - 3} more` : "");
  const how = calls.every((c) => c.terragrunt)
    ? "run `terragrunt init` in those units"
    : calls.some((c) => c.terragrunt)
      ? "run `terraform init` in the root modules (`terragrunt init` in Terragrunt units)"
      : "run `terraform init` in the root modules";
  return {
    level: "note",
    message: `${n} module call${n === 1 ? "" : "s"} to registry or git sources ${n === 1 ? "was" : "were"} not read, as ${n === 1 ? "it is" : "they are"} not downloaded (${shown}): their resources are not checked and their outputs are unknown; ${how} before the scan to include them`,
  };
}
