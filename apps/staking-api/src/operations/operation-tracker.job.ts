import { AppConfigService, DistributedLock, LeaderJob } from '@app/common';
import { TronGateway } from '@app/tron';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { OperationsRepository } from './operations.repository.js';
import { OperationsService } from './operations.service.js';

export const OPERATION_TRACKER_INTERVAL_MS = 3_000;
const BATCH = 200;
// A request that never got built (its process died) is given up after this long.
const STALE_REQUEST_MS = 10 * 60_000;

/**
 * Settles operations from the chain: confirmed/failed from transaction info; signed ones that
 * never reached the node are re-sent with the same bytes; those past their expiration fail.
 * Also runs once at start-up as the crash reconciliation pass.
 */
@Injectable()
export class OperationTrackerJob extends LeaderJob implements OnApplicationBootstrap {
  protected readonly name = 'operation-tracker';
  protected readonly intervalMs = OPERATION_TRACKER_INTERVAL_MS;
  // Short lease: a replica that dies mid-tick delays the others by at most this much.
  protected readonly lockTtlMs = 15_000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly repo: OperationsRepository,
    private readonly operations: OperationsService,
    private readonly gateway: TronGateway,
  ) {
    super(lock, config);
  }

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    // Reconciliation: whatever a crash left in flight is settled now, not at the next tick.
    void this.runOnce().catch(() => undefined);
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const counts = { confirmed: 0, failed: 0, rebroadcast: 0, expired: 0, pending: 0 };
    const inFlight = await this.repo.findInStates(
      ['signed', 'broadcast', 'built', 'requested'],
      BATCH,
    );
    if (!inFlight.length) return counts;
    const head = await this.gateway.getLatestBlock();
    for (const op of inFlight) {
      if (op.state === 'requested') {
        if (now.getTime() - new Date(op.updated_at).getTime() > STALE_REQUEST_MS) {
          await this.repo.transition(op.id, ['requested'], 'failed', {
            error: {
              code: 'S204',
              message: 'interrupted before a transaction was built; nothing was sent',
            },
          });
          counts.failed++;
        }
        continue;
      }
      if (op.state === 'built') {
        if (op.mode === 'unsigned' && op.expiration && head.timestamp >= op.expiration) {
          await this.operations.expire(op, head.timestamp);
          counts.expired++;
        }
        continue;
      }
      const info = await this.gateway.getTransactionInfo(op.txid!);
      if (info) {
        const settled = await this.operations.settle(op, info);
        if (settled?.state === 'confirmed') counts.confirmed++;
        else if (settled) counts.failed++;
        continue;
      }
      if (op.expiration && head.timestamp >= op.expiration) {
        await this.operations.expire(op, head.timestamp);
        counts.expired++;
      } else if (op.state === 'signed') {
        await this.operations.rebroadcast(op);
        counts.rebroadcast++;
      } else {
        counts.pending++;
      }
    }
    return counts;
  }
}
