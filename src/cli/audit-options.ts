// The `audit` command's options (commander only, so `--version` stays fast): shared by the
// CLI and the tests that run the command in-process. The command itself is in audit.ts.

import type { Command } from "commander";
import type { AuditCliOptions } from "./audit.js";
import { addCommonOptions } from "./options.js";

export function addAuditCommand(program: Command, action: (opts: AuditCliOptions) => Promise<void>): Command {
  const cmd = program
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
    .option("--timeout <seconds>", "how long one attempt of an AWS call may take (default 20)")
    .option("--fix", "print the plan of tag changes that fix the findings (each secret, the change, the finding, the AWS CLI command); writes nothing")
    .option("--apply", "make the plan's tag changes with the Resource Groups Tagging API (asks on a terminal; tags are only added or changed)")
    .option("--yes", "with --apply: do not ask");
  return addCommonOptions(cmd, { configFrom: "--tf or .", terraformOf: "--tf " }).action(action);
}
