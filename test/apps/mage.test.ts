// Mage io_config.yml → inventory: the Jinja calls at their own positions whatever the YAML
// quoting, profiles and settings, Mage's region from `.env`, parse errors, and seed 003.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dumpInventory, originText } from "../../src/inventory/dump.js";
import { scanAppConfigs } from "../../src/sources/apps/index.js";
import { readIoConfig, scanJinja } from "../../src/sources/apps/mage.js";
import { LineIndex } from "../../src/sources/apps/text.js";
import { Unknown, toJSONView } from "../../src/terraform/values.js";

const seeds = path.resolve(import.meta.dirname, "../../fixtures/seeds");
const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A temporary tree of files. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-mage-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const io = (text: string) => readIoConfig("io_config.yml", new LineIndex(text));
/** `line:col name` of each call, from its position in the text. */
const calls = (text: string) => io(text).refs.map((r) => `${originText(r.origin).replace("io_config.yml:", "")} ${r.function} ${JSON.stringify(toJSONView(r.name.value))}`);

describe("Jinja in io_config.yml", () => {
  it("finds the calls at their own line and column in plain, quoted and block scalars", () => {
    const text = [
      "default:", // 1
      "  A: {{ aws_secret_var('plain') }}", // 2
      "  B: \"{{ aws_secret_var('double') }}\"", // 3
      "  C: '{{ aws_secret_var(\"single\") }}'", // 4
      "  D: |", // 5
      "    {\"k\": \"{{ aws_secret_var('block') }}\"}", // 6
      "  E: >-", // 7
      "    x {{ env_var('FOLDED') }}", // 8
      '  F: "a \\"quoted\\" {{ mage_secret_var(\'after-escapes\') }}"', // 9
      "  G: \"multi", // 10
      "     line {{ aws_secret_var('second-line') }}\"", // 11
    ].join("\n");
    expect(calls(text)).toEqual([
      '2:9 aws_secret_var "plain"',
      '3:10 aws_secret_var "double"',
      '4:10 aws_secret_var "single"',
      '6:15 aws_secret_var "block"',
      '8:10 env_var "FOLDED"',
      '9:23 mage_secret_var "after-escapes"',
      '11:14 aws_secret_var "second-line"',
    ]);
    // The name's own range: the argument as written, quotes included.
    const r = io(text).refs[1];
    expect(r.name.origin?.file?.range.start).toMatchObject({ line: 3, column: 25 });
    expect(r.name.origin?.file?.range.end).toMatchObject({ line: 3, column: 33 });
    expect(r.origin.file?.range.end).toMatchObject({ line: 3, column: 34 });
  });

  it("names built from other calls or joined with `~` keep their known parts; no argument is unknown", () => {
    const refs = io(`default:\n  A: "{{ aws_secret_var('mage/' ~ env_var('ENV') ~ '/db') }}"\n  B: "{{ aws_secret_var(env_var('N')) }}"\n  C: "{{ aws_secret_var() }}"\n  D: "{{- aws_secret_var('trimmed') -}}"\n`).refs;
    const shown = (v: unknown) => (v instanceof Unknown ? "unknown" : v);
    expect(refs.map((r) => [r.function, shown(r.name.value)])).toEqual([
      ["aws_secret_var", "unknown"],
      ["env_var", "ENV"],
      ["aws_secret_var", "unknown"],
      ["env_var", "N"],
      ["aws_secret_var", "unknown"],
      ["aws_secret_var", "trimmed"],
    ]);
    const pieces = (refs[0].name.value as Unknown).template;
    expect(pieces?.[0]).toBe("mage/");
    expect(pieces?.[1]).toBeInstanceOf(Unknown);
    expect(pieces?.[2]).toBe("/db");
  });

  it("profiles and settings; calls in YAML comments and Jinja comments are not read", () => {
    const r = io(
      [
        "version: 0.1.1",
        "default:",
        "  POSTGRES_PASSWORD: \"{{ aws_secret_var('p') }}\"",
        "  # OLD: \"{{ aws_secret_var('old') }}\"",
        "  {# aws_secret_var('jinja-comment') #}",
        "  GCP:",
        "    KEY: \"{{ aws_secret_var('k') }}\"",
        "  HOST: db.internal",
        "  EMPTY:",
        "dev:",
        "  TOKEN: \"{{ aws_secret_var('t') }}\"",
      ].join("\n"),
    );
    expect(r.refs.map((x) => [x.profile, x.setting, toJSONView(x.name.value)])).toEqual([
      ["default", "POSTGRES_PASSWORD", "p"],
      ["default", "GCP.KEY", "k"],
      ["dev", "TOKEN", "t"],
    ]);
    expect(r.settings.map((s) => `${s.id} ${s.kind} ${originText(s.origin)}`)).toEqual([
      "io_config.yml#version literal io_config.yml:1:10",
      "io_config.yml#default.POSTGRES_PASSWORD template io_config.yml:3:22",
      "io_config.yml#default.GCP other io_config.yml:7:5",
      "io_config.yml#default.GCP.KEY template io_config.yml:7:10",
      "io_config.yml#default.HOST literal io_config.yml:8:9",
      "io_config.yml#default.EMPTY empty io_config.yml:9:9",
      "io_config.yml#dev.TOKEN template io_config.yml:11:10",
    ]);
    // Literal values' text is kept for the text checks (placeholders), at its place.
    expect(r.literals.map((l) => `${originText(l.origin)} ${l.text}`)).toContain("io_config.yml:8:9 db.internal");
  });

  it("blanks the tags for the YAML reader, keeping every position", () => {
    const text = "a: {{ x }}\nb: {% if y %}1{% endif %}\n";
    const j = scanJinja(text);
    expect(j.masked).toBe(`a: xxxxxxx\nb: ${" ".repeat("{% if y %}".length)}1${" ".repeat("{% endif %}".length)}\n`);
    expect(j.masked.length).toBe(text.length);
  });

  it("a YAML error or an unclosed tag is a parse error at its position, and nothing else is read from the file", () => {
    const bad = io('default:\n  A: "{{ aws_secret_var(\'a\') }}"\n  B: [1, 2\n  C: 3\n');
    expect(bad.parseError?.message).toMatch(/flow sequence|\]/i);
    expect(originText(bad.parseError!.origin)).toBe("io_config.yml:4:3");
    expect(bad.refs).toEqual([]);
    const jinja = io("default:\n  A: \"{{ aws_secret_var('a') \"\n");
    expect(jinja.parseError?.message).toBe("unterminated Jinja tag `{{`: no `}}` follows, so Mage cannot render the file");
    expect(originText(jinja.parseError!.origin)).toBe("io_config.yml:2:7");
  });
});

describe("seed 003: Mage, Working with Secrets in Mage", () => {
  const inv = scanAppConfigs(path.join(seeds, "003-mage-aws-secrets")).inventory;

  it("reads io_config.yml (flat, no profile) and nothing from the files that are not inputs", () => {
    expect(inv.mageSecretRefs.map((r) => `${originText(r.origin)} ${r.function} ${String(r.name.value)} ${r.profile === "" ? "(top level)" : r.profile} ${r.setting}`)).toEqual([
      "io_config.yml:2:14 aws_secret_var API_KEY (top level) api_key",
      "io_config.yml:3:19 aws_secret_var ACCESS_TOKEN (top level) access_token",
    ]);
    expect(inv.parseErrors).toEqual([]);
    expect(inv.hardcodedCredentials).toEqual([]);
    expect(inv.mageSettings.map((s) => s.key)).toEqual(["api_key", "access_token"]);
  });

  it("the region is not known (no .env): Mage takes it from its environment or its secrets", () => {
    for (const r of inv.mageSecretRefs) {
      expect(r.region.value).toBeInstanceOf(Unknown);
      expect(r.region.origin).toBeUndefined();
    }
  });
});

describe("Mage's region", () => {
  it("AWS_REGION_NAME, then AWS_DEFAULT_REGION, from the nearest scanned .env up to the root", () => {
    const dir = tree({
      ".env": "AWS_DEFAULT_REGION=eu-west-1\nAWS_REGION_NAME=us-east-2 # where Mage reads\n",
      "a/io_config.yml": "default:\n  X: \"{{ aws_secret_var('x') }}\"\n",
      "b/.env": "AWS_DEFAULT_REGION='ap-south-1'\n",
      "b/io_config.yaml": "default:\n  X: \"{{ aws_secret_var('x') }}\"\n",
      "c/.env": "AWS_REGION_NAME=${REGION}\n",
      "c/io_config.yml": "default:\n  X: \"{{ aws_secret_var('x') }}\"\n",
    });
    const refs = scanAppConfigs(dir).inventory.mageSecretRefs;
    const byFile = Object.fromEntries(refs.map((r) => [r.origin.file!.path, [r.region.value instanceof Unknown ? "unknown" : r.region.value, r.region.origin ? originText(r.region.origin) : null]]));
    expect(byFile).toEqual({
      "a/io_config.yml": ["us-east-2", ".env:2:17"],
      "b/io_config.yaml": ["ap-south-1", "b/.env:1:20"],
      "c/io_config.yml": ["unknown", "c/.env:1:17"],
    });
  });

  it("a .gitignore'd or excluded .env is not read", () => {
    const dir = tree({
      ".gitignore": ".env\n",
      ".env": "AWS_REGION_NAME=us-east-2\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
      "io_config.yml": "default:\n  X: \"{{ aws_secret_var('x') }}\"\n",
      "old/io_config.yml": "default:\n  X: \"{{ aws_secret_var('y') }}\"\n",
    });
    const scan = scanAppConfigs(dir, { exclude: ["old/**"] });
    expect(scan.inventory.hardcodedCredentials).toEqual([]);
    expect(scan.inventory.mageSecretRefs.map((r) => [r.origin.file!.path, r.region.value instanceof Unknown])).toEqual([["io_config.yml", true]]);
    expect([...scan.sources.keys()]).toEqual(["io_config.yml"]);
  });

  it("the inventory dump holds no literal value", () => {
    const dir = tree({ "io_config.yml": "default:\n  PASSWORD: hunter2-literal\n  HOST: \"{{ env_var('H') }}\"\n" });
    const dumped = JSON.stringify(dumpInventory(scanAppConfigs(dir).inventory));
    expect(dumped).toContain("io_config.yml#default.PASSWORD");
    expect(dumped).not.toContain("hunter2");
  });
});
