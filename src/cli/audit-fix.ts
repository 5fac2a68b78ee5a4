// `audit --live --fix` (print the plan, write nothing) and `--apply` (make it, after a
// confirmation on a terminal unless --yes; then read the changed secrets again and report what
// is left). Loaded only when --fix or --apply is given.

import { nodeReadline } from "../util/builtins.js";
import type { AuditResult } from "../audit.js";
import { applyAccountPlan, planAccountFixes, planText, readTags, type ApplyOptions } from "../fix/account.js";
import type { AccountData } from "../sources/aws/data.js";
import { inert } from "../report/escape.js";

export interface AccountFixOptions {
  apply: boolean;
  yes: boolean;
  client: ApplyOptions;
  /** Audits the account data again (after the changed secrets were read again). */
  rerun: (data: AccountData) => AuditResult;
}

const say = (line: string) => process.stderr.write(`secretlint: ${inert(line)}\n`);

/** What to report afterwards: the findings left, and whether stdout may hold the report too. */
export async function runAccountFixes(result: AuditResult, options: AccountFixOptions): Promise<{ result: AuditResult; reportToStdout: boolean }> {
  const plan = planAccountFixes(result.findings, result.inventory);
  process.stdout.write(planText(plan, result.data.account));
  const left = { ...result, findings: result.findings.filter((f) => !plan.resolved.has(f)) };
  if (!options.apply) {
    say("nothing was written: run again with --apply to make these changes");
    return { result: left, reportToStdout: false };
  }
  if (plan.changes.length === 0) return { result, reportToStdout: false };
  if (!options.yes) {
    const rl = nodeReadline().createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`\nTag ${plan.changes.length} secret${plan.changes.length === 1 ? "" : "s"}${result.data.account ? ` in account ${result.data.account}` : ""} as planned? Only "yes" is accepted: `);
    rl.close();
    if (answer.trim() !== "yes") {
      say("cancelled: nothing was written");
      return { result: left, reportToStdout: false };
    }
  }
  const applied = await applyAccountPlan(plan, options.client);
  const n = plan.changes.length;
  const lines = [``, `Applied: ${applied.applied.length} of ${n} secret${n === 1 ? "" : "s"} tagged in ${applied.calls} TagResources call${applied.calls === 1 ? "" : "s"}.`];
  for (const f of applied.failed) lines.push(inert(`  failed: ${f.arn}: ${f.message}`));
  process.stdout.write(lines.join("\n") + "\n\n");
  // Read the changed secrets again, and audit with what the account now says.
  const reread = await readTags(plan.changes.map((c) => ({ arn: c.arn, region: c.region })), options.client);
  const data: AccountData = { ...result.data, secrets: result.data.secrets.map((s) => (reread.tags.has(s.arn) ? { ...s, tags: reread.tags.get(s.arn)! } : s)) };
  for (const f of reread.failed) {
    data.notices = [...data.notices, { level: "error", message: `tag:GetResources in ${f.region} failed (${f.code}): the changed secrets could not be read again; what is reported for them is what the audit read before --apply`, api: "tag:GetResources", region: f.region, partial: true }];
  }
  if (applied.failed.length > 0) say(`${applied.failed.length} secret${applied.failed.length === 1 ? " was" : "s were"} not tagged (see above); their findings remain`);
  return { result: options.rerun(data), reportToStdout: true };
}
