// Literal AWS keys: what counts (an id with a secret beside it), what does not, where each is,
// the redaction of the kept text; `.env` parsing; suppression comments in YAML, `.env` and
// Python files.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { originText } from "../../src/inventory/dump.js";
import { scanDirectory } from "../../src/scan.js";
import { findCredentials, maskCredentialText, redact } from "../../src/sources/apps/credentials.js";
import { parseDotenv } from "../../src/sources/apps/dotenv.js";
import { scanAppConfigs } from "../../src/sources/apps/index.js";

// Built here rather than written out, so that no file holds a key-shaped literal.
const ID = ["AKIA", "Q3EXAMPLE", "Z7W4T2Y"].join("");
const SECRET = ["Zx9k", "Q1w2E3r4T5y6U7i8O9p0", "Aa/Bb+Cc", "Dd1Ee2Ff"].join("");

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-creds-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("literal AWS keys", () => {
  it("the planted values have the shapes AWS uses", () => {
    expect(ID).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(SECRET).toHaveLength(40);
  });

  it("an id with a secret beside it, in each kind of file, at the id's position", () => {
    const dir = tree({
      "io_config.yml": `default:\n  AWS_ACCESS_KEY_ID: "${ID}"\n  AWS_SECRET_ACCESS_KEY: ${SECRET}\n`,
      ".env.local": `AWS_ACCESS_KEY_ID=${ID}\nAWS_SECRET_ACCESS_KEY="${SECRET}"\n`,
      "deploy/dev.env": `AWS_SECRET_ACCESS_KEY=${SECRET}\nAWS_ACCESS_KEY_ID=${ID}\n`,
      "docker-compose.dev.yaml": `services:\n  app:\n    environment:\n      - AWS_ACCESS_KEY_ID=${ID}\n      - AWS_SECRET_ACCESS_KEY=${SECRET}\n`,
    });
    const inv = scanAppConfigs(dir).inventory;
    expect(inv.hardcodedCredentials.map((c) => `${originText(c.origin)} ${c.kind} ${c.fileKind} ${originText(c.secretOrigin)}`).sort()).toEqual([
      ".env.local:1:19 long-term dotenv .env.local:2:24",
      "deploy/dev.env:2:19 long-term dotenv deploy/dev.env:1:23",
      "docker-compose.dev.yaml:4:27 long-term docker-compose docker-compose.dev.yaml:5:31",
      "io_config.yml:2:23 long-term io_config io_config.yml:3:26",
    ]);
  });

  it("not: an id alone, a secret alone, a hex digest, a longer base64 run, a template", () => {
    const values = (texts: Array<[string, string]>) => {
      let raw = "";
      const out = texts.map(([key, text]) => {
        const start = raw.length;
        raw += `${key}=${text}\n`;
        return { key, text, start: start + key.length + 1, end: start + key.length + 1 + text.length };
      });
      return findCredentials(out, raw).hits;
    };
    expect(values([["AWS_ACCESS_KEY_ID", ID]])).toEqual([]);
    expect(values([["AWS_SECRET_ACCESS_KEY", SECRET]])).toEqual([]);
    expect(values([["AWS_ACCESS_KEY_ID", ID], ["GIT_SHA", "3f786850e387550fdab836ed7e6dc881de23001b"]])).toEqual([]);
    expect(values([["AWS_ACCESS_KEY_ID", ID], ["BLOB", SECRET + "AAAA"]])).toEqual([]);
    expect(values([["AWS_ACCESS_KEY_ID", "{{ env_var('AWS_ACCESS_KEY_ID') }}"], ["AWS_SECRET_ACCESS_KEY", SECRET]])).toEqual([]);
    // A hex value under a key that says "secret" does count.
    expect(values([["AWS_ACCESS_KEY_ID", ID], ["AWS_SECRET_ACCESS_KEY", "3f786850e387550fdab836ed7e6dc881de23001b"]])).toHaveLength(1);
    // Temporary keys.
    expect(values([["K", "ASIA" + ID.slice(4)], ["S", SECRET]])[0].kind).toBe("temporary");
  });

  it("the kept text has every key replaced by as many `*`, and messages about the file are masked", () => {
    const dir = tree({ ".env": `AWS_ACCESS_KEY_ID=${ID}\nAWS_SECRET_ACCESS_KEY=${SECRET}\n` });
    const kept = scanAppConfigs(dir).sources.get(".env")!;
    expect(kept).toBe(`AWS_ACCESS_KEY_ID=${"*".repeat(20)}\nAWS_SECRET_ACCESS_KEY=${"*".repeat(40)}\n`);
    expect(redact("ab\ncd", [{ start: 1, end: 4 }])).toBe("a*\n*d");
    expect(maskCredentialText(`Unexpected ${ID} near ${SECRET}`)).toBe("Unexpected AKIA**** near ****");
  });
});

describe(".env files", () => {
  it("keys, quoting, escapes, interpolation and comments", () => {
    const text = [
      "# comment",
      "export A=plain value # trailing comment",
      "B='single # not a comment'",
      'C="double\\nline" # after',
      "D=${OTHER}/x",
      'E="multi',
      'line"',
      "not an entry",
      "F=",
    ].join("\n");
    const env = parseDotenv(text);
    expect(env.entries.map((e) => [e.key, e.value ?? null])).toEqual([
      ["A", "plain value"],
      ["B", "single # not a comment"],
      ["C", "double\nline"],
      ["D", null],
      ["E", "multi\nline"],
      ["F", ""],
    ]);
    expect(env.comments.map((c) => c.text)).toEqual(["# comment", "# trailing comment", "# after"]);
    const a = env.entries[0];
    expect(text.slice(a.start, a.end)).toBe("plain value");
  });
});

describe("suppression comments in app configurations", () => {
  const creds = (key: string, sep: string) => `${key}_ACCESS_KEY_ID${sep}${ID}`;
  it("before a key (covering what is under it), at the end of the line, file-wide; in YAML, .env and Python", () => {
    const dir = tree({
      "a/io_config.yml": [
        "default:",
        "  # secretlint:ignore mage/hardcoded-aws-credentials -- test account",
        `  ${creds("AWS", ": ")}`,
        `  AWS_SECRET_ACCESS_KEY: ${SECRET}`,
        "dev:",
        "  # secretlint:ignore mage/secret-not-found",
        "  nested:",
        "    X: \"{{ aws_secret_var('missing/one') }}\"",
        "  Y: \"{{ aws_secret_var('missing/two') }}\" # secretlint:ignore mage/secret-not-found",
        "  Z: \"{{ aws_secret_var('missing/three') }}\"",
      ].join("\n"),
      "b/.env": `# secretlint:ignore-file mage/*\n${creds("AWS", "=")}\nAWS_SECRET_ACCESS_KEY=${SECRET}\n`,
      "c/task.py": [
        "from flytekit import Secret",
        "# secretlint:ignore flyte/secret-request-malformed -- migrating",
        "A = Secret(",
        "    group='arn:aws:secretsmanager:us-east-1:123456789012:secret',",
        "    key='x-AbC123',",
        ")",
        "B = Secret(group='arn:aws:secretsmanager:us-east-1:123456789012:secret', key='y-AbC123')",
      ].join("\n"),
    });
    const result = scanDirectory(dir, { rules: allRules });
    const list = (fs: typeof result.findings) => fs.map((f) => `${originText(f.origin)} ${f.ruleId}`).sort();
    expect(list(result.findings)).toEqual(["a/io_config.yml:10:10 mage/secret-not-found", "c/task.py:7:18 flyte/secret-request-malformed"]);
    expect(list(result.suppressed)).toEqual([
      "a/io_config.yml:3:22 mage/hardcoded-aws-credentials",
      "a/io_config.yml:8:12 mage/secret-not-found",
      "a/io_config.yml:9:10 mage/secret-not-found",
      "b/.env:2:19 mage/hardcoded-aws-credentials",
      "c/task.py:4:11 flyte/secret-request-malformed",
    ]);
  });
});
