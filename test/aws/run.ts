// Runs `secretlint audit …` in-process, with the CLI's own option definitions and error
// handling (one line for user errors, a stack only under --debug), capturing everything
// written to stdout and stderr.

import { Command, CommanderError } from "commander";
import { vi } from "vitest";
import { addAuditCommand } from "../../src/cli/audit-options.js";
import { auditCommand } from "../../src/cli/audit.js";
import { ConfigError } from "../../src/engine/config.js";
import { InputError } from "../../src/scan.js";

export interface RunOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runAudit(args: string[]): Promise<RunOutput> {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  const program = new Command().name("secretlint").option("--debug").exitOverride();
  program.configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  addAuditCommand(program, async (opts) => {
    code = await auditCommand(opts, program.opts().debug === true);
  });
  const debug = args.includes("--debug");
  const capture = (sink: string[]) => (chunk: unknown) => {
    sink.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    return true;
  };
  const o = vi.spyOn(process.stdout, "write").mockImplementation(capture(out) as typeof process.stdout.write);
  const e = vi.spyOn(process.stderr, "write").mockImplementation(capture(err) as typeof process.stderr.write);
  try {
    await program.parseAsync(["audit", ...args], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else if (error instanceof ConfigError || error instanceof InputError) {
      err.push(`secretlint: ${(error as Error).message}\n`);
      code = 2;
    } else {
      if (debug) err.push(`${(error as Error).stack ?? String(error)}\n`);
      else err.push(`secretlint: internal error: ${(error as Error).message} (run with --debug for details)\n`);
      code = 2;
    }
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return { code, stdout: out.join(""), stderr: err.join("") };
}
