import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { OPERATION_SETTLED, type OperationSettledEvent } from '../operations/operation-events.js';
import type { Operation } from '../operations/operation.types.js';
import type { WebhookEventType } from './webhook-events.js';
import { WebhookOutbox } from './webhook-outbox.js';

/** The webhook body of a settled operation: what it was and how it ended, never a transaction. */
export function operationEventData(op: Operation): Record<string, unknown> {
  return {
    operation_id: op.id,
    kind: op.kind,
    state: op.state,
    mode: op.mode,
    owner_address: op.owner_address,
    ...(op.txid ? { txid: op.txid } : {}),
    ...(op.block_number !== undefined ? { block_number: op.block_number } : {}),
    ...(op.subject ? { subject: op.subject } : {}),
    ...(op.error ? { error: { code: op.error.code, message: op.error.message } } : {}),
  };
}

/** Settled operations become operation.<state> events, id "operation.<state>:<operation id>". */
@Injectable()
export class OperationWebhooksListener {
  private readonly logger = new Logger(OperationWebhooksListener.name);

  constructor(private readonly outbox: WebhookOutbox) {}

  @OnEvent(OPERATION_SETTLED, { async: true, promisify: true, suppressErrors: true })
  async onSettled({ operation }: OperationSettledEvent): Promise<void> {
    const type = `operation.${operation.state}` as WebhookEventType;
    try {
      await this.outbox.publish({
        id: `${type}:${operation.id}`,
        type,
        created_at: new Date().toISOString(),
        data: operationEventData(operation),
      });
    } catch (error) {
      // The settlement itself is done; a lost event is logged (the reconciliation is the record).
      this.logger.error({ err: error, operation_id: operation.id }, 'Webhook event not queued');
    }
  }
}
