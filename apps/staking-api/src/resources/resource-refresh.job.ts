import {
  AppConfigService,
  DistributedLock,
  InjectRedis,
  LeaderJob,
  SecurityPolicy,
  utcDay,
} from '@app/common';
import { TronGateway } from '@app/tron';
import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { MetricsService } from '../metrics/metrics.service.js';
import { cacheKeys, StakingCache } from '../staking/staking-cache.js';
import { ResourceAlertsService } from './resource-alerts.service.js';
import { RequestPacer } from './request-pacer.js';
import { ResourceSnapshotsRepository } from './resource-snapshots.repository.js';
import { resourceView, sampleOf } from './resource-view.js';
import { WatchedAddressesRepository, type WatchedAddress } from './watched-addresses.repository.js';

/** Node requests one address costs: its account and its resources. */
export const REQUESTS_PER_ADDRESS = 2;

/** What the latest refresh of an address leaves in `resource_info:{address}`. */
export interface CachedResources extends Omit<
  ReturnType<typeof resourceView>,
  'cached' | 'cached_at'
> {
  cached_at: string;
}

/**
 * Refreshes the resources of every managed account and watched address: walks the slot buckets
 * (equality on `slot`, bounded pages) from a cursor kept in Redis, at most `batch` addresses a
 * tick and no more than the tick's share of the node budget allows, `concurrency` at once, each
 * node request paced by this job's own pacer at budget_share × TRON_MAX_REQUESTS_PER_SECOND
 * (the gateway's bucket still caps the app as a whole). Each refresh is cached, sampled into the
 * day's snapshot and checked against the address's floors.
 */
@Injectable()
export class ResourceRefreshJob extends LeaderJob {
  protected readonly name = 'resource-refresh';
  protected readonly intervalMs: number;
  protected readonly lockTtlMs = 60_000;
  private readonly cursorKey: string;
  private readonly ratePerSecond: number;
  private readonly pacer: RequestPacer;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly entries: WatchedAddressesRepository,
    private readonly snapshots: ResourceSnapshotsRepository,
    private readonly alerts: ResourceAlertsService,
    private readonly gateway: TronGateway,
    private readonly cache: StakingCache,
    private readonly metrics: MetricsService,
    private readonly policy: SecurityPolicy,
    @InjectRedis() private readonly redis: Redis,
  ) {
    super(lock, config);
    const refresh = policy.resourcesPolicy.refresh;
    this.intervalMs = refresh.interval_seconds * 1000;
    this.cursorKey = `${config.get('REDIS_KEY_PREFIX')}resources:cursor`;
    // Whole requests per second, rounded down: no one-second window holds more than this.
    this.ratePerSecond = Math.max(
      1,
      Math.floor(config.get('TRON_MAX_REQUESTS_PER_SECOND') * refresh.budget_share),
    );
    this.pacer = new RequestPacer(this.ratePerSecond);
  }

  /** The request rate this job keeps to (requests per second). */
  get budgetPerSecond(): number {
    return this.ratePerSecond;
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const { slots, batch, concurrency, interval_seconds } = this.policy.resourcesPolicy.refresh;
    // Never plan more than one interval of this job's budget into a tick.
    const budgetAddresses = Math.floor(
      (this.ratePerSecond * interval_seconds) / REQUESTS_PER_ADDRESS,
    );
    const want = Math.max(1, Math.min(batch, budgetAddresses));
    const [slot0, offset0] = parseCursor(await this.redis.get(this.cursorKey), slots);
    const work: WatchedAddress[] = [];
    let slot = slot0;
    let offset = offset0;
    let walked = 0;
    while (work.length < want && walked < slots) {
      const room = want - work.length;
      const page = await this.entries.inSlot(slot, offset, room);
      work.push(...page);
      if (page.length < room) {
        slot = (slot + 1) % slots;
        offset = 0;
        walked++;
      } else offset += page.length;
    }
    await this.redis.set(this.cursorKey, `${slot}:${offset}`);

    const tally = { refreshed: 0, failed: 0, fired: 0, recovered: 0, node_requests: 0 };
    // Samples are timed on the tick's clock (tests and catch-up runs pass their own `now`).
    const started = Date.now();
    const clock = () => new Date(now.getTime() + (Date.now() - started));
    let next = 0;
    const worker = async () => {
      while (next < work.length && this.leaseHeld) {
        const entry = work[next++]!;
        try {
          const outcome = await this.refresh(entry, tally, clock);
          tally.refreshed++;
          tally.fired += outcome.fired;
          tally.recovered += outcome.recovered;
        } catch (error) {
          tally.failed++;
          this.logger.warn(
            { address: entry.address, err: (error as Error).message },
            'Resource refresh failed',
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, work.length) }, worker));
    return { addresses: work.length, ...tally, at: now.toISOString() };
  }

  /** One address: read, cache, sample, check its floors. Public for the bench's baseline. */
  async refresh(
    entry: WatchedAddress,
    tally: { node_requests: number } = { node_requests: 0 },
    clock: () => Date = () => new Date(),
  ): Promise<{ fired: number; recovered: number }> {
    const policy = this.policy.resourcesPolicy;
    const paced = <T>(call: () => Promise<T>): Promise<T> =>
      this.pacer.run(() => {
        tally.node_requests++;
        return call();
      });
    const [account, resources] = await Promise.all([
      paced(() => this.gateway.getAccount(entry.address)),
      paced(() => this.gateway.getAccountResources(entry.address)),
    ]);
    const at = clock();
    const view = resourceView(entry.address, account, resources, at);
    const cached: CachedResources = { ...view, cached_at: at.toISOString() };
    await this.cache.put(
      cacheKeys.resourceInfo(entry.address),
      cached,
      policy.refresh.cache_ttl_seconds * 1000,
    );
    await this.snapshots.append(
      entry.address,
      utcDay(at),
      sampleOf(view, at),
      policy.snapshots.max_samples_per_day,
    );
    if (entry.managed)
      this.metrics.setAccountResources(entry.address, {
        energy: view.energy.available,
        energyLimit: view.energy.limit,
        bandwidth: view.bandwidth.available,
        energyFloor: this.alerts.floorOf(entry, 'energy'),
      });
    return this.alerts.check(entry, view, at);
  }
}

function parseCursor(raw: string | null, slots: number): [number, number] {
  const [slot, offset] = (raw ?? '0:0').split(':').map(Number);
  if (!Number.isInteger(slot) || !Number.isInteger(offset) || slot! >= slots) return [0, 0];
  return [slot!, Math.max(0, offset!)];
}
