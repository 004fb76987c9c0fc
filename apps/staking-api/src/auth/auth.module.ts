import { AuthCoreModule, AuthenticationGuard, PermissionGuard, PrincipalResolver } from '@app/auth';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { RateLimitModule } from '../rate-limit/rate-limit.module.js';
import { EdgeRateLimitGuard, PrincipalRateLimitGuard } from '../rate-limit/rate-limit.guards.js';
import { UsersModule } from '../users/users.module.js';
import { ApiKey, ApiKeySchema } from './api-keys/api-key.schema.js';
import { ApiKeysController } from './api-keys/api-keys.controller.js';
import { ApiKeysRepository } from './api-keys/api-keys.repository.js';
import { ApiKeysService } from './api-keys/api-keys.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { CredentialsResolver } from './credentials.resolver.js';
import { SessionsModule } from './sessions/sessions.module.js';

/**
 * Sign-in, sessions, API keys and the global guard chain. The guards run in this order:
 * per-IP/global rate limits → authentication → per-user/role rate limits → permission.
 */
@Module({
  imports: [
    AuthCoreModule,
    UsersModule,
    SessionsModule,
    RateLimitModule,
    MongooseModule.forFeature([{ name: ApiKey.name, schema: ApiKeySchema }]),
  ],
  controllers: [AuthController, ApiKeysController],
  providers: [
    AuthService,
    ApiKeysService,
    ApiKeysRepository,
    { provide: PrincipalResolver, useClass: CredentialsResolver },
    { provide: APP_GUARD, useClass: EdgeRateLimitGuard },
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: PrincipalRateLimitGuard },
    { provide: APP_GUARD, useClass: PermissionGuard },
  ],
  exports: [ApiKeysRepository],
})
export class AuthModule {}
