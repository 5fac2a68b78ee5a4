// What the Flyte, Mage and region rules share about flytekit `Secret(...)` requests: the secret
// a request names, and placeholders in its parts.
// They live here, not in a rule module, so that `rules/` holds only rules.

import type { FlyteSecretRequest, Inventory, Secret } from "../../inventory/model.js";
import { Failure, joinPieces, knownString, stringPieces, type StringPiece, type Value } from "../../terraform/values.js";
import { describeOrigin, secretsNamedBy } from "./apono.js";
import { checkSecretArn } from "./arns.js";
import { findPlaceholders } from "./placeholders.js";

// ---------------------------------------------------------------- shared by the flyte rules

export const UNKNOWN = "\u0000";

/** A part's text with each unknown stretch as one NUL; undefined when it is not a string. */
export function partText(v: Value | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  const pieces = stringPieces(v);
  if (!pieces || pieces.some((p) => p instanceof Failure)) return undefined;
  return pieces.map((p) => (typeof p === "string" ? p : UNKNOWN)).join("");
}

/** Text a person is meant to replace: the guides' placeholders, or anything in `<…>` or `{{…}}`. */
export function hasPlaceholder(text: string): boolean {
  return findPlaceholders(text).length > 0 || /<[^>]*>|\{\{/.test(text);
}

/** Whether a request is for an AWS Secrets Manager secret: its group (or key) is a Secrets Manager ARN. */
export function isAwsRequest(r: FlyteSecretRequest): boolean {
  const g = partText(r.group.value) ?? "";
  const k = partText(r.key.value) ?? "";
  const arnLike = (t: string) => /^arn:/i.test(t) && (/:secretsmanager:/i.test(t) || /:secret:/i.test(t));
  return arnLike(g) || (g === "" && arnLike(k));
}

/** The ARN a request names (`group` + `key`), partly known; undefined without both. */
export function requestArn(r: FlyteSecretRequest): Value | undefined {
  const g = stringPieces(r.group.value ?? undefined);
  const k = stringPieces(r.key.value ?? undefined);
  if (!g || !k || r.group.value === null || r.key.value === null) return undefined;
  return joinPieces([...g, ...k] as StringPiece[]);
}

/** The declared (or live) secrets a request names, matched as AWS matches a full or partial ARN. */
export function secretsRequested(inventory: Inventory, r: FlyteSecretRequest): Secret[] {
  const arn = requestArn(r);
  return arn === undefined ? [] : secretsNamedBy(inventory, arn);
}

/** A request, for messages. */
export function requestLabel(r: FlyteSecretRequest): string {
  return `The ${r.sdk === "flyte" ? "Flyte 2" : "flytekit"} Secret request at ${describeOrigin(r.origin)}`;
}

// ---------------------------------------------------------------- the checks

/** What is wrong with a group, or undefined (fine, or not judged). */
export function groupProblem(r: FlyteSecretRequest): string | undefined {
  const g = partText(r.group.value);
  if (g === undefined) {
    if (r.group.value === null) {
      const k = knownString(r.key.value);
      if (k !== undefined && /^arn:/i.test(k) && !hasPlaceholder(k)) {
        return "there is no `group`, and `key` holds the whole ARN: split it after `:secret:` (group = the ARN up to and including `:secret:`, key = the rest)";
      }
    }
    return undefined;
  }
  if (hasPlaceholder(g)) return undefined;
  const at = g.indexOf(":secret:");
  if (at >= 0) {
    const after = g.slice(at + ":secret:".length);
    if (after !== "" && !after.startsWith(UNKNOWN)) {
      return `it holds the secret's name as well (\`${after.replace(/\u0000/g, "…")}\` after \`:secret:\`): that part belongs in \`key\``;
    }
  } else if (!g.endsWith(UNKNOWN)) {
    if (/:secret$/.test(g)) return "it must end with `:secret:`, the last colon included";
    return "it must end with `:secret:`";
  }
  // Fields of the whole ARN (partition, service, region, account), as iam/invalid-secret-arn judges them.
  const arn = requestArn(r);
  const check = arn === undefined ? undefined : checkSecretArn(arn);
  const fieldProblems = (check?.problems ?? []).filter((p) => !/secret name|secret:NAME|resource type/.test(p));
  return fieldProblems.length > 0 ? fieldProblems.join("; ") : undefined;
}

/** What is wrong with a key, or undefined. */
export function keyProblem(r: FlyteSecretRequest, inventory: Inventory): string | undefined {
  if (r.key.value === null) {
    if (partText(r.group.value)?.includes(":secret:")) return "there is no `key`: it must be the secret's name with its 6-character suffix (the ARN's part after `:secret:`)";
    return undefined;
  }
  // No group: the group's finding says how to split the key (one finding per mistake).
  if (r.group.value === null) return undefined;
  const k = partText(r.key.value);
  if (k === undefined || hasPlaceholder(k)) return undefined;
  if (/^arn:/i.test(k) && partText(r.group.value) !== undefined) return "it holds an ARN: `key` is only the part after `:secret:` (the name and its 6-character suffix)";
  if (k.includes(":") && !k.includes(UNKNOWN)) return "it holds a `:`; `key` is only the part after `:secret:` (the name and its 6-character suffix)";
  // The suffix: `-` and six letters or digits, when the end of the key is known.
  const tail = k.split(UNKNOWN).pop() ?? "";
  if (k.includes(UNKNOWN) && tail.length < 7) return undefined;
  if (/-[A-Za-z0-9]{6}$/.test(tail)) return undefined;
  const declared = k.includes(UNKNOWN) ? [] : inventory.secrets.filter((s) => knownString(s.name.value) === k);
  const where = declared.length > 0 ? ` (it is the name of the secret declared at ${describeOrigin(declared[0].origin)})` : "";
  return `it has no 6-character suffix${where}: AWS appends \`-\` and six random characters to the name in the secret's ARN, and Union needs the whole of it`;
}
