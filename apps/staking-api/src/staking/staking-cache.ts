import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Cache } from 'cache-manager';

// Key names from the service's original specification.
export const cacheKeys = {
  stakingStats: (address: string) => `staking_stats:${address}`,
  resourceInfo: (address: string) => `resource_info:${address}`,
  rewards: (address: string) => `rewards:${address}`,
  witnessVotes: (address: string) => `witness_votes:${address}`,
  globalStats: 'staking_stats:all',
};

/** Read-through cache of chain and stats views; every write and settlement invalidates its address. */
@Injectable()
export class StakingCache {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}

  async getOrLoad<T extends object>(
    key: string,
    load: () => Promise<T>,
    ttlMs?: number,
  ): Promise<T & { cached: boolean }> {
    const hit = await this.cache.get<T>(key).catch(() => undefined);
    if (hit !== undefined && hit !== null) return { ...hit, cached: true };
    const value = await load();
    await this.cache.set(key, value, ttlMs).catch(() => undefined);
    return { ...value, cached: false };
  }

  async invalidate(address: string): Promise<void> {
    await this.cache
      .mdel([
        cacheKeys.stakingStats(address),
        cacheKeys.resourceInfo(address),
        cacheKeys.rewards(address),
        cacheKeys.witnessVotes(address),
        cacheKeys.globalStats,
      ])
      .catch(() => undefined);
  }
}
