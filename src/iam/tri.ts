// Three-valued answers (Kleene logic): an IAM question about Terraform is answered "yes", "no",
// or "unknown" when a value the scan cannot know decides it. Rules report only on "yes".

export type Tri = "yes" | "no" | "unknown";

export function and(a: Tri, b: Tri): Tri {
  if (a === "no" || b === "no") return "no";
  return a === "yes" && b === "yes" ? "yes" : "unknown";
}

export function or(a: Tri, b: Tri): Tri {
  if (a === "yes" || b === "yes") return "yes";
  return a === "no" && b === "no" ? "no" : "unknown";
}

export function not(a: Tri): Tri {
  return a === "yes" ? "no" : a === "no" ? "yes" : "unknown";
}

export function fromBool(b: boolean): Tri {
  return b ? "yes" : "no";
}

/** OR over items, stopping at the first "yes". */
export function some<T>(items: Iterable<T>, f: (item: T) => Tri): Tri {
  let out: Tri = "no";
  for (const item of items) {
    const r = f(item);
    if (r === "yes") return "yes";
    if (r === "unknown") out = "unknown";
  }
  return out;
}

/** AND over items, stopping at the first "no". */
export function every<T>(items: Iterable<T>, f: (item: T) => Tri): Tri {
  let out: Tri = "yes";
  for (const item of items) {
    const r = f(item);
    if (r === "no") return "no";
    if (r === "unknown") out = "unknown";
  }
  return out;
}
