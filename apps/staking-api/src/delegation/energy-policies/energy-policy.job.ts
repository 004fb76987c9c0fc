import {
  AppConfigService,
  DistributedLock,
  EarlyAnswer,
  ErrorCode,
  InjectRedis,
  LeaderJob,
  SecurityPolicy,
  StakingException,
  sunToTrxString,
  type Sun,
} from '@app/common';
import { TronGateway, type ChainBlock } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Redis } from 'ioredis';
import { MetricsService } from '../../metrics/metrics.service.js';
import { isTerminal, type Operation } from '../../operations/operation.types.js';
import { OperationsRepository } from '../../operations/operations.repository.js';
import { JOB_REPLAY, systemWrite } from '../../operations/write-context.js';
import { StakingCache } from '../../staking/staking-cache.js';
import { DelegationService } from '../delegation.service.js';
import { pairPosition, sunForUnits, totalsFor } from '../resource-math.js';
import { EnergyPoliciesRepository, type EnergyPolicy } from './energy-policies.repository.js';
import { ENERGY_POOL_DRY, type EnergyPoolDryEvent } from './energy-policy-events.js';
import type { EnergyPolicyState } from './energy-policy.schema.js';

export const ENERGY_POLICY_INTERVAL_MS = 30_000;
// Node requests one policy costs: a check reads resources and the pair (+ the pool's
// can-delegate maximum before a top-up); an action adds the pipeline's reads, build, broadcast.
const READS_PER_CHECK = 3;
const REQUESTS_PER_ACTION = 8;
const SUN_PER_TRX = 1_000_000n;
const HOUR_MS = 3_600_000;
const min = (...v: Sun[]) => v.reduce((a, b) => (b < a ? b : a));
const wholeTrxUp = (sun: Sun) => ((sun + SUN_PER_TRX - 1n) / SUN_PER_TRX) * SUN_PER_TRX;

export type PolicyOutcome =
  | 'disabled'
  | 'waiting_operation'
  | 'above_floor'
  | 'topped_up'
  | 'capped'
  | 'pool_dry'
  | 'reclaimed'
  | 'reclaim_waiting_lock'
  | 'dormant'
  | 'failed'
  | 'receiver_not_allowed'
  | 'awaiting_approval'
  | 'lost_race';

interface Tick {
  head: ChainBlock;
  requests: number;
  outcomes: Partial<Record<PolicyOutcome, number>>;
}

/**
 * Applies the energy top-up policies: keeps each receiver's available energy (or bandwidth)
 * above its floor by delegating from the pool up to the target, within the policy's cap and
 * the pool's can-delegate maximum, and reclaims what an idle receiver holds once its lock has
 * ended. Leader-locked; walks the policy buckets from a cursor within the node request budget
 * of the policy file. Each action is an ordinary write-pipeline operation (owner lock, audit,
 * settlement) with an idempotency key derived from the policy's action count, and a policy
 * with an operation in flight waits for it: overlapping ticks and replicas never act twice.
 */
@Injectable()
export class EnergyPolicyJob extends LeaderJob {
  protected readonly name = 'energy-policies';
  protected readonly intervalMs = ENERGY_POLICY_INTERVAL_MS;
  protected readonly lockTtlMs = 60_000;
  private readonly cursorKey: string;
  // Delegates/reclaims, or resumes approved writes, on its own: paused during maintenance windows.
  protected override readonly movesFunds = true;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly policies: EnergyPoliciesRepository,
    private readonly operations: OperationsRepository,
    private readonly gateway: TronGateway,
    private readonly delegations: DelegationService,
    private readonly metrics: MetricsService,
    private readonly policy: SecurityPolicy,
    private readonly cache: StakingCache,
    @InjectRedis() private readonly redis: Redis,
    private readonly events: EventEmitter2,
  ) {
    super(lock, config);
    this.cursorKey = `${config.get('REDIS_KEY_PREFIX')}energy-policies:cursor`;
  }

  protected async work(): Promise<Record<string, unknown>> {
    const { buckets, maxPoliciesPerTick, nodeRequestsPerTick } = this.policy.energyPolicyJob;
    const tick: Tick = { head: await this.gateway.getLatestBlock(), requests: 1, outcomes: {} };
    const start = Number((await this.redis.get(this.cursorKey)) ?? 0) % buckets;
    let served = 0;
    let stoppedAt: number | undefined;
    walk: for (let i = 0; i < buckets; i++) {
      const bucket = (start + i) % buckets;
      // limit(0) would mean no limit at all.
      if (served >= maxPoliciesPerTick) {
        stoppedAt = bucket;
        break;
      }
      for (const p of await this.policies.inBucket(bucket, maxPoliciesPerTick - served)) {
        const full = tick.requests + READS_PER_CHECK + REQUESTS_PER_ACTION > nodeRequestsPerTick;
        if (!this.leaseHeld || full || served >= maxPoliciesPerTick) {
          stoppedAt = bucket;
          break walk;
        }
        served++;
        const outcome = await this.apply(p, tick).catch((error: unknown) => {
          // One policy's failure (a node blink, a refused action) does not end the tick.
          this.logger.warn(
            { policy_id: p.policy_id, err: (error as Error).message },
            'Energy policy check failed',
          );
          return 'failed' as const;
        });
        tick.outcomes[outcome] = (tick.outcomes[outcome] ?? 0) + 1;
      }
    }
    // The next tick starts where the budget ran out; a full walk keeps the cursor.
    if (stoppedAt !== undefined) await this.redis.set(this.cursorKey, String(stoppedAt));
    return { policies: served, node_requests: tick.requests, ...tick.outcomes };
  }

  /** One policy, one decision. Public for tests that drive a single policy. */
  async apply(p: EnergyPolicy, tick: Tick): Promise<PolicyOutcome> {
    if (!p.enabled) return 'disabled';
    const s = p.state;
    const clear: (keyof EnergyPolicyState)[] = [];
    if (s.pending_operation_id) {
      const op = await this.operations.findById(s.pending_operation_id);
      if (op && !isTerminal(op.state)) return 'waiting_operation';
      clear.push('pending_operation_id', 'pending_action');
    }
    const now = tick.head.timestamp;
    const [r, entries] = await Promise.all([
      this.gateway.getAccountResources(p.receiver_address),
      this.gateway.getDelegatedResources(p.pool_address, p.receiver_address),
    ]);
    tick.requests += 2;
    // Usage only decays between uses: a rise means the receiver spent energy or bandwidth.
    const usage = r.energyUsed + r.netUsed + r.freeNetUsed;
    const active = s.last_usage !== undefined && usage > s.last_usage;
    const lastActivity =
      active || !s.last_activity_at ? new Date(now) : new Date(s.last_activity_at);
    const seen: Partial<EnergyPolicyState> = {
      last_usage: usage,
      last_activity_at: lastActivity,
      last_checked_at: new Date(now),
    };
    const save = async (
      outcome: PolicyOutcome,
      more: Partial<EnergyPolicyState> = {},
      unset = clear,
    ) =>
      (await this.policies.saveState(
        p.policy_id,
        s.actions,
        { ...seen, last_outcome: outcome, ...more },
        unset,
      ))
        ? outcome
        : 'lost_race';
    const pair = pairPosition(entries, p.resource, now);

    const idleMs = p.reclaim_idle_hours ? p.reclaim_idle_hours * HOUR_MS : undefined;
    if (idleMs && pair.totalSun > 0n && now - lastActivity.getTime() >= idleMs) {
      // Reclaim respects locks: only what no running lock holds, the rest once it ends.
      if (pair.unlockedSun < SUN_PER_TRX) return save('reclaim_waiting_lock');
      const order = {
        owner: p.pool_address,
        receiver: p.receiver_address,
        amountSun: pair.unlockedSun,
        resource: p.resource,
        mode: 'custodial' as const,
      };
      const op = await this.act(p, 'reclaim', undefined, () =>
        this.delegations.submitUndelegation(
          order,
          systemWrite(this.name, `${p.policy_id}:${s.actions}`, {
            route: JOB_REPLAY.reclaim,
            body: { ...order, amountSun: order.amountSun.toString() },
          }),
        ),
      );
      if (!op) return save('failed');
      tick.requests += REQUESTS_PER_ACTION;
      return this.recordAction(p, op, 'reclaim', { ...seen, dormant: true });
    }
    // After an idle reclaim the policy sleeps until the receiver is seen using resources again.
    if (s.dormant && !active) return save('dormant');

    const available =
      p.resource === 'ENERGY'
        ? Math.max(0, r.energyLimit - r.energyUsed)
        : Math.max(0, r.netLimit - r.netUsed);
    if (available >= p.min_available) return save('above_floor', { dormant: false });
    const room = BigInt(p.max_delegated_sun) - pair.totalSun;
    if (room < SUN_PER_TRX) return save('capped', { dormant: false });
    const { maxSun: policyMaxSun } = this.policy.delegationLimits;
    const want = min(
      wholeTrxUp(sunForUnits(p.target_available - available, totalsFor(r, p.resource))),
      room,
      policyMaxSun,
    );
    const canSun = await this.gateway.getCanDelegatedMaxSize(p.pool_address, p.resource);
    tick.requests++;
    let drySince = s.pool_dry_since;
    if (canSun < want && !drySince) {
      drySince = new Date(now);
      // Once per dry spell: a log line, the metric, and an incident (compliance listens).
      this.logger.warn(
        {
          event: 'energy_pool_dry',
          error_code: 'S605',
          policy_id: p.policy_id,
          pool_address: p.pool_address,
          receiver_address: p.receiver_address,
          resource: p.resource,
          wanted_trx: sunToTrxString(want),
          delegatable_trx: sunToTrxString(canSun),
        },
        'Energy pool cannot cover a top-up',
      );
      this.metrics.observePoolDry(p.resource);
      const dry: EnergyPoolDryEvent = {
        policyId: p.policy_id,
        pool: p.pool_address,
        receiver: p.receiver_address,
        resource: p.resource,
        wantedSun: want.toString(),
        delegatableSun: canSun.toString(),
        since: drySince,
      };
      await this.events.emitAsync(ENERGY_POOL_DRY, dry);
    }
    const amount = min(want, canSun);
    if (amount < SUN_PER_TRX)
      return save('pool_dry', { pool_dry_since: drySince!, dormant: false });
    let refusal: string | undefined;
    const order = {
      owner: p.pool_address,
      receiver: p.receiver_address,
      amountSun: amount,
      resource: p.resource,
      lock: p.lock_period > 0,
      lockPeriod: p.lock_period,
      mode: 'custodial' as const,
      policyId: p.policy_id,
    };
    const op = await this.act(
      p,
      'top_up',
      (code) => (refusal = code),
      () =>
        this.delegations.submitDelegation(
          order,
          // Over large_delegation's threshold it waits for approvers; the same key (the action
          // count moves only when an action is recorded) finds it again on the next ticks.
          systemWrite(this.name, `${p.policy_id}:${s.actions}`, {
            route: JOB_REPLAY.topUp,
            body: { ...order, amountSun: order.amountSun.toString() },
          }),
        ),
    );
    // The pool's allow-list no longer (or not yet) accepts the receiver.
    if (!op)
      return save(
        refusal === ErrorCode.RECEIVER_NOT_ALLOWED || refusal === ErrorCode.RECEIVER_COOLING_OFF
          ? 'receiver_not_allowed'
          : 'failed',
      );
    tick.requests += REQUESTS_PER_ACTION;
    const covered = canSun >= want;
    return this.recordAction(
      p,
      op,
      'top_up',
      { ...seen, dormant: false, ...(covered ? {} : { pool_dry_since: drySince }) },
      covered ? ['pool_dry_since'] : [],
    );
  }

  private async act(
    p: EnergyPolicy,
    action: 'top_up' | 'reclaim',
    refused: ((code: string) => void) | undefined,
    submit: () => Promise<{ operation: Operation }>,
  ): Promise<Operation | undefined> {
    try {
      return (await submit()).operation;
    } catch (error) {
      if (error instanceof StakingException) refused?.(error.code);
      // Over an approval threshold: the operation waits in pending_approval. It is recorded
      // like any action in flight, so the next ticks wait for it instead of asking again.
      if (error instanceof EarlyAnswer && error.status === 202) {
        const parked = await this.operations.findById(String(error.body.operation_id));
        if (parked) return parked;
      }
      this.logger.warn(
        { policy_id: p.policy_id, action, err: (error as Error).message },
        'Energy policy action refused',
      );
      return undefined;
    }
  }

  private async recordAction(
    p: EnergyPolicy,
    op: Operation,
    action: 'top_up' | 'reclaim',
    state: Partial<EnergyPolicyState>,
    unset: (keyof EnergyPolicyState)[] = [],
  ): Promise<PolicyOutcome> {
    const open = !isTerminal(op.state);
    const saved = await this.policies.saveState(
      p.policy_id,
      p.state.actions,
      {
        ...state,
        actions: p.state.actions + 1,
        last_outcome: `${action}:${op.state}`,
        ...(open ? { pending_operation_id: op.id, pending_action: action } : {}),
      },
      open ? unset : [...unset, 'pending_operation_id', 'pending_action'],
    );
    await this.cache.invalidate(p.pool_address);
    await this.cache.invalidate(p.receiver_address);
    if (!saved) return 'lost_race';
    if (op.state === 'pending_approval') return 'awaiting_approval';
    if (op.state === 'failed' || op.state === 'cancelled' || op.state === 'expired')
      return 'failed';
    this.metrics.observePolicyAction(action);
    return action === 'top_up' ? 'topped_up' : 'reclaimed';
  }
}
