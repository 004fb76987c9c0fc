import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module.js';
import { OperationsModule } from '../operations/operations.module.js';
import { StakingModule } from '../staking/staking.module.js';
import { ClaimPoliciesRepository } from './claim-policies.repository.js';
import { ClaimPolicyDocument, ClaimPolicySchema } from './claim-policy.schema.js';
import { ClaimPolicyJob } from './claim-policy.job.js';
import { ClaimPolicyService } from './claim-policy.service.js';
import { RewardClaimDocument, RewardClaimSchema } from './reward-claim.schema.js';
import { RewardClaimsRepository } from './reward-claims.repository.js';
import { RewardSummariesRepository } from './reward-summaries.repository.js';
import { RewardSummaryDocument, RewardSummarySchema } from './reward-summary.schema.js';
import { RewardsSettlementHandler } from './rewards-settlement.handler.js';
import { RewardsController } from './rewards.controller.js';
import { RewardsService } from './rewards.service.js';

/** Voting rewards: the per-address view, claims (withdrawbalance) and automatic claim policies. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: RewardClaimDocument.name, schema: RewardClaimSchema },
      { name: RewardSummaryDocument.name, schema: RewardSummarySchema },
      { name: ClaimPolicyDocument.name, schema: ClaimPolicySchema },
    ]),
    OperationsModule,
    AccountsModule,
    StakingModule,
  ],
  controllers: [RewardsController],
  providers: [
    RewardClaimsRepository,
    RewardSummariesRepository,
    ClaimPoliciesRepository,
    RewardsService,
    ClaimPolicyService,
    RewardsSettlementHandler,
    ClaimPolicyJob,
  ],
  exports: [RewardsService, ClaimPolicyJob],
})
export class RewardsModule {}
