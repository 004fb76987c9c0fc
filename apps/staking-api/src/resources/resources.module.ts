import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module.js';
import { ComplianceModule } from '../compliance/compliance.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { StakingModule } from '../staking/staking.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { ResourceAlertsService } from './resource-alerts.service.js';
import { ResourceCounterDocument, ResourceCounterSchema } from './resource-counter.schema.js';
import { ResourceRefreshJob } from './resource-refresh.job.js';
import { ResourceSnapshotDocument, ResourceSnapshotSchema } from './resource-snapshot.schema.js';
import { ResourceSnapshotsCleanupJob } from './resource-snapshots-cleanup.job.js';
import { ResourceSnapshotsRepository } from './resource-snapshots.repository.js';
import { ResourcesQueriesService } from './resources-queries.service.js';
import { ResourcesController } from './resources.controller.js';
import { WatchedAddressDocument, WatchedAddressSchema } from './watched-address.schema.js';
import { WatchedAddressesRepository } from './watched-addresses.repository.js';
import { WatchedAddressesService } from './watched-addresses.service.js';

/** Resource monitoring: watched addresses, the refresh job, snapshots, low-resource alerts. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: WatchedAddressDocument.name, schema: WatchedAddressSchema },
      { name: ResourceSnapshotDocument.name, schema: ResourceSnapshotSchema },
      { name: ResourceCounterDocument.name, schema: ResourceCounterSchema },
    ]),
    AccountsModule,
    ComplianceModule,
    MetricsModule,
    StakingModule,
    WebhooksModule,
  ],
  controllers: [ResourcesController],
  providers: [
    WatchedAddressesRepository,
    ResourceSnapshotsRepository,
    ResourceAlertsService,
    WatchedAddressesService,
    ResourcesQueriesService,
    ResourceRefreshJob,
    ResourceSnapshotsCleanupJob,
  ],
})
export class ResourcesModule {}
