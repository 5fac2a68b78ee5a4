// What the Mage and region rules share: the secrets an `aws_secret_var(...)` reference names.
// They live here, not in a rule module, so that `rules/` holds only rules.

import type { Inventory, MageSecretRef } from "../../inventory/model.js";
import { knownString } from "../../terraform/values.js";
import { secretsNamedBy } from "./apono.js";
import { hasPlaceholder } from "./flyte.js";
import { couldBe, secretNameOfPath } from "./sym.js";

// ---------------------------------------------------------------- shared by the mage rules

/** A Mage reference, for messages (reported where it is written): "`aws_secret_var('db/password')` (profile `default`)". */
export function mageRefLabel(r: MageSecretRef): string {
  const name = knownString(r.name.value);
  const call = name !== undefined ? `\`${r.function}('${name}')\`` : `\`${r.function}(…)\``;
  return r.profile ? `${call} (profile \`${r.profile}\`)` : call;
}

/** The `aws_secret_var` references with a known, non-empty name. */
export function awsSecretRefs(inventory: Inventory): Array<{ ref: MageSecretRef; name: string }> {
  const out: Array<{ ref: MageSecretRef; name: string }> = [];
  for (const ref of inventory.mageSecretRefs) {
    if (ref.function !== "aws_secret_var") continue;
    const name = knownString(ref.name.value);
    if (name !== undefined && name !== "") out.push({ ref, name });
  }
  return out;
}
