// The configuration file: `secretlint.config.yaml` (or `.yml`, `.json`), found upward from the
// scan root, validated against the JSON Schema the project ships. Errors name the file, the
// key and what is allowed, in one line.

import fs from "node:fs";
import path from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { LineCounter, parseDocument } from "yaml";
import { packageRoot } from "../package-root.js";
import type { Level, RuleSettings } from "./rule.js";

export interface Config {
  rules?: Record<string, Level | "off">;
  exclude?: string[];
  failOn?: Level | "never";
  dataPlane?: { region?: string; secrets?: string[] };
  sym?: { tagName?: string; environments?: string[] };
  apono?: { secrets?: string[] };
}

export const CONFIG_FILE_NAMES = ["secretlint.config.yaml", "secretlint.config.yml", "secretlint.config.json"];

/** A user mistake in configuration or arguments: one line, exit 2. */
export class ConfigError extends Error {}

const schemaPath = () => path.join(packageRoot(), "schemas", "secretlint.config.schema.json");

let validator: ReturnType<Ajv["compile"]> | undefined;
function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    const schema = JSON.parse(fs.readFileSync(schemaPath(), "utf8")) as object;
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validator(data) ? [] : (validator.errors ?? []);
}

/** The configuration file that applies to a scan root: the nearest one upward, or null. */
export function findConfigFile(startDir: string): string | null {
  let dir = path.resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const f = path.join(dir, name);
      if (fs.existsSync(f)) return f;
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export function loadConfig(file: string, knownRuleIds?: ReadonlySet<string>): Config {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`${file}: cannot read the configuration file (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let data: unknown;
  let lineOf: (pointer: string) => number | undefined = () => undefined;
  if (file.endsWith(".json")) {
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(`${file}: invalid JSON: ${(err as Error).message}`);
    }
  } else {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const pos = lineCounter.linePos(e.pos[0]);
      throw new ConfigError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${e.message.split("\n")[0]}`);
    }
    data = doc.toJS() ?? {};
    lineOf = (pointer) => {
      const keys = pointer.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
      const node = keys.length ? (doc.getIn(keys, true) as { range?: [number, number, number] } | undefined) : undefined;
      return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    };
  }
  // A key with everything under it commented out (as in the starter file) reads as null.
  data = dropNulls(data);
  const errors = validate(data);
  if (errors.length > 0) {
    const e = errors[0];
    const where = e.instancePath || "/";
    const line = lineOf(e.instancePath);
    throw new ConfigError(`${file}${line ? `:${line}` : ""}: ${describeSchemaError(e, where)}`);
  }
  const config = data as Config;
  if (knownRuleIds && config.rules) {
    for (const id of Object.keys(config.rules)) {
      if (!knownRuleIds.has(id)) {
        throw new ConfigError(`${file}${lineOf(`/rules/${id.replace(/\//g, "~1")}`) ? `:${lineOf(`/rules/${id.replace(/\//g, "~1")}`)}` : ""}: unknown rule id \`${id}\` under \`rules\`; run \`secretlint rules\` for the list`);
      }
    }
  }
  return config;
}

function dropNulls(v: unknown): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== null) out[k] = dropNulls(x);
  return out;
}

function describeSchemaError(e: ErrorObject, where: string): string {
  const path = where
    .slice(1)
    .split("/")
    .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
  const key = where === "/" ? "the top level" : `\`${path}\``;
  switch (e.keyword) {
    case "additionalProperties":
      return `unknown key \`${(e.params as { additionalProperty: string }).additionalProperty}\` in ${key}`;
    case "enum":
      return `${key} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "type":
      return `${key} must be ${{ array: "a list", object: "a mapping", string: "a string" }[(e.params as { type: string }).type] ?? (e.params as { type: string }).type}`;
    case "pattern":
      return `${key} is not in the expected form (${(e.params as { pattern: string }).pattern})`;
    case "propertyNames":
      return `${key} has a key that is not a rule id like \`sym/symenv-tag-missing\``;
    default:
      return `${key} ${e.message ?? "is invalid"}`;
  }
}

/** Rule settings from configuration and command-line options (the command line wins). */
export function settingsFrom(config: Config, cli: { dataPlaneRegion?: string } = {}): Partial<RuleSettings> {
  const s: Partial<RuleSettings> = {};
  if (config.sym?.tagName) s.symTagName = config.sym.tagName;
  if (config.sym?.environments) s.symEnvironments = config.sym.environments;
  if (config.apono?.secrets) s.aponoSecretPatterns = config.apono.secrets;
  if (config.dataPlane?.secrets) s.dataPlaneSecretPatterns = config.dataPlane.secrets;
  const region = cli.dataPlaneRegion ?? config.dataPlane?.region;
  if (region) s.dataPlaneRegion = region;
  return s;
}

/** The starter configuration `secretlint init` writes: every key, commented. */
export const STARTER_CONFIG = `# secretlint configuration. Schema: schemas/secretlint.config.schema.json
# Rule levels: error, warning, note, or off. \`secretlint rules\` lists the ids.
rules:
  # sym/secret-not-found: warning
  # iam/not-action-allow: off

# Paths (globs, relative to the scan root) not to scan.
exclude:
  # - "examples/**"

# The lowest level that fails the run (exit code 1): error, warning, note or never.
# failOn: warning

# The Flyte/Union data plane: its region, and the names of the secrets it reads.
dataPlane:
  # region: us-east-1
  # secrets:
  #   - "flyte/*"

# Sym: the tag its access policy conditions on, and environments in scope.
sym:
  # tagName: SymEnv
  # environments:
  #   - prod

# Apono: name patterns of secrets its connector reads, besides those integrations name.
apono:
  # secrets:
  #   - "apono/*"
`;
