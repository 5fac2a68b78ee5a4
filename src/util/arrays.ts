/** Appends every item of `src` to `dest`. Unlike `dest.push(...src)`, safe for any length (spreading ~100k items overflows the call stack). */
export function pushAll<T>(dest: T[], src: readonly T[]): void {
  for (const item of src) dest.push(item);
}
