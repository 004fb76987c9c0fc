import { AppConfigService, REDIS_CLIENT, SecurityPolicy } from '@app/common';
import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { buildThrottlers } from './rate-limit.policy.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

/** @nestjs/throttler with Redis storage shared by every replica; the guards live in AuthModule's chain. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [SecurityPolicy, AppConfigService, REDIS_CLIENT],
      useFactory: (policy: SecurityPolicy, config: AppConfigService, redis: Redis) => ({
        throttlers: buildThrottlers(policy),
        storage: new RedisThrottlerStorage(
          redis,
          config.get('REDIS_KEY_PREFIX'),
          policy.file.rate_limiting.when_redis_unavailable,
        ),
        // Our own Retry-After only: eight throttlers would otherwise add 24 X-RateLimit headers.
        setHeaders: false,
      }),
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}
