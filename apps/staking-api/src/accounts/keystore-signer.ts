import { ErrorCode, StakingException } from '@app/common';
import { KeystoreCipher, signWithKey, TransactionSigner, type TronTransaction } from '@app/tron';
import { Injectable, Logger } from '@nestjs/common';
import { ManagedAccountsRepository } from './managed-accounts.repository.js';

/** Signs with keys from the encrypted keystore; the decrypted key lives only for the call. */
@Injectable()
export class KeystoreSigner extends TransactionSigner {
  private readonly logger = new Logger('KeystoreSigner');

  constructor(
    private readonly accounts: ManagedAccountsRepository,
    private readonly cipher: KeystoreCipher,
  ) {
    super();
  }

  holdsKeyFor(address: string): Promise<boolean> {
    return this.accounts.exists(address);
  }

  async sign(tx: TronTransaction, owner: string): Promise<TronTransaction> {
    const blob = await this.accounts.keyOf(owner);
    if (!blob)
      throw new StakingException(ErrorCode.ACCOUNT_NOT_MANAGED, undefined, { address: owner });
    let key: string;
    try {
      key = await this.cipher.decrypt(blob, owner);
    } catch (error) {
      // The reason (wrong master secret, tampered blob) goes to the log, never the key.
      this.logger.error(
        { address: owner, reason: (error as Error).message },
        'Keystore decryption failed',
      );
      throw new StakingException(ErrorCode.SIGNING_FAILED);
    }
    return signWithKey(tx, key);
  }
}
