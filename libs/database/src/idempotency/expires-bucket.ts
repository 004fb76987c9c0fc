const HOUR_MS = 3_600_000;

/**
 * The UTC hour of an expiry, e.g. "2026-12-02T05". Records are grouped by it so the cleanup job
 * deletes by equality: FerretDB v1 evaluates a range filter in memory over the whole collection.
 */
export function expiresBucketOf(expiresAt: Date): string {
  return expiresAt.toISOString().slice(0, 13);
}

/**
 * The `hours` buckets that ended at or before `now`, newest first: every record in them has
 * expired. The current hour is left for the next runs (the read-time check covers it meanwhile).
 */
export function endedBuckets(now: Date, hours: number): string[] {
  const currentHourStart = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return Array.from({ length: hours }, (_, i) =>
    expiresBucketOf(new Date(currentHourStart - (i + 1) * HOUR_MS)),
  );
}
