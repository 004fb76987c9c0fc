import { AppConfigService, ErrorCode, InjectRedis, StakingException, type Sun } from '@app/common';
import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';

export const WINDOWS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type Window = keyof typeof WINDOWS;

export interface WindowCounts {
  count: Record<Window, number>;
  /** SUN moved in the current UTC day. */
  daySun: Sun;
}

/**
 * Operation counts per minute, hour and UTC day and the day's SUN, per account and per user, in
 * fixed Redis windows every replica shares. Reads happen under the owner lock; the count moves
 * only when a write is allowed.
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

  private keys(scope: string, now: number) {
    return {
      minute: `${this.prefix}${scope}:m:${Math.floor(now / WINDOWS.minute)}`,
      hour: `${this.prefix}${scope}:h:${Math.floor(now / WINDOWS.hour)}`,
      day: `${this.prefix}${scope}:d:${Math.floor(now / WINDOWS.day)}`,
      daySun: `${this.prefix}${scope}:sun:${Math.floor(now / WINDOWS.day)}`,
    };
  }

  async read(scope: string, now: number = Date.now()): Promise<WindowCounts> {
    const k = this.keys(scope, now);
    const values = await this.guard(() => this.redis.mget(k.minute, k.hour, k.day, k.daySun));
    const [m, h, d, sun] = values.map((v) => v ?? '0');
    return { count: { minute: Number(m), hour: Number(h), day: Number(d) }, daySun: BigInt(sun!) };
  }

  async record(scope: string, amountSun: Sun, now: number = Date.now()): Promise<void> {
    const k = this.keys(scope, now);
    const tx = this.redis.multi();
    for (const w of ['minute', 'hour', 'day'] as const) tx.incr(k[w]).pexpire(k[w], WINDOWS[w] * 2);
    tx.incrby(k.daySun, amountSun.toString()).pexpire(k.daySun, WINDOWS.day * 2);
    await this.guard(() => tx.exec());
  }

  /** Whether the owner has written with this counterparty before (and remembers it if not). */
  async isNewCounterparty(owner: string, counterparty: string): Promise<boolean> {
    return (
      (await this.guard(() => this.redis.sadd(`${this.prefix}seen:${owner}`, counterparty))) === 1
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
