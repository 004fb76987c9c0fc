import { SecurityPolicy } from '@app/common';
import { Injectable } from '@nestjs/common';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SALT_BYTES = 16;

function scryptAsync(
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * scrypt (memory-hard) with the policy's cost parameters. The parameters are stored in each
 * hash (`scrypt$N$r$p$salt$key`), so raising the cost later keeps old hashes verifiable.
 */
@Injectable()
export class PasswordHasher {
  private readonly params: { N: number; r: number; p: number; keylen: number };
  private dummy: Promise<string> | undefined;

  constructor(policy: SecurityPolicy) {
    const s = policy.file.authentication.password.scrypt;
    this.params = { N: s.cost, r: s.block_size, p: s.parallelization, keylen: s.key_length };
  }

  async hash(password: string): Promise<string> {
    const { N, r, p, keylen } = this.params;
    const salt = randomBytes(SALT_BYTES);
    const key = await scryptAsync(password, salt, keylen, {
      N,
      r,
      p,
      maxmem: this.maxmem(N, r, p),
    });
    return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
    const salt = Buffer.from(parts[4]!, 'base64');
    const expected = Buffer.from(parts[5]!, 'base64');
    const key = await scryptAsync(password, salt, expected.length, {
      N,
      r,
      p,
      maxmem: this.maxmem(N, r, p),
    });
    return timingSafeEqual(key, expected);
  }

  /** Spends the same time as a real check, so an unknown username is not told apart by timing. */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= this.hash('dummy-password-for-timing');
    await this.verify(password, await this.dummy);
    return false;
  }

  private maxmem(N: number, r: number, p: number): number {
    return 128 * N * r * p * 2 + 1024 * 1024;
  }
}
