// The account side of the fixes: `audit --live --fix` makes a plan of tag changes from the
// findings' fixes (engine/fix.ts), `--apply` makes them with the Resource Groups Tagging API.
//
// The plan: per secret, the tags to add or change (never to remove), the findings they resolve,
// and the AWS CLI command that does the same. Nothing is written without --apply.
//
// Applying: secrets with identical tag sets in one region share TagResources calls, 20 ARNs a
// call (the API's limit), paced and retried as the audit's calls are (the SDK's adaptive retries
// on throttling and 5xx); a secret the service reports in FailedResourcesMap is reported with
// its error code, and retried when the service says it failed on its side (5xx). Afterwards the
// changed secrets are read again (GetResources for their ARNs, 100 a call) so the rules can say
// what is left. Values and policies are never touched: TagResources only writes tags.

import type { TagChange } from "../engine/fix.js";
import type { Finding } from "../engine/runner.js";
import type { Inventory } from "../inventory/model.js";
import { AwsSession, type ClientOptions } from "../sources/aws/clients.js";
import { AwsCallError, sanitizeAwsError } from "../sources/aws/errors.js";
import { Pacer } from "../sources/aws/pace.js";
import { GetResourcesCommand, TagResourcesCommand, loadAwsSdk } from "../sources/aws/sdk.js";
import { inert } from "../report/escape.js";

/** The tags one secret gets, and why. */
export interface SecretTagChange {
  arn: string;
  region: string;
  name: string;
  /** Key → new value; `before` holds the value it replaces, when there is one. */
  tags: Record<string, string>;
  before: Record<string, string>;
  /** The findings it resolves: rule and message. */
  resolves: Array<{ ruleId: string; message: string }>;
}

export interface AccountPlan {
  changes: SecretTagChange[];
  /** Findings whose fixes cannot go in the plan (two fixes wanting different values of one tag). */
  conflicts: Array<{ finding: Finding; reason: string }>;
  /** The findings the plan resolves. */
  resolved: Set<Finding>;
}

/** The plan of the fixes attached to an audit's findings. */
export function planAccountFixes(findings: Finding[], inventory: Inventory): AccountPlan {
  const byId = new Map(inventory.secrets.map((s) => [s.id, s]));
  const bySecret = new Map<string, SecretTagChange>();
  const conflicts: AccountPlan["conflicts"] = [];
  const wants = new Map<string, Array<{ finding: Finding; change: TagChange }>>();
  for (const f of findings) {
    for (const t of f.fix?.tags ?? []) {
      const list = wants.get(t.secret) ?? [];
      list.push({ finding: f, change: t });
      wants.set(t.secret, list);
    }
  }
  const refused = new Set<Finding>();
  for (const [id, list] of wants) {
    const secret = byId.get(id);
    const arn = typeof secret?.arn === "string" ? secret.arn : undefined;
    const region = typeof secret?.region.value === "string" ? secret.region.value : undefined;
    if (!secret || !arn || !region || !secret.origin.aws) {
      for (const w of list) refused.add(w.finding);
      continue;
    }
    const values = new Map<string, string>();
    for (const w of list) {
      const had = values.get(w.change.key);
      if (had !== undefined && had !== w.change.value) {
        for (const x of list.filter((x) => x.change.key === w.change.key)) {
          refused.add(x.finding);
          conflicts.push({ finding: x.finding, reason: `fixes want \`${w.change.key}\` to be both "${had}" and "${w.change.value}"` });
        }
      }
      values.set(w.change.key, w.change.value);
    }
    const current = secret.tags.value;
    const change: SecretTagChange = { arn, region, name: typeof secret.name.value === "string" ? secret.name.value : arn, tags: {}, before: {}, resolves: [] };
    for (const [key, value] of values) {
      if (list.some((w) => w.change.key === key && refused.has(w.finding))) continue;
      const present = current && typeof current === "object" && "get" in current ? (current as { get(k: string): unknown }).get(key) : undefined;
      if (present === value) continue;
      change.tags[key] = value;
      if (typeof present === "string") change.before[key] = present;
    }
    for (const w of list) {
      if (refused.has(w.finding)) continue;
      if (!change.resolves.some((r) => r.ruleId === w.finding.ruleId && r.message === w.finding.message)) change.resolves.push({ ruleId: w.finding.ruleId, message: w.finding.message });
    }
    if (Object.keys(change.tags).length > 0) bySecret.set(arn, change);
  }
  // A finding is resolved when every tag change it needs is in the plan.
  const resolved = new Set<Finding>();
  for (const f of findings) {
    if (!f.fix || refused.has(f)) continue;
    const ok = f.fix.tags.every((t) => {
      const s = byId.get(t.secret);
      const arn = typeof s?.arn === "string" ? s.arn : undefined;
      return arn !== undefined && bySecret.get(arn)?.tags[t.key] === t.value;
    });
    if (ok) resolved.add(f);
  }
  const changes = [...bySecret.values()].sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : a.arn < b.arn ? -1 : 1));
  return { changes, conflicts, resolved };
}

/** `'…'` for a POSIX shell. */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=,@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The AWS CLI command that makes one secret's change. */
export function cliCommand(c: SecretTagChange): string {
  return `aws resourcegroupstaggingapi tag-resources --region ${c.region} --resource-arn-list ${shellQuote(c.arn)} --tags ${shellQuote(JSON.stringify(c.tags))}`;
}

/** How many TagResources calls a plan takes: per region and identical tag set, 20 ARNs a call. */
export function callGroups(changes: SecretTagChange[]): Array<{ region: string; tags: Record<string, string>; changes: SecretTagChange[] }> {
  const groups = new Map<string, { region: string; tags: Record<string, string>; changes: SecretTagChange[] }>();
  for (const c of changes) {
    const sorted = Object.fromEntries(Object.entries(c.tags).sort(([a], [b]) => (a < b ? -1 : 1)));
    const key = `${c.region}\u0000${JSON.stringify(sorted)}`;
    const g = groups.get(key) ?? { region: c.region, tags: sorted, changes: [] };
    g.changes.push(c);
    groups.set(key, g);
  }
  const out: Array<{ region: string; tags: Record<string, string>; changes: SecretTagChange[] }> = [];
  for (const g of groups.values()) for (let i = 0; i < g.changes.length; i += TAG_BATCH) out.push({ region: g.region, tags: g.tags, changes: g.changes.slice(i, i + TAG_BATCH) });
  return out;
}

/** TagResources takes at most 20 ARNs a call. */
export const TAG_BATCH = 20;
/** GetResources takes at most 100 ARNs a call. */
export const READ_BATCH = 100;
/** TagResources calls a second per region (the Tagging API's write quota is low). */
export const DEFAULT_TAG_RATE = 5;
/** Rounds of retrying the secrets a call reported failed on the service's side (5xx). */
const RETRY_ROUNDS = 3;

/** The plan as text: each secret, its change, what it resolves, the CLI command. Never a secret value. */
export function planText(plan: AccountPlan, account?: string): string {
  const lines: string[] = [];
  const n = plan.changes.length;
  const calls = callGroups(plan.changes).length;
  if (n === 0) {
    lines.push("Nothing to fix: no finding of this audit has a tag change that resolves it.");
  } else {
    lines.push(`Plan: tag changes on ${n} secret${n === 1 ? "" : "s"}${account ? ` of account ${account}` : ""} (${calls} TagResources call${calls === 1 ? "" : "s"}); tags are only added or changed, never removed.`);
    for (const c of plan.changes) {
      lines.push("", `${c.name} (${c.region})`, `  ${c.arn}`);
      for (const [k, v] of Object.entries(c.tags)) {
        lines.push(k in c.before ? `  ~ ${k}: ${JSON.stringify(c.before[k])} -> ${JSON.stringify(v)}` : `  + ${k} = ${JSON.stringify(v)}`);
      }
      for (const r of c.resolves) lines.push(`  resolves ${r.ruleId}: ${r.message}`);
      lines.push(`  $ ${cliCommand(c)}`);
    }
  }
  for (const c of plan.conflicts) lines.push("", `Not in the plan: ${c.finding.ruleId} (${c.finding.origin.aws?.arn ?? c.finding.origin.address ?? ""}): ${c.reason}`);
  // Names, tags and messages come from the account: shown inert (no control character reaches the terminal).
  return lines.map(inert).join("\n") + "\n";
}

export interface ApplyResult {
  /** ARNs tagged as planned. */
  applied: string[];
  /** ARNs not tagged, with the error AWS gave (code and a message that names no value). */
  failed: Array<{ arn: string; code: string; message: string }>;
  /** TagResources calls made (retries of a whole call by the SDK not counted). */
  calls: number;
}

export interface ApplyOptions extends ClientOptions {
  /** TagResources calls a second per region (default DEFAULT_TAG_RATE). */
  ratePerSecond?: number;
  debug?: (line: string) => void;
}

/** Makes a plan's changes. Needs `tag:TagResources` and `secretsmanager:TagResource`. */
export async function applyAccountPlan(plan: AccountPlan, options: ApplyOptions): Promise<ApplyResult> {
  await loadAwsSdk();
  const session = new AwsSession(options);
  const result: ApplyResult = { applied: [], failed: [], calls: 0 };
  const pacer = pacers(options);
  try {
    let pending = callGroups(plan.changes);
    for (let round = 0; round <= RETRY_ROUNDS && pending.length > 0; round++) {
      const retry: SecretTagChange[] = [];
      await Promise.all(
        pending.map(async (group) => {
          const client = session.tagging(group.region);
          await pacer(group.region).take();
          result.calls++;
          const started = performance.now();
          try {
            const out = await client.send(new TagResourcesCommand({ ResourceARNList: group.changes.map((c) => c.arn), Tags: group.tags }));
            options.debug?.(`aws tag:TagResources ${group.region}: ok in ${Math.round(performance.now() - started)} ms, ${out.$metadata?.attempts ?? 1} attempt(s), ${group.changes.length} ARNs`);
            const failedMap = out.FailedResourcesMap ?? {};
            for (const c of group.changes) {
              const f = failedMap[c.arn];
              if (!f) {
                result.applied.push(c.arn);
                continue;
              }
              const code = f.ErrorCode ?? "Error";
              // The service failed on its side: the secret goes into another call.
              if ((f.StatusCode ?? 0) >= 500 && round < RETRY_ROUNDS) retry.push(c);
              else result.failed.push({ arn: c.arn, code, message: `${code} (status ${f.StatusCode ?? "?"})` });
            }
          } catch (err) {
            const safe = err instanceof AwsCallError ? err : sanitizeAwsError(err, "tag:TagResources", group.region);
            options.debug?.(`aws ${safe.message}`);
            for (const c of group.changes) result.failed.push({ arn: c.arn, code: safe.code, message: safe.message });
          }
        }),
      );
      pending = callGroups(retry);
    }
  } finally {
    session.destroy();
  }
  return result;
}

/** The tags of secrets, read again by ARN (GetResources, 100 ARNs a call); undefined where it failed. */
export async function readTags(arns: Array<{ arn: string; region: string }>, options: ApplyOptions): Promise<{ tags: Map<string, Record<string, string>>; failed: Array<{ region: string; code: string; message: string }>; calls: number }> {
  await loadAwsSdk();
  const session = new AwsSession(options);
  const tags = new Map<string, Record<string, string>>();
  const failed: Array<{ region: string; code: string; message: string }> = [];
  let calls = 0;
  const pacer = pacers(options);
  const byRegion = new Map<string, string[]>();
  for (const a of arns) byRegion.set(a.region, [...(byRegion.get(a.region) ?? []), a.arn]);
  try {
    for (const [region, list] of byRegion) {
      const client = session.tagging(region);
      for (let i = 0; i < list.length; i += READ_BATCH) {
        let token: string | undefined;
        try {
          do {
            await pacer(region).take();
            calls++;
            const out = await client.send(new GetResourcesCommand({ ResourceARNList: list.slice(i, i + READ_BATCH), ...(token ? { PaginationToken: token } : {}) }));
            for (const m of out.ResourceTagMappingList ?? []) {
              if (!m.ResourceARN) continue;
              const t: Record<string, string> = {};
              for (const x of m.Tags ?? []) if (x.Key !== undefined) t[x.Key] = x.Value ?? "";
              tags.set(m.ResourceARN, t);
            }
            token = out.PaginationToken || undefined;
          } while (token);
        } catch (err) {
          const safe = sanitizeAwsError(err, "tag:GetResources", region);
          failed.push({ region, code: safe.code, message: safe.message });
        }
      }
    }
  } finally {
    session.destroy();
  }
  return { tags, failed, calls };
}

/** One pacer per region, at the Tagging API's rate. */
function pacers(options: ApplyOptions): (region: string) => Pacer {
  const byRegion = new Map<string, Pacer>();
  return (region) => {
    let p = byRegion.get(region);
    if (!p) byRegion.set(region, (p = new Pacer(options.ratePerSecond ?? DEFAULT_TAG_RATE)));
    return p;
  };
}
