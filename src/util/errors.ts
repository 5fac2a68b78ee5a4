/**
 * An unexpected error (a bug) in words fit for a report: its kind and message for the errors
 * the JavaScript engine and our own code raise (they name properties and steps, not input
 * values), only its kind for others (a SyntaxError from JSON.parse quotes the text it read,
 * which may be a secret). One line, at most 200 characters.
 */
export function describeInternalError(err: unknown): string {
  if (!(err instanceof Error)) return "an unexpected error";
  const kind = err.constructor === Error ? "Error" : err.name;
  const safe = err.constructor === Error || err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError;
  if (!safe) return kind;
  const line = (err.message.split("\n")[0] ?? "").trim();
  const text = line.length > 200 ? `${line.slice(0, 199)}…` : line;
  return text ? `${kind}: ${text}` : kind;
}
