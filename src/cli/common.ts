// What `scan` and `audit` share: the common options, their resolution against the
// configuration file, and the report with baselines, suppressions and the exit code.

import fs from "node:fs";
import { ConfigError, type Config } from "../engine/config.js";
import { PRESET_NAMES, enabledLevel, isPresetName, type PresetName } from "../engine/presets.js";
import { ruleSetFrom } from "../engine/ruleset.js";
import type { FrameworkId, Level, Rule, RuleSettings } from "../engine/rule.js";
import { sortFindings, type Finding, type Notification, type RuleCoverage } from "../engine/runner.js";
import { packageVersion } from "../package-root.js";
import type { FrameworkSummary, ReportFormat } from "../report/index.js";

/** The options `scan` and `audit` both take (SPEC section 2's common and scan options). */
export interface CommonCliOptions {
  format: string;
  output?: string;
  sarifFile?: string;
  /** SARIF `automationDetails.id` is `<sarifCategory>/` (GitHub code scanning's category). */
  sarifCategory?: string;
  config?: string;
  failOn?: string;
  preset: string[];
  controlsOut?: string;
  rule: string[];
  disable: string[];
  baseline?: string;
  writeBaseline?: string;
  includeSuppressed?: boolean;
  color: boolean;
  quiet?: boolean;
  var: string[];
  varFile: string[];
  tgEnv?: string[];
  dataPlaneRegion?: string;
  exclude: string[];
  dumpInventory?: boolean;
  /** Exit 0/1 on a partial run (a module left out, an AWS call denied) instead of 2. */
  allowPartial?: boolean;
}

const LEVEL_RANK: Record<string, number> = { error: 3, warning: 2, note: 1 };

function parseLevel(v: string, what: string): Level | "off" {
  if (v === "error" || v === "warning" || v === "note" || v === "off") return v;
  throw new ConfigError(`${what}: unknown level \`${v}\`; use error, warning, note or off`);
}

export interface ResolvedOptions {
  format: ReportFormat;
  levels: Record<string, Level | "off">;
  failOn: Level | "never";
  vars: Array<[string, string]>;
  /** The presets in force (`--preset`, else the configuration's `extends`, else integrations). */
  presets: PresetName[];
  /** The frameworks whose per-control summary the run reports. */
  frameworks: FrameworkId[];
  /** Every rule the run knows: the catalogue and the configuration's policies (`custom/…`). */
  rules: Rule[];
  /** `--tg-env NAME=VALUE`. */
  tgEnv: Array<[string, string]>;
}

/** The presets named on the command line (`--preset a,b --preset c`), checked. */
function presetsFromCli(specs: string[]): PresetName[] | undefined {
  if (specs.length === 0) return undefined;
  const names = specs.flatMap((s) => s.split(",")).map((s) => s.trim());
  for (const n of names) {
    if (!isPresetName(n)) throw new ConfigError(`--preset ${n}: unknown preset; use ${PRESET_NAMES.join(", ")} (several with commas)`);
  }
  return names as PresetName[];
}

/**
 * Checks the common options and merges them over the configuration (the command line wins):
 * the presets' levels, then the configuration's `rules`, then `--rule` and `--disable`. The
 * configuration's policies join the catalogue as `custom/<name>` rules at their own levels.
 */
export function resolveCommonOptions(opts: CommonCliOptions, catalogue: Rule[], config: Config, formats: readonly ReportFormat[]): ResolvedOptions {
  const format = opts.format as ReportFormat;
  if (!formats.includes(format)) throw new ConfigError(`--format ${opts.format}: unknown format; use ${formats.join(", ")}`);
  const ruleSet = ruleSetFrom(config, catalogue, presetsFromCli(opts.preset ?? []));
  const allRules = ruleSet.rules;
  const ruleIds = new Set(allRules.map((r) => r.id));
  const levels = ruleSet.levels;
  for (const spec of opts.rule) {
    const [id, level] = spec.split("=");
    if (!ruleIds.has(id)) throw new ConfigError(`--rule ${spec}: unknown rule id \`${id}\`; run \`secretlint rules\` for the list`);
    const rule = allRules.find((r) => r.id === id)!;
    levels[id] = level ? parseLevel(level, `--rule ${spec}`) : enabledLevel(rule);
  }
  for (const id of opts.disable) {
    if (!ruleIds.has(id)) throw new ConfigError(`--disable ${id}: unknown rule id; run \`secretlint rules\` for the list`);
    levels[id] = "off";
  }
  const failOn = opts.failOn ?? config.failOn ?? "warning";
  if (failOn !== "error" && failOn !== "warning" && failOn !== "note" && failOn !== "never") {
    throw new ConfigError(`--fail-on ${failOn}: use error, warning, note or never`);
  }
  const vars: Array<[string, string]> = opts.var.map((v) => {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new ConfigError(`--var ${v}: expected NAME=VALUE`);
    return [v.slice(0, eq), v.slice(eq + 1)];
  });
  for (const f of opts.varFile) if (!fs.existsSync(f)) throw new ConfigError(`--var-file ${f}: no such file`);
  if (opts.sarifCategory !== undefined && opts.sarifCategory.replace(/^\/+|\/+$/g, "").trim() === "") {
    throw new ConfigError(`--sarif-category ${JSON.stringify(opts.sarifCategory)}: give a name, such as secretlint-infra`);
  }
  const tgEnv: Array<[string, string]> = (opts.tgEnv ?? []).map((v) => {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new ConfigError(`--tg-env ${v}: expected NAME=VALUE`);
    return [v.slice(0, eq), v.slice(eq + 1)];
  });
  return { format, levels, failOn, vars, presets: ruleSet.presets, frameworks: ruleSet.frameworks, rules: allRules, tgEnv };
}

export interface RunToReport {
  kind: "scan" | "audit";
  findings: Finding[];
  /** Findings hidden by suppression comments. */
  suppressed: Finding[];
  notifications: Notification[];
  rules: Rule[];
  sources: Map<string, string>;
  /** The invocation's own notices (denied calls…). */
  notices: Notification[];
  /** The run could not read all it needed (an audit with denied calls). */
  partial: boolean;
  /** Exit 2 on a partial run unless this is set (`--allow-partial`). */
  allowPartial?: boolean;
  /** A file standing for the live account in SARIF (the snapshot). */
  liveArtifact?: string;
  /** The level each rule ran at, and what each judged (the per-control summary). */
  levels?: Record<string, Level>;
  coverage?: Map<string, RuleCoverage>;
  /** The rule settings in force (the per-control summary says when `requiredTags` is missing). */
  settings?: Partial<RuleSettings>;
}

/**
 * Applies baselines, writes the report(s) where the options say, and returns the exit code:
 * 2 for a partial run (unless allowed), 1 for findings at or above --fail-on, else 0.
 */
export async function writeReports(opts: CommonCliOptions, resolved: ResolvedOptions, run: RunToReport): Promise<number> {
  const [{ readBaseline, writeBaseline }, { controlsJson, fingerprintFindings, fingerprintFindingsV1, formatReport, summarise }] = await Promise.all([
    import("../engine/baseline.js"),
    import("../report/index.js"),
  ]);
  // Baselines hide accepted findings by fingerprint (an old-format one by its old fingerprints).
  const prints = fingerprintFindings(run.findings, { sources: run.sources });
  const notices = [...run.notices];
  const baselined = new Map<Finding, string>();
  if (opts.baseline) {
    const baseline = readBaseline(opts.baseline);
    const keys = baseline.version === 1 ? fingerprintFindingsV1(run.findings, { sources: run.sources }) : prints;
    run.findings.forEach((f, i) => {
      if (baseline.hides(f.ruleId, keys[i])) baselined.set(f, opts.baseline as string);
    });
    if (baseline.version === 1) {
      notices.push({
        level: "warning",
        message:
          `${opts.baseline} is a baseline of the first format (version 1): it hid ${baselined.size} of its ${baseline.entries.length} findings by their old fingerprints; ` +
          `rewrite it with \`--baseline ${opts.baseline} --write-baseline ${opts.baseline}\` (that records the findings it hides, with file, address and message)`,
      });
    }
  }
  if (opts.writeBaseline) {
    // With --baseline, only what it hides is recorded (fixed findings drop out, new ones are not
    // accepted); without, every finding of the run. What is written is hidden from this report.
    const accepted = run.findings.map((f, i) => ({ f, print: prints[i] })).filter(({ f }) => !opts.baseline || baselined.has(f));
    const count = writeBaseline(
      opts.writeBaseline,
      accepted.map(({ f, print }) => ({
        ruleId: f.ruleId,
        fingerprint: print,
        file: f.origin.file?.path.replace(/\\/g, "/") ?? null,
        address: f.origin.address ?? f.origin.aws?.arn,
        message: f.message,
      })),
    );
    baselined.clear();
    for (const { f } of accepted) baselined.set(f, opts.writeBaseline);
    const left = run.findings.length - accepted.length;
    process.stderr.write(
      `secretlint: wrote ${count} finding${count === 1 ? "" : "s"} to ${opts.writeBaseline}` +
        (left > 0 ? ` (${left} not in ${opts.baseline} left out, still reported)` : "") +
        "\n",
    );
  }
  const findings = run.findings.filter((f) => !baselined.has(f));
  for (const [f, file] of baselined) f.suppression ??= { kind: "external", justification: `in the baseline ${file}` };
  const hidden = [...run.suppressed, ...baselined.keys()];
  const shown = opts.includeSuppressed ? sortFindings([...findings, ...hidden]) : findings;
  const { failOn } = resolved;
  const failing = findings.filter((f) => failOn !== "never" && LEVEL_RANK[f.level] >= LEVEL_RANK[failOn]).length;
  const partial = run.partial && !run.allowPartial;
  const exitCode = partial ? 2 : failing > 0 ? 1 : 0;
  const useColor = opts.color && !process.env.NO_COLOR && !opts.output && process.stdout.isTTY === true;
  // The per-control summary of the frameworks the presets selected.
  let controls: FrameworkSummary[] | undefined;
  if (resolved.frameworks.length > 0 || opts.controlsOut) {
    controls = summarise(resolved.frameworks.length > 0 ? resolved.frameworks : ["fsbp"], {
      knownRules: resolved.rules,
      ran: run.rules,
      coverage: run.coverage,
      findings,
      hidden,
      kind: run.kind,
      ...(run.settings ? { settings: run.settings } : {}),
    });
    if (opts.controlsOut) fs.writeFileSync(opts.controlsOut, controlsJson(controls, run.kind));
    if (resolved.frameworks.length === 0) controls = undefined;
  }
  const input = {
    result: { findings: shown, notifications: run.notifications, rules: run.rules, ...(run.levels ? { levels: run.levels } : {}) },
    ...(controls ? { controls } : {}),
    kind: run.kind,
    toolVersion: packageVersion(),
    sources: run.sources,
    scanRoot: process.cwd(),
    ...(opts.sarifCategory !== undefined ? { category: opts.sarifCategory } : {}),
    ...(run.liveArtifact !== undefined ? { liveArtifact: run.liveArtifact } : {}),
    invocation: { notifications: notices, exitCode, successful: !run.partial },
    suppression: (f: Finding) => f.suppression,
    color: useColor,
  };
  const report = formatReport(resolved.format, input);
  if (opts.output) fs.writeFileSync(opts.output, report);
  else if (!(opts.quiet && shown.length === 0 && notices.length === 0 && resolved.format === "text")) process.stdout.write(report);
  if (opts.sarifFile) fs.writeFileSync(opts.sarifFile, formatReport("sarif", input));
  return exitCode;
}
