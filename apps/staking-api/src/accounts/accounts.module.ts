import { KeystoreCipher, TransactionSigner } from '@app/tron';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { KycModule } from '../compliance/kyc/kyc.module.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';
import { keystoreCipherProvider } from './keystore.provider.js';
import { KeystoreSigner } from './keystore-signer.js';
import { ManagedAccountDocument, ManagedAccountSchema } from './managed-account.schema.js';
import { ManagedAccountsRepository } from './managed-accounts.repository.js';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ManagedAccountDocument.name, schema: ManagedAccountSchema },
    ]),
    KycModule,
  ],
  controllers: [AccountsController],
  providers: [
    ManagedAccountsRepository,
    AccountsService,
    keystoreCipherProvider,
    { provide: TransactionSigner, useClass: KeystoreSigner },
  ],
  exports: [AccountsService, TransactionSigner, KeystoreCipher, ManagedAccountsRepository],
})
export class AccountsModule {}
