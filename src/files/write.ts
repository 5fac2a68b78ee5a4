// Writing the files the user asks for (`-o`, `--sarif-file`, `--write-baseline`,
// `--snapshot-out`): a failure is one line saying what to do, never an exception's text.

import fs from "node:fs";
import path from "node:path";

/** Writes text to a file; on failure, the reason in words (the caller names the option and the path). */
export function writeTextFile(file: string, text: string): { ok: true } | { ok: false; reason: string } {
  try {
    fs.writeFileSync(file, text);
    return { ok: true };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    switch (code) {
      case "EISDIR":
        return { ok: false, reason: "is a directory; give a file path" };
      case "ENOENT":
        return { ok: false, reason: `no such directory ${path.dirname(path.resolve(file))}; create it first or give another path` };
      case "ENOTDIR":
        return { ok: false, reason: "a part of the path is a file, not a directory; give another path" };
      case "EACCES":
      case "EPERM":
        return { ok: false, reason: "permission denied; give a path you can write to" };
      case "EROFS":
        return { ok: false, reason: "the file system is read-only; give another path" };
      case "ENOSPC":
        return { ok: false, reason: "no space left on the device" };
      default:
        return { ok: false, reason: `cannot write the file (${code ?? "error"})` };
    }
  }
}
