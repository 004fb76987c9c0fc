// One ms of slack past the second: whoever times the calls a few microseconds after they start
// (a gateway, a test) still sees at most perSecond in any second.
const WINDOW_MS = 1_001;

/**
 * A sliding-window limiter: no window of one second ever holds more than `perSecond` calls
 * started through it (a token bucket is right on average, but timers that fire late let it
 * bunch above the rate). It remembers the start times of the last `perSecond` calls; a call
 * waits until the oldest of them is a second old, and starts in the same synchronous step as
 * its start time is taken, so nothing queued in between can shift it. Calls start in order.
 */
export class RequestPacer {
  private readonly starts: number[] = [];
  private head = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly perSecond: number) {
    if (!Number.isInteger(perSecond) || perSecond < 1)
      throw new Error('perSecond must be a whole number of at least 1');
  }

  run<T>(call: () => Promise<T>): Promise<T> {
    let started!: Promise<T>;
    const turn = this.queue.then(async () => {
      for (;;) {
        const full = this.starts.length === this.perSecond;
        const wait = full ? this.starts[this.head]! + WINDOW_MS - performance.now() : 0;
        if (wait <= 0) {
          if (full) {
            this.starts[this.head] = performance.now();
            this.head = (this.head + 1) % this.perSecond;
          } else this.starts.push(performance.now());
          started = call();
          return;
        }
        await new Promise((r) => setTimeout(r, Math.ceil(wait)));
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn.then(() => started);
  }
}
