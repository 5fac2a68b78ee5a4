// flytekit Secret requests → inventory: seed 002 (as written, with Hugo shortcodes, and
// rendered), imports and aliases, constants, concatenation, f-strings, positional arguments,
// what stays unknown, and parse errors.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { originText } from "../../src/inventory/dump.js";
import type { FlyteSecretRequest } from "../../src/inventory/model.js";
import { scanAppConfigs } from "../../src/sources/apps/index.js";
import { readFlytePython } from "../../src/sources/apps/flyte.js";
import { LineIndex } from "../../src/sources/apps/text.js";
import { Unknown, type Value } from "../../src/terraform/values.js";

const seeds = path.resolve(import.meta.dirname, "../../fixtures/seeds");
const read = (text: string) => readFlytePython("t.py", new LineIndex(text));
const shown = (v: Value | undefined): unknown => (v instanceof Unknown ? (v.template ? v.template.map((p) => (typeof p === "string" ? p : "?")).join("") : "?") : v);
const parts = (r: FlyteSecretRequest) => ({ group: shown(r.group.value), key: shown(r.key.value), version: shown(r.groupVersion?.value), mount: shown(r.mountRequirement?.value) });

describe("seed 002: Union/Flyte, Enabling AWS Secrets Manager", () => {
  const inv = scanAppConfigs(path.join(seeds, "002-union-aws-secrets-manager")).inventory;
  const byFile = (f: string) => inv.flyteSecretRequests.filter((r) => r.origin.file?.path === f);

  it("task.rendered.py: union.Secret with module constants for group and key, mounted as a file", () => {
    const [r] = byFile("task.rendered.py");
    expect(parts(r)).toEqual({ group: "arn:aws:secretsmanager:<Region>:<AccountId>:secret:", key: "<SecretName>-<SixRandomCharacters>", version: undefined, mount: "FILE" });
    expect(originText(r.origin)).toBe("task.rendered.py:6:18");
    expect(originText(r.group.origin!)).toBe("task.rendered.py:7:9");
    expect(originText(r.key.origin!)).toBe("task.rendered.py:8:7");
    // Where the constants' text is written: the placeholders are reported there.
    expect(originText(r.definedAt!.group!)).toBe("task.rendered.py:4:16");
    expect(originText(r.definedAt!.key!)).toBe("task.rendered.py:5:14");
  });

  it("task.py (Hugo shortcodes, not Python): a parse error at the import, and the same request still read", () => {
    expect(inv.parseErrors.map((e) => `${originText(e.origin)} ${e.message}`)).toEqual(["task.py:2:8 expected a module name after `import`"]);
    const [r] = byFile("task.py");
    expect(parts(r)).toEqual(parts(byFile("task.rendered.py")[0]));
  });

  it("the placeholders' text is kept where it is written, for secret/placeholder-value", () => {
    expect(inv.literalStrings.map((l) => `${originText(l.origin)} ${l.text}`).filter((t) => t.startsWith("task.rendered"))).toEqual([
      "task.rendered.py:4:17 arn:aws:secretsmanager:<Region>:<AccountId>:secret:",
      "task.rendered.py:5:15 <SecretName>-<SixRandomCharacters>",
    ]);
  });
});

describe("flytekit Secret requests", () => {
  it("imports: flytekit, union, aliases; another library's Secret is not read", () => {
    const r = read(
      [
        "import flytekit as fl",
        "from union import Secret as S",
        "from kubernetes_stuff import Secret",
        "a = fl.Secret('g1', 'k1')",
        "b = S('g2', 'k2')",
        "c = Secret('name', data={})", // another library's Secret, no group=
        "d = other.Secret('x', 'y')",
        "e = Secret(group='g3', key='k3')", // flytekit's signature: taken
      ].join("\n"),
    );
    expect(r.requests.map((x) => [x.group.value, x.key.value])).toEqual([
      ["g1", "k1"],
      ["g2", "k2"],
      ["g3", "k3"],
    ]);
  });

  it("constants, concatenation, implicit concatenation, f-strings of constants", () => {
    const r = read(
      [
        "from flytekit import Secret",
        'REGION = "us-east-1"',
        'ACCOUNT: str = "123456789012"',
        'PREFIX = "arn:aws:secretsmanager:" + REGION',
        'GROUP = f"{PREFIX}:{ACCOUNT}:secret:"',
        'NAME = ("db" "-") + "AbC123"',
        "req = Secret(group=GROUP, key=NAME, group_version='v1')",
      ].join("\n"),
    );
    expect(parts(r.requests[0])).toEqual({ group: "arn:aws:secretsmanager:us-east-1:123456789012:secret:", key: "db-AbC123", version: "v1", mount: undefined });
  });

  it("what cannot be known stays unknown, keeping known pieces", () => {
    const r = read(
      [
        "import os",
        "from flytekit import Secret",
        'TWICE = "a"',
        'TWICE = "b"',
        "def f(PARAM='x'):",
        "    return Secret(group=PARAM, key=TWICE)",
        'for LOOP in ["x"]:',
        "    pass",
        'g = Secret(group=f"arn:aws:secretsmanager:{os.environ[\'R\']}:1:secret:", key=LOOP, mount_requirement=MODE)',
        "h = Secret(**kwargs)",
        'i = Secret(group="g" + 1, key="k".upper())',
      ].join("\n"),
    );
    expect(r.requests.map(parts)).toEqual([
      { group: "?", key: "?", version: undefined, mount: undefined },
      { group: "arn:aws:secretsmanager:?:1:secret:", key: "?", version: undefined, mount: "?" },
      { group: "?", key: "?", version: "?", mount: undefined },
      // `"g" + 1` fails in Python; its known text is kept all the same (nothing is decided on it).
      { group: "g?", key: "?", version: undefined, mount: undefined },
    ]);
  });

  it("the mount requirement: the MountType member, directly or through a constant", () => {
    const r = read(
      [
        "from flytekit import Secret",
        "MODE = Secret.MountType.ENV_VAR",
        "a = Secret(group='g', key='k', mount_requirement=MODE)",
        "b = Secret('g', 'k', None, Secret.MountType.FILE)",
      ].join("\n"),
    );
    expect(r.requests.map((x) => x.mountRequirement?.value)).toEqual(["ENV_VAR", "FILE"]);
  });

  it("requests in a decorator's secret_requests, over several lines, with their call's range", () => {
    const text = ["import flytekit", "", "@flytekit.task(secret_requests=[", "    flytekit.Secret(", "        group='g',", "        key='k',", "    ),", "])", "def t(): ..."].join("\n");
    const [r] = read(text).requests;
    expect(r.origin.file!.range.start).toMatchObject({ line: 4, column: 5 });
    expect(r.origin.file!.range.end).toMatchObject({ line: 7, column: 6 });
    expect(originText(r.key.origin!)).toBe("t.py:6:13");
  });

  it("parse errors: the first where Python stops reading", () => {
    expect(read("from flytekit import Secret\nx = Secret(group='g, key='k')\n").parseError).toMatchObject({ message: "unterminated string literal" });
    expect(originText(read("from flytekit import Secret\nx = Secret(group='g', key='k'\n").parseError!.origin)).toBe("t.py:2:11");
    expect(read("from flytekit import Secret\nx = Secret(group='g', key='k')\n").parseError).toBeUndefined();
  });

  it("files of installed packages (a virtualenv not in .gitignore) and Python files without a request are not read", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-flyte-"));
    try {
      const request = "from flytekit import Secret\nS = Secret(group='arn:aws:secretsmanager:us-east-1:123456789012:secret', key='x')\n";
      for (const [name, text] of Object.entries({
        ".venv/lib/python3.12/site-packages/flytekit/core/t.py": request,
        "venv/lib/t.py": request,
        "app/other.py": "def f(:\n", // no Secret: not read, so no parse error either
        "app/task.py": request,
      })) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      }
      const scan = scanAppConfigs(dir);
      expect(scan.inventory.flyteSecretRequests.map((r) => r.origin.file!.path)).toEqual(["app/task.py"]);
      expect(scan.inventory.parseErrors).toEqual([]);
      expect([...scan.sources.keys()]).toEqual(["app/task.py"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
