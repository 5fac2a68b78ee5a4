// The `secretlint` command line. Thin: arguments → one library call → a report → exit code.

import fs from "node:fs";
import path from "node:path";
import { Command, CommanderError } from "commander";
import { parseHcl } from "../hcl/parser.js";
import { findTerraformFiles } from "../sources/walk.js";

const pkg = JSON.parse(fs.readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };

/** A user mistake: printed as one line, exit 2. */
class UsageError extends Error {}

function readSource(file: string): string {
  return fs.readFileSync(file, "utf8");
}

/**
 * Until the rule engine lands, `scan` parses every Terraform file under the paths and reports
 * what it read (blocks by type) and every parse error, at its position.
 */
async function scanCommand(paths: string[], opts: { format: string }): Promise<number> {
  const roots = paths.length > 0 ? paths : ["."];
  for (const r of roots) if (!fs.existsSync(r)) throw new UsageError(`${r}: no such file or directory; give a path to scan`);
  const { parseHclJson } = await import("../hcl/json.js");
  const files = findTerraformFiles(roots);
  const cwd = process.cwd();
  const results = files.map((f) => {
    const text = readSource(f.path);
    const rel = path.relative(cwd, f.path) || f.path;
    const parsed = f.syntax === "json" ? parseHclJson(text, rel) : parseHcl(text, rel);
    const blocks: Record<string, number> = {};
    for (const b of parsed.body.blocks) blocks[b.blockType] = (blocks[b.blockType] ?? 0) + 1;
    return { file: rel, blocks, attributes: parsed.body.attributes.length, diagnostics: parsed.diagnostics };
  });
  const errors = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === "error").length, 0);
  if (opts.format === "json") {
    const out = results.map((r) => ({
      file: r.file,
      blocks: r.blocks,
      diagnostics: r.diagnostics.map((d) => ({ severity: d.severity, message: d.message, line: d.range.start.line, column: d.range.start.column })),
    }));
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  } else {
    for (const r of results) {
      const summary = Object.entries(r.blocks)
        .map(([t, n]) => `${n} ${t}`)
        .join(", ");
      process.stdout.write(`${r.file}: ${summary || "no blocks"}\n`);
      for (const d of r.diagnostics) {
        process.stdout.write(`  ${r.file}:${d.range.start.line}:${d.range.start.column}  ${d.severity}  ${d.message}  terraform/parse-error\n`);
      }
    }
    process.stdout.write(
      `\n${results.length} Terraform file(s) parsed, ${errors} parse error(s). (Rules are not implemented yet: this is the parser stand-in.)\n`,
    );
  }
  return errors > 0 ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  let exitCode = 0;
  program
    .name("secretlint")
    .description("Lints the AWS Secrets Manager secrets that Sym, Apono, Flyte/Union and Mage read.")
    .version(pkg.version, "-v, --version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program
    .command("scan")
    .description("scan Terraform under PATH (default .); for now: parse and report what was read")
    .argument("[paths...]", "files or directories")
    .option("-f, --format <format>", "text or json", "text")
    .action(async (paths: string[], opts: { format: string }) => {
      if (opts.format !== "text" && opts.format !== "json") {
        throw new UsageError(`--format ${opts.format}: unknown format; use text or json`);
      }
      exitCode = await scanCommand(paths, opts);
    });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UsageError) {
      process.stderr.write(`secretlint: ${err.message}\n`);
      return 2;
    }
    if (process.argv.includes("--debug")) throw err;
    process.stderr.write(`secretlint: internal error: ${(err as Error).message} (run with --debug for details)\n`);
    return 2;
  }
  return exitCode;
}

process.exitCode = await main(process.argv.slice(2));
