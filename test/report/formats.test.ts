// The text, JSON and github formats: the same findings in each, colour only on request,
// masking of secret lines, GitHub's escaping.

import type * as Sarif from "sarif";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../src/engine/runner.js";
import { maskLine } from "../../src/report/common.js";
import { escapeData, escapeProperty, toGithub } from "../../src/report/github.js";
import { formatReport, REPORT_FORMATS, type ReportInput } from "../../src/report/index.js";
import { toJson, toJsonFindings } from "../../src/report/json.js";
import { toText } from "../../src/report/text.js";
import {
  buildResult,
  buildSources,
  CANARY,
  finding,
  hardcodedRule,
  placeholderRule,
  rangeOf,
  tagRule,
  WIDE_ARN,
  wildcardRule,
} from "./fixtures.js";

const ESC = "\x1b";

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return { result: buildResult(), kind: "scan", toolVersion: "1.2.3", sources: buildSources(), scanRoot: "/work/repo", ...overrides };
}

describe("the same findings in every format", () => {
  it("json, text, github and sarif agree on rule, place and level", () => {
    const i = input();
    const json = JSON.parse(formatReport("json", i)).findings as Array<{ ruleId: string; level: string; file: string | null; line: number | null; column: number | null; fingerprint: string }>;
    const text = formatReport("text", i);
    const github = formatReport("github", i);
    const sarif = JSON.parse(formatReport("sarif", i)) as Sarif.Log;
    const results = sarif.runs[0].results!;
    expect(json).toHaveLength(i.result.findings.length);
    expect(results).toHaveLength(json.length);
    json.forEach((j, k) => {
      const r = results[k];
      expect(r.ruleId).toBe(j.ruleId);
      expect(r.level).toBe(j.level);
      expect(r.partialFingerprints!["secretlint/v2"]).toBe(j.fingerprint);
      const cmd = j.level === "note" ? "notice" : j.level;
      if (j.file !== null) {
        expect(text).toContain(`${j.file}:${j.line}:${j.column}  ${j.level}  `);
        expect(github).toMatch(new RegExp(`^::${cmd} file=${j.file},line=${j.line},(col=${j.column},)?.*title=${j.ruleId.replace("/", "\\/")}::`, "m"));
        expect(r.locations![0].physicalLocation!.region).toMatchObject({ startLine: j.line, startColumn: j.column });
      } else {
        expect(text).toContain(`${WIDE_ARN}  ${j.level}  `);
        expect(github).toContain(`::${cmd} title=${j.ruleId}::${WIDE_ARN}: `);
      }
    });
  });

  it("formatReport knows the five formats", () => {
    expect(REPORT_FORMATS).toEqual(["text", "compact", "json", "sarif", "github"]);
    for (const f of REPORT_FORMATS) expect(formatReport(f, input()).length).toBeGreaterThan(0);
  });

  it("no format prints a secret value", () => {
    for (const f of REPORT_FORMATS) {
      expect(formatReport(f, input()), f).not.toContain(CANARY);
      expect(formatReport(f, input({ color: true })), f).not.toContain(CANARY);
    }
  });
});

describe("json", () => {
  it("is the documented object: version, tool, kind, summary, findings, notifications", () => {
    const json = toJsonFindings(buildResult(), { sources: buildSources() });
    const hard = json.find((j) => j.ruleId === hardcodedRule.id)!;
    expect(Object.keys(hard)).toEqual(["ruleId", "level", "message", "file", "line", "column", "endLine", "endColumn", "address", "related", "fingerprint"]);
    expect(hard).toMatchObject({ level: "error", file: "main.tf", line: 7, column: 19, endLine: 7, endColumn: 19 + CANARY.length + 2, address: "aws_secretsmanager_secret_version.db" });
    const live = json.find((j) => j.ruleId === wildcardRule.id)!;
    expect(live).toMatchObject({ file: null, line: null, column: null, endLine: null, endColumn: null, arn: WIDE_ARN, account: "123456789012" });
    expect(live).not.toHaveProperty("region");
    const tag = json.find((j) => j.ruleId === tagRule.id)!;
    expect(tag.related).toEqual([{ message: "the Sym access policy conditions on SymEnv here", file: "sym.tf", line: 1, column: 1, endLine: 1, endColumn: 7 }]);
    const empty = JSON.parse(toJson({ findings: [], notifications: [], rules: [] }, { toolVersion: "1.2.3", summary: { scanned: [{ what: "files", count: 0 }, { what: "modules", count: 0 }], hiddenByComments: 0, hiddenByBaseline: 0 } }));
    expect(empty).toEqual({
      version: 2,
      tool: { name: "secretlint", version: "1.2.3" },
      kind: "scan",
      summary: { scanned: { files: 0, modules: 0 }, findings: 0, errors: 0, warnings: 0, notes: 0, hiddenByComments: 0, hiddenByBaseline: 0 },
      findings: [],
      notifications: [],
    });
  });

  it("flags suppressed findings only", () => {
    const json = toJsonFindings(buildResult(), { suppression: (f) => (f.ruleId === tagRule.id ? { kind: "inSource" } : undefined) });
    expect(json.find((j) => j.ruleId === tagRule.id)!.suppressed).toBe(true);
    expect(json.find((j) => j.ruleId === hardcodedRule.id)).not.toHaveProperty("suppressed");
  });
});

describe("text", () => {
  it("prints path:line:col  level  message  rule-id, grouped by file, and a summary", () => {
    const text = toText(buildResult(), { sources: buildSources() });
    const heads = text.split("\n").filter((l) => /^\S.*  (error|warning|note)  /.test(l));
    expect(heads).toEqual([
      "app dir/io_config.yml:3:15  warning  your-region is a documentation placeholder  secret/placeholder-value",
      "main.tf:1:1  error  Secret prod/db lacks the tag SymEnv  sym/symenv-tag-missing",
      "main.tf:2:3  note  note about prod/db  aws/some-note",
      "main.tf:7:19  error  secret_string is a literal value  secret/hardcoded-value",
      `${WIDE_ARN}  error  wide allows secretsmanager:GetSecretValue on *  iam/secret-read-wildcard`,
    ]);
    expect(text.trimEnd().split("\n").pop()).toBe("3 errors, 1 warning, 1 note.");
    // Files are separated by a blank line.
    expect(text).toMatch(/\^+\n\nmain\.tf:1:1/);
  });

  it("shows a code frame with a gutter and the range underlined", () => {
    const text = toText(buildResult(), { sources: buildSources() });
    expect(text).toContain(["  3 |   AWS_REGION: your-region", "    |               ^^^^^^^^^^^"].join("\n"));
    expect(text).toContain(["  2 |   name = \"prod/db\"", "    |   ^^^^^^^^^^^^^^^^"].join("\n"));
    expect(text).toContain("    related: sym.tf:1:1  the Sym access policy conditions on SymEnv here");
  });

  it("masks the lines of secret findings, keeping the underline in place", () => {
    const text = toText(buildResult(), { sources: buildSources() });
    expect(text).not.toContain(CANARY);
    expect(text).toContain(['  7 |   secret_string = "****"', '    |                   ^^^^^^'].join("\n"));
    // A custom predicate masks other rules' lines, or none.
    const all = toText(buildResult(), { sources: buildSources(), maskLines: () => true });
    expect(all).toContain("  3 |   AWS_REGION: ****");
    const none = toText(buildResult(), { sources: buildSources(), maskLines: () => false });
    expect(none).toContain(CANARY);
  });

  it("has no colour unless asked, and colour when asked", () => {
    expect(toText(buildResult(), { sources: buildSources() })).not.toContain(ESC);
    expect(formatReport("text", input())).not.toContain(ESC);
    const coloured = formatReport("text", input({ color: true }));
    expect(coloured).toContain(`${ESC}[31merror${ESC}[39m`);
    expect(coloured).toContain(`${ESC}[33mwarning${ESC}[39m`);
    expect(coloured.replace(/\x1b\[\d+m/g, "")).toBe(formatReport("text", input()));
  });

  it("says No findings. when there are none", () => {
    expect(toText({ findings: [], notifications: [], rules: [] })).toBe("No findings.\n");
    expect(toText({ findings: [], notifications: [], rules: [] }, { color: true })).toBe(`${ESC}[32mNo findings.${ESC}[39m\n`);
  });

  it("lists the tool's notifications before the summary", () => {
    const result: RunResult = { ...buildResult(), notifications: [{ level: "error", ruleId: tagRule.id, message: "rule failed: boom" }] };
    const text = toText(result, { notifications: [{ level: "warning", message: "AccessDenied on ListSecrets (eu-west-1)" }] });
    expect(text).toContain("error  rule failed: boom  sym/symenv-tag-missing\nwarning  AccessDenied on ListSecrets (eu-west-1)\n\n3 errors");
  });

  it("makes control characters visible instead of sending them to the terminal", () => {
    const result: RunResult = {
      findings: [finding(placeholderRule.id, "warning", `bad\x1b[2Jname`, { aws: { arn: "arn:aws:secretsmanager:us-east-1:1:secret:x\x07" } })],
      notifications: [],
      rules: [placeholderRule],
    };
    const text = toText(result);
    expect(text).not.toContain(ESC);
    expect(text).not.toContain("\x07");
    expect(text).toContain("bad\\x1b[2Jname");
  });

  it("cuts long lines around the range, and caps long ranges", () => {
    const long = `x = "${"a".repeat(300)}YOUR-API-KEY${"b".repeat(300)}"\n`;
    const result: RunResult = {
      findings: [finding(placeholderRule.id, "warning", "placeholder", { file: { path: "l.tf", range: rangeOf(long, "YOUR-API-KEY") } })],
      notifications: [],
      rules: [placeholderRule],
    };
    const frame = toText(result, { sources: new Map([["l.tf", long]]) }).split("\n");
    const code = frame.find((l) => l.startsWith("  1 | "))!;
    const marks = frame[frame.indexOf(code) + 1];
    expect(code.length).toBeLessThan(200);
    expect(code.slice(marks.indexOf("^"), marks.lastIndexOf("^") + 1)).toBe("YOUR-API-KEY");
    const block = "resource \"a\" \"b\" {\n" + "  x = 1\n".repeat(20) + "}\n";
    const big: RunResult = {
      findings: [finding(placeholderRule.id, "warning", "p", { file: { path: "b.tf", range: rangeOf(block, "resource", { until: "}" }) } })],
      notifications: [],
      rules: [placeholderRule],
    };
    const out = toText(big, { sources: new Map([["b.tf", block]]) });
    expect(out).toContain("… 17 more lines");
    expect(out).not.toContain(" 6 |");
  });

  it("keeps underlines aligned under tabs and after a BOM, and ignores CR", () => {
    const src = "\ufeff\tname\t= \"YOUR-API-KEY\"\r\n";
    const result: RunResult = {
      findings: [finding(placeholderRule.id, "warning", "p", { file: { path: "t.tf", range: rangeOf(src, "YOUR-API-KEY") } })],
      notifications: [],
      rules: [placeholderRule],
    };
    const text = toText(result, { sources: new Map([["t.tf", src]]) });
    expect(text).toContain('t.tf:1:10  warning');
    expect(text).toContain('  1 | \tname\t= "YOUR-API-KEY"\n    | \t    \t   ^^^^^^^^^^^^\n');
  });
});

describe("github", () => {
  it("writes ::error/::warning/::notice commands with the place and the rule as title", () => {
    const out = toGithub(buildResult(), { sources: buildSources() }).trimEnd().split("\n");
    expect(out).toEqual([
      "::warning file=app dir/io_config.yml,line=3,col=15,endLine=3,endColumn=25,title=secret/placeholder-value::your-region is a documentation placeholder",
      "::error file=main.tf,line=1,endLine=3,title=sym/symenv-tag-missing::Secret prod/db lacks the tag SymEnv",
      "::notice file=main.tf,line=2,col=3,endLine=2,endColumn=18,title=aws/some-note::note about prod/db",
      `::error file=main.tf,line=7,col=19,endLine=7,endColumn=${19 + CANARY.length + 1},title=secret/hardcoded-value::secret_string is a literal value`,
      `::error title=iam/secret-read-wildcard::${WIDE_ARN}: wide allows secretsmanager:GetSecretValue on *`,
    ]);
    expect(toGithub({ findings: [], notifications: [], rules: [] })).toBe("");
  });

  it("escapes %, CR and LF in messages, and also : and , in properties", () => {
    expect(escapeData("50% done\r\nnext: a, b")).toBe("50%25 done%0D%0Anext: a, b");
    expect(escapeProperty("C:\\a,b%\n")).toBe("C%3A\\a%2Cb%25%0A");
    const result: RunResult = {
      findings: [finding(placeholderRule.id, "warning", "100% sure\nsecond line", { file: { path: "dir,with:odd%/x.tf", range: rangeOf("abc", "b") } })],
      notifications: [],
      rules: [placeholderRule],
    };
    expect(toGithub(result)).toBe(
      "::warning file=dir%2Cwith%3Aodd%25/x.tf,line=1,col=2,endLine=1,endColumn=2,title=secret/placeholder-value::100%25 sure%0Asecond line\n",
    );
  });

  it("adds the tool's notifications as annotations", () => {
    const out = toGithub({ findings: [], notifications: [{ level: "error", ruleId: tagRule.id, message: "rule failed:\nboom" }], rules: [] }, {
      notifications: [{ level: "note", message: "skipped big.tf, 12 MB" }],
    });
    expect(out).toBe("::error title=secretlint sym/symenv-tag-missing::rule failed:%0Aboom\n::notice title=secretlint::skipped big.tf, 12 MB\n");
  });
});

describe("maskLine", () => {
  const m = (s: string) => maskLine(s).text;
  it("replaces string contents and unquoted values, keeps structure", () => {
    expect(m('  secret_string = "s3cr3t"')).toBe('  secret_string = "****"');
    expect(m("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG")).toBe("AWS_SECRET_ACCESS_KEY=****");
    expect(m("export AWS_ACCESS_KEY_ID='AKIAIOSFODNN7EXAMPLE'")).toBe("export AWS_ACCESS_KEY_ID='****'");
    expect(m("  aws_secret_access_key: wJalrXUtnFEMI")).toBe("  aws_secret_access_key: ****");
    expect(m('    - "AKIAIOSFODNN7EXAMPLE"')).toBe('    - "****"');
    expect(m("  - AKIAIOSFODNN7EXAMPLE")).toBe("  - ****");
    expect(m('{"password":"p4ss","user":"u"}')).toBe('{"****":"****","****":"****"}');
    expect(m('  "password": "p4ss",')).toBe('  "password": "****",');
    expect(m("  plain-heredoc-secret")).toBe("  ****");
    expect(m("  secret_string = <<EOT")).toBe("  secret_string = <<EOT");
    expect(m('  secret_string = jsonencode({ password = "x" })')).toBe("  secret_string = ****");
    expect(m('resource "aws_secretsmanager_secret_version" "v" {')).toBe('resource "aws_secretsmanager_secret_version" "v" {');
    expect(m("}")).toBe("}");
    expect(m('  a = "x\\"y" # note')).toBe("  a = ****");
  });

  it("maps columns from the line to the masked line", () => {
    const line = '  k = "secret" # c';
    const masked = maskLine('  k = "secret"');
    expect(masked.text).toBe('  k = "****"');
    expect(masked.map(6)).toBe(6); // the opening quote
    expect(masked.map(7)).toBe(7); // the contents' start
    expect(masked.map(10)).toBe(7); // inside: to the start…
    expect(masked.map(10, true)).toBe(11); // …or, for an end, to the end
    expect(masked.map(13)).toBe(11); // after the contents: shifted
    expect(masked.map(14)).toBe(12);
    expect(maskLine(line).text).toBe("  k = ****");
  });
});
