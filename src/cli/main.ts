// The `secretlint` command line. Thin: arguments → options → one library call → a reporter
// chosen by name → exit code. Known user mistakes print one line and exit 2; anything else is
// a bug, shown in full only under --debug.

import fs from "node:fs";
import path from "node:path";
import { Command, CommanderError, Option } from "commander";
import type { Config } from "../engine/config.js";
import type { Level, Rule } from "../engine/rule.js";
import type { Finding } from "../engine/runner.js";
import { packageVersion } from "../package-root.js";
import { addAuditCommand } from "./audit-options.js";
import type { ReportFormat } from "../report/index.js";

// Commands load what they need when they run, so `--version` and `--help` start fast.
const loadRules = async () => (await import("../../rules/index.js")).allRules;

/** A user mistake: one line on stderr, exit 2 (the library's ConfigError and InputError too). */
class UsageError extends Error {}
const isUserError = async (err: unknown): Promise<boolean> => {
  if (err instanceof UsageError) return true;
  const [{ ConfigError }, { InputError }] = await Promise.all([import("../engine/config.js"), import("../scan.js")]);
  return err instanceof ConfigError || err instanceof InputError;
};

const LEVEL_RANK: Record<string, number> = { error: 3, warning: 2, note: 1 };

interface ScanCliOptions {
  format: string;
  output?: string;
  sarifFile?: string;
  config?: string;
  failOn?: string;
  rule: string[];
  disable: string[];
  baseline?: string;
  writeBaseline?: string;
  includeSuppressed?: boolean;
  color: boolean;
  quiet?: boolean;
  var: string[];
  varFile: string[];
  dataPlaneRegion?: string;
  exclude: string[];
  dumpInventory?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function parseLevel(v: string, what: string): Level | "off" {
  if (v === "error" || v === "warning" || v === "note" || v === "off") return v;
  throw new UsageError(`${what}: unknown level \`${v}\`; use error, warning, note or off`);
}

async function scanCommand(paths: string[], opts: ScanCliOptions): Promise<number> {
  const [allRules, { readBaseline, writeBaseline }, { findConfigFile, loadConfig, settingsFrom }, { dumpInventory }, { REPORT_FORMATS, fingerprintFindings, formatReport }, { scanPaths }] =
    await Promise.all([
      loadRules(),
      import("../engine/baseline.js"),
      import("../engine/config.js"),
      import("../inventory/dump.js"),
      import("../report/index.js"),
      import("../scan.js"),
    ]);
  const ruleById = (id: string): Rule | undefined => allRules.find((r) => r.id === id);
  const ConfigError = UsageError;
  const format = opts.format as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new ConfigError(`--format ${opts.format}: unknown format; use ${REPORT_FORMATS.join(", ")}`);
  const roots = paths.length > 0 ? paths : ["."];
  const ruleIds = new Set(allRules.map((r) => r.id));

  // Configuration: -c FILE, else the nearest secretlint.config.* upward from the first path.
  const firstDir = fs.existsSync(roots[0]) && fs.statSync(roots[0]).isFile() ? path.dirname(roots[0]) : roots[0];
  const configFile = opts.config ?? (fs.existsSync(firstDir) ? findConfigFile(firstDir) : null);
  if (opts.config && !fs.existsSync(opts.config)) throw new ConfigError(`${opts.config}: no such configuration file`);
  const config: Config = configFile ? loadConfig(configFile, ruleIds) : {};

  const levels: Record<string, Level | "off"> = { ...(config.rules ?? {}) };
  for (const spec of opts.rule) {
    const [id, level] = spec.split("=");
    if (!ruleIds.has(id)) throw new ConfigError(`--rule ${spec}: unknown rule id \`${id}\`; run \`secretlint rules\` for the list`);
    levels[id] = level ? parseLevel(level, `--rule ${spec}`) : (ruleById(id)?.level ?? "error");
  }
  for (const id of opts.disable) {
    if (!ruleIds.has(id)) throw new ConfigError(`--disable ${id}: unknown rule id; run \`secretlint rules\` for the list`);
    levels[id] = "off";
  }
  const failOn = opts.failOn ?? config.failOn ?? "warning";
  if (!["error", "warning", "note", "never"].includes(failOn)) throw new ConfigError(`--fail-on ${failOn}: use error, warning, note or never`);

  const vars: Array<[string, string]> = opts.var.map((v) => {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new ConfigError(`--var ${v}: expected NAME=VALUE`);
    return [v.slice(0, eq), v.slice(eq + 1)];
  });
  for (const f of opts.varFile) if (!fs.existsSync(f)) throw new ConfigError(`--var-file ${f}: no such file`);

  const result = scanPaths(roots, {
    rules: allRules,
    levels,
    settings: settingsFrom(config, { dataPlaneRegion: opts.dataPlaneRegion }),
    vars,
    varFiles: opts.varFile,
    exclude: [...(config.exclude ?? []), ...opts.exclude],
    displayRoot: process.cwd(),
  });

  if (opts.dumpInventory) {
    process.stdout.write(JSON.stringify(dumpInventory(result.inventory), null, 2) + "\n");
    return 0;
  }

  // Baselines hide known findings by fingerprint.
  const prints = fingerprintFindings(result.findings, { sources: result.sources });
  let findings: Finding[] = result.findings;
  if (opts.writeBaseline) {
    writeBaseline(opts.writeBaseline, findings.map((f, i) => ({ ruleId: f.ruleId, fingerprint: prints[i] })));
  }
  if (opts.baseline) {
    const known = readBaseline(opts.baseline);
    findings = findings.filter((f, i) => !known.has(`${f.ruleId}\u0000${prints[i]}`));
  }
  const shown = opts.includeSuppressed ? [...findings, ...result.suppressed] : findings;
  const suppressedSet = new Set(result.suppressed);

  const failing = findings.filter((f) => failOn !== "never" && LEVEL_RANK[f.level] >= LEVEL_RANK[failOn]).length;
  const exitCode = failing > 0 ? 1 : 0;
  const useColor = opts.color && !process.env.NO_COLOR && !opts.output && process.stdout.isTTY === true;
  const input = {
    result: { findings: shown, notifications: result.notifications, rules: result.rules },
    kind: "scan" as const,
    toolVersion: packageVersion(),
    sources: result.sources,
    scanRoot: process.cwd(),
    invocation: { notifications: [], exitCode, successful: true },
    suppression: (f: Finding) => (suppressedSet.has(f) ? { kind: "inSource" as const } : undefined),
    color: useColor,
  };
  const report = formatReport(format, input);
  if (opts.output) fs.writeFileSync(opts.output, report);
  else if (!(opts.quiet && shown.length === 0 && format === "text")) process.stdout.write(report);
  if (opts.sarifFile) fs.writeFileSync(opts.sarifFile, formatReport("sarif", input));
  return exitCode;
}

async function rulesCommand(): Promise<void> {
  const allRules = await loadRules();
  for (const r of allRules) {
    const sev = r.securitySeverity === undefined ? "  - " : r.securitySeverity.toFixed(1).padStart(4);
    process.stdout.write(`${r.id.padEnd(34)} ${r.level.padEnd(8)} ${sev}  ${r.title}\n`);
  }
}

async function explainCommand(id: string): Promise<void> {
  const r = (await loadRules()).find((x) => x.id === id);
  if (!r) throw new UsageError(`unknown rule id \`${id}\`; run \`secretlint rules\` for the list`);
  const sev = r.securitySeverity === undefined ? "" : `, security severity ${r.securitySeverity.toFixed(1)}`;
  process.stdout.write(
    `${r.id} (${r.level}${sev})\n\n${r.title}\n\n${r.description}\n\nWhy\n${r.help.why}\n\nBad\n${indent(r.help.bad)}\n\nGood\n${indent(r.help.good)}\n\nFix\n${r.help.fix}\n`,
  );
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

async function initCommand(opts: { force?: boolean }): Promise<void> {
  const { STARTER_CONFIG } = await import("../engine/config.js");
  const file = "secretlint.config.yaml";
  if (fs.existsSync(file) && !opts.force) throw new UsageError(`${file} exists already; use --force to overwrite it`);
  fs.writeFileSync(file, STARTER_CONFIG);
  process.stdout.write(`wrote ${file}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  let exitCode = 0;
  program
    .name("secretlint")
    .description("Lints the AWS Secrets Manager secrets that Sym, Apono, Flyte/Union and Mage read.")
    .version(packageVersion(), "-v, --version")
    .option("--debug", "show stack traces of internal errors")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program
    .command("scan")
    .description("scan Terraform under PATH (default .)")
    .argument("[paths...]", "directories or files")
    .addOption(new Option("-f, --format <format>", "text, json, sarif or github").default("text"))
    .option("-o, --output <file>", "write the report to a file")
    .option("--sarif-file <file>", "also write SARIF to a file")
    .option("-c, --config <file>", "configuration file (default: secretlint.config.yaml found upward)")
    .option("--fail-on <level>", "exit 1 on findings at or above: error, warning, note, never (default warning)")
    .option("--rule <id[=level]>", "enable a rule or set its level (repeatable)", collect, [])
    .option("--disable <id>", "disable a rule (repeatable)", collect, [])
    .option("--baseline <file>", "hide findings recorded in a baseline file")
    .option("--write-baseline <file>", "record the current findings in a baseline file")
    .option("--include-suppressed", "also report findings hidden by secretlint:ignore comments")
    .option("--no-color", "no colour in text output")
    .option("-q, --quiet", "print nothing when there is no finding")
    .option("--var <name=value>", "set a root module variable (repeatable)", collect, [])
    .option("--var-file <file>", "read root module variables from a file (repeatable)", collect, [])
    .option("--data-plane-region <region>", "the Flyte/Union data plane's region")
    .option("--exclude <glob>", "skip paths matching a glob (repeatable)", collect, [])
    .option("--dump-inventory", "print the inventory (what secretlint understood) as JSON, and exit")
    .action(async (paths: string[], opts: ScanCliOptions) => {
      exitCode = await scanCommand(paths, opts);
    });
  addAuditCommand(program, async (opts) => {
    exitCode = await (await import("./audit.js")).auditCommand(opts, program.opts().debug === true);
  });
  program.command("rules").description("list the rule catalogue").action(rulesCommand);
  program
    .command("explain")
    .description("show a rule's full help")
    .argument("<rule-id>")
    .action(async (id: string) => explainCommand(id));
  program
    .command("init")
    .description("write a commented starter secretlint.config.yaml")
    .option("--force", "overwrite an existing file")
    .action(async (opts: { force?: boolean }) => initCommand(opts));

  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (await isUserError(err)) {
      process.stderr.write(`secretlint: ${(err as Error).message}\n`);
      return 2;
    }
    if (debug) process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    else process.stderr.write(`secretlint: internal error: ${(err as Error).message} (run with --debug for details)\n`);
    return 2;
  }
  return exitCode;
}

process.exitCode = await main(process.argv.slice(2));
