// Several scan roots make one inventory: rules see everything the scan declares.

import type { Inventory } from "./model.js";

export function mergeInventories(into: Inventory, from: Inventory): Inventory {
  for (const key of Object.keys(from) as Array<keyof Inventory>) {
    const src = from[key];
    if (Array.isArray(src)) (into[key] as unknown[]).push(...src);
  }
  if (!into.dataPlaneRegion && from.dataPlaneRegion) into.dataPlaneRegion = from.dataPlaneRegion;
  return into;
}
