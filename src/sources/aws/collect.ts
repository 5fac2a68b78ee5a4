// The live inventory: reads the account, read-only, paced, and never keeps a secret value.
//
// Once per account: sts:GetCallerIdentity (who and which account), then
// iam:GetAccountAuthorizationDetails (users, groups, roles, customer managed policies, every
// policy document URL-encoded; up to 1,000 entities a page). Per region, in parallel with IAM
// and the other regions: secretsmanager:ListSecrets (100 a page, tags included), and as each
// page arrives, secretsmanager:GetResourcePolicy per secret, paced under the service's 50
// requests a second; with `--read-values` only, secretsmanager:BatchGetSecretValue for 20
// secrets a call, whose values are parsed for their shape (JSON object and its top-level key
// names, other JSON, plain text, binary) and dropped at once.
//
// A call denied (or failing after the SDK's retries) is a notice and a partial result, not a
// crash: the secrets it concerns keep an unknown policy or value shape, and rules stay silent
// on them. A region whose listing failed is not complete, so no drift is claimed there.

import type { GetAccountAuthorizationDetailsCommandOutput } from "@aws-sdk/client-iam";
import type { SecretListEntry } from "@aws-sdk/client-secrets-manager";
import { AwsSession, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS, type ClientOptions } from "./clients.js";
import { parsePolicyText, shapeOfValue, type AccountData, type AuditNotice, type ManagedPolicyRecord, type PrincipalRecord, type SecretRecord } from "./data.js";
import { AwsAccessError, AwsCallError, sanitizeAwsError } from "./errors.js";
import { Limiter, Pacer } from "./pace.js";
import { BatchGetSecretValueCommand, GetAccountAuthorizationDetailsCommand, GetCallerIdentityCommand, GetResourcePolicyCommand, ListSecretsCommand, loadAwsSdk } from "./sdk.js";

export interface CollectOptions extends ClientOptions {
  /** Regions to audit; default: the profile's or environment's region. */
  regions?: string[];
  /** Learn each value's shape with BatchGetSecretValue. */
  readValues?: boolean;
  /** Secrets Manager requests a second per region and API. Default 47.5 (under GetResourcePolicy's 50). */
  ratePerSecond?: number;
  /** Calls in flight per region. Default 16. */
  concurrency?: number;
  /** Called as the work progresses (for a progress line on a TTY). */
  onProgress?: (p: Progress) => void;
  /** Debug lines: one per call (API, region, outcome, attempts, time), never a request or response body. */
  debug?: (line: string) => void;
}

export interface Progress {
  listed: number;
  listing: number;
  policies: { done: number; total: number };
  values: { done: number; total: number };
  iam: "pending" | "done" | "failed";
}

/** Calls made, by API: calls (as the code made them), attempts (retries included), failures. */
export type CallStats = Record<string, { calls: number; attempts: number; failures: number }>;

export const DEFAULT_RATE = 47.5;
// AWSManagedPolicy: the AWS managed policies attached in the account, with their documents
// (SecretsManagerReadWrite, AdministratorAccess… read secrets too).
const IAM_FILTER = ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"] as const;

export async function collectAccount(options: CollectOptions): Promise<{ data: AccountData; stats: CallStats }> {
  await loadAwsSdk();
  const session = new AwsSession(options);
  try {
    return await new Collector(session, options).run();
  } finally {
    session.destroy();
  }
}

interface Failure {
  api: string;
  region?: string;
  error: AwsCallError;
  subject?: string;
}

class Collector {
  readonly stats: CallStats = {};
  private readonly failures: Failure[] = [];
  private readonly progress: Progress = { listed: 0, listing: 0, policies: { done: 0, total: 0 }, values: { done: 0, total: 0 }, iam: "pending" };
  private readonly callDeadline: number;
  /** Set when the audit stops (the caller's identity could not be read): no more calls. */
  private readonly cancel = new AbortController();
  /** The calls in flight, aborted when the audit stops. */
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly session: AwsSession,
    private readonly options: CollectOptions,
  ) {
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const attempts = options.maxAttempts ?? (Number(process.env.AWS_MAX_ATTEMPTS) || DEFAULT_MAX_ATTEMPTS);
    // Every attempt may time out, and the SDK waits between attempts (at most 20 s each).
    this.callDeadline = attempts * timeout + Math.min(attempts, 4) * 20_000;
  }

  private tick(): void {
    this.options.onProgress?.(this.progress);
  }

  /** One API call: counted, bounded in time, logged (never its body), its error made safe. */
  private async call<T extends { $metadata?: { attempts?: number } }>(api: string, region: string | undefined, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.cancel.signal.aborted) throw new AwsCallError(api, "other", "Cancelled", `${api} not made: the audit stopped`, region);
    const s = (this.stats[api] ??= { calls: 0, attempts: 0, failures: 0 });
    s.calls++;
    const started = performance.now();
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.callDeadline);
    this.inFlight.add(abort);
    try {
      const out = await send(abort.signal);
      const attempts = out.$metadata?.attempts ?? 1;
      s.attempts += attempts;
      this.options.debug?.(`aws ${api}${region ? ` ${region}` : ""}: ok in ${Math.round(performance.now() - started)} ms, ${attempts} attempt${attempts === 1 ? "" : "s"}`);
      return out;
    } catch (err) {
      const attempts = (err as { $metadata?: { attempts?: number } })?.$metadata?.attempts ?? 1;
      s.attempts += attempts;
      s.failures++;
      const safe = sanitizeAwsError(err, api, region);
      this.options.debug?.(`aws ${safe.message} (after ${Math.round(performance.now() - started)} ms, ${attempts} attempt${attempts === 1 ? "" : "s"})`);
      throw safe;
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(abort);
    }
  }

  async run(): Promise<{ data: AccountData; stats: CallStats }> {
    const readAt = new Date().toISOString();
    let regions = [...new Set(this.options.regions ?? [])];
    if (regions.length === 0) {
      const r = await this.session.defaultRegion();
      if (!r) throw new AwsAccessError("no region to audit: pass --regions (e.g. --regions us-east-1,eu-west-1) or set AWS_REGION or the profile's region");
      regions = [r];
    }
    await this.session.prepare(regions[0]);

    // Who is calling, and in which account: in parallel with the rest (it is the first thing to
    // fail when the credentials are wrong, and then everything else is stopped).
    const sts = this.session.sts(regions[0]);
    const asking = this.call("sts:GetCallerIdentity", regions[0], (abortSignal) => sts.send(new GetCallerIdentityCommand({}), { abortSignal }));
    const reading = Promise.all([this.collectIam(regions[0]), ...regions.map((r) => this.collectRegion(r))]);
    let identity: { Account?: string; Arn?: string };
    try {
      identity = await asking;
    } catch (err) {
      this.cancel.abort();
      for (const call of this.inFlight) call.abort();
      await reading.catch(() => undefined);
      const e = err as AwsCallError;
      throw new AwsAccessError(`cannot reach AWS as the caller: ${e.message}; check the credentials (--profile, AWS_PROFILE, --role-arn) and the endpoint`);
    }
    const [iam, ...perRegion] = await reading;
    const partition = identity.Arn?.split(":")[1] || "aws";
    const data: AccountData = {
      ...(identity.Account ? { account: identity.Account } : {}),
      partition,
      ...(identity.Arn ? { caller: identity.Arn } : {}),
      regions,
      listedRegions: [],
      readValues: this.options.readValues === true,
      secrets: [],
      readAt,
      notices: [],
    };
    if (iam) data.iam = iam;
    regions.forEach((r, i) => {
      const got = perRegion[i];
      data.secrets.push(...got.secrets);
      if (got.complete) data.listedRegions.push(r);
    });
    data.notices = this.notices(data);
    return { data, stats: this.stats };
  }

  // ------------------------------------------------------------ IAM

  private async collectIam(region: string): Promise<AccountData["iam"] | undefined> {
    const iam = this.session.iam(region);
    const principals: PrincipalRecord[] = [];
    const policies: ManagedPolicyRecord[] = [];
    let marker: string | undefined;
    const paging = new Paging("iam:GetAccountAuthorizationDetails", undefined, MAX_PAGES);
    try {
      do {
        const page: GetAccountAuthorizationDetailsCommandOutput = await this.call("iam:GetAccountAuthorizationDetails", undefined, (abortSignal) =>
          iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: [...IAM_FILTER], MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }), { abortSignal }),
        );
        for (const u of page.UserDetailList ?? []) {
          if (!u.Arn || !u.UserName) continue;
          principals.push({
            arn: u.Arn,
            kind: "user",
            name: u.UserName,
            ...(u.Path ? { path: u.Path } : {}),
            inlinePolicies: (u.UserPolicyList ?? []).map((p) => ({ name: p.PolicyName ?? "", document: parsePolicyText(p.PolicyDocument ?? "", true) })),
            managedPolicies: (u.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn).filter((a): a is string => !!a),
            groups: u.GroupList ?? [],
          });
        }
        for (const g of page.GroupDetailList ?? []) {
          if (!g.Arn || !g.GroupName) continue;
          principals.push({
            arn: g.Arn,
            kind: "group",
            name: g.GroupName,
            ...(g.Path ? { path: g.Path } : {}),
            inlinePolicies: (g.GroupPolicyList ?? []).map((p) => ({ name: p.PolicyName ?? "", document: parsePolicyText(p.PolicyDocument ?? "", true) })),
            managedPolicies: (g.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn).filter((a): a is string => !!a),
          });
        }
        for (const r of page.RoleDetailList ?? []) {
          if (!r.Arn || !r.RoleName) continue;
          principals.push({
            arn: r.Arn,
            kind: "role",
            name: r.RoleName,
            ...(r.Path ? { path: r.Path } : {}),
            inlinePolicies: (r.RolePolicyList ?? []).map((p) => ({ name: p.PolicyName ?? "", document: parsePolicyText(p.PolicyDocument ?? "", true) })),
            managedPolicies: (r.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn).filter((a): a is string => !!a),
          });
        }
        for (const p of page.Policies ?? []) {
          if (!p.Arn || !p.PolicyName) continue;
          const version = (p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion) ?? (p.PolicyVersionList ?? []).find((v) => v.VersionId === p.DefaultVersionId);
          policies.push({
            arn: p.Arn,
            name: p.PolicyName,
            ...(p.Path ? { path: p.Path } : {}),
            document: version?.Document !== undefined ? parsePolicyText(version.Document, true) : "",
          });
        }
        marker = page.IsTruncated ? page.Marker : undefined;
        const stop = paging.check(marker);
        if (stop) throw stop;
      } while (marker);
    } catch (err) {
      // Half an IAM listing would hide grants (and so invent Sym environment mismatches): none then.
      this.failures.push({ api: "iam:GetAccountAuthorizationDetails", error: err as AwsCallError });
      this.progress.iam = "failed";
      this.tick();
      return undefined;
    }
    this.progress.iam = "done";
    this.tick();
    return { principals, policies };
  }

  // ------------------------------------------------------------ Secrets Manager

  private async collectRegion(region: string): Promise<{ secrets: SecretRecord[]; complete: boolean }> {
    const sm = this.session.secretsManager(region);
    const rate = this.options.ratePerSecond ?? DEFAULT_RATE;
    const pacers = { list: new Pacer(rate), policy: new Pacer(rate), values: new Pacer(rate) };
    const limiter = new Limiter(this.options.concurrency ?? 16);
    const secrets: SecretRecord[] = [];
    const tasks: Array<Promise<void>> = [];
    const batch: SecretRecord[] = [];
    const readValues = this.options.readValues === true;
    let complete = true;
    let token: string | undefined;
    const paging = new Paging("secretsmanager:ListSecrets", region, MAX_PAGES);
    const listed = new Set<string>();
    this.progress.listing++;
    this.tick();
    do {
      let page: { SecretList?: SecretListEntry[]; NextToken?: string };
      try {
        await pacers.list.take();
        page = await this.call("secretsmanager:ListSecrets", region, (abortSignal) =>
          sm.send(new ListSecretsCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }), { abortSignal }),
        );
      } catch (err) {
        this.failures.push({ api: "secretsmanager:ListSecrets", region, error: err as AwsCallError });
        complete = false;
        break;
      }
      for (const entry of page.SecretList ?? []) {
        if (!entry.ARN || !entry.Name) continue;
        // A secret listed twice (an endpoint that pages badly) is read once.
        if (listed.has(entry.ARN)) continue;
        listed.add(entry.ARN);
        const rec = recordOf(entry, region);
        secrets.push(rec);
        this.progress.listed++;
        this.progress.policies.total++;
        tasks.push(limiter.run(() => this.fetchPolicy(sm, region, rec, pacers.policy)));
        if (readValues) {
          this.progress.values.total++;
          batch.push(rec);
          if (batch.length === 20) {
            const chunk = batch.splice(0);
            tasks.push(limiter.run(() => this.fetchShapes(sm, region, chunk, pacers.values)));
          }
        }
      }
      this.tick();
      token = page.NextToken || undefined;
      const stop = paging.check(token);
      if (stop) {
        this.failures.push({ api: "secretsmanager:ListSecrets", region, error: stop });
        complete = false;
        break;
      }
    } while (token);
    if (batch.length > 0) {
      const chunk = batch.splice(0);
      tasks.push(limiter.run(() => this.fetchShapes(sm, region, chunk, pacers.values)));
    }
    this.progress.listing--;
    await Promise.all(tasks);
    return { secrets, complete };
  }

  private async fetchPolicy(sm: ReturnType<AwsSession["secretsManager"]>, region: string, rec: SecretRecord, pacer: Pacer): Promise<void> {
    try {
      await pacer.take();
      const out = await this.call("secretsmanager:GetResourcePolicy", region, (abortSignal) => sm.send(new GetResourcePolicyCommand({ SecretId: rec.arn }), { abortSignal }));
      rec.resourcePolicy = out.ResourcePolicy ? parsePolicyText(out.ResourcePolicy, false) : null;
    } catch (err) {
      const e = err as AwsCallError;
      // Deleted since it was listed: no policy to check.
      if (e.kind === "not-found") rec.resourcePolicy = null;
      else this.failures.push({ api: "secretsmanager:GetResourcePolicy", region, error: e, subject: rec.arn });
    } finally {
      this.progress.policies.done++;
      this.tick();
    }
  }

  /** BatchGetSecretValue for up to 20 secrets: each value's shape is kept, the value dropped. */
  private async fetchShapes(sm: ReturnType<AwsSession["secretsManager"]>, region: string, chunk: SecretRecord[], pacer: Pacer): Promise<void> {
    const byArn = new Map(chunk.map((r) => [r.arn, r]));
    const byName = new Map(chunk.map((r) => [r.name, r]));
    const seen = new Set<SecretRecord>();
    let token: string | undefined;
    // Twenty secrets take one page; a few more are the service's business, more are a loop.
    const paging = new Paging("secretsmanager:BatchGetSecretValue", region, MAX_VALUE_PAGES);
    try {
      do {
        await pacer.take();
        const out = await this.call("secretsmanager:BatchGetSecretValue", region, (abortSignal) =>
          sm.send(new BatchGetSecretValueCommand({ SecretIdList: chunk.map((r) => r.arn), ...(token ? { NextToken: token } : {}) }), { abortSignal }),
        );
        const values = out.SecretValues ?? [];
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          const rec = (v.ARN && byArn.get(v.ARN)) || (v.Name && byName.get(v.Name)) || undefined;
          if (rec) {
            rec.value = shapeOfValue(v);
            seen.add(rec);
          }
          // Drop the value at once.
          v.SecretString = undefined;
          v.SecretBinary = undefined;
        }
        out.SecretValues = undefined;
        for (const e of out.Errors ?? []) {
          const rec = (e.SecretId && (byArn.get(e.SecretId) ?? byName.get(e.SecretId))) || undefined;
          if (rec) seen.add(rec);
          if (e.ErrorCode === "ResourceNotFoundException") continue;
          const code = typeof e.ErrorCode === "string" && /^[\w.:-]{1,80}$/.test(e.ErrorCode) ? e.ErrorCode : "Error";
          this.failures.push({
            api: "secretsmanager:BatchGetSecretValue",
            region,
            error: new AwsCallError("secretsmanager:BatchGetSecretValue", /AccessDenied/.test(code) ? "access-denied" : "other", code, `secretsmanager:BatchGetSecretValue in ${region} failed for a secret: ${code}`, region),
            subject: rec?.arn ?? e.SecretId,
          });
        }
        token = out.NextToken || undefined;
        const stop = paging.check(token);
        if (stop) throw stop;
      } while (token);
    } catch (err) {
      for (const rec of chunk) {
        if (!seen.has(rec)) this.failures.push({ api: "secretsmanager:BatchGetSecretValue", region, error: err as AwsCallError, subject: rec.arn });
      }
    } finally {
      this.progress.values.done += chunk.length;
      this.tick();
    }
  }

  // ------------------------------------------------------------ notices

  /** Failures grouped by API, region and error: one notice each, saying what was not checked. */
  private notices(data: AccountData): AuditNotice[] {
    const groups = new Map<string, Failure[]>();
    for (const f of this.failures) {
      const key = `${f.api}\u0000${f.region ?? ""}\u0000${f.error.code}`;
      const list = groups.get(key) ?? [];
      list.push(f);
      groups.set(key, list);
    }
    const out: AuditNotice[] = [];
    for (const list of groups.values()) {
      const f = list[0];
      const denied = f.error.kind === "access-denied";
      const where = f.region ? ` in ${f.region}` : "";
      const e = f.error;
      // The error code and the HTTP status, or what went wrong in words (an answer that was not AWS's, a page token repeated).
      const status = e.status !== undefined && e.kind !== "timeout" && e.kind !== "network" ? `, HTTP ${e.status}` : "";
      const why =
        e.code === "RepeatedPageToken" || e.code === "TooManyPages"
          ? (e.detail ?? e.code)
          : e.code === "UnreadableAnswer"
            ? `failed (${e.status !== undefined ? `HTTP ${e.status}: ` : ""}${e.detail ?? "the answer was not AWS's"})`
            : denied
              ? `denied (${e.code}${status})`
              : `failed (${e.code}${status}${e.kind === "throttled" ? ", still throttled after retries" : ""})`;
      const perRegion = data.secrets.filter((s) => s.region === f.region).length;
      let message: string;
      switch (f.api) {
        case "secretsmanager:ListSecrets":
          message = `secretsmanager:ListSecrets${where} ${why}: the secrets of ${f.region} were not (all) listed, so they were not checked, and no drift is reported there`;
          break;
        case "secretsmanager:GetResourcePolicy":
          message = `secretsmanager:GetResourcePolicy${where} ${why} for ${list.length} of ${perRegion} secret${perRegion === 1 ? "" : "s"} (e.g. ${f.subject}): their resource policies were not checked`;
          break;
        case "secretsmanager:BatchGetSecretValue":
          message = `secretsmanager:BatchGetSecretValue${where} ${why} for ${list.length} of ${perRegion} secret${perRegion === 1 ? "" : "s"} (e.g. ${f.subject}): the shape of their values (JSON keys) is unknown, so the rules that need it said nothing of them`;
          break;
        case "iam:GetAccountAuthorizationDetails":
          message = `iam:GetAccountAuthorizationDetails ${why}: IAM policies, Sym access policies and principals were not checked`;
          break;
        default:
          message = `${f.api}${where} ${why}`;
      }
      if (denied) message += `; grant ${f.api} to the audit's role (see the README's least-privilege policy), or pass --allow-partial`;
      out.push({ level: "error", message, api: f.api, ...(f.region ? { region: f.region } : {}), partial: true });
    }
    return out;
  }
}

/** Pages a listing may take: ListSecrets at 100 a page covers 1,000,000 secrets (an account holds at most 500,000 a region). */
const MAX_PAGES = 10_000;
/** Pages one BatchGetSecretValue of 20 secrets may take. */
const MAX_VALUE_PAGES = 20;

/**
 * The page tokens of one listing. An endpoint that hands back a token it gave before, or more
 * pages than any account has, would keep the audit listing for ever: the listing stops there,
 * with an error that becomes a notice (a partial result).
 */
class Paging {
  private readonly seen = new Set<string>();
  private pages = 0;
  constructor(
    private readonly api: string,
    private readonly region: string | undefined,
    private readonly maxPages: number,
  ) {}

  /** After a page: the error that ends the listing at its next token, or undefined to go on. */
  check(next: string | undefined): AwsCallError | undefined {
    this.pages++;
    if (next === undefined) return undefined;
    const where = this.region ? ` in ${this.region}` : "";
    if (this.seen.has(next)) {
      const detail = "returned a page token it had returned before (the listing would never end)";
      return new AwsCallError(this.api, "other", "RepeatedPageToken", `${this.api}${where} ${detail}`, this.region, undefined, detail);
    }
    if (this.pages >= this.maxPages) {
      const detail = `returned more than ${this.maxPages} pages (more than an account holds); the listing stopped there`;
      return new AwsCallError(this.api, "other", "TooManyPages", `${this.api}${where} ${detail}`, this.region, undefined, detail);
    }
    this.seen.add(next);
    return undefined;
  }
}

function recordOf(e: SecretListEntry, region: string): SecretRecord {
  const tags: Record<string, string> = {};
  for (const t of e.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? "";
  const rec: SecretRecord = { arn: e.ARN!, name: e.Name!, region, tags };
  if (e.KmsKeyId) rec.kmsKeyId = e.KmsKeyId;
  if (e.RotationEnabled !== undefined) rec.rotationEnabled = e.RotationEnabled;
  const rules = e.RotationRules;
  if (rules && (rules.AutomaticallyAfterDays !== undefined || rules.ScheduleExpression || rules.Duration)) {
    rec.rotationRules = {
      ...(rules.AutomaticallyAfterDays !== undefined ? { automaticallyAfterDays: rules.AutomaticallyAfterDays } : {}),
      ...(rules.ScheduleExpression ? { scheduleExpression: rules.ScheduleExpression } : {}),
      ...(rules.Duration ? { duration: rules.Duration } : {}),
    };
  }
  const iso = (d: Date | undefined) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);
  const dates = {
    createdDate: iso(e.CreatedDate),
    lastChangedDate: iso(e.LastChangedDate),
    lastAccessedDate: iso(e.LastAccessedDate),
    lastRotatedDate: iso(e.LastRotatedDate),
    nextRotationDate: iso(e.NextRotationDate),
  };
  for (const [k, v] of Object.entries(dates)) if (v !== undefined) rec[k as keyof typeof dates] = v;
  if (e.PrimaryRegion && e.PrimaryRegion !== region) rec.primaryRegion = e.PrimaryRegion;
  if (e.OwningService) rec.owningService = e.OwningService;
  return rec;
}
