// App configurations → inventory: Mage `io_config.yml`/`.yaml` (secret references, settings,
// literal credentials), `.env*` and `*.env` files and docker-compose files (literal credentials; `.env`
// also gives Mage's region), and Python files with flytekit `Secret(...)` requests. Found
// under each scan root with the skips of the Terraform scan (.terraform, .git, node_modules,
// .gitignore'd and excluded paths). Malformed YAML or Python becomes a parse error in the
// inventory (reported by `terraform/parse-error`, the one parse-error rule), and the scan
// goes on. Literal credentials are redacted from the texts kept for code frames.

import path from "node:path";
import { readFileBytes, Roots } from "../../files/read.js";
import { findFilesByDir, type FileNotice } from "../../files/walk.js";
import type { File } from "../../hcl/ast.js";
import { emptyInventory, type Inventory, type Located, type MageSecretRef } from "../../inventory/model.js";
import { Unknown } from "../../terraform/values.js";
import { findCredentials, keyLikeSpans, lineValues, redact, type ValueText } from "./credentials.js";
import { parseDotenv, type DotenvFile } from "./dotenv.js";
import { mayHoldSecretRequests, readFlytePython } from "./flyte.js";
import { credentialEntities, readIoConfig } from "./mage.js";
import { coverFile, fileOrigin, isTrailing, LineIndex, literalPieces, type CoverSpan, type LineComment } from "./text.js";
import { readYaml } from "./yaml-source.js";

export type AppFileKind = "io_config" | "dotenv" | "docker-compose" | "python";

/** The kind of app file a name is, or null. */
export function appFileKind(name: string): AppFileKind | null {
  if (name === "io_config.yml" || name === "io_config.yaml") return "io_config";
  // `.env`, `.env.local`, and the `<stage>.env` files compose's `env_file` and many repos use (`dev.env`).
  if (name.startsWith(".env") || (name.endsWith(".env") && name.length > 4)) return "dotenv";
  if (/^(?:docker-compose.*|compose(?:\..*)?)\.ya?ml$/.test(name)) return "docker-compose";
  if (name.endsWith(".py")) return "python";
  return null;
}

export interface AppScanOptions {
  /** Paths in origins are relative to this directory (default: the root). */
  displayRoot?: string;
  /** `--exclude` globs, relative to the root. */
  exclude?: string[];
  /** Absolute paths already read (by another scan root): not read twice. */
  seen?: Set<string>;
  /**
   * The app files under the root, by directory, when a walk of the tree found them already
   * (the scan's one walk: terraform/stream.ts); its skips are the same, and it said what it skipped.
   */
  found?: ReadonlyMap<string, string[]>;
}

export interface AppScan {
  inventory: Inventory;
  /** Display path → text, with literal credentials redacted: for code frames and fingerprints. */
  sources: Map<string, string>;
  /** Display path → suppression comments, and a stand-in syntax tree for block-level suppressions. */
  comments: Map<string, { comments: LineComment[]; file: File }>;
  /** What the walk skipped (unreadable directories, links out of the tree). */
  notices: FileNotice[];
}

/** Directories of installed Python packages (a virtualenv left out of `.gitignore`): third-party code, not the project's. */
const PACKAGE_DIRS = new Set([".venv", "venv", ".tox", ".nox", "site-packages", "dist-packages", "__pycache__"]);

/** Names Mage reads its Secrets Manager region from, in order (then its own default, us-west-2). */
const MAGE_REGION_VARIABLES = ["AWS_REGION_NAME", "AWS_DEFAULT_REGION"];

export function scanAppConfigs(rootDir: string, options: AppScanOptions = {}): AppScan {
  const root = path.resolve(rootDir);
  const displayRoot = path.resolve(options.displayRoot ?? root);
  const display = (abs: string) => path.relative(displayRoot, abs).split(path.sep).join("/") || path.basename(abs);
  const seen = options.seen ?? new Set<string>();
  const inventory = emptyInventory();
  const sources = new Map<string, string>();
  const comments = new Map<string, { comments: LineComment[]; file: File }>();
  const roots = Roots.forScan(root);
  const notices: FileNotice[] = [];
  const found = options.found ?? findFilesByDir(root, options.exclude ?? [], (name) => appFileKind(name) !== null, { roots, notices });

  /**
   * Reads a file's text under the reading policy (src/files/read.ts); null when it cannot be. A
   * refused file (too large, not a regular file, out of the tree) is a parse error for every
   * kind, as for Terraform; a dangling link or binary data is one only where the file must be
   * read (an io_config or compose file; not a stray `.env.gz` or compiled Python).
   */
  const read = (abs: string, shown: string, mustRead: boolean): string | null => {
    const fail = (message: string) => {
      inventory.parseErrors.push({ message, origin: { file: { path: shown, range: new LineIndex("").range(0, 0) } } });
      return null;
    };
    const r = readFileBytes(abs, { roots });
    if (!r.ok) return r.refusal !== "missing" ? fail(r.reason) : mustRead ? fail("cannot read the file: no such file") : null;
    if (r.bytes.includes(0)) return mustRead ? fail("file holds binary data (a NUL byte), not text; it was not parsed") : null;
    return r.bytes.toString("utf8");
  };

  /** Records a file: its credentials (for the kinds that may hold them), its text with every key-like value redacted, its comments. */
  const keep = (shown: string, lines: LineIndex, values: ValueText[], fileKind: "io_config" | "dotenv" | "docker-compose" | null, fileComments: Array<{ offset: number; text: string }>, cover: CoverSpan[]) => {
    const spans = keyLikeSpans(lines.text);
    if (fileKind) {
      const creds = findCredentials(values, lines.text);
      inventory.hardcodedCredentials.push(...credentialEntities(shown, lines, fileKind, creds.hits));
      spans.push(...creds.redact);
    }
    sources.set(shown, redact(lines.text, spans));
    const lineComments = fileComments.map((c) => ({
      text: c.text,
      line: lines.pos(c.offset).line,
      trailing: isTrailing(lines, c.offset),
      range: { start: lines.pos(c.offset), end: lines.pos(c.offset + c.text.length) },
    }));
    comments.set(shown, { comments: lineComments, file: coverFile(shown, lines, cover) });
  };

  const dotenvByDir = new Map<string, Array<{ shown: string; lines: LineIndex; parsed: DotenvFile }>>();
  const ioConfigs: Array<{ dir: string; refs: Array<Omit<MageSecretRef, "region">> }> = [];

  for (const [dir, names] of found) {
    if (path.relative(root, dir).split(path.sep).some((seg) => PACKAGE_DIRS.has(seg))) continue;
    for (const name of names) {
      const abs = path.join(dir, name);
      if (seen.has(abs)) continue;
      seen.add(abs);
      const kind = appFileKind(name)!;
      const shown = display(abs);
      if (kind === "python") {
        const text = read(abs, shown, false);
        if (text === null || !mayHoldSecretRequests(text)) continue;
        const lines = new LineIndex(text);
        const py = readFlytePython(shown, lines);
        // Only files that hold a request (or look as if they should, but do not parse) matter.
        if (py.requests.length === 0 && !py.parseError) continue;
        if (py.parseError) inventory.parseErrors.push(py.parseError);
        inventory.flyteSecretRequests.push(...py.requests);
        inventory.literalStrings.push(...py.literals);
        keep(shown, lines, [], null, py.comments, py.spans);
        continue;
      }
      const text = read(abs, shown, kind !== "dotenv");
      if (text === null) continue;
      const lines = new LineIndex(text);
      if (kind === "io_config") {
        const io = readIoConfig(shown, lines);
        if (io.parseError) inventory.parseErrors.push(io.parseError);
        inventory.mageSettings.push(...io.settings);
        inventory.literalStrings.push(...io.literals);
        ioConfigs.push({ dir, refs: io.refs });
        keep(shown, lines, io.values, "io_config", io.comments, io.spans);
      } else if (kind === "docker-compose") {
        const yaml = readYaml(text);
        if (yaml.error) inventory.parseErrors.push({ message: yaml.error.message, origin: fileOrigin(shown, lines, yaml.error.offset, yaml.error.offset + 1) });
        // A file that does not parse is read line by line for keys.
        const values: ValueText[] = yaml.error ? lineValues(text) : [];
        for (const s of yaml.error ? [] : yaml.scalars) {
          if (s.isKey || s.value === null) continue;
          values.push({ text: s.value, start: s.start, end: s.end, key: s.path[s.path.length - 1], holder: s.path.slice(0, -1).join("\u0000") });
          inventory.literalStrings.push(...literalPieces(shown, lines, s.start, s.end));
        }
        keep(shown, lines, values, "docker-compose", yaml.comments, yaml.spans);
      } else {
        const parsed = parseDotenv(text);
        for (const e of parsed.entries) inventory.literalStrings.push(...literalPieces(shown, lines, e.start, e.end));
        const values = parsed.entries.map((e) => ({ text: e.text, start: e.start, end: e.end, key: e.key }));
        const spans = parsed.entries.map((e) => ({ start: e.lineStart, end: e.entryEnd, children: [] }));
        keep(shown, lines, values, "dotenv", parsed.comments, spans);
        if (name === ".env") {
          const list = dotenvByDir.get(dir) ?? [];
          list.push({ shown, lines, parsed });
          dotenvByDir.set(dir, list);
        }
      }
    }
  }

  // Mage's region: from the nearest scanned `.env` (the io_config's directory, then up to the root) that sets it.
  for (const { dir, refs } of ioConfigs) {
    const region = mageRegion(dir, root, dotenvByDir);
    for (const r of refs) inventory.mageSecretRefs.push({ ...r, region });
  }
  return { inventory, sources, comments, notices };
}

function mageRegion(dir: string, root: string, dotenvByDir: Map<string, Array<{ shown: string; lines: LineIndex; parsed: DotenvFile }>>): Located {
  for (let d = dir; ; d = path.dirname(d)) {
    for (const env of dotenvByDir.get(d) ?? []) {
      for (const variable of MAGE_REGION_VARIABLES) {
        // The last assignment wins, as in docker compose.
        const e = [...env.parsed.entries].reverse().find((x) => x.key === variable);
        if (!e) continue;
        const origin = fileOrigin(env.shown, env.lines, e.start, e.end);
        if (e.value === undefined || e.value === "") return { value: new Unknown("dynamic", undefined, undefined, `${variable} (interpolated)`), origin };
        return { value: e.value, origin };
      }
    }
    if (d === root || path.dirname(d) === d || !d.startsWith(root)) break;
  }
  return { value: new Unknown("dynamic", undefined, undefined, "AWS_REGION_NAME / AWS_DEFAULT_REGION from the environment or Mage secrets (Mage's default: us-west-2)") };
}
