// The organisation's own policies (`policies:` in the configuration), turned into rules with
// ids `custom/<name>` that run, report, and are suppressed and configured like any other.
//
// A policy says which secrets it is about (`match`, every condition must hold; default: every
// secret) and what they must satisfy (`require`, every requirement):
//
//   policies:
//     - name: sym-secrets-in-us-east-1
//       description: Sym's runtime reads secrets in us-east-1 only.
//       match:   { readBy: sym }
//       require: { region: us-east-1 }
//
// match:   name (patterns: `*` any run of characters, `/` included; `?` one), tags (key →
//          pattern or patterns of the value; `"*"` for any value), region, readBy (sym,
//          apono, flyte, mage: what the integration is configured to read).
// require: region (one or a list), customerManagedKey: true, rotation: true or
//          { maxIntervalDays: N }, readableOnlyBy (principal ARN patterns: who can read the
//          secret is the IAM evaluator's answer, src/iam, over identity and resource policies).
//
// A secret the policy cannot judge (a name, tag, region or key that is unknown) is left alone:
// unknown is never a finding.

import { stringify } from "yaml";
import type { Origin, Secret } from "../inventory/model.js";
import { knownString } from "../terraform/values.js";
import { namePatternMatches } from "./queries/apono.js";
import { daysText, exactTag, nameMatchesAny, rotationInterval, usesDefaultKey } from "./queries/compliance.js";
import { GET_SECRET_VALUE, originKey, secretLabel } from "./queries/iam.js";
import { listing } from "./queries/sym.js";
import { readerMatches, secretReaders, type SecretReader } from "./queries/readers.js";
import { INTEGRATIONS, integrationReads, readsSecret, type Integration } from "./queries/integrations.js";
import { defineRule, type Level, type Rule, type RuleContext } from "./rule.js";

export interface PolicyMatch {
  name?: string | string[];
  tags?: Record<string, string | string[]>;
  region?: string | string[];
  readBy?: Integration | Integration[];
}

export interface PolicyRequire {
  region?: string | string[];
  customerManagedKey?: true;
  rotation?: true | { maxIntervalDays: number };
  /** Principal ARN patterns: only principals matching one may read the secret (the IAM evaluator decides who can). */
  readableOnlyBy?: string | string[];
}

export interface PolicyConfig {
  name: string;
  description?: string;
  level?: Level | "off";
  /** SARIF `security-severity` (0–10). */
  severity?: number;
  match?: PolicyMatch;
  require: PolicyRequire;
}

export const CUSTOM_PREFIX = "custom/";

const list = <T>(x: T | T[] | undefined): T[] | undefined => (x === undefined ? undefined : Array.isArray(x) ? x : [x]);
const code = (xs: readonly string[]) => xs.map((x) => `\`${x}\``).join(" or ");
const INTEGRATION_NAMES: Record<Integration, string> = { sym: "Sym", apono: "Apono", flyte: "the Flyte/Union data plane", mage: "Mage" };

/** "secrets matching `prod/*` and read by Sym" */
function scopeText(m: PolicyMatch | undefined): string {
  const parts: string[] = [];
  const names = list(m?.name);
  if (names) parts.push(`matching ${code(names)}`);
  for (const [k, v] of Object.entries(m?.tags ?? {})) parts.push(`tagged \`${k}\` = ${code(list(v)!)}`);
  const regions = list(m?.region);
  if (regions) parts.push(`in ${code(regions)}`);
  const by = list(m?.readBy);
  if (by) parts.push(`read by ${by.map((b) => INTEGRATION_NAMES[b]).join(" or ")}`);
  return parts.length ? `secrets ${parts.join(" and ")}` : "every secret";
}

/** "live in `us-east-1`, use a customer-managed KMS key" */
function requireText(r: PolicyRequire): string {
  const parts: string[] = [];
  const regions = list(r.region);
  if (regions) parts.push(`live in ${code(regions)}`);
  if (r.customerManagedKey) parts.push("use a customer-managed KMS key");
  if (r.rotation === true) parts.push("rotate automatically");
  else if (r.rotation) parts.push(`rotate automatically at least every ${daysText(r.rotation.maxIntervalDays)}`);
  const readers = list(r.readableOnlyBy);
  if (readers) parts.push(`be readable only by principals matching ${code(readers)}`);
  return parts.join(", ");
}

/** The policy in one sentence: "Secrets read by Sym must live in `us-east-1`". */
export function policySentence(p: PolicyConfig): string {
  const scope = scopeText(p.match);
  return `${scope[0].toUpperCase()}${scope.slice(1)} must ${requireText(p.require)}`;
}

type Verdict = boolean | undefined;

/** All of the verdicts: false if any is false, undefined if any is unknown, else true. */
function all(verdicts: Verdict[]): Verdict {
  if (verdicts.some((v) => v === false)) return false;
  if (verdicts.some((v) => v === undefined)) return undefined;
  return true;
}

function tagMatches(secret: Secret, key: string, patterns: string[]): Verdict {
  const tag = exactTag(secret, key);
  if (tag.state === "unknown") return undefined;
  if (tag.state === "absent") return false;
  const v = typeof tag.value === "number" || typeof tag.value === "boolean" ? String(tag.value) : knownString(tag.value);
  if (v === undefined) return undefined;
  return patterns.some((p) => namePatternMatches(p, v));
}

/** The rule of one policy. */
export function policyRule(p: PolicyConfig): Rule {
  const sentence = policySentence(p);
  const regions = list(p.require.region);
  const readBy = list(p.match?.readBy);
  const allowedReaders = list(p.require.readableOnlyBy);
  return defineRule({
    id: `${CUSTOM_PREFIX}${p.name}`,
    level: p.level ?? "error",
    ...(p.severity !== undefined ? { securitySeverity: p.severity } : {}),
    tags: ["custom", "secretsmanager"],
    precision: "high",
    title: p.description?.split("\n")[0] || sentence,
    description: `${sentence} (the organisation's policy \`${p.name}\`, from the configuration file).`,
    help: {
      why: p.description ?? `The organisation's own policy: ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}.`,
      bad: `# secretlint.config.yaml\npolicies:\n${stringify([p]).replace(/^/gm, "  ").trimEnd()}`,
      good: `# ${sentence}: every secret the policy matches does.`,
      fix: `Make ${scopeText(p.match)} ${requireText(p.require)}, or change the policy in the configuration.`,
    },
    messages: {
      region: "Secret `{secret}` lives in `{region}`; policy `{policy}` requires {allowed} ({scope})",
      defaultKey: "Secret `{secret}` is encrypted with the AWS managed key `aws/secretsmanager`; policy `{policy}` requires a customer-managed KMS key ({scope})",
      noRotation: "Secret `{secret}` has no automatic rotation; policy `{policy}` requires it ({scope})",
      rareRotation: "Secret `{secret}` rotates {schedule}; policy `{policy}` requires rotation at least every {max} ({scope})",
      reader: "{reader} can read {secrets} (through {grantedBy}); policy `{policy}` allows only principals matching {allowed} ({scope})",
    },
    check(ctx: RuleContext) {
      const reads = readBy ? integrationReads(ctx.inventory, ctx.settings) : undefined;
      const violations = new Map<string, { reader: SecretReader; secrets: Secret[] }>();
      const scope = scopeText(p.match);
      for (const secret of ctx.inventory.secrets) {
        const matched = all([
          p.match?.name !== undefined ? nameMatchesAny(list(p.match.name)!, secret.name.value) : true,
          ...Object.entries(p.match?.tags ?? {}).map(([k, v]) => tagMatches(secret, k, list(v)!)),
          p.match?.region !== undefined ? regionIn(secret, list(p.match.region)!) : true,
          readBy && reads ? any(readBy.map((i) => readsSecret(reads[i], secret))) : true,
        ]);
        if (matched === false) continue;
        if (matched === undefined) {
          ctx.undetermined(secret.id);
          continue;
        }
        const data = { secret: secretLabel(secret), policy: p.name, scope };
        const report = (messageId: string, at: Origin, extra: Record<string, string> = {}) =>
          ctx.report({ messageId, data: { ...data, ...extra }, at, resource: secret.id });
        const verdicts: Verdict[] = [];
        if (regions) {
          const inside = regionIn(secret, regions);
          verdicts.push(inside);
          if (inside === false) report("region", secret.region.origin ?? secret.origin, { region: String(secret.region.value), allowed: code(regions) });
        }
        if (p.require.customerManagedKey) {
          const def = usesDefaultKey(secret.kmsKeyId);
          verdicts.push(def === undefined ? undefined : !def);
          if (def === true) report("defaultKey", secret.kmsKeyId.origin ?? secret.origin);
        }
        if (p.require.rotation) {
          const on = secret.rotationEnabled;
          if (on === false) report("noRotation", secret.origin);
          if (on !== true) verdicts.push(on);
          else if (p.require.rotation === true) verdicts.push(true);
          else {
            const max = p.require.rotation.maxIntervalDays;
            const interval = rotationInterval(secret.rotationRules);
            if (!interval || (interval.min <= max && interval.max > max)) verdicts.push(undefined);
            else {
              verdicts.push(interval.min <= max);
              if (interval.min > max) {
                report("rareRotation", interval.origin ?? secret.rotationRules?.origin ?? secret.origin, {
                  schedule: interval.text.startsWith("automatically") ? interval.text : `on \`${interval.text}\``,
                  max: daysText(max),
                });
              }
            }
          }
        }
        if (allowedReaders) {
          // Who can read it: the IAM evaluator's answer, over identity and resource policies.
          const { readers, incomplete } = secretReaders(ctx.inventory, secret, GET_SECRET_VALUE);
          let verdict: Verdict = incomplete ? undefined : true;
          for (const r of readers) {
            const ok = any(allowedReaders.map((pattern) => fromTri(readerMatches(pattern, r.arn))));
            if (ok === true) continue;
            if (ok === undefined) {
              if (verdict === true) verdict = undefined;
              continue;
            }
            verdict = false;
            // One finding per reader and granting statement, naming every secret it opens.
            const key = `${r.arn}\u0000${originKey(r.statement.origin)}`;
            const v = violations.get(key);
            if (!v) violations.set(key, { reader: r, secrets: [secret] });
            else if (!v.secrets.includes(secret)) v.secrets.push(secret);
          }
          verdicts.push(verdict);
        }
        const verdict = all(verdicts);
        if (verdict === undefined) ctx.undetermined(secret.id);
        else ctx.evaluated(secret.id);
      }
      for (const { reader, secrets } of violations.values()) {
        const names = secrets.map((s) => `\`${secretLabel(s)}\``);
        const shown = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : listing(names);
        ctx.report({
          messageId: "reader",
          data: {
            reader: reader.label.charAt(0).toUpperCase() + reader.label.slice(1),
            secrets: `${secrets.length === 1 ? "secret" : "secrets"} ${shown}`,
            grantedBy: reader.grantedBy,
            policy: p.name,
            allowed: code(allowedReaders!),
            scope: scopeText(p.match),
          },
          at: reader.statement.origin ?? secrets[0].origin,
          related: secrets.slice(0, 20).map((s) => ({ origin: s.origin, message: `secret \`${secretLabel(s)}\`` })),
          resource: secrets.map((s) => s.id),
        });
      }
    },
  });
}

function fromTri(t: "yes" | "no" | "unknown"): Verdict {
  return t === "yes" ? true : t === "no" ? false : undefined;
}

function regionIn(secret: Secret, regions: string[]): Verdict {
  const r = knownString(secret.region.value);
  return r === undefined ? undefined : regions.includes(r);
}

/** Any of the verdicts: true if any is true, undefined if any is unknown, else false. */
function any(verdicts: Verdict[]): Verdict {
  if (verdicts.some((v) => v === true)) return true;
  if (verdicts.some((v) => v === undefined)) return undefined;
  return false;
}

/** The rules of the configuration's policies. */
export function policyRules(policies: readonly PolicyConfig[] | undefined): Rule[] {
  return (policies ?? []).map(policyRule);
}

export { INTEGRATIONS };
