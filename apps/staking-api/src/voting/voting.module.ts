import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module.js';
import { OperationsModule } from '../operations/operations.module.js';
import { StakingModule } from '../staking/staking.module.js';
import { VoteObserver } from './vote-observer.js';
import { VotePolicyController } from './vote-policy.controller.js';
import { VotePolicyJob } from './vote-policy.job.js';
import { VotePolicyService } from './vote-policy.service.js';
import { VotingQueriesService } from './voting-queries.service.js';
import { VotingSettlementHandler } from './voting-settlement.handler.js';
import { VotingController } from './voting.controller.js';
import { VotingRepository } from './voting.repository.js';
import {
  VotePolicyDocument,
  VotePolicySchema,
  VotingAccountDocument,
  VotingAccountSchema,
  VotingHistoryDocument,
  VotingHistorySchema,
} from './voting.schema.js';
import { VotingService } from './voting.service.js';

/** SR votes, the witness list with estimated voter APR, vote policies and their job. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: VotingHistoryDocument.name, schema: VotingHistorySchema },
      { name: VotingAccountDocument.name, schema: VotingAccountSchema },
      { name: VotePolicyDocument.name, schema: VotePolicySchema },
    ]),
    OperationsModule,
    AccountsModule,
    StakingModule,
  ],
  controllers: [VotingController, VotePolicyController],
  providers: [
    VotingRepository,
    VoteObserver,
    VotingService,
    VotingQueriesService,
    VotingSettlementHandler,
    VotePolicyService,
    VotePolicyJob,
  ],
  exports: [VotingQueriesService, VotingService, VotePolicyJob],
})
export class VotingModule {}
