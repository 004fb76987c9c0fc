import { AppConfigService, DistributedLock, LeaderJob } from '@app/common';
import { Injectable } from '@nestjs/common';
import { endedBuckets } from './expires-bucket.js';
import { IdempotencyStore } from './idempotency.store.js';

export const IDEMPOTENCY_CLEANUP_INTERVAL_MS = 10 * 60 * 1000;
/**
 * Hour buckets looked at per run. Anything older (the job was off longer than this, or a record
 * predates `expires_bucket`) stays until its key is read again: the store treats it as absent.
 */
export const IDEMPOTENCY_CLEANUP_WINDOW_HOURS = 7 * 24;

/**
 * Deletes expired idempotency records (FerretDB v1 has no TTL indexes) with one equality delete
 * per ended hour bucket: a range on `expires_at` would be filtered in memory over the collection.
 */
@Injectable()
export class IdempotencyCleanupJob extends LeaderJob {
  protected readonly name = 'idempotency-cleanup';
  protected readonly intervalMs = IDEMPOTENCY_CLEANUP_INTERVAL_MS;
  protected readonly lockTtlMs = 60 * 1000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly store: IdempotencyStore,
  ) {
    super(lock, config);
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    let deleted = 0;
    for (const bucket of endedBuckets(now, IDEMPOTENCY_CLEANUP_WINDOW_HOURS)) {
      deleted += await this.store.deleteBucket(bucket);
    }
    return { deleted };
  }
}
