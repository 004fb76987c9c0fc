import { Injectable, Logger } from '@nestjs/common';
import type { WebhookEventType } from '../webhooks/webhook-events.js';
import { WebhookOutbox } from '../webhooks/webhook-outbox.js';
import type { Approval } from './approval.types.js';

export type ApprovalEventType = Extract<WebhookEventType, `approval.${string}`>;

/**
 * Approval transitions as webhook events (approval.requested | approved | rejected | expired |
 * executed) into the persisted outbox. The id names the approval and the version the
 * transition produced (`approval.approved:<id>:v<version>`): stable when a replica or a retry
 * publishes it again (queued once), distinct when facts changed and it is asked anew.
 */
@Injectable()
export class ApprovalEvents {
  private readonly logger = new Logger('ApprovalEvents');

  constructor(private readonly outbox: WebhookOutbox) {}

  async publish(type: ApprovalEventType, approval: Approval): Promise<void> {
    try {
      // Sent now (real time), even when the approval's clock is ahead (tests move it).
      await this.outbox.publish({
        id: `${type}:${approval.id}:v${approval.version}`,
        type,
        created_at: new Date().toISOString(),
        data: approvalEventData(approval),
      });
    } catch (error) {
      // The decision itself is recorded (and audited); a lost event is logged, never a refusal.
      this.logger.error(
        { err: error, approval_id: approval.id, type },
        'Approval event not queued',
      );
    }
  }
}

/** What a receiver learns: which write, whose, where it stands; never the request body. */
export function approvalEventData(a: Approval): Record<string, unknown> {
  return {
    approval_id: a.id,
    status: a.status,
    rule: a.rule,
    operation_id: a.operation_id,
    operation_kind: a.operation_kind,
    owner_address: a.owner_address,
    required_approvals: a.required_approvals,
    approvals_received: a.decisions.filter((d) => d.decision === 'approve').length,
    requester: { ...a.requester.principal },
    expires_at: new Date(a.expires_at).toISOString(),
    ...(a.failure ? { failure: a.failure } : {}),
  };
}
