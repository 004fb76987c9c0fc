import { ErrorCode, SecurityPolicy, StakingException, sunToTrxString, trxToSun } from '@app/common';
import { TransactionSigner } from '@app/tron';
import { Injectable } from '@nestjs/common';
import type { OperationActor } from '../operations/operation.types.js';
import { ClaimPoliciesRepository } from './claim-policies.repository.js';
import type { ClaimPolicyDto, ClaimPolicyRequestDto } from './dto/claim-policy.dto.js';
import { policyDto } from './rewards-view.js';

/** PUT/GET/DELETE /accounts/{address}/claim-policy: the settings the claim-policy job follows. */
@Injectable()
export class ClaimPolicyService {
  constructor(
    private readonly policies: ClaimPoliciesRepository,
    private readonly signer: TransactionSigner,
    private readonly policy: SecurityPolicy,
  ) {}

  async put(
    address: string,
    dto: ClaimPolicyRequestDto,
    actor: OperationActor,
  ): Promise<ClaimPolicyDto> {
    // The job signs the claims (and freezes) itself: only for keys this service holds.
    if (!(await this.signer.holdsKeyFor(address)))
      throw new StakingException(ErrorCode.ACCOUNT_NOT_MANAGED, undefined, { address });
    const minSun = trxToSun(dto.min_reward_trx);
    const { minRewardSun, maxRewardSun } = this.policy.rewardsPolicy;
    if (minSun < minRewardSun || minSun > maxRewardSun)
      throw new StakingException(ErrorCode.INVALID_CLAIM_POLICY, undefined, {
        min_reward_trx: dto.min_reward_trx,
        allowed: { min: sunToTrxString(minRewardSun), max: sunToTrxString(maxRewardSun) },
      });
    const stakeMin = this.policy.stakingLimits.minSun;
    if (dto.compound && minSun < stakeMin)
      // A claim below the staking minimum could never be frozen.
      throw new StakingException(
        ErrorCode.INVALID_CLAIM_POLICY,
        'With compounding, min_reward_trx must be at least the staking minimum.',
        { min_reward_trx: dto.min_reward_trx, staking_min_trx: sunToTrxString(stakeMin) },
      );
    const saved = await this.policies.upsert(address, {
      enabled: dto.enabled,
      min_reward_sun: Number(minSun),
      compound_resource: dto.compound?.resource,
      updated_by: { ...actor },
    });
    return policyDto(saved);
  }

  async get(address: string): Promise<ClaimPolicyDto> {
    const found = await this.policies.findByAddress(address);
    if (!found)
      throw new StakingException(ErrorCode.CLAIM_POLICY_NOT_FOUND, undefined, { address });
    return policyDto(found);
  }

  async remove(address: string): Promise<void> {
    if (!(await this.policies.remove(address)))
      throw new StakingException(ErrorCode.CLAIM_POLICY_NOT_FOUND, undefined, { address });
  }
}
