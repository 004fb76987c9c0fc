import { AppConfigService, DistributedLock, LeaderJob } from '@app/common';
import { TransactionSigner, TronGateway } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { systemWrite } from '../operations/write-context.js';
import { WritePipeline } from '../operations/write-pipeline.js';
import { StakingCache } from './staking-cache.js';
import { StakingRecordsRepository } from './staking-records.repository.js';

export const HOLDING_EXPIRY_INTERVAL_MS = 60_000;
export const WITHDRAW_INTERVAL_MS = 60_000;
const BATCH = 500;

/** Marks stakes whose holding period has ended (in chain time) as expired, i.e. unstakable. */
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
  ) {
    super(lock, config);
  }

  protected async work(): Promise<Record<string, unknown>> {
    const head = await this.gateway.getLatestBlock();
    const due = await this.records.findHoldingEnded(new Date(head.timestamp), BATCH);
    let expired = 0;
    for (const record of due) {
      if (await this.records.update(record.staking_id, ['active'], { status: 'expired' })) {
        expired++;
        await this.cache.invalidate(record.address);
      }
    }
    return { expired };
  }
}

/**
 * Withdraws matured unfreezes (withdrawexpireunfreeze) for managed accounts. The idempotency key
 * is derived from the matured set, so overlapping ticks or replicas reuse one operation.
 */
@Injectable()
export class UnfreezeWithdrawalJob extends LeaderJob {
  protected readonly name = 'staking-unfreeze-withdrawal';
  protected readonly intervalMs = WITHDRAW_INTERVAL_MS;
  protected readonly lockTtlMs = 120_000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly records: StakingRecordsRepository,
    private readonly gateway: TronGateway,
    private readonly pipeline: WritePipeline,
    private readonly signer: TransactionSigner,
  ) {
    super(lock, config);
  }

  protected async work(): Promise<Record<string, unknown>> {
    const head = await this.gateway.getLatestBlock();
    const matured = await this.records.findMatured(new Date(head.timestamp), BATCH);
    const byAddress = new Map<string, string[]>();
    for (const r of matured)
      byAddress.set(r.address, [...(byAddress.get(r.address) ?? []), r.staking_id]);
    const outcome = { addresses: byAddress.size, withdrawn: 0, skipped: 0, failed: 0 };
    for (const [address, stakingIds] of byAddress) {
      if (!(await this.signer.holdsKeyFor(address))) {
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
            }),
        }));
      } catch (error) {
        this.logger.warn({ address, err: (error as Error).message }, 'Withdrawal deferred');
        outcome.failed++;
        continue;
      }
      if (driven.state === 'failed' && driven.error?.code === 'S213') {
        // Nothing left on chain: a later unfreeze already swept it into the balance.
        await this.records.markWithdrawn(
          address,
          new Date(head.timestamp),
          driven.id,
          new Date(head.timestamp),
        );
        outcome.withdrawn++;
      } else if (driven.state === 'failed') outcome.failed++;
      else outcome.withdrawn++;
    }
    return outcome;
  }
}
