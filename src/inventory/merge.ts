// Several scan roots make one inventory: rules see everything the scan declares.

import type { Inventory } from "./model.js";

export function mergeInventories(into: Inventory, from: Inventory): Inventory {
  for (const key of Object.keys(from) as Array<keyof Inventory>) {
    const src = from[key];
    // A loop, not push(...src): spreading hundreds of thousands of items overflows the stack.
    if (Array.isArray(src)) {
      const dest = into[key] as unknown[];
      for (const item of src) dest.push(item);
    }
  }
  if (!into.dataPlaneRegion && from.dataPlaneRegion) into.dataPlaneRegion = from.dataPlaneRegion;
  return into;
}
