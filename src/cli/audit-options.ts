// The `audit` command's options (commander only, so `--version` stays fast): shared by the
// CLI and the tests that run the command in-process. The command itself is in audit.ts.

import { Option, type Command } from "commander";
import type { AuditCliOptions } from "./audit.js";

const collect = (v: string, prev: string[]) => [...prev, v];

export function addAuditCommand(program: Command, action: (opts: AuditCliOptions) => Promise<void>): Command {
  return program
    .command("audit")
    .description("audit the live AWS account (--live, read-only) or a recorded snapshot (--snapshot FILE)")
    .option("--live", "read the account of the current AWS credentials")
    .option("--snapshot <file>", "audit a snapshot written by --snapshot-out, offline")
    .option("--regions <r1,r2>", "regions to audit (default: the profile's or AWS_REGION)")
    .option("--profile <name>", "AWS profile (default: the SDK's default credential chain)")
    .option("--role-arn <arn>", "assume this role for the audit")
    .option("--external-id <id>", "external id for --role-arn")
    .option("--read-values", "read secret values (BatchGetSecretValue) to learn their JSON keys; values are never kept")
    .option("--tf <dir>", "cross-check with the Terraform in this directory (locations, drift)")
    .option("--snapshot-out <file>", "write what was read (no values) as a snapshot")
    .option("--endpoint-url <url>", "send every AWS call to this endpoint (also: AWS_ENDPOINT_URL*)")
    .option("--allow-partial", "exit 0/1 even when some calls were denied")
    .option("--timeout <seconds>", "how long one attempt of an AWS call may take (default 20)")
    .addOption(new Option("-f, --format <format>", "text, json, sarif or github").default("text"))
    .option("-o, --output <file>", "write the report to a file")
    .option("--sarif-file <file>", "also write SARIF to a file")
    .option("-c, --config <file>", "configuration file (default: secretlint.config.yaml found upward from --tf or .)")
    .option("--fail-on <level>", "exit 1 on findings at or above: error, warning, note, never (default warning)")
    .option("--rule <id[=level]>", "enable a rule or set its level (repeatable)", collect, [])
    .option("--disable <id>", "disable a rule (repeatable)", collect, [])
    .option("--baseline <file>", "hide findings recorded in a baseline file")
    .option("--write-baseline <file>", "record the current findings in a baseline file")
    .option("--include-suppressed", "also report findings hidden by secretlint:ignore comments")
    .option("--no-color", "no colour in text output")
    .option("-q, --quiet", "print nothing when there is no finding")
    .option("--var <name=value>", "set a root module variable of --tf (repeatable)", collect, [])
    .option("--var-file <file>", "read --tf root module variables from a file (repeatable)", collect, [])
    .option("--data-plane-region <region>", "the Flyte/Union data plane's region")
    .option("--exclude <glob>", "skip --tf paths matching a glob (repeatable)", collect, [])
    .option("--dump-inventory", "print the inventory (what secretlint understood) as JSON, and exit")
    .action(action);
}
