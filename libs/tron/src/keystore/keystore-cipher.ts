import { createCipheriv, createDecipheriv, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export interface KdfParams {
  iterations: number;
  keyLengthBytes: number;
  saltBytes: number;
  ivBytes: number;
}

/** What is stored for a key: never the key itself. */
export interface EncryptedKey {
  alg: 'aes-256-gcm';
  kdf: 'pbkdf2-sha256';
  iterations: number;
  salt: string;
  iv: string;
  tag: string;
  ciphertext: string;
  /** Which master secret encrypted it (an HMAC fingerprint, not the secret). */
  kek_id: string;
}

/**
 * AES-256-GCM envelope for private keys. The data key is derived with PBKDF2-SHA256 from a
 * master secret and a per-record salt; the address is the associated data, so a blob moved
 * to another account fails authentication. Several master secrets may be loaded at once:
 * the first encrypts, all decrypt (rotation without downtime).
 */
export class KeystoreCipher {
  private readonly secrets: { id: string; secret: Buffer }[];
  private readonly derived = new Map<string, Promise<Buffer>>();

  constructor(
    masterSecrets: string[],
    private readonly params: KdfParams,
  ) {
    if (!masterSecrets.length || masterSecrets.some((s) => s.length < 16)) {
      throw new Error('Keystore master secret missing or shorter than 16 characters');
    }
    this.secrets = masterSecrets.map((s) => ({
      id: KeystoreCipher.fingerprint(s),
      secret: Buffer.from(s, 'utf8'),
    }));
  }

  static fingerprint(secret: string): string {
    return createHmac('sha256', secret)
      .update('tron-staking keystore key id v1')
      .digest('hex')
      .slice(0, 16);
  }

  get currentKekId(): string {
    return this.secrets[0]!.id;
  }

  async encrypt(privateKey: string, address: string): Promise<EncryptedKey> {
    const { id, secret } = this.secrets[0]!;
    const salt = randomBytes(this.params.saltBytes);
    const iv = randomBytes(this.params.ivBytes);
    const key = await this.deriveKey(id, secret, salt, this.params.iterations);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(address, 'utf8'));
    const ciphertext = Buffer.concat([
      cipher.update(Buffer.from(privateKey, 'hex')),
      cipher.final(),
    ]);
    return {
      alg: 'aes-256-gcm',
      kdf: 'pbkdf2-sha256',
      iterations: this.params.iterations,
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      kek_id: id,
    };
  }

  async decrypt(blob: EncryptedKey, address: string): Promise<string> {
    const entry = this.secrets.find((s) => s.id === blob.kek_id);
    if (!entry) throw new Error(`No master secret loaded for key id ${blob.kek_id}`);
    const key = await this.deriveKey(
      entry.id,
      entry.secret,
      Buffer.from(blob.salt, 'base64'),
      blob.iterations,
    );
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(blob.iv, 'base64'));
    decipher.setAAD(Buffer.from(address, 'utf8'));
    decipher.setAuthTag(Buffer.from(blob.tag, 'base64'));
    return Buffer.concat([
      decipher.update(Buffer.from(blob.ciphertext, 'base64')),
      decipher.final(),
    ]).toString('hex');
  }

  /** True when the blob is not under the current master secret (rotation pending). */
  needsRotation(blob: EncryptedKey): boolean {
    return blob.kek_id !== this.currentKekId || blob.iterations !== this.params.iterations;
  }

  // Derivation is deliberately slow; cache per salt so each record pays it once per process.
  private deriveKey(id: string, secret: Buffer, salt: Buffer, iterations: number): Promise<Buffer> {
    const cacheKey = `${id}:${iterations}:${salt.toString('base64')}`;
    let key = this.derived.get(cacheKey);
    if (!key) {
      key = pbkdf2Async(secret, salt, iterations, this.params.keyLengthBytes, 'sha256');
      this.derived.set(cacheKey, key);
      key.catch(() => this.derived.delete(cacheKey));
    }
    return key;
  }
}
