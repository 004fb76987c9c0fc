import { SpendingLimits, type SpendingReservation } from '@app/auth';
import {
  ErrorCode,
  StakingException,
  sunToTrx,
  trxToSun,
  type StakingErrorCode,
  type Sun,
} from '@app/common';
import { TransactionSigner, TronGateway, type Resource } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Operation } from '../operations/operation.types.js';
import { OperationsService } from '../operations/operations.service.js';
import type { WriteContext } from '../operations/write-context.js';
import type { StakingWriteResponseDto } from './dto/staking-read.dto.js';
import type {
  FreezeRequestDto,
  StakeRequestDto,
  UnfreezeRequestDto,
  UnstakeRequestDto,
} from './dto/staking-write.dto.js';
import { StakingCache } from './staking-cache.js';
import { StakingRecordsRepository, type StakingRecord } from './staking-records.repository.js';
import { StakingRules } from './staking-rules.js';
import { toStakingDto } from './staking-view.js';

export interface UnfreezeResult {
  address: string;
  resource: Resource;
  amount: number;
  operation_id: string;
  operation_state: string;
  transaction_hash?: string;
  message: string;
  transaction?: Record<string, unknown>;
}

const MESSAGES: Record<string, string> = {
  built:
    'Transaction built: sign its txID with the owner key and POST it to /api/v1/operations/{operation_id}/signature.',
  signed:
    'Transaction signed; the node could not be reached, it is re-sent automatically until it expires.',
  broadcast: 'Transaction broadcast; it is confirmed within a few blocks.',
  confirmed: 'Transaction confirmed on chain.',
};

const TWIN_RECORD_WAIT_MS = 5_000;
const isUnsuccessful = (op: Operation) =>
  op.state === 'failed' || op.state === 'cancelled' || op.state === 'expired';

/** An operation that ended without reaching the chain answers with its own S-code. */
function throwFailure(op: Operation, details: Record<string, unknown> = {}): never {
  throw new StakingException(
    (op.error?.code as StakingErrorCode | undefined) ?? ErrorCode.BROADCAST_FAILED,
    op.error?.message,
    { operation_id: op.id, ...details },
  );
}

/** Stake, unstake, freeze and unfreeze: policy and chain checks first, then one operation. */
@Injectable()
export class StakingService {
  constructor(
    private readonly records: StakingRecordsRepository,
    private readonly operations: OperationsService,
    private readonly gateway: TronGateway,
    private readonly signer: TransactionSigner,
    private readonly rules: StakingRules,
    private readonly limits: SpendingLimits,
    private readonly cache: StakingCache,
  ) {}

  stake(dto: StakeRequestDto, ctx: WriteContext): Promise<StakingWriteResponseDto> {
    return this.freezeWithRecord(
      dto.address,
      dto.amount,
      dto.duration,
      dto.resource,
      dto.mode ?? 'custodial',
      ctx,
      'stake',
    );
  }

  freeze(dto: FreezeRequestDto, ctx: WriteContext): Promise<StakingWriteResponseDto> {
    return this.freezeWithRecord(
      dto.address,
      dto.amount,
      dto.duration ?? this.rules.defaultDurationDays,
      dto.resource,
      dto.mode ?? 'custodial',
      ctx,
      'freeze',
    );
  }

  async unstake(dto: UnstakeRequestDto, ctx: WriteContext): Promise<StakingWriteResponseDto> {
    const repeat = await this.operations.findRepeat(ctx.actor, ctx.idempotencyKey, ctx.requestHash);
    if (repeat)
      return this.answer(await this.recordOfTwin(repeat), await this.operations.drive(repeat));

    const record = await this.recordOf(dto.staking_id);
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
    const head = await this.gateway.getLatestBlock();
    if (record.expires_at && head.timestamp < new Date(record.expires_at).getTime()) {
      throw new StakingException(ErrorCode.HOLDING_PERIOD_NOT_ENDED, undefined, {
        staking_id: record.staking_id,
        expires_at: new Date(record.expires_at).toISOString(),
        chain_time: new Date(head.timestamp).toISOString(),
      });
    }
    const mode = dto.mode ?? 'custodial';
    await this.requireKey(record.address, mode);
    const amountSun = BigInt(record.amount_sun);
    this.rules.canUnfreeze(
      await this.gateway.getAccount(record.address),
      record.resource,
      amountSun,
      head.timestamp,
    );

    const reservation = await this.limits.reserve(ctx.principal, amountSun, 'unstake');
    const operationId = randomUUID();
    const claimed = await this.records.claimForUnstake(record.staking_id, operationId);
    if (!claimed) {
      await this.limits.release(reservation);
      throw new StakingException(
        ErrorCode.CONCURRENT_MODIFICATION,
        'The staking record is being unstaked by another request.',
        { staking_id: record.staking_id },
      );
    }
    const { operation } = await this.operations
      .create(
        {
          intent: { kind: 'unfreeze', owner: record.address, amountSun, resource: record.resource },
          mode,
          subject: { type: 'staking', id: record.staking_id },
          actor: ctx.actor,
          idempotencyKey: ctx.idempotencyKey,
          requestHash: ctx.requestHash,
          requestId: ctx.requestId,
        },
        operationId,
      )
      .catch(async (error: unknown) => {
        await this.records.update(record.staking_id, null, {}, ['unstake_operation_id']);
        await this.limits.release(reservation);
        throw error;
      });
    const driven = await this.driveReleasing(operation, reservation, async () => {
      await this.records.update(record.staking_id, null, {}, ['unstake_operation_id']);
    });
    if (driven.txid)
      await this.records.update(record.staking_id, null, { unstake_transaction_hash: driven.txid });
    await this.cache.invalidate(record.address);
    return this.answer(await this.recordOf(record.staking_id), driven);
  }

  /** Unfreezes stake that no running holding period holds (all of it when amount is omitted). */
  async unfreeze(dto: UnfreezeRequestDto, ctx: WriteContext): Promise<UnfreezeResult> {
    const repeat = await this.operations.findRepeat(ctx.actor, ctx.idempotencyKey, ctx.requestHash);
    if (repeat) return this.unfreezeAnswer(await this.operations.drive(repeat));
    const mode = dto.mode ?? 'custodial';
    await this.requireKey(dto.address, mode);
    const [account, head] = await Promise.all([
      this.gateway.getAccount(dto.address),
      this.gateway.getLatestBlock(),
    ]);
    const held = BigInt(
      await this.records.heldSun(dto.address, dto.resource, new Date(head.timestamp)),
    );
    const free = account.frozenSun[dto.resource] - held;
    const amountSun = dto.amount === undefined ? free : trxToSun(dto.amount);
    if (held > 0n && amountSun > free && amountSun <= account.frozenSun[dto.resource]) {
      throw new StakingException(
        ErrorCode.HOLDING_PERIOD_NOT_ENDED,
        'Part of this stake is still in a holding period.',
        { held_trx: sunToTrx(held), unfreezable_trx: sunToTrx(free > 0n ? free : 0n) },
      );
    }
    if (amountSun <= 0n) {
      throw new StakingException(
        ErrorCode.UNSTAKE_EXCEEDS_FROZEN,
        'Nothing to unfreeze for this resource.',
        { frozen_trx: sunToTrx(account.frozenSun[dto.resource]), held_trx: sunToTrx(held) },
      );
    }
    this.rules.canUnfreeze(account, dto.resource, amountSun, head.timestamp);

    const reservation = await this.limits.reserve(ctx.principal, amountSun, 'unfreeze');
    const { operation } = await this.operations
      .create({
        intent: { kind: 'unfreeze', owner: dto.address, amountSun, resource: dto.resource },
        mode,
        subject: { type: 'address', id: dto.address },
        actor: ctx.actor,
        idempotencyKey: ctx.idempotencyKey,
        requestHash: ctx.requestHash,
        requestId: ctx.requestId,
      })
      .catch(async (error: unknown) => {
        await this.limits.release(reservation);
        throw error;
      });
    const driven = await this.driveReleasing(operation, reservation);
    await this.cache.invalidate(dto.address);
    return this.unfreezeAnswer(driven);
  }

  private async freezeWithRecord(
    address: string,
    amount: number | string,
    durationDays: number,
    resource: Resource,
    mode: 'custodial' | 'unsigned',
    ctx: WriteContext,
    operationType: string,
  ): Promise<StakingWriteResponseDto> {
    const repeat = await this.operations.findRepeat(ctx.actor, ctx.idempotencyKey, ctx.requestHash);
    if (repeat)
      return this.answer(await this.recordOfTwin(repeat), await this.operations.drive(repeat));

    const amountSun = trxToSun(amount);
    this.rules.stakeAmount(amountSun);
    this.rules.duration(durationDays);
    await this.requireKey(address, mode);
    this.rules.balanceCovers(await this.gateway.getAccount(address), amountSun);

    const reservation = await this.limits.reserve(ctx.principal, amountSun, operationType);
    const stakingId = randomBytes(16).toString('hex');
    let operation: Operation;
    let created: boolean;
    try {
      ({ operation, created } = await this.operations.create({
        intent: { kind: 'freeze', owner: address, amountSun, resource },
        mode,
        subject: { type: 'staking', id: stakingId },
        actor: ctx.actor,
        idempotencyKey: ctx.idempotencyKey,
        requestHash: ctx.requestHash,
        requestId: ctx.requestId,
      }));
      if (!created) {
        // A concurrent twin with the same key won the race: answer with its record.
        await this.limits.release(reservation);
        return this.answer(
          await this.recordOfTwin(operation),
          await this.operations.drive(operation),
        );
      }
      await this.records.insert({
        staking_id: stakingId,
        address,
        amount_sun: Number(amountSun),
        duration_days: durationDays,
        resource,
        status: 'pending',
        operation_type: operationType,
        operation_id: operation.id,
        requested_by: { ...ctx.actor },
      });
    } catch (error) {
      await this.limits.release(reservation);
      throw error;
    }
    const driven = await this.driveReleasing(operation, reservation, async (op) => {
      await this.records.update(stakingId, ['pending'], {
        status: 'failed',
        error_code: op.error?.code,
        error_message: op.error?.message,
      });
    });
    if (driven.txid) await this.records.update(stakingId, null, { transaction_hash: driven.txid });
    await this.cache.invalidate(address);
    return this.answer(await this.recordOf(stakingId), driven);
  }

  /** Drives the operation; a refusal before the chain accepted anything frees the spending reservation. */
  private async driveReleasing(
    operation: Operation,
    reservation: SpendingReservation,
    onFailed?: (op: Operation) => Promise<void>,
  ): Promise<Operation> {
    let driven: Operation;
    try {
      driven = await this.operations.drive(operation);
    } catch (error) {
      if (error instanceof StakingException && error.code === ErrorCode.TRANSACTION_MISMATCH) {
        await this.limits.release(reservation);
        await onFailed?.({
          ...operation,
          state: 'failed',
          error: { code: error.code, message: error.message },
        });
      }
      throw error;
    }
    if (isUnsuccessful(driven)) {
      await this.limits.release(reservation);
      await onFailed?.(driven);
      throwFailure(driven, { node_code: driven.error?.node_code });
    }
    return driven;
  }

  private async requireKey(address: string, mode: 'custodial' | 'unsigned'): Promise<void> {
    if (mode === 'custodial' && !(await this.signer.holdsKeyFor(address))) {
      throw new StakingException(ErrorCode.ACCOUNT_NOT_MANAGED, undefined, { address });
    }
  }

  /**
   * The record of an operation created by a concurrent twin request: that request inserts it
   * right after the operation, so wait briefly instead of answering 404.
   */
  private async recordOfTwin(op: Operation): Promise<StakingRecord> {
    const deadline = Date.now() + TWIN_RECORD_WAIT_MS;
    for (;;) {
      const record = await this.records.findById(op.subject!.id);
      if (record) return record;
      if (Date.now() > deadline) {
        throw new StakingException(
          ErrorCode.CONCURRENT_MODIFICATION,
          'The first request with this Idempotency-Key is still being recorded.',
          { operation_id: op.id },
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async recordOf(stakingId: string): Promise<StakingRecord> {
    const record = await this.records.findById(stakingId);
    if (!record)
      throw new StakingException(ErrorCode.STAKING_NOT_FOUND, undefined, { staking_id: stakingId });
    return record;
  }

  private answer(record: StakingRecord, op: Operation): StakingWriteResponseDto {
    if (isUnsuccessful(op)) throwFailure(op, { staking_id: record.staking_id });
    return {
      ...toStakingDto(record),
      ...(op.txid
        ? { transaction_hash: record.operation_id === op.id ? op.txid : record.transaction_hash }
        : {}),
      operation_id: record.operation_id,
      ...(record.unstake_operation_id === op.id
        ? { unstake_operation_id: op.id, unstake_transaction_hash: op.txid }
        : {}),
      operation_state: op.state,
      message: MESSAGES[op.state] ?? `Operation ${op.state}.`,
      ...(op.mode === 'unsigned' && op.state === 'built'
        ? { transaction: op.unsigned_tx as unknown as Record<string, unknown> }
        : {}),
    };
  }

  private unfreezeAnswer(op: Operation): UnfreezeResult {
    if (isUnsuccessful(op)) throwFailure(op);
    return {
      address: op.owner_address,
      resource: op.params.resource ?? 'BANDWIDTH',
      amount: sunToTrx(BigInt(op.params.amount_sun ?? '0') as Sun),
      operation_id: op.id,
      operation_state: op.state,
      ...(op.txid ? { transaction_hash: op.txid } : {}),
      message: MESSAGES[op.state] ?? `Operation ${op.state}.`,
      ...(op.mode === 'unsigned' && op.state === 'built'
        ? { transaction: op.unsigned_tx as unknown as Record<string, unknown> }
        : {}),
    };
  }
}
