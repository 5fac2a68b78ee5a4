// Which integrations read a secret, from what the inventory says each one reads: Sym
// (`sym_secret.path`), Apono (integrations' secret ids and `apono.secrets` patterns), the
// Flyte/Union data plane (flytekit requests and `dataPlane.secrets` patterns), Mage
// (`aws_secret_var('NAME')`). For the `readBy` selector of the organisation's policies.
// This is what the integrations are configured to read, not who IAM lets read it.

import type { Inventory, Secret } from "../../inventory/model.js";
import { knownString } from "../../terraform/values.js";
import type { RuleSettings } from "../rule.js";
import { aponoReadSecrets, namePatternMatches, secretsNamedBy, secretsReadByRef } from "./apono.js";
import { isAwsRequest, requestArn, secretsRequested } from "./flyte.js";
import { awsSecretRefs } from "./mage.js";
import { secretsReadBy } from "./sym.js";

export const INTEGRATIONS = ["sym", "apono", "flyte", "mage"] as const;
export type Integration = (typeof INTEGRATIONS)[number];

export interface IntegrationReads {
  /** The secrets it is known to read. */
  secrets: Set<Secret>;
  /** False when some reference could name a secret not in `secrets` (its name is unknown). */
  complete: boolean;
  /** Whether anything of the integration names secrets (then a secret whose name is unknown may be one). */
  names: boolean;
}

/** What each integration reads in an inventory. */
export function integrationReads(inventory: Inventory, settings: Readonly<RuleSettings>): Record<Integration, IntegrationReads> {
  const sym: IntegrationReads = { secrets: new Set(), complete: true, names: inventory.symSecrets.length > 0 };
  for (const s of inventory.symSecrets) {
    const reads = secretsReadBy(inventory, s);
    for (const x of reads.secrets) sym.secrets.add(x);
    if (!reads.certain) sym.complete = false;
  }

  const apono: IntegrationReads = { secrets: new Set(), complete: true, names: inventory.aponoSecretRefs.length > 0 || settings.aponoSecretPatterns.length > 0 };
  for (const { secret } of aponoReadSecrets(inventory, settings)) apono.secrets.add(secret);
  for (const ref of inventory.aponoSecretRefs) {
    if (ref.secretRef === undefined && secretsReadByRef(inventory, ref).length === 0 && knownString(ref.secretId.value) === undefined) apono.complete = false;
  }

  const flyte: IntegrationReads = { secrets: new Set(), complete: true, names: inventory.flyteSecretRequests.some(isAwsRequest) || settings.dataPlaneSecretPatterns.length > 0 };
  for (const r of inventory.flyteSecretRequests) {
    if (!isAwsRequest(r)) continue;
    const found = secretsRequested(inventory, r);
    for (const x of found) flyte.secrets.add(x);
    if (found.length === 0 && knownString(requestArn(r) ?? null) === undefined) flyte.complete = false;
  }
  for (const s of inventory.secrets) {
    const name = knownString(s.name.value);
    if (name !== undefined && settings.dataPlaneSecretPatterns.some((p) => namePatternMatches(p, name))) flyte.secrets.add(s);
  }

  const mage: IntegrationReads = { secrets: new Set(), complete: true, names: inventory.mageSecretRefs.some((r) => r.function === "aws_secret_var") };
  for (const { name } of awsSecretRefs(inventory)) for (const x of secretsNamedBy(inventory, name)) mage.secrets.add(x);
  if (inventory.mageSecretRefs.some((r) => r.function === "aws_secret_var" && knownString(r.name.value) === undefined)) mage.complete = false;
  return { sym, apono, flyte, mage };
}

/** Whether an integration reads a secret: true, false, or undefined when that cannot be known. */
export function readsSecret(reads: IntegrationReads, secret: Secret): boolean | undefined {
  if (reads.secrets.has(secret)) return true;
  if (!reads.complete) return undefined;
  // A secret whose name is unknown may be the one a written name refers to.
  if (knownString(secret.name.value) === undefined && reads.names) return undefined;
  return false;
}
