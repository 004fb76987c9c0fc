import { ErrorCode, StakingException, trxToSun } from '@app/common';
import { TronGateway, type Resource } from '@app/tron';
import { Injectable } from '@nestjs/common';
import type { Operation, SigningMode } from '../operations/operation.types.js';
import type { WriteContext } from '../operations/write-context.js';
import { WritePipeline } from '../operations/write-pipeline.js';
import type { StakingWriteResponseDto } from './dto/staking-read.dto.js';
import type {
  FreezeRequestDto,
  StakeRequestDto,
  UnstakeRequestDto,
} from './dto/staking-write.dto.js';
import { stakePosition } from './stake-ledger.js';
import { isUnsuccessful, recordAnswer, throwFailure } from './staking-answers.js';
import { StakingCache } from './staking-cache.js';
import {
  newStakingId,
  StakingRecordsRepository,
  type StakingRecord,
} from './staking-records.repository.js';
import { StakingRules } from './staking-rules.js';

/** Stake, freeze and unstake: the staking rules; the write pipeline does the rest. */
@Injectable()
export class StakingService {
  constructor(
    private readonly records: StakingRecordsRepository,
    private readonly pipeline: WritePipeline,
    private readonly gateway: TronGateway,
    private readonly rules: StakingRules,
    private readonly cache: StakingCache,
  ) {}

  stake(dto: StakeRequestDto, ctx: WriteContext): Promise<StakingWriteResponseDto> {
    return this.freezeWithRecord(dto, dto.duration, ctx, 'stake');
  }

  freeze(dto: FreezeRequestDto, ctx: WriteContext): Promise<StakingWriteResponseDto> {
    return this.freezeWithRecord(
      dto,
      dto.duration ?? this.rules.defaultDurationDays,
      ctx,
      'freeze',
    );
  }

  private async freezeWithRecord(
    dto: { address: string; amount: number | string; resource: Resource; mode?: SigningMode },
    durationDays: number,
    ctx: WriteContext,
    operationType: 'stake' | 'freeze',
  ): Promise<StakingWriteResponseDto> {
    const amountSun = trxToSun(dto.amount);
    this.rules.stakeAmount(amountSun);
    this.rules.duration(durationDays);
    const stakingId = newStakingId();
    const { operation } = await this.pipeline.submit({
      owner: dto.address,
      mode: dto.mode ?? 'custodial',
      ctx,
      plan: async (inFlight) => {
        const account = await this.gateway.getAccount(dto.address);
        // Freezes the node has not taken yet will spend the balance too.
        const committedSun = inFlight
          .filter((op) => op.kind === 'freeze')
          .reduce((sum, op) => sum + BigInt(op.params.amount_sun ?? '0'), 0n);
        this.rules.balanceCovers(account, amountSun, committedSun);
        return {
          intent: { kind: 'freeze', owner: dto.address, amountSun, resource: dto.resource },
          subject: { type: 'staking', id: stakingId },
          counterparties: [dto.address],
          spending: { amountSun, operation: operationType },
          record: async (op) => {
            await this.records.insert({
              staking_id: stakingId,
              address: dto.address,
              amount_sun: Number(amountSun),
              duration_days: durationDays,
              resource: dto.resource,
              status: 'pending',
              operation_type: operationType,
              operation_id: op.id,
              requested_by: { ...ctx.actor },
              settling: true,
              settling_operation_id: op.id,
            });
          },
        };
      },
    });
    return this.answerFor(operation);
  }

  async unstake(dto: UnstakeRequestDto, ctx: WriteContext): Promise<StakingWriteResponseDto> {
    const known = await this.recordOf(dto.staking_id);
    const { operation } = await this.pipeline.submit({
      owner: known.address,
      mode: dto.mode ?? 'custodial',
      ctx,
      plan: async (inFlight) => {
        const record = await this.recordOf(dto.staking_id);
        this.assertUnstakable(record);
        const [account, head, live] = await Promise.all([
          this.gateway.getAccount(record.address),
          this.gateway.getLatestBlock(),
          this.records.liveFor(record.address),
        ]);
        if (record.expires_at && head.timestamp < new Date(record.expires_at).getTime()) {
          throw new StakingException(ErrorCode.HOLDING_PERIOD_NOT_ENDED, undefined, {
            staking_id: record.staking_id,
            expires_at: new Date(record.expires_at).toISOString(),
            held_until: new Date(record.expires_at).toISOString(),
            chain_time: new Date(head.timestamp).toISOString(),
          });
        }
        const amountSun = BigInt(record.amount_sun);
        this.rules.canUnfreeze(account, record.resource, amountSun, head.timestamp);
        // The record's own TRX must still be free: never another record's held stake.
        const position = stakePosition(account, record.resource, head.timestamp, live, inFlight);
        if (amountSun > position.freeSun) this.rules.refuseHeld(position, amountSun);
        return {
          intent: {
            kind: 'unfreeze',
            owner: record.address,
            amountSun,
            resource: record.resource,
          },
          subject: { type: 'staking', id: record.staking_id },
          counterparties: [record.address],
          spending: { amountSun, operation: 'unstake' },
          record: async (op) => {
            if (!(await this.records.claimForUnstake(record.staking_id, op.id))) {
              throw new StakingException(
                ErrorCode.CONCURRENT_MODIFICATION,
                'The staking record is being unstaked by another request.',
                { staking_id: record.staking_id },
              );
            }
          },
        };
      },
    });
    return this.answerFor(operation);
  }

  private assertUnstakable(record: StakingRecord): void {
    if (
      record.status === 'inactive' ||
      record.status === 'completed' ||
      record.unstake_operation_id
    ) {
      throw new StakingException(ErrorCode.ALREADY_UNSTAKED, undefined, {
        staking_id: record.staking_id,
        status: record.status,
        unstake_operation_id: record.unstake_operation_id,
      });
    }
    if (record.status !== 'active' && record.status !== 'expired') {
      throw new StakingException(ErrorCode.STAKING_NOT_ACTIVE, undefined, {
        staking_id: record.staking_id,
        status: record.status,
      });
    }
  }

  /** The record an operation serves, as it stands after the pipeline drove the operation. */
  private async answerFor(op: Operation): Promise<StakingWriteResponseDto> {
    const stakingId = op.subject!.id;
    if (isUnsuccessful(op)) throwFailure(op, { staking_id: stakingId });
    await this.cache.invalidate(op.owner_address);
    const hash =
      op.txid === undefined
        ? null
        : op.kind === 'freeze'
          ? { transaction_hash: op.txid }
          : { unstake_transaction_hash: op.txid };
    const record = hash
      ? await this.records.update(stakingId, null, hash)
      : await this.records.findById(stakingId);
    if (!record)
      throw new StakingException(ErrorCode.STAKING_NOT_FOUND, undefined, { staking_id: stakingId });
    return recordAnswer(record, op);
  }

  private async recordOf(stakingId: string): Promise<StakingRecord> {
    const record = await this.records.findById(stakingId);
    if (!record)
      throw new StakingException(ErrorCode.STAKING_NOT_FOUND, undefined, { staking_id: stakingId });
    return record;
  }
}
