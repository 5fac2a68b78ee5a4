// Filesystem functions: file, fileexists, filebase64, templatefile, templatestring, dirname,
// basename, pathexpand; abspath and fileset depend on the machine (unknown).

import { posix as posixPath } from "node:path";
import { parseTemplateSource } from "../../hcl/parser.js";
import { evaluateTemplate, type Scope } from "../evaluate.js";
import { Failure, ObjectValue, Unknown, type Value } from "../values.js";
import { def, defPartial, defUnknown, type FunctionContext, unk } from "./support/registry.js";
import { asObject, asString } from "./support/convert.js";

/**
 * A file's text. A file that is not there gives undefined: it may be generated before plan,
 * so the callers make the result unknown rather than a finding.
 */
function readText(ctx: FunctionContext, path: string, fn: string): string | undefined {
  return ctx.readFile(path, fn);
}

/** What reading a file that is not there gives: unknown (it may be generated before plan), or, where files are not generated, a failure. */
export function missing(ctx: FunctionContext, name: string, path: string): Value {
  if (ctx.missingFilesFail) return new Failure(`no file ${JSON.stringify(path)}`);
  return new Unknown("function", undefined, undefined, `${name}(${JSON.stringify(path)})`);
}

/** Bytes of a file for hashing; undefined when the text suggests it was not valid UTF-8. */
export function fileBytes(ctx: FunctionContext, path: string, fn: string): Buffer | undefined {
  const text = readText(ctx, path, fn);
  if (text === undefined || text.includes("\ufffd")) return undefined;
  return Buffer.from(text, "utf8");
}

def("file", 1, 1, ([p], ctx, name) => {
  const path = asString(p, "path");
  if (path instanceof Failure) return path;
  const text = readText(ctx, path, name);
  return text ?? missing(ctx, name, path);
});

def("fileexists", 1, 1, ([p], ctx, name) => {
  const path = asString(p, "path");
  if (path instanceof Failure) return path;
  // A path the reading policy may not look at (outside the tree, /proc): unknown, not false.
  if (ctx.fileExists) return ctx.fileExists(path, name) ?? new Unknown("function", undefined, undefined, `${name}(${JSON.stringify(path)})`);
  return readText(ctx, path, name) !== undefined;
});

let templateDepth = 0;

/** Renders template text with `vars` as its only names, as templatefile and templatestring do. */
function renderTemplate(text: string, fileName: string, vars: ObjectValue, ctx: FunctionContext, name: string): Value {
  const { template, diagnostics } = parseTemplateSource(text, fileName, { offset: 0, byte: 0, line: 1, column: 1 });
  const error = diagnostics.find((d) => d.severity === "error");
  if (error) return new Failure(`${fileName}:${error.range.start.line},${error.range.start.column}: ${error.message}`);
  for (const k of vars.keys()) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k)) return new Failure(`invalid template variable name ${JSON.stringify(k)}: must start with a letter, followed by zero or more letters, digits, and underscores`);
  }
  if (templateDepth > 0) return new Failure(`cannot recursively call ${name} from inside another template function`);
  const scope: Scope = {
    root: (n) => vars.get(n),
    functionContext: ctx,
    ...(ctx.budget ? { budget: ctx.budget } : {}),
  };
  templateDepth++;
  try {
    return evaluateTemplate(template, scope);
  } finally {
    templateDepth--;
  }
}

defPartial("templatefile", 2, 2, ([p, varsV], ctx, name) => {
  if (p instanceof Unknown) return unk(name);
  const path = asString(p, "path");
  if (path instanceof Failure) return path;
  if (varsV instanceof Unknown) return unk(name);
  const vars = varsV === null ? new ObjectValue() : asObject(varsV, "vars");
  if (vars instanceof Failure) return vars;
  const text = readText(ctx, path, name);
  if (text === undefined) return missing(ctx, name, path);
  return renderTemplate(text, path, vars, ctx, name);
});

defPartial("templatestring", 2, 2, ([t, varsV], ctx, name) => {
  if (t instanceof Unknown || varsV instanceof Unknown) return unk(name);
  const text = asString(t, "template");
  if (text instanceof Failure) return text;
  const vars = asObject(varsV, "vars");
  if (vars instanceof Failure) return vars;
  return renderTemplate(text, "<templatestring>", vars, ctx, name);
});

def("dirname", 1, 1, ([p]) => {
  const path = asString(p, "path");
  if (path instanceof Failure) return path;
  return path === "" ? "." : posixPath.dirname(path);
});

def("basename", 1, 1, ([p]) => {
  const path = asString(p, "path");
  if (path instanceof Failure) return path;
  // Go's filepath.Base: trailing slashes dropped, "" → ".", all slashes → "/".
  if (path === "") return ".";
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" ? "/" : posixPath.basename(trimmed);
});

def("pathexpand", 1, 1, ([p], _ctx, name) => {
  const path = asString(p, "path");
  if (path instanceof Failure) return path;
  return path === "~" || path.startsWith("~/") ? unk(name, "function") : path;
});

defUnknown(["abspath", "fileset"]);
