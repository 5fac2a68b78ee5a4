// Pacing: keeping under a service's request rate, so a live audit is not throttled (and does
// not throttle the account's own workloads), and bounding the calls in flight.

/**
 * Hands out start times at least 1/rate apart: a caller awaits `take()` and then sends.
 * Each slot is counted from the later of the previous slot and the moment it was actually
 * taken, so requests never bunch up after a stall, and any one-second window sees at most
 * `rate` (+1) starts.
 */
export class Pacer {
  private next = 0;
  private readonly interval: number;
  constructor(
    readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0)) throw new Error("a pacer needs a positive rate");
    this.interval = 1000 / perSecond;
  }

  /** Resolves when the caller may send. */
  async take(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.next);
    this.next = at + this.interval;
    const wait = at - now;
    if (wait > 0.5) await new Promise<void>((resolve) => setTimeout(resolve, wait));
  }
}

/** At most `limit` tasks at once; the others wait their turn, first come first served. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter.
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
