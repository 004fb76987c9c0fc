import { AppConfigService, DistributedLock, LeaderJob } from '@app/common';
import { Injectable } from '@nestjs/common';
import { OperationSettlement } from './operation-settlement.js';
import { OperationsRepository } from './operations.repository.js';

export const OPERATION_RECONCILIATION_INTERVAL_MS = 60_000;
const BATCH = 200;

/**
 * Repairs what settlement left behind: operations whose settlement is still pending (a crash or
 * an error between the terminal move and the record) are settled again, and each business area
 * re-settles records still waiting on operations that already ended. Reports what it repaired.
 */
@Injectable()
export class OperationReconciliationJob extends LeaderJob {
  protected readonly name = 'operation-reconciliation';
  protected readonly intervalMs = OPERATION_RECONCILIATION_INTERVAL_MS;
  protected readonly lockTtlMs = 30_000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly repo: OperationsRepository,
    private readonly settlement: OperationSettlement,
  ) {
    super(lock, config);
  }

  protected async work(): Promise<Record<string, unknown>> {
    let resettled = 0;
    let errors = 0;
    for (const op of await this.repo.findSettlementPending(BATCH)) {
      if (!this.leaseHeld) break;
      try {
        await this.settlement.settle(op);
        resettled++;
      } catch (error) {
        errors++;
        this.logger.error({ err: error, operation_id: op.id }, 'Settlement retry failed');
      }
    }
    let records = 0;
    for (const handler of this.settlement.registeredHandlers) {
      if (!this.leaseHeld || !handler.reconcile) continue;
      records += await handler.reconcile((id) => this.repo.findById(id));
    }
    return { resettled, records_repaired: records, errors };
  }
}
