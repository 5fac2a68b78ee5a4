// `audit --tf DIR`: the account cross-checked with its Terraform. Each declared secret is
// matched to the account's by name (and region, when the declaration's is known; by name
// alone when it is not and only one secret of the audited regions has it). A matched live
// secret takes the declaration's id and file location (its origin then holds both), so live
// findings point at the code to fix and the declared `sym_secret`s and Apono integrations,
// which refer to declarations, reach the live secrets. Declared secrets the account does not
// hold, in a region whose listing is complete, are drift (`drift/secret-missing-live`).
// IAM policies are matched the same way (a managed policy by name, an inline one by its name
// and its principal's), and resource and IAM policy statements by position when both
// documents have as many: a live statement then points at the one written in the code.
//
// What the audit takes from Terraform: the integrations (Sym, Apono, Flyte, Mage objects),
// the Sym access policies of well-known modules, the data plane's region, parse errors, and
// literal text (in memory only). The account's own facts (secrets, IAM) come from the account.

import type { Drift, IamPolicy, Inventory, Located, Origin, PolicyDocument, PolicyStatement, Secret } from "../../inventory/model.js";
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
    iamPolicies: live.iamPolicies.map((p) => placePolicy(p, tf)),
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
    ...(live.resourcePolicy ? { resourcePolicy: placeDocument(live.resourcePolicy, declared.resourcePolicy) } : {}),
    origin: bothOrigins(declared.origin, live.origin),
  };
}

/** A live IAM policy placed at its declaration, when one matches. */
function placePolicy(p: IamPolicy, tf: Inventory): IamPolicy {
  const name = knownString(p.name.value);
  if (name === undefined) return p;
  let declared: IamPolicy | undefined;
  if (p.id.startsWith("arn:") && !p.id.includes("#")) {
    const candidates = tf.iamPolicies.filter((d) => d.kind === "managed" && knownString(d.name.value) === name);
    if (candidates.length === 1) declared = candidates[0];
  } else {
    // Inline: `<principal ARN>#<policy name>`; the principal's name is the ARN's last segment.
    const principalName = p.id.slice(0, p.id.indexOf("#")).split("/").pop();
    const principals = new Set(tf.iamPrincipals.filter((x) => knownString(x.name.value) === principalName).map((x) => x.id));
    const candidates = tf.iamPolicies.filter((d) => d.kind === "inline" && knownString(d.name.value) === name && d.attachedTo.some((a) => principals.has(a)));
    if (candidates.length === 1) declared = candidates[0];
  }
  if (!declared) return p;
  return {
    ...p,
    name: { value: p.name.value, origin: bothOrigins(declared.name.origin, p.name.origin ?? p.origin) },
    document: placeDocument(p.document, declared.document),
    origin: bothOrigins(declared.origin, p.origin),
  };
}

/** Live statements placed at the declared ones, by position, when both documents have as many. */
function placeDocument(live: PolicyDocument, declared: PolicyDocument | undefined): PolicyDocument {
  if (!declared) return live;
  const origin = bothOrigins(declared.origin, live.origin);
  if (!declared.complete || declared.statements.length !== live.statements.length) return { ...live, origin };
  return { ...live, origin, statements: live.statements.map((st, i) => placeStatement(st, declared.statements[i])) };
}

function placeStatement(st: PolicyStatement, d: PolicyStatement): PolicyStatement {
  const at = (l: Located | undefined, dl: Located | undefined): Located | undefined =>
    l ? { value: l.value, origin: bothOrigins(dl?.origin ?? d.origin, l.origin ?? st.origin) } : undefined;
  const out: PolicyStatement = { ...st, effect: at(st.effect, d.effect)!, origin: bothOrigins(d.origin, st.origin) };
  for (const k of ["actions", "notActions", "resources", "notResources", "principals", "notPrincipals", "condition"] as const) {
    const placed = at(st[k], d[k]);
    if (placed) out[k] = placed;
  }
  return out;
}
