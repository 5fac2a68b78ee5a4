// Terragrunt's functions (its documentation's "Functions" reference), beside Terraform's: a
// Terragrunt configuration's scope provides them on top of src/terraform/functions/. Nothing
// here runs a command, reads the process environment or calls AWS:
// - get_env(NAME[, DEFAULT]) reads `--tg-env NAME=VALUE` only (in CI the environment holds
//   credentials), else its default, else it is unknown;
// - run_cmd, sops_decrypt_file, the AWS account look-ups, get_platform, get_working_dir and the
//   command-dependent ones are unknown;
// - paths (find_in_parent_folders, get_terragrunt_dir, path_relative_to_include…) and the
//   readers (read_terragrunt_config, read_tfvars_file) follow Terragrunt's parsing context (see
//   config.ts); every file read goes through the loader's read function (session.ts).

import fs from "node:fs";
import path from "node:path";
import { functions as terraformFunctions, type TfFunction } from "../terraform/functions/index.js";
import { evaluate } from "../terraform/evaluate.js";
import { EMPTY_SCOPE } from "../terraform/module.js";
import { Failure, ObjectValue, Unknown, isWhollyKnown, unknown, type Value } from "../terraform/values.js";
import { gitTopOf } from "../files/read.js";
import { CONFIG_NAMES, TgConfig, deepMerge } from "./config.js";

/** get_repo_root() and its kin in a unit outside any git work tree (a tarball, a CI artifact): its message names only the directory. */
export class NotInGitRepository extends Failure {}

/** The relative path from `from` to `to`, with `/`, "." when equal (as Go's filepath.Rel). */
function rel(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join("/") || ".";
}

/** Arguments known as strings (`ok`), or the function's result when they are not (`result`). */
function strings(args: Value[], name: string, min: number, max: number): { ok: string[] } | { result: Value } {
  if (args.length < min || args.length > max) return { result: new Failure(`${name}() takes ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}`) };
  for (const a of args) if (a instanceof Failure) return { result: a };
  for (const a of args) if (a instanceof Unknown) return { result: unknown("dynamic", `${name}(…)`) };
  const out: string[] = [];
  for (const a of args) {
    if (typeof a !== "string") return { result: new Failure(`${name}() takes strings`) };
    out.push(a);
  }
  return { ok: out };
}

/** Functions that depend on what a static scan cannot know: the machine, a command, AWS, the run. */
const NOT_KNOWN = [
  "run_cmd",
  "sops_decrypt_file",
  "get_aws_account_id",
  "get_aws_account_alias",
  "get_aws_caller_identity_arn",
  "get_aws_caller_identity_user_id",
  "get_platform",
  "get_working_dir",
  "get_terraform_command",
  "get_terraform_cli_args",
  "get_terragrunt_source_cli_flag",
  "get_default_retryable_errors",
  "get_terraform_commands_that_need_vars",
  "get_terraform_commands_that_need_input",
  "get_terraform_commands_that_need_locking",
  "get_terraform_commands_that_need_parallelism",
  "constraint_check",
  "mark_glob_as_read",
];

/** The function table a Terragrunt configuration adds to Terraform's. */
export function terragruntFunctions(cfg: TgConfig): Record<string, TfFunction> {
  const out: Record<string, TfFunction> = {};
  const configDir = () => path.dirname(cfg.ctx.configPath);
  for (const name of NOT_KNOWN) {
    out[name] = (args) => args.find((a): a is Failure => a instanceof Failure) ?? unknown("function", `${name}(…)`);
  }

  out.get_env = (args) => {
    const r = strings(args, "get_env", 1, 2);
    if ("result" in r) return r.result;
    const s = r.ok;
    const given = cfg.session.options.env.get(s[0]);
    if (given !== undefined) return given;
    if (s.length === 2) return s[1];
    return unknown("variable", `get_env("${s[0]}")`);
  };

  out.find_in_parent_folders = (args) => {
    const r = strings(args, "find_in_parent_folders", 0, 2);
    if ("result" in r) return r.result;
    const s = r.ok;
    const name = s[0] || "terragrunt.hcl";
    let previous = configDir();
    for (let i = 0; i < 128; i++) {
      const current = path.dirname(previous);
      if (current === previous) break;
      const candidate = path.join(current, name);
      if (cfg.session.exists(candidate)) return candidate;
      previous = current;
    }
    if (s.length === 2) return s[1];
    return new Failure(`find_in_parent_folders(): no ${name} in the folders above ${cfg.session.display(configDir())}`);
  };

  out.get_terragrunt_dir = (args) => (args.length === 0 ? configDir() : new Failure("get_terragrunt_dir() takes no arguments"));
  out.get_original_terragrunt_dir = () => path.dirname(cfg.ctx.originalPath);
  out.get_parent_terragrunt_dir = (args) => {
    const r = strings(args, "get_parent_terragrunt_dir", 0, 1);
    if ("result" in r) return r.result;
    const s = r.ok;
    const inc = cfg.selectedInclude(s[0]);
    if (!inc) return configDir();
    return inc.path !== undefined ? path.dirname(inc.path) : unknown("dynamic", "get_parent_terragrunt_dir()");
  };
  out.path_relative_to_include = (args) => {
    const r = strings(args, "path_relative_to_include", 0, 1);
    if ("result" in r) return r.result;
    const s = r.ok;
    const inc = cfg.selectedInclude(s[0]);
    if (!inc) return ".";
    return inc.path !== undefined ? rel(path.dirname(inc.path), configDir()) : unknown("dynamic", "path_relative_to_include()");
  };
  out.path_relative_from_include = (args) => {
    const r = strings(args, "path_relative_from_include", 0, 1);
    if ("result" in r) return r.result;
    const s = r.ok;
    const inc = cfg.selectedInclude(s[0]);
    if (!inc) return ".";
    return inc.path !== undefined ? rel(configDir(), path.dirname(inc.path)) : unknown("dynamic", "path_relative_from_include()");
  };

  const repoRoot = (): string | Value => gitTopOf(configDir()) ?? new NotInGitRepository(`${cfg.session.display(configDir())} is not in a git work tree`);
  out.get_repo_root = () => repoRoot();
  out.get_path_from_repo_root = () => {
    const r = repoRoot();
    return typeof r === "string" ? rel(r, configDir()) : r;
  };
  out.get_path_to_repo_root = () => {
    const r = repoRoot();
    return typeof r === "string" ? rel(configDir(), r) : r;
  };

  out.mark_as_read = (args) => {
    const r = strings(args, "mark_as_read", 1, 1);
    return "result" in r ? r.result : r.ok[0];
  };

  out.read_terragrunt_config = (args) => {
    if (args.length < 1 || args.length > 2) return new Failure(`read_terragrunt_config() takes 1 or 2 arguments, got ${args.length}`);
    const [p, fallback] = args;
    if (p instanceof Failure) return p;
    if (p instanceof Unknown) return unknown("dynamic", "read_terragrunt_config(…)");
    if (typeof p !== "string") return new Failure("read_terragrunt_config() takes a path");
    let target = path.resolve(configDir(), p);
    try {
      if (fs.statSync(target).isDirectory()) target = CONFIG_NAMES.map((n) => path.join(target, n)).find((f) => fs.existsSync(f)) ?? path.join(target, CONFIG_NAMES[0]);
    } catch {
      // not there: below
    }
    if (cfg.depth >= 8) return unknown("dynamic", "read_terragrunt_config(…)");
    const file = cfg.session.parse(target);
    if (!file) return fallback !== undefined ? fallback : new Failure(`read_terragrunt_config(): cannot read ${cfg.session.display(target)}`);
    const read = new TgConfig(target, file, { configPath: target, originalPath: cfg.ctx.originalPath }, cfg.session, cfg.depth + 1);
    return read.asValue();
  };

  out.read_tfvars_file = (args) => {
    const r = strings(args, "read_tfvars_file", 1, 1);
    if ("result" in r) return r.result;
    const s = r.ok;
    const target = path.resolve(configDir(), s[0]);
    const file = cfg.session.parse(target);
    if (!file) return new Failure(`read_tfvars_file(): cannot read ${cfg.session.display(target)}`);
    const obj = new ObjectValue();
    for (const a of file.body.attributes) obj.set(a.name, evaluate(a.expr, EMPTY_SCOPE));
    // Terragrunt returns the variables as a JSON string (read with jsondecode).
    if (!isWhollyKnown(obj)) return unknown("dynamic", "read_tfvars_file(…)");
    return terraformFunctions.jsonencode([obj], cfg.functionContext);
  };

  out.deep_merge = (args) => {
    let acc: Value = new ObjectValue();
    for (const a of args) {
      if (a === null) continue;
      if (a instanceof Failure) return a;
      if (a instanceof Unknown) return unknown("dynamic", "deep_merge(…)");
      acc = deepMerge(acc, a);
    }
    return acc;
  };
  return out;
}
