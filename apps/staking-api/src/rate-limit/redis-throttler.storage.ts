import { ErrorCode, StakingException } from '@app/common';
import { Logger } from '@nestjs/common';
import type { ThrottlerLimitDetail, ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

// Count, start the window, and block in one step, so all replicas share one exact counter.
// A fixed window per key: the first hit sets its expiry; going over the limit sets a block key.
const INCREMENT = `
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]), 1, blocked}
end
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if hits == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}`;

type ThrottlerStorageRecord = Omit<ThrottlerLimitDetail, 'ttl' | 'limit' | 'key' | 'tracker'>;

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/** What the rate limits do while Redis cannot count (the policy's `when_redis_unavailable`). */
export type RedisOutageMode = 'allow' | 'refuse';

/**
 * @nestjs/throttler storage on our shared ioredis client (the community Redis storage does not
 * declare Nest 12 support). If Redis is away, the policy decides: `allow` lets requests pass
 * uncounted (reads keep answering; writes still fail closed in the write pipeline, which needs
 * Redis for its locks and spending counters), `refuse` answers 503 S806 to every limited request.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly whenUnavailable: RedisOutageMode = 'allow',
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<ThrottlerStorageRecord> {
    const hitsKey = `${this.prefix}rl:${key}`;
    try {
      const [hits, ttlMs, blocked, blockMs] = (await this.redis.eval(
        INCREMENT,
        2,
        hitsKey,
        `${hitsKey}:blocked`,
        ttl,
        limit,
        blockDuration,
      )) as [number, number, number, number];
      return {
        totalHits: hits,
        timeToExpire: seconds(ttlMs),
        isBlocked: blocked === 1,
        timeToBlockExpire: seconds(blockMs),
      };
    } catch (error) {
      if (Date.now() - this.lastWarning > 60_000) {
        this.lastWarning = Date.now();
        this.logger.warn(
          `Rate limits cannot count, Redis unavailable (${this.whenUnavailable}): ${(error as Error).message}`,
        );
      }
      if (this.whenUnavailable === 'refuse')
        throw new StakingException(ErrorCode.CACHE_UNAVAILABLE, 'Rate limits cannot be checked.');
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  /** Marks a key's block as audited; true the first time within `ms` (one audit entry per block). */
  async firstInBlock(key: string, ms: number): Promise<boolean> {
    const ok = await this.redis
      .set(`${this.prefix}rl:${key}:audited`, '1', 'PX', Math.max(1, ms), 'NX')
      .catch(() => null);
    return ok === 'OK';
  }
}
