// Account data (live or from a snapshot) → the inventory, in the shapes the Terraform source
// gives, so the same rules run on both: secrets with their tags, value shape and resource
// policy; IAM principals and their inline and managed policies (statements through the same
// reader as Terraform's policy JSON); the Sym access policies among them. Every origin is the
// AWS resource (account, region, ARN).

import { emptyInventory, type IamPolicy, type Inventory, type Origin, type PolicyDocument, type RotationRules, type Secret, type SecretDates, type ValueShape } from "../../inventory/model.js";
import { Failure, ObjectValue, fromJSON } from "../../terraform/values.js";
import { symAccessPoliciesOf } from "../terraform/iam.js";
import { documentFrom, documentFromJson } from "../terraform/policy-json.js";
import { awsManagedPolicy, awsManagedPolicyTail } from "../../iam/managed-policies.js";
import type { AccountData, SecretRecord, ValueShapeRecord } from "./data.js";

export function inventoryFromAccount(data: AccountData, inventory: Inventory = emptyInventory()): Inventory {
  for (const s of data.secrets) inventory.secrets.push(secretFrom(s, data));
  if (data.readAt) inventory.observedAt = data.readAt;
  if (data.iam) addIam(data, inventory);
  return inventory;
}

function awsOrigin(data: AccountData, arn: string, region?: string): Origin {
  const aws: NonNullable<Origin["aws"]> = { arn };
  const account = data.account ?? arn.split(":")[4];
  if (account) aws.account = account;
  if (region) aws.region = region;
  return { aws };
}

function secretFrom(s: SecretRecord, data: AccountData): Secret {
  const origin = awsOrigin(data, s.arn, s.region);
  const at = (): Origin => ({ aws: { ...origin.aws } });
  const tagOrigins = new Map<string, Origin>();
  for (const k of Object.keys(s.tags)) tagOrigins.set(k, at());
  const secret: Secret = {
    id: s.arn,
    name: { value: s.name, origin: at() },
    arn: s.arn,
    region: { value: s.region, origin: at() },
    tags: { value: ObjectValue.from(s.tags), origin: at() },
    tagOrigins,
    kmsKeyId: { value: s.kmsKeyId ?? null, origin: at() },
    recoveryWindowInDays: { value: null, origin: at() },
    versions: [],
    shape: shapeFrom(s.value, at()),
    replicas: [],
    origin,
  };
  // The service leaves `RotationEnabled` out for a secret never configured for rotation.
  secret.rotationEnabled = s.rotationEnabled === true;
  if (s.rotationRules) {
    const r = s.rotationRules;
    const rules: RotationRules = { origin: at() };
    if (r.automaticallyAfterDays !== undefined) rules.automaticallyAfterDays = { value: r.automaticallyAfterDays, origin: at() };
    if (r.scheduleExpression !== undefined) rules.scheduleExpression = { value: r.scheduleExpression, origin: at() };
    if (r.duration !== undefined) rules.duration = { value: r.duration, origin: at() };
    secret.rotationRules = rules;
  }
  const dates: SecretDates = {};
  if (s.createdDate) dates.created = s.createdDate;
  if (s.lastChangedDate) dates.lastChanged = s.lastChangedDate;
  if (s.lastAccessedDate) dates.lastAccessed = s.lastAccessedDate;
  if (s.lastRotatedDate) dates.lastRotated = s.lastRotatedDate;
  if (s.nextRotationDate) dates.nextRotation = s.nextRotationDate;
  secret.dates = dates;
  if (s.resourcePolicy !== undefined && s.resourcePolicy !== null) secret.resourcePolicy = documentOf(s.resourcePolicy, at());
  return secret;
}

function shapeFrom(v: ValueShapeRecord | undefined, origin: Origin): ValueShape {
  if (!v) return { kind: "unknown", origin };
  if (v.kind === "json-object") return { kind: "json-object", keys: [...v.keys], origin };
  return { kind: v.kind, origin };
}

/** A parsed policy document (or its unparsable text) as the inventory's PolicyDocument. */
export function documentOf(doc: unknown, origin: Origin): PolicyDocument {
  if (typeof doc === "string") {
    // Not JSON: nothing can be said of its statements.
    return { statements: [], complete: false, origin };
  }
  const value = fromJSON(doc);
  if (value instanceof Failure) return { statements: [], complete: false, origin };
  return documentFrom(value, origin, undefined, () => origin, origin);
}

function addIam(data: AccountData, inv: Inventory): void {
  const iam = data.iam!;
  const attached = new Map<string, string[]>();
  for (const p of iam.principals) {
    const origin = awsOrigin(data, p.arn);
    inv.iamPrincipals.push({ id: p.arn, kind: p.kind, name: { value: p.name, origin }, arn: p.arn, origin });
    for (const arn of p.managedPolicies) {
      const list = attached.get(arn) ?? [];
      list.push(p.arn);
      attached.set(arn, list);
    }
    for (const ip of p.inlinePolicies) {
      const policyOrigin = awsOrigin(data, p.arn);
      const policy: IamPolicy = {
        id: `${p.arn}#${ip.name}`,
        kind: "live",
        name: { value: ip.name, origin: policyOrigin },
        document: documentOf(ip.document, policyOrigin),
        attachedTo: [p.arn],
        origin: policyOrigin,
      };
      inv.iamPolicies.push(policy);
    }
  }
  const listed = new Set<string>();
  for (const m of iam.policies) {
    const origin = awsOrigin(data, m.arn);
    listed.add(m.arn);
    inv.iamPolicies.push({
      id: m.arn,
      kind: awsManagedPolicyTail(m.arn) ? "aws-managed" : "live",
      name: { value: m.name, origin },
      document: documentOf(m.document, origin),
      attachedTo: attached.get(m.arn) ?? [],
      origin,
    });
  }
  // AWS managed policies attached but not listed with a document (a snapshot from before they
  // were read): their documents from the shipped table, unknown when the table lacks them.
  for (const [arn, holders] of attached) {
    const tail = awsManagedPolicyTail(arn);
    if (listed.has(arn) || !tail) continue;
    const origin = awsOrigin(data, arn);
    const found = awsManagedPolicy(tail);
    const document: PolicyDocument = !found.known
      ? { statements: [], complete: false, origin }
      : found.document === null
        ? { statements: [], complete: true, origin }
        : documentFromJson(found.document, origin);
    inv.iamPolicies.push({ id: arn, kind: "aws-managed", name: { value: tail.slice(tail.lastIndexOf("/") + 1), origin }, document, attachedTo: holders, origin });
  }
  for (const p of inv.iamPolicies) if (p.kind === "live") inv.symAccessPolicies.push(...symAccessPoliciesOf(p));
}
