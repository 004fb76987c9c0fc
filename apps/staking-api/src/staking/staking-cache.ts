import { AppConfigService, InjectRedis } from '@app/common';
import type { Redis } from 'ioredis';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { MetricsService } from '../metrics/metrics.service.js';

// Key names from the service's original specification.
export const cacheKeys = {
  stakingStats: (address: string) => `staking_stats:${address}`,
  resourceInfo: (address: string) => `resource_info:${address}`,
  rewards: (address: string) => `rewards:${address}`,
  witnessVotes: (address: string) => `witness_votes:${address}`,
  globalStats: 'staking_stats:all',
};

/**
 * Read-through cache of chain and stats views; every write and settlement invalidates its address.
 * While the shared Redis client is not connected the cache is skipped outright, and every cache
 * call is bounded by REDIS_COMMAND_TIMEOUT_MS besides: with Redis away or hung, reads go to the
 * source instead of waiting on the cache client's queue.
 */
@Injectable()
export class StakingCache {
  private readonly timeoutMs: number;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @InjectRedis() private readonly redis: Redis,
    config: AppConfigService,
    private readonly metrics: MetricsService,
  ) {
    this.timeoutMs = config.get('REDIS_COMMAND_TIMEOUT_MS');
  }

  async getOrLoad<T extends object>(
    key: string,
    load: () => Promise<T>,
    ttlMs?: number,
  ): Promise<T & { cached: boolean }> {
    const bypassed = this.redis.status !== 'ready';
    const hit = await this.bounded(() => this.cache.get<T>(key));
    if (hit !== undefined && hit !== null) {
      this.metrics.observeCacheLookup(key, 'hit');
      return { ...hit, cached: true };
    }
    this.metrics.observeCacheLookup(key, bypassed ? 'bypass' : 'miss');
    const value = await load();
    await this.bounded(() => this.cache.set(key, value, ttlMs));
    return { ...value, cached: false };
  }

  /** The cached value, or undefined (missing, Redis away or slow). */
  async peek<T extends object>(key: string): Promise<T | undefined> {
    return (await this.bounded(() => this.cache.get<T>(key))) ?? undefined;
  }

  /** Stores a value; a Redis failure is swallowed (the cache is an optimisation). */
  async put(key: string, value: object, ttlMs: number): Promise<void> {
    await this.bounded(() => this.cache.set(key, value, ttlMs));
  }

  /**
   * The call's result, or undefined once it fails or outlasts the timeout (it is left to finish);
   * not even issued while Redis is known to be away, so nothing piles up in the client's queue.
   */
  private bounded<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.redis.status !== 'ready') return Promise.resolve(undefined);
    const call = work();
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), this.timeoutMs);
      timer.unref();
      call.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        () => {
          clearTimeout(timer);
          resolve(undefined);
        },
      );
    });
  }

  async invalidate(address: string): Promise<void> {
    await this.bounded(() =>
      this.cache.mdel([
        cacheKeys.stakingStats(address),
        cacheKeys.resourceInfo(address),
        cacheKeys.rewards(address),
        cacheKeys.witnessVotes(address),
        cacheKeys.globalStats,
      ]),
    );
  }
}
