// A one-line progress display on stderr, for a terminal only: never in CI logs or pipes.

/** A one-line progress display on stderr (a TTY only), redrawn at most ten times a second. */
export class ProgressLine {
  private last = 0;
  private shown = false;
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly intervalMs = 100,
  ) {}
  update(text: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < this.intervalMs) return;
    this.last = now;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    this.stream.write(`\r\x1b[2K${text.length > width ? text.slice(0, width - 1) + "…" : text}`);
    this.shown = true;
  }
  clear(): void {
    if (this.shown) this.stream.write("\r\x1b[2K");
    this.shown = false;
  }
}

/** Whether progress may be shown: stderr is a terminal (CI logs and pipes are not), and not --debug (its lines would interleave). */
export function showsProgress(debug: boolean): boolean {
  return process.stderr.isTTY === true && !debug;
}
