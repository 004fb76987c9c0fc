import { SecurityPolicy, utcDay } from '@app/common';
import { toBase58Address, TronGateway } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { cacheKeys, StakingCache } from '../staking/staking-cache.js';
import type {
  HistoryWindow,
  ResourceHistoryDto,
  ResourcesViewDto,
} from './dto/resources-view.dto.js';
import type { CachedResources } from './resource-refresh.job.js';
import { ResourceSnapshotsRepository } from './resource-snapshots.repository.js';
import { downsample, resourceView } from './resource-view.js';

const DAY_MS = 86_400_000;
const WINDOW_MS: Record<HistoryWindow, number> = { '24h': DAY_MS, '7d': 7 * DAY_MS };
// A view read from the node on a miss changes every block (3 s): cached that long only; the
// refresh job's entries live for the policy's cache_ttl_seconds.
const FALLBACK_TTL_MS = 3_000;

/** GET …/{address}/resources: the cached refresh with its age, else the node; history from snapshots. */
@Injectable()
export class ResourcesQueriesService {
  constructor(
    private readonly cache: StakingCache,
    private readonly gateway: TronGateway,
    private readonly snapshots: ResourceSnapshotsRepository,
    private readonly policy: SecurityPolicy,
  ) {}

  async view(address: string, history?: HistoryWindow): Promise<ResourcesViewDto> {
    const base58 = toBase58Address(address);
    const now = new Date();
    const key = cacheKeys.resourceInfo(base58);
    let current = await this.cache.peek<CachedResources>(key);
    // An entry without its time (written before the refresh job existed) counts as a miss.
    if (current && typeof current.cached_at !== 'string') current = undefined;
    const cached = current !== undefined;
    if (!current) {
      const [account, r] = await Promise.all([
        this.gateway.getAccount(base58),
        this.gateway.getAccountResources(base58),
      ]);
      current = { ...resourceView(base58, account, r, now), cached_at: now.toISOString() };
      await this.cache.put(key, current, FALLBACK_TTL_MS);
    }
    const age = Math.max(0, Math.floor((now.getTime() - Date.parse(current.cached_at)) / 1000));
    return {
      ...current,
      // The answer keeps the address as asked for (Base58 or hex).
      address,
      cached,
      age_seconds: age,
      ...(history ? { history: await this.history(base58, history, now) } : {}),
    };
  }

  /** The window's day documents (2 for 24h, 8 for 7d), one lookup by id each, downsampled. */
  private async history(
    address: string,
    window: HistoryWindow,
    now: Date,
  ): Promise<ResourceHistoryDto> {
    const to = now.getTime() + 1;
    const from = to - WINDOW_MS[window];
    const days: string[] = [];
    for (let t = Date.parse(utcDay(new Date(from))); t < to; t += DAY_MS)
      days.push(utcDay(new Date(t)));
    const samples = await this.snapshots.samples(address, days);
    return {
      window,
      from: new Date(from).toISOString(),
      to: now.toISOString(),
      points: downsample(
        samples,
        from,
        to,
        this.policy.resourcesPolicy.snapshots.history_points[window],
      ),
    };
  }
}
