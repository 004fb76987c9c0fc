import { AuditTrail, type Principal } from '@app/auth';
import { EarlyAnswer, ErrorCatalog, ErrorCode, StakingException } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { OperationsService } from '../operations/operations.service.js';
import type { WriteContext } from '../operations/write-context.js';
import { ApprovalClock } from './approval-clock.js';
import { ApprovalEvents } from './approval-events.js';
import { ApprovalPeople } from './approval-people.js';
import { ApprovalReplays } from './approval-replays.js';
import type { ApprovalStatus } from './approval.schema.js';
import { isAllowListChange, type Approval, type ApprovalDecision } from './approval.types.js';
import { approvalView } from './approval-view.js';
import { ApprovalsRepository } from './approvals.repository.js';

/** Errors after which the resume is retried by the expiry job: the node or Redis blinked. */
const isTransient = (error: unknown) =>
  error instanceof StakingException && /^(S9|S703|S705|S707|S806)/.test(error.code);

/**
 * Decisions on approvals: approvers hold approvals:decide, are never the requester (by person,
 * so not through the requester's API keys either), vote once each; one rejection ends it;
 * quorum resumes the write through the pipeline. Every decision is audited.
 */
@Injectable()
export class ApprovalsService {
  private readonly logger = new Logger('Approvals');

  constructor(
    private readonly repo: ApprovalsRepository,
    private readonly operations: OperationsService,
    private readonly people: ApprovalPeople,
    private readonly replays: ApprovalReplays,
    private readonly audit: AuditTrail,
    private readonly clock: ApprovalClock,
    private readonly catalog: ErrorCatalog,
    private readonly events: ApprovalEvents,
  ) {}

  async list(status: ApprovalStatus, skip: number, limit: number) {
    const items = await this.repo.listByStatus(status, skip, limit);
    return { approvals: items.map(approvalView), skip, limit };
  }

  async get(id: string) {
    return approvalView(await this.find(id));
  }

  async approve(id: string, principal: Principal, comment: string | undefined, requestId: string) {
    const approval = await this.decidable(id, principal, requestId, 'approve');
    const by = await this.people.of(principal);
    if (approval.decisions.some((d) => d.by.person === by.person))
      throw new StakingException(ErrorCode.APPROVAL_ALREADY_VOTED, undefined, { approval_id: id });
    const decision: ApprovalDecision = {
      decision: 'approve',
      by,
      ...(comment ? { comment } : {}),
      at: this.clock.now(),
    };
    const decisions = [...approval.decisions, decision];
    const quorum = decisions.length >= approval.required_approvals;
    const updated = await this.repo.update(
      approval,
      { decisions, ...(quorum ? { status: 'approved' as const } : {}) },
      { event: quorum ? 'quorum' : 'approved_by', person: by.person, at: decision.at },
    );
    if (!updated)
      throw new StakingException(ErrorCode.CONCURRENT_MODIFICATION, undefined, { approval_id: id });
    await this.recordDecision(updated, principal, requestId, 'approve', comment);
    if (quorum) {
      await this.events.publish('approval.approved', updated);
      return approvalView(await this.resume(updated));
    }
    return approvalView(updated);
  }

  async reject(id: string, principal: Principal, comment: string, requestId: string) {
    const approval = await this.decidable(id, principal, requestId, 'reject');
    const by = await this.people.of(principal);
    const at = this.clock.now();
    const updated = await this.repo.update(
      approval,
      {
        status: 'rejected',
        decisions: [...approval.decisions, { decision: 'reject', by, comment, at }],
      },
      { event: 'rejected', person: by.person, at },
    );
    if (!updated)
      throw new StakingException(ErrorCode.CONCURRENT_MODIFICATION, undefined, { approval_id: id });
    await this.recordDecision(updated, principal, requestId, 'reject', comment);
    await this.events.publish('approval.rejected', updated);
    if (!isAllowListChange(updated)) {
      const op = await this.operations.get(updated.operation_id);
      await this.operations.endPending(op, 'cancelled', 'approval rejected');
    }
    return approvalView(updated);
  }

  /**
   * Re-plans the approved write through the pipeline as its requester (the principal recorded
   * when it was asked). Changed facts put it back to pending (the pipeline answers with the new
   * effect); a refusal of the area's rules fails it; a transient error leaves it approved for
   * the expiry job to retry.
   */
  async resume(approval: Approval): Promise<Approval> {
    const r = approval.request;
    const ctx: WriteContext = {
      // A job's write resumes as the job (no principal: no role limits), like it was asked.
      ...(r.principal.kind === 'system' ? {} : { principal: r.principal as Principal }),
      actor: r.actor,
      idempotencyKey: r.idempotency_key,
      requestHash: r.request_hash,
      requestId: r.request_id,
      replay: { route: r.route, body: r.body },
      resume: { approvalId: approval.id, operationId: approval.operation_id },
    };
    try {
      await this.replays.run(r.route, r.body, ctx);
    } catch (error) {
      if (error instanceof EarlyAnswer) return (await this.repo.findById(approval.id))!;
      if (isTransient(error)) {
        this.logger.warn(
          { approval_id: approval.id, err: (error as Error).message },
          'Resume deferred',
        );
        return approval;
      }
      return this.fail(approval, error);
    }
    const current = (await this.repo.findById(approval.id))!;
    if (current.status !== 'approved') return current;
    const executed = await this.repo.update(
      current,
      { status: 'executed' },
      { event: 'executed', at: this.clock.now() },
    );
    if (!executed) return (await this.repo.findById(approval.id))!;
    await this.events.publish('approval.executed', executed);
    return executed;
  }

  /** Expired (wall clock) approvals never execute: their operation ends `expired`. */
  async expire(approval: Approval, now: Date): Promise<boolean> {
    if (approval.status !== 'pending' || new Date(approval.expires_at) > now) return false;
    const expired = await this.repo.update(
      approval,
      { status: 'expired' },
      { event: 'expired', at: now },
    );
    if (!expired) return false;
    if (!isAllowListChange(expired)) {
      const op = await this.operations.get(expired.operation_id);
      await this.operations.endPending(op, 'expired', 'approval expired');
    }
    await this.audit.record({
      action: 'approval.expired',
      resource: expired.id,
      params: { operation_id: expired.operation_id },
      result: { status: 'success' },
    });
    await this.events.publish('approval.expired', expired);
    return true;
  }

  private async fail(approval: Approval, error: unknown): Promise<Approval> {
    const failure =
      error instanceof StakingException
        ? {
            code: error.code,
            message:
              error.message === error.code ? this.catalog.get(error.code).message : error.message,
          }
        : { code: ErrorCode.INTERNAL_ERROR, message: 'The write could not be re-planned.' };
    if (!(error instanceof StakingException))
      this.logger.error({ approval_id: approval.id, err: error }, 'Resume failed');
    const current = (await this.repo.findById(approval.id))!;
    const failed =
      current.status === 'approved'
        ? await this.repo.update(
            current,
            { status: 'failed', failure },
            { event: 'failed', at: this.clock.now(), failure },
          )
        : null;
    if (!isAllowListChange(approval)) {
      const op = await this.operations.get(approval.operation_id);
      if (op.state === 'pending_approval')
        await this.operations.endPending(op, 'cancelled', 'approved write refused on re-check');
    }
    await this.audit.record({
      action: 'approval.failed',
      resource: approval.id,
      params: { operation_id: approval.operation_id, failure },
      result: { status: 'failure', error_code: failure.code },
    });
    return failed ?? current;
  }

  private async find(id: string): Promise<Approval> {
    const approval = await this.repo.findById(id);
    if (!approval)
      throw new StakingException(ErrorCode.APPROVAL_NOT_FOUND, undefined, { approval_id: id });
    return approval;
  }

  /** Pending, not expired, and (for an approval) not decided by the requester. */
  private async decidable(
    id: string,
    principal: Principal,
    requestId: string,
    decision: 'approve' | 'reject',
  ): Promise<Approval> {
    const approval = await this.find(id);
    if (await this.expire(approval, this.clock.now()))
      throw new StakingException(ErrorCode.APPROVAL_EXPIRED, undefined, { approval_id: id });
    if (approval.status === 'expired')
      throw new StakingException(ErrorCode.APPROVAL_EXPIRED, undefined, { approval_id: id });
    if (approval.status !== 'pending')
      throw new StakingException(ErrorCode.APPROVAL_ALREADY_DECIDED, undefined, {
        approval_id: id,
        status: approval.status,
      });
    // Withdrawing one's own request (reject) is allowed; approving it never is.
    if (decision === 'approve') {
      const by = await this.people.of(principal);
      if (by.person === approval.requester.person) {
        await this.audit.record({
          action: 'approval.decision',
          resource: id,
          principal,
          requestId,
          params: { decision, refused: 'requester' },
          result: {
            status: 'denied',
            error_code: ErrorCode.APPROVAL_SELF_DECISION,
            http_status: 403,
          },
        });
        throw new StakingException(ErrorCode.APPROVAL_SELF_DECISION, undefined, {
          approval_id: id,
        });
      }
    }
    return approval;
  }

  private async recordDecision(
    approval: Approval,
    principal: Principal,
    requestId: string,
    decision: 'approve' | 'reject',
    comment?: string,
  ): Promise<void> {
    await this.audit.record({
      action: 'approval.decision',
      resource: approval.id,
      principal,
      requestId,
      params: {
        decision,
        ...(comment ? { comment } : {}),
        operation_id: approval.operation_id,
        status: approval.status,
      },
      result: { status: 'success' },
    });
  }
}
