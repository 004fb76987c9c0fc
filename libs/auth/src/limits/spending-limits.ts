import {
  AppConfigService,
  ErrorCode,
  InjectRedis,
  SecurityPolicy,
  StakingException,
  sunToTrxString,
  type Sun,
} from '@app/common';
import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../principal.js';

/** A successful reservation against the caller's daily total; pass it to `release` if the operation is refused later. */
export interface SpendingReservation {
  readonly id: string;
  readonly principal: Pick<Principal, 'kind' | 'id' | 'role'>;
  readonly operation: string;
  readonly amountSun: Sun;
  /** UTC day (YYYY-MM-DD) the amount counts towards. */
  readonly day: string;
  /** Redis key of the daily total; null for roles without a daily limit. */
  readonly key: string | null;
  /** What is left today after this reservation; null when unlimited. */
  readonly remainingSun: Sun | null;
}

// Check and add in one step so that replicas racing on the same principal never overshoot.
const RESERVE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
if current + amount > limit then return {0, tostring(current)} end
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, tostring(total)}`;

// A reservation is released at most once, whoever retries.
const RELEASE = `
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then
  if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECRBY', KEYS[1], ARGV[1]) end
  return 1
end
return 0`;

// Totals outlive their UTC day a little so that a release just after midnight still finds its key.
const DAY_KEY_TTL_MS = 2 * 24 * 3600 * 1000;

/**
 * Per-role TRX limits from the security policy: a per-operation maximum and a daily total per
 * principal (UTC day), shared by all replicas through Redis. Fails closed when Redis is away.
 */
@Injectable()
export class SpendingLimits {
  private readonly prefix: string;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly policy: SecurityPolicy,
    config: AppConfigService,
  ) {
    this.prefix = `${config.get('REDIS_KEY_PREFIX')}limits:daily:`;
  }

  async reserve(
    principal: Principal,
    amountSun: Sun,
    operation: string,
    now: Date = new Date(),
  ): Promise<SpendingReservation> {
    if (amountSun < 0n) throw new RangeError('amountSun must not be negative');
    const limits = this.policy.roleLimits(principal.role);
    if (limits.maxOperationSun !== null && amountSun > limits.maxOperationSun) {
      throw new StakingException(ErrorCode.OPERATION_LIMIT_EXCEEDED, undefined, {
        role: principal.role,
        operation,
        amount_trx: sunToTrxString(amountSun),
        max_operation_trx: sunToTrxString(limits.maxOperationSun),
      });
    }
    const day = now.toISOString().slice(0, 10);
    const base = {
      id: randomUUID(),
      principal: { kind: principal.kind, id: principal.id, role: principal.role },
      operation,
      amountSun,
      day,
    };
    if (limits.dailyLimitSun === null) return { ...base, key: null, remainingSun: null };

    const key = `${this.prefix}${principal.kind}:${principal.id}:${day}`;
    const [ok, total] = (await this.run(() =>
      this.redis.eval(
        RESERVE,
        1,
        key,
        amountSun.toString(),
        limits.dailyLimitSun!.toString(),
        DAY_KEY_TTL_MS,
      ),
    )) as [number, string];
    const used = BigInt(total);
    if (ok !== 1) {
      throw new StakingException(ErrorCode.DAILY_LIMIT_EXCEEDED, undefined, {
        role: principal.role,
        operation,
        amount_trx: sunToTrxString(amountSun),
        daily_limit_trx: sunToTrxString(limits.dailyLimitSun),
        used_today_trx: sunToTrxString(used),
        day,
      });
    }
    return { ...base, key, remainingSun: limits.dailyLimitSun - used };
  }

  /** Gives the amount back to today's total (an operation refused before it reached the chain). Idempotent. */
  async release(reservation: SpendingReservation): Promise<void> {
    if (reservation.key === null || reservation.amountSun === 0n) return;
    await this.run(() =>
      this.redis.eval(
        RELEASE,
        2,
        reservation.key!,
        `${reservation.key}:released:${reservation.id}`,
        reservation.amountSun.toString(),
        DAY_KEY_TTL_MS,
      ),
    );
  }

  /** Today's reserved total of a principal (for views and tests). */
  async usedToday(principal: Pick<Principal, 'kind' | 'id'>, now: Date = new Date()): Promise<Sun> {
    const key = `${this.prefix}${principal.kind}:${principal.id}:${now.toISOString().slice(0, 10)}`;
    return BigInt((await this.run(() => this.redis.get(key))) ?? '0');
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StakingException) throw error;
      // Money limits fail closed: no Redis, no write.
      throw new StakingException(ErrorCode.CACHE_UNAVAILABLE);
    }
  }
}
