// What AWS rejects in a policy document (MalformedPolicyDocument), statement by statement, at
// the place of the fault: a statement without `Effect` or with another effect than Allow/Deny,
// with neither or both of `Action`/`NotAction`, with both `Resource` and `NotResource`, an
// identity policy statement with neither, a `Resource` item that is neither `*` nor an ARN, a
// condition operator AWS does not know, a `Version` other than 2012-10-17 or 2008-10-17.
// Values Terraform leaves unknown are not judged.

import type { Origin, PolicyDocument, PolicyStatement } from "../inventory/model.js";
import { Unknown } from "../terraform/values.js";
import { parseOperator } from "./conditions.js";
import { elementItems } from "./evaluate.js";
import { hasToken } from "./text.js";

export interface PolicyProblem {
  message: string;
  origin: Origin;
}

/**
 * The problems of one statement. `identity`: the document is known to be an identity policy, so
 * a statement without Principal needs Resource or NotResource (a trust policy has neither).
 */
export function statementProblems(st: PolicyStatement, identity: boolean): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const at = (o: Origin | undefined) => o ?? st.origin;
  const effect = st.effect.value;
  if (effect === null || effect === undefined) out.push({ message: "the statement has no `Effect` (Allow or Deny)", origin: st.origin });
  else if (typeof effect === "string" && effect !== "Allow" && effect !== "Deny") out.push({ message: `\`Effect\` is \`${effect}\`; it must be \`Allow\` or \`Deny\` (with that case)`, origin: at(st.effect.origin) });
  if (!st.actions && !st.notActions) out.push({ message: "the statement has neither `Action` nor `NotAction`", origin: st.origin });
  if (st.actions && st.notActions) out.push({ message: "the statement has both `Action` and `NotAction`", origin: at(st.notActions.origin) });
  if (st.resources && st.notResources) out.push({ message: "the statement has both `Resource` and `NotResource`", origin: at(st.notResources.origin) });
  else if (identity && !st.principals && !st.notPrincipals && !st.resources && !st.notResources) out.push({ message: "the statement has neither `Resource` nor `NotResource`", origin: st.origin });
  for (const loc of [st.resources, st.notResources]) {
    if (!loc) continue;
    for (const item of elementItems(loc.value) ?? []) {
      if (item === undefined || hasToken(item) || item === "*" || item.startsWith("arn:")) continue;
      out.push({ message: `\`${item}\` is neither \`*\` nor an ARN`, origin: at(loc.origin) });
    }
  }
  const cond = st.condition?.value;
  if (cond && typeof cond === "object" && !(cond instanceof Unknown) && "entries" in cond) {
    for (const name of (cond as { entries: Map<string, unknown> }).entries.keys()) {
      if (!parseOperator(name)) out.push({ message: `\`${name}\` is not a condition operator AWS knows`, origin: at(st.condition?.origin) });
    }
  }
  return out;
}

/** The problems of a document: those the source recorded (JSON), its Version, and its statements'. */
export function documentProblems(doc: PolicyDocument, identity: boolean): PolicyProblem[] {
  const out: PolicyProblem[] = [...(doc.problems ?? [])];
  const v = doc.version;
  if (typeof v === "string" && v !== "2012-10-17" && v !== "2008-10-17") out.push({ message: `\`Version\` is \`${v}\`; AWS knows \`2012-10-17\` and \`2008-10-17\``, origin: doc.origin });
  for (const st of doc.statements) out.push(...statementProblems(st, identity));
  return out;
}
