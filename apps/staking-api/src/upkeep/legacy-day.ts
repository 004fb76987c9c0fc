import { utcDay } from '@app/common';

const DAY_MS = 86_400_000;

/**
 * The cleanup day bucket for a record from before the buckets existed, which ended (settled,
 * ended) at `at`. Its own UTC day, unless that day is already behind the cleanup's window
 * (which looks at `keepDays + 1` days back and the 30 days before): then the first day the
 * cleanup looks at, so it is found on the cleanup's next tick instead of never.
 */
export function legacyDayBucket(at: Date | undefined, now: Date, keepDays: number): string {
  const firstLooked = new Date(now.getTime() - (keepDays + 1) * DAY_MS);
  return !at || at < firstLooked ? utcDay(firstLooked) : utcDay(at);
}
