// What a live audit learns of an account, as plain JSON: the record the collectors fill, the
// snapshot file holds (`--snapshot-out`, `audit --snapshot`), and the inventory is built from
// (inventory.ts). It never holds a secret value: with `--read-values` only the value's shape
// (JSON object with its top-level key names, other JSON, plain text, binary) is kept.

/** The snapshot format's version; a reader refuses other versions. */
export const SNAPSHOT_SCHEMA_VERSION = 1;

/** The shape of a secret's value, learned with `--read-values`; never the value. */
export type ValueShapeRecord =
  | { kind: "json-object"; keys: string[] }
  | { kind: "json-other" }
  | { kind: "plain" }
  | { kind: "binary" };

export interface SecretRecord {
  arn: string;
  name: string;
  region: string;
  /** Tags in the order AWS lists them. */
  tags: Record<string, string>;
  /** Absent when the secret uses the AWS managed key `aws/secretsmanager` (the service leaves it out). */
  kmsKeyId?: string;
  /** Absent when rotation was never configured (the service leaves it out). */
  rotationEnabled?: boolean;
  /** The rotation schedule, when one is configured. */
  rotationRules?: RotationRulesRecord;
  /** Dates the service gives (ISO 8601), each absent when it leaves it out. */
  createdDate?: string;
  lastChangedDate?: string;
  /** The day the secret was last read in its region; absent when never read there. */
  lastAccessedDate?: string;
  /** The last successful rotation; absent when never rotated. */
  lastRotatedDate?: string;
  /** The next scheduled rotation; absent when rotation is off. */
  nextRotationDate?: string;
  /** For a replica: the region of its primary secret. */
  primaryRegion?: string;
  /** A secret a service manages (RDS, …). */
  owningService?: string;
  /**
   * The resource policy (parsed JSON; the text itself when it is not JSON); null when the
   * secret has none; absent when it could not be read (denied, throttled out).
   */
  resourcePolicy?: unknown;
  /** The value's shape (`--read-values`); absent when not read. */
  value?: ValueShapeRecord;
}

/** `RotationRules` as `ListSecrets` gives it. */
export interface RotationRulesRecord {
  automaticallyAfterDays?: number;
  scheduleExpression?: string;
  duration?: string;
}

export interface PolicyRecord {
  name: string;
  /** The document, URL-decoded and parsed (the text itself when it is not JSON). */
  document: unknown;
}

export interface PrincipalRecord {
  arn: string;
  kind: "user" | "role" | "group";
  name: string;
  path?: string;
  inlinePolicies: PolicyRecord[];
  /** ARNs of the managed policies attached to it. */
  managedPolicies: string[];
  /** For a user: the names of its groups. */
  groups?: string[];
}

export interface ManagedPolicyRecord {
  arn: string;
  name: string;
  path?: string;
  /** The default version's document. */
  document: unknown;
}

/** Something the audit could not read: the result is partial. */
export interface AuditNotice {
  level: "error" | "warning" | "note";
  message: string;
  /** `secretsmanager:GetResourcePolicy`, `iam:GetAccountAuthorizationDetails`… */
  api?: string;
  region?: string;
  /** True when something the rules need could not be read (exit 2 unless --allow-partial). */
  partial: boolean;
}

export interface AccountData {
  account?: string;
  partition: string;
  /** Who made the calls (the role or user ARN from sts:GetCallerIdentity). */
  caller?: string;
  /** The regions audited. */
  regions: string[];
  /** Regions whose secret listing is complete (a secret not listed there does not exist). */
  listedRegions: string[];
  /** Whether values were read for their shape (`--read-values`). */
  readValues: boolean;
  secrets: SecretRecord[];
  /**
   * When the account was read (ISO 8601): rules on dates count from it. A snapshot keeps it
   * as `createdAt`.
   */
  readAt?: string;
  /** Absent when IAM could not be read. */
  iam?: { principals: PrincipalRecord[]; policies: ManagedPolicyRecord[] };
  notices: AuditNotice[];
}

/** The file `--snapshot-out` writes. */
export interface Snapshot extends AccountData {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  /** The tool and version that wrote it. */
  tool: { name: string; version: string };
  /** When the account was read (ISO 8601). */
  createdAt: string;
}

/**
 * The shape of a secret value: parses it only to learn whether it is a JSON object and its
 * top-level key names. Nothing of the value is kept, and nothing of it reaches an error.
 */
export function shapeOfValue(value: { SecretString?: string; SecretBinary?: Uint8Array }): ValueShapeRecord {
  if (typeof value.SecretString === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.SecretString);
    } catch {
      // The parser's message quotes the text: dropped with it.
      return { kind: "plain" };
    }
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return { kind: "json-object", keys: Object.keys(parsed) };
    return { kind: "json-other" };
  }
  if (value.SecretBinary !== undefined) return { kind: "binary" };
  return { kind: "plain" };
}

/** A policy document as AWS returns it (IAM's URL-encoded, or plain JSON text), parsed. */
export function parsePolicyText(text: string, urlEncoded: boolean): unknown {
  let decoded = text;
  if (urlEncoded) {
    try {
      decoded = decodeURIComponent(text);
    } catch {
      decoded = text;
    }
  }
  try {
    return JSON.parse(decoded) as unknown;
  } catch {
    return decoded;
  }
}
