// The configuration's JSON Schema validator (schemas/secretlint.config.schema.json). From
// source, Ajv compiles the schema on first use; the build (scripts/build.mjs) puts in place of
// this module the same validator compiled ahead of time (Ajv's standalone code), so a scan
// with a configuration file does not pay for Ajv's compile (50–90 ms) nor load Ajv.

import fs from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { packageRoot } from "../package-root.js";

/** Ajv's options for the schema, here and in the build's precompiled validator. */
export const CONFIG_AJV_OPTIONS = { allErrors: true, strict: false } as const;

export const configSchemaPath = (): string => path.join(packageRoot(), "schemas", "secretlint.config.schema.json");

export function compileConfigValidator(): ValidateFunction {
  return new Ajv(CONFIG_AJV_OPTIONS).compile(JSON.parse(fs.readFileSync(configSchemaPath(), "utf8")) as object);
}
