// The rule catalogue: every rule module in this folder, in catalogue order.
// A test holds this list against the folder's files.

import type { Rule } from "../src/engine/rule.js";

export const allRules: Rule[] = [];
