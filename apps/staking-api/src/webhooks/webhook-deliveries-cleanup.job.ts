import {
  AppConfigService,
  DistributedLock,
  RetentionCleanupJob,
  SecurityPolicy,
} from '@app/common';
import { Injectable } from '@nestjs/common';
import { WebhooksRepository } from './webhooks.repository.js';

/** Hourly: deletes delivered and failed deliveries older than the retention (pending ones stay). */
@Injectable()
export class WebhookDeliveriesCleanupJob extends RetentionCleanupJob {
  protected readonly name = 'webhook-deliveries-cleanup';

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly repository: WebhooksRepository,
    private readonly policy: SecurityPolicy,
  ) {
    super(lock, config);
  }

  protected retentionDays(): number {
    return this.policy.operationsPolicy.retention.webhook_deliveries_days;
  }

  protected cleanDay(day: string): Promise<number> {
    return this.repository.deleteFinishedOfDay(day);
  }
}
