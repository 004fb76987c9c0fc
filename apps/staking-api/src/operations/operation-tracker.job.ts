import { AppConfigService, DistributedLock, ErrorCode, LeaderJob } from '@app/common';
import { TronGateway, type ChainBlock, type TxInfo } from '@app/tron';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { OperationSettlement } from './operation-settlement.js';
import { OperationsRepository } from './operations.repository.js';
import { OperationsService } from './operations.service.js';
import type { Operation, TrackingLane } from './operation.types.js';

export const OPERATION_TRACKER_INTERVAL_MS = 3_000;
// Per lane and tick. Lanes are read separately, so one lane's backlog never delays another's.
const LANE_BATCH = 500;
// A request that never got built (its process died) is given up after this long.
const STALE_REQUEST_MS = 10 * 60_000;
// A custodial transaction is re-signed only while the node would still take it.
const RESIGN_MARGIN_MS = 5_000;

// Lanes judged from expiration and txid alone: read without the transaction blobs.
const LIGHT_LANES: readonly TrackingLane[] = ['signature', 'build'];

type Counts = Record<
  'confirmed' | 'failed' | 'expired' | 'included' | 'rebroadcast' | 'resigned' | 'pending',
  number
>;

/**
 * Settles operations from the chain, lane by lane (DESIGN.md "Final means solidified"):
 * - chain: the full node's transaction info gives the block as soon as there is one; the
 *   operation is confirmed or failed only once the solidified head has passed that block; it
 *   expires only when the solidified head is past its expiration and the full node does not
 *   know it. Signed ones the node never accepted are re-sent with the same bytes.
 * - sign: custodial transactions whose signing was interrupted are signed and sent while still
 *   valid, else ended with nothing sent.
 * - signature: unsigned transactions waiting for an outside signer expire like the chain lane
 *   (the signer may have broadcast it themselves).
 * - build: requests whose process died before building are ended after a while.
 * Also runs once at start-up as the crash reconciliation pass.
 */
@Injectable()
export class OperationTrackerJob extends LeaderJob implements OnApplicationBootstrap {
  protected readonly name = 'operation-tracker';
  protected readonly intervalMs = OPERATION_TRACKER_INTERVAL_MS;
  // Short lease, renewed while a tick works: a replica that dies delays the others this much.
  protected readonly lockTtlMs = 15_000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly repo: OperationsRepository,
    private readonly operations: OperationsService,
    private readonly settlement: OperationSettlement,
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
    const counts: Counts = {
      confirmed: 0,
      failed: 0,
      expired: 0,
      included: 0,
      rebroadcast: 0,
      resigned: 0,
      pending: 0,
    };
    const lanes: Partial<Record<TrackingLane, Operation[]>> = {};
    for (const lane of ['chain', 'sign', 'signature', 'build'] as const)
      lanes[lane] = await this.repo.findInLane(lane, LANE_BATCH, LIGHT_LANES.includes(lane));
    if (!Object.values(lanes).some((ops) => ops.length)) return counts;
    const [head, solid] = await Promise.all([
      this.gateway.getLatestBlock(),
      this.gateway.getSolidBlock(),
    ]);
    for (const op of lanes.chain!) {
      if (!this.leaseHeld) break;
      await this.trackOnChain(op, head, solid, counts);
    }
    for (const op of lanes.sign!) {
      if (!this.leaseHeld) break;
      await this.resumeSigning(op, head, counts);
    }
    for (const op of lanes.signature!) {
      if (!this.leaseHeld) break;
      await this.trackAwaitingSignature(op, solid, counts);
    }
    for (const op of lanes.build!) {
      if (!this.leaseHeld) break;
      if (now.getTime() - new Date(op.updated_at).getTime() <= STALE_REQUEST_MS) continue;
      const ended = await this.settlement.finish(
        op,
        ['requested'],
        'failed',
        {
          error: {
            code: ErrorCode.BROADCAST_FAILED,
            message: 'interrupted before a transaction was built; nothing was sent',
          },
        },
        'stale request',
      );
      if (ended) counts.failed++;
    }
    return counts;
  }

  private async trackOnChain(
    op: Operation,
    head: ChainBlock,
    solid: ChainBlock,
    counts: Counts,
  ): Promise<void> {
    let current = op;
    if (current.block_number === undefined) {
      const info = await this.gateway.getTransactionInfo(current.txid!);
      if (!info) {
        if (this.expiredForGood(current, solid)) {
          if (await this.expire(current, solid)) counts.expired++;
        } else if (current.state === 'signed') {
          await this.operations.broadcast(current);
          counts.rebroadcast++;
        } else counts.pending++;
        return;
      }
      const included = await this.recordInclusion(current, info);
      if (!included) return;
      current = included;
      counts.included++;
    }
    if (solid.number < current.block_number!) {
      counts.pending++;
      return;
    }
    const final = await this.gateway.getSolidTransactionInfo(current.txid!);
    if (!final) {
      // The solidified chain passed that block without it: the block was replaced. Look again.
      await this.repo.forgetInclusion(current.id);
      counts.pending++;
      return;
    }
    const settled = await this.settleFinal(current, final, head);
    if (settled?.state === 'confirmed') counts.confirmed++;
    else if (settled) counts.failed++;
  }

  /** The full node has it in a block: shown at once; a signed one became broadcast meanwhile. */
  private async recordInclusion(op: Operation, info: TxInfo): Promise<Operation | null> {
    if (op.state === 'signed') {
      return this.repo.transition(
        op,
        ['signed'],
        'broadcast',
        {
          block_number: info.blockNumber,
          block_timestamp: info.blockTimestamp,
          included_at: new Date(),
        },
        `seen in block ${info.blockNumber}`,
      );
    }
    return this.repo.recordInclusion(op.id, op.state, info.blockNumber, info.blockTimestamp);
  }

  private settleFinal(op: Operation, info: TxInfo, head: ChainBlock): Promise<Operation | null> {
    return this.settlement.finish(
      op,
      ['signed', 'broadcast'],
      info.success ? 'confirmed' : 'failed',
      {
        block_number: info.blockNumber,
        block_timestamp: info.blockTimestamp,
        confirmed_at: new Date(),
        fee_sun: info.feeSun.toString(),
        result: {
          withdraw_amount_sun: info.withdrawAmountSun.toString(),
          withdraw_expire_amount_sun: info.withdrawExpireAmountSun.toString(),
          cancelled_unfreeze_sun: {
            ENERGY: info.cancelledUnfreezeSun.ENERGY.toString(),
            BANDWIDTH: info.cancelledUnfreezeSun.BANDWIDTH.toString(),
          },
        },
        ...(info.success
          ? {}
          : {
              error: {
                code: ErrorCode.BROADCAST_FAILED,
                message: info.failureReason ?? 'failed on chain',
              },
            }),
      },
      `solid in block ${info.blockNumber} (head ${head.number})`,
    );
  }

  /** Past expiration by the solidified clock: no block the chain can still adopt may hold it. */
  private expiredForGood(op: Operation, solid: ChainBlock): boolean {
    return op.expiration !== undefined && solid.timestamp > op.expiration;
  }

  private expire(op: Operation, solid: ChainBlock): Promise<Operation | null> {
    return this.settlement.finish(
      op,
      [op.state],
      'expired',
      {
        error: {
          code: ErrorCode.TRANSACTION_EXPIRED,
          message: `expired at ${new Date(op.expiration!).toISOString()}; solidified chain time ${new Date(solid.timestamp).toISOString()}`,
        },
      },
      'expired before reaching a block',
    );
  }

  private async resumeSigning(op: Operation, head: ChainBlock, counts: Counts): Promise<void> {
    if (op.expiration !== undefined && head.timestamp < op.expiration - RESIGN_MARGIN_MS) {
      try {
        const driven = await this.operations.drive(op);
        if (driven.state !== 'built') counts.resigned++;
      } catch {
        counts.pending++;
      }
      return;
    }
    // Never signed (or never persisted as signed), so never broadcast: nothing reached the chain.
    const ended = await this.settlement.finish(
      op,
      ['built'],
      'expired',
      {
        error: {
          code: ErrorCode.SIGNING_FAILED,
          message: 'signing did not complete before the transaction expired; nothing was sent',
        },
      },
      'signing interrupted',
    );
    if (ended) counts.expired++;
  }

  private async trackAwaitingSignature(
    op: Operation,
    solid: ChainBlock,
    counts: Counts,
  ): Promise<void> {
    if (!this.expiredForGood(op, solid)) return;
    const info = await this.gateway.getTransactionInfo(op.txid!);
    if (info) {
      const sent = await this.repo.transition(
        op,
        ['built'],
        'broadcast',
        {
          block_number: info.blockNumber,
          block_timestamp: info.blockTimestamp,
          included_at: new Date(),
        },
        `broadcast by the signer; seen in block ${info.blockNumber}`,
      );
      if (sent) counts.included++;
      return;
    }
    if (await this.expire(op, solid)) counts.expired++;
  }
}
