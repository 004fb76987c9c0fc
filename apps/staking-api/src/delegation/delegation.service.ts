import { ErrorCode, StakingException, sunToTrx, trxToSun } from '@app/common';
import { TronGateway, type Resource } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { WriteGates } from '../operations/approval-gate.js';
import type { Operation, SigningMode } from '../operations/operation.types.js';
import type { WriteContext } from '../operations/write-context.js';
import { WritePipeline, type WritePlan } from '../operations/write-pipeline.js';
import { isUnsuccessful, throwFailure } from '../staking/staking-answers.js';
import { StakingCache } from '../staking/staking-cache.js';
import type { DelegationWriteResponseDto } from './dto/delegation-read.dto.js';
import type { DelegateRequestDto, UndelegateRequestDto } from './dto/delegation-write.dto.js';
import { DelegationRules, type Parties } from './delegation-rules.js';
import { pairPosition, totalsFor, unitsForSun } from './resource-math.js';
import {
  newDelegationId,
  ResourceDelegationsRepository,
} from './resource-delegations.repository.js';

const MESSAGES: Record<string, string> = {
  built:
    'Transaction built: sign its txID with the owner key and POST it to /api/v1/operations/{operation_id}/signature.',
  signed: 'Transaction signed; the node could not be reached, it is re-sent automatically.',
  broadcast: 'Transaction broadcast; final once the solidified chain passes its block.',
  confirmed: 'Transaction confirmed on the solidified chain.',
};

/** What a delegation write asks for, from a request or from an energy top-up policy. */
export interface DelegationOrder extends Parties {
  amountSun: bigint;
  resource: Resource;
  lock: boolean;
  lockPeriod: number;
  mode: SigningMode;
  policyId?: string;
}

const sumOf = (ops: Operation[], pick: (op: Operation) => boolean) =>
  ops.filter(pick).reduce((s, op) => s + BigInt(op.params.amount_sun ?? '0'), 0n);

/** /delegate and /undelegate: java-tron's rules checked first; the write pipeline does the rest. */
@Injectable()
export class DelegationService {
  constructor(
    private readonly pipeline: WritePipeline,
    private readonly gateway: TronGateway,
    private readonly rules: DelegationRules,
    private readonly records: ResourceDelegationsRepository,
    private readonly cache: StakingCache,
    private readonly gates: WriteGates,
  ) {}

  async delegate(dto: DelegateRequestDto, ctx: WriteContext): Promise<DelegationWriteResponseDto> {
    const parties = this.rules.parties(dto);
    const amountSun = trxToSun(dto.amount);
    this.rules.amount(amountSun);
    if (dto.lock === false && (dto.lock_period ?? 0) > 0)
      throw new StakingException(
        ErrorCode.INVALID_LOCK_PERIOD,
        'lock_period needs lock: true (or leave lock out).',
      );
    const mode = dto.mode ?? 'custodial';
    let activation: Operation | undefined;
    if (dto.activate_receiver) activation = await this.activate(parties, mode, ctx);
    const order: DelegationOrder = {
      ...parties,
      amountSun,
      resource: dto.resource,
      lock: dto.lock ?? dto.lock_period !== undefined,
      lockPeriod: dto.lock_period ?? 0,
      mode,
    };
    const { operation, delegationId } = await this.submitDelegation(order, ctx);
    return this.answer(operation, delegationId, parties, activation);
  }

  /**
   * The delegate write itself, shared with the energy top-up job. Returns the operation as the
   * pipeline left it and the id of its record.
   */
  async submitDelegation(
    order: DelegationOrder,
    ctx: WriteContext,
  ): Promise<{ operation: Operation; delegationId: string; repeated: boolean }> {
    const delegationId = newDelegationId();
    const { operation, repeated } = await this.pipeline.submit({
      owner: order.owner,
      mode: order.mode,
      ctx,
      plan: (inFlight) => this.planDelegation(order, delegationId, inFlight, ctx),
    });
    return { operation, delegationId: operation.subject?.id ?? delegationId, repeated };
  }

  private async planDelegation(
    order: DelegationOrder,
    delegationId: string,
    inFlight: Operation[],
    ctx: WriteContext,
  ): Promise<WritePlan> {
    // The owner's destination allow-list (approvals module), under the owner lock: an entry
    // removed a moment ago is seen. Undelegation is never checked: it returns resources.
    await this.gates.receivers?.assertAllowed(order.owner, order.receiver);
    const [receiver, maxSun, params, existing, head] = await Promise.all([
      this.gateway.getAccount(order.receiver),
      this.gateway.getCanDelegatedMaxSize(order.owner, order.resource),
      this.gateway.getChainParameters(),
      this.gateway.getDelegatedResources(order.owner, order.receiver),
      this.gateway.getLatestBlock(),
    ]);
    this.rules.receiverActivated(receiver);
    // Delegations the node has not taken yet spend the same stake.
    const pending = sumOf(
      inFlight,
      (op) => op.kind === 'delegate' && op.params.resource === order.resource,
    );
    this.rules.withinDelegatable(order.amountSun, maxSun - pending, order.resource);
    const lockBlocks = this.rules.lockPeriod(
      order.lock,
      order.lockPeriod,
      params.maxDelegateLockPeriodBlocks,
      existing,
      order.resource,
      head.timestamp,
    );
    // Compliance screens the receiver (a counterparty of the intent) and the approval gate
    // matches approval_workflows.large_delegation on `spending`, both in the pipeline.
    return {
      intent: {
        kind: 'delegate',
        owner: order.owner,
        receiver: order.receiver,
        amountSun: order.amountSun,
        resource: order.resource,
        lock: order.lock,
        lockPeriodBlocks: lockBlocks,
      },
      subject: { type: 'delegation', id: delegationId },
      spending: { amountSun: order.amountSun, operation: 'delegate' },
      record: async (op) => {
        await this.records.insert({
          delegation_id: delegationId,
          from_address: order.owner,
          to_address: order.receiver,
          resource: order.resource,
          amount_sun: Number(order.amountSun),
          locked: order.lock,
          lock_period_blocks: lockBlocks,
          status: 'pending',
          operation_id: op.id,
          ...(order.policyId ? { policy_id: order.policyId } : {}),
          requested_by: { ...ctx.actor },
        });
      },
    };
  }

  /** AccountCreateContract from the owner, as its own operation, when the receiver is new. */
  private async activate(
    parties: Parties,
    mode: SigningMode,
    ctx: WriteContext,
  ): Promise<Operation | undefined> {
    if ((await this.gateway.getAccount(parties.receiver)).exists) return undefined;
    if (mode !== 'custodial')
      throw new StakingException(
        ErrorCode.RECEIVER_NOT_ACTIVATED,
        'activate_receiver works in custodial mode only: activate the receiver first.',
        { receiver_address: parties.receiver },
      );
    const { operation } = await this.pipeline.submit({
      owner: parties.owner,
      mode,
      ctx: {
        ...ctx,
        idempotencyKey: ctx.idempotencyKey && `${ctx.idempotencyKey}:activate`,
        requestHash: `${ctx.requestHash}:activate`,
      },
      plan: () =>
        Promise.resolve({
          intent: { kind: 'activate' as const, owner: parties.owner, account: parties.receiver },
          subject: { type: 'activation', id: parties.receiver },
        }),
    });
    if (isUnsuccessful(operation)) throwFailure(operation, { receiver_address: parties.receiver });
    return operation;
  }

  async undelegate(
    dto: UndelegateRequestDto,
    ctx: WriteContext,
  ): Promise<DelegationWriteResponseDto> {
    const parties = this.rules.parties(dto);
    const amountSun = trxToSun(dto.amount);
    const { operation } = await this.submitUndelegation(
      { ...parties, amountSun, resource: dto.resource, mode: dto.mode ?? 'custodial' },
      ctx,
    );
    return this.answer(operation, operation.id, parties);
  }

  async submitUndelegation(
    order: Parties & { amountSun: bigint; resource: Resource; mode: SigningMode },
    ctx: WriteContext,
  ): Promise<{ operation: Operation; repeated: boolean }> {
    return this.pipeline.submit({
      owner: order.owner,
      mode: order.mode,
      ctx,
      plan: async (inFlight) => {
        const [entries, head] = await Promise.all([
          this.gateway.getDelegatedResources(order.owner, order.receiver),
          this.gateway.getLatestBlock(),
        ]);
        const position = pairPosition(entries, order.resource, head.timestamp);
        const pending = sumOf(
          inFlight,
          (op) =>
            op.kind === 'undelegate' &&
            op.params.receiver === order.receiver &&
            op.params.resource === order.resource,
        );
        position.totalSun -= pending;
        position.unlockedSun -= pending;
        this.rules.undelegatable(position, order.amountSun, order);
        return {
          intent: {
            kind: 'undelegate',
            owner: order.owner,
            receiver: order.receiver,
            amountSun: order.amountSun,
            resource: order.resource,
          },
          subject: {
            type: 'undelegation',
            id: `${order.owner}:${order.receiver}:${order.resource}`,
          },
        };
      },
    });
  }

  private async answer(
    op: Operation,
    delegationId: string,
    parties: Parties,
    activation?: Operation,
  ): Promise<DelegationWriteResponseDto> {
    if (isUnsuccessful(op)) throwFailure(op, { delegation_id: delegationId });
    await Promise.all([
      this.cache.invalidate(parties.owner),
      this.cache.invalidate(parties.receiver),
    ]);
    const record = op.kind === 'delegate' ? await this.records.findById(delegationId) : null;
    const amountSun = BigInt(op.params.amount_sun ?? '0');
    const resource = (op.params.resource ?? 'BANDWIDTH') as Resource;
    const units = await this.gateway
      .getAccountResources(parties.owner)
      .then((r) => unitsForSun(amountSun, totalsFor(r, resource)))
      .catch(() => undefined);
    return {
      delegation_id: delegationId,
      address: parties.owner,
      receiver_address: parties.receiver,
      amount: sunToTrx(amountSun),
      resource,
      status: record?.status ?? (op.state === 'confirmed' ? 'active' : 'pending'),
      lock: op.params.lock ?? false,
      lock_period: op.params.lock_period_blocks ?? 0,
      ...(units === undefined ? {} : { resource_units: units }),
      operation_id: op.id,
      operation_state: op.state,
      message: MESSAGES[op.state] ?? `Operation ${op.state}.`,
      ...(op.txid ? { txid: op.txid } : {}),
      ...(activation ? { activation_operation_id: activation.id } : {}),
      ...(op.mode === 'unsigned' && op.state === 'built'
        ? { transaction: op.unsigned_tx as unknown as Record<string, unknown> }
        : {}),
      timestamp: new Date().toISOString(),
    };
  }
}
