// aws/secret-region-mismatch: a secret lives in another region than what reads it. Readers
// with a region: the data plane (for the secrets it reads: those matching the configured
// data-plane name patterns) and each Apono integration (its `region`).

import { defineRule } from "../src/engine/rule.js";
import type { Origin, Secret } from "../src/inventory/model.js";
import { knownString } from "../src/terraform/values.js";
import { aponoRefLabel, arnFields, describeOrigin, namePatternMatches, secretLabel, secretsReadByRef } from "./apono-read-tag-missing.js";

/**
 * Whether the secret can be read in `region`: true (same region, or a replica there), false
 * (known elsewhere, and every replica known elsewhere), undefined (something unknown decides).
 */
function readableIn(s: Secret, region: string): boolean | undefined {
  const own = knownString(s.region.value);
  if (own === undefined) return undefined;
  if (own === region) return true;
  let decided = true;
  for (const r of s.replicas) {
    const rr = knownString(r.region.value);
    if (rr === region) return true;
    if (rr === undefined) decided = false;
  }
  return decided ? false : undefined;
}

/** The secret's own `region` argument when the region is set inside its block, else the block. */
function secretAt(s: Secret): Origin {
  const r = s.region.origin?.file;
  const b = s.origin.file;
  if (r && b && r.path === b.path && r.range.start.offset >= b.range.start.offset && r.range.end.offset <= b.range.end.offset) {
    return s.region.origin!;
  }
  return s.origin;
}

const DATA_PLANE_SETTING = "`--data-plane-region` or config `dataPlane.region`";

export default defineRule({
  id: "aws/secret-region-mismatch",
  level: "error",
  securitySeverity: 5.0,
  tags: ["aws", "secrets-manager", "region", "apono", "flyte", "correctness"],
  precision: "high",
  title: "A secret lives in another region than what reads it",
  description:
    "Secrets Manager secrets are regional: a reader in one region does not see a secret in another (unless the secret has a replica there). " +
    "Checks the secrets the data plane reads (Flyte/Union: those matching the config `dataPlane.secrets` name patterns, where `*` matches any " +
    "characters, `/` included) against the data plane's region (`--data-plane-region` or `dataPlane.region`), and the secrets an Apono " +
    "integration reads against its `region` (and an ARN's own region against it). Other secrets in the scan are not checked. Silent when " +
    "either region is unknown, or a replica's region is.",
  help: {
    why:
      "The reader asks its own region's Secrets Manager endpoint for the secret. A secret created in another region is not there, so the " +
      "read fails at run time with ResourceNotFoundException (or AccessDenied), after a successful apply.",
    bad: `provider "aws" {
  region = "us-west-2"
}

resource "aws_secretsmanager_secret" "db" {
  name = "apono/prod/postgresql"
}

resource "apono_integration" "db" {
  # ...
  aws_secret = {
    region    = "us-east-1"
    secret_id = aws_secretsmanager_secret.db.arn
  }
}`,
    good: `resource "apono_integration" "db" {
  # ...
  aws_secret = {
    region    = "us-west-2"
    secret_id = aws_secretsmanager_secret.db.arn
  }
}`,
    fix: "Create the secret in the reader's region (or add a `replica` there), or point the reader at the region the secret is in.",
  },
  messages: {
    secretElsewhere:
      "Secret `{secret}` is in {secretRegion} (set at {secretRegionAt}), but {reader} reads it in {readerRegion} (set at {readerRegionAt}): secrets are regional, so the read fails.",
    arnElsewhere:
      "{reader} reads `{secretId}` in {readerRegion} (set at {readerRegionAt}), but that ARN is in {secretRegion} (set at {secretRegionAt}): secrets are regional, so the read fails.",
    dataPlane:
      "Secret `{secret}` is in {secretRegion} (set at {secretRegionAt}), but the data plane that reads it (it matches the data-plane secret pattern `{pattern}`) is in {readerRegion} (set by {readerRegionAt}): secrets are regional, so the read fails.",
  },
  check(ctx) {
    const inv = ctx.inventory;

    // Apono integrations: each reads its secret in its own `region`.
    for (const ref of inv.aponoSecretRefs) {
      const region = knownString(ref.region.value);
      if (region === undefined) continue;
      const reader = aponoRefLabel(ref);
      const readerRegionAt = describeOrigin(ref.region.origin);
      const secrets = secretsReadByRef(inv, ref);
      // A declaration linked by reference, with its region known, explains more than its ARN.
      const linked = ref.secretRef !== undefined && secrets.length > 0 && secrets.every((s) => knownString(s.region.value) !== undefined);
      if (!linked) {
        const arn = arnFields(ref.secretId.value);
        if (arn?.region !== undefined) {
          // The ARN says where the secret is: no need to find its declaration.
          if (arn.region !== region) {
            ctx.report({
              messageId: "arnElsewhere",
              data: {
                reader: reader.charAt(0).toUpperCase() + reader.slice(1),
                secretId: knownString(ref.secretId.value) ?? "the ARN",
                readerRegion: region,
                readerRegionAt,
                secretRegion: arn.region,
                secretRegionAt: describeOrigin(ref.secretId.origin),
              },
              at: ref.secretId.origin ?? ref.origin,
              related: ref.region.origin ? [{ origin: ref.region.origin, message: `the region ${reader} reads in` }] : [],
            });
          }
          continue;
        }
      }
      // Matched by name: a same-named secret whose region is unknown may be the one read.
      if (ref.secretRef === undefined && secrets.some((s) => knownString(s.region.value) === undefined)) continue;
      for (const s of secrets) {
        if (readableIn(s, region) !== false) continue;
        ctx.report({
          messageId: "secretElsewhere",
          data: {
            secret: secretLabel(s),
            secretRegion: knownString(s.region.value)!,
            secretRegionAt: describeOrigin(s.region.origin, "its provider configuration"),
            reader,
            readerRegion: region,
            readerRegionAt,
          },
          at: secretAt(s),
          related: [{ origin: ref.region.origin ?? ref.origin, message: `the region ${reader} reads in` }],
        });
      }
    }

    // The data plane: the secrets matching the configured patterns, in its region.
    const fromInventory = knownString(inv.dataPlaneRegion?.value);
    const dpRegion = ctx.settings.dataPlaneRegion ?? fromInventory;
    if (dpRegion === undefined || ctx.settings.dataPlaneSecretPatterns.length === 0) return;
    const dpOrigin = fromInventory === dpRegion ? inv.dataPlaneRegion?.origin : undefined;
    const dpAt = dpOrigin?.file ? describeOrigin(dpOrigin) : DATA_PLANE_SETTING;
    for (const s of inv.secrets) {
      const name = knownString(s.name.value);
      if (name === undefined) continue;
      const pattern = ctx.settings.dataPlaneSecretPatterns.find((p) => namePatternMatches(p, name));
      if (pattern === undefined || readableIn(s, dpRegion) !== false) continue;
      ctx.report({
        messageId: "dataPlane",
        data: {
          secret: name,
          secretRegion: knownString(s.region.value)!,
          secretRegionAt: describeOrigin(s.region.origin, "its provider configuration"),
          pattern,
          readerRegion: dpRegion,
          readerRegionAt: dpAt,
        },
        at: secretAt(s),
        related: dpOrigin?.file ? [{ origin: dpOrigin, message: "the data plane's region" }] : [],
      });
    }
  },
});
