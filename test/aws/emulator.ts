// A loopback emulator of the AWS APIs a live audit calls, for tests and the live benchmark:
// node:http on 127.0.0.1 (port 0), no internet.
//
// - Secrets Manager (ListSecrets, GetResourcePolicy, BatchGetSecretValue, GetSecretValue,
//   DescribeSecret) and the Resource Groups Tagging API (GetResources by type, tag filters or
//   ARNs; TagResources with FailedResourcesMap; throttled as ThrottledException): the JSON 1.1 protocol
//   (`X-Amz-Target: secretsmanager.ListSecrets`, `Content-Type: application/x-amz-json-1.1`,
//   errors as `{"__type": …, "message": …}`).
// - IAM (GetAccountAuthorizationDetails, with URL-encoded policy documents) and STS
//   (GetCallerIdentity, AssumeRole): the query protocol (a form-encoded `Action=…&Version=…`
//   body, XML responses, errors as `<ErrorResponse><Error><Code>…`).
//
// The service and region come from the SigV4 credential scope of the Authorization header.
// Faults, per API and deterministic (the n-th request of an API): latency, a rate limit
// (a sliding one-second window) answered `ThrottlingException` / `Throttling`, throttling and
// 5xx every k-th request, requests that never answer (client timeouts), AccessDenied for whole
// APIs or for some secrets, and error bodies that echo secret values (for the canary tests).
// Every request is recorded (protocol headers) and counted by API.

import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface EmuSecret {
  name: string;
  region: string;
  tags?: Record<string, string>;
  /**
   * The key as given to CreateSecret: a key ARN or id, or an alias. Listed as the service does:
   * left out for the AWS managed key (`alias/aws/secretsmanager`), a key ARN otherwise.
   */
  kmsKeyId?: string;
  /** Rotation as configured; absent when never configured (the service then leaves every rotation field out). */
  rotation?: EmuRotation;
  /** Dates (default: CreatedDate in November 2023; the others absent: never read, never rotated). */
  createdDate?: Date;
  lastChangedDate?: Date;
  /** The last read in the region (listed truncated to the day, as the service does). */
  lastAccessedDate?: Date;
  /** The last successful rotation. */
  lastRotatedDate?: Date;
  /** The resource policy: an object (serialised as JSON) or raw text. */
  policy?: object | string;
  /** The value: text (SecretString) or bytes (SecretBinary). */
  value?: string | Uint8Array;
  primaryRegion?: string;
  /** Fixed 6-character suffix (random otherwise). */
  suffix?: string;
}

/** A rotation configuration (RotateSecret's `RotationRules`, or CancelRotateSecret: `enabled: false`). */
export interface EmuRotation {
  enabled: boolean;
  lambdaArn?: string;
  automaticallyAfterDays?: number;
  /** `rate(10 days)`, `rate(4 hours)`, `cron(…)`. */
  scheduleExpression?: string;
  /** The rotation window, e.g. `3h`. */
  duration?: string;
  /** The next rotation the service announces; by default computed from the last rotation (or the last change) and a `AutomaticallyAfterDays` or `rate()` schedule. */
  nextRotationDate?: Date;
}

export interface EmuPolicy {
  name: string;
  path?: string;
  document: object | string;
}

export interface EmuPrincipal {
  kind: "user" | "role" | "group";
  name: string;
  path?: string;
  inline?: EmuPolicy[];
  /** Managed policy names (of `policies`) or full ARNs attached to it. */
  attached?: string[];
  /** A user's groups. */
  groups?: string[];
}

export interface EmuAccount {
  account: string;
  callerName?: string;
  secrets: EmuSecret[];
  principals: EmuPrincipal[];
  policies: EmuPolicy[];
  /** AWS managed policies (`arn:aws:iam::aws:policy{path}{name}`): GetAccountAuthorizationDetails lists those attached. */
  awsManagedPolicies?: EmuPolicy[];
}

export type ServiceName = "secretsmanager" | "tagging" | "iam" | "sts";

export interface Faults {
  /** Added to every answer, in milliseconds. */
  latencyMs?: number;
  /** Requests a second allowed per API (and region), e.g. `{ GetResourcePolicy: 50 }`; beyond it, throttling. */
  rateLimits?: Record<string, number>;
  /** Throttle requests 1, 1+k, 1+2k… of every API. */
  throttleEvery?: number;
  /** Answer 5xx to requests 2, 2+k, 2+2k… of every API. */
  serverErrorEvery?: number;
  /** Never answer requests 3, 3+k, 3+2k… of every API (the client must time out). */
  hangEvery?: number;
  /** Limit the faults above to these APIs (default: all). */
  faultApis?: string[];
  /** APIs answered AccessDenied, e.g. `["GetResourcePolicy", "GetAccountAuthorizationDetails"]`. */
  deny?: string[];
  /** Secret names whose GetResourcePolicy / values are denied (the others answer). */
  denySecrets?: string[];
  /** Answer every value call (BatchGetSecretValue, GetSecretValue) with a 500 whose message holds the values asked for. */
  echoValuesInErrors?: boolean;
  /** Answer every value call with a malformed body that holds the values asked for. */
  malformedValueResponses?: boolean;
  /** APIs whose every page says there is more, with the same page token (ListSecrets, GetAccountAuthorizationDetails, BatchGetSecretValue). */
  repeatPageToken?: string[];
  /** APIs whose answers send their headers at once, then the body one byte every `intervalMs` (a response that trickles). */
  trickle?: { apis: string[]; intervalMs: number };
  /** APIs answered by a proxy's HTML error page (HTTP 502, text/html, control characters in the text). */
  htmlErrors?: string[];
  /** APIs answered 200 with a body that is not the protocol's (control characters and a prompt in it). */
  garbageBodies?: string[];
  /**
   * TagResources entries of FailedResourcesMap, by secret name: the status and code the
   * service gives (403 AccessDeniedException, 500 InternalServiceException…), every time, or
   * the first `times` times.
   */
  tagFailures?: Record<string, { status: number; code: string; times?: number }>;
  /** The error code (and message) a denied call answers with, in place of AWS's (control characters, say). */
  deniedCode?: string;
}

/** The page token of `repeatPageToken`. */
const SAME_TOKEN = "c2FtZQ==";

export interface ApiStats {
  requests: number;
  ok: number;
  throttled: number;
  serverErrors: number;
  denied: number;
  hung: number;
}

export interface RecordedRequest {
  service: string;
  api: string;
  region: string;
  method: string;
  path: string;
  contentType: string;
  target?: string;
  action?: string;
  version?: string;
  body: string;
}

interface StoredSecret extends EmuSecret {
  arn: string;
  created: number;
}

const JSON_CONTENT = "application/x-amz-json-1.1";
const IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

function docText(doc: object | string): string {
  return typeof doc === "string" ? doc : JSON.stringify(doc);
}

const SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomSuffix(): string {
  const bytes = randomBytes(6);
  return [...bytes].map((b) => SUFFIX_CHARS[b % SUFFIX_CHARS.length]).join("");
}

export class Emulator {
  readonly stats: Record<string, ApiStats> = {};
  readonly requests: RecordedRequest[] = [];
  /** Items per IAM page (at most the request's MaxItems). */
  iamPageSize = 100;
  /** Assumed roles: (RoleArn, ExternalId) of each AssumeRole. */
  readonly assumed: Array<{ roleArn: string; externalId?: string }> = [];
  /** The tags TagResources set, in order: ARN and the tags of the call. */
  readonly tagged: Array<{ arn: string; tags: Record<string, string> }> = [];
  faults: Faults;
  private server?: http.Server;
  private readonly secrets: StoredSecret[] = [];
  private readonly counters = new Map<string, number>();
  private readonly windows = new Map<string, number[]>();
  private readonly hung = new Set<http.ServerResponse>();
  /** The API each response answers (for the faults applied when it is written). */
  private readonly apiOf = new WeakMap<http.ServerResponse, string>();
  private readonly timers = new Set<ReturnType<typeof setInterval>>();

  constructor(
    readonly account: EmuAccount,
    faults: Faults = {},
  ) {
    this.faults = faults;
    let t = 1_700_000_000;
    for (const s of account.secrets) {
      const suffix = s.suffix ?? randomSuffix();
      this.secrets.push({ ...s, arn: `arn:aws:secretsmanager:${s.region}:${account.account}:secret:${s.name}-${suffix}`, created: t++ });
    }
  }

  get url(): string {
    const a = this.server?.address() as AddressInfo | undefined;
    if (!a) throw new Error("emulator not started");
    return `http://127.0.0.1:${a.port}`;
  }

  /** The ARN the emulator gave a secret (by name and region). */
  arnOf(name: string, region?: string): string {
    const s = this.secrets.find((x) => x.name === name && (region === undefined || x.region === region));
    if (!s) throw new Error(`no secret ${name}`);
    return s.arn;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.handle(req, res, Buffer.concat(chunks).toString("utf8")).catch((err: unknown) => {
          if (!res.headersSent) {
            res.writeHead(500, { "content-type": "text/plain" });
            res.end(String(err));
          }
        });
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this.url;
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.hung.clear();
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  resetStats(): void {
    for (const k of Object.keys(this.stats)) delete this.stats[k];
    this.requests.length = 0;
    this.counters.clear();
    this.windows.clear();
  }

  /** Requests answered, by API, over all outcomes. */
  totalRequests(): number {
    return Object.values(this.stats).reduce((n, s) => n + s.requests, 0);
  }

  // ------------------------------------------------------------ dispatch

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const auth = String(req.headers.authorization ?? "");
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
    const region = scope?.[1] ?? "us-east-1";
    const scopeService = scope?.[2] ?? "";
    const contentType = String(req.headers["content-type"] ?? "");
    const target = req.headers["x-amz-target"] ? String(req.headers["x-amz-target"]) : undefined;

    let service: ServiceName;
    let api: string;
    let params: Record<string, unknown> = {};
    let form: URLSearchParams | undefined;
    if (target) {
      const [prefix, op] = target.split(".");
      if (prefix === "secretsmanager") service = "secretsmanager";
      else if (prefix === "ResourceGroupsTaggingAPI_20170126") service = "tagging";
      else return this.jsonError(res, 400, "UnknownOperationException", `unknown target ${target}`);
      api = op ?? "";
      try {
        params = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      } catch {
        return this.jsonError(res, 400, "SerializationException", "body is not JSON");
      }
    } else {
      form = new URLSearchParams(body);
      api = form.get("Action") ?? "";
      if (scopeService === "iam" || scopeService === "sts") service = scopeService;
      else service = api === "GetCallerIdentity" || api === "AssumeRole" ? "sts" : "iam";
    }
    this.requests.push({
      service,
      api,
      region,
      method: req.method ?? "",
      path: req.url ?? "",
      contentType,
      ...(target ? { target } : {}),
      ...(form ? { action: form.get("Action") ?? "", version: form.get("Version") ?? "" } : {}),
      body,
    });
    this.apiOf.set(res, api);
    const stats = (this.stats[api] ??= { requests: 0, ok: 0, throttled: 0, serverErrors: 0, denied: 0, hung: 0 });
    stats.requests++;
    const n = (this.counters.get(api) ?? 0) + 1;
    this.counters.set(api, n);
    const json = service === "secretsmanager" || service === "tagging";
    const respond = async (send: () => void) => {
      if (this.faults.latencyMs) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
      send();
    };

    // Protocol checks: the SDK must still speak what this emulator (and AWS) expect.
    if (json && !contentType.startsWith(JSON_CONTENT)) return respond(() => this.jsonError(res, 400, "UnsupportedProtocol", `expected ${JSON_CONTENT}, got ${contentType}`));
    if (!json && (!contentType.startsWith("application/x-www-form-urlencoded") || !form?.get("Version"))) {
      return respond(() => this.queryError(res, service, 400, "UnsupportedProtocol", `expected a form-encoded query request, got ${contentType}`));
    }

    // Faults.
    const faulted = !this.faults.faultApis || this.faults.faultApis.includes(api);
    const every = (k: number | undefined, offset: number) => faulted && k !== undefined && k > 0 && n >= offset && (n - offset) % k === 0;
    if (every(this.faults.hangEvery, 3)) {
      stats.hung++;
      this.hung.add(res);
      res.on("close", () => this.hung.delete(res));
      return; // never answers
    }
    if (every(this.faults.throttleEvery, 1) || this.overRate(api, region)) {
      stats.throttled++;
      // The Tagging API names its throttling error ThrottledException.
      const code = service === "tagging" ? "ThrottledException" : "ThrottlingException";
      return respond(() => (json ? this.jsonError(res, 400, code, "Rate exceeded") : this.queryError(res, service, 400, "Throttling", "Rate exceeded")));
    }
    if (every(this.faults.serverErrorEvery, 2)) {
      stats.serverErrors++;
      return respond(() =>
        json ? this.jsonError(res, 500, "InternalServiceError", "An internal error occurred") : this.queryError(res, service, 503, "ServiceUnavailable", "Service unavailable", "Receiver"),
      );
    }
    if (this.faults.htmlErrors?.includes(api)) {
      stats.serverErrors++;
      return respond(() => this.send(res, 502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>\x1b[31mupstream\x07 down\r\nmain.tf:1:1  error  forged</body></html>"));
    }
    if (this.faults.garbageBodies?.includes(api)) {
      return respond(() => this.send(res, 200, json ? JSON_CONTENT : "text/xml", "\x1b]0;owned\x07 not a response \x1b[2J"));
    }
    if (this.faults.deny?.includes(api)) {
      stats.denied++;
      const message = `User: arn:aws:iam::${this.account.account}:user/auditor is not authorized to perform: ${service === "tagging" ? "tag" : service}:${api}`;
      const code = this.faults.deniedCode;
      return respond(() => (json ? this.jsonError(res, 400, code ?? "AccessDeniedException", code ?? message) : this.queryError(res, service, 403, code ?? "AccessDenied", code ?? message)));
    }

    await respond(() => {
      try {
        switch (service) {
          case "secretsmanager":
            return this.secretsManager(res, api, region, params, stats);
          case "tagging":
            return this.tagging(res, api, region, params, stats);
          case "iam":
            return this.iam(res, api, form!, stats);
          case "sts":
            return this.sts(res, api, form!, stats);
        }
      } catch (err) {
        if (err instanceof ApiError) {
          if (json) this.jsonError(res, err.status, err.code, err.message);
          else this.queryError(res, service, err.status, err.code, err.message);
          return;
        }
        throw err;
      }
    });
  }

  /** A sliding one-second window per API and region. */
  private overRate(api: string, region: string): boolean {
    const limit = this.faults.rateLimits?.[api];
    if (!limit) return false;
    const key = `${api}@${region}`;
    const now = performance.now();
    const w = (this.windows.get(key) ?? []).filter((t) => now - t < 1000);
    if (w.length >= limit) {
      this.windows.set(key, w);
      return true;
    }
    w.push(now);
    this.windows.set(key, w);
    return false;
  }

  // ------------------------------------------------------------ wire formats

  /** Writes an answer, trickling its body when the `trickle` fault covers its API. */
  private send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
    const bytes = Buffer.from(body, "utf8");
    res.writeHead(status, { "content-type": contentType, "x-amzn-requestid": requestId(), "content-length": bytes.length });
    const trickle = this.faults.trickle;
    const api = this.apiOf.get(res);
    if (!trickle || api === undefined || !trickle.apis.includes(api)) {
      res.end(bytes);
      return;
    }
    this.hung.add(res);
    let i = 0;
    const timer = setInterval(() => {
      if (res.destroyed || i >= bytes.length) {
        clearInterval(timer);
        this.timers.delete(timer);
        this.hung.delete(res);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(bytes.subarray(i, i + 1));
      i++;
    }, trickle.intervalMs);
    this.timers.add(timer);
    res.on("close", () => {
      clearInterval(timer);
      this.timers.delete(timer);
      this.hung.delete(res);
    });
  }

  private jsonError(res: http.ServerResponse, status: number, type: string, message: string): void {
    this.send(res, status, JSON_CONTENT, JSON.stringify({ __type: type, message }));
  }

  private json(res: http.ServerResponse, value: unknown): void {
    this.send(res, 200, JSON_CONTENT, JSON.stringify(value));
  }

  private queryError(res: http.ServerResponse, service: string, status: number, code: string, message: string, type = "Sender"): void {
    const ns = service === "sts" ? STS_NS : IAM_NS;
    const body = `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`;
    this.send(res, status, "text/xml", body);
  }

  private xml(res: http.ServerResponse, api: string, ns: string, inner: string): void {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${api}Response xmlns="${ns}"><${api}Result>${inner}</${api}Result><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${api}Response>`;
    this.send(res, 200, "text/xml", body);
  }

  // ------------------------------------------------------------ Secrets Manager

  private inRegion(region: string): StoredSecret[] {
    return this.secrets.filter((s) => s.region === region);
  }

  private find(region: string, id: unknown): StoredSecret {
    const s = this.inRegion(region).find((x) => x.arn === id || x.name === id || (typeof id === "string" && x.arn.startsWith(id + "-") && id.startsWith("arn:")));
    if (!s) throw new ApiError(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    return s;
  }

  /**
   * A secret's metadata as ListSecrets (and DescribeSecret) give it: timestamps as epoch
   * seconds; KmsKeyId, the rotation fields, LastAccessedDate and LastRotatedDate left out when
   * they do not apply, as the service leaves them out.
   */
  private listEntry(s: StoredSecret): Record<string, unknown> {
    const seconds = (d: Date) => d.getTime() / 1000;
    const created = s.createdDate ? seconds(s.createdDate) : s.created;
    const changed = s.lastChangedDate ? seconds(s.lastChangedDate) : created;
    const entry: Record<string, unknown> = { ARN: s.arn, Name: s.name };
    const key = this.listedKmsKeyId(s);
    if (key) entry.KmsKeyId = key;
    const r = s.rotation;
    if (r) {
      entry.RotationEnabled = r.enabled;
      if (r.lambdaArn) entry.RotationLambdaARN = r.lambdaArn;
      const rules: Record<string, unknown> = {};
      if (r.automaticallyAfterDays !== undefined) rules.AutomaticallyAfterDays = r.automaticallyAfterDays;
      if (r.scheduleExpression !== undefined) rules.ScheduleExpression = r.scheduleExpression;
      if (r.duration !== undefined) rules.Duration = r.duration;
      if (Object.keys(rules).length > 0) entry.RotationRules = rules;
      if (r.enabled) {
        const next = r.nextRotationDate ?? nextRotation(s.lastRotatedDate ?? new Date(changed * 1000), r);
        if (next) entry.NextRotationDate = seconds(next);
      }
    }
    if (s.lastRotatedDate) entry.LastRotatedDate = seconds(s.lastRotatedDate);
    entry.LastChangedDate = changed;
    if (s.lastAccessedDate) {
      const day = new Date(s.lastAccessedDate);
      day.setUTCHours(0, 0, 0, 0);
      entry.LastAccessedDate = seconds(day);
    }
    entry.CreatedDate = created;
    entry.Tags = Object.entries(s.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
    entry.SecretVersionsToStages = { "00000000-0000-0000-0000-000000000001": ["AWSCURRENT"] };
    if (s.primaryRegion) entry.PrimaryRegion = s.primaryRegion;
    return entry;
  }

  /** The key ARN the service lists: none for the AWS managed key; a key ARN for an alias. */
  private listedKmsKeyId(s: StoredSecret): string | undefined {
    const k = s.kmsKeyId;
    if (!k || k === "alias/aws/secretsmanager" || k.endsWith(":alias/aws/secretsmanager")) return undefined;
    if (k.startsWith("arn:")) return k.includes(":alias/") ? `arn:aws:kms:${s.region}:${this.account.account}:key/${keyIdOf(k)}` : k;
    if (k.startsWith("alias/")) return `arn:aws:kms:${s.region}:${this.account.account}:key/${keyIdOf(k)}`;
    return `arn:aws:kms:${s.region}:${this.account.account}:key/${k}`;
  }

  private secretsManager(res: http.ServerResponse, api: string, region: string, p: Record<string, unknown>, stats: ApiStats): void {
    const valueCall = api === "BatchGetSecretValue" || api === "GetSecretValue";
    if (valueCall && (this.faults.echoValuesInErrors || this.faults.malformedValueResponses)) {
      const ids = api === "GetSecretValue" ? [p.SecretId] : ((p.SecretIdList as unknown[]) ?? []);
      const values = ids.map((id) => {
        const s = this.inRegion(region).find((x) => x.arn === id || x.name === id);
        return typeof s?.value === "string" ? s.value : "";
      });
      stats.serverErrors++;
      if (this.faults.malformedValueResponses) {
        const body = `{"SecretValues":[${values.map((v) => `{"SecretString":${JSON.stringify(v)}`).join(",")}`; // truncated JSON
        res.writeHead(200, { "content-type": JSON_CONTENT, "x-amzn-requestid": requestId(), "content-length": Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      return this.jsonError(res, 500, "InternalServiceError", `failed while returning ${values.join(" | ")}`);
    }
    switch (api) {
      case "ListSecrets": {
        const max = Math.min(100, Math.max(1, Number(p.MaxResults ?? 100)));
        const start = p.NextToken && p.NextToken !== SAME_TOKEN ? Number(Buffer.from(String(p.NextToken), "base64").toString("utf8")) : 0;
        if (!Number.isInteger(start)) throw new ApiError(400, "InvalidNextTokenException", "bad token");
        const all = this.inRegion(region);
        const page = all.slice(start, start + max);
        const out: Record<string, unknown> = {
          SecretList: page.map((s) => this.listEntry(s)),
        };
        if (start + max < all.length) out.NextToken = Buffer.from(String(start + max)).toString("base64");
        if (this.faults.repeatPageToken?.includes("ListSecrets")) out.NextToken = SAME_TOKEN;
        stats.ok++;
        return this.json(res, out);
      }
      case "GetResourcePolicy": {
        const s = this.find(region, p.SecretId);
        if (this.faults.denySecrets?.includes(s.name)) {
          stats.denied++;
          throw new ApiError(400, "AccessDeniedException", `not authorized to perform: secretsmanager:GetResourcePolicy on ${s.arn}`);
        }
        stats.ok++;
        return this.json(res, { ARN: s.arn, Name: s.name, ...(s.policy !== undefined ? { ResourcePolicy: docText(s.policy) } : {}) });
      }
      case "DescribeSecret": {
        const s = this.find(region, p.SecretId);
        stats.ok++;
        return this.json(res, this.listEntry(s));
      }
      case "GetSecretValue": {
        const s = this.find(region, p.SecretId);
        stats.ok++;
        return this.json(res, { ARN: s.arn, Name: s.name, VersionId: "00000000-0000-0000-0000-000000000001", ...valueFields(s), VersionStages: ["AWSCURRENT"], CreatedDate: s.created });
      }
      case "BatchGetSecretValue": {
        const ids = (p.SecretIdList as unknown[] | undefined) ?? [];
        if (ids.length === 0 || ids.length > 20) throw new ApiError(400, "InvalidParameterException", "SecretIdList must hold 1 to 20 ids");
        const SecretValues: unknown[] = [];
        const Errors: unknown[] = [];
        for (const id of ids) {
          const s = this.inRegion(region).find((x) => x.arn === id || x.name === id);
          if (!s) Errors.push({ SecretId: id, ErrorCode: "ResourceNotFoundException", ErrorMessage: "Secrets Manager can't find the specified secret." });
          else if (this.faults.denySecrets?.includes(s.name)) Errors.push({ SecretId: id, ErrorCode: "AccessDeniedException", ErrorMessage: "not authorized" });
          else SecretValues.push({ ARN: s.arn, Name: s.name, VersionId: "00000000-0000-0000-0000-000000000001", ...valueFields(s), VersionStages: ["AWSCURRENT"], CreatedDate: s.created });
        }
        stats.ok++;
        return this.json(res, { SecretValues, Errors, ...(this.faults.repeatPageToken?.includes("BatchGetSecretValue") ? { NextToken: SAME_TOKEN } : {}) });
      }
      default:
        throw new ApiError(400, "UnknownOperationException", `secretsmanager:${api} is not emulated`);
    }
  }

  // ------------------------------------------------------------ Resource Groups Tagging API

  private tagging(res: http.ServerResponse, api: string, region: string, p: Record<string, unknown>, stats: ApiStats): void {
    if (api === "TagResources") return this.tagResources(res, region, p, stats);
    if (api !== "GetResources") throw new ApiError(400, "UnknownOperationException", `tag:${api} is not emulated`);
    const arns = (p.ResourceARNList as string[] | undefined) ?? [];
    const filters = (p.ResourceTypeFilters as string[] | undefined) ?? [];
    const tagFilters = (p.TagFilters as Array<{ Key?: string; Values?: string[] }> | undefined) ?? [];
    if (arns.length > 0 && (filters.length > 0 || tagFilters.length > 0)) throw new ApiError(400, "InvalidParameterException", "ResourceARNList cannot be combined with ResourceTypeFilters or TagFilters");
    if (arns.length > 100) throw new ApiError(400, "InvalidParameterException", "ResourceARNList holds at most 100 ARNs");
    const wanted = filters.length === 0 || filters.some((f) => f === "secretsmanager" || f === "secretsmanager:secret");
    let all = arns.length > 0 ? this.inRegion(region).filter((s) => arns.includes(s.arn)) : wanted ? this.inRegion(region) : [];
    // Tag filters: every filter must match (a key, with one of its values when values are given).
    for (const f of tagFilters) {
      all = all.filter((s) => f.Key !== undefined && s.tags?.[f.Key] !== undefined && (!f.Values?.length || f.Values.includes(s.tags[f.Key])));
    }
    // The service leaves out resources without tags unless asked by ARN.
    if (arns.length === 0) all = all.filter((s) => Object.keys(s.tags ?? {}).length > 0 || tagFilters.length === 0);
    const per = Math.min(100, Math.max(1, Number(p.ResourcesPerPage ?? 100)));
    const start = p.PaginationToken ? Number(Buffer.from(String(p.PaginationToken), "base64").toString("utf8")) : 0;
    const page = all.slice(start, start + per);
    stats.ok++;
    return this.json(res, {
      ResourceTagMappingList: page.map((s) => ({ ResourceARN: s.arn, Tags: Object.entries(s.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) })),
      PaginationToken: start + per < all.length ? Buffer.from(String(start + per)).toString("base64") : "",
    });
  }

  /**
   * TagResources: 1 to 20 ARNs, 1 to 50 tags, added or changed (never removed). A secret named in
   * `faults.tagFailures` (or not found in the request's region) is reported in
   * FailedResourcesMap, as the service reports a resource it could not tag; the others are tagged.
   */
  private tagResources(res: http.ServerResponse, region: string, p: Record<string, unknown>, stats: ApiStats): void {
    const arns = (p.ResourceARNList as unknown[] | undefined) ?? [];
    const tags = (p.Tags as Record<string, unknown> | undefined) ?? {};
    if (arns.length === 0 || arns.length > 20) throw new ApiError(400, "InvalidParameterException", "ResourceARNList must hold 1 to 20 ARNs");
    const entries = Object.entries(tags);
    if (entries.length === 0 || entries.length > 50 || entries.some(([, v]) => typeof v !== "string")) throw new ApiError(400, "InvalidParameterException", "Tags must hold 1 to 50 string values");
    const FailedResourcesMap: Record<string, { StatusCode: number; ErrorCode: string; ErrorMessage: string }> = {};
    for (const arn of arns) {
      const s = this.inRegion(region).find((x) => x.arn === arn);
      const planted = s ? this.faults.tagFailures?.[s.name] : undefined;
      if (!s) FailedResourcesMap[String(arn)] = { StatusCode: 400, ErrorCode: "InvalidParameterException", ErrorMessage: "the resource was not found in this region" };
      else if (planted) {
        FailedResourcesMap[s.arn] = { StatusCode: planted.status, ErrorCode: planted.code, ErrorMessage: `${planted.code} while tagging ${s.arn}` };
        if (planted.times !== undefined && --planted.times <= 0) delete this.faults.tagFailures![s.name];
      } else {
        s.tags = { ...(s.tags ?? {}), ...(tags as Record<string, string>) };
        this.tagged.push({ arn: s.arn, tags: { ...(tags as Record<string, string>) } });
      }
    }
    stats.ok++;
    return this.json(res, { FailedResourcesMap });
  }

  /** A secret's tags as they are now (after TagResources calls). */
  tagsOf(name: string, region?: string): Record<string, string> {
    const s = this.secrets.find((x) => x.name === name && (region === undefined || x.region === region));
    if (!s) throw new Error(`no secret ${name}`);
    return { ...(s.tags ?? {}) };
  }

  /** Every secret's tags, by ARN. */
  allTags(): Record<string, Record<string, string>> {
    return Object.fromEntries(this.secrets.map((s) => [s.arn, { ...(s.tags ?? {}) }]));
  }

  // ------------------------------------------------------------ IAM

  private principalArn(p: EmuPrincipal): string {
    return `arn:aws:iam::${this.account.account}:${p.kind}${p.path ?? "/"}${p.name}`;
  }

  private policyArn(name: string): string {
    if (name.startsWith("arn:")) return name;
    const p = this.account.policies.find((x) => x.name === name);
    return `arn:aws:iam::${this.account.account}:policy${p?.path ?? "/"}${name}`;
  }

  private iam(res: http.ServerResponse, api: string, form: URLSearchParams, stats: ApiStats): void {
    if (api !== "GetAccountAuthorizationDetails") throw new ApiError(400, "InvalidAction", `iam:${api} is not emulated`);
    const filters = [...form.entries()].filter(([k]) => /^Filter\.member\.\d+$/.test(k)).map(([, v]) => v);
    const want = (f: string) => filters.length === 0 || filters.includes(f);
    const maxItems = Math.min(1000, Math.max(1, Number(form.get("MaxItems") ?? 100)));
    const per = Math.min(maxItems, this.iamPageSize);
    const start = form.get("Marker") && form.get("Marker") !== SAME_TOKEN ? Number(Buffer.from(form.get("Marker")!, "base64").toString("utf8")) : 0;

    type Item = { list: "UserDetailList" | "GroupDetailList" | "RoleDetailList" | "Policies"; xml: string };
    const items: Item[] = [];
    const enc = (doc: object | string) => xmlEscape(encodeURIComponent(docText(doc)));
    const inline = (tag: string, list: EmuPolicy[] | undefined) =>
      `<${tag}>${(list ?? []).map((x) => `<member><PolicyName>${xmlEscape(x.name)}</PolicyName><PolicyDocument>${enc(x.document)}</PolicyDocument></member>`).join("")}</${tag}>`;
    const attached = (names: string[] | undefined) =>
      `<AttachedManagedPolicies>${(names ?? [])
        .map((n) => `<member><PolicyName>${xmlEscape(n.split("/").pop()!)}</PolicyName><PolicyArn>${xmlEscape(this.policyArn(n))}</PolicyArn></member>`)
        .join("")}</AttachedManagedPolicies>`;
    const created = "2024-01-01T00:00:00Z";
    for (const p of this.account.principals) {
      const head = `<Path>${xmlEscape(p.path ?? "/")}</Path><Arn>${xmlEscape(this.principalArn(p))}</Arn><CreateDate>${created}</CreateDate>`;
      if (p.kind === "user" && want("User")) {
        items.push({
          list: "UserDetailList",
          xml: `<member><UserName>${xmlEscape(p.name)}</UserName><UserId>AIDA${p.name.length}</UserId>${head}${inline("UserPolicyList", p.inline)}<GroupList>${(p.groups ?? []).map((g) => `<member>${xmlEscape(g)}</member>`).join("")}</GroupList>${attached(p.attached)}</member>`,
        });
      } else if (p.kind === "group" && want("Group")) {
        items.push({
          list: "GroupDetailList",
          xml: `<member><GroupName>${xmlEscape(p.name)}</GroupName><GroupId>AGPA${p.name.length}</GroupId>${head}${inline("GroupPolicyList", p.inline)}${attached(p.attached)}</member>`,
        });
      } else if (p.kind === "role" && want("Role")) {
        const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] };
        items.push({
          list: "RoleDetailList",
          xml: `<member><RoleName>${xmlEscape(p.name)}</RoleName><RoleId>AROA${p.name.length}</RoleId>${head}<AssumeRolePolicyDocument>${enc(trust)}</AssumeRolePolicyDocument><InstanceProfileList/>${inline("RolePolicyList", p.inline)}${attached(p.attached)}</member>`,
        });
      }
    }
    if (want("LocalManagedPolicy")) {
      for (const m of this.account.policies) {
        const count = this.account.principals.filter((p) => (p.attached ?? []).some((a) => this.policyArn(a) === this.policyArn(m.name))).length;
        items.push({
          list: "Policies",
          xml: `<member><PolicyName>${xmlEscape(m.name)}</PolicyName><PolicyId>ANPA${m.name.length}</PolicyId><Arn>${xmlEscape(this.policyArn(m.name))}</Arn><Path>${xmlEscape(m.path ?? "/")}</Path><DefaultVersionId>v2</DefaultVersionId><AttachmentCount>${count}</AttachmentCount><IsAttachable>true</IsAttachable><CreateDate>${created}</CreateDate><UpdateDate>${created}</UpdateDate><PolicyVersionList><member><Document>${enc({ Version: "2012-10-17", Statement: [] })}</Document><VersionId>v1</VersionId><IsDefaultVersion>false</IsDefaultVersion><CreateDate>${created}</CreateDate></member><member><Document>${enc(m.document)}</Document><VersionId>v2</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>${created}</CreateDate></member></PolicyVersionList></member>`,
        });
      }
    }
    if (want("AWSManagedPolicy")) {
      for (const m of this.account.awsManagedPolicies ?? []) {
        const arn = `arn:aws:iam::aws:policy${m.path ?? "/"}${m.name}`;
        const count = this.account.principals.filter((p) => (p.attached ?? []).includes(arn)).length;
        if (count === 0) continue;
        items.push({
          list: "Policies",
          xml: `<member><PolicyName>${xmlEscape(m.name)}</PolicyName><PolicyId>ANPAAWS${m.name.length}</PolicyId><Arn>${xmlEscape(arn)}</Arn><Path>${xmlEscape(m.path ?? "/")}</Path><DefaultVersionId>v1</DefaultVersionId><AttachmentCount>${count}</AttachmentCount><IsAttachable>true</IsAttachable><CreateDate>${created}</CreateDate><UpdateDate>${created}</UpdateDate><PolicyVersionList><member><Document>${enc(m.document)}</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>${created}</CreateDate></member></PolicyVersionList></member>`,
        });
      }
    }
    const page = items.slice(start, start + per);
    const lists = ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"] as const;
    const repeat = this.faults.repeatPageToken?.includes("GetAccountAuthorizationDetails") === true;
    const truncated = repeat || start + per < items.length;
    const inner =
      lists.map((l) => `<${l}>${page.filter((i) => i.list === l).map((i) => i.xml).join("")}</${l}>`).join("") +
      `<IsTruncated>${truncated}</IsTruncated>` +
      (truncated ? `<Marker>${repeat ? SAME_TOKEN : Buffer.from(String(start + per)).toString("base64")}</Marker>` : "");
    stats.ok++;
    this.xml(res, api, IAM_NS, inner);
  }

  // ------------------------------------------------------------ STS

  private sts(res: http.ServerResponse, api: string, form: URLSearchParams, stats: ApiStats): void {
    if (api === "GetCallerIdentity") {
      stats.ok++;
      const name = this.account.callerName ?? "auditor";
      return this.xml(res, api, STS_NS, `<Arn>arn:aws:iam::${this.account.account}:user/${name}</Arn><UserId>AIDAAUDITOR</UserId><Account>${this.account.account}</Account>`);
    }
    if (api === "AssumeRole") {
      const roleArn = form.get("RoleArn") ?? "";
      const externalId = form.get("ExternalId") ?? undefined;
      this.assumed.push({ roleArn, ...(externalId !== undefined ? { externalId } : {}) });
      stats.ok++;
      const exp = new Date(Date.now() + 3600_000).toISOString();
      return this.xml(
        res,
        api,
        STS_NS,
        `<Credentials><AccessKeyId>ASIAASSUMED</AccessKeyId><SecretAccessKey>assumedsecret</SecretAccessKey><SessionToken>assumedtoken</SessionToken><Expiration>${exp}</Expiration></Credentials><AssumedRoleUser><Arn>${xmlEscape(roleArn.replace(":role/", ":assumed-role/"))}/secretlint-audit</Arn><AssumedRoleId>AROA:secretlint-audit</AssumedRoleId></AssumedRoleUser>`,
      );
    }
    throw new ApiError(400, "InvalidAction", `sts:${api} is not emulated`);
  }
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function valueFields(s: StoredSecret): Record<string, string> {
  if (s.value === undefined) return {};
  if (typeof s.value === "string") return { SecretString: s.value };
  return { SecretBinary: Buffer.from(s.value).toString("base64") };
}

/** A key id (UUID form) standing for an alias, the same for the same alias. */
function keyIdOf(alias: string): string {
  const h = createHash("sha256").update(alias).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The next rotation after `from` for a schedule in days (`AutomaticallyAfterDays`,
 * `rate(N days)`, `rate(N hours)`); undefined for a cron schedule (give `nextRotationDate`).
 */
function nextRotation(from: Date, r: EmuRotation): Date | undefined {
  let hours: number | undefined;
  if (r.automaticallyAfterDays !== undefined) hours = r.automaticallyAfterDays * 24;
  const m = /^rate\((\d+) (day|days|hour|hours)\)$/.exec(r.scheduleExpression ?? "");
  if (m) hours = Number(m[1]) * (m[2].startsWith("day") ? 24 : 1);
  return hours === undefined ? undefined : new Date(from.getTime() + hours * 3600_000);
}

function requestId(): string {
  return randomBytes(16).toString("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
}
