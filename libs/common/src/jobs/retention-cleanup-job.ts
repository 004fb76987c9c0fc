import { utcDay } from '../time/utc-day.js';
import { LeaderJob } from './leader-job.js';

const DAY_MS = 86_400_000;
/** Days past the retention one run looks at: a cleanup that was stopped catches up this far. */
export const RETENTION_WINDOW_DAYS = 30;

/** The first UTC day a retention cleanup looks at: the newest day already past `keepDays`. */
export function firstExpiredDay(now: Date, keepDays: number): Date {
  return new Date(now.getTime() - (keepDays + 1) * DAY_MS);
}

/**
 * An hourly leader job that removes what is past a retention, one UTC day bucket at a time
 * (records carry their day as an indexed field, so each day is an equality lookup, never a
 * range), newest expired day first, at most `batch()` records per tick. Subclasses say how long
 * to keep and what cleaning one day means.
 */
export abstract class RetentionCleanupJob extends LeaderJob {
  protected readonly intervalMs = 60 * 60 * 1000;
  protected readonly lockTtlMs = 5 * 60 * 1000;
  /** The key of the count in the run's result (`deleted`, or `pruned` for a partial removal). */
  protected readonly resultKey: string = 'deleted';

  /** Days a record is kept after the day it is filed under. */
  protected abstract retentionDays(): number;

  /** Cleans one expired day with at most `budget` records; answers how many it cleaned. */
  protected abstract cleanDay(day: string, budget: number, now: Date): Promise<number>;

  /** Records cleaned per tick at most (each day in one delete when unbounded). */
  protected batch(): number {
    return Number.POSITIVE_INFINITY;
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const first = firstExpiredDay(now, this.retentionDays()).getTime();
    const batch = this.batch();
    let cleaned = 0;
    for (let i = 0; i < RETENTION_WINDOW_DAYS && cleaned < batch && this.leaseHeld; i++)
      cleaned += await this.cleanDay(utcDay(new Date(first - i * DAY_MS)), batch - cleaned, now);
    return { [this.resultKey]: cleaned };
  }
}
