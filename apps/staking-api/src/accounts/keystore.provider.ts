import { AppConfigService, SecurityPolicy } from '@app/common';
import { KeystoreCipher } from '@app/tron';
import type { Provider } from '@nestjs/common';
import { readFileSync } from 'node:fs';

/** The cipher, with the master secret from env or a mounted secret file and KDF numbers from the policy. */
export const keystoreCipherProvider: Provider = {
  provide: KeystoreCipher,
  inject: [AppConfigService, SecurityPolicy],
  useFactory: (config: AppConfigService, policy: SecurityPolicy) => {
    const file = config.get('KEYSTORE_MASTER_SECRET_FILE');
    const current =
      config.get('KEYSTORE_MASTER_SECRET') ??
      (file ? readFileSync(file, 'utf8').trim() : undefined);
    if (!current) {
      throw new Error(
        'KEYSTORE_MASTER_SECRET or KEYSTORE_MASTER_SECRET_FILE is required to hold managed keys',
      );
    }
    const enc = policy.file.encryption;
    return new KeystoreCipher([current, ...config.get('KEYSTORE_PREVIOUS_MASTER_SECRETS')], {
      iterations: enc.key_derivation.iterations,
      keyLengthBytes: enc.key_derivation.key_length_bytes,
      saltBytes: enc.key_derivation.salt_bytes,
      ivBytes: enc.iv_bytes,
    });
  },
};
