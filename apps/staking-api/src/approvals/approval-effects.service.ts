import { SpendingLimits } from '@app/auth';
import { SecurityPolicy } from '@app/common';
import { TronGateway } from '@app/tron';
import { Injectable } from '@nestjs/common';
import type { Operation } from '../operations/operation.types.js';
import type { WritePlan, WriteRequest } from '../operations/write-pipeline.js';
import {
  materialFacts,
  simulateEffect,
  type ApprovalEffect,
  type EffectInput,
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
  ) {}

  async simulate(
    plan: WritePlan,
    request: WriteRequest,
    inFlight: Operation[],
  ): Promise<{ effect: ApprovalEffect; factsHash: string }> {
    const principal = request.ctx.principal!;
    const [account, resources, usedTodaySun] = await Promise.all([
      this.gateway.getAccount(request.owner),
      this.gateway.getAccountResources(request.owner),
      this.limits.usedToday(principal),
    ]);
    const committedSun = inFlight
      .filter((op) => op.kind === 'freeze')
      .reduce((sum, op) => sum + BigInt(op.params.amount_sun ?? '0'), 0n);
    const input: EffectInput = {
      intent: plan.intent,
      account,
      resources,
      spending: plan.spending ?? { amountSun: 0n, operation: plan.intent.kind },
      principal,
      limits: this.policy.roleLimits(principal.role),
      usedTodaySun,
      committedSun,
      now: this.clock.now(),
    };
    return {
      effect: simulateEffect(input),
      factsHash: materialFacts(input, request.ctx.requestHash),
    };
  }
}
