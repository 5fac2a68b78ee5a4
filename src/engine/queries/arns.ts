// Secrets Manager ARN checks (partition, service, region, account, `secret:` resource), shared
// by the rules that read ARNs.
// They live here, not in a rule module, so that `rules/` holds only rules.

import type { Located } from "../../inventory/model.js";
import { Failure, stringPieces, type Value } from "../../terraform/values.js";
import { allStatements, display, listItems } from "./iam.js";
import { findPlaceholders } from "./placeholders.js";

export const PARTITION = /^aws(?:-cn|-us-gov|-iso(?:-[a-z])?|-eusc)?$/;
export const REGION = /^[a-z]{2,4}(?:-[a-z]+){1,2}-\d{1,2}$/;
export const ACCOUNT = /^\d{12}$/;
export const UNKNOWN = "\u0000";

/** Text a person is meant to replace: the guides' placeholders, `<…>`, `#NAME`, `{{…}}`, `your-…`. */
export function isPlaceholder(field: string): boolean {
  return findPlaceholders(field).length > 0 || /[<>#]|\{\{|(?:^|[^a-z])your[-_]/i.test(field);
}

/** A field the check can judge: fully known, no glob, no placeholder. */
export function judgeable(field: string | undefined): field is string {
  return field !== undefined && !field.includes(UNKNOWN) && !/[*?]/.test(field) && !isPlaceholder(field);
}

/** The partition a region belongs to, for the regions whose partition is certain. */
export function partitionOfRegion(region: string): string | undefined {
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
