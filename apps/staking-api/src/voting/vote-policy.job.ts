import { AppConfigService, DistributedLock, EarlyAnswer, LeaderJob } from '@app/common';
import { TronGateway, type ChainAccount } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { OperationsRepository } from '../operations/operations.repository.js';
import { JOB_REPLAY, systemWrite } from '../operations/write-context.js';
import {
  sameVotes,
  splitEvenly,
  totalVotes,
  tronPowerVotes,
  type VoteEntry,
} from './vote-rules.js';
import { VoteObserver } from './vote-observer.js';
import { VotingQueriesService } from './voting-queries.service.js';
import { VotingService } from './voting.service.js';
import { VotingRepository, type VotePolicy } from './voting.repository.js';

/**
 * Far shorter than the 6-hour maintenance interval, so a change of TRON power (freeze, unfreeze
 * scale-down, cancelled unfreeze) is re-voted before the next tally counts the votes.
 */
export const VOTE_POLICY_INTERVAL_MS = 5 * 60_000;
const POLICIES_PER_TICK = 500;

type Outcome = {
  policies: number;
  revoted: number;
  unchanged: number;
  skipped: number;
  failed: number;
  /** Re-votes moving votes over the approval threshold: parked for approvers (202). */
  awaiting_approval: number;
};

/**
 * Keeps 100 % of each policy account's TRON power voted. Each re-vote is an ordinary write
 * (pipeline, owner lock, audit, settlement); its Idempotency-Key is derived from the maintenance
 * cycle and the change, so overlapping ticks or replicas reuse one operation, and a tick that
 * finds the votes already on target does nothing.
 */
@Injectable()
export class VotePolicyJob extends LeaderJob {
  protected readonly name = 'vote-policy';
  protected readonly intervalMs = VOTE_POLICY_INTERVAL_MS;
  protected readonly lockTtlMs = 120_000;
  // Broadcasts on its own: paused during maintenance windows.
  protected override readonly movesFunds = true;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly repo: VotingRepository,
    private readonly gateway: TronGateway,
    private readonly voting: VotingService,
    private readonly queries: VotingQueriesService,
    private readonly operations: OperationsRepository,
    private readonly observer: VoteObserver,
  ) {
    super(lock, config);
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const policies = await this.repo.enabledPolicies(POLICIES_PER_TICK);
    const outcome: Outcome = {
      policies: policies.length,
      revoted: 0,
      unchanged: 0,
      skipped: 0,
      failed: 0,
      awaiting_approval: 0,
    };
    if (!policies.length) return outcome;
    const nextMaintenance = await this.gateway.getNextMaintenanceTime();
    let aprRanking: string[] | undefined;
    // The cached list (as GET /witnesses?sort=apr shows it): brokerages are one node call each.
    const ranking = async () =>
      (aprRanking ??= (
        await this.queries.witnesses({ limit: Number.MAX_SAFE_INTEGER, sort: 'apr' })
      ).witnesses.map((w) => w.address));
    for (const policy of policies) {
      try {
        await this.keepVoted(policy, nextMaintenance, ranking, outcome);
      } catch (error) {
        // Waiting for approvers: its operation is open, so the next ticks skip the account.
        if (error instanceof EarlyAnswer && error.status === 202) outcome.awaiting_approval++;
        else {
          outcome.failed++;
          this.logger.warn(
            { address: policy.address, err: (error as Error).message },
            'Re-vote deferred',
          );
        }
      }
      await this.repo.markPolicyRun(policy.address, now);
    }
    return { ...outcome, next_maintenance_at: new Date(nextMaintenance).toISOString() };
  }

  private async keepVoted(
    policy: VotePolicy,
    nextMaintenance: number,
    ranking: () => Promise<string[]>,
    outcome: Outcome,
  ): Promise<void> {
    // Anything of the owner still open may change its power or votes: look again next tick.
    if ((await this.operations.findOpenFor(policy.address)).length) {
      outcome.skipped++;
      return;
    }
    const account = await this.gateway.getAccount(policy.address);
    await this.observer.observe(policy.address, account.votes);
    const target = await this.targetOf(policy, account, ranking);
    if (!target.length || sameVotes(account.votes, target)) {
      outcome.unchanged++;
      return;
    }
    const change = createHash('sha256')
      .update(JSON.stringify([account.votes, target]))
      .digest('hex')
      .slice(0, 32);
    const { operation } = await this.voting.submit({
      owner: policy.address,
      mode: 'custodial',
      ctx: systemWrite(this.name, `vote-policy:${policy.address}:${nextMaintenance}:${change}`, {
        route: JOB_REPLAY.votePolicy,
        body: { address: policy.address, votes: target },
      }),
      subject: 'vote-policy',
      // Recomputed under the owner lock from the state the pipeline read.
      votesFrom: (_current, power) => scaleTarget(target, power),
    });
    await this.repo.markPolicyRun(policy.address, new Date(), operation.id);
    if (operation.state === 'failed') outcome.failed++;
    else outcome.revoted++;
  }

  /** The vote set the policy wants for the account's whole TRON power. */
  private async targetOf(
    policy: VotePolicy,
    account: ChainAccount,
    ranking: () => Promise<string[]>,
  ): Promise<VoteEntry[]> {
    const power = tronPowerVotes(account);
    if (power <= 0) return [];
    if (policy.strategy === 'fixed') return splitEvenly(power, policy.witnesses);
    const allowed = new Set(policy.allowed);
    // Fully voted for allowed witnesses already: no churn when APRs shift by a little.
    if (totalVotes(account.votes) === power && account.votes.every((v) => allowed.has(v.witness)))
      return account.votes;
    const best = (await ranking()).find((w) => allowed.has(w));
    return best ? [{ witness: best, count: power }] : [];
  }
}

/** The target as computed, unless the power under the lock is smaller: then split what there is. */
function scaleTarget(target: VoteEntry[], power: number): VoteEntry[] {
  if (totalVotes(target) <= power) return target;
  return splitEvenly(
    power,
    target.map((v) => v.witness),
  );
}
