// The `secretlint` command line. Thin: arguments → options → one library call → a reporter
// chosen by name → exit code. Known user mistakes print one line and exit 2; anything else is
// a bug, shown in full only under --debug.

import fs from "node:fs";
import path from "node:path";
import { Command, CommanderError } from "commander";
import { addCommonOptions, helpAfter } from "./options.js";
import type { Config } from "../engine/config.js";
import type { CommonCliOptions } from "./common.js";
import { packageVersion } from "../package-root.js";
import { addAuditCommand } from "./audit-options.js";
import { inert, inertJson } from "../report/escape.js";
import { ProgressLine, showsProgress } from "./progress.js";
import type { TerraformProgress } from "../sources/terraform/index.js";

// Commands load what they need when they run, so `--version` and `--help` start fast.
/** Multi-line text (help, a stack) with each line made inert, the line breaks kept. */
const inertLines = (s: string) => s.split("\n").map(inert).join("\n");

const loadRules = async () => (await import("../../rules/index.js")).allRules;

/** A user mistake: one line on stderr, exit 2 (the library's ConfigError and InputError too). */
class UsageError extends Error {}
const isUserError = async (err: unknown): Promise<boolean> => {
  if (err instanceof UsageError) return true;
  const [{ ConfigError }, { InputError }] = await Promise.all([import("../engine/config.js"), import("../scan.js")]);
  return err instanceof ConfigError || err instanceof InputError;
};

/**
 * A scan shows progress once it has taken a second, redrawn at most ten times a second. Tests
 * set SECRETLINT_TEST_PROGRESS=every to see every update from the start on a small tree.
 */
const PROGRESS_EVERY = process.env.SECRETLINT_TEST_PROGRESS === "every";
const PROGRESS_AFTER_MS = PROGRESS_EVERY ? 0 : 1000;

/** `scan`'s options: the common ones (see common.ts), and the fixes. */
type ScanCliOptions = CommonCliOptions & { fix?: boolean; fixDryRun?: boolean };

async function scanCommand(paths: string[], opts: ScanCliOptions, debug: boolean): Promise<number> {
  const [allRules, { findConfigFile, loadConfig, settingsFrom, ConfigError }, { dumpInventory }, { REPORT_FORMATS }, { scanPaths }, { resolveCommonOptions, showsNotices, writeReports }] =
    await Promise.all([
      loadRules(),
      import("../engine/config.js"),
      import("../inventory/dump.js"),
      import("../report/index.js"),
      import("../scan.js"),
      import("./common.js"),
    ]);
  const roots = paths.length > 0 ? paths : ["."];

  // Configuration: -c FILE, else the nearest secretlint.config.* upward from the first path.
  const firstDir = fs.existsSync(roots[0]) && fs.statSync(roots[0]).isFile() ? path.dirname(roots[0]) : roots[0];
  if (opts.config && !fs.existsSync(opts.config)) throw new ConfigError(`${opts.config}: no such configuration file`);
  const configFile = opts.config ?? (fs.existsSync(firstDir) ? findConfigFile(firstDir) : null);
  const config: Config = configFile ? loadConfig(configFile, new Set(allRules.map((r) => r.id))) : {};
  let resolved = resolveCommonOptions(opts, allRules, config, REPORT_FORMATS);

  const settings = settingsFrom(config, { dataPlaneRegion: opts.dataPlaneRegion });
  const scanOptions = {
    rules: resolved.rules,
    levels: resolved.levels,
    settings,
    vars: resolved.vars,
    varFiles: opts.varFile,
    tgEnv: resolved.tgEnv,
    exclude: resolved.exclude,
    displayRoot: process.cwd(),
  };
  if (opts.fix && opts.fixDryRun) throw new UsageError("give either --fix or --fix-dry-run, not both");
  // Progress on a terminal, for a scan that takes more than a second (stderr; never in pipes or CI logs).
  const progress = showsProgress(debug) ? new ProgressLine(process.stderr, PROGRESS_EVERY ? 0 : 100) : undefined;
  const started = Date.now();
  const scanWithProgress = () => {
    try {
      return scanPaths(roots, {
        ...scanOptions,
        ...(progress
          ? {
              onProgress: (p: TerraformProgress) => {
                if (Date.now() - started < PROGRESS_AFTER_MS) return;
                const rootsPart = p.roots.total > 0 ? ` · root modules ${p.roots.done}/${p.roots.total}` : "";
                progress.update(`scanning: ${p.files} file${p.files === 1 ? "" : "s"} read · ${p.modules} module${p.modules === 1 ? "" : "s"}${rootsPart}`);
              },
            }
          : {}),
      });
    } finally {
      progress?.clear();
    }
  };
  let result = scanWithProgress();
  // Fixes: written (--fix), shown (--fix-dry-run), or carried by a SARIF report.
  const fixMode = opts.fix ? "fix" : opts.fixDryRun ? "dry-run" : resolved.outputs.some((o) => o.format === "sarif") || opts.sarifFile ? "attach" : undefined;
  if (fixMode && !opts.dumpInventory) {
    const { runScanFixes } = await import("./scan-fix.js");
    result = runScanFixes(result, { ...scanOptions, paths: roots, mode: fixMode, debug, rescan: scanWithProgress });
  }
  // A dry run's stdout is the diff: the reports go only where -o says.
  if (fixMode === "dry-run") {
    const { stdoutFormat: _, ...rest } = resolved;
    resolved = { ...rest, outputs: resolved.outputs.filter((o) => o.file !== undefined) };
  }

  const say = (line: string) => process.stderr.write(`secretlint: ${inert(line)}\n`);
  const partial = result.partial && !opts.allowPartial;
  if (opts.dumpInventory) {
    process.stdout.write(inertJson(JSON.stringify(dumpInventory(result.inventory), null, 2)) + "\n");
    for (const n of result.notices) say(`${n.level}: ${n.message}`);
    return partial ? 2 : 0;
  }
  const exitCode = await writeReports(opts, resolved, {
    kind: "scan",
    findings: result.findings,
    suppressed: result.suppressed,
    notifications: result.notifications,
    rules: result.rules,
    sources: result.sources,
    notices: result.notices,
    partial: result.partial,
    allowPartial: opts.allowPartial === true,
    ...(result.levels ? { levels: result.levels } : {}),
    ...(result.coverage ? { coverage: result.coverage } : {}),
    settings,
    scanned: result.scanned,
  });
  if (debug) for (const f of result.moduleFailures) process.stderr.write(`${inert(f.module)}: ${inertLines((f.error as Error)?.stack ?? String(f.error))}\n`);
  // The text report shows the notices; other formats (or a report in a file) get them on stderr too.
  if (!showsNotices(resolved)) {
    for (const n of [...result.notifications, ...result.notices]) if (!(opts.quiet && n.level === "note")) say(`${n.level}: ${n.message}`);
  }
  if (result.partial && !opts.allowPartial) say("the scan is partial (see the notices above); exit 2 (pass --allow-partial to accept a partial scan)");
  return exitCode;
}

async function rulesCommand(opts: { preset: string[]; framework?: string }): Promise<void> {
  const [allRules, presets, frameworks] = await Promise.all([loadRules(), import("../engine/presets.js"), import("../engine/frameworks.js")]);
  const names = opts.preset.flatMap((p) => p.split(",")).map((p) => p.trim());
  for (const n of names) if (!presets.isPresetName(n)) throw new UsageError(`--preset ${n}: unknown preset; use ${presets.PRESET_NAMES.join(", ")}`);
  // Levels: the defaults (integrations), or those of the presets named.
  const levels = names.length > 0 ? presets.levelsOfPresets(names as import("../engine/presets.js").PresetName[], allRules) : undefined;
  const levelOf = (r: (typeof allRules)[number]) => levels?.[r.id] ?? r.level;
  if (opts.framework !== undefined) {
    const id = opts.framework.toLowerCase();
    if (!(frameworks.FRAMEWORK_IDS as readonly string[]).includes(id)) {
      throw new UsageError(`--framework ${opts.framework}: unknown framework; use ${frameworks.FRAMEWORK_IDS.join(", ")}`);
    }
    const fw = frameworks.frameworkById(id as import("../engine/rule.js").FrameworkId);
    process.stdout.write(`${fw.label}: ${fw.title}\n`);
    const rows = frameworks.mapping(fw.id, allRules).map((c) => [c.id, c.rules.map((r) => `${r.id} (${levelOf(r)})`).join(", ") || "no rule", c.title]);
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    for (const r of rows) process.stdout.write(`${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}\n`);
    return;
  }
  for (const r of allRules) {
    const sev = r.securitySeverity === undefined ? "  - " : r.securitySeverity.toFixed(1).padStart(4);
    process.stdout.write(`${r.id.padEnd(34)} ${levelOf(r).padEnd(8)} ${sev}  ${r.title}\n`);
  }
}

async function explainCommand(id: string): Promise<void> {
  const all = await loadRules();
  const r = all.find((x) => x.id === id);
  if (!r) {
    const { didYouMean } = await import("../util/suggest.js");
    throw new UsageError(`unknown rule id \`${id}\`${didYouMean(id, all.map((x) => x.id)) || "; run `secretlint rules` for the list"}`);
  }
  const sev = r.securitySeverity === undefined ? "" : `, security severity ${r.securitySeverity.toFixed(1)}`;
  const { controlLabel } = await import("../engine/frameworks.js");
  const level = r.level === "off" ? `off by default${r.presets?.fsbp ? `; ${r.presets.fsbp} under --preset fsbp` : ""}` : r.level;
  const controls = r.controls?.length ? `\n\nControls: ${r.controls.map(controlLabel).join(", ")}` : "";
  process.stdout.write(
    `${r.id} (${level}${sev})\n\n${r.title}${controls}\n\n${r.description}\n\nWhy\n${r.help.why}\n\nBad\n${indent(r.help.bad)}\n\nGood\n${indent(r.help.good)}\n\nFix\n${r.help.fix}\n`,
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
  const { writeOutput } = await import("./common.js");
  writeOutput("init:", file, STARTER_CONFIG);
  process.stdout.write(`wrote ${file}\n`);
}

/** The name the user typed: the package installs the same binary as `secretlint` and `secretlint-aws`. */
function invokedName(): string {
  return path.basename(process.argv[1] ?? "", ".js") === "secretlint-aws" ? "secretlint-aws" : "secretlint";
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  const name = invokedName();
  let exitCode = 0;
  program
    .name(name)
    .description("Lints the AWS Secrets Manager secrets that Sym, Apono, Flyte/Union and Mage read.")
    .version(packageVersion(), "-v, --version")
    .option("--debug", "show stack traces of internal errors")
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(inertLines(s)) });
  const debug = argv.includes("--debug");
  addCommonOptions(
    program.command("scan").description("scan Terraform and app configurations under PATH (default .)").argument("[paths...]", "directories or files"),
    { configFrom: "the first path", terraformOf: "" },
  )
    .option("--fix", "apply the fixes whose result is certain (tags of Sym, Apono and required-tag findings) to the Terraform, then report what is left")
    .option("--fix-dry-run", "print those fixes as a unified diff and change nothing")
    .addHelpText(
      "after",
      helpAfter([
        `${name} scan infra/                                  # text for people`,
        `${name} scan . -f sarif -o secretlint.sarif -f text  # SARIF for code scanning, and text on the terminal`,
        `${name} scan . --only 'sym/*' --fail-on error        # only the Sym rules; fail on errors`,
        `${name} scan . --var environment=prod --var-file prod.tfvars`,
        `${name} scan . --write-baseline .secretlint-baseline.json   # accept today's findings`,
        `${name} scan . --baseline .secretlint-baseline.json         # then report only new ones`,
        `${name} scan infra/ --fix-dry-run                    # the certain fixes as a diff; --fix writes them`,
      ]),
    )
    .action(async (paths: string[], opts: ScanCliOptions) => {
      exitCode = await scanCommand(paths, opts, debug);
    });
  addAuditCommand(program, async (opts) => {
    exitCode = await (await import("./audit.js")).auditCommand(opts, debug);
  }).addHelpText(
    "after",
    helpAfter([
      `${name} audit --live --regions us-east-1,eu-west-1`,
      `${name} audit --live --profile audit --read-values --tf infra/ -f sarif -o audit.sarif`,
      `${name} audit --snapshot account.json --tf infra/`,
    ]),
  );
  program
    .command("rules")
    .description("list the rule catalogue")
    .option("--preset <names>", "show the levels under presets (integrations, fsbp, all; several with commas)", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option("--framework <id>", "list a framework's controls and the rules answering them: fsbp, checkov, prowler")
    .action(async (opts: { preset: string[]; framework?: string }) => rulesCommand(opts));
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

  // A closed pipe (`secretlint rules | head -1`) ends the output quietly, not with a stack trace.
  let stdoutClosed = false;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE" || stdoutClosed) {
      stdoutClosed = true;
      return;
    }
    throw err;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (await isUserError(err)) {
      process.stderr.write(`secretlint: ${inert((err as Error).message)}\n`);
      return 2;
    }
    if (debug) process.stderr.write(`${inertLines((err as Error).stack ?? String(err))}\n`);
    else process.stderr.write(`secretlint: internal error: ${inert((err as Error).message)} (run with --debug for details)\n`);
    return 2;
  }
  return exitCode;
}

process.exitCode = await main(process.argv.slice(2));
