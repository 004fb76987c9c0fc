import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module.js';
import { OperationsModule } from '../operations/operations.module.js';
import { HoldingExpiryJob, UnfreezeWithdrawalJob } from './staking-jobs.js';
import { StakingCache } from './staking-cache.js';
import { StakingQueriesService } from './staking-queries.service.js';
import { StakingRecordDocument, StakingRecordSchema } from './staking-record.schema.js';
import { StakingRecordsRepository } from './staking-records.repository.js';
import { StakingRules } from './staking-rules.js';
import { StakingSettlementHandler } from './staking-settlement.handler.js';
import { StakingController } from './staking.controller.js';
import { StakingService } from './staking.service.js';
import { UnfreezeService } from './unfreeze.service.js';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: StakingRecordDocument.name, schema: StakingRecordSchema }]),
    OperationsModule,
    AccountsModule,
  ],
  controllers: [StakingController],
  providers: [
    StakingRecordsRepository,
    StakingRules,
    StakingCache,
    StakingService,
    StakingQueriesService,
    StakingSettlementHandler,
    UnfreezeService,
    HoldingExpiryJob,
    UnfreezeWithdrawalJob,
  ],
  exports: [
    StakingRecordsRepository,
    StakingQueriesService,
    HoldingExpiryJob,
    UnfreezeWithdrawalJob,
  ],
})
export class StakingModule {}
