// Types of build.mjs, for the tests that bundle the command line the same way.
import type { BuildOptions } from "esbuild";
export function bundleOptions(): Promise<BuildOptions>;
export function build(options?: { types?: boolean }): Promise<void>;
