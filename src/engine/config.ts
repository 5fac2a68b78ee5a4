// The configuration file: `secretlint.config.yaml` (or `.yml`, `.json`), found upward from the
// scan root, validated against the JSON Schema the project ships. Errors name the file, the
// key and what is allowed, in one line.

import fs from "node:fs";
import path from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { compileConfigValidator } from "./config-schema.js";
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type ParseError } from "jsonc-parser";
import { didYouMean } from "../util/suggest.js";
import { packageRoot } from "../package-root.js";
import { readNamedFile } from "../files/read.js";
import { jsonNestingBeyond, lineColumnOf, MAX_JSON_NESTING } from "../util/json.js";
import { MAX_YAML_NESTING, yamlNestingBeyond } from "../util/yaml.js";
import { CUSTOM_PREFIX, type PolicyConfig } from "./policies.js";
import type { PresetName } from "./presets.js";
import type { Level, RuleSettings, TagRequirement } from "./rule.js";

export interface Config {
  /** Presets this configuration builds on (default: integrations). */
  extends?: PresetName | PresetName[];
  rules?: Record<string, Level | "off">;
  exclude?: string[];
  failOn?: Level | "never";
  dataPlane?: { region?: string; secrets?: string[] };
  sym?: { tagName?: string; environments?: string[] };
  apono?: { secrets?: string[] };
  rotation?: { maxIntervalDays?: number; maxDaysSinceRotation?: number };
  unused?: { unusedForDays?: number };
  requiredTags?: Array<Omit<TagRequirement, "secrets"> & { secrets?: string | string[] }>;
  policies?: PolicyConfig[];
}

export const CONFIG_FILE_NAMES = ["secretlint.config.yaml", "secretlint.config.yml", "secretlint.config.json"];

/** A user mistake in configuration or arguments: one line, exit 2. */
export class ConfigError extends Error {}

/** The schema itself, read only to suggest the closest key after an error (validation uses the compiled validator). */
let schema: object | undefined;
function loadSchema(): object {
  schema ??= JSON.parse(fs.readFileSync(path.join(packageRoot(), "schemas", "secretlint.config.schema.json"), "utf8")) as object;
  return schema;
}

let validator: ValidateFunction | undefined;
function validate(data: unknown): ErrorObject[] {
  validator ??= compileConfigValidator();
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
  const text = readNamedFile(file, "configuration file");
  if (typeof text !== "string") throw new ConfigError(text.error);
  let data: unknown;
  let lineOf: (pointer: string) => number | undefined = () => undefined;
  if (file.endsWith(".json")) {
    // jsonc-parser recurses per level: deep text is refused before it sees it.
    const deep = jsonNestingBeyond(text);
    if (deep >= 0) {
      const where = lineColumnOf(text, deep);
      throw new ConfigError(`${file}:${where.line}:${where.column}: JSON nests deeper than ${MAX_JSON_NESTING} levels; a configuration needs a few`);
    }
    // jsonc-parser keeps offsets, so errors in JSON name their line as in YAML.
    const errors: ParseError[] = [];
    const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    if (errors.length > 0 || !tree) {
      const e = errors[0];
      const where = e ? lineColumn(text, e.offset) : { line: 1, column: 1 };
      throw new ConfigError(`${file}:${where.line}:${where.column}: invalid JSON: ${e ? printParseErrorCode(e.error) : "empty file"}`);
    }
    data = getNodeValue(tree);
    lineOf = (pointer) => {
      const keys: Array<string | number> = pointer.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
      const node = findNodeAtLocation(tree, keys.map((k) => (typeof k === "string" && /^\d+$/.test(k) ? Number(k) : k)));
      if (!node) return undefined;
      // A property: the line of its key.
      return lineColumn(text, node.parent?.type === "property" ? node.parent.offset : node.offset).line;
    };
  } else {
    const deep = yamlNestingBeyond(text);
    if (deep >= 0) {
      const { line, column } = lineColumnOf(text, deep);
      throw new ConfigError(`${file}:${line}:${column}: YAML nests deeper than ${MAX_YAML_NESTING} levels; a configuration needs a few`);
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const pos = lineCounter.linePos(e.pos[0]);
      throw new ConfigError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${e.message.split("\n")[0]}`);
    }
    try {
      // The yaml package refuses aliases that expand past 100 nodes (a "billion laughs" file).
      data = doc.toJS({ maxAliasCount: 100 }) ?? {};
    } catch {
      throw new ConfigError(`${file}: YAML aliases (\`*name\`) expand too much; write the values out instead of aliasing them`);
    }
    lineOf = (pointer) => {
      const keys: Array<string | number> = pointer.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
      if (keys.length === 0) return undefined;
      // A mapping entry: the line of its key (a block value starts on the next line).
      const parent = doc.getIn(keys.slice(0, -1), true) as unknown;
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(keys[keys.length - 1]));
        const range = isScalar(pair?.key) ? pair.key.range : undefined;
        if (range) return lineCounter.linePos(range[0]).line;
      }
      if (isSeq(parent)) keys[keys.length - 1] = Number(keys[keys.length - 1]);
      const node = doc.getIn(keys, true) as { range?: [number, number, number] } | undefined;
      return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    };
  }
  // A key with everything under it commented out (as in the starter file) reads as null.
  data = dropNulls(data);
  const errors = validate(data);
  const at = (pointer: string) => {
    const line = lineOf(pointer);
    return `${file}${line ? `:${line}` : ""}`;
  };
  if (errors.length > 0) {
    const { error, message } = explainSchemaErrors(errors);
    const extra = error.keyword === "additionalProperties" ? `/${escapePointer((error.params as { additionalProperty: string }).additionalProperty)}` : "";
    const line = lineOf(error.instancePath + extra) ?? lineOf(error.instancePath);
    const hint = error.keyword === "additionalProperties" ? didYouMean((error.params as { additionalProperty: string }).additionalProperty, allowedKeys(error.instancePath)) : "";
    throw new ConfigError(`${file}${line ? `:${line}` : ""}: ${message}${hint}`);
  }
  const config = data as Config;
  checkMeaning(config, at);
  if (knownRuleIds && config.rules) {
    const policyIds = new Set((config.policies ?? []).map((p) => `${CUSTOM_PREFIX}${p.name}`));
    const ids = [...knownRuleIds, ...policyIds];
    const families = new Set(ids.map((id) => `${id.split("/")[0]}/*`));
    for (const id of Object.keys(config.rules)) {
      if (knownRuleIds.has(id) || policyIds.has(id) || families.has(id)) continue;
      const family = id.endsWith("/*");
      const hint = didYouMean(id, family ? families : ids) || "; run `secretlint rules` for the list";
      throw new ConfigError(`${at(`/rules/${escapePointer(id)}`)}: unknown rule ${family ? "family" : "id"} \`${id}\` under \`rules\`${hint}`);
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

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split("\n").length, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

/** The keys the schema allows in the object at a JSON pointer (for "did you mean"). */
function allowedKeys(pointer: string): string[] {
  let node = loadSchema() as { properties?: Record<string, unknown> };
  for (const raw of pointer.split("/").slice(1)) {
    const next = node.properties?.[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
    if (!next || typeof next !== "object") return [];
    node = next as { properties?: Record<string, unknown> };
  }
  return Object.keys(node.properties ?? {});
}

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** `/policies/0/require` → `policies[0].require`. */
function displayPath(pointer: string): string {
  let out = "";
  for (const raw of pointer.slice(1).split("/")) {
    const k = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(k) ? `[${k}]` : out ? `.${k}` : k;
  }
  return out;
}

/** What is wrong, from validation errors: the most specific one, or the alternatives of an `anyOf`. */
function explainSchemaErrors(errors: ErrorObject[]): { error: ErrorObject; message: string } {
  const depth = (e: ErrorObject) => (e.instancePath === "" ? 0 : e.instancePath.split("/").length - 1);
  const plain = errors.filter((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf");
  const deepest = Math.max(...plain.map(depth));
  const candidates = plain.filter((e) => depth(e) === deepest);
  const rank = (e: ErrorObject) => ["additionalProperties", "enum", "const", "type"].indexOf(e.keyword) >>> 0;
  const error = [...candidates].sort((a, b) => rank(a) - rank(b))[0] ?? errors[0];
  const where = error.instancePath || "/";
  // A value that fits none of the alternatives of an `anyOf`: name them all.
  const alternatives = errors.some((e) => (e.keyword === "anyOf" || e.keyword === "oneOf") && e.instancePath === error.instancePath);
  if (alternatives) {
    const wanted = [...new Set(candidates.filter((e) => e.instancePath === error.instancePath).map(expected).filter((x): x is string => x !== undefined))];
    if (wanted.length > 1) return { error, message: `${keyText(where)} must be ${wanted.join(", or ")}` };
  }
  return { error, message: describeSchemaError(error, where) };
}

/** What an error's schema wanted, in words (for the alternatives of an `anyOf`). */
function expected(e: ErrorObject): string | undefined {
  switch (e.keyword) {
    case "enum":
      return `one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return JSON.stringify((e.params as { allowedValue: unknown }).allowedValue);
    case "type":
      return typeWords((e.params as { type: string }).type);
    case "pattern":
      return `in the form ${(e.params as { pattern: string }).pattern}`;
    default:
      return undefined;
  }
}

function typeWords(t: string): string {
  return { array: "a list", object: "a mapping", string: "a string", integer: "a whole number", number: "a number", boolean: "true or false" }[t] ?? t;
}

function keyText(where: string): string {
  return where === "/" ? "the top level" : `\`${displayPath(where)}\``;
}

/** Checks a valid configuration's meaning: policy names unique, patterns that compile. */
function checkMeaning(config: Config, at: (pointer: string) => string): void {
  (config.requiredTags ?? []).forEach((t, i) => {
    if (t.pattern === undefined) return;
    try {
      new RegExp(t.pattern, "u");
    } catch (err) {
      throw new ConfigError(`${at(`/requiredTags/${i}/pattern`)}: \`requiredTags[${i}].pattern\` is not a valid regular expression: ${(err as Error).message}`);
    }
  });
  const seen = new Map<string, number>();
  (config.policies ?? []).forEach((p, i) => {
    const first = seen.get(p.name);
    if (first !== undefined) throw new ConfigError(`${at(`/policies/${i}/name`)}: \`policies[${i}].name\` \`${p.name}\` is already the name of policies[${first}]; each policy needs its own name (its rule id is custom/<name>)`);
    seen.set(p.name, i);
  });
}

function describeSchemaError(e: ErrorObject, where: string): string {
  const key = keyText(where);
  switch (e.keyword) {
    case "additionalProperties":
      return `unknown key \`${(e.params as { additionalProperty: string }).additionalProperty}\` in ${key}`;
    case "enum":
      return `${key} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "type":
      return `${key} must be ${typeWords((e.params as { type: string }).type)}`;
    case "const":
      return `${key} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    case "required":
      return `${key} needs \`${(e.params as { missingProperty: string }).missingProperty}\``;
    case "minimum":
    case "maximum":
      return `${key} must be ${e.keyword === "minimum" ? "at least" : "at most"} ${(e.params as { limit: number }).limit}`;
    case "minItems":
      return `${key} must not be empty`;
    case "minProperties":
      return `${key} must not be empty`;
    case "pattern":
      return `${key} is not in the expected form (${(e.params as { pattern: string }).pattern})`;
    case "propertyNames":
      return `${key} has a key that is neither a rule id like \`sym/symenv-tag-missing\` nor a family like \`sym/*\``;
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
  if (config.rotation?.maxIntervalDays !== undefined) s.rotationMaxIntervalDays = config.rotation.maxIntervalDays;
  if (config.rotation?.maxDaysSinceRotation !== undefined) s.maxDaysSinceRotation = config.rotation.maxDaysSinceRotation;
  if (config.unused?.unusedForDays !== undefined) s.unusedForDays = config.unused.unusedForDays;
  if (config.requiredTags) {
    s.requiredTags = config.requiredTags.map((t) => ({
      key: t.key,
      ...(t.values ? { values: t.values } : {}),
      ...(t.pattern !== undefined ? { pattern: t.pattern } : {}),
      ...(t.secrets !== undefined ? { secrets: Array.isArray(t.secrets) ? t.secrets : [t.secrets] } : {}),
    }));
  }
  return s;
}

/** The presets a configuration extends, as a list (undefined when it says none). */
export function presetsOf(config: Config): PresetName[] | undefined {
  if (config.extends === undefined) return undefined;
  return Array.isArray(config.extends) ? config.extends : [config.extends];
}

/** The starter configuration `secretlint init` writes: every key, commented. */
export const STARTER_CONFIG = `# secretlint configuration. Schema: schemas/secretlint.config.schema.json
# Presets: integrations (the default), fsbp (the AWS FSBP Secrets Manager controls), all.
# extends: [integrations, fsbp]

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

# Compliance controls (off unless a preset or \`rules:\` switches them on).
rotation:
  # maxIntervalDays: 30         # secret/rotation-disabled also fails rarer schedules
  # maxDaysSinceRotation: 90    # secret/rotation-overdue
unused:
  # unusedForDays: 90           # secret/unused

# Tags every secret must carry (secret/required-tags).
requiredTags:
  # - key: owner
  # - key: data-classification
  #   values: [public, internal, confidential, restricted]

# The organisation's own policies, reported as custom/<name>.
policies:
  # - name: sym-secrets-in-us-east-1
  #   match: { readBy: sym }
  #   require: { region: us-east-1 }
`;
