import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ApprovalsModule } from '../approvals/approvals.module.js';
import { ComplianceModule } from '../compliance/compliance.module.js';
import { OperationsModule } from '../operations/operations.module.js';
import { StateCountersModule } from '../state-counters/state-counters.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { DataMigrationDocument, DataMigrationSchema } from './data-migration.schema.js';
import { DataMigrationsRepository } from './data-migrations.repository.js';
import { LegacyBucketsBackfillJob } from './legacy-buckets-backfill.job.js';
import { StateCountersRepairJob } from './state-counters-repair.job.js';

/**
 * Repairs across areas: the hourly recount of the state counters and the one-time backfill of
 * bucket fields for records from before they existed. Apart from the areas' modules because it
 * reads several of them (the areas themselves never depend on it).
 */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: DataMigrationDocument.name, schema: DataMigrationSchema }]),
    ApprovalsModule,
    ComplianceModule,
    OperationsModule,
    StateCountersModule,
    WebhooksModule,
  ],
  providers: [DataMigrationsRepository, StateCountersRepairJob, LegacyBucketsBackfillJob],
  exports: [StateCountersRepairJob, LegacyBucketsBackfillJob],
})
export class UpkeepModule {}
