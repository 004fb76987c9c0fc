import {
  AppConfigService,
  DistributedLock,
  RetentionCleanupJob,
  SecurityPolicy,
} from '@app/common';
import { Injectable } from '@nestjs/common';
import { ResourceSnapshotsRepository } from './resource-snapshots.repository.js';

/** Hourly: deletes the snapshot days past the retention, by the `day` equality. */
@Injectable()
export class ResourceSnapshotsCleanupJob extends RetentionCleanupJob {
  protected readonly name = 'resource-snapshots-cleanup';

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly snapshots: ResourceSnapshotsRepository,
    private readonly policy: SecurityPolicy,
  ) {
    super(lock, config);
  }

  protected retentionDays(): number {
    return this.policy.resourcesPolicy.snapshots.retention_days;
  }

  protected cleanDay(day: string): Promise<number> {
    return this.snapshots.deleteDay(day);
  }
}
