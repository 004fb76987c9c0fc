import { AppConfigService, DistributedLock, LeaderJob, SecurityPolicy, utcDay } from '@app/common';
import { Injectable } from '@nestjs/common';
import { WebhooksRepository } from './webhooks.repository.js';

const DAY_MS = 86_400_000;
/** Days past the retention looked at per run. */
export const WEBHOOK_CLEANUP_WINDOW_DAYS = 30;

/** Hourly: deletes delivered and failed deliveries older than the retention (pending ones stay). */
@Injectable()
export class WebhookDeliveriesCleanupJob extends LeaderJob {
  protected readonly name = 'webhook-deliveries-cleanup';
  protected readonly intervalMs = 60 * 60 * 1000;
  protected readonly lockTtlMs = 5 * 60 * 1000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly repository: WebhooksRepository,
    private readonly policy: SecurityPolicy,
  ) {
    super(lock, config);
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const keep = this.policy.operationsPolicy.retention.webhook_deliveries_days;
    let deleted = 0;
    for (let i = 0; i < WEBHOOK_CLEANUP_WINDOW_DAYS; i++)
      deleted += await this.repository.deleteFinishedOfDay(
        utcDay(new Date(now.getTime() - (keep + 1 + i) * DAY_MS)),
      );
    return { deleted };
  }
}
