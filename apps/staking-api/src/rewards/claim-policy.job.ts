import {
  AppConfigService,
  DistributedLock,
  EarlyAnswer,
  LeaderJob,
  SecurityPolicy,
  StakingException,
  sunToTrxString,
} from '@app/common';
import { TronGateway } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { FREEZE_ROUTE, systemWrite } from '../operations/write-context.js';
import type { FreezeRequestDto } from '../staking/dto/staking-write.dto.js';
import { StakingRecordsRepository } from '../staking/staking-records.repository.js';
import { StakingService } from '../staking/staking.service.js';
import { ClaimPoliciesRepository, type ClaimPolicy } from './claim-policies.repository.js';
import { claimAllowed } from './claim-rules.js';
import { RewardClaimsRepository, type RewardClaim } from './reward-claims.repository.js';
import { RewardsService } from './rewards.service.js';

/** Claims are daily at most; five minutes late is nothing next to the 24 h rule. */
export const CLAIM_POLICY_INTERVAL_MS = 300_000;

// Refusals worth retrying next tick (state, database, node); any other S-code ends the step.
const TRANSIENT = /^S[789]/;
// A compounding freeze that fails in its block is tried again this many times in all.
const COMPOUND_ATTEMPTS = 3;

interface TickOutcome {
  policies: number;
  claimed: number;
  compounded: number;
  waiting: number;
  early: number;
  below: number;
  skipped: number;
  failed: number;
  /** Compounding freezes over the approval threshold, parked for approvers (202). */
  awaiting_approval: number;
}

/**
 * For each enabled claim policy: compound the last claim if it is confirmed and asks for it
 * (an ordinary freeze through the staking module, its own operation), else claim once the
 * chain allows it and the reward reaches the threshold. Idempotency keys come from the work
 * itself — `claim:<address>:<latest_withdraw_time>:<last claim>:<refusals>` and
 * `compound:<claim_id>:<attempt>` — so overlapping ticks or replicas reuse one operation, a failed claim
 * is retried with a new one, and a tick with nothing due does nothing.
 */
@Injectable()
export class ClaimPolicyJob extends LeaderJob {
  protected readonly name = 'rewards-claim-policy';
  protected readonly intervalMs = CLAIM_POLICY_INTERVAL_MS;
  protected readonly lockTtlMs = 120_000;
  // Broadcasts on its own: paused during maintenance windows.
  protected override readonly movesFunds = true;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly policies: ClaimPoliciesRepository,
    private readonly claims: RewardClaimsRepository,
    private readonly rewards: RewardsService,
    private readonly staking: StakingService,
    private readonly records: StakingRecordsRepository,
    private readonly gateway: TronGateway,
    private readonly policy: SecurityPolicy,
  ) {
    super(lock, config);
  }

  protected async work(): Promise<Record<string, unknown>> {
    const head = await this.gateway.getLatestBlock();
    const outcome: TickOutcome = {
      policies: 0,
      claimed: 0,
      compounded: 0,
      waiting: 0,
      early: 0,
      below: 0,
      skipped: 0,
      failed: 0,
      awaiting_approval: 0,
    };
    for (const p of await this.policies.enabled(this.policy.rewardsPolicy.jobBatch)) {
      if (!this.leaseHeld) break;
      outcome.policies++;
      try {
        await this.tick(p, head.timestamp, outcome);
      } catch (error) {
        this.logger.warn({ address: p.address, err: (error as Error).message }, 'Claim deferred');
        outcome.failed++;
      }
    }
    return { ...outcome };
  }

  private async tick(p: ClaimPolicy, chainNow: number, outcome: TickOutcome): Promise<void> {
    const last = p.last_claim_id ? await this.claims.findById(p.last_claim_id) : null;
    if (last?.status === 'pending') {
      outcome.waiting++;
      return;
    }
    if (last?.status === 'confirmed' && last.compound_state === 'pending') {
      await this.compound(last, outcome);
      return;
    }
    if (last?.status === 'confirmed' && last.compound_state === 'freezing') {
      if (!(await this.freezeSettled(last))) {
        outcome.waiting++;
        return;
      }
    }
    const account = await this.gateway.getAccount(p.address);
    if (!claimAllowed(account.latestWithdrawTime, chainNow)) {
      outcome.early++;
      return;
    }
    const reward = await this.gateway.getReward(p.address);
    if (reward <= 0n || reward < BigInt(p.min_reward_sun)) {
      outcome.below++;
      return;
    }
    // One key per claim window and attempt: a failed claim (refused at broadcast, or failed in
    // its block) must not name the next attempt, or every later tick would replay the failure.
    const key = [
      'claim',
      p.address,
      account.latestWithdrawTime,
      p.last_claim_id ?? '-',
      p.refused_claims ?? 0,
    ].join(':');
    let answer;
    try {
      answer = await this.rewards.claim(
        { address: p.address, mode: 'custodial' },
        systemWrite(this.name, key),
        { source: 'policy', compoundResource: p.compound_resource },
      );
    } catch (error) {
      // An operation was created and ended (its claim id is in the details): next time, anew.
      if (error instanceof StakingException && (error.details as { claim_id?: string })?.claim_id)
        await this.policies.countRefusedClaim(p.address);
      throw error;
    }
    await this.policies.setLastClaim(p.address, answer.claim_id);
    outcome.claimed++;
  }

  /**
   * Whether the compounding freeze has ended: confirmed → `done`; failed → another attempt
   * (a new operation) next tick, up to COMPOUND_ATTEMPTS, then `skipped`.
   */
  private async freezeSettled(claim: RewardClaim): Promise<boolean> {
    const record = claim.compound_staking_id
      ? await this.records.findById(claim.compound_staking_id)
      : null;
    if (record?.status === 'pending') return false;
    if (record && record.status !== 'failed') {
      await this.claims.moveCompound(claim.claim_id, 'freezing', { compound_state: 'done' });
      return true;
    }
    const attempts = (claim.compound_attempts ?? 0) + 1;
    await this.claims.moveCompound(
      claim.claim_id,
      'freezing',
      attempts < COMPOUND_ATTEMPTS
        ? { compound_state: 'pending', compound_attempts: attempts }
        : {
            compound_state: 'skipped',
            compound_attempts: attempts,
            compound_note: `the freeze failed ${attempts} times (${record?.error_code ?? 'no record'})`,
          },
    );
    return false;
  }

  /** Freezes what the chain withdrew, as the staking module's /freeze does for a caller. */
  private async compound(claim: RewardClaim, outcome: TickOutcome): Promise<void> {
    const amountSun = BigInt(claim.amount_sun ?? 0);
    if (amountSun < this.policy.stakingLimits.minSun) {
      await this.claims.moveCompound(claim.claim_id, 'pending', {
        compound_state: 'skipped',
        compound_note: `claimed ${sunToTrxString(amountSun)} TRX is below the staking minimum`,
      });
      outcome.skipped++;
      return;
    }
    const body = {
      address: claim.address,
      amount: sunToTrxString(amountSun),
      resource: claim.compound_resource!,
    };
    try {
      const frozen = await this.staking.freeze(
        body as FreezeRequestDto,
        // Over high_value_staking's threshold it waits for approvers: the claim stays
        // `pending`, and the same key finds the parked freeze on the next ticks.
        systemWrite(this.name, `compound:${claim.claim_id}:${claim.compound_attempts ?? 0}`, {
          route: FREEZE_ROUTE,
          body,
        }),
      );
      await this.claims.moveCompound(claim.claim_id, 'pending', {
        compound_state: 'freezing',
        compound_staking_id: frozen.staking_id,
        compound_operation_id: frozen.operation_id,
      });
      outcome.compounded++;
    } catch (error) {
      if (error instanceof EarlyAnswer && error.status === 202) {
        outcome.awaiting_approval++;
        return;
      }
      if (!(error instanceof StakingException) || TRANSIENT.test(error.code)) throw error;
      // The chain or a rule refused the freeze: retrying the same request cannot succeed.
      await this.claims.moveCompound(claim.claim_id, 'pending', {
        compound_state: 'skipped',
        compound_note: `${error.code}: ${error.message}`,
      });
      outcome.skipped++;
    }
  }
}
