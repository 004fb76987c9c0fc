import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module.js';
import { OperationDocument, OperationSchema } from './operation.schema.js';
import { OperationDetailsCleanupJob } from './operation-details-cleanup.job.js';
import { OperationReconciliationJob } from './operation-reconciliation.job.js';
import { OperationSettlement } from './operation-settlement.js';
import { OperationTrackerJob } from './operation-tracker.job.js';
import { OperationsController } from './operations.controller.js';
import { OperationsRepository } from './operations.repository.js';
import { OperationsService } from './operations.service.js';
import { WriteGates } from './approval-gate.js';
import { WritePipeline } from './write-pipeline.js';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: OperationDocument.name, schema: OperationSchema }]),
    AccountsModule,
  ],
  controllers: [OperationsController],
  providers: [
    WriteGates,
    OperationsRepository,
    OperationSettlement,
    OperationsService,
    WritePipeline,
    OperationTrackerJob,
    OperationReconciliationJob,
    OperationDetailsCleanupJob,
  ],
  exports: [
    WriteGates,
    OperationsService,
    OperationsRepository,
    OperationSettlement,
    WritePipeline,
    OperationTrackerJob,
    OperationReconciliationJob,
  ],
})
export class OperationsModule {}
