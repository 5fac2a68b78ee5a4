// (Being written.) Fills the inventory from Terraform: see index.ts.

import type { CollectContext } from "./context.js";

export function collectSecrets(ctx: CollectContext): void {
  void ctx;
}
