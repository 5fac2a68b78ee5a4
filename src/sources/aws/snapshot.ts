// Snapshots: the account data of a live audit as a JSON file (`--snapshot-out`), read back by
// `audit --snapshot` to audit offline. It holds metadata and value shapes, never a value: the
// collector never keeps one. A schema version guards the format; a reader refuses other versions.

import fs from "node:fs";
import { SNAPSHOT_SCHEMA_VERSION, type AccountData, type Snapshot } from "./data.js";
import { MAX_DATA_FILE_BYTES, readNamedFile } from "../../files/read.js";
import { parseJsonText } from "../../util/json.js";

/** The snapshot of account data, with a stable order (so snapshots diff well). */
export function toSnapshot(data: AccountData, tool: { name: string; version: string }, createdAt: Date = data.readAt ? new Date(data.readAt) : new Date()): Snapshot {
  const secrets = [...data.secrets].sort((a, b) => cmp(a.region, b.region) || cmp(a.name, b.name) || cmp(a.arn, b.arn));
  const snapshot: Snapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    tool,
    createdAt: createdAt.toISOString(),
    ...(data.account ? { account: data.account } : {}),
    partition: data.partition,
    ...(data.caller ? { caller: data.caller } : {}),
    regions: [...data.regions],
    listedRegions: [...data.listedRegions],
    readValues: data.readValues,
    notices: data.notices,
    secrets,
  };
  if (data.iam) {
    snapshot.iam = {
      principals: [...data.iam.principals].sort((a, b) => cmp(a.arn, b.arn)),
      policies: [...data.iam.policies].sort((a, b) => cmp(a.arn, b.arn)),
    };
  }
  return snapshot;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function snapshotText(snapshot: Snapshot): string {
  return JSON.stringify(snapshot, null, 2) + "\n";
}

export function writeSnapshot(file: string, snapshot: Snapshot): void {
  fs.writeFileSync(file, snapshotText(snapshot));
}

/** A snapshot that cannot be read or is not valid: one line, exit 2. */
export class SnapshotError extends Error {}

/** Reads and checks a snapshot; a bad file is a SnapshotError. */
export function readSnapshot(file: string): { snapshot: Snapshot; text: string } {
  const text = readNamedFile(file, "snapshot", MAX_DATA_FILE_BYTES);
  if (typeof text !== "string") throw new SnapshotError(`${text.error} (write one with \`secretlint audit --live --snapshot-out FILE\`)`);
  return { snapshot: parseSnapshot(text, file), text };
}

export function parseSnapshot(text: string, file = "snapshot"): Snapshot {
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new SnapshotError(`${file}: not a snapshot (${parsed.error}); write one with \`secretlint audit --live --snapshot-out FILE\``);
  const data = parsed.value;
  const bad = (what: string) => new SnapshotError(`${file}: not a valid snapshot: ${what}`);
  if (!isRecord(data)) throw bad("expected a JSON object");
  if (data.schemaVersion !== SNAPSHOT_SCHEMA_VERSION) {
    throw new SnapshotError(
      `${file}: snapshot schema version ${JSON.stringify(data.schemaVersion ?? null)} is not supported (this secretlint reads version ${SNAPSHOT_SCHEMA_VERSION}); write it again with this version`,
    );
  }
  if (!Array.isArray(data.regions) || !data.regions.every((r) => typeof r === "string")) throw bad("`regions` must be a list of region names");
  if (!Array.isArray(data.secrets)) throw bad("`secrets` must be a list");
  data.secrets.forEach((s, i) => {
    if (!isRecord(s) || typeof s.arn !== "string" || typeof s.name !== "string" || typeof s.region !== "string") {
      throw bad(`secrets[${i}] needs \`arn\`, \`name\` and \`region\` strings`);
    }
    if (s.tags !== undefined && (!isRecord(s.tags) || !Object.values(s.tags).every((v) => typeof v === "string"))) throw bad(`secrets[${i}].tags must map tag keys to strings`);
    for (const k of ["createdDate", "lastChangedDate", "lastAccessedDate", "lastRotatedDate", "nextRotationDate"] as const) {
      if (s[k] !== undefined && !isDate(s[k])) throw bad(`secrets[${i}].${k} must be a date and time (ISO 8601, like 2026-01-31T00:00:00.000Z)`);
    }
    if (s.rotationEnabled !== undefined && typeof s.rotationEnabled !== "boolean") throw bad(`secrets[${i}].rotationEnabled must be true or false`);
    if (s.kmsKeyId !== undefined && typeof s.kmsKeyId !== "string") throw bad(`secrets[${i}].kmsKeyId must be a string`);
    if (s.rotationRules !== undefined) {
      const r = s.rotationRules;
      if (
        !isRecord(r) ||
        (r.automaticallyAfterDays !== undefined && !(Number.isInteger(r.automaticallyAfterDays) && (r.automaticallyAfterDays as number) > 0)) ||
        (r.scheduleExpression !== undefined && typeof r.scheduleExpression !== "string") ||
        (r.duration !== undefined && typeof r.duration !== "string")
      ) {
        throw bad(`secrets[${i}].rotationRules may hold automaticallyAfterDays (a whole number of days), scheduleExpression and duration (strings)`);
      }
    }
    if (s.value !== undefined) {
      const v = s.value;
      if (!isRecord(v) || !["json-object", "json-other", "plain", "binary"].includes(v.kind as string)) throw bad(`secrets[${i}].value.kind must be json-object, json-other, plain or binary`);
      if (v.kind === "json-object" && (!Array.isArray(v.keys) || !v.keys.every((k) => typeof k === "string"))) throw bad(`secrets[${i}].value.keys must be a list of key names`);
      // Only the shape is ever recorded: anything else in `value` is refused.
      if (Object.keys(v).some((k) => k !== "kind" && k !== "keys")) throw bad(`secrets[${i}].value holds more than a shape (kind and keys)`);
    }
  });
  if (data.iam !== undefined) {
    const iam = data.iam;
    if (!isRecord(iam) || !Array.isArray(iam.principals) || !Array.isArray(iam.policies)) throw bad("`iam` must hold `principals` and `policies` lists");
    iam.principals.forEach((p, i) => {
      if (!isRecord(p) || typeof p.arn !== "string" || typeof p.name !== "string" || !["user", "role", "group"].includes(p.kind as string)) {
        throw bad(`iam.principals[${i}] needs \`arn\`, \`name\` and \`kind\` (user, role or group)`);
      }
    });
    iam.policies.forEach((p, i) => {
      if (!isRecord(p) || typeof p.arn !== "string" || typeof p.name !== "string") throw bad(`iam.policies[${i}] needs \`arn\` and \`name\``);
    });
  }
  if (data.createdAt !== undefined && !isDate(data.createdAt)) throw bad("`createdAt` must be a date and time (ISO 8601)");
  const snap = data as unknown as Snapshot;
  // The time the account was read: rules on dates count from it, not from today.
  if (snap.createdAt !== undefined) snap.readAt = new Date(snap.createdAt).toISOString();
  // Defaults for what older writers or hand-written examples may leave out.
  snap.partition ??= "aws";
  snap.listedRegions ??= [...snap.regions];
  snap.readValues ??= false;
  snap.notices ??= [];
  for (const s of snap.secrets) s.tags ??= {};
  if (snap.iam) {
    for (const p of snap.iam.principals) {
      p.inlinePolicies ??= [];
      p.managedPolicies ??= [];
    }
  }
  return snap;
}

function isDate(x: unknown): boolean {
  return typeof x === "string" && /^\d{4}-\d{2}-\d{2}T/.test(x) && !Number.isNaN(Date.parse(x));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}
