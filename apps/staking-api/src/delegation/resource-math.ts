import type { ChainDelegation, ChainResources, Resource } from '@app/tron';

const SUN_PER_TRX = 1_000_000n;
/** java-tron's block interval: lock periods are counted in blocks of 3 s. */
export const BLOCK_MS = 3_000;
/** DELEGATE_PERIOD: a lock without a period (or on a chain without the proposal) is 3 days. */
export const DEFAULT_LOCK_BLOCKS = (3 * 86_400_000) / BLOCK_MS;

/** The network totals that turn staked SUN into energy or bandwidth units. */
export interface NetworkTotals {
  limit: number;
  /** Total staked weight, whole TRX. */
  weight: number;
}

export function totalsFor(r: ChainResources, resource: Resource): NetworkTotals {
  return resource === 'ENERGY'
    ? { limit: r.totalEnergyLimit, weight: r.totalEnergyWeight }
    : { limit: r.totalNetLimit, weight: r.totalNetWeight };
}

/**
 * Units (energy or bandwidth) that `sun` of stake yields: java-tron's
 * frozen × TotalLimit / (TRX_PRECISION × TotalWeight), rounded down.
 */
export function unitsForSun(sun: bigint, t: NetworkTotals): number {
  if (t.weight <= 0 || sun <= 0n) return 0;
  return Number((sun * BigInt(t.limit)) / (SUN_PER_TRX * BigInt(t.weight)));
}

/** SUN of stake that yields at least `units`: the inverse, rounded up. */
export function sunForUnits(units: number, t: NetworkTotals): bigint {
  if (units <= 0) return 0n;
  if (t.limit <= 0) return 0n;
  const n = BigInt(units) * SUN_PER_TRX * BigInt(t.weight);
  const d = BigInt(t.limit);
  return n / d + (n % d > 0n ? 1n : 0n);
}

/** The lock period java-tron applies (DelegateResourceActuator with supportMaxDelegateLockPeriod). */
export function effectiveLockBlocks(
  lock: boolean,
  lockPeriod: number,
  maxLockBlocks: number,
): number {
  if (!lock) return 0;
  if (maxLockBlocks > DEFAULT_LOCK_BLOCKS)
    return lockPeriod === 0 ? DEFAULT_LOCK_BLOCKS : lockPeriod;
  return DEFAULT_LOCK_BLOCKS;
}

/** One chain delegation (from, to) for one resource, as the chain holds it now. */
export interface PairPosition {
  totalSun: bigint;
  /** Undelegatable now: the unlocked record plus a locked one whose lock has passed. */
  unlockedSun: bigint;
  lockedSun: bigint;
  /** End of the running lock, ms; 0 when nothing is locked. */
  lockEndsAt: number;
}

export function pairPosition(
  entries: ChainDelegation[],
  resource: Resource,
  chainNow: number,
): PairPosition {
  const p: PairPosition = { totalSun: 0n, unlockedSun: 0n, lockedSun: 0n, lockEndsAt: 0 };
  for (const e of entries) {
    const sun = e.sun[resource];
    if (sun <= 0n) continue;
    p.totalSun += sun;
    const expire = e.expireAt[resource];
    // java-tron unlocks a locked record only once its expire time is strictly past.
    if (expire > 0 && expire >= chainNow) {
      p.lockedSun += sun;
      p.lockEndsAt = Math.max(p.lockEndsAt, expire);
    } else p.unlockedSun += sun;
  }
  return p;
}
