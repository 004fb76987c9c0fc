import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { RefreshToken, RefreshTokenSchema } from './refresh-token.schema.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { SessionCleanupJob } from './session-cleanup.job.js';
import { SessionRevocation } from './session-revocation.js';
import { Session, SessionSchema } from './session.schema.js';
import { SessionsRepository } from './sessions.repository.js';

/**
 * Sign-in sessions and their refresh-token families. Its own module so that user administration
 * (which revokes sessions) and sign-in (which creates them) both use it without depending on
 * each other.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Session.name, schema: SessionSchema },
      { name: RefreshToken.name, schema: RefreshTokenSchema },
    ]),
  ],
  providers: [SessionsRepository, RefreshTokensRepository, SessionRevocation, SessionCleanupJob],
  exports: [SessionsRepository, RefreshTokensRepository, SessionRevocation],
})
export class SessionsModule {}
