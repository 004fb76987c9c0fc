import { AppConfigService, DistributedLock, InjectRedis, LeaderJob, utcDay } from '@app/common';
import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ComplianceSettings } from '../compliance-settings.js';
import { KycProfilesRepository } from '../kyc/kyc-profiles.repository.js';
import { KycProfilesService } from '../kyc/kyc-profiles.service.js';

export const PEP_RESCREEN_TICK_MS = 3_600_000;
const DAY_MS = 86_400_000;
const PROFILES_PER_DAY_LOOKUP = 500;
const DAYS_PER_TICK = 400;
/** Where a first run starts: a week back catches profiles due while no replica ran the job. */
const FIRST_RUN_LOOKBACK_DAYS = 7;

/**
 * The periodic (quarterly: policy pep.review_interval_days) re-screen of KYC profiles against the
 * sanctions and PEP lists in force. Each profile carries the day of its next review; the job walks
 * the days from its cursor to today by equality on that day, never a range over the collection.
 */
@Injectable()
export class PepRescreenJob extends LeaderJob {
  protected readonly name = 'pep-rescreen';
  protected readonly intervalMs = PEP_RESCREEN_TICK_MS;
  protected readonly lockTtlMs = 300_000;
  private readonly cursorKey: string;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    @InjectRedis() private readonly redis: Redis,
    private readonly repo: KycProfilesRepository,
    private readonly profiles: KycProfilesService,
    private readonly settings: ComplianceSettings,
  ) {
    super(lock, config);
    this.cursorKey = `${config.get('REDIS_KEY_PREFIX')}compliance:pep-rescreen:cursor`;
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const outcome = { days: 0, rescreened: 0, pep_hits: 0, sanctions_hits: 0 };
    if (!this.settings.pep && !this.settings.sanctions) return outcome;
    const today = utcDay(now);
    let day =
      (await this.redis.get(this.cursorKey)) ??
      utcDay(new Date(now.getTime() - FIRST_RUN_LOOKBACK_DAYS * DAY_MS));
    while (day <= today && outcome.days < DAYS_PER_TICK && this.leaseHeld) {
      outcome.days++;
      const due = await this.repo.dueOn(day, PROFILES_PER_DAY_LOOKUP);
      for (const profile of due) {
        const after = await this.profiles.rescreen(profile, now);
        outcome.rescreened++;
        if (after.screening?.pep.length) outcome.pep_hits++;
        if (after.screening?.sanctions.length) outcome.sanctions_hits++;
      }
      // A full page may hide more profiles due that day: stay on it for the next tick.
      if (due.length === PROFILES_PER_DAY_LOOKUP) break;
      if (day === today) break;
      day = utcDay(new Date(new Date(`${day}T00:00:00Z`).getTime() + DAY_MS));
    }
    await this.redis.set(this.cursorKey, day);
    return outcome;
  }
}
