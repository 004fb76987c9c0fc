import { firstExpiredDay, utcDay } from '@app/common';

/**
 * The cleanup day bucket for a record from before the buckets existed, which ended (settled,
 * ended) at `at`. Its own UTC day, unless that day is already behind the cleanup's window
 * (RetentionCleanupJob: `keepDays + 1` days back and the RETENTION_WINDOW_DAYS before): then the first day the
 * cleanup looks at, so it is found on the cleanup's next tick instead of never.
 */
export function legacyDayBucket(at: Date | undefined, now: Date, keepDays: number): string {
  const firstLooked = firstExpiredDay(now, keepDays);
  return !at || at < firstLooked ? utcDay(firstLooked) : utcDay(at);
}
