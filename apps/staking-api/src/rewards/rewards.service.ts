import { ErrorCode, SecurityPolicy, StakingException, type Sun } from '@app/common';
import { TronGateway, type Resource } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Operation, SigningMode } from '../operations/operation.types.js';
import type { WriteContext } from '../operations/write-context.js';
import { WritePipeline } from '../operations/write-pipeline.js';
import { isUnsuccessful, throwFailure } from '../staking/staking-answers.js';
import { cacheKeys, StakingCache } from '../staking/staking-cache.js';
import { claimAllowed, nextClaimAt } from './claim-rules.js';
import type { ClaimRewardResponseDto, RewardType } from './dto/claim-reward.dto.js';
import type { RewardInfoDto } from './dto/reward-info.dto.js';
import { RewardClaimsRepository, type RewardClaim } from './reward-claims.repository.js';
import { RewardSummariesRepository } from './reward-summaries.repository.js';
import { claimAnswer, historyEntryDto, trx } from './rewards-view.js';

// Rewards move every block (3 s); a short TTL keeps reads cheap, claims invalidate at once.
const REWARDS_VIEW_TTL_MS = 3_000;
export const REWARD_CLAIM_SUBJECT = 'reward-claim';
const newClaimId = () => randomBytes(16).toString('hex');
const iso = (ms: number) => new Date(ms).toISOString();

export interface ClaimRequest {
  address: string;
  mode?: SigningMode;
  reward_type?: RewardType;
  amount?: number | string;
}

/** Who asks for a claim and what follows it (the claim-policy job compounds). */
export interface ClaimOrigin {
  source: 'api' | 'policy';
  compoundResource?: Resource;
}

/**
 * GET /{address}/rewards and POST /claim-reward (WithdrawBalanceContract). The chain's rules are
 * checked before anything is built: one claim per 24 h of chain time, something to claim, the
 * whole reward at once; the write pipeline does the rest.
 */
@Injectable()
export class RewardsService {
  constructor(
    private readonly gateway: TronGateway,
    private readonly pipeline: WritePipeline,
    private readonly claims: RewardClaimsRepository,
    private readonly summaries: RewardSummariesRepository,
    private readonly cache: StakingCache,
    private readonly policy: SecurityPolicy,
  ) {}

  info(address: string): Promise<RewardInfoDto> {
    return this.cache.getOrLoad(
      cacheKeys.rewards(address),
      () => this.loadInfo(address),
      REWARDS_VIEW_TTL_MS,
    );
  }

  async claim(
    dto: ClaimRequest,
    ctx: WriteContext,
    origin: ClaimOrigin = { source: 'api' },
  ): Promise<ClaimRewardResponseDto> {
    refusePartial(dto);
    const claimId = newClaimId();
    const { operation } = await this.pipeline.submit({
      owner: dto.address,
      mode: dto.mode ?? 'custodial',
      ctx,
      plan: async (inFlight) => {
        const [account, head, reward, pending] = await Promise.all([
          this.gateway.getAccount(dto.address),
          this.gateway.getLatestBlock(),
          this.gateway.getReward(dto.address),
          this.claims.pendingFor(dto.address),
        ]);
        if (!account.exists)
          throw new StakingException(ErrorCode.ACCOUNT_NOT_ACTIVATED, undefined, {
            address: dto.address,
          });
        const open = pending[0]?.claim_id ?? inFlight.find((op) => op.kind === 'claim_reward')?.id;
        if (open)
          // The chain would refuse the second within 24 h anyway: never build it.
          throw new StakingException(
            ErrorCode.CLAIM_NOT_YET_ALLOWED,
            'A claim of this address is still waiting for its confirmation.',
            { address: dto.address, pending_claim_id: open },
          );
        if (!claimAllowed(account.latestWithdrawTime, head.timestamp))
          throw new StakingException(ErrorCode.CLAIM_NOT_YET_ALLOWED, undefined, {
            address: dto.address,
            last_claim_time: iso(account.latestWithdrawTime),
            next_claim_at: iso(nextClaimAt(account.latestWithdrawTime)),
            chain_time: iso(head.timestamp),
          });
        const claimable: Sun = reward > account.allowanceSun ? reward : account.allowanceSun;
        if (claimable <= 0n)
          throw new StakingException(ErrorCode.NOTHING_TO_CLAIM, undefined, {
            address: dto.address,
            unclaimed_reward: 0,
          });
        return {
          intent: { kind: 'claim_reward', owner: dto.address },
          subject: { type: REWARD_CLAIM_SUBJECT, id: claimId },
          counterparties: [dto.address],
          record: async (op) => {
            await this.claims.insert({
              claim_id: claimId,
              address: dto.address,
              operation_id: op.id,
              status: 'pending',
              source: origin.source,
              requested_by: { ...ctx.actor },
              expected_sun: Number(claimable),
              ...(origin.compoundResource ? { compound_resource: origin.compoundResource } : {}),
              settling: true,
            });
          },
        };
      },
    });
    return this.answerFor(operation);
  }

  private async answerFor(op: Operation): Promise<ClaimRewardResponseDto> {
    const claimId = op.subject!.id;
    if (isUnsuccessful(op)) throwFailure(op, { claim_id: claimId });
    await this.cache.invalidate(op.owner_address);
    let claim: RewardClaim | null = await this.claims.findById(claimId);
    if (claim && op.txid && !claim.transaction_hash)
      claim = await this.claims.update(claimId, null, { transaction_hash: op.txid });
    if (!claim)
      throw new StakingException(ErrorCode.OPERATION_NOT_FOUND, 'The claim record is missing.', {
        claim_id: claimId,
        operation_id: op.id,
      });
    return claimAnswer(claim, op);
  }

  private async loadInfo(address: string): Promise<RewardInfoDto> {
    const [account, head, reward, summary, pending] = await Promise.all([
      this.gateway.getAccount(address),
      this.gateway.getLatestBlock(),
      this.gateway.getReward(address),
      this.summaries.findByAddress(address),
      this.claims.pendingFor(address),
    ]);
    const last = account.latestWithdrawTime;
    const next = Math.max(nextClaimAt(last), head.timestamp);
    const unclaimed = reward > account.allowanceSun ? reward : account.allowanceSun;
    const history = summary?.history ?? [];
    return {
      address,
      unclaimed_reward: trx(unclaimed),
      last_claim_time: last > 0 ? iso(last) : null,
      next_claim_at: iso(next),
      can_claim_now:
        account.exists && claimAllowed(last, head.timestamp) && unclaimed > 0n && !pending.length,
      ...(pending[0] ? { pending_claim_id: pending[0].claim_id } : {}),
      total_reward: trx(summary?.total_reward_sun),
      energy_reward: trx(summary?.energy_reward_sun),
      bandwidth_reward: trx(summary?.bandwidth_reward_sun),
      claims_count: summary?.claims_count ?? 0,
      last_reward_time: summary?.last_reward_time
        ? new Date(summary.last_reward_time).toISOString()
        : null,
      claim_history: history.slice(0, this.policy.rewardsPolicy.historySize).map(historyEntryDto),
      chain_time: iso(head.timestamp),
      timestamp: new Date().toISOString(),
    };
  }
}

/** The chain's WithdrawBalance takes no amount and no resource: it withdraws everything. */
function refusePartial(dto: ClaimRequest): void {
  if (dto.amount !== undefined)
    throw new StakingException(
      ErrorCode.PARTIAL_CLAIM_NOT_SUPPORTED,
      'WithdrawBalance withdraws the whole reward; a partial amount cannot be claimed. Omit amount.',
      { amount: dto.amount },
    );
  if (dto.reward_type && dto.reward_type !== 'all')
    throw new StakingException(
      ErrorCode.PARTIAL_CLAIM_NOT_SUPPORTED,
      'Voting rewards are not paid per resource on chain; only reward_type "all" can be claimed.',
      { reward_type: dto.reward_type },
    );
}
