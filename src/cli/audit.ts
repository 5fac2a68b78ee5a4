// `secretlint audit`: the live account (`--live`) or a snapshot (`--snapshot FILE`), with the
// same rules, formats and exit codes as `scan`, plus exit 2 for a partial audit (a call
// denied) unless `--allow-partial`. Loaded only when the command runs (it loads the AWS SDK).

import fs from "node:fs";
import path from "node:path";
import type { Config } from "../engine/config.js";
import { ConfigError, findConfigFile, loadConfig, settingsFrom } from "../engine/config.js";
import type { Notification } from "../engine/runner.js";
import { packageVersion } from "../package-root.js";
import { inert, inertJson } from "../report/escape.js";
import { resolveCommonOptions, showsNotices, writeOutput, writeReports, type CommonCliOptions } from "./common.js";
import { ProgressLine, showsProgress } from "./progress.js";

export interface AuditCliOptions extends CommonCliOptions {
  live?: boolean;
  snapshot?: string;
  regions?: string;
  profile?: string;
  roleArn?: string;
  externalId?: string;
  readValues?: boolean;
  tf?: string;
  snapshotOut?: string;
  endpointUrl?: string;
  timeout?: string;
  /** Print the plan of tag changes that fix the findings (writes nothing). */
  fix?: boolean;
  /** Make the plan's changes (TagResources). */
  apply?: boolean;
  /** With --apply: no confirmation. */
  yes?: boolean;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;


export async function auditCommand(opts: AuditCliOptions, debug: boolean): Promise<number> {
  // What the arguments need now; the rest (Terraform, reporters' helpers) loads while the account is read.
  const [{ allRules }, { REPORT_FORMATS }, snapshots] = await Promise.all([
    import("../../rules/index.js"),
    import("../report/index.js"),
    import("../sources/aws/snapshot.js"),
  ]);

  // ---------------------------------------------------------------- arguments
  if (opts.live && opts.snapshot !== undefined) throw new ConfigError("give either --live or --snapshot FILE, not both");
  if (!opts.live && opts.snapshot === undefined) throw new ConfigError("say what to audit: --live (the account of the current credentials) or --snapshot FILE");
  if (!opts.live) {
    for (const [flag, v] of [
      ["--regions", opts.regions],
      ["--profile", opts.profile],
      ["--role-arn", opts.roleArn],
      ["--external-id", opts.externalId],
      ["--endpoint-url", opts.endpointUrl],
      ["--read-values", opts.readValues],
      ["--timeout", opts.timeout],
    ] as const) {
      if (v !== undefined && v !== false) throw new ConfigError(`${flag} applies to --live only (a snapshot is read as recorded)`);
    }
  }
  if (opts.apply && !opts.live) throw new ConfigError("--apply changes the live account: it needs --live (a snapshot cannot be changed)");
  if (opts.yes && !opts.apply) throw new ConfigError("--yes confirms --apply: give --apply too");
  // Without a terminal to ask on, --apply must be confirmed on the command line, before anything is read.
  if (opts.apply && !opts.yes && process.stdin.isTTY !== true) throw new ConfigError("--apply asks for confirmation on a terminal; pass --yes to apply without asking");
  if (opts.externalId !== undefined && opts.roleArn === undefined) throw new ConfigError("--external-id needs --role-arn (the role to assume with it)");
  if (opts.roleArn !== undefined && !/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/.test(opts.roleArn)) {
    throw new ConfigError(`--role-arn ${opts.roleArn}: not a role ARN (arn:aws:iam::123456789012:role/NAME)`);
  }
  const regions = opts.regions === undefined ? [] : opts.regions.split(",").map((r) => r.trim()).filter(Boolean);
  for (const r of regions) if (!REGION.test(r)) throw new ConfigError(`--regions: \`${r}\` is not a region name (like us-east-1)`);
  if (opts.regions !== undefined && regions.length === 0) throw new ConfigError("--regions: give at least one region (e.g. us-east-1,eu-west-1)");
  if (opts.endpointUrl !== undefined) {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(opts.endpointUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new ConfigError(`--endpoint-url ${opts.endpointUrl}: not an http(s) URL`);
  }
  let timeoutMs: number | undefined;
  if (opts.timeout !== undefined) {
    const t = Number(opts.timeout);
    if (!(t > 0) || !Number.isFinite(t)) throw new ConfigError(`--timeout ${opts.timeout}: give the seconds one attempt of a call may take (e.g. 20)`);
    timeoutMs = Math.round(t * 1000);
  }
  if (opts.tf !== undefined && !(fs.existsSync(opts.tf) && fs.statSync(opts.tf).isDirectory())) {
    throw new ConfigError(`--tf ${opts.tf}: no such directory; give the Terraform directory to cross-check with`);
  }

  // ---------------------------------------------------------------- configuration
  if (opts.config && !fs.existsSync(opts.config)) throw new ConfigError(`${opts.config}: no such configuration file`);
  const configFile = opts.config ?? findConfigFile(opts.tf ?? ".");
  const config: Config = configFile ? loadConfig(configFile, new Set(allRules.map((r) => r.id))) : {};
  let resolved = resolveCommonOptions(opts, allRules, config, REPORT_FORMATS);
  const { levels, vars, tgEnv } = resolved;
  if (opts.dataPlaneRegion !== undefined && !REGION.test(opts.dataPlaneRegion)) throw new ConfigError(`--data-plane-region ${opts.dataPlaneRegion}: not a region name (like us-east-1)`);

  // ---------------------------------------------------------------- the account
  const say = (line: string) => process.stderr.write(`secretlint: ${inert(line)}\n`);
  let later: Promise<[typeof import("../audit.js"), typeof import("../engine/baseline.js"), typeof import("../inventory/dump.js"), typeof import("../report/index.js")]> | undefined;
  const loadLater = () => (later ??= Promise.all([import("../audit.js"), import("../engine/baseline.js"), import("../inventory/dump.js"), import("../report/index.js")]));
  let data;
  let snapshotFile: string | undefined;
  let snapshotSource: string | undefined;
  if (opts.live) {
    // The SDK's notice that its 2027 releases will need Node 22 is not for secretlint's users.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const [{ collectAccount }, { AwsAccessError }] = await Promise.all([import("../sources/aws/collect.js"), import("../sources/aws/errors.js")]);
    const progress = showsProgress(debug) ? new ProgressLine(process.stderr) : undefined;
    try {
      const collecting = collectAccount({
        regions,
        ...(opts.profile ? { profile: opts.profile } : {}),
        ...(opts.roleArn ? { roleArn: opts.roleArn } : {}),
        ...(opts.externalId ? { externalId: opts.externalId } : {}),
        ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
        readValues: opts.readValues === true,
        onProgress: progress
          ? (p) =>
              progress.update(
                `auditing: ${p.listed} secret${p.listed === 1 ? "" : "s"} listed${p.listing > 0 ? "…" : ""} · resource policies ${p.policies.done}/${p.policies.total}` +
                  (opts.readValues ? ` · value shapes ${p.values.done}/${p.values.total}` : "") +
                  ` · IAM ${p.iam === "pending" ? "reading…" : p.iam}`,
              )
          : undefined,
        debug: debug ? (line) => say(`debug: ${line}`) : undefined,
      });
      void loadLater().catch(() => undefined);
      const got = await collecting.catch((err: unknown) => {
        throw err instanceof AwsAccessError ? new ConfigError(err.message) : err;
      });
      data = got.data;
      if (debug) {
        for (const [api, s] of Object.entries(got.stats)) say(`debug: ${api}: ${s.calls} calls, ${s.attempts} attempts, ${s.failures} failed`);
      }
    } finally {
      progress?.clear();
    }
    if (opts.snapshotOut) {
      const snap = snapshots.toSnapshot(data, { name: "secretlint", version: packageVersion() });
      snapshotSource = snapshots.snapshotText(snap);
      writeOutput("--snapshot-out", opts.snapshotOut, snapshotSource);
      snapshotFile = opts.snapshotOut;
    }
  } else {
    let read: ReturnType<typeof snapshots.readSnapshot>;
    try {
      read = snapshots.readSnapshot(opts.snapshot!);
    } catch (err) {
      throw err instanceof snapshots.SnapshotError ? new ConfigError(err.message) : err;
    }
    data = read.snapshot;
    snapshotFile = opts.snapshot!;
    snapshotSource = read.text;
    if (opts.snapshotOut) writeOutput("--snapshot-out", opts.snapshotOut, snapshots.snapshotText(snapshots.toSnapshot(data, read.snapshot.tool, new Date(read.snapshot.createdAt))));
  }

  const [{ auditAccount }, , { dumpInventory }] = await loadLater();
  const settings = settingsFrom(config, { dataPlaneRegion: opts.dataPlaneRegion });
  const auditOptions = {
    rules: resolved.rules,
    levels,
    settings,
    ...(opts.tf !== undefined ? { tfDir: opts.tf } : {}),
    tfOptions: { vars, varFiles: opts.varFile, tgEnv, exclude: resolved.exclude },
    displayRoot: process.cwd(),
  };
  let result = auditAccount(data, auditOptions);

  // ---------------------------------------------------------------- fixes: the plan, and --apply
  if ((opts.fix || opts.apply) && !opts.dumpInventory) {
    const { runAccountFixes } = await import("./audit-fix.js");
    const fixed = await runAccountFixes(result, {
      apply: opts.apply === true,
      yes: opts.yes === true,
      client: {
        ...(opts.profile ? { profile: opts.profile } : {}),
        ...(opts.roleArn ? { roleArn: opts.roleArn } : {}),
        ...(opts.externalId ? { externalId: opts.externalId } : {}),
        ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
        ...(debug ? { debug: (line: string) => say(`debug: ${line}`) } : {}),
      },
      rerun: (again) => auditAccount(again, auditOptions),
    });
    result = fixed.result;
    // The plan is on stdout: the report goes there only after --apply, else only where -o says.
    if (!fixed.reportToStdout) {
      const { stdoutFormat: _, ...rest } = resolved;
      resolved = { ...rest, outputs: resolved.outputs.filter((o) => o.file !== undefined) };
    }
  }

  if (opts.dumpInventory) {
    process.stdout.write(inertJson(JSON.stringify(dumpInventory(result.inventory), null, 2)) + "\n");
    return 0;
  }

  // ---------------------------------------------------------------- the report
  const sources = new Map(result.sources);
  let liveArtifact: string | undefined;
  if (snapshotFile !== undefined && snapshotSource !== undefined) {
    liveArtifact = path.relative(process.cwd(), path.resolve(snapshotFile)).split(path.sep).join("/");
    sources.set(liveArtifact, snapshotSource);
  }
  const notices: Notification[] = result.notices;
  const exitCode = await writeReports(opts, resolved, {
    kind: "audit",
    findings: result.findings,
    suppressed: result.suppressed,
    notifications: result.notifications,
    rules: result.rules,
    sources,
    notices,
    partial: result.partial,
    allowPartial: opts.allowPartial === true,
    scanned: result.scanned,
    ...(liveArtifact !== undefined ? { liveArtifact } : {}),
    ...(result.levels ? { levels: result.levels } : {}),
    ...(result.coverage ? { coverage: result.coverage } : {}),
    settings,
  });
  const partial = result.partial && !opts.allowPartial;
  // The text report shows the notices; other formats (or a report in a file) get them on stderr too.
  if (!showsNotices(resolved)) for (const n of notices) say(`${n.level}: ${n.message}`);
  if (partial) say("the audit is partial (see the notices above); exit 2 (pass --allow-partial to accept a partial audit)");
  return exitCode;
}
