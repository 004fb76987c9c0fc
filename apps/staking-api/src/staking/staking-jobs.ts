import { AppConfigService, DistributedLock, LeaderJob } from '@app/common';
import { TransactionSigner, TronGateway } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { systemWrite } from '../operations/write-context.js';
import { WritePipeline } from '../operations/write-pipeline.js';
import { DueBucketWalker, type WalkLimits } from './due-bucket-walker.js';
import { StakingCache } from './staking-cache.js';
import { StakingRecordsRepository, type StakingRecord } from './staking-records.repository.js';

export const HOLDING_EXPIRY_INTERVAL_MS = 60_000;
export const WITHDRAW_INTERVAL_MS = 60_000;
const LIMITS: WalkLimits = { batch: 500, buckets: 7 * 24, records: 2_000 };
const dateOf = (value?: Date) => (value ? new Date(value) : undefined);

/**
 * Marks stakes whose holding period has ended (in chain time) as expired, i.e. unstakable;
 * finds them in their `holding:<hour>` buckets.
 */
@Injectable()
export class HoldingExpiryJob extends LeaderJob {
  protected readonly name = 'staking-holding-expiry';
  protected readonly intervalMs = HOLDING_EXPIRY_INTERVAL_MS;
  protected readonly lockTtlMs = 60_000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly records: StakingRecordsRepository,
    private readonly gateway: TronGateway,
    private readonly cache: StakingCache,
    private readonly walker: DueBucketWalker,
  ) {
    super(lock, config);
  }

  protected async work(): Promise<Record<string, unknown>> {
    const head = await this.gateway.getLatestBlock();
    let expired = 0;
    const walked = await this.walker.walk(
      {
        kind: 'holding',
        dueAt: (r) => (r.status === 'active' ? dateOf(r.expires_at) : undefined),
        handle: async (due) => {
          for (const record of due) {
            if (await this.records.update(record.staking_id, ['active'], { status: 'expired' })) {
              expired++;
              await this.cache.invalidate(record.address);
            }
          }
        },
      },
      new Date(head.timestamp),
      LIMITS,
    );
    return { expired, buckets: walked.buckets, deferred: walked.deferred };
  }
}

/**
 * Withdraws matured unfreezes (withdrawexpireunfreeze) for managed accounts, found in their
 * `withdraw:<hour>` buckets. The idempotency key is derived from the matured set, so
 * overlapping ticks or replicas reuse one operation. Records of accounts without a key here are
 * parked (`withdraw:manual`): their owner withdraws, and settlement records it.
 */
@Injectable()
export class UnfreezeWithdrawalJob extends LeaderJob {
  protected readonly name = 'staking-unfreeze-withdrawal';
  protected readonly intervalMs = WITHDRAW_INTERVAL_MS;
  protected readonly lockTtlMs = 120_000;
  // Broadcasts on its own: paused during maintenance windows.
  protected override readonly movesFunds = true;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly records: StakingRecordsRepository,
    private readonly gateway: TronGateway,
    private readonly pipeline: WritePipeline,
    private readonly signer: TransactionSigner,
    private readonly walker: DueBucketWalker,
  ) {
    super(lock, config);
  }

  protected async work(): Promise<Record<string, unknown>> {
    const head = await this.gateway.getLatestBlock();
    const outcome = { addresses: 0, withdrawn: 0, skipped: 0, failed: 0, deferred: 0 };
    const walked = await this.walker.walk(
      {
        kind: 'withdraw',
        dueAt: (r) => (r.status === 'inactive' ? dateOf(r.unfreeze_available_at) : undefined),
        handle: (matured) => this.withdraw(matured, head.timestamp, outcome),
      },
      new Date(head.timestamp),
      LIMITS,
    );
    outcome.deferred = walked.deferred;
    return outcome;
  }

  private async withdraw(
    matured: StakingRecord[],
    chainNow: number,
    outcome: { addresses: number; withdrawn: number; skipped: number; failed: number },
  ): Promise<void> {
    const byAddress = new Map<string, string[]>();
    for (const r of matured)
      byAddress.set(r.address, [...(byAddress.get(r.address) ?? []), r.staking_id]);
    outcome.addresses += byAddress.size;
    for (const [address, stakingIds] of byAddress) {
      if (!(await this.signer.holdsKeyFor(address))) {
        for (const id of stakingIds) await this.records.parkForManualWithdrawal(id);
        outcome.skipped++;
        continue;
      }
      const key = `withdraw:${createHash('sha256').update(stakingIds.sort().join(',')).digest('hex').slice(0, 32)}`;
      // Through the write pipeline like any request: under the owner's lock, so an unfreeze or
      // cancel for the same account cannot interleave with it.
      let driven;
      try {
        ({ operation: driven } = await this.pipeline.submit({
          owner: address,
          mode: 'custodial',
          ctx: systemWrite(this.name, key),
          plan: () =>
            Promise.resolve({
              intent: { kind: 'withdraw_expire_unfreeze' as const, owner: address },
              subject: { type: 'withdrawal', id: address },
              counterparties: [address],
            }),
        }));
      } catch (error) {
        this.logger.warn({ address, err: (error as Error).message }, 'Withdrawal deferred');
        outcome.failed++;
        continue;
      }
      if (driven.state === 'failed' && driven.error?.code === 'S213') {
        // Nothing left on chain: a later unfreeze already swept it into the balance.
        const at = new Date(chainNow);
        await this.records.markWithdrawn(address, at, driven.id, at);
        outcome.withdrawn++;
      } else if (driven.state === 'failed') outcome.failed++;
      else outcome.withdrawn++;
    }
  }
}
