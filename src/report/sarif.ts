// SARIF 2.1.0 for GitHub code scanning (SPEC §6). One run; every rule that ran in
// tool.driver.rules; each finding a result with a physical location relative to %SRCROOT%,
// a 1-based region in UTF-16 columns (end exclusive, as ours), and a fingerprint that does not
// move with line numbers (see fingerprint.ts).
//
// Live findings without a Terraform declaration: GitHub rejects a whole upload when one
// result lacks `physicalLocation.artifactLocation.uri` ("locationFromSarifResult: expected
// at least one location" / "expected artifact location"), so every result gets one. Such a
// finding carries its ARN as a logical location (kind "resource") and, as physical location,
// the best there is: the finding's first related location in a file when it has one; else
// the file standing for the account (`liveArtifact`, the snapshot of `audit --snapshot`), at
// the ARN's first mention when its text is given; else a path made from the ARN,
// `aws/<account>/<region>/<service>/<resource>`, which exists in no repository: GitHub shows
// the alert, on that path, without a code preview.
//
// GitHub's limits (docs: "SARIF results exceed limits"): at most 25,000 results per run (only
// the 5,000 most severe are shown), 25,000 rules per run, 1,000 locations per result (100
// shown) and 20 tags per rule (10 shown). Past a hard limit the file is rejected, so the
// reporter keeps the most severe results, the rules they use, the first related locations and
// the first tags, and says so in a tool notification.

import { pathToFileURL } from "node:url";
import type * as Sarif from "sarif";
import type { Level, Rule } from "../engine/rule.js";
import type { Finding, Notification } from "../engine/runner.js";
import type { Range } from "../hcl/ast.js";
import type { Origin } from "../inventory/model.js";
import {
  allNotifications,
  defaultMaskLines,
  LEVEL_RANK,
  maskLine,
  pathToUri,
  SourceLines,
  spanOf,
  suppressionOf,
  spanText,
  splitLines,
  type ReportInput,
  type Span,
} from "./common.js";
import { FINGERPRINT_KEY, fingerprintFindings } from "./fingerprint.js";
import { controlTags } from "../engine/frameworks.js";
import { summaryObject } from "./summary.js";
import { inertJson } from "./escape.js";

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
export const TOOL_NAME = "secretlint";
export const DEFAULT_INFORMATION_URI = "https://www.npmjs.com/package/secretlint-aws-integrations";
export const SRCROOT = "%SRCROOT%";

/** GitHub code scanning's hard limits. */
export const GITHUB_LIMITS = {
  resultsPerRun: 25_000,
  resultsShown: 5_000,
  rulesPerRun: 25_000,
  locationsPerResult: 1_000,
  tagsPerRule: 20,
} as const;

export interface SarifInput extends ReportInput {
  /** The tool's home page (driver.informationUri). */
  informationUri?: string;
  /** A rule's documentation page (helpUri), when there is one. */
  helpUri?: (ruleId: string) => string | undefined;
  /**
   * GitHub code scanning's category: the automation id becomes `<category>/` (as
   * upload-sarif's own `category` input makes it), so several uploads in one repository keep
   * their alerts apart. Default: `scan/secretlint/` or `audit/secretlint/`.
   */
  category?: string;
  /** Limits to enforce (tests lower them). Default {@link GITHUB_LIMITS}. */
  limits?: Partial<Record<keyof typeof GITHUB_LIMITS, number>>;
}

export function toSarif(input: SarifInput): string {
  return inertJson(JSON.stringify(buildSarif(input), null, 2)) + "\n";
}

/** The SARIF log as an object. */
function buildSarif(input: SarifInput): Sarif.Log {
  const limits = { ...GITHUB_LIMITS, ...input.limits };
  const notes: Notification[] = [];
  const lines = new SourceLines(input.sources);
  const mask = input.maskLines ?? defaultMaskLines;

  // Fingerprints over every finding (occurrences count in source order), then the limit.
  const all = input.result.findings;
  const prints = fingerprintFindings(all, input, lines);
  let kept = all.map((f, i) => ({ f, print: prints[i] }));
  if (kept.length > limits.resultsPerRun) {
    const sev = new Map(input.result.rules.map((r) => [r.id, r.securitySeverity ?? 0]));
    const order = kept
      .map((k, i) => ({ k, i }))
      .sort((a, b) => LEVEL_RANK[a.k.f.level] - LEVEL_RANK[b.k.f.level] || (sev.get(b.k.f.ruleId) ?? 0) - (sev.get(a.k.f.ruleId) ?? 0) || a.i - b.i);
    const keep = new Set(order.slice(0, limits.resultsPerRun).map((o) => o.i));
    notes.push({
      level: "warning",
      message: `${kept.length - limits.resultsPerRun} of ${kept.length} results left out: GitHub code scanning accepts at most ${limits.resultsPerRun} results per run; the most severe are kept`,
    });
    kept = kept.filter((_, i) => keep.has(i));
  }
  if (kept.length > limits.resultsShown) {
    notes.push({
      level: "note",
      message: `${kept.length} results: GitHub code scanning shows only the ${limits.resultsShown} most severe of a run`,
    });
  }

  // Rules: every rule that ran, once; rules findings name but that did not run (a parse error) get a minimal entry.
  const ruleById = new Map<string, Rule>();
  for (const r of input.result.rules) if (!ruleById.has(r.id)) ruleById.set(r.id, r);
  const used = new Set(kept.map((k) => k.f.ruleId));
  let ruleIds = [...ruleById.keys()];
  for (const id of used) if (!ruleById.has(id)) ruleIds.push(id);
  if (ruleIds.length > limits.rulesPerRun) {
    const usedFirst = [...ruleIds.filter((id) => used.has(id)), ...ruleIds.filter((id) => !used.has(id))];
    notes.push({
      level: "warning",
      message: `${ruleIds.length - limits.rulesPerRun} rules without results left out of tool.driver.rules: GitHub code scanning accepts at most ${limits.rulesPerRun} rules per run`,
    });
    const keep = new Set(usedFirst.slice(0, limits.rulesPerRun));
    ruleIds = ruleIds.filter((id) => keep.has(id));
  }
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const levelByRule = new Map(kept.map((k) => [k.f.ruleId, k.f.level]));
  const rules = ruleIds.map((id) => {
    const rule = ruleById.get(id);
    return rule ? ruleDescriptor(rule, input, limits.tagsPerRule, notes) : minimalDescriptor(id, levelByRule.get(id) ?? "error");
  });

  const results: Sarif.Result[] = kept.map(({ f, print }) => {
    const result: Sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId)!,
      level: f.level,
      message: { text: f.message },
      locations: [primaryLocation(f, input, lines, mask(f))],
      partialFingerprints: { [FINGERPRINT_KEY]: print },
    };
    if (f.related.length) {
      const max = limits.locationsPerResult - 1;
      if (f.related.length > max) {
        notes.push({
          level: "warning",
          ruleId: f.ruleId,
          message: `${f.related.length - max} related locations of a ${f.ruleId} result left out: GitHub code scanning accepts at most ${limits.locationsPerResult} locations per result`,
        });
      }
      result.relatedLocations = f.related.slice(0, max).map((r, i) => ({
        id: i + 1,
        ...location(r.origin, lines, mask(f)),
        message: { text: r.message },
      }));
    }
    const flow = codeFlow(f, lines, mask(f));
    if (flow) result.codeFlows = [flow];
    const fix = fixOf(f);
    if (fix) result.fixes = [fix];
    const suppression = suppressionOf(input, f);
    if (suppression) {
      result.suppressions = [{ kind: suppression.kind, ...(suppression.justification ? { justification: suppression.justification } : {}) }];
    }
    return result;
  });

  const notifications = [...allNotifications(input), ...notes];
  const toolExecutionNotifications: Sarif.Notification[] = notifications.map((n) => {
    const out: Sarif.Notification = { level: n.level, message: { text: n.message } };
    if (n.ruleId !== undefined) {
      const index = ruleIndex.get(n.ruleId);
      out.associatedRule = index === undefined ? { id: n.ruleId } : { id: n.ruleId, index };
    }
    return out;
  });
  const invocation: Sarif.Invocation = {
    executionSuccessful: input.invocation?.successful ?? !notifications.some((n) => n.level === "error"),
  };
  if (input.invocation?.exitCode !== undefined) invocation.exitCode = input.invocation.exitCode;
  if (toolExecutionNotifications.length) invocation.toolExecutionNotifications = toolExecutionNotifications;

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: TOOL_NAME,
        semanticVersion: input.toolVersion,
        version: input.toolVersion,
        informationUri: input.informationUri ?? DEFAULT_INFORMATION_URI,
        rules,
      },
    },
    automationDetails: { id: input.category ? `${input.category.replace(/^\/+|\/+$/g, "")}/` : `${input.kind}/${TOOL_NAME}/` },
    invocations: [invocation],
    columnKind: "utf16CodeUnits",
    results,
  };
  if (input.scanRoot !== undefined) run.originalUriBaseIds = { [SRCROOT]: { uri: rootUri(input.scanRoot) } };
  // What the run read and hid (results hold only what is shown).
  if (input.summary) run.properties = { summary: summaryObject(input.result.findings.filter((f) => !suppressionOf(input, f)), input.summary) };
  return { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run] };
}

/** `file:///abs/path/` (with the trailing slash SARIF wants for a base). */
export function rootUri(scanRoot: string): string {
  const href = pathToFileURL(scanRoot).href;
  return href.endsWith("/") ? href : `${href}/`;
}

// ---------------------------------------------------------------- rules

function ruleDescriptor(rule: Rule, input: SarifInput, maxTags: number, notes: Notification[]): Sarif.ReportingDescriptor {
  // The framework controls it answers become tags too (`AWS-FSBP`, `AWS-FSBP/SecretsManager.1`).
  let tags = [...new Set([...rule.tags, ...controlTags(rule)])];
  if (tags.length > maxTags) {
    notes.push({ level: "warning", ruleId: rule.id, message: `${rule.id}: ${tags.length - maxTags} tags left out: GitHub code scanning accepts at most ${maxTags} tags per rule` });
    tags = tags.slice(0, maxTags);
  }
  const properties: Sarif.PropertyBag = { tags, precision: rule.precision };
  if (rule.securitySeverity !== undefined) properties["security-severity"] = securitySeverity(rule.securitySeverity);
  const d: Sarif.ReportingDescriptor = {
    id: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    // The level the rule ran at (a preset or the configuration may have switched it on).
    defaultConfiguration: { level: input.result.levels?.[rule.id] ?? (rule.level === "off" ? "warning" : rule.level) },
    properties,
  };
  const uri = input.helpUri?.(rule.id);
  if (uri) d.helpUri = uri;
  return d;
}

/** A rule that reported without being among the rules that ran (a parse error, say). */
function minimalDescriptor(id: string, level: Level): Sarif.ReportingDescriptor {
  return {
    id,
    shortDescription: { text: id },
    fullDescription: { text: id },
    help: { text: `secretlint rule ${id}.`, markdown: `secretlint rule \`${id}\`.` },
    defaultConfiguration: { level },
    properties: { tags: [], precision: "very-high" },
  };
}

/** GitHub wants a number as a string: 7.5 → "7.5", 5 → "5.0". */
export function securitySeverity(n: number): string {
  return Number.isInteger(n * 10) ? n.toFixed(1) : String(n);
}

function helpText(rule: Rule): string {
  const indent = (s: string) => s.trimEnd().replace(/^/gm, "    ");
  return [rule.help.why.trim(), "", "Bad:", indent(rule.help.bad), "", "Good:", indent(rule.help.good), "", `Fix: ${rule.help.fix.trim()}`].join("\n");
}

function helpMarkdown(rule: Rule): string {
  return [
    rule.help.why.trim(),
    "",
    "**Bad**",
    "",
    fenced(rule.help.bad),
    "",
    "**Good**",
    "",
    fenced(rule.help.good),
    "",
    `**Fix.** ${rule.help.fix.trim()}`,
  ].join("\n");
}

function fenced(code: string): string {
  const body = code.replace(/^\n+|\s+$/g, "");
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${guessLanguage(body)}\n${body}\n${fence}`;
}

/** The fence's language: Terraform unless the example looks like Python, YAML, JSON or a `.env` file. */
export function guessLanguage(code: string): string {
  if (/^\s*(?:from\s+\S+\s+import|import\s+\w|@task|def\s+\w)|\bSecret\(/m.test(code)) return "python";
  if (/^\s*[{[]/.test(code)) {
    try {
      JSON.parse(code);
      return "json";
    } catch {
      /* not JSON */
    }
  }
  const hcl = /^\s*(?:resource|data|module|variable|locals|provider|output|terraform)\b[^\n]*\{\s*$|^\s*[\w-]+\s*=\s*\S/m.test(code);
  if (!hcl && /^\s*[\w.-]+:(?:\s|$)/m.test(code)) return "yaml";
  if (/^(?:export\s+)?[A-Z_][A-Z0-9_]*=\S*$/m.test(code) && !/[{}]/.test(code)) return "sh";
  return "hcl";
}

// ---------------------------------------------------------------- fixes

/**
 * A finding's certain fix (`scan` attaches its edits: src/fix/), as SARIF `fixes[].artifactChanges`:
 * editors that read SARIF can offer it. An insertion is an empty deleted region.
 */
function fixOf(f: Finding): Sarif.Fix | undefined {
  const edits = f.fix?.edits;
  if (!edits || edits.length === 0) return undefined;
  const byFile = new Map<string, Sarif.Replacement[]>();
  for (const e of edits) {
    const list = byFile.get(e.path) ?? [];
    list.push({
      deletedRegion: { startLine: e.start.line, startColumn: e.start.column, endLine: e.end.line, endColumn: e.end.column },
      insertedContent: { text: e.text },
    });
    byFile.set(e.path, list);
  }
  return {
    description: { text: f.fix!.description },
    artifactChanges: [...byFile].map(([p, replacements]) => ({ artifactLocation: { uri: pathToUri(p), uriBaseId: SRCROOT }, replacements })),
  };
}

// ---------------------------------------------------------------- locations

const MAX_SNIPPET = 4096;

function region(span: Span, lines: string[] | null, masked: boolean): Sarif.Region {
  const r: Sarif.Region = { startLine: span.startLine, startColumn: span.startColumn, endLine: span.endLine, endColumn: span.endColumn };
  if (lines && span.startLine <= lines.length) {
    // The region's text, masked where it may hold a secret value.
    const text = spanText(lines, span, masked);
    if (text.length <= MAX_SNIPPET) r.snippet = { text };
  }
  return r;
}

/** The reported lines, whole (masked likewise): what GitHub and viewers show around the region. */
function contextRegion(span: Span, lines: string[] | null, masked: boolean): Sarif.Region | undefined {
  if (!lines || span.startLine > lines.length) return undefined;
  const endLine = Math.min(span.endLine, lines.length);
  const shown = lines.slice(span.startLine - 1, endLine);
  const text = (masked ? shown.map((l) => maskLine(l).text) : shown).join("\n");
  return text.length <= MAX_SNIPPET ? { startLine: span.startLine, endLine, snippet: { text } } : undefined;
}

function physical(uri: string, span: Span, lines: string[] | null, masked: boolean): Sarif.PhysicalLocation {
  const p: Sarif.PhysicalLocation = { artifactLocation: { uri, uriBaseId: SRCROOT }, region: region(span, lines, masked) };
  const context = contextRegion(span, lines, masked);
  if (context) p.contextRegion = context;
  return p;
}

function location(origin: Origin, lines: SourceLines, masked: boolean): Sarif.Location {
  const loc: Sarif.Location = {};
  if (origin.file) {
    const fileLines = lines.get(origin.file.path);
    loc.physicalLocation = physical(pathToUri(origin.file.path), spanOf(origin.file.range, fileLines), fileLines, masked);
  }
  const logical = logicalLocations(origin);
  if (logical.length) loc.logicalLocations = logical;
  return loc;
}

function logicalLocations(origin: Origin): Sarif.LogicalLocation[] {
  const out: Sarif.LogicalLocation[] = [];
  const arn = origin.aws?.arn;
  if (arn) {
    const name = arnResource(arn).split(/[:/]/).pop();
    out.push({ ...(name ? { name } : {}), fullyQualifiedName: arn, kind: "resource" });
  }
  if (origin.address) out.push({ name: origin.address.split(".").pop(), fullyQualifiedName: origin.address, kind: "resource" });
  return out;
}

function primaryLocation(f: Finding, input: SarifInput, lines: SourceLines, masked: boolean): Sarif.Location {
  const loc = location(f.origin, lines, masked);
  if (loc.physicalLocation) return loc;
  // No file: the best physical location there is (see the head of this file).
  const related = f.related.find((r) => r.origin.file);
  if (related) {
    loc.physicalLocation = location({ file: related.origin.file }, lines, masked).physicalLocation;
    return loc;
  }
  const arn = f.origin.aws?.arn;
  if (input.liveArtifact !== undefined) {
    const text = input.sources?.get(input.liveArtifact);
    let span: Span = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
    let snippetLines: string[] | null = null;
    if (text !== undefined && arn) {
      const all = splitLines(text);
      const at = all.findIndex((l) => l.includes(arn));
      if (at >= 0) {
        const col = all[at].indexOf(arn) + 1;
        span = { startLine: at + 1, startColumn: col, endLine: at + 1, endColumn: col + arn.length };
        snippetLines = all;
      }
    }
    loc.physicalLocation = physical(pathToUri(input.liveArtifact), span, snippetLines, false);
    return loc;
  }
  loc.physicalLocation = {
    artifactLocation: { uri: pathToUri(syntheticPath(f.origin)), uriBaseId: SRCROOT },
    region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
  };
  return loc;
}

/**
 * A value used elsewhere than where it is written (Origin.flow): one thread from the written
 * place through each place it passed (module call argument, variable, local…) to the use.
 */
function codeFlow(f: Finding, lines: SourceLines, masked: boolean): Sarif.CodeFlow | undefined {
  const steps = (f.origin.flow ?? []).filter((p) => p.file);
  if (!f.origin.file || steps.length === 0) return undefined;
  const at = (file: { path: string; range: Range }, message: string): Sarif.ThreadFlowLocation => ({
    location: { ...location({ file }, lines, masked), message: { text: message } },
  });
  return {
    message: { text: "where the value is written, and how it reaches where it is used" },
    threadFlows: [{ locations: [at(f.origin.file, "written here"), ...steps.map((p) => at(p.file!, p.message))] }],
  };
}

function arnResource(arn: string): string {
  return arn.split(":").slice(5).join(":");
}

/** `aws/<account>/<region>/<service>/<resource…>` for a resource known only by its ARN. */
export function syntheticPath(origin: Origin): string {
  const arn = origin.aws?.arn;
  const parts = arn?.startsWith("arn:") ? arn.split(":") : [];
  const account = parts[4] || origin.aws?.account || "unknown-account";
  const region = parts[3] || origin.aws?.region || "global";
  if (parts.length >= 6) return ["aws", account, region, parts[2], ...arnResource(arn!).split(/[:/]/)].filter(Boolean).join("/");
  if (origin.address) return `terraform/${origin.address}`;
  return ["aws", account, region, ...(arn ? [arn] : [])].join("/");
}
