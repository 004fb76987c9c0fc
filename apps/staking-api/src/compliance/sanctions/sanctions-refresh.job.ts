import { AppConfigService, DistributedLock, InjectRedis, LeaderJob } from '@app/common';
import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ComplianceSettings } from '../compliance-settings.js';
import { ScreeningListsRepository } from './screening-lists.repository.js';
import { SanctionsRefreshService } from './sanctions-refresh.service.js';

/** Ticks hourly; loads the lists once per policy interval (refresh_interval_hours) across replicas. */
export const SANCTIONS_REFRESH_TICK_MS = 3_600_000;

/**
 * The daily sanctions refresh: a tick refreshes when the policy's interval has passed since the
 * last refresh any replica made (a Redis marker), or at once when a configured list has no
 * version in force yet (a new deployment).
 */
@Injectable()
export class SanctionsRefreshJob extends LeaderJob {
  protected readonly name = 'sanctions-refresh';
  protected readonly intervalMs = SANCTIONS_REFRESH_TICK_MS;
  protected readonly lockTtlMs = 300_000;
  private readonly marker: string;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    @InjectRedis() private readonly redis: Redis,
    private readonly refresh: SanctionsRefreshService,
    private readonly lists: ScreeningListsRepository,
    private readonly settings: ComplianceSettings,
  ) {
    super(lock, config);
    this.marker = `${config.get('REDIS_KEY_PREFIX')}compliance:sanctions:last-refresh`;
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const outcome = { refreshed: 0, rejected: 0, unchanged: 0 };
    if (!this.settings.sanctions || !this.refresh.sources.length) return outcome;
    const missing = (
      await Promise.all(
        this.refresh.sources.map((s) => this.lists.active(this.refresh.listName(s))),
      )
    ).some((a) => a === null);
    const last = Number((await this.redis.get(this.marker)) ?? 0);
    const interval = this.settings.policy.aml_kyc.sanctions.refresh_interval_hours * 3_600_000;
    if (!missing && now.getTime() - last < interval) return outcome;
    await this.redis.set(this.marker, String(now.getTime()));
    for (const r of await this.refresh.refreshAll('schedule', now)) {
      if (r.status === 'active') outcome.refreshed++;
      else if (r.status === 'rejected') outcome.rejected++;
      else outcome.unchanged++;
    }
    return outcome;
  }
}
