import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { KycProfileDocument, KycProfileSchema } from './kyc-profile.schema.js';
import { KycProfilesRepository } from './kyc-profiles.repository.js';

/** KYC profile persistence, shared by accounts (the link) and compliance (the rules). */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: KycProfileDocument.name, schema: KycProfileSchema }]),
  ],
  providers: [KycProfilesRepository],
  exports: [KycProfilesRepository],
})
export class KycModule {}
