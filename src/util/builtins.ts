// Node built-in modules loaded when first used, not when the tool starts: most runs never use
// them (a hash only for Terraform's hash functions and SARIF fingerprints, IP ranges only for
// IAM conditions that test one, a prompt only for `audit --fix`), and each costs start-up time.

import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** A getter for a built-in module, which loads it on its first call. */
function onFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}

export const nodeCrypto = onFirstUse<typeof import("node:crypto")>("node:crypto");
export const nodeNet = onFirstUse<typeof import("node:net")>("node:net");
export const nodeReadline = onFirstUse<typeof import("node:readline/promises")>("node:readline/promises");
