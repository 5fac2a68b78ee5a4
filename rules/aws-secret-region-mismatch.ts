// aws/secret-region-mismatch: a secret lives in another region than what reads it. Readers
// with a region: the data plane (for the secrets it reads: those flytekit `Secret` requests
// name, and those matching the configured data-plane name patterns), each Apono integration
// (its `region`), and Mage's `aws_secret_var` (Mage's region, from a scanned `.env`).

import { defineRule } from "../src/engine/rule.js";
import type { Origin, Secret } from "../src/inventory/model.js";
import { knownString } from "../src/terraform/values.js";
import { aponoRefLabel, arnFields, describeOrigin, namePatternMatches, secretLabel, secretsNamedBy, secretsReadByRef } from "../src/engine/queries/apono.js";
import { isAwsRequest, partText, requestArn, requestLabel, secretsRequested } from "../src/engine/queries/flyte.js";
import { awsSecretRefs, mageRefLabel } from "../src/engine/queries/mage.js";

/** A region name (not a placeholder such as `<Region>`). */
const REGION = /^[a-z]{2,4}(?:-[a-z]+){1,2}-\d{1,2}$/;

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
  tags: ["aws", "secrets-manager", "region", "apono", "flyte", "mage", "correctness"],
  precision: "high",
  title: "A secret lives in another region than what reads it",
  description:
    "Secrets Manager secrets are regional: a reader in one region does not see a secret in another (unless the secret has a replica there). " +
    "Checks the secrets the data plane reads (Flyte/Union: those matching the config `dataPlane.secrets` name patterns, where `*` matches any " +
    "characters, `/` included) against the data plane's region (`--data-plane-region` or `dataPlane.region`), and the secrets an Apono " +
    "integration reads against its `region` (and an ARN's own region against it). The secrets flytekit `Secret` requests name are the " +
    "data plane's too: the region in the request's ARN (or, when that is unknown, the secret it names) against the data plane's. Mage's " +
    "`aws_secret_var('NAME')` against Mage's region (`AWS_REGION_NAME`, else `AWS_DEFAULT_REGION`, from a scanned `.env` beside " +
    "`io_config.yml` or above it). Other secrets in the scan are not checked. Silent when either region is unknown, or a replica's region is.",
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
    dataPlaneRequest:
      "Secret `{secret}` is in {secretRegion} (set at {secretRegionAt}), but the data plane that reads it ({request}) is in {readerRegion} (set by {readerRegionAt}): secrets are regional, so the read fails.",
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

    // Mage: each `aws_secret_var` is read in Mage's region.
    for (const { ref, name } of awsSecretRefs(inv)) {
      const region = knownString(ref.region.value);
      if (region === undefined || !REGION.test(region)) continue;
      const reader = `Mage's ${mageRefLabel(ref)}`;
      const readerRegionAt = describeOrigin(ref.region.origin);
      if (name.startsWith("arn:")) {
        // The ARN says where the secret is.
        const arnRegion = arnFields(name)?.region;
        if (arnRegion === undefined || !REGION.test(arnRegion) || arnRegion === region) continue;
        ctx.report({
          messageId: "arnElsewhere",
          data: { reader, secretId: name, readerRegion: region, readerRegionAt, secretRegion: arnRegion, secretRegionAt: describeOrigin(ref.name.origin) },
          at: ref.name.origin ?? ref.origin,
          related: ref.region.origin ? [{ origin: ref.region.origin, message: "Mage's region" }] : [],
        });
        continue;
      }
      // By name: every secret of that name is known to be elsewhere (else one may be the one read).
      const secrets = secretsNamedBy(inv, name);
      if (secrets.length === 0 || secrets.some((s) => readableIn(s, region) !== false)) continue;
      const s = secrets[0];
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
        at: ref.origin,
        related: [
          { origin: secretAt(s), message: `the secret, in ${knownString(s.region.value)}` },
          ...(ref.region.origin ? [{ origin: ref.region.origin, message: "Mage's region" }] : []),
        ],
      });
    }

    // The data plane: the secrets flytekit requests name, and those matching the configured patterns, in its region.
    const fromInventory = knownString(inv.dataPlaneRegion?.value);
    const dpRegion = ctx.settings.dataPlaneRegion ?? fromInventory;
    if (dpRegion === undefined) return;
    const dpOrigin = fromInventory === dpRegion ? inv.dataPlaneRegion?.origin : undefined;
    const dpAt = dpOrigin?.file ? describeOrigin(dpOrigin) : DATA_PLANE_SETTING;
    const dpRelated = dpOrigin?.file ? [{ origin: dpOrigin, message: "the data plane's region" }] : [];
    const reported = new Set<Secret>();
    for (const r of inv.flyteSecretRequests) {
      if (!isAwsRequest(r)) continue;
      const arnRegion = arnFields(r.group.value ?? undefined)?.region;
      if (arnRegion !== undefined && REGION.test(arnRegion)) {
        if (arnRegion === dpRegion) continue;
        const arn = partText(requestArn(r)) ?? partText(r.group.value) ?? "";
        ctx.report({
          messageId: "arnElsewhere",
          data: {
            reader: requestLabel(r),
            secretId: arn.replace(/\u0000/g, "…"),
            readerRegion: dpRegion,
            readerRegionAt: dpAt,
            secretRegion: arnRegion,
            secretRegionAt: describeOrigin(r.definedAt?.group ?? r.group.origin),
          },
          at: r.group.origin ?? r.origin,
          related: dpRelated,
        });
        continue;
      }
      if (arnRegion !== undefined) continue; // a placeholder: secret/placeholder-value's
      // The ARN's region is not known: the secrets it names, when every one is known elsewhere.
      const secrets = secretsRequested(inv, r);
      if (secrets.length === 0 || secrets.some((s) => readableIn(s, dpRegion) !== false)) continue;
      for (const s of secrets) {
        if (reported.has(s)) continue;
        reported.add(s);
        ctx.report({
          messageId: "dataPlaneRequest",
          data: {
            secret: secretLabel(s),
            secretRegion: knownString(s.region.value)!,
            secretRegionAt: describeOrigin(s.region.origin, "its provider configuration"),
            request: `${requestLabel(r).replace(/^The/, "the")} names it`,
            readerRegion: dpRegion,
            readerRegionAt: dpAt,
          },
          at: secretAt(s),
          related: [{ origin: r.origin, message: `the ${r.sdk === "flyte" ? "Flyte 2" : "flytekit"} Secret request` }, ...dpRelated],
        });
      }
    }
    if (ctx.settings.dataPlaneSecretPatterns.length === 0) return;
    for (const s of inv.secrets) {
      if (reported.has(s)) continue;
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
        related: dpRelated,
      });
    }
  },
});
