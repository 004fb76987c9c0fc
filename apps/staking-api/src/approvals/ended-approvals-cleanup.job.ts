import {
  AppConfigService,
  DistributedLock,
  RetentionCleanupJob,
  SecurityPolicy,
} from '@app/common';
import { Injectable } from '@nestjs/common';
import { ApprovalsRepository } from './approvals.repository.js';

/**
 * Hourly: deletes approvals that ended (executed, rejected, expired, failed) more than
 * operations.retention.ended_approvals_days ago, found by equality on their end day, at most
 * retention.cleanup_batch per tick. Pending and approved ones have no end day and stay; the
 * operation of a deleted approval keeps its own history, and the audit log keeps the decisions.
 */
@Injectable()
export class EndedApprovalsCleanupJob extends RetentionCleanupJob {
  protected readonly name = 'ended-approvals-cleanup';

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly approvals: ApprovalsRepository,
    private readonly policy: SecurityPolicy,
  ) {
    super(lock, config);
  }

  protected retentionDays(): number {
    return this.policy.operationsPolicy.retention.ended_approvals_days;
  }

  protected override batch(): number {
    return this.policy.operationsPolicy.retention.cleanup_batch;
  }

  protected async cleanDay(day: string, budget: number): Promise<number> {
    let deleted = 0;
    for (const { id, status } of await this.approvals.endedOn(day, budget)) {
      if (!this.leaseHeld) break;
      if (await this.approvals.deleteEnded(id, day, status)) deleted++;
    }
    return deleted;
  }
}
