import { SpendingLimits } from '@app/auth';
import { SecurityPolicy } from '@app/common';
import { TronGateway, type TxIntent } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { ScreeningService } from '../compliance/screening/screening.service.js';
import type { Operation } from '../operations/operation.types.js';
import type { WritePlan, WriteRequest } from '../operations/write-pipeline.js';
import {
  materialFacts,
  simulateEffect,
  type ApprovalEffect,
  type EffectInput,
  type ReceiverScreening,
} from './approval-effect.js';
import { ApprovalClock } from './approval-clock.js';

/** Reads fresh chain state and the requester's limits, and simulates what the write would do. */
@Injectable()
export class ApprovalEffects {
  constructor(
    private readonly gateway: TronGateway,
    private readonly limits: SpendingLimits,
    private readonly policy: SecurityPolicy,
    private readonly clock: ApprovalClock,
    private readonly screening: ScreeningService,
  ) {}

  async simulate(
    plan: WritePlan,
    request: WriteRequest,
    inFlight: Operation[],
  ): Promise<{ effect: ApprovalEffect; factsHash: string }> {
    // A job's write: no role, no limits (shown as role `system`, unlimited).
    const principal = request.ctx.principal;
    const [account, resources, usedTodaySun, delegation] = await Promise.all([
      this.gateway.getAccount(request.owner),
      this.gateway.getAccountResources(request.owner),
      principal ? this.limits.usedToday(principal) : Promise.resolve(0n),
      this.delegationFacts(plan.intent, inFlight),
    ]);
    const committedSun = inFlight
      .filter((op) => op.kind === 'freeze')
      .reduce((sum, op) => sum + BigInt(op.params.amount_sun ?? '0'), 0n);
    const input: EffectInput = {
      intent: plan.intent,
      account,
      resources,
      spending: plan.spending ?? { amountSun: 0n, operation: plan.intent.kind },
      principal: { role: principal?.role ?? 'system' },
      limits: principal
        ? this.policy.roleLimits(principal.role)
        : { maxOperationSun: null, dailyLimitSun: null },
      usedTodaySun,
      committedSun,
      ...(delegation ? { delegation } : {}),
      now: this.clock.now(),
    };
    return {
      effect: simulateEffect(input),
      factsHash: materialFacts(input, request.ctx.requestHash),
    };
  }

  /**
   * A delegation's receiver screened (an equality lookup on the listed address) and the owner's
   * can-delegate maximum from the node, less the delegations in flight that spend the same stake.
   */
  private async delegationFacts(
    intent: TxIntent,
    inFlight: Operation[],
  ): Promise<{ screening: ReceiverScreening; canDelegateMaxSun: bigint } | undefined> {
    if (intent.kind !== 'delegate') return undefined;
    const [hits, maxSun] = await Promise.all([
      this.screening.screenAddress(intent.receiver),
      this.gateway.getCanDelegatedMaxSize(intent.owner, intent.resource),
    ]);
    const pending = inFlight
      .filter((op) => op.kind === 'delegate' && op.params.resource === intent.resource)
      .reduce((sum, op) => sum + BigInt(op.params.amount_sun ?? '0'), 0n);
    return {
      screening: {
        address: intent.receiver,
        hit: hits.length > 0,
        hits: hits.map((h) => ({ list: h.list, ref: h.ref, label: h.label })),
      },
      canDelegateMaxSun: maxSun - pending,
    };
  }
}
