// The command-line options `scan` and `audit` share (SPEC section 2), declared once, with the
// environment variables that set them (the command line wins), the help's examples and exit
// codes. Only commander here: this module loads at start-up.

import { Option, type Command } from "commander";

export const collect = (v: string, prev: string[]) => [...prev, v];

/** `--format` and `--output` in the order given: each `--output` writes the report of a `--format` (see resolveOutputs). */
export type OutputToken = { kind: "format"; value: string } | { kind: "output"; value: string };

/** The environment variables of the common options (documented in the README and in `--help`). */
export const ENVIRONMENT: ReadonlyArray<[string, string]> = [
  ["SECRETLINT_FORMAT", "--format"],
  ["SECRETLINT_CONFIG", "--config"],
  ["SECRETLINT_FAIL_ON", "--fail-on"],
  ["SECRETLINT_ONLY", "--only (comma-separated)"],
  ["SECRETLINT_DISABLE", "--disable (comma-separated)"],
  ["SECRETLINT_BASELINE", "--baseline"],
  ["SECRETLINT_SARIF_FILE", "--sarif-file"],
  ["SECRETLINT_EXCLUDE", "--exclude (comma-separated)"],
  ["SECRETLINT_DATA_PLANE_REGION", "--data-plane-region"],
];

/**
 * Adds the common options to a command. `terraformOf` names where Terraform comes from in the
 * help text ("" for scan's own paths, "--tf " for audit).
 */
export function addCommonOptions(cmd: Command, help: { configFrom: string; terraformOf: string }): Command {
  const tf = help.terraformOf;
  // `--format` and `--output` share one list, in the order given, so each --output pairs with its --format.
  const outputs: OutputToken[] = [];
  const format = (value: string) => (outputs.push({ kind: "format", value }), outputs);
  const output = (value: string) => (outputs.push({ kind: "output", value }), outputs);
  return cmd
    .addOption(new Option("-f, --format <format>", "text, compact, json, sarif or github (default text); repeat it, each with its own --output, for several reports").argParser(format).env("SECRETLINT_FORMAT"))
    .addOption(new Option("-o, --output <file>", "write the report of the --format before it to a file (default: standard output)").argParser(output))
    .addOption(new Option("--sarif-file <file>", "also write SARIF to a file").env("SECRETLINT_SARIF_FILE"))
    .option("--sarif-category <name>", "SARIF category (automationDetails.id NAME/), one per upload of a repository's code scanning (default: scan/secretlint or audit/secretlint)")
    .addOption(new Option("-c, --config <file>", `configuration file (default: secretlint.config.yaml found upward from ${help.configFrom})`).env("SECRETLINT_CONFIG"))
    .addOption(new Option("--fail-on <level>", "exit 1 on findings at or above: error, warning, note, never (default warning)").env("SECRETLINT_FAIL_ON"))
    .addOption(new Option("--only <ids>", "run only these rules: ids or families (sym/*), comma-separated or repeated").argParser(collect).default([]).env("SECRETLINT_ONLY"))
    .option("--preset <names>", "rule sets: integrations (default), fsbp, all; several with commas (replaces the configuration's extends)", collect, [])
    .option("--controls-out <file>", "write the per-control summary of the preset's frameworks as JSON")
    .option("--rule <id=level>", "set a rule's (or family's) level: error, warning, note or off (repeatable)", collect, [])
    .addOption(new Option("--disable <ids>", "turn rules off: ids or families (sym/*), comma-separated or repeated").argParser(collect).default([]).env("SECRETLINT_DISABLE"))
    .addOption(new Option("--baseline <file>", "hide the findings recorded in a baseline file").env("SECRETLINT_BASELINE"))
    .option("--write-baseline <file>", "record the findings of this run in a baseline file (with --baseline: only those it hides), and exit 0")
    .option("--include-suppressed", "also report findings hidden by secretlint:ignore comments and the baseline")
    .option("--color", "colour the text report even when not on a terminal (also FORCE_COLOR=1)")
    .option("--no-color", "no colour (also NO_COLOR)")
    .option("-q, --quiet", "print nothing when there is no finding")
    .option("--var <name=value>", `set a ${tf}root module variable (repeatable)`, collect, [])
    .option("--var-file <file>", `read ${tf}root module variables from a file (repeatable)`, collect, [])
    .option("--tg-env <name=value>", "a value for Terragrunt's get_env(NAME) (repeatable; the process environment is never read)", collect, [])
    .addOption(new Option("--data-plane-region <region>", "the Flyte/Union data plane's region").env("SECRETLINT_DATA_PLANE_REGION"))
    .addOption(new Option("--exclude <glob>", `skip ${tf}paths matching a glob (repeatable)`).argParser(collect).default([]).env("SECRETLINT_EXCLUDE"))
    .option("--allow-partial", "exit 0/1 even when part of the input could not be read (exit 2 otherwise)")
    .option("--dump-inventory", "print the inventory (what secretlint understood) as JSON, and exit")
    .option("--debug", "show stack traces of internal errors");
}

/** Splits comma-separated values of a repeatable option (`--only sym/*,iam/*`, or the environment's one string). */
export function splitList(values: string[]): string[] {
  return values.flatMap((v) => v.split(",")).map((s) => s.trim()).filter(Boolean);
}

/** The help's closing part for scan and audit: exit codes, environment, examples. */
export function helpAfter(examples: string[]): string {
  const env = ENVIRONMENT.map(([k, o]) => `  ${k.padEnd(30)} ${o}`).join("\n");
  return `
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  a usage, configuration or input error, or a partial run (unless --allow-partial)

Environment (the command line wins):
${env}
  FORCE_COLOR, NO_COLOR            colour on (FORCE_COLOR=1) or off (NO_COLOR, FORCE_COLOR=0)

Examples:
${examples.map((e) => `  ${e}`).join("\n")}
`;
}
