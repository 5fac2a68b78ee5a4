// Pacing: keeping under a service's request rate, so a live audit is not throttled (and does
// not throttle the account's own workloads), and bounding the calls in flight.

/**
 * Lets callers start at most `perSecond` requests a second, one at a time and evenly spaced:
 * a caller awaits `take()` and then sends. Each start is spaced from the previous *actual*
 * start (not from a slot planned in advance), so a stalled event loop delays the starts that
 * follow instead of letting them through in a burst: any one-second window sees at most
 * `perSecond` + 2 starts (a start may run up to `slack` late, and one handed out before a stall
 * runs after it), and the rate holds although timers fire a little late.
 */
export class Pacer {
  private last = -Infinity;
  private readonly queue: Array<(slot: number) => void> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly interval: number;
  /** How late a start may be and still count from when it was due. */
  private readonly slack: number;
  constructor(
    readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0)) throw new Error("a pacer needs a positive rate");
    this.interval = 1000 / perSecond;
    this.slack = Math.min(5, this.interval / 4);
  }

  /**
   * Resolves when the caller may send, with the time (on the pacer's clock) this start counts
   * from: successive starts' times are at least `1000 / perSecond` ms apart, whatever the load.
   */
  take(): Promise<number> {
    return new Promise<number>((resolve) => {
      this.queue.push(resolve);
      this.pump();
    });
  }

  private pump(): void {
    if (this.timer !== undefined) return;
    while (this.queue.length > 0) {
      const now = this.now();
      const due = this.last + this.interval;
      const wait = due - now;
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, Math.max(1, Math.floor(wait)));
        return;
      }
      // A timer fires a little late: count from when this start was due, so the rate holds;
      // but after a stall, from (nearly) now, so the starts that waited do not burst out.
      this.last = Math.max(due, now - this.slack);
      this.queue.shift()!(this.last);
    }
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
