import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module.js';
import { OperationsModule } from '../operations/operations.module.js';
import { DueBucketWalker } from './due-bucket-walker.js';
import { StakingCountersRepairJob } from './staking-counters-repair.job.js';
import { StakingCountersRepository } from './staking-counters.repository.js';
import {
  StakingCounterDocument,
  StakingCounterSchema,
  StakingDueCursorDocument,
  StakingDueCursorSchema,
} from './staking-counters.schema.js';
import { HoldingExpiryJob, UnfreezeWithdrawalJob } from './staking-jobs.js';
import { MetricsModule } from '../metrics/metrics.module.js';
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
    MongooseModule.forFeature([
      { name: StakingRecordDocument.name, schema: StakingRecordSchema },
      { name: StakingCounterDocument.name, schema: StakingCounterSchema },
      { name: StakingDueCursorDocument.name, schema: StakingDueCursorSchema },
    ]),
    OperationsModule,
    AccountsModule,
    MetricsModule,
  ],
  controllers: [StakingController],
  providers: [
    StakingRecordsRepository,
    StakingCountersRepository,
    StakingCountersRepairJob,
    DueBucketWalker,
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
    StakingCache,
    StakingRecordsRepository,
    StakingService,
    UnfreezeService,
    StakingRules,
    StakingQueriesService,
    HoldingExpiryJob,
    UnfreezeWithdrawalJob,
    StakingCountersRepairJob,
  ],
})
export class StakingModule {}
