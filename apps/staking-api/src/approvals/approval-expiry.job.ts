import { AppConfigService, DistributedLock, LeaderJob, SecurityPolicy } from '@app/common';
import { Injectable } from '@nestjs/common';
import { ApprovalsRepository } from './approvals.repository.js';
import { ApprovalsService } from './approvals.service.js';

export const APPROVAL_EXPIRY_INTERVAL_MS = 60_000;
// An approval that reached quorum this long ago and is still `approved` lost its resume (a
// crash, a node outage): the job resumes it. Younger ones are being resumed by their approver.
const STALLED_RESUME_MS = 60_000;
const RESUME_BATCH = 50;

/**
 * Ends pending approvals past their expires_at (the operation turns `expired` and never runs)
 * and retries resumes that stalled. Finds its work by an equality on `status`: pending
 * approvals live at most the rules' timeout_hours, so that set stays bounded (policy
 * approval_workflows.expiry_batch per tick). Idempotent: every change is conditional.
 */
@Injectable()
export class ApprovalExpiryJob extends LeaderJob {
  protected readonly name = 'approval-expiry';
  protected readonly intervalMs = APPROVAL_EXPIRY_INTERVAL_MS;
  protected readonly lockTtlMs = 60_000;
  // Delegates/reclaims, or resumes approved writes, on its own: paused during maintenance windows.
  protected override readonly movesFunds = true;
  private readonly batch: number;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    policy: SecurityPolicy,
    private readonly repo: ApprovalsRepository,
    private readonly approvals: ApprovalsService,
  ) {
    super(lock, config);
    this.batch = policy.file.approval_workflows.expiry_batch;
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    let expired = 0;
    let resumed = 0;
    for (const approval of await this.repo.listByStatus('pending', 0, this.batch)) {
      if (!this.leaseHeld) break;
      if (await this.approvals.expire(approval, now)) expired++;
    }
    for (const approval of await this.repo.listByStatus('approved', 0, RESUME_BATCH)) {
      if (!this.leaseHeld) break;
      if (now.getTime() - new Date(approval.updated_at).getTime() < STALLED_RESUME_MS) continue;
      const after = await this.approvals.resume(approval);
      if (after.status !== 'approved') resumed++;
    }
    return { expired, resumed };
  }
}
