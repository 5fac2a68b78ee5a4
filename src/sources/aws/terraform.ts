// `audit --tf DIR`: the account cross-checked with its Terraform. Each declared secret is
// matched to the account's by name (and region, when the declaration's is known; by name
// alone when it is not and only one secret of the audited regions has it). A matched live
// secret takes the declaration's id and file location (its origin then holds both), so live
// findings point at the code to fix and the declared `sym_secret`s and Apono integrations,
// which refer to declarations, reach the live secrets. Declared secrets the account does not
// hold, in a region whose listing is complete, are drift (`drift/secret-missing-live`).
//
// What the audit takes from Terraform: the integrations (Sym, Apono, Flyte, Mage objects),
// the Sym access policies of well-known modules, the data plane's region, parse errors, and
// literal text (in memory only). The account's own facts (secrets, IAM) come from the account.

import type { Drift, Inventory, Origin, Secret } from "../../inventory/model.js";
import { knownString } from "../../terraform/values.js";
import type { AccountData } from "./data.js";

/** Both places: the file (and address) of the declaration, the ARN of the live resource. */
export function bothOrigins(declared: Origin | undefined, live: Origin): Origin {
  const out: Origin = { ...live };
  if (declared?.file) out.file = declared.file;
  if (declared?.address) out.address = declared.address;
  return out;
}

export function mergeWithTerraform(live: Inventory, tf: Inventory, data: AccountData): Inventory {
  const drift: Drift = { missingLive: [], matched: [] };
  const byName = new Map<string, Secret[]>();
  for (const s of live.secrets) {
    const name = knownString(s.name.value);
    if (name === undefined) continue;
    const list = byName.get(name) ?? [];
    list.push(s);
    byName.set(name, list);
  }
  const listed = new Set(data.listedRegions);
  const taken = new Set<Secret>();
  const replaced = new Map<Secret, Secret>();

  for (const declared of tf.secrets) {
    const name = knownString(declared.name.value);
    if (name === undefined) continue; // cannot be matched, nor said missing
    const region = knownString(declared.region.value);
    const candidates = (byName.get(name) ?? []).filter((s) => !taken.has(s));
    let match: Secret | undefined;
    if (region !== undefined) match = candidates.find((s) => s.region.value === region);
    else if (candidates.length === 1) match = candidates[0];
    if (match) {
      taken.add(match);
      const merged = mergeSecret(declared, match);
      replaced.set(match, merged);
      drift.matched.push({ declared, live: merged });
    } else if (region !== undefined && listed.has(region) && candidates.length === 0 && !(byName.get(name) ?? []).some((s) => s.region.value === region)) {
      drift.missingLive.push({ declared, region, ...(data.account ? { account: data.account } : {}) });
    }
  }

  const out: Inventory = {
    ...tf,
    secrets: live.secrets.map((s) => replaced.get(s) ?? s),
    iamPolicies: live.iamPolicies,
    iamPrincipals: live.iamPrincipals,
    symAccessPolicies: [...live.symAccessPolicies, ...tf.symAccessPolicies.filter((p) => p.from === "secretsmgr-addon")],
    undefinedReferences: [],
    drift,
  };
  return out;
}

/** The live secret with the declaration's id and places. */
function mergeSecret(declared: Secret, live: Secret): Secret {
  const tagOrigins = new Map<string, Origin>();
  for (const [k, o] of live.tagOrigins) tagOrigins.set(k, bothOrigins(declared.tagOrigins.get(k) ?? declared.tags.origin, o));
  const shape = live.shape.kind !== "unknown" ? live.shape : declared.shape;
  return {
    ...live,
    id: declared.id,
    name: { value: live.name.value, origin: bothOrigins(declared.name.origin, live.name.origin ?? live.origin) },
    region: { value: live.region.value, origin: bothOrigins(declared.region.origin, live.region.origin ?? live.origin) },
    tags: { value: live.tags.value, origin: bothOrigins(declared.tags.origin, live.tags.origin ?? live.origin) },
    tagOrigins,
    kmsKeyId: { value: live.kmsKeyId.value, origin: bothOrigins(declared.kmsKeyId.origin, live.kmsKeyId.origin ?? live.origin) },
    shape,
    origin: bothOrigins(declared.origin, live.origin),
  };
}
