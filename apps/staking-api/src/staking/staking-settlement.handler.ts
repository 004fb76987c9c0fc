import { TronGateway } from '@app/tron';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { OperationSettlement, type SettlementHandler } from '../operations/operation-settlement.js';
import { isTerminal, type Operation } from '../operations/operation.types.js';
import { StakingCache } from './staking-cache.js';
import { StakingRecordsRepository, type StakingRecord } from './staking-records.repository.js';

const DAY_MS = 86_400_000;
const RECONCILE_BATCH = 200;
const DONE = ['settling', 'settling_operation_id'] as (keyof StakingRecord)[];

/**
 * Moves staking records with their operations' final outcome. Idempotent: every update is
 * conditional on the state it leaves, so a second settlement of the same operation changes
 * nothing. Errors propagate: the operation stays pending settlement and is retried.
 */
@Injectable()
export class StakingSettlementHandler implements SettlementHandler, OnModuleInit {
  private readonly logger = new Logger('StakingSettlement');

  constructor(
    private readonly settlement: OperationSettlement,
    private readonly records: StakingRecordsRepository,
    private readonly gateway: TronGateway,
    private readonly cache: StakingCache,
  ) {}

  onModuleInit(): void {
    for (const type of ['staking', 'withdrawal', 'cancel-unfreeze'])
      this.settlement.register(type, this);
  }

  async settle(op: Operation): Promise<void> {
    const at = new Date(op.block_timestamp ?? Date.now());
    switch (op.kind) {
      case 'freeze':
        await this.settleFreeze(op, at);
        break;
      case 'unfreeze':
        await this.settleUnfreeze(op, at);
        break;
      case 'withdraw_expire_unfreeze':
        if (op.state === 'confirmed') await this.markWithdrawn(op, at);
        break;
      case 'cancel_all_unfreeze':
        if (op.state === 'confirmed') await this.settleCancel(op, at);
        break;
    }
    await this.cache.invalidate(op.owner_address);
  }

  private async settleFreeze(op: Operation, at: Date): Promise<void> {
    const record = await this.records.findById(op.subject!.id);
    if (!record || record.operation_id !== op.id) return;
    if (op.state === 'confirmed') {
      await this.records.update(
        record.staking_id,
        ['pending'],
        {
          status: 'active',
          confirmed_at: at,
          // The holding period runs in chain time from the block that froze the TRX.
          expires_at: new Date(at.getTime() + record.duration_days * DAY_MS),
          block_number: op.block_number,
          transaction_hash: op.txid,
        },
        DONE,
      );
    } else {
      await this.records.update(
        record.staking_id,
        ['pending'],
        { status: 'failed', error_code: op.error?.code, error_message: op.error?.message },
        DONE,
      );
    }
  }

  private async settleUnfreeze(op: Operation, at: Date): Promise<void> {
    const released = await this.records.releasedBy(op.id);
    if (op.state === 'confirmed') {
      const { unfreezeDelayDays } = await this.gateway.getChainParameters();
      for (const r of released) {
        await this.records.update(
          r.staking_id,
          ['active', 'expired'],
          {
            status: 'inactive',
            unstaked_at: at,
            unfreeze_available_at: new Date(at.getTime() + unfreezeDelayDays * DAY_MS),
            unstake_transaction_hash: op.txid,
          },
          DONE,
        );
      }
      // java-tron's unfreeze first withdraws every matured unfreeze into the balance.
      if (BigInt(op.result?.withdraw_expire_amount_sun ?? '0') > 0n)
        await this.markWithdrawn(op, at);
      return;
    }
    for (const r of released) {
      if (r.operation_type === 'unfreeze' && r.operation_id === op.id) {
        // Created for this unfreeze alone: nothing of it happened.
        await this.records.update(
          r.staking_id,
          ['expired'],
          { status: 'failed', error_code: op.error?.code, error_message: op.error?.message },
          [...DONE, 'unstake_operation_id'],
        );
      }
    }
    await this.records.releaseClaims(op.id, {
      error_code: op.error?.code,
      error_message: op.error?.message,
    });
  }

  private async markWithdrawn(op: Operation, at: Date): Promise<void> {
    let count = 0;
    for (const r of await this.records.unfrozenFor(op.owner_address)) {
      if (!r.unfreeze_available_at || new Date(r.unfreeze_available_at) > at) continue;
      const done = await this.records.update(r.staking_id, ['inactive'], {
        status: 'completed',
        withdrawn_at: at,
        withdraw_operation_id: op.id,
      });
      if (done) count++;
    }
    this.logger.log({ address: op.owner_address, records: count }, 'Matured unfreezes withdrawn');
  }

  /**
   * The chain returned pending unfreezes to frozen and withdrew matured ones at block time `at`:
   * records follow by the same rule, and the sums are checked against what the chain reported.
   */
  private async settleCancel(op: Operation, at: Date): Promise<void> {
    const back = { ENERGY: 0n, BANDWIDTH: 0n };
    let withdrawn = 0n;
    for (const r of await this.records.unfrozenFor(op.owner_address)) {
      const matured = r.unfreeze_available_at && new Date(r.unfreeze_available_at) <= at;
      if (matured) {
        const done = await this.records.update(r.staking_id, ['inactive'], {
          status: 'completed',
          withdrawn_at: at,
          withdraw_operation_id: op.id,
        });
        if (done) withdrawn += BigInt(r.amount_sun);
      } else {
        // Frozen again, and its holding period was already over: unstakable at once.
        const done = await this.records.update(
          r.staking_id,
          ['inactive'],
          { status: 'expired', cancel_operation_id: op.id },
          [
            'unstake_operation_id',
            'unstake_transaction_hash',
            'unstaked_at',
            'unfreeze_available_at',
          ],
        );
        if (done) back[r.resource] += BigInt(r.amount_sun);
      }
    }
    const chainBack = op.result?.cancelled_unfreeze_sun;
    const chainWithdrawn = BigInt(op.result?.withdraw_expire_amount_sun ?? '0');
    const matches =
      chainBack !== undefined &&
      BigInt(chainBack.ENERGY) === back.ENERGY &&
      BigInt(chainBack.BANDWIDTH) === back.BANDWIDTH &&
      chainWithdrawn === withdrawn;
    // Unfreezes made outside the service have no record: the chain's numbers are larger then.
    this.logger[matches ? 'log' : 'warn'](
      {
        address: op.owner_address,
        records_refrozen_sun: {
          ENERGY: back.ENERGY.toString(),
          BANDWIDTH: back.BANDWIDTH.toString(),
        },
        records_withdrawn_sun: withdrawn.toString(),
        chain_refrozen_sun: chainBack,
        chain_withdrawn_sun: chainWithdrawn.toString(),
      },
      matches ? 'Unfreezes cancelled' : 'Unfreezes cancelled; the chain moved stake no record held',
    );
  }

  /** Records still waiting on an operation that has ended: settle them again. */
  async reconcile(findOperation: (id: string) => Promise<Operation | null>): Promise<number> {
    let repaired = 0;
    for (const record of await this.records.findSettling(RECONCILE_BATCH)) {
      const op = record.settling_operation_id
        ? await findOperation(record.settling_operation_id)
        : null;
      if (!op || !isTerminal(op.state) || op.settlement_pending) continue;
      await this.settle(op);
      // Whatever the record's state now, nothing more will move it for this operation.
      const after = await this.records.update(record.staking_id, null, {}, DONE);
      if (after) {
        repaired++;
        this.logger.warn(
          { staking_id: record.staking_id, operation_id: op.id, status: after.status },
          'Staking record repaired from its terminal operation',
        );
      }
    }
    return repaired;
  }
}
