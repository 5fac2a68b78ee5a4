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
import { flatText } from "../helpers/text.js";
import {
  buildResult,
  buildSources,
  CANARY,
  finding,
  hardcodedRule,
  MAIN_TF,
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
        expect(flatText(text)).toContain(`${j.file}:${j.line}:${j.column}  ${j.level}  `);
        expect(github).toMatch(new RegExp(`^::${cmd} file=${j.file},line=${j.line},(col=${j.column},)?.*title=${j.ruleId.replace("/", "\\/")}::`, "m"));
        expect(r.locations![0].physicalLocation!.region).toMatchObject({ startLine: j.line, startColumn: j.column });
      } else {
        expect(flatText(text)).toContain(`${WIDE_ARN}  ${j.level}  `);
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
  it("groups findings by file (the path once), each with a short header, its message and its frame, then a summary", () => {
    const text = toText(buildResult(), { sources: buildSources() });
    const margin = text.split("\n").filter((l) => /^\S/.test(l));
    expect(margin).toEqual(["app dir/io_config.yml", "main.tf", WIDE_ARN, "3 errors, 1 warning, 1 note."]);
    const heads = text.split("\n").filter((l) => /^ {2}\S/.test(l));
    expect(heads).toEqual([
      "  3:15  warning  secret/placeholder-value",
      "  1:1  error  sym/symenv-tag-missing",
      "  2:3  note  aws/some-note",
      "  7:19  error  secret/hardcoded-value",
      "  error  iam/secret-read-wildcard",
    ]);
    expect(text).toContain(["main.tf", "  1:1  error  sym/symenv-tag-missing", "    Secret prod/db lacks the tag SymEnv", "    1 | resource"].join("\n"));
    // Files are separated by a blank line, and so are the findings of a file.
    expect(text).toMatch(/\^+\n\nmain\.tf\n/);
    expect(text).toMatch(/here\n\n {2}2:3 {2}note/);
    // Read back, it is the findings of every other format (test/helpers/text.ts).
    expect(flatText(text).split("\n").filter((l) => /^\S.* {2}(error|warning|note) {2}/.test(l))).toEqual([
      "app dir/io_config.yml:3:15  warning  your-region is a documentation placeholder  secret/placeholder-value",
      "main.tf:1:1  error  Secret prod/db lacks the tag SymEnv  sym/symenv-tag-missing",
      "main.tf:2:3  note  note about prod/db  aws/some-note",
      "main.tf:7:19  error  secret_string is a literal value  secret/hardcoded-value",
      `${WIDE_ARN}  error  wide allows secretsmanager:GetSecretValue on *  iam/secret-read-wildcard`,
    ]);
  });

  it("shows a code frame with a gutter, underlined on the first line of the range only", () => {
    const text = toText(buildResult(), { sources: buildSources() });
    expect(text).toContain(["    3 |   AWS_REGION: your-region", "      |               ^^^^^^^^^^^"].join("\n"));
    expect(text).toContain(["    2 |   name = \"prod/db\"", "      |   ^^^^^^^^^^^^^^^^"].join("\n"));
    // A range over lines 1–3: the first line underlined, the others shown as they are.
    expect(text).toContain(['    1 | resource "aws_secretsmanager_secret" "db" {', `      | ${"^".repeat(43)}`, '    2 |   name = "prod/db"', "    3 | }", "    related:"].join("\n"));
    // A related place in the same file is its line and column; in another file, its path too.
    expect(text).toContain("    related: sym.tf:1:1  the Sym access policy conditions on SymEnv here");
    const sameFile: RunResult = {
      findings: [finding(tagRule.id, "error", "m", { file: { path: "main.tf", range: rangeOf(MAIN_TF, "resource") } }, [{ message: "read here", origin: { file: { path: "main.tf", range: rangeOf(MAIN_TF, "secret_id") } } }])],
      notifications: [],
      rules: [tagRule],
    };
    expect(toText(sameFile, { sources: buildSources() })).toContain("    related: 6:3  read here\n");
    // A live finding's related place at its own resource (the group's title) is said so, not repeated.
    const arn = "arn:aws:secretsmanager:us-east-1:1:secret:a-Ab12Cd";
    const live: RunResult = {
      findings: [finding(tagRule.id, "error", "m", { aws: { arn } }, [{ message: "read by Apono", origin: { aws: { arn } } }, { message: "policy", origin: { aws: { arn: WIDE_ARN } } }])],
      notifications: [],
      rules: [tagRule],
    };
    expect(toText(live)).toContain(`${arn}\n  error  sym/symenv-tag-missing\n    m\n    related: (same resource)  read by Apono\n    related: ${WIDE_ARN}  policy\n`);
  });

  it("wraps messages, related places, notices and the summary on word boundaries at 100 columns", () => {
    const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(" ");
    const long = `${words(40, "word")} \`arn:aws:secretsmanager:us-east-1:123456789012:secret:${"x".repeat(90)}\` end`;
    const result: RunResult = {
      findings: [finding(tagRule.id, "error", long, { file: { path: "main.tf", range: rangeOf(MAIN_TF, "resource") } }, [{ message: words(30, "rel"), origin: { file: { path: "other.tf", range: rangeOf("abc", "b") } } }])],
      notifications: [{ level: "warning", message: words(30, "notice") }],
      rules: [tagRule],
    };
    const text = toText(result, { sources: buildSources(), summary: { scanned: [{ what: "files", count: 1 }], hiddenByComments: 1234567, hiddenByBaseline: 7654321 } });
    const lines = text.split("\n");
    // Every line fits, but for a word longer than a line, alone on its line (never cut).
    for (const l of lines) if (l.length > 100) expect(l.trim()).toMatch(/^`arn:[^ ]+`$/);
    expect(lines.filter((l) => l.length > 100)).toHaveLength(1);
    // No word is split: the words read back in order.
    const message = lines.slice(lines.indexOf("  1:1  error  sym/symenv-tag-missing") + 1, lines.findIndex((l) => l.startsWith("    1 |")));
    expect(message.length).toBeGreaterThan(3);
    for (const l of message) expect(l).toMatch(/^ {4}\S/);
    expect(message.map((l) => l.trim()).join(" ")).toBe(long);
    const related = lines.filter((l) => /^ {4}related: | {15}rel/.test(l));
    expect(related.length).toBeGreaterThan(1);
    expect(related.map((l) => l.trim()).join(" ")).toBe(`related: other.tf:1:2  ${words(30, "rel")}`);
    const notice = lines.slice(lines.findIndex((l) => l.startsWith("warning  ")), lines.findIndex((l) => l.startsWith("warning  ")) + 3);
    expect(notice[1]).toMatch(/^ {9}notice\d/);
    expect(flatText(text)).toContain(`warning  ${words(30, "notice")}`);
    expect(lines.slice(-3, -1).join(" ")).toBe("1 error, 0 warnings, 0 notes in 1 file; hidden: 1234567 by secretlint:ignore comments, 7654321 by the baseline.");
    expect(lines.at(-3)!.length).toBeLessThanOrEqual(100);
  });

  it("masks the lines of secret findings, keeping the underline in place", () => {
    const text = toText(buildResult(), { sources: buildSources() });
    expect(text).not.toContain(CANARY);
    expect(text).toContain(['    7 |   secret_string = "****"', '      |                   ^^^^^^'].join("\n"));
    // A custom predicate masks other rules' lines, or none.
    const all = toText(buildResult(), { sources: buildSources(), maskLines: () => true });
    expect(all).toContain("    3 |   AWS_REGION: ****");
    const none = toText(buildResult(), { sources: buildSources(), maskLines: () => false });
    expect(none).toContain(CANARY);
  });

  it("shows a heredoc's closing marker and a function call's opening, never a value (HCL only)", () => {
    const tf = [
      'resource "aws_secretsmanager_secret_version" "h" {',
      "  secret_string = <<-EOT",
      `    {"user": "admin", "password": "${CANARY}"}`,
      `    ${CANARY}`,
      "    EOT",
      "}",
      'resource "aws_secretsmanager_secret_version" "j" {',
      "  secret_string = jsonencode({",
      `    password = "${CANARY}"`,
      "  })",
      "}",
      'resource "aws_secretsmanager_secret_version" "k" {',
      "  secret_string = trimspace(<<EOT",
      `  ${CANARY}`,
      "  EOT",
      "  )",
      "}",
    ].join("\n");
    const at = (needle: string, until: string) => ({ file: { path: "s.tf", range: rangeOf(tf, needle, { until }) } });
    const result: RunResult = {
      findings: [
        finding(hardcodedRule.id, "error", "h", at("secret_string = <<-EOT", "    EOT")),
        finding(hardcodedRule.id, "error", "j", at("secret_string = jsonencode", "  })")),
        finding(hardcodedRule.id, "error", "k", at("secret_string = trimspace", "  )")),
        // A range that starts inside the heredoc's body: the frame does not show the opening marker.
        finding(hardcodedRule.id, "error", "l", at(`${CANARY}\n  EOT`, "  EOT")),
      ],
      notifications: [],
      rules: [hardcodedRule],
    };
    const text = toText(result, { sources: new Map([["s.tf", tf]]) });
    expect(text).not.toContain(CANARY.slice(0, 8));
    expect(text).toContain(['    2 |   secret_string = <<-EOT', "      |   ^^^^^^^^^^^^^^^^^^^^^^", '    3 |     {"****": "****", "****": "****"}', "    4 |     ****", "    5 |     EOT"].join("\n"));
    expect(text).toContain(["     8 |   secret_string = jsonencode({", "       |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^", '     9 |     password = "****"', "    10 |   })"].join("\n"));
    expect(text).toContain(["    13 |   secret_string = trimspace(<<EOT", `       |   ${"^".repeat(31)}`, "    14 |   ****", "    15 |   EOT", "    16 |   )"].join("\n"));
    // A closing marker whose opening the frame does not show stays masked.
    expect(text).toContain(["    14 |   ****", "       |   ^^^^", "    15 |   ****", "\n"].join("\n"));
    // The same lines in a file that is not HCL stay masked as they were.
    const env = "A=<<EOT\nEOT\nB=jsonencode({\n";
    const envResult: RunResult = {
      findings: [finding(hardcodedRule.id, "error", "e", { file: { path: ".env", range: rangeOf(env, "A", { until: "({" }) } })],
      notifications: [],
      rules: [hardcodedRule],
    };
    const envText = toText(envResult, { sources: new Map([[".env", env]]) });
    expect(envText).toContain(["    1 | A=<<EOT", "      | ^^^^^^^", "    2 | ****", "    3 | B=****"].join("\n"));
  });

  it("shows paths that lead out of the working directory absolute, in places and in messages (text and compact)", () => {
    const result: RunResult = {
      findings: [
        finding(tagRule.id, "error", "read by x (../infra/main.tf:7) from module source \"../..\"", { file: { path: "../infra/main.tf", range: rangeOf(MAIN_TF, "resource") } }, [
          { message: "used here", origin: { file: { path: "../modules/m/main.tf", range: rangeOf(MAIN_TF, "name") } } },
        ]),
        finding(tagRule.id, "error", "inside", { file: { path: "main.tf", range: rangeOf(MAIN_TF, "name") } }),
      ],
      notifications: [{ level: "note", message: "not read: ../infra/main.tf:14 `a/b/aws`" }],
      rules: [tagRule],
    };
    const sources = new Map([["../infra/main.tf", MAIN_TF], ["main.tf", MAIN_TF]]);
    const text = toText(result, { sources, scanRoot: "/work/repo/tools" });
    expect(text.split("\n").filter((l) => /^\S/.test(l)).slice(0, 2)).toEqual(["/work/repo/infra/main.tf", "main.tf"]);
    expect(text).toContain("read by x (/work/repo/infra/main.tf:7) from module source \"../..\"");
    expect(text).toContain("    related: /work/repo/modules/m/main.tf:2:3  used here");
    expect(text).toContain("note  not read: /work/repo/infra/main.tf:14 `a/b/aws`");
    const compact = formatReport("compact", input({ result, sources, scanRoot: "/work/repo/tools" }));
    expect(compact).toContain("/work/repo/infra/main.tf:1:1: error sym/symenv-tag-missing read by x (/work/repo/infra/main.tf:7) from module source \"../..\"");
    expect(compact).toContain("\nmain.tf:2:3: error");
    // Without a scan root (a library caller), paths are as the findings hold them.
    expect(toText(result, { sources })).toContain("../infra/main.tf\n");
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
    expect(text).toContain("secret:x\\x07\n");
  });

  it("cuts long lines to the width around the range, and caps long ranges", () => {
    const long = `x = "${"a".repeat(300)}YOUR-API-KEY${"b".repeat(300)}"\n`;
    const result: RunResult = {
      findings: [finding(placeholderRule.id, "warning", "placeholder", { file: { path: "l.tf", range: rangeOf(long, "YOUR-API-KEY") } })],
      notifications: [],
      rules: [placeholderRule],
    };
    const frame = toText(result, { sources: new Map([["l.tf", long]]) }).split("\n");
    const code = frame.find((l) => l.startsWith("    1 | "))!;
    const marks = frame[frame.indexOf(code) + 1];
    expect(code.length).toBeLessThanOrEqual(100);
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
    expect(out.match(/\^/g)).toHaveLength('resource "a" "b" {'.length);
  });

  it("keeps underlines aligned under tabs and after a BOM, and ignores CR", () => {
    const src = "\ufeff\tname\t= \"YOUR-API-KEY\"\r\n";
    const result: RunResult = {
      findings: [finding(placeholderRule.id, "warning", "p", { file: { path: "t.tf", range: rangeOf(src, "YOUR-API-KEY") } })],
      notifications: [],
      rules: [placeholderRule],
    };
    const text = toText(result, { sources: new Map([["t.tf", src]]) });
    expect(text).toContain("t.tf\n  1:10  warning");
    expect(text).toContain('    1 | \tname\t= "YOUR-API-KEY"\n      | \t    \t   ^^^^^^^^^^^^\n');
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
