// The command-line options `scan` and `audit` share (SPEC section 2), declared once.
// Only commander here: this module loads at start-up.

import { Option, type Command } from "commander";

export const collect = (v: string, prev: string[]) => [...prev, v];

/**
 * Adds the common options to a command. `terraformOf` names where Terraform comes from in the
 * help text ("" for scan's own paths, "--tf " for audit).
 */
export function addCommonOptions(cmd: Command, help: { configFrom: string; terraformOf: string }): Command {
  const tf = help.terraformOf;
  return cmd
    .addOption(new Option("-f, --format <format>", "text, json, sarif or github").default("text"))
    .option("-o, --output <file>", "write the report to a file")
    .option("--sarif-file <file>", "also write SARIF to a file")
    .option("--sarif-category <name>", "SARIF category (automationDetails.id NAME/), one per upload of a repository's code scanning (default: scan/secretlint or audit/secretlint)")
    .option("-c, --config <file>", `configuration file (default: secretlint.config.yaml found upward from ${help.configFrom})`)
    .option("--fail-on <level>", "exit 1 on findings at or above: error, warning, note, never (default warning)")
    .option("--preset <names>", "rule sets: integrations (default), fsbp, all; several with commas (replaces the configuration's extends)", collect, [])
    .option("--controls-out <file>", "write the per-control summary of the preset's frameworks as JSON")
    .option("--rule <id[=level]>", "enable a rule or set its level (repeatable)", collect, [])
    .option("--disable <id>", "disable a rule (repeatable)", collect, [])
    .option("--baseline <file>", "hide findings recorded in a baseline file")
    .option("--write-baseline <file>", "record the current findings in a baseline file")
    .option("--include-suppressed", "also report findings hidden by secretlint:ignore comments")
    .option("--no-color", "no colour in text output")
    .option("-q, --quiet", "print nothing when there is no finding")
    .option("--var <name=value>", `set a ${tf}root module variable (repeatable)`, collect, [])
    .option("--var-file <file>", `read ${tf}root module variables from a file (repeatable)`, collect, [])
    .option("--tg-env <name=value>", "a value for Terragrunt's get_env(NAME) (repeatable; the process environment is never read)", collect, [])
    .option("--data-plane-region <region>", "the Flyte/Union data plane's region")
    .option("--exclude <glob>", `skip ${tf}paths matching a glob (repeatable)`, collect, [])
    .option("--allow-partial", "exit 0/1 even when part of the input could not be read (exit 2 otherwise)")
    .option("--dump-inventory", "print the inventory (what secretlint understood) as JSON, and exit");
}
