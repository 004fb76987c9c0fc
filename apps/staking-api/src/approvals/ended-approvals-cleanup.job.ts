import { AppConfigService, DistributedLock, LeaderJob, SecurityPolicy, utcDay } from '@app/common';
import { Injectable } from '@nestjs/common';
import { ApprovalsRepository } from './approvals.repository.js';

const DAY_MS = 86_400_000;
/** Days past the retention looked at per run. */
export const ENDED_APPROVALS_CLEANUP_WINDOW_DAYS = 30;

/**
 * Hourly: deletes approvals that ended (executed, rejected, expired, failed) more than
 * operations.retention.ended_approvals_days ago, found by equality on their end day, at most
 * retention.cleanup_batch per tick. Pending and approved ones have no end day and stay; the
 * operation of a deleted approval keeps its own history, and the audit log keeps the decisions.
 */
@Injectable()
export class EndedApprovalsCleanupJob extends LeaderJob {
  protected readonly name = 'ended-approvals-cleanup';
  protected readonly intervalMs = 60 * 60 * 1000;
  protected readonly lockTtlMs = 5 * 60 * 1000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly approvals: ApprovalsRepository,
    private readonly policy: SecurityPolicy,
  ) {
    super(lock, config);
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const { ended_approvals_days: keep, cleanup_batch: batch } =
      this.policy.operationsPolicy.retention;
    let deleted = 0;
    for (let i = 0; i < ENDED_APPROVALS_CLEANUP_WINDOW_DAYS && deleted < batch; i++) {
      const day = utcDay(new Date(now.getTime() - (keep + 1 + i) * DAY_MS));
      for (const { id, status } of await this.approvals.endedOn(day, batch - deleted)) {
        if (!this.leaseHeld) return { deleted };
        if (await this.approvals.deleteEnded(id, day, status)) deleted++;
      }
    }
    return { deleted };
  }
}
