// The IAM evaluator: AWS's policy evaluation logic over the inventory's policy documents,
// three-valued (yes / no / unknown) where Terraform leaves values unknown. The rules
// (iam/*, sym/*, apono/*) and src/engine/queries/iam.ts ask it their questions; nothing else
// decides who can do what.
//
//   tri.ts         yes / no / unknown and Kleene logic
//   text.ts        partly known strings (tokens for unknown pieces) and wildcard matching
//   data.ts        service authorization data (data/iam/, generated), read lazily
//   conditions.ts  the Condition element: operators, IfExists, Null, ForAnyValue/ForAllValues, variables
//   evaluate.ts    statements and one request: Deny, Allow, implicit deny
//   requests.ts    the requests a question tries (names, regions, accounts, tags, condition values)
//   questions.ts   the questions rules ask
//   actions.ts     actions as the service authorization data knows them

export type { Tri } from "./tri.js";
export { and, or, not } from "./tri.js";
export type { Context, ContextEntry } from "./conditions.js";
export { evaluateCondition, parseOperator } from "./conditions.js";
export type { Request, RequestPrincipal, Decision, Placed } from "./evaluate.js";
export { decide, statementApplies, effectOf, elementItems } from "./evaluate.js";
export type { Scope, Answer, ReadEveryAnswer, SecretTarget, Caller, AccessAnswer } from "./questions.js";
export { GET_SECRET_VALUE, readsEverySecret, canAccessSecret, resourcePolicyAccess, namedAccounts, secretTarget, secretsManagerActions, actionPart } from "./questions.js";
export { matchText, matchArn, textOf } from "./text.js";
