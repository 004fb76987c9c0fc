import { AuditTrail } from '@app/auth';
import { TronGateway } from '@app/tron';
import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { OPERATION_SETTLED, type OperationSettledEvent } from '../operations/operation-events.js';
import { StakingCache } from './staking-cache.js';
import { StakingRecordsRepository } from './staking-records.repository.js';

const DAY_MS = 86_400_000;

/** Moves staking records with their operations' on-chain outcome. Idempotent: conditional updates. */
@Injectable()
export class StakingSettlementListener {
  private readonly logger = new Logger('StakingSettlement');

  constructor(
    private readonly records: StakingRecordsRepository,
    private readonly gateway: TronGateway,
    private readonly cache: StakingCache,
    private readonly audit: AuditTrail,
  ) {}

  @OnEvent(OPERATION_SETTLED, { async: true, promisify: true, suppressErrors: true })
  async onSettled({ operation: op }: OperationSettledEvent): Promise<void> {
    try {
      const blockTime = new Date(op.block_timestamp ?? Date.now());
      if (op.subject?.type === 'staking' && op.kind === 'freeze') {
        if (op.state === 'confirmed') {
          const record = await this.records.findById(op.subject.id);
          if (!record) return;
          await this.records.update(record.staking_id, ['pending'], {
            status: 'active',
            confirmed_at: blockTime,
            // The holding period runs in chain time from the block that froze the TRX.
            expires_at: new Date(blockTime.getTime() + record.duration_days * DAY_MS),
            block_number: op.block_number,
            transaction_hash: op.txid,
          });
        } else {
          await this.records.update(op.subject.id, ['pending'], {
            status: 'failed',
            error_code: op.error?.code,
            error_message: op.error?.message,
          });
        }
      } else if (op.subject?.type === 'staking' && op.kind === 'unfreeze') {
        if (op.state === 'confirmed') {
          const { unfreezeDelayDays } = await this.gateway.getChainParameters();
          await this.records.update(op.subject.id, ['active', 'expired'], {
            status: 'inactive',
            unstaked_at: blockTime,
            unfreeze_available_at: new Date(blockTime.getTime() + unfreezeDelayDays * DAY_MS),
            unstake_transaction_hash: op.txid,
          });
        } else {
          await this.records.update(
            op.subject.id,
            null,
            { error_code: op.error?.code, error_message: op.error?.message },
            ['unstake_operation_id'],
          );
        }
      } else if (op.kind === 'withdraw_expire_unfreeze' && op.state === 'confirmed') {
        const count = await this.records.markWithdrawn(
          op.owner_address,
          blockTime,
          op.id,
          blockTime,
        );
        this.logger.log(
          { address: op.owner_address, records: count },
          'Matured unfreezes withdrawn',
        );
      }
      await this.cache.invalidate(op.owner_address);
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
    } catch (error) {
      this.logger.error({ err: error, operation_id: op.id }, 'Settlement handling failed');
    }
  }
}
