import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AppCacheModule } from './cache/cache.module.js';
import { AppConfigModule } from './config/app-config.module.js';
import { KnownRoutes } from './http/known-routes.js';
import { DistributedLock } from './lock/distributed-lock.js';
import { LoggingModule } from './logging/logging.module.js';
import { PolicyModule } from './policy/policy.module.js';
import { RedisModule } from './redis/redis.module.js';

/** Config, policies, logging, Redis, cache and the lock: what every app module relies on. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(): DynamicModule {
    return {
      module: CommonModule,
      imports: [
        AppConfigModule.forRoot(),
        PolicyModule,
        LoggingModule,
        RedisModule,
        AppCacheModule,
      ],
      providers: [DistributedLock, KnownRoutes],
      exports: [DistributedLock, KnownRoutes],
    };
  }
}
