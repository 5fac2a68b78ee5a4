// Live-only links: which secrets of the account Sym and Apono read, when no Terraform says so.
//
// Sym: a secret is read by Sym when a Sym access policy found in IAM (an Allow of
// GetSecretValue conditioned on `secretsmanager:ResourceTag/SymEnv`, or the configured tag)
// names it in its `Resource` (a specific ARN or a pattern like `secret:sym/*`; `*` and
// `secret:*` name no secret in particular), or when it carries the Sym tag. Each becomes a
// SymSecret linked to the secret, so the `sym/*` rules run as on Terraform's `sym_secret`s.
// With `--tf`, the declared `sym_secret`s come first: a secret they read gets no other reader.
//
// Apono: a secret tagged for the connector in a way its policy does not match (the key in
// another case or with spaces, or a value meaning yes that is not exactly "true") is read by
// Apono: an AponoSecretRef `via: "tag"` links them.

import type { RuleSettings } from "../../engine/rule.js";
import type { AponoSecretRef, IamPolicy, Inventory, Secret, SymSecret } from "../../inventory/model.js";
import { ObjectValue, knownString, type Value } from "../../terraform/values.js";
import { symAccessPoliciesOf } from "../terraform/iam.js";

export const APONO_TAG = "apono-connector-read";

/** IAM's resource wildcard match: `*` any run, `?` one character, case-sensitive. */
export function resourceMatches(pattern: string, arn: string): boolean {
  const re = new RegExp("^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$", "s");
  return re.test(arn);
}

/** Whether a resource pattern covers every secret (of an account or region): it names none in particular. */
function coversAll(pattern: string): boolean {
  if (pattern === "*") return true;
  const parts = pattern.split(":");
  if (parts.length < 6) return false;
  const resource = parts.slice(5).join(":");
  return /^(?:secret:)?\*+$/.test(resource) || resource === "*";
}

function stringList(v: Value | undefined): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x): x is string => typeof x === "string");
}

/** The policy's statements that are Sym access grants (on one of `tagNames`), with the resources they name. */
function symGrants(policy: IamPolicy, tagNames: ReadonlySet<string>): Array<{ resources: string[] }> {
  const out: Array<{ resources: string[] }> = [];
  for (const st of policy.document.statements) {
    const one = symAccessPoliciesOf({ ...policy, document: { ...policy.document, statements: [st] } });
    if (!one.some((p) => tagNames.has(p.tagName.toLowerCase()))) continue;
    out.push({ resources: stringList(st.resources?.value) });
  }
  return out;
}

export function linkLiveIntegrations(inv: Inventory, settings: Readonly<RuleSettings>): void {
  const live = inv.secrets.filter((s) => s.origin.aws?.arn !== undefined && typeof s.arn === "string");
  if (live.length === 0) return;
  linkSym(inv, live, settings);
  linkApono(inv, live);
}

function linkSym(inv: Inventory, live: Secret[], settings: Readonly<RuleSettings>): void {
  const tag = settings.symTagName.toLowerCase();
  const tagNames = new Set<string>([tag]);
  for (const p of inv.symAccessPolicies) if (p.from === "secretsmgr-addon" || p.tagName.toLowerCase() === tag) tagNames.add(p.tagName.toLowerCase());

  // Secrets the declared sym_secrets read already (by reference, or by a written name).
  const read = new Set<string>();
  const pathNames = new Set<string>();
  for (const s of inv.symSecrets) {
    if (s.secretRef) read.add(s.secretRef);
    const p = knownString(s.path.value);
    if (p !== undefined) pathNames.add(p);
  }

  const grants: Array<{ policy: IamPolicy; resources: string[] }> = [];
  for (const p of inv.iamPolicies) {
    if (p.kind !== "live") continue;
    for (const g of symGrants(p, tagNames)) {
      const specific = g.resources.filter((r) => !coversAll(r));
      if (specific.length > 0) grants.push({ policy: p, resources: specific });
    }
  }

  for (const secret of live) {
    const arn = secret.arn as string;
    const name = knownString(secret.name.value) ?? "";
    if (read.has(secret.id) || pathNames.has(name) || pathNames.has(arn)) continue;
    const grant = grants.find((g) => g.resources.some((r) => resourceMatches(r, arn)));
    let reader: SymSecret | undefined;
    if (grant) {
      const label = typeof grant.policy.name.value === "string" ? grant.policy.name.value : grant.policy.id;
      reader = {
        id: `Sym access policy \`${label}\``,
        path: { value: name, origin: grant.policy.origin },
        secretRef: secret.id,
        sourceId: { value: null, origin: grant.policy.origin },
        origin: grant.policy.origin,
      };
    } else {
      const tags = secret.tags.value;
      const key = tags instanceof ObjectValue ? tags.keys().find((k) => tagNames.has(k.toLowerCase())) : undefined;
      if (key !== undefined) {
        reader = {
          id: `Sym (the secret is tagged \`${key}\`)`,
          path: { value: name, origin: secret.origin },
          secretRef: secret.id,
          sourceId: { value: null, origin: secret.origin },
          origin: secret.origin,
        };
      }
    }
    if (reader) inv.symSecrets.push(reader);
  }
}

/** A tag value that means yes but is not the exact `"true"` the connector's policy matches. */
const YES = /^(?:true|yes|y|1|on|enabled?)$/i;

function linkApono(inv: Inventory, live: Secret[]): void {
  const read = new Set(inv.aponoSecretRefs.map((r) => r.secretRef).filter((x): x is string => x !== undefined));
  for (const secret of live) {
    if (read.has(secret.id)) continue;
    const tags = secret.tags.value;
    if (!(tags instanceof ObjectValue)) continue;
    const keys = tags.keys();
    const nearKey = keys.some((k) => k !== APONO_TAG && k.trim().toLowerCase() === APONO_TAG);
    const exact = tags.get(APONO_TAG);
    const wrongYes = typeof exact === "string" && exact !== "true" && YES.test(exact.trim());
    if (!nearKey && !wrongYes) continue;
    const ref: AponoSecretRef = {
      id: `${secret.id}#${APONO_TAG}`,
      via: "tag",
      secretId: { value: secret.arn, origin: secret.origin },
      secretRef: secret.id,
      region: { value: secret.region.value, origin: secret.region.origin ?? secret.origin },
      origin: secret.origin,
    };
    inv.aponoSecretRefs.push(ref);
  }
}
