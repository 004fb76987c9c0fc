import { SecurityPolicy } from '@app/common';
import { TronGateway } from '@app/tron';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { OperationSettlement, type SettlementHandler } from '../operations/operation-settlement.js';
import { isTerminal, type Operation } from '../operations/operation.types.js';
import { StakingCache } from '../staking/staking-cache.js';
import { StakingRecordsRepository } from '../staking/staking-records.repository.js';
import { attributeClaim } from './claim-rules.js';
import { RewardClaimsRepository, type RewardClaim } from './reward-claims.repository.js';
import { RewardSummariesRepository } from './reward-summaries.repository.js';
import { REWARD_CLAIM_SUBJECT } from './rewards.service.js';

const RECONCILE_BATCH = 200;
// Records whose TRX is frozen on chain and confirmed: they hold the TRON power that voted.
const EARNING = ['active', 'expired'];

/**
 * A claim follows its operation: confirmed → the amount the chain really withdrew
 * (withdraw_amount) is attributed pro rata to the account's frozen records (claim-rules.ts),
 * added to each record's rewards_earned (and through the bookkeeping to the counters behind
 * /stats' total_rewards_earned) and to the address's staking_rewards totals and history;
 * anything else → failed. Every step is once-only, so a repeated settlement changes nothing;
 * the claim keeps `settling` until all steps are done and reconciliation repeats the rest.
 */
@Injectable()
export class RewardsSettlementHandler implements SettlementHandler, OnModuleInit {
  private readonly logger = new Logger('RewardsSettlement');

  constructor(
    private readonly settlement: OperationSettlement,
    private readonly claims: RewardClaimsRepository,
    private readonly summaries: RewardSummariesRepository,
    private readonly records: StakingRecordsRepository,
    private readonly gateway: TronGateway,
    private readonly cache: StakingCache,
    private readonly policy: SecurityPolicy,
  ) {}

  onModuleInit(): void {
    this.settlement.register(REWARD_CLAIM_SUBJECT, this);
  }

  async settle(op: Operation): Promise<void> {
    const claim = op.subject ? await this.claims.findById(op.subject.id) : null;
    if (!claim || claim.operation_id !== op.id) return;
    if (op.state === 'confirmed') await this.confirm(claim, op);
    else
      await this.claims.update(
        claim.claim_id,
        'pending',
        { status: 'failed', error_code: op.error?.code, error_message: op.error?.message },
        ['settling'],
      );
    await this.cache.invalidate(op.owner_address);
  }

  private async confirm(pending: RewardClaim, op: Operation): Promise<void> {
    let claim: RewardClaim | null = pending;
    if (claim.status === 'pending') {
      const withdrawn = BigInt(op.result?.withdraw_amount_sun ?? '0');
      const live = (await this.records.liveFor(claim.address)).filter((r) =>
        EARNING.includes(r.status),
      );
      const stake = live.length
        ? { ENERGY: 0n, BANDWIDTH: 0n }
        : await this.chainStake(claim.address);
      const a = attributeClaim(withdrawn, live, stake);
      claim =
        (await this.claims.update(claim.claim_id, 'pending', {
          status: 'confirmed',
          amount_sun: Number(withdrawn),
          energy_sun: Number(a.energySun),
          bandwidth_sun: Number(a.bandwidthSun),
          unattributed_sun: Number(a.unattributedSun),
          attribution: a.shares.map((s) => ({ staking_id: s.staking_id, sun: Number(s.sun) })),
          transaction_hash: op.txid,
          block_number: op.block_number,
          claimed_at: new Date(op.block_timestamp ?? Date.now()),
          ...(claim.compound_resource ? { compound_state: 'pending' as const } : {}),
        })) ?? (await this.claims.findById(claim.claim_id));
    }
    // The attribution is fixed once, above; what follows only applies it (each step once).
    if (!claim || claim.status !== 'confirmed' || !claim.settling) return;
    for (const share of claim.attribution ?? [])
      await this.records.addRewards(share.staking_id, claim.claim_id, share.sun);
    await this.summaries.applyClaim(
      claim.address,
      {
        claim_id: claim.claim_id,
        amount_sun: claim.amount_sun ?? 0,
        energy_sun: claim.energy_sun ?? 0,
        bandwidth_sun: claim.bandwidth_sun ?? 0,
        transaction_hash: claim.transaction_hash,
        block_number: claim.block_number,
        claimed_at: new Date(claim.claimed_at ?? Date.now()),
        source: claim.source,
      },
      this.policy.rewardsPolicy.historySize,
    );
    await this.claims.update(claim.claim_id, 'confirmed', {}, ['settling']);
    this.logger.log(
      {
        address: claim.address,
        claim_id: claim.claim_id,
        amount_sun: claim.amount_sun,
        records: claim.attribution?.length ?? 0,
      },
      'Reward claim confirmed',
    );
  }

  /** The account's own stake per resource (delegated-out included): the split without records. */
  private async chainStake(address: string) {
    const account = await this.gateway.getAccount(address);
    return {
      ENERGY: account.frozenSun.ENERGY + account.delegatedOutSun.ENERGY,
      BANDWIDTH: account.frozenSun.BANDWIDTH + account.delegatedOutSun.BANDWIDTH,
    };
  }

  async reconcile(findOperation: (id: string) => Promise<Operation | null>): Promise<number> {
    let repaired = 0;
    for (const claim of await this.claims.findSettling(RECONCILE_BATCH)) {
      const op = await findOperation(claim.operation_id);
      if (!op || !isTerminal(op.state) || op.settlement_pending) continue;
      await this.settle(op);
      const after = await this.claims.findById(claim.claim_id);
      if (after && !after.settling) {
        repaired++;
        this.logger.warn(
          { claim_id: claim.claim_id, operation_id: op.id, status: after.status },
          'Reward claim repaired from its terminal operation',
        );
      }
    }
    return repaired;
  }
}
