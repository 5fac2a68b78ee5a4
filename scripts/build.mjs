#!/usr/bin/env node
// `npm run build`: what the package ships, built from src/ and rules/ into dist/.
//
//   dist/cli.js       the command line (bin/secretlint.js loads it): one ESM file holding the
//                     tool and every library it uses, so start-up reads one file, not hundreds
//   dist/aws-sdk.js   the AWS SDK, in a file of its own that only `audit --live` loads
//                     (src/sources/aws/sdk.ts imports it dynamically)
//   dist/index.js     the library API (src/index.ts), bundled the same way
//   dist/types/       its type declarations, from tsc, which also type-checks the whole project
//   dist/THIRD-PARTY-LICENSES.txt  the licences of the libraries bundled in
//
// `--bundle-only` skips tsc (no declarations, no type check): the GitHub Action builds so,
// since it runs the command line only.
//
// Libraries are bundled, so the package installs with no dependency; a package listed in
// package.json `dependencies` stays outside the bundles and is installed and loaded from
// node_modules at run time (for what cannot be bundled, such as a native addon). Runtime data
// files are not bundled: they are listed in `files` and found from the package root
// (src/package-root.ts).
//
// The bundles are not minified, so a stack trace under --debug names our functions; the AWS
// SDK's bundle is, since it is large and only its callers' frames matter. The configuration's
// JSON Schema validator is compiled here, ahead of time (see src/engine/config-schema.ts).

import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

/** The module the build moves to dist/aws-sdk.js, and how the other bundles import it. */
const SDK_ENTRY = path.join(root, "src", "sources", "aws", "sdk-exports.ts");
const SDK_FILE = "aws-sdk.js";

const sdkInItsOwnFile = {
  name: "aws-sdk-in-its-own-file",
  setup(build) {
    build.onResolve({ filter: /[\\/]sdk-exports\.js$/ }, (args) =>
      path.resolve(args.resolveDir, args.path.replace(/\.js$/, ".ts")) === SDK_ENTRY ? { path: `./${SDK_FILE}`, external: true } : undefined,
    );
  },
};

/**
 * commander loads `node:child_process` when it loads, for subcommands run as separate programs,
 * which secretlint has none of; loading it (and the modules it loads: net, dgram, streams) costs
 * a few milliseconds of every run's start-up. In the bundle, commander gets a stand-in that
 * loads the real module when commander first uses it.
 */
const childProcessOnFirstUse = {
  name: "child-process-on-first-use",
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "child-process-on-first-use" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "child-process-on-first-use" }, () => ({
      contents: 'let real;\nmodule.exports = new Proxy({}, { get: (_, key) => (real ??= require("node:child_process"))[key] });\n',
      loader: "js",
    }));
  },
};

/**
 * The configuration validator, compiled ahead of time with Ajv's standalone code in place of
 * src/engine/config-schema.ts, with the Ajv options that module exports (read by bundling it
 * alone and importing the result), so both report the same errors.
 */
const CONFIG_SCHEMA_MODULE = path.join(root, "src", "engine", "config-schema.ts");
const CONFIG_SCHEMA = path.join(root, "schemas", "secretlint.config.schema.json");

async function configAjvOptions() {
  // One file per process: builds and the tests' bundles may run at once over one node_modules.
  const out = path.join(root, "node_modules", ".cache", "secretlint-build", `config-schema-${process.pid}-${Date.now()}.mjs`);
  try {
    await esbuild.build({ entryPoints: [CONFIG_SCHEMA_MODULE], bundle: true, platform: "node", format: "esm", packages: "external", outfile: out, logLevel: "warning" });
    return (await import(pathToFileURL(out).href)).CONFIG_AJV_OPTIONS;
  } finally {
    fs.rmSync(out, { force: true });
  }
}

async function precompiledConfigValidator() {
  const ajv = new Ajv({ ...(await configAjvOptions()), code: { source: true, esm: true } });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(CONFIG_SCHEMA, "utf8")));
  return `${standaloneCode(ajv, validate)}\nexport function compileConfigValidator() { return validate; }\n`;
}

function configValidatorPrecompiled(contents) {
  return {
    name: "config-validator-precompiled",
    setup(build) {
      build.onLoad({ filter: /[\\/]config-schema\.ts$/ }, (args) =>
        path.resolve(args.path) === CONFIG_SCHEMA_MODULE ? { contents, loader: "js", resolveDir: path.dirname(CONFIG_SCHEMA_MODULE) } : undefined,
      );
    },
  };
}

/**
 * esbuild options shared by every bundle. Libraries written as CommonJS call `require` for
 * Node's built-in modules; the banner gives the ESM bundle one.
 */
export async function bundleOptions() {
  return {
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // ESM builds first: they tree-shake, and some packages' CommonJS `main` is a UMD wrapper
    // whose dynamic requires a bundler cannot follow (jsonc-parser).
    mainFields: ["module", "main"],
    external: Object.keys(pkg.dependencies ?? {}),
    banner: { js: 'import { createRequire as __secretlintCreateRequire } from "node:module";\nconst require = __secretlintCreateRequire(import.meta.url);' },
    legalComments: "none", // the licences are collected in THIRD-PARTY-LICENSES.txt
    absWorkingDir: root,
    logLevel: "warning",
    metafile: true,
    plugins: [sdkInItsOwnFile, childProcessOnFirstUse, configValidatorPrecompiled(await precompiledConfigValidator())],
  };
}

/** Type declarations (and the type check of src/, rules/) by tsc, in a child process. */
function runTsc() {
  return new Promise((resolve, reject) => {
    const tsc = spawn(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(root, "tsconfig.json")], { stdio: "inherit" });
    tsc.on("error", reject);
    tsc.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`tsc exited ${code}`))));
  });
}

/** Bundled packages (by directory) from esbuild metafiles. */
function bundledPackages(metafiles) {
  const dirs = new Set();
  for (const meta of metafiles) {
    for (const input of Object.keys(meta.inputs)) {
      const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) dirs.add(m[1]);
    }
  }
  return [...dirs].sort();
}

/**
 * Licences a library bundled into this Apache-2.0 package may carry (an SPDX `OR` expression
 * needs one of them). A copyleft library (GPL, AGPL, LGPL…) may be a devDependency for tests,
 * never bundled: the build stops.
 */
const BUNDLEABLE = new Set(["MIT", "ISC", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "0BSD", "BlueOak-1.0.0", "CC0-1.0", "Unlicense"]);
const bundleable = (license) => typeof license === "string" && license.replace(/[()]/g, "").split(/\s+OR\s+/).some((l) => BUNDLEABLE.has(l.trim()));

/** One section per distinct licence text, naming every package that carries it. */
function thirdPartyLicenses(packageDirs) {
  const byText = new Map();
  for (const dir of packageDirs) {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, dir, "package.json"), "utf8"));
    if (!bundleable(manifest.license)) throw new Error(`${manifest.name} (licence ${manifest.license ?? "unknown"}) would be bundled into the package: only ${[...BUNDLEABLE].join(", ")} may be`);
    const files = fs.readdirSync(path.join(root, dir)).filter((f) => /^(licen[cs]e|notice|copying)([.-]|$)/i.test(f)).sort();
    const text = files.map((f) => fs.readFileSync(path.join(root, dir, f), "utf8").trim()).join("\n\n") || `(no licence file; package.json says: ${manifest.license ?? "nothing"})`;
    const list = byText.get(text) ?? [];
    list.push(`${manifest.name}@${manifest.version} (${manifest.license ?? "no license field"})`);
    byText.set(text, list);
  }
  const sections = [...byText].map(([text, names]) => `${names.join("\n")}\n\n${text}\n`);
  return `Libraries bundled in this package's dist/ files, and their licences.\n\n${sections.join("\n" + "-".repeat(78) + "\n\n")}`;
}

async function bundle() {
  const options = await bundleOptions();
  const [cli, lib, sdk] = await Promise.all([
    esbuild.build({ ...options, entryPoints: [path.join(root, "src", "cli", "main.ts")], outfile: path.join(dist, "cli.js") }),
    esbuild.build({ ...options, entryPoints: [path.join(root, "src", "index.ts")], outfile: path.join(dist, "index.js") }),
    esbuild.build({ ...options, entryPoints: [SDK_ENTRY], outfile: path.join(dist, SDK_FILE), minify: true }),
  ]);
  // The SDK only in its own file: a static import of it anywhere else would load it at every start.
  for (const [name, result] of [["dist/cli.js", cli], ["dist/index.js", lib]]) {
    const sdkInputs = Object.keys(result.metafile.inputs).filter((f) => f.includes("node_modules/@aws-sdk/"));
    if (sdkInputs.length > 0) throw new Error(`${name} bundles the AWS SDK (${sdkInputs[0]}, …): import it only through src/sources/aws/sdk.ts`);
  }
  fs.writeFileSync(path.join(dist, "THIRD-PARTY-LICENSES.txt"), thirdPartyLicenses(bundledPackages([cli.metafile, lib.metafile, sdk.metafile])));
}

export async function build({ types = true } = {}) {
  fs.rmSync(dist, { recursive: true, force: true });
  await Promise.all([types ? runTsc() : undefined, bundle()]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const t0 = Date.now();
  build({ types: !process.argv.includes("--bundle-only") }).then(
    () => console.log(`built dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`),
    (err) => {
      console.error(`build failed: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
