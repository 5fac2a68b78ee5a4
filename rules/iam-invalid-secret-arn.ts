// iam/invalid-secret-arn: a malformed Secrets Manager ARN in a policy Resource or in an
// integration's secret id (Apono, Sym): wrong partition, service, region or account format,
// no `secret:` resource. Placeholders (`<Region>`) are secret/placeholder-value's, not ours.

import { defineRule } from "../src/engine/rule.js";
import type { Located } from "../src/inventory/model.js";
import { Failure, stringPieces, type Value } from "../src/terraform/values.js";
import { allStatements, display, listItems } from "./iam-secret-read-wildcard.js";
import { findPlaceholders } from "./secret-placeholder-value.js";

const PARTITION = /^aws(?:-cn|-us-gov|-iso(?:-[a-z])?|-eusc)?$/;
const REGION = /^[a-z]{2,4}(?:-[a-z]+){1,2}-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;
const UNKNOWN = "\u0000";

/** Text a person is meant to replace: the guides' placeholders, `<…>`, `#NAME`, `{{…}}`, `your-…`. */
function isPlaceholder(field: string): boolean {
  return findPlaceholders(field).length > 0 || /[<>#]|\{\{|(?:^|[^a-z])your[-_]/i.test(field);
}

/** A field the check can judge: fully known, no glob, no placeholder. */
function judgeable(field: string | undefined): field is string {
  return field !== undefined && !field.includes(UNKNOWN) && !/[*?]/.test(field) && !isPlaceholder(field);
}

/** The partition a region belongs to, for the regions whose partition is certain. */
function partitionOfRegion(region: string): string | undefined {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  if (/^(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d+$/.test(region)) return "aws";
  return undefined;
}

export interface ArnCheck {
  problems: string[];
  /** For a fully written ARN without the 6-character suffix (in a policy, it matches nothing). */
  noSuffix?: { suggestion: string };
}

/**
 * Checks a (partly known) string that is meant to be a Secrets Manager ARN. `undefined` when
 * it does not look like one at all (a name, another service's ARN).
 */
export function checkSecretArn(item: Value): ArnCheck | undefined {
  const pieces = stringPieces(item);
  if (!pieces || pieces.some((p) => p instanceof Failure)) return undefined;
  const joined = pieces.map((p) => (typeof p === "string" ? p : UNKNOWN)).join("");
  const fields = joined.split(":");
  const startsArn = /^arn$/i.test(fields[0]);
  const candidate = startsArn
    ? /secret/i.test(fields[2] ?? "") || (fields.length >= 6 && /^secrets?$/i.test(fields[5]))
    : /(?:^|:)secretsmanager:/.test(joined) && /:secret:/.test(joined);
  if (!candidate) return undefined;

  const problems: string[] = [];
  if (!startsArn) {
    problems.push("it does not start with `arn:`");
    return { problems };
  }
  if (fields[0] !== "arn") problems.push(`it starts with \`${fields[0]}:\` (ARNs start with lower-case \`arn:\`)`);
  const [, partition, service, region, account] = fields;
  if (judgeable(partition) && !PARTITION.test(partition)) problems.push(`partition \`${partition}\` is not an AWS partition (\`aws\`, \`aws-cn\`, \`aws-us-gov\`, \`aws-iso…\`)`);
  if (judgeable(service) && service !== "secretsmanager") problems.push(`service \`${service}\` is not \`secretsmanager\``);
  const spans = /\*/.test(joined) && fields.length < 7; // a `*` may stand for the rest of the ARN
  if (!spans) {
    if (region === "") problems.push("the region is empty (Secrets Manager ARNs are regional)");
    else if (judgeable(region) && !REGION.test(region)) problems.push(`region \`${region}\` is not a region name (like \`us-east-1\`)`);
    else if (judgeable(region) && judgeable(partition) && PARTITION.test(partition)) {
      const expected = partitionOfRegion(region);
      if (expected && expected !== partition) problems.push(`region \`${region}\` is in partition \`${expected}\`, not \`${partition}\``);
    }
    if (account === "") problems.push("the account id is empty");
    else if (judgeable(account) && !ACCOUNT.test(account)) problems.push(`account \`${account}\` is not a 12-digit account id`);
    const type = fields[5];
    if (fields.length < 7) {
      // An unknown last field may hold the rest of the ARN, colons included.
      if (!fields[fields.length - 1].includes(UNKNOWN)) problems.push("it has no `secret:NAME` resource part");
    }
    else if (judgeable(type) && type !== "secret") problems.push(`resource type \`${type}\` is not \`secret\``);
    else if (fields.length >= 7 && fields.slice(6).join(":") === "") problems.push("the secret name is empty");
  }
  if (problems.length > 0) return { problems };
  const name = fields.slice(6).join(":");
  if (fields.length >= 7 && fields[5] === "secret" && name !== "" && !name.includes(UNKNOWN) && !/[*?]/.test(name) && !isPlaceholder(name) && !/-[A-Za-z0-9]{6}$/.test(name)) {
    const shown = display(item);
    return { problems, noSuffix: { suggestion: `${shown}-??????` } };
  }
  return { problems };
}

export default defineRule({
  id: "iam/invalid-secret-arn",
  level: "error",
  securitySeverity: 3.0,
  tags: ["correctness", "iam", "secretsmanager"],
  precision: "high",
  title: "Malformed Secrets Manager ARN",
  description:
    "A Secrets Manager ARN in a policy Resource or an integration's secret id that cannot name a secret: the partition, service, region or account is malformed, the `secret:` resource part is missing, or (in a policy) a full ARN lacks the 6 random characters Secrets Manager appends to every secret ARN.",
  help: {
    why:
      "IAM compares Resource ARNs as text, and integrations pass their secret id to `GetSecretValue` as written. A typo in the service (`secretmanager`), an 11-digit account or a region like `us-east1` makes a policy that matches nothing and an integration that fails at run time with AccessDenied or ResourceNotFound.",
    bad: `data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretmanager:us-east1:11112222333:secret:sym/prod/api-key-??????"]
  }
}`,
    good: `data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:us-east-1:111122223333:secret:sym/prod/api-key-??????"]
  }
}`,
    fix: "Write the ARN as `arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX` (in policies, `NAME-??????`), or refer to the secret resource's `arn` attribute.",
  },
  messages: {
    malformed: "Malformed Secrets Manager ARN `{arn}` in {where}: {problems}",
    noSuffix:
      "`{arn}` in {where} matches no secret: every secret ARN ends in `-` and 6 random characters, and IAM matches the whole ARN (use `{suggestion}` or the full ARN)",
  },
  check(ctx) {
    const check = (loc: Located | undefined, where: string, inPolicy: boolean) => {
      if (!loc?.origin) return;
      for (const item of listItems(loc) ?? []) {
        const result = checkSecretArn(item);
        if (!result) continue;
        if (result.problems.length > 0) {
          ctx.report({ messageId: "malformed", data: { arn: display(item), where, problems: result.problems.join("; ") }, at: loc.origin });
        } else if (inPolicy && result.noSuffix) {
          ctx.report({ messageId: "noSuffix", data: { arn: display(item), where, suggestion: result.noSuffix.suggestion }, at: loc.origin });
        }
      }
    };
    for (const ref of allStatements(ctx.inventory)) {
      check(ref.statement.resources, `a Resource of ${ref.holder}`, true);
      check(ref.statement.notResources, `a NotResource of ${ref.holder}`, true);
    }
    for (const a of ctx.inventory.aponoSecretRefs) check(a.secretId, "an Apono integration's secret id", false);
    for (const s of ctx.inventory.symSecrets) check(s.path, "a `sym_secret` path", false);
  },
});
