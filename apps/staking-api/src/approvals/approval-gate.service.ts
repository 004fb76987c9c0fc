import { AuditTrail } from '@app/auth';
import {
  AppConfigService,
  EarlyAnswer,
  ErrorCode,
  SecurityPolicy,
  StakingException,
  sunToTrxString,
} from '@app/common';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { WriteGates, type ApprovalGate, type GateDecision } from '../operations/approval-gate.js';
import { OperationsService } from '../operations/operations.service.js';
import type { Operation } from '../operations/operation.types.js';
import type { WritePlan, WriteRequest } from '../operations/write-pipeline.js';
import type { ComplianceDecision } from '../operations/write-compliance.js';
import { ApprovalClock } from './approval-clock.js';
import { ApprovalEffects } from './approval-effects.service.js';
import { ApprovalEvents } from './approval-events.js';
import { ApprovalPeople } from './approval-people.js';
import { ApprovalReplays } from './approval-replays.js';
import { matchRule } from './approval-rules.js';
import type { Approval } from './approval.types.js';
import { pendingAnswer } from './approval-view.js';
import { ApprovalsRepository } from './approvals.repository.js';

const HOUR_MS = 3_600_000;

/**
 * The write pipeline's maker-checker step. A write at or over an approval_workflows threshold
 * is parked: its operation is created in `pending_approval` (no spending reserved, nothing
 * built) with an approval bound to the request and to the material facts of its simulated
 * effect. When approvers reach quorum the write is re-planned (ctx.resume): same facts → it
 * proceeds; other facts → back to pending with the new effect, the decisions cleared.
 * The service's own jobs (no principal) are gated like callers: a job write over a threshold
 * waits too (requester `system:<job>`), so a policy cannot move what a person could not alone.
 */
@Injectable()
export class ApprovalGateService implements ApprovalGate, OnModuleInit {
  private readonly enabled: boolean;

  constructor(
    private readonly gates: WriteGates,
    private readonly repo: ApprovalsRepository,
    private readonly operations: OperationsService,
    private readonly effects: ApprovalEffects,
    private readonly people: ApprovalPeople,
    private readonly replays: ApprovalReplays,
    private readonly audit: AuditTrail,
    private readonly clock: ApprovalClock,
    private readonly events: ApprovalEvents,
    private readonly policy: SecurityPolicy,
    config: AppConfigService,
  ) {
    this.enabled = config.get('APPROVALS_ENABLED') && policy.file.approval_workflows.enabled;
  }

  onModuleInit(): void {
    if (this.enabled) this.gates.approval = this;
  }

  async check(
    plan: WritePlan,
    request: WriteRequest,
    inFlight: Operation[],
    decision?: ComplianceDecision,
  ): Promise<GateDecision> {
    const { ctx } = request;
    if (ctx.resume) return this.recheck(plan, request, inFlight);
    const rule = matchRule(plan, this.policy.file.approval_workflows.rules);
    if (!rule) return { kind: 'proceed' };
    if (!ctx.replay || !this.replays.has(ctx.replay.route))
      throw new StakingException(
        ErrorCode.APPROVAL_RESUME_FAILED,
        'This write needs approval, and its route cannot be resumed after approval.',
        { rule: rule.rule },
      );
    this.refuseOverRoleMaximum(plan, request);

    const { effect, factsHash } = await this.effects.simulate(plan, request, inFlight);
    const requester = ctx.principal
      ? await this.people.of(ctx.principal)
      : this.people.ofJob(ctx.actor);
    const operationId = randomUUID();
    const created = await this.operations.create(
      {
        intent: plan.intent,
        mode: request.mode,
        subject: plan.subject,
        actor: ctx.actor,
        idempotencyKey: ctx.idempotencyKey,
        requestHash: ctx.requestHash,
        requestId: ctx.requestId,
        state: 'pending_approval',
        // What compliance said when it was parked; a resumed write stores its new decision.
        compliance: decision,
      },
      operationId,
    );
    if (!created.created) {
      // A twin with this Idempotency-Key: its answer, or (no longer waiting) the pipeline's repeat.
      await this.repeatOf(created.operation);
      return { kind: 'proceed' };
    }
    const now = this.clock.now();
    let approval: Approval;
    try {
      approval = await this.repo.insert({
        id: randomUUID(),
        status: 'pending',
        version: 0,
        rule: rule.rule,
        required_approvals: rule.requiredApprovals,
        timeout_hours: rule.timeoutHours,
        operation_id: operationId,
        operation_kind: plan.intent.kind,
        owner_address: request.owner,
        requester,
        request: {
          route: ctx.replay.route,
          body: ctx.replay.body,
          mode: request.mode,
          actor: ctx.actor,
          principal: requester.principal,
          ...(ctx.idempotencyKey ? { idempotency_key: ctx.idempotencyKey } : {}),
          request_hash: ctx.requestHash,
          request_id: ctx.requestId,
        },
        request_hash: requestHashOf(ctx.replay, requester.principal.id),
        ...(plan.approvalRequired?.length ? { reasons: plan.approvalRequired } : {}),
        facts_hash: factsHash,
        effect,
        decisions: [],
        history: [{ event: 'requested', at: now, facts_hash: factsHash }],
        expires_at: new Date(now.getTime() + rule.timeoutHours * HOUR_MS),
      });
    } catch (error) {
      await this.operations.endPending(created.operation, 'cancelled', 'approval not recorded');
      throw error;
    }
    await this.audit.record({
      action: 'approval.requested',
      resource: approval.id,
      principal: ctx.principal,
      requestId: ctx.requestId,
      params: {
        rule: rule.rule,
        operation_id: operationId,
        owner: request.owner,
        ...(ctx.principal ? {} : { job: ctx.actor.id }),
      },
      result: { status: 'success', http_status: 202 },
    });
    await this.events.publish('approval.requested', approval);
    return { kind: 'pending', answer: new EarlyAnswer(202, pendingAnswer(approval)) };
  }

  requireApproval(plan: WritePlan, reason: string): void {
    plan.approvalRequired = [...(plan.approvalRequired ?? []), reason];
  }

  async repeatOf(operation: Operation): Promise<void> {
    const approval = await this.repo.findByOperation(operation.id);
    if (approval?.status === 'pending') throw new EarlyAnswer(202, pendingAnswer(approval));
  }

  /** Quorum reached: the same material facts proceed, changed ones go back to the approvers. */
  private async recheck(
    plan: WritePlan,
    request: WriteRequest,
    inFlight: Operation[],
  ): Promise<GateDecision> {
    const resume = request.ctx.resume!;
    const approval = await this.repo.findById(resume.approvalId);
    if (approval?.status !== 'approved')
      throw new StakingException(ErrorCode.APPROVAL_NOT_DECIDABLE, undefined, {
        approval_id: resume.approvalId,
        status: approval?.status,
      });
    const operation = await this.operations.get(resume.operationId);
    if (operation.state !== 'pending_approval') return { kind: 'resume', operation };
    const { effect, factsHash } = await this.effects.simulate(plan, request, inFlight);
    if (factsHash === approval.facts_hash) return { kind: 'resume', operation };

    const now = this.clock.now();
    const back = await this.repo.update(
      approval,
      {
        status: 'pending',
        decisions: [],
        effect,
        facts_hash: factsHash,
        expires_at: new Date(now.getTime() + approval.timeout_hours * HOUR_MS),
      },
      { event: 'facts_changed', at: now, previous_effect: approval.effect, facts_hash: factsHash },
    );
    if (!back)
      throw new StakingException(ErrorCode.CONCURRENT_MODIFICATION, undefined, {
        approval_id: approval.id,
      });
    await this.audit.record({
      action: 'approval.facts_changed',
      resource: approval.id,
      params: { operation_id: approval.operation_id },
      result: { status: 'success' },
    });
    // Asked anew on the new facts: approvers hear of it like of a new request.
    await this.events.publish('approval.requested', back);
    return { kind: 'pending', answer: new EarlyAnswer(202, pendingAnswer(back, true)) };
  }

  /** What no approval can make possible is refused at once, not after the approvers' time. */
  private refuseOverRoleMaximum(plan: WritePlan, request: WriteRequest): void {
    const principal = request.ctx.principal;
    if (!principal) return;
    const max = this.policy.roleLimits(principal.role).maxOperationSun;
    if (plan.spending && max !== null && plan.spending.amountSun > max)
      throw new StakingException(ErrorCode.OPERATION_LIMIT_EXCEEDED, undefined, {
        role: principal.role,
        operation: plan.spending.operation,
        amount_trx: sunToTrxString(plan.spending.amountSun),
        max_operation_trx: sunToTrxString(max),
      });
  }
}

/** The approval is for this request only: its route, body and requester. */
function requestHashOf(replay: { route: string; body: unknown }, principalId: string): string {
  return createHash('sha256')
    .update(JSON.stringify([replay.route, replay.body ?? null, principalId]))
    .digest('hex');
}
