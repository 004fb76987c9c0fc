import {
  AppConfigService,
  DistributedLock,
  RetentionCleanupJob,
  SecurityPolicy,
} from '@app/common';
import { Injectable } from '@nestjs/common';
import { OperationsRepository } from './operations.repository.js';

/**
 * Hourly: drops the transaction bytes of operations settled more than
 * operations.retention.operation_details_days ago. Finds them by equality on their settlement
 * day (never a range over the collection), at most retention.cleanup_batch per tick; the
 * operation's summary, state, txid, result and history stay. Idempotent: a pruned operation
 * leaves its day's bucket.
 */
@Injectable()
export class OperationDetailsCleanupJob extends RetentionCleanupJob {
  protected readonly name = 'operation-details-cleanup';
  protected override readonly resultKey = 'pruned';

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly operations: OperationsRepository,
    private readonly policy: SecurityPolicy,
  ) {
    super(lock, config);
  }

  protected retentionDays(): number {
    return this.policy.operationsPolicy.retention.operation_details_days;
  }

  protected override batch(): number {
    return this.policy.operationsPolicy.retention.cleanup_batch;
  }

  protected async cleanDay(day: string, budget: number, now: Date): Promise<number> {
    let pruned = 0;
    for (const id of await this.operations.settledOn(day, budget)) {
      if (!this.leaseHeld) break;
      if (await this.operations.pruneDetails(id, day, now)) pruned++;
    }
    return pruned;
  }
}
