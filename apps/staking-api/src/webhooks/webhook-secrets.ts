import { KeystoreCipher, type EncryptedKey } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/**
 * Subscription secrets: generated here, stored encrypted under the keystore master secret (the
 * subscription id is the associated data), decrypted once per process and kept in memory for
 * signing (PBKDF2 per delivery would cost more than the delivery).
 */
@Injectable()
export class WebhookSecrets {
  private readonly plain = new Map<string, string>();

  constructor(private readonly cipher: KeystoreCipher) {}

  async generate(subscriptionId: string): Promise<{ secret: string; encrypted: EncryptedKey }> {
    const hex = randomBytes(32).toString('hex');
    const encrypted = await this.cipher.encrypt(hex, subscriptionId);
    const secret = `${PREFIX}${hex}`;
    this.plain.set(subscriptionId, secret);
    return { secret, encrypted };
  }

  async secretOf(subscriptionId: string, encrypted: EncryptedKey): Promise<string> {
    const known = this.plain.get(subscriptionId);
    if (known) return known;
    const secret = `${PREFIX}${await this.cipher.decrypt(encrypted, subscriptionId)}`;
    this.plain.set(subscriptionId, secret);
    return secret;
  }

  forget(subscriptionId: string): void {
    this.plain.delete(subscriptionId);
  }
}
