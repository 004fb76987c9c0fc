import { AppConfigService, DistributedLock, LeaderJob, SecurityPolicy, utcDay } from '@app/common';
import { Injectable } from '@nestjs/common';
import { OperationsRepository } from './operations.repository.js';

const DAY_MS = 86_400_000;
/** Days past the retention looked at per run (a service stopped for longer catches up by hand). */
export const OPERATION_DETAILS_CLEANUP_WINDOW_DAYS = 30;

/**
 * Hourly: drops the transaction bytes of operations settled more than
 * operations.retention.operation_details_days ago. Finds them by equality on their settlement
 * day (never a range over the collection), at most retention.cleanup_batch per tick; the
 * operation's summary, state, txid, result and history stay. Idempotent: a pruned operation
 * leaves its day's bucket.
 */
@Injectable()
export class OperationDetailsCleanupJob extends LeaderJob {
  protected readonly name = 'operation-details-cleanup';
  protected readonly intervalMs = 60 * 60 * 1000;
  protected readonly lockTtlMs = 5 * 60 * 1000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly operations: OperationsRepository,
    private readonly policy: SecurityPolicy,
  ) {
    super(lock, config);
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const { operation_details_days: keep, cleanup_batch: batch } =
      this.policy.operationsPolicy.retention;
    let pruned = 0;
    for (let i = 0; i < OPERATION_DETAILS_CLEANUP_WINDOW_DAYS && pruned < batch; i++) {
      const day = utcDay(new Date(now.getTime() - (keep + 1 + i) * DAY_MS));
      for (const id of await this.operations.settledOn(day, batch - pruned)) {
        if (!this.leaseHeld) return { pruned };
        if (await this.operations.pruneDetails(id, day, now)) pruned++;
      }
    }
    return { pruned };
  }
}
