import { AppConfigService, DistributedLock, LeaderJob, SecurityPolicy } from '@app/common';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { MetricsService } from '../metrics/metrics.service.js';
import type { Operation } from '../operations/operation.types.js';
import { OperationsRepository } from '../operations/operations.repository.js';
import { operationEventData } from '../webhooks/operation-webhooks.listener.js';
import { WebhookOutbox } from '../webhooks/webhook-outbox.js';

/**
 * App event for each stuck operation found (every tick while it stays stuck). The incident
 * model (compliance issue) listens to it to open an incident; webhooks get operation.stuck once.
 */
export const OPERATION_STUCK = 'operation.stuck';
export interface OperationStuckEvent {
  operation: Operation;
  broadcast_at: Date;
  stuck_seconds: number;
}

/** When the operation was broadcast: its last `broadcast` history entry, else its creation. */
function broadcastAt(op: Operation): Date {
  const entry = [...(op.history ?? [])].reverse().find((h) => h.state === 'broadcast');
  return new Date(entry?.at ?? op.created_at);
}

/**
 * Finds operations broadcast but not confirmed past the policy's stuck_operations.after_minutes,
 * in the tracker's chain lane (equality on `tracking`, bounded batch).
 */
@Injectable()
export class StuckOperationsJob extends LeaderJob {
  protected readonly name = 'stuck-operations';
  protected readonly intervalMs = 60_000;
  protected readonly lockTtlMs = 60_000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly operations: OperationsRepository,
    private readonly outbox: WebhookOutbox,
    private readonly events: EventEmitter2,
    private readonly metrics: MetricsService,
    private readonly policy: SecurityPolicy,
  ) {
    super(lock, config);
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const { after_minutes, job_batch } = this.policy.operationsPolicy.stuck_operations;
    const lane = await this.operations.findInLane('chain', job_batch);
    let stuck = 0;
    let queued = 0;
    for (const op of lane) {
      if (op.state !== 'broadcast') continue;
      const at = broadcastAt(op);
      const seconds = Math.floor((now.getTime() - at.getTime()) / 1000);
      if (seconds < after_minutes * 60) continue;
      stuck++;
      this.logger.warn(
        { operation_id: op.id, kind: op.kind, txid: op.txid, stuck_seconds: seconds },
        'Operation broadcast but not confirmed',
      );
      const event: OperationStuckEvent = {
        operation: op,
        broadcast_at: at,
        stuck_seconds: seconds,
      };
      await this.events.emitAsync(OPERATION_STUCK, event);
      // One webhook event per operation: the outbox keeps the first of this id.
      queued += await this.outbox.publish(
        {
          id: `operation.stuck:${op.id}`,
          type: 'operation.stuck',
          created_at: now.toISOString(),
          data: {
            ...operationEventData(op),
            broadcast_at: at.toISOString(),
            stuck_seconds: seconds,
          },
        },
        now,
      );
    }
    this.metrics.setStuckOperations(stuck);
    return { checked: lane.length, stuck, queued };
  }
}
