// AWS errors, made safe to show. An SDK error may carry the request and response (`$response`,
// a deserialisation error's body, a `cause` chain): for a call that returns secret values,
// that is the values. So no SDK error leaves the collector as it is: each becomes an
// AwsCallError built from the error's name, HTTP status and request id, and, for calls that
// return no value, its message (cut short, control characters removed). Nothing else of the
// original error (no stack, no cause, no body) is kept.

/** Calls whose responses hold secret values: their error messages are never shown. */
const VALUE_CALLS: ReadonlySet<string> = new Set(["secretsmanager:BatchGetSecretValue", "secretsmanager:GetSecretValue"]);

const ACCESS_DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnauthorizedAccess",
  "AuthorizationError",
  "NotAuthorized",
]);

const CREDENTIAL_ERRORS = new Set([
  "CredentialsProviderError",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "TokenRefreshRequired",
]);

export type AwsErrorKind = "access-denied" | "credentials" | "not-found" | "throttled" | "timeout" | "network" | "server" | "other";

/** A failed AWS call, with nothing of the request or response but what is safe to show. */
export class AwsCallError extends Error {
  constructor(
    readonly api: string,
    readonly kind: AwsErrorKind,
    readonly code: string,
    message: string,
    readonly region?: string,
    readonly status?: number,
    /** What went wrong, in words, when the code alone does not say (an answer that was not AWS's, a page token repeated). */
    readonly detail?: string,
  ) {
    super(message);
    this.name = "AwsCallError";
  }
}

/** Setting up access failed (no region, no credentials, the role could not be assumed): one line, exit 2. */
export class AwsAccessError extends Error {}

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
  $fault?: unknown;
  $response?: { headers?: Record<string, string | undefined> };
}

/** Printable, short, one line: no control character (C0, C1, separators, bidirectional controls) of the endpoint's survives. */
export function clean(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const one = text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** An error code as AWS writes them (letters, digits, `.`, `_`, `-`), or "Error". */
function codeOf(text: string): string {
  const c = clean(text, 80);
  return /^[\w.:-]+$/.test(c) ? c : "Error";
}

/**
 * Whether the SDK could not read the answer as the protocol's: a proxy's HTML page, a body
 * cut short, anything but AWS's JSON or XML. The SDK's message then quotes the body and adds a
 * hint about `{error}.$response`: neither is shown.
 */
function isUnreadableAnswer(e: SdkErrorLike): boolean {
  if (e.name === "TimeoutError") return false;
  if (e.name === "SyntaxError") return true;
  // An answer in neither of AWS's protocols (a proxy's HTML page): the SDK names it `Unknown`.
  const type = contentTypeOf(e);
  if (type !== undefined && !/json|xml/.test(type)) return true;
  return typeof e.message === "string" && /Deserialization error|XML parse error|not valid JSON|Unexpected token|Unexpected end of JSON|Expected .* in JSON/.test(e.message);
}

/** The answer's content type, when the SDK kept the response: `text/html`. */
function contentTypeOf(e: SdkErrorLike): string | undefined {
  try {
    const h = e.$response?.headers ?? {};
    const v = h["content-type"] ?? h["Content-Type"];
    const t = typeof v === "string" ? v.split(";")[0].trim().toLowerCase() : "";
    return /^[\w.+-]+\/[\w.+-]+$/.test(t) ? t : undefined;
  } catch {
    return undefined;
  }
}

function kindOf(code: string, status: number | undefined): AwsErrorKind {
  if (ACCESS_DENIED.has(code) || status === 403) return CREDENTIAL_ERRORS.has(code) ? "credentials" : "access-denied";
  if (CREDENTIAL_ERRORS.has(code)) return "credentials";
  if (code === "ResourceNotFoundException" || code === "NoSuchEntity" || status === 404) return "not-found";
  if (/Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(code) || status === 429) return "throttled";
  if (/Timeout|TimedOut|Abort/i.test(code)) return "timeout";
  if (/^(?:ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/.test(code)) return "network";
  if (status !== undefined && status >= 500) return "server";
  return "other";
}

/** Turns whatever a call threw into an AwsCallError that is safe to show anywhere. */
export function sanitizeAwsError(err: unknown, api: string, region?: string): AwsCallError {
  if (err instanceof AwsCallError) return err;
  const e = (err ?? {}) as SdkErrorLike;
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  const requestId = e.$metadata?.requestId;
  const where = region ? ` in ${region}` : "";
  if (isUnreadableAnswer(e)) {
    const type = contentTypeOf(e);
    const what = `the answer was not AWS's${type ? ` (${type})` : ""}`;
    const kind = status !== undefined && status >= 500 ? "server" : "other";
    return new AwsCallError(api, kind, "UnreadableAnswer", `${api}${where} failed: ${status !== undefined ? `HTTP ${status}, ` : ""}${what}`, region, status, what);
  }
  const code = codeOf(typeof e.name === "string" && e.name !== "Error" ? e.name : typeof e.code === "string" ? e.code : "Error");
  const kind = kindOf(code, status);
  const parts = [`${api}${where} failed: ${code}`];
  if (status !== undefined) parts.push(`HTTP ${status}`);
  if (requestId) parts.push(`request id ${clean(requestId, 80)}`);
  let text = parts.join(", ");
  if (!VALUE_CALLS.has(api) && typeof e.message === "string" && e.message !== "" && e.message !== code) text += `: ${clean(e.message.split("\n")[0])}`;
  return new AwsCallError(api, kind, code, text, region, status);
}
