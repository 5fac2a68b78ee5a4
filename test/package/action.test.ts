// The GitHub Action (action.yml): its scan step run the way the runner runs a composite
// action's bash step — the step's `env` with `${{ inputs.* }}` filled from the inputs and their
// defaults, GITHUB_ACTION_PATH, GITHUB_WORKSPACE and GITHUB_OUTPUT set, the script run by
// `bash --noprofile --norc -eo pipefail` in the workspace — and the README's workflow checked
// against the action, so neither drifts. (The install step, `npm ci` and the bundle's build in
// the action's checkout, is what `npm test` has done already.)

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { sharedDir } from "../helpers/shared.js";
import { flatText } from "../helpers/text.js";

const root = path.resolve(import.meta.dirname, "../..");
const built = fs.existsSync(path.join(root, "dist", "cli.js"));
if (!built) console.warn("action tests skipped: dist/ is missing; run `npm run build` (npm test does it)");

interface Step {
  id?: string;
  name?: string;
  shell?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parseYaml(fs.readFileSync(path.join(root, "action.yml"), "utf8")) as Action;
const scanStep = action.runs.steps.find((s) => s.id === "scan")!;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-action-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `${{ inputs.NAME }}` and `${{ github.action_path }}` — the only expressions the step's env may use. */
function evaluate(expr: string, inputs: Record<string, string>): string {
  return expr.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
    const m = /^inputs\.([\w-]+)$/.exec(e);
    if (m) {
      if (!(m[1] in action.inputs)) throw new Error(`action.yml uses an undeclared input ${m[1]}`);
      return inputs[m[1]] ?? action.inputs[m[1]].default ?? "";
    }
    if (e === "github.action_path") return root;
    throw new Error(`action.yml: an expression the test does not know: ${e}`);
  });
}

/** Runs the scan step as the runner would, in a fresh workspace holding `files`. */
function runScanStep(inputs: Record<string, string>, files: Record<string, string>) {
  const workspace = fs.mkdtempSync(path.join(tmp, "workspace-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    fs.writeFileSync(path.join(workspace, name), text);
  }
  const script = path.join(tmp, `step-${path.basename(workspace)}.sh`);
  fs.writeFileSync(script, scanStep.run!);
  const outputFile = path.join(workspace, "..", `${path.basename(workspace)}.github-output`);
  fs.writeFileSync(outputFile, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? tmp,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_ACTION_PATH: root,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: tmp,
  };
  for (const [k, v] of Object.entries(scanStep.env ?? {})) env[k] = evaluate(v, inputs);
  // The runner's template for `shell: bash`.
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd: workspace, env, encoding: "utf8" });
  const outputs = Object.fromEntries(
    fs
      .readFileSync(outputFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs, workspace };
}

const quickstart = fs.readFileSync(path.join(root, "fixtures", "examples", "quickstart", "main.tf"), "utf8");
const CLEAN = 'resource "aws_secretsmanager_secret" "a" {\n  name = "app/db"\n  recovery_window_in_days = 7\n}\n';

const Ajv = ((AjvDraft04Module as unknown as { default?: unknown }).default ?? AjvDraft04Module) as unknown as new (opts: object) => {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown };
};
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: unknown) => void;
const sarifSchema = sharedDir ? path.join(sharedDir, "schemas", "sarif-schema-2.1.0.json") : null;
if (!sarifSchema) console.warn("action SARIF schema check skipped: ../shared/schemas is missing");

describe.skipIf(!built)("the GitHub Action", () => {
  it("is a composite action whose inputs cover the documented ones, read only through INPUT_* variables", () => {
    expect(action.runs.using).toBe("composite");
    for (const input of ["paths", "format", "output", "sarif-file", "fail-on", "category", "config", "baseline", "args"]) expect(action.inputs).toHaveProperty(input);
    expect(action.runs.steps[0].run).toMatch(/^npm ci --prefix "\$GITHUB_ACTION_PATH" --ignore-scripts .*\nnode "\$GITHUB_ACTION_PATH\/scripts\/build\.mjs" --bundle-only\n$/);
    // No expression inside a script: an input could inject shell code there.
    for (const step of action.runs.steps) expect(step.run ?? "").not.toContain("${{");
    expect(Object.keys(scanStep.env ?? {}).sort()).toEqual(Object.keys(action.inputs).map((i) => `INPUT_${i.toUpperCase().replace(/-/g, "_")}`).sort());
  });

  it.skipIf(!sarifSchema)("scans with the defaults: the report on the log, a SARIF valid against the schema with the category, exit 1 on findings", () => {
    const r = runScanStep({ paths: "infra", category: "secretlint-infra" }, { "infra/main.tf": quickstart });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(flatText(r.stdout)).toContain("infra/main.tf:45:3  error");
    expect(r.outputs).toEqual({ "exit-code": "1", "sarif-file": "secretlint.sarif" });
    const sarif = JSON.parse(fs.readFileSync(path.join(r.workspace, "secretlint.sarif"), "utf8")) as { runs: Array<{ automationDetails: { id: string }; results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(sarifSchema!, "utf8")));
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].automationDetails.id).toBe("secretlint-infra/");
    expect(sarif.runs[0].results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri)).toEqual(["infra/main.tf", "infra/main.tf", "infra/main.tf"]);
  });

  it("passes every input through: several paths, format, output, fail-on, config, baseline, extra args", () => {
    const files = {
      "infra/a/main.tf": quickstart + '\nvariable "env" {\n  type    = string\n  default = "dev"\n}\n',
      "infra/examples/main.tf": quickstart,
      "other/main.tf": CLEAN,
      "lint.yaml": "rules:\n  secret/hardcoded-value: off\n",
    };
    // Findings below fail-on: exit 0; the extra args reach the tool (excludes are relative to each scanned path).
    const r = runScanStep(
      { paths: "infra\nother", format: "json", output: "report.json", "fail-on": "never", config: "lint.yaml", args: "--exclude examples/** --var env=prod", "sarif-file": "" },
      files,
    );
    // Only the note that the Sym registry modules the quick start calls are not downloaded.
    expect(r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("secretlint: note: "))).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ "exit-code": "0", "sarif-file": "" });
    const report = JSON.parse(fs.readFileSync(path.join(r.workspace, "report.json"), "utf8")).findings as Array<{ ruleId: string; file: string }>;
    expect(report.map((f) => f.ruleId).sort()).toEqual(["iam/secret-read-wildcard", "sym/symenv-tag-missing"]);
    expect(new Set(report.map((f) => f.file))).toEqual(new Set(["infra/a/main.tf"]));
    expect(fs.existsSync(path.join(r.workspace, "secretlint.sarif"))).toBe(false);

    // A baseline written from that run hides its findings.
    const ws = r.workspace;
    const write = spawnSync(process.execPath, [path.join(root, "bin", "secretlint.js"), "scan", "infra/a", "--write-baseline", "baseline.json", "-q", "--fail-on", "never"], { cwd: ws, encoding: "utf8" });
    expect(write.status).toBe(0);
    const baseline = fs.readFileSync(path.join(ws, "baseline.json"), "utf8");
    const again = runScanStep({ paths: "infra/a", baseline: "baseline.json" }, { "infra/a/main.tf": quickstart, "baseline.json": baseline });
    expect(again.code).toBe(0);
    expect(again.outputs["exit-code"]).toBe("0");
  });

  it("fails the step with the tool's exit code 2 and one line on a usage error", () => {
    const r = runScanStep({ paths: "missing" }, { "main.tf": CLEAN });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.outputs).toEqual({ "exit-code": "2", "sarif-file": "" });
  });

  it("keeps an input from running as shell code", () => {
    const marker = path.join(tmp, "injected");
    const r = runScanStep({ paths: `. $(touch ${marker}) ; touch ${marker}`, "fail-on": "never" }, { "main.tf": CLEAN });
    expect(fs.existsSync(marker)).toBe(false);
    expect(r.code).toBe(2); // the words are taken as paths that do not exist
    // Nor is a glob expanded by the shell: `*` reaches the tool as it is.
    const glob = runScanStep({ paths: "*" }, { "main.tf": CLEAN });
    expect(glob.code).toBe(2);
    expect(glob.stderr).toMatch(/^secretlint: \*: no such file or directory/);
  });

  it("is what the README's workflow uses: its inputs exist, and upload-sarif takes the action's SARIF and category", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### GitHub Actions"));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const workflow = parseYaml(block) as { jobs: Record<string, { steps: Step[] }> };
    const steps = Object.values(workflow.jobs)[0].steps;
    const ours = steps.find((s) => s.uses?.includes("secretlint"))!;
    expect(ours).toBeDefined();
    for (const key of Object.keys(ours.with ?? {})) expect(action.inputs, `README input ${key}`).toHaveProperty(key);
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif"))!;
    expect(upload.with!.sarif_file).toBe(`\${{ steps.${ours.id}.outputs.sarif-file }}`);
    expect(upload.with!.category).toBe(ours.with!.category);
    expect(upload.if).toContain("!cancelled()");
  });
});
