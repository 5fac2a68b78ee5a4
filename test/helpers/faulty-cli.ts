// The command line bundled as `npm run build` bundles dist/cli.js (the same esbuild options),
// with a test helper evaluated before it: for tests that plant a fault inside the binary,
// which a bundle does not let another module reach from outside.
import path from "node:path";
import * as esbuild from "esbuild";
import { bundleOptions } from "../../scripts/build.mjs";

const root = path.resolve(import.meta.dirname, "../..");

/** Bundles `helper` then the CLI into a file under the project root (so it finds package.json and schemas/); returns its path. */
export async function buildCliWith(helper: string): Promise<string> {
  const outfile = path.join(root, "node_modules", ".cache", "secretlint-test", `cli-${path.basename(helper, ".ts")}-${process.pid}.js`);
  await esbuild.build({
    ...(await bundleOptions()),
    stdin: { contents: `import ${JSON.stringify(helper)};\nimport ${JSON.stringify(path.join(root, "src", "cli", "main.ts"))};\n`, resolveDir: root, loader: "ts" },
    outfile,
  });
  return outfile;
}
