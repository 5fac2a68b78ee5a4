// "Did you mean …?" for names a user typed: the closest known name by edit distance (the `leven`
// package), when it is close enough to be a plausible typo.

import leven from "leven";

/**
 * The known name closest to `input`, when at most a third of its length (at least 2) edits
 * away; case-insensitive. Undefined when nothing is that close.
 */
export function closest(input: string, known: Iterable<string>): string | undefined {
  const want = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = leven(want, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(input.length / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** `; did you mean \`x\`?` when a known name is close (and not the input itself), else "". */
export function didYouMean(input: string, known: Iterable<string>): string {
  const c = closest(input, known);
  return c !== undefined && c !== input ? `; did you mean \`${c}\`?` : "";
}
