import KeyvRedis from '@keyv/redis';
import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { Keyv } from 'keyv';
import { AppConfigService } from '../config/app-config.service.js';

/**
 * Redis-backed read cache. `cache-manager-ioredis-yet` only fits cache-manager ≤5 / Nest ≤10;
 * for cache-manager 7 the maintained store is Keyv with `@keyv/redis`, as Nest's docs use.
 * Cache errors never fail a request: Keyv swallows them and the caller reads the source.
 */
@Global()
@Module({
  imports: [
    NestCacheModule.registerAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => {
        const store = new KeyvRedis(config.get('REDIS_URL'), {
          throwOnConnectError: false,
          throwOnErrors: false,
        });
        return {
          stores: [
            new Keyv({
              store,
              namespace: `${config.get('REDIS_KEY_PREFIX')}cache`,
              useKeyPrefix: false,
            }),
          ],
          ttl: config.get('REDIS_CACHE_TTL_SECONDS') * 1000,
        };
      },
    }),
  ],
  exports: [NestCacheModule],
})
export class AppCacheModule {}
