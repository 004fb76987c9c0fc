import { AuditTrail, SpendingLimits, type SpendingReservation } from '@app/auth';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { OPERATION_SETTLED, type OperationSettledEvent } from './operation-events.js';
import { OperationsRepository, type OperationRef } from './operations.repository.js';
import type { Operation, OperationState } from './operation.types.js';

/** A business area's part of settlement: how its records follow their operations. */
export interface SettlementHandler {
  /** Applies a terminal operation's outcome to the area's records. Must be idempotent. */
  settle(op: Operation): Promise<void>;
  /**
   * Finds records still waiting on operations that are already terminal and settles them
   * again; returns how many it repaired. Used by the reconciliation job.
   */
  reconcile?(findOperation: (id: string) => Promise<Operation | null>): Promise<number>;
}

/**
 * The one way an operation ends. Every terminal transition goes through `finish`, which marks
 * the settlement pending in the same update; `settle` then moves the domain record (through the
 * handler of the operation's subject type), releases the spending reservation unless the chain
 * consumed it, writes the audit entry and emits the event, and only then clears the flag. A crash
 * or error anywhere leaves the flag set for the reconciliation job; every step is idempotent.
 */
@Injectable()
export class OperationSettlement {
  private readonly logger = new Logger('OperationSettlement');
  private readonly handlers = new Map<string, SettlementHandler>();

  constructor(
    private readonly repo: OperationsRepository,
    private readonly limits: SpendingLimits,
    private readonly audit: AuditTrail,
    private readonly events: EventEmitter2,
  ) {}

  /** Called by each business area at module init, once per subject type it owns. */
  register(subjectType: string, handler: SettlementHandler): void {
    this.handlers.set(subjectType, handler);
  }

  get registeredHandlers(): SettlementHandler[] {
    return [...new Set(this.handlers.values())];
  }

  /**
   * Ends the operation (conditional on its state being one of `from`) and settles it. Returns
   * null when another writer moved it first: that writer settles it.
   */
  async finish(
    op: OperationRef,
    from: readonly OperationState[],
    to: OperationState,
    set: Partial<Operation> = {},
    note?: string,
  ): Promise<Operation | null> {
    const ended = await this.repo.finish(op, from, to, set, note);
    if (!ended) return null;
    try {
      await this.settle(ended);
    } catch (error) {
      // The flag stays set: reconciliation retries. The caller still gets the terminal state.
      this.logger.error({ err: error, operation_id: ended.id }, 'Settlement deferred');
    }
    return ended;
  }

  /** Idempotent: safe to run again for an operation whose settlement is still pending. */
  async settle(op: Operation): Promise<void> {
    const handler = op.subject ? this.handlers.get(op.subject.type) : undefined;
    await handler?.settle(op);
    if (op.reservation && op.state !== 'confirmed') {
      await this.limits.release({
        id: op.reservation.id,
        key: op.reservation.key,
        amountSun: BigInt(op.reservation.amount_sun),
        operation: op.reservation.operation,
        day: op.reservation.day,
        principal: op.reservation.principal as SpendingReservation['principal'],
        remainingSun: null,
      });
    }
    // Before the flag is cleared: a retried settlement may repeat the entry, never lose it.
    await this.audit.record({
      action: `operation.${op.state}`,
      resource: op.id,
      params: {
        kind: op.kind,
        owner: op.owner_address,
        txid: op.txid,
        block_number: op.block_number,
        subject: op.subject,
      },
      result:
        op.state === 'confirmed'
          ? { status: 'success' }
          : { status: 'failure', error_code: op.error?.code },
    });
    if (!(await this.repo.markSettled(op.id))) return;
    const event: OperationSettledEvent = { operation: op };
    await this.events.emitAsync(OPERATION_SETTLED, event);
  }
}
