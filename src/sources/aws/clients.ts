// AWS SDK clients for a live audit: the default credential chain (or `--profile`), optionally
// an assumed role (`--role-arn`, `--external-id`); `--endpoint-url`, or the SDK's own
// `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` variables; adaptive retries (the SDK backs
// off on throttling and slows its own sending rate); a timeout on every attempt.

import { AwsAccessError, sanitizeAwsError } from "./errors.js";
import { AssumeRoleCommand, IAMClient, ResourceGroupsTaggingAPIClient, SecretsManagerClient, STSClient } from "./sdk.js";

export interface ClientOptions {
  profile?: string;
  roleArn?: string;
  externalId?: string;
  /** One endpoint for every service (as the AWS CLI's `--endpoint-url`). */
  endpointUrl?: string;
  /** Milliseconds one attempt of a call may take (connection included). Default 20 s. */
  timeoutMs?: number;
  /** Attempts per call, the first included. Default 8. */
  maxAttempts?: number;
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_ATTEMPTS = 8;

/** The region IAM (a global service) is called in, by partition. */
export function iamRegionFor(region: string): string {
  if (region.startsWith("cn-")) return "cn-north-1";
  if (region.startsWith("us-gov-")) return "us-gov-west-1";
  if (region.startsWith("us-iso-")) return "us-iso-east-1";
  if (region.startsWith("us-isob-")) return "us-isob-east-1";
  return "us-east-1";
}

/** The SDK's own AWS_MAX_ATTEMPTS, when set to a positive integer. */
function envAttempts(): number | undefined {
  const n = Number(process.env.AWS_MAX_ATTEMPTS);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The clients of one audit; create it once loadAwsSdk() has resolved (collectAccount does). */
export class AwsSession {
  private credentials?: () => Promise<Credentials>;
  private readonly sm = new Map<string, SecretsManagerClient>();
  private readonly tag = new Map<string, ResourceGroupsTaggingAPIClient>();
  private readonly clients: Array<{ destroy(): void }> = [];

  constructor(readonly options: ClientOptions) {}

  /** Client configuration shared by every client. */
  private config(region: string) {
    const timeout = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return {
      region,
      ...(this.options.profile ? { profile: this.options.profile } : {}),
      ...(this.options.endpointUrl ? { endpoint: this.options.endpointUrl } : {}),
      ...(this.credentials ? { credentials: this.credentials } : {}),
      retryMode: "adaptive",
      maxAttempts: this.options.maxAttempts ?? envAttempts() ?? DEFAULT_MAX_ATTEMPTS,
      requestHandler: { requestTimeout: timeout, connectionTimeout: Math.min(timeout, 10_000), throwOnRequestTimeout: true },
    };
  }

  /** The region of the profile or environment, for an audit given no `--regions`. */
  async defaultRegion(): Promise<string | undefined> {
    const probe = new STSClient({ ...(this.options.profile ? { profile: this.options.profile } : {}) });
    try {
      return await probe.config.region();
    } catch {
      return undefined;
    } finally {
      probe.destroy();
    }
  }

  /** With `--role-arn`: assumes the role once (refreshing it before it expires) for every client. */
  async prepare(region: string): Promise<void> {
    const { roleArn, externalId } = this.options;
    if (!roleArn) return;
    const sts = this.track(new STSClient(this.config(region)));
    let current: Credentials | undefined;
    let pending: Promise<Credentials> | undefined;
    const assume = async (): Promise<Credentials> => {
      try {
        const out = await sts.send(
          new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "secretlint-audit", DurationSeconds: 3600, ...(externalId ? { ExternalId: externalId } : {}) }),
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error("no credentials in the AssumeRole response");
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      } catch (err) {
        const safe = sanitizeAwsError(err, "sts:AssumeRole", region);
        throw new AwsAccessError(`cannot assume ${roleArn}: ${safe.message}; check the role's trust policy${externalId ? " and the external id" : ""}`);
      }
    };
    this.credentials = async () => {
      const fresh = current && (!current.expiration || current.expiration.getTime() - Date.now() > 5 * 60_000);
      if (fresh) return current!;
      pending ??= assume().finally(() => (pending = undefined));
      current = await pending;
      return current;
    };
    await this.credentials();
  }

  sts(region: string): STSClient {
    return this.track(new STSClient(this.config(region)));
  }

  iam(region: string): IAMClient {
    return this.track(new IAMClient(this.config(iamRegionFor(region))));
  }

  secretsManager(region: string): SecretsManagerClient {
    let c = this.sm.get(region);
    if (!c) this.sm.set(region, (c = this.track(new SecretsManagerClient(this.config(region)))));
    return c;
  }

  /** The Resource Groups Tagging API of a region (`audit --apply`, and reading tags by ARN). */
  tagging(region: string): ResourceGroupsTaggingAPIClient {
    let c = this.tag.get(region);
    if (!c) this.tag.set(region, (c = this.track(new ResourceGroupsTaggingAPIClient(this.config(region)))));
    return c;
  }

  private track<T extends { destroy(): void; middlewareStack: MiddlewareStackLike }>(c: T): T {
    addAttemptDeadline(c.middlewareStack, this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.clients.push(c);
    return c;
  }

  /** Closes every client's connections. */
  destroy(): void {
    for (const c of this.clients) c.destroy();
    this.clients.length = 0;
    this.sm.clear();
    this.tag.clear();
  }
}

interface MiddlewareStackLike {
  addRelativeTo(middleware: unknown, options: { relation: "before" | "after"; toMiddleware: string; name: string; override?: boolean }): void;
}

interface StreamLike {
  once(event: string, listener: () => void): unknown;
  destroy(error?: Error): unknown;
}

/**
 * Bounds each attempt of a call, its body included, by the timeout. The SDK's own
 * `requestTimeout` stops only when no headers come; a body that trickles a byte at a time would
 * go on for ever. Placed inside the deserializer (so once per attempt, under the retries): when
 * the time is up, the body is destroyed with a TimeoutError, which the SDK retries like any
 * timeout.
 */
export function addAttemptDeadline(stack: MiddlewareStackLike, timeoutMs: number): void {
  const middleware =
    (next: (args: unknown) => Promise<{ response?: { body?: unknown } }>) =>
    async (args: unknown) => {
      const started = Date.now();
      const result = await next(args);
      const body = result.response?.body as Partial<StreamLike> | undefined;
      if (body && typeof body.once === "function" && typeof body.destroy === "function") {
        const stream = body as StreamLike;
        const timer = setTimeout(
          () => stream.destroy(Object.assign(new Error(`no complete answer within the ${timeoutMs / 1000} s timeout`), { name: "TimeoutError", code: "ETIMEDOUT" })),
          Math.max(0, timeoutMs - (Date.now() - started)),
        );
        const done = () => clearTimeout(timer);
        stream.once("end", done);
        stream.once("close", done);
        stream.once("error", done);
      }
      return result;
    };
  stack.addRelativeTo(middleware, { relation: "after", toMiddleware: "deserializerMiddleware", name: "secretlintAttemptDeadline", override: true });
}
