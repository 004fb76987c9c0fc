import { TronGateway, type Resource } from '@app/tron';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OperationSettlement, type SettlementHandler } from '../operations/operation-settlement.js';
import type { Operation } from '../operations/operation.types.js';
import { StakingCache } from '../staking/staking-cache.js';
import { BLOCK_MS } from './resource-math.js';
import {
  ResourceDelegationsRepository,
  type ResourceDelegation,
} from './resource-delegations.repository.js';

/**
 * Keeps resource_delegations with their operations: a delegate turns its record active (with
 * the lock's end in chain time) or failed; a confirmed undelegate takes its amount off the
 * pair's records, unlocked ones and the oldest first, as the chain takes it. Idempotent: record
 * moves are conditional and each record remembers the undelegations applied to it.
 */
@Injectable()
export class DelegationSettlementHandler implements SettlementHandler, OnModuleInit {
  constructor(
    private readonly settlement: OperationSettlement,
    private readonly records: ResourceDelegationsRepository,
    private readonly cache: StakingCache,
    private readonly gateway: TronGateway,
  ) {}

  onModuleInit(): void {
    for (const type of ['delegation', 'undelegation', 'activation'])
      this.settlement.register(type, this);
  }

  async settle(op: Operation): Promise<void> {
    const at = new Date(op.block_timestamp ?? Date.now());
    if (op.kind === 'delegate') await this.settleDelegate(op, at);
    if (op.kind === 'undelegate' && op.state === 'confirmed') await this.settleUndelegate(op, at);
    await this.cache.invalidate(op.owner_address);
    if (op.params.receiver) await this.cache.invalidate(op.params.receiver);
  }

  private async settleDelegate(op: Operation, at: Date): Promise<void> {
    const record = await this.records.findById(op.subject!.id);
    if (!record || record.operation_id !== op.id) return;
    if (op.state === 'confirmed') {
      await this.records.settle(record.delegation_id, 'pending', {
        status: 'active',
        confirmed_at: at,
        ...(record.locked ? { expires_at: await this.lockEnd(record, at) } : {}),
        transaction_hash: op.txid,
        block_number: op.block_number,
      });
    } else {
      await this.records.settle(record.delegation_id, 'pending', {
        status: 'failed',
        error_code: op.error?.code,
        error_message: op.error?.message,
      });
    }
  }

  /**
   * The lock's end as the chain holds it (it counts from the block before the one that holds the
   * transaction, and a new lock moves the pair's end); computed from the block when unreadable.
   */
  private async lockEnd(record: ResourceDelegation, at: Date): Promise<Date> {
    const fallback = new Date(at.getTime() + record.lock_period_blocks * BLOCK_MS);
    try {
      const entries = await this.gateway.getDelegatedResources(
        record.from_address,
        record.to_address,
      );
      const end = Math.max(0, ...entries.map((e) => e.expireAt[record.resource]));
      return end > 0 ? new Date(end) : fallback;
    } catch {
      return fallback;
    }
  }

  private async settleUndelegate(op: Operation, at: Date): Promise<void> {
    const records = await this.records.ofPair(
      op.owner_address,
      op.params.receiver!,
      (op.params.resource ?? 'BANDWIDTH') as Resource,
    );
    const applied = records.reduce(
      (s, r) =>
        s + r.undelegations.filter((u) => u.operation_id === op.id).reduce((a, u) => a + u.sun, 0),
      0,
    );
    let left = Number(op.params.amount_sun ?? '0') - applied;
    const unlockedFirst = (r: ResourceDelegation) =>
      !r.locked || (r.expires_at !== undefined && new Date(r.expires_at) < at) ? 0 : 1;
    const candidates = records
      .filter((r) => r.status === 'active' && r.remaining_sun > 0)
      .filter((r) => !r.undelegations.some((u) => u.operation_id === op.id))
      .sort((a, b) => unlockedFirst(a) - unlockedFirst(b));
    for (const r of candidates) {
      if (left <= 0) break;
      const take = Math.min(left, r.remaining_sun);
      if (
        await this.records.applyUndelegation(r.delegation_id, op.id, take, r.remaining_sun - take)
      )
        left -= take;
    }
    // Whatever is left was delegated outside the service: the chain view shows it.
  }
}
