// Several scan roots make one inventory: rules see everything the scan declares.

import type { Inventory } from "./model.js";
import { LiteralStrings } from "./literal-strings.js";

export function mergeInventories(into: Inventory, from: Inventory): Inventory {
  for (const key of Object.keys(from) as Array<keyof Inventory>) {
    const src = from[key];
    if (src instanceof LiteralStrings) {
      into.literalStrings.append(src);
      continue;
    }
    // A loop, not push(...src): spreading hundreds of thousands of items overflows the stack.
    if (Array.isArray(src)) {
      const dest = into[key] as unknown[];
      for (const item of src) dest.push(item);
    }
  }
  if (!into.dataPlaneRegion && from.dataPlaneRegion) into.dataPlaneRegion = from.dataPlaneRegion;
  return into;
}
