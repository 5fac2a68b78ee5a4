// IAM's wildcard matching of actions (`secretsmanager:Get*`, `?` for one character),
// case-insensitive: one cached implementation for the sources and the rules.

const COMPILED = new Map<string, RegExp>();

/** An IAM glob (`*`, `?`) as regex source, everything else literal. */
export function globSource(glob: string): string {
  let out = "";
  for (const ch of glob) out += ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\*?]/g, "\\$&");
  return out;
}

/** Whether an action glob from a policy covers `action` (`service:Action`). */
export function actionMatches(glob: string, action: string): boolean {
  let re = COMPILED.get(glob);
  if (!re) {
    re = new RegExp(`^${globSource(glob)}$`, "is");
    if (COMPILED.size > 10_000) COMPILED.clear();
    COMPILED.set(glob, re);
  }
  return re.test(action);
}
