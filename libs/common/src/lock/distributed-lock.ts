import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { AppConfigService } from '../config/app-config.service.js';
import { InjectRedis } from '../redis/redis.module.js';

// Release and extend only when we still own the lock: another holder may have taken it after expiry.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface LockHandle {
  readonly key: string;
  readonly token: string;
  release(): Promise<boolean>;
  extend(ttlMs: number): Promise<boolean>;
}

/**
 * A single-Redis lease lock (SET NX PX + owner token). Leases expire, so a holder that dies
 * frees the lock after `ttlMs`; long work must extend its lease.
 */
@Injectable()
export class DistributedLock {
  private readonly prefix: string;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    config: AppConfigService,
  ) {
    this.prefix = `${config.get('REDIS_KEY_PREFIX')}lock:`;
  }

  async acquire(name: string, ttlMs: number): Promise<LockHandle | null> {
    const key = this.prefix + name;
    const token = randomUUID();
    const ok = await this.redis.set(key, token, 'PX', ttlMs, 'NX');
    if (ok !== 'OK') return null;
    return {
      key,
      token,
      release: async () => (await this.redis.eval(RELEASE, 1, key, token)) === 1,
      extend: async (ms: number) => (await this.redis.eval(EXTEND, 1, key, token, ms)) === 1,
    };
  }

  /** Runs `work` under the lock; returns `{ ran: false }` when another holder has it. */
  async runExclusive<T>(
    name: string,
    ttlMs: number,
    work: (lock: LockHandle) => Promise<T>,
  ): Promise<{ ran: true; result: T } | { ran: false }> {
    const lock = await this.acquire(name, ttlMs);
    if (!lock) return { ran: false };
    try {
      return { ran: true, result: await work(lock) };
    } finally {
      await lock.release().catch(() => false);
    }
  }
}
