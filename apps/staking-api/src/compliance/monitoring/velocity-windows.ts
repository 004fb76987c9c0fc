import { AppConfigService, ErrorCode, InjectRedis, StakingException, type Sun } from '@app/common';
import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { CountedWrite } from '../../operations/write-compliance.js';

export const WINDOWS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type Window = keyof typeof WINDOWS;
const WINDOW_NAMES = Object.keys(WINDOWS) as Window[];

export interface WindowCounts {
  count: Record<Window, number>;
  /** SUN moved in each current window. */
  sun: Record<Window, Sun>;
  /** SUN moved in the current UTC day (the KYC daily tier and the daily amount alert). */
  daySun: Sun;
}

// Decrements only buckets that still exist: a window that already expired is not recreated.
const RELEASE_SCRIPT = `
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('DECRBY', key, ARGV[i]) end
end
return 1`;

/**
 * Operation counts and SUN per minute, hour and UTC day, per account and per user, in fixed
 * Redis windows every replica shares; and the hourly set of new receivers per owner (the
 * pattern rule). Reads happen under the owner lock; a write is counted when it is allowed and
 * taken back out (`release`) when it does not happen after all.
 */
@Injectable()
export class VelocityWindows {
  private readonly prefix: string;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    config: AppConfigService,
  ) {
    this.prefix = `${config.get('REDIS_KEY_PREFIX')}compliance:velocity:`;
  }

  private bucket(w: Window, now: number): number {
    return Math.floor(now / WINDOWS[w]);
  }

  private countKey(scope: string, w: Window, now: number): string {
    return `${this.prefix}${scope}:${w[0]}:${this.bucket(w, now)}`;
  }

  private sunKey(scope: string, w: Window, now: number): string {
    return `${this.prefix}${scope}:sun:${w[0]}:${this.bucket(w, now)}`;
  }

  private receiversKey(owner: string, now: number): string {
    return `${this.prefix}newrcv:${owner}:${this.bucket('hour', now)}`;
  }

  /** The owner's structuring window: fixed buckets of the policy's `window_minutes`. */
  private nearKey(owner: string, now: number, windowMs: number): string {
    return `${this.prefix}near:${owner}:${windowMs}:${Math.floor(now / windowMs)}`;
  }

  /** Writes of this owner just under the alert amount in the current structuring window. */
  async nearThresholdCount(owner: string, windowMs: number, now = Date.now()): Promise<number> {
    return Number(
      (await this.guard(() => this.redis.get(this.nearKey(owner, now, windowMs)))) ?? 0,
    );
  }

  async read(scope: string, now: number = Date.now()): Promise<WindowCounts> {
    const keys = WINDOW_NAMES.flatMap((w) => [
      this.countKey(scope, w, now),
      this.sunKey(scope, w, now),
    ]);
    const values = (await this.guard(() => this.redis.mget(...keys))).map((v) => v ?? '0');
    const count = {} as Record<Window, number>;
    const sun = {} as Record<Window, Sun>;
    WINDOW_NAMES.forEach((w, i) => {
      count[w] = Number(values[2 * i]);
      sun[w] = BigInt(values[2 * i + 1]!);
    });
    return { count, sun, daySun: sun.day };
  }

  /** The receivers counted new for this owner in the current hour (a small Redis set). */
  async newReceiversThisHour(owner: string, now: number = Date.now()): Promise<string[]> {
    return this.guard(() => this.redis.smembers(this.receiversKey(owner, now)));
  }

  async record(
    scopes: string[],
    amountSun: Sun,
    owner: string,
    newReceivers: string[],
    nearThresholdWindowMs?: number,
    now: number = Date.now(),
  ): Promise<Omit<CountedWrite, 'new_counterparties'>> {
    const tx = this.redis.multi();
    for (const scope of scopes)
      for (const w of WINDOW_NAMES) {
        const ttl = WINDOWS[w] * 2;
        tx.incr(this.countKey(scope, w, now)).pexpire(this.countKey(scope, w, now), ttl);
        tx.incrby(this.sunKey(scope, w, now), amountSun.toString());
        tx.pexpire(this.sunKey(scope, w, now), ttl);
      }
    if (newReceivers.length) {
      tx.sadd(this.receiversKey(owner, now), ...newReceivers);
      tx.pexpire(this.receiversKey(owner, now), WINDOWS.hour * 2);
    }
    if (nearThresholdWindowMs) {
      const key = this.nearKey(owner, now, nearThresholdWindowMs);
      tx.incr(key).pexpire(key, nearThresholdWindowMs * 2);
    }
    await this.guard(() => tx.exec());
    return {
      at: now,
      amount_sun: amountSun.toString(),
      scopes,
      owner,
      new_receivers: newReceivers,
      ...(nearThresholdWindowMs
        ? { near_threshold: true, near_window_ms: nearThresholdWindowMs }
        : {}),
    };
  }

  /** Takes a counted write back out of the buckets it was counted in. */
  async release(counted: Omit<CountedWrite, 'new_counterparties'>): Promise<void> {
    const keys: string[] = [];
    const by: string[] = [];
    for (const scope of counted.scopes)
      for (const w of WINDOW_NAMES) {
        keys.push(this.countKey(scope, w, counted.at), this.sunKey(scope, w, counted.at));
        by.push('1', counted.amount_sun);
      }
    if (counted.near_threshold && counted.near_window_ms) {
      keys.push(this.nearKey(counted.owner, counted.at, counted.near_window_ms));
      by.push('1');
    }
    await this.guard(() => this.redis.eval(RELEASE_SCRIPT, keys.length, ...keys, ...by));
    if (counted.new_receivers.length)
      await this.guard(() =>
        this.redis.srem(this.receiversKey(counted.owner, counted.at), ...counted.new_receivers),
      );
  }

  /** Once per operation: true the first time (a settlement may run twice). */
  async claimRelease(operationId: string): Promise<boolean> {
    const set = await this.guard(() =>
      this.redis.set(`${this.prefix}released:${operationId}`, '1', 'PX', WINDOWS.day * 2, 'NX'),
    );
    return set === 'OK';
  }

  /** When the owner's last stake was confirmed (kept for the rapid stake/unstake window). */
  async lastStakeAt(owner: string): Promise<number | null> {
    const v = await this.guard(() => this.redis.get(`${this.prefix}staked:${owner}`));
    return v === null ? null : Number(v);
  }

  async rememberStake(owner: string, at: number, keepMs: number): Promise<void> {
    await this.guard(() =>
      this.redis.set(`${this.prefix}staked:${owner}`, String(at), 'PX', keepMs),
    );
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch {
      // Monitoring that cannot count cannot allow: fail closed like the owner lock.
      throw new StakingException(ErrorCode.CACHE_UNAVAILABLE);
    }
  }
}
