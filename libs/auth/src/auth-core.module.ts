import { Global, Module } from '@nestjs/common';
import { SpendingLimits } from './limits/spending-limits.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { AccessTokens } from './tokens/access-tokens.js';

/** Token signing, password hashing and spending limits, available to every module. */
@Global()
@Module({
  providers: [AccessTokens, PasswordHasher, SpendingLimits],
  exports: [AccessTokens, PasswordHasher, SpendingLimits],
})
export class AuthCoreModule {}
