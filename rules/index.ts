// The rule catalogue: every rule module in this folder, in catalogue order.
// A test holds this list against the folder's files.

import type { Rule } from "../src/engine/rule.js";
// sym rules (begin)
// sym rules (end)
// apono, aws and terraform rules (begin)
// apono, aws and terraform rules (end)
// iam and secret rules (begin)
// iam and secret rules (end)

export const allRules: Rule[] = [
  // sym rules (begin)
  // sym rules (end)
  // apono, aws and terraform rules (begin)
  // apono, aws and terraform rules (end)
  // iam and secret rules (begin)
  // iam and secret rules (end)
];
