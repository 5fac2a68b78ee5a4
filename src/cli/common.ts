// What `scan` and `audit` share: the common options, their resolution against the
// configuration file, and the report with baselines, suppressions and the exit code.

import fs from "node:fs";
import { ConfigError, type Config } from "../engine/config.js";
import { PRESET_NAMES, enabledLevel, isPresetName, type PresetName } from "../engine/presets.js";
import { ruleSetFrom } from "../engine/ruleset.js";
import type { FrameworkId, Level, Rule, RuleSettings } from "../engine/rule.js";
import { sortFindings, type Finding, type Notification, type RuleCoverage } from "../engine/runner.js";
import { readFileBytes } from "../files/read.js";
import { writeTextFile } from "../files/write.js";
import { packageVersion } from "../package-root.js";
import { inert } from "../report/escape.js";
import type { FrameworkSummary, ReportFormat, RunSummary } from "../report/index.js";
import { didYouMean } from "../util/suggest.js";
import { splitList, type OutputToken } from "./options.js";

/** The options `scan` and `audit` both take (SPEC section 2's common and scan options). */
export interface CommonCliOptions {
  /** `--format` and `--output`, in the order given (see options.ts). */
  format?: OutputToken[];
  output?: OutputToken[];
  sarifFile?: string;
  /** SARIF `automationDetails.id` is `<sarifCategory>/` (GitHub code scanning's category). */
  sarifCategory?: string;
  config?: string;
  failOn?: string;
  preset: string[];
  controlsOut?: string;
  only: string[];
  rule: string[];
  disable: string[];
  baseline?: string;
  writeBaseline?: string;
  includeSuppressed?: boolean;
  /** `--color` (true), `--no-color` (false), or neither. */
  color?: boolean;
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

/** One report of the run: a format, and the file it goes to (standard output when absent). */
export interface ReportOutput {
  format: ReportFormat;
  file?: string;
}

export interface ResolvedOptions {
  outputs: ReportOutput[];
  /** The format written to standard output, if any. */
  stdoutFormat?: ReportFormat;
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
  exclude: string[];
}

/**
 * The rule ids a rule id or family names (`sym/*`, `*`), checked against the catalogue: an id
 * that names nothing is a usage error with the closest id.
 */
export function expandRuleIds(spec: string, allRules: Rule[], what: string): string[] {
  const ids = allRules.map((r) => r.id);
  if (spec === "*") return ids;
  if (spec.endsWith("/*")) {
    const family = spec.slice(0, -1);
    const found = ids.filter((id) => id.startsWith(family));
    if (found.length > 0) return found;
    const families = [...new Set(ids.map((id) => `${id.split("/")[0]}/*`))];
    throw new ConfigError(`${what}: no rule family \`${spec}\`${didYouMean(spec, families)}; families: ${families.join(", ")}`);
  }
  if (ids.includes(spec)) return [spec];
  throw new ConfigError(`${what}: unknown rule id \`${spec}\`${didYouMean(spec, ids) || "; run `secretlint rules` for the list"}`);
}

/**
 * Pairs each --output with a --format: with the nearest --format before it that has no file
 * yet, else the next one after it (so `-o x.sarif -f sarif` works too); no --format means text.
 * One report goes to standard output at most: the last --format without an --output.
 */
export function resolveOutputs(tokens: OutputToken[], formats: readonly ReportFormat[]): ReportOutput[] {
  const out: Array<{ format: string; file?: string }> = [];
  const pending: string[] = [];
  for (const t of tokens) {
    if (t.kind === "format") {
      const entry: { format: string; file?: string } = { format: t.value };
      if (pending.length > 0) entry.file = pending.shift();
      out.push(entry);
      continue;
    }
    const open = [...out].reverse().find((e) => e.file === undefined);
    if (open) open.file = t.value;
    else pending.push(t.value);
  }
  if (out.length === 0) out.push({ format: "text", ...(pending.length > 0 ? { file: pending.shift() } : {}) });
  if (pending.length > 0) throw new ConfigError(`--output ${pending[0]}: no --format left for it; give one --format per --output`);
  for (const o of out) {
    if (!formats.includes(o.format as ReportFormat)) {
      throw new ConfigError(`--format ${o.format}: unknown format${didYouMean(o.format, formats)}; use ${formats.join(", ")}`);
    }
  }
  // Standard output takes one report: of several --format without --output, the last wins (as
  // a repeated option does in every CLI, so a wrapper's `-f json` can be overridden).
  const lastStdout = out.filter((o) => o.file === undefined).pop();
  return out.filter((o) => o.file !== undefined || o === lastStdout) as ReportOutput[];
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
  const outputs = resolveOutputs(opts.format ?? opts.output ?? [], formats);
  const stdoutFormat = outputs.find((o) => o.file === undefined)?.format;
  const ruleSet = ruleSetFrom(config, catalogue, presetsFromCli(opts.preset ?? []));
  const allRules = ruleSet.rules;
  const levels = ruleSet.levels;
  const only = splitList(opts.only ?? []);
  if (only.length > 0) {
    const keep = new Set(only.flatMap((spec) => expandRuleIds(spec, allRules, `--only ${spec}`)));
    for (const r of allRules) levels[r.id] = keep.has(r.id) ? (levels[r.id] === "off" || levels[r.id] === undefined ? enabledLevel(r) : levels[r.id]) : "off";
  }
  // Families first, so `--rule sym/*=off --rule sym/secret-not-found=warning` keeps the one on.
  const specs = opts.rule.map((spec) => {
    const eq = spec.indexOf("=");
    const id = eq < 0 ? spec : spec.slice(0, eq);
    return { spec, id, level: eq < 0 ? undefined : spec.slice(eq + 1) };
  });
  for (const { spec, id, level } of [...specs.filter((x) => x.id.endsWith("*")), ...specs.filter((x) => !x.id.endsWith("*"))]) {
    for (const ruleId of expandRuleIds(id, allRules, `--rule ${spec}`)) {
      levels[ruleId] = level ? parseLevel(level, `--rule ${spec}`) : enabledLevel(allRules.find((r) => r.id === ruleId)!);
    }
  }
  for (const spec of splitList(opts.disable)) for (const id of expandRuleIds(spec, allRules, `--disable ${spec}`)) levels[id] = "off";
  const failOn = opts.failOn ?? config.failOn ?? "warning";
  if (failOn !== "error" && failOn !== "warning" && failOn !== "note" && failOn !== "never") {
    throw new ConfigError(`--fail-on ${failOn}: use error, warning, note or never`);
  }
  const vars: Array<[string, string]> = opts.var.map((v) => {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new ConfigError(`--var ${v.split("=")[0]}: expected NAME=VALUE`);
    return [v.slice(0, eq), v.slice(eq + 1)];
  });
  for (const f of opts.varFile) {
    const read = readFileBytes(f);
    if (!read.ok) throw new ConfigError(`--var-file ${f}: ${read.refusal === "missing" ? "no such file" : read.reason.replace(/; it was not read$/, "")}; give a variables file`);
  }
  if (opts.sarifCategory !== undefined && opts.sarifCategory.replace(/^\/+|\/+$/g, "").trim() === "") {
    throw new ConfigError(`--sarif-category ${JSON.stringify(opts.sarifCategory)}: give a name, such as secretlint-infra`);
  }
  const tgEnv: Array<[string, string]> = (opts.tgEnv ?? []).map((v) => {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new ConfigError(`--tg-env ${v}: expected NAME=VALUE`);
    return [v.slice(0, eq), v.slice(eq + 1)];
  });

  const exclude = [...(config.exclude ?? []), ...splitList(opts.exclude)];
  return { outputs, ...(stdoutFormat ? { stdoutFormat } : {}), levels, failOn, vars, presets: ruleSet.presets, frameworks: ruleSet.frameworks, rules: allRules, exclude, tgEnv };
}

/**
 * Whether the text report is coloured: `--color`/`--no-color` decide; else FORCE_COLOR (`0` or
 * `false` turns it off, anything else on); else NO_COLOR (any value) turns it off; else colour
 * when standard output is a terminal.
 */
export function useColour(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === "0" || force.toLowerCase() === "false");
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY;
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
  /** What the run read (files, modules; secrets, principals), for the summaries. */
  scanned?: RunSummary["scanned"];
}

/** Whether the report on standard output shows the run's notices itself (text and compact do); else they go to stderr too. */
export function showsNotices(resolved: ResolvedOptions): boolean {
  return resolved.stdoutFormat === "text" || resolved.stdoutFormat === "compact";
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
      inert(
        `secretlint: wrote ${count} finding${count === 1 ? "" : "s"} to ${opts.writeBaseline}` + (left > 0 ? ` (${left} not in ${opts.baseline} left out, still reported)` : ""),
      ) + "\n",
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
  const colour = useColour(opts.color, process.env, process.stdout.isTTY === true);
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
    if (opts.controlsOut) writeOutput("--controls-out", opts.controlsOut, controlsJson(controls, run.kind));
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
    summary: { scanned: run.scanned ?? [], hiddenByComments: run.suppressed.length, hiddenByBaseline: baselined.size },
  };
  for (const o of resolved.outputs) {
    if (o.file !== undefined) {
      writeOutput("--output", o.file, formatReport(o.format, { ...input, color: false }));
      continue;
    }
    // -q: nothing when there is no finding and nothing but notes (what was not read) to say.
    if (opts.quiet && shown.length === 0 && notices.every((n) => n.level === "note") && (o.format === "text" || o.format === "compact")) continue;
    process.stdout.write(formatReport(o.format, { ...input, color: colour }));
  }
  if (opts.sarifFile) writeOutput("--sarif-file", opts.sarifFile, formatReport("sarif", input));
  return exitCode;
}

/** Writes a file the user asked for; a failure is a user error naming the option and the path. */
export function writeOutput(option: string, file: string, text: string): void {
  const w = writeTextFile(file, text);
  if (!w.ok) throw new ConfigError(`${option} ${file}: ${w.reason}`);
}
