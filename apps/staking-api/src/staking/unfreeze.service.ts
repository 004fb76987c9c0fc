import { ErrorCode, StakingException, sunToTrxString, trxToSun } from '@app/common';
import { TronGateway } from '@app/tron';
import { Injectable } from '@nestjs/common';
import type { Operation } from '../operations/operation.types.js';
import type { WriteContext } from '../operations/write-context.js';
import { WritePipeline } from '../operations/write-pipeline.js';
import type { UnfreezeResponseDto } from './dto/staking-read.dto.js';
import type { CancelUnfreezeRequestDto, UnfreezeRequestDto } from './dto/staking-write.dto.js';
import { allocateUnfreeze, stakePosition, type UnfreezeAllocation } from './stake-ledger.js';
import { unfreezeAnswer } from './staking-answers.js';
import { StakingCache } from './staking-cache.js';
import { newStakingId, StakingRecordsRepository } from './staking-records.repository.js';
import { StakingRules } from './staking-rules.js';

/**
 * /unfreeze and /cancel-unfreeze. An unfreeze releases only stake no running holding period
 * holds, and every SUN it releases belongs to a record (an existing one whose period is over, or
 * a new "unfreeze" record for stake no record held), so the withdrawal job returns all of it.
 */
@Injectable()
export class UnfreezeService {
  constructor(
    private readonly records: StakingRecordsRepository,
    private readonly pipeline: WritePipeline,
    private readonly gateway: TronGateway,
    private readonly rules: StakingRules,
    private readonly cache: StakingCache,
  ) {}

  async unfreeze(dto: UnfreezeRequestDto, ctx: WriteContext): Promise<UnfreezeResponseDto> {
    const unfreezeRecordId = newStakingId();
    const { operation } = await this.pipeline.submit({
      owner: dto.address,
      mode: dto.mode ?? 'custodial',
      ctx,
      plan: async (inFlight) => {
        const [account, head, live] = await Promise.all([
          this.gateway.getAccount(dto.address),
          this.gateway.getLatestBlock(),
          this.records.liveFor(dto.address),
        ]);
        this.rules.activated(account);
        const position = stakePosition(account, dto.resource, head.timestamp, live, inFlight);
        const amountSun = dto.amount === undefined ? position.freeSun : trxToSun(dto.amount);
        if (amountSun <= 0n) {
          if (position.heldSun > 0n) this.rules.refuseHeld(position, position.heldSun);
          throw new StakingException(
            ErrorCode.UNSTAKE_EXCEEDS_FROZEN,
            'Nothing to unfreeze for this resource.',
            { frozen_trx: sunToTrxString(position.frozenSun) },
          );
        }
        if (amountSun > position.freeSun) this.rules.refuseHeld(position, amountSun);
        this.rules.canUnfreeze(account, dto.resource, amountSun, head.timestamp);
        const allocation = allocateUnfreeze(position, amountSun);
        return {
          intent: { kind: 'unfreeze', owner: dto.address, amountSun, resource: dto.resource },
          subject: {
            type: 'staking',
            id: allocation.unrecordedSun > 0n ? unfreezeRecordId : firstRecordOf(allocation),
          },
          spending: { amountSun, operation: 'unfreeze' },
          counterparties: [dto.address],
          record: (op) => this.claim(op, allocation, unfreezeRecordId, dto, ctx),
        };
      },
    });
    await this.cache.invalidate(dto.address);
    return unfreezeAnswer(operation, await this.records.releasedBy(operation.id));
  }

  /** Claims the allocated records for the operation; a new record carries unrecorded stake. */
  private async claim(
    op: Operation,
    allocation: UnfreezeAllocation,
    unfreezeRecordId: string,
    dto: UnfreezeRequestDto,
    ctx: WriteContext,
  ): Promise<void> {
    const ids = allocation.records.map((r) => r.staking_id);
    if (allocation.partial) {
      const part = await this.records.split(
        allocation.partial.record,
        allocation.partial.takeSun,
        newStakingId(),
      );
      if (!part) throw concurrent(allocation.partial.record.staking_id);
      ids.push(part.staking_id);
    }
    const claimed = await this.records.claimForUnfreeze(ids, op.id);
    if (claimed.length !== ids.length) throw concurrent(ids.find((id) => !claimed.includes(id))!);
    if (allocation.unrecordedSun > 0n) {
      await this.records.insert({
        staking_id: unfreezeRecordId,
        address: dto.address,
        amount_sun: Number(allocation.unrecordedSun),
        duration_days: 0,
        resource: dto.resource,
        status: 'expired',
        operation_type: 'unfreeze',
        operation_id: op.id,
        unstake_operation_id: op.id,
        requested_by: { ...ctx.actor },
        settling: true,
        settling_operation_id: op.id,
      });
    }
  }

  /**
   * cancelallunfreezev2: every pending unfreeze of the address goes back to frozen and every
   * matured one is withdrawn, in one transaction; records follow the chain's report.
   */
  async cancelUnfreeze(
    dto: CancelUnfreezeRequestDto,
    ctx: WriteContext,
  ): Promise<UnfreezeResponseDto> {
    const { operation } = await this.pipeline.submit({
      owner: dto.address,
      mode: dto.mode ?? 'custodial',
      ctx,
      plan: async () => {
        const account = await this.gateway.getAccount(dto.address);
        this.rules.activated(account);
        if (!account.unfreezing.length)
          throw new StakingException(ErrorCode.NOTHING_TO_CANCEL, undefined, {
            address: dto.address,
          });
        return {
          intent: { kind: 'cancel_all_unfreeze', owner: dto.address },
          subject: { type: 'cancel-unfreeze', id: dto.address },
          counterparties: [dto.address],
        };
      },
    });
    await this.cache.invalidate(dto.address);
    return unfreezeAnswer(operation, await this.records.unfrozenFor(dto.address));
  }
}

const firstRecordOf = (a: UnfreezeAllocation) =>
  a.records[0]?.staking_id ?? a.partial?.record.staking_id ?? 'none';

const concurrent = (stakingId: string) =>
  new StakingException(
    ErrorCode.CONCURRENT_MODIFICATION,
    'A staking record changed while the unfreeze was prepared.',
    { staking_id: stakingId },
  );
