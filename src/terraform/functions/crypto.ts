// Hash and crypto functions: md5, sha*, base64sha*, uuidv5, the file hashes; uuid, bcrypt and
// rsadecrypt are never known statically.

import { nodeCrypto } from "../../util/builtins.js";
import { Failure, Unknown } from "../values.js";
import { def, defUnknown } from "./support/registry.js";
import { asString } from "./support/convert.js";
import { fileBytes, missing } from "./filesystem.js";

for (const [name, algo, enc] of [
  ["md5", "md5", "hex"],
  ["sha1", "sha1", "hex"],
  ["sha256", "sha256", "hex"],
  ["sha512", "sha512", "hex"],
  ["base64sha256", "sha256", "base64"],
  ["base64sha512", "sha512", "base64"],
] as const) {
  def(name, 1, 1, ([v]) => {
    const s = asString(v);
    return s instanceof Failure ? s : nodeCrypto().createHash(algo).update(s, "utf8").digest(enc);
  });
}

const UUID_NAMESPACES: Record<string, string> = {
  dns: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
  url: "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
  oid: "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
  x500: "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
};

def("uuidv5", 2, 2, ([ns, nm]) => {
  const n = asString(ns, "namespace");
  if (n instanceof Failure) return n;
  const name = asString(nm, "name");
  if (name instanceof Failure) return name;
  const uuid = UUID_NAMESPACES[n] ?? n;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(uuid)) {
    return new Failure(`uuidv5() doesn't support namespace prefix ${JSON.stringify(n)}`);
  }
  const h = nodeCrypto().createHash("sha1")
    .update(Buffer.from(uuid.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
});

for (const [name, algo, enc] of [
  ["filebase64", "", "base64"],
  ["filemd5", "md5", "hex"],
  ["filesha1", "sha1", "hex"],
  ["filesha256", "sha256", "hex"],
  ["filesha512", "sha512", "hex"],
  ["filebase64sha256", "sha256", "base64"],
  ["filebase64sha512", "sha512", "base64"],
] as const) {
  def(name, 1, 1, ([p], ctx) => {
    const path = asString(p, "path");
    if (path instanceof Failure) return path;
    const bytes = fileBytes(ctx, path, name);
    if (!bytes) return ctx.readFile(path, name) === undefined ? missing(ctx, name, path) : new Unknown("function", undefined, undefined, `${name}(${JSON.stringify(path)})`);
    return algo === "" ? bytes.toString("base64") : nodeCrypto().createHash(algo).update(bytes).digest(enc);
  });
}

defUnknown(["uuid", "bcrypt", "rsadecrypt", "filebase64sha1"]);
