import type { Sun } from '@app/common';

/**
 * java-tron's WithdrawBalanceActuator refuses a claim while
 * `head block time − latest_withdraw_time < WitnessAllowanceFrozenTime × FROZEN_PERIOD`,
 * i.e. less than 1 day × 86,400,000 ms: a chain rule, not a policy figure.
 */
export const CLAIM_INTERVAL_MS = 86_400_000;

/** When the chain takes the next claim (ms, chain time); in the past for one that never claimed. */
export const nextClaimAt = (latestWithdrawTime: number): number =>
  latestWithdrawTime + CLAIM_INTERVAL_MS;

/** The same comparison as the actuator: allowed once a full interval has passed (inclusive). */
export const claimAllowed = (latestWithdrawTime: number, chainNow: number): boolean =>
  chainNow - latestWithdrawTime >= CLAIM_INTERVAL_MS;

export interface RewardShareInput {
  staking_id: string;
  amount_sun: number;
  resource: 'ENERGY' | 'BANDWIDTH';
}

export interface RewardAttribution {
  shares: { staking_id: string; resource: 'ENERGY' | 'BANDWIDTH'; sun: Sun }[];
  energySun: Sun;
  bandwidthSun: Sun;
  /** Claimed SUN no record carries (the account had no frozen record at settlement). */
  unattributedSun: Sun;
}

/**
 * Attributes a confirmed claim to the account's frozen records, pro rata to their amounts:
 * share_i = floor(claimed × amount_i / Σ amount); the rounding remainder (< number of records
 * SUN) goes to the largest record (ties: the lowest staking_id), so the shares add up to the
 * claim exactly. Without records nothing is attributed; the energy/bandwidth split then follows
 * the account's own stake per resource on chain (`chainStake`), remainder to ENERGY.
 */
export function attributeClaim(
  claimedSun: Sun,
  records: RewardShareInput[],
  chainStake: Record<'ENERGY' | 'BANDWIDTH', Sun>,
): RewardAttribution {
  const live = records.filter((r) => r.amount_sun > 0);
  const total = live.reduce((s, r) => s + BigInt(r.amount_sun), 0n);
  if (claimedSun <= 0n || total === 0n) {
    const stake = chainStake.ENERGY + chainStake.BANDWIDTH;
    const bandwidthSun = stake > 0n ? (claimedSun * chainStake.BANDWIDTH) / stake : 0n;
    return {
      shares: [],
      energySun: claimedSun - bandwidthSun,
      bandwidthSun,
      unattributedSun: claimedSun,
    };
  }
  const shares = live.map((r) => ({
    staking_id: r.staking_id,
    resource: r.resource,
    sun: (claimedSun * BigInt(r.amount_sun)) / total,
  }));
  const remainder = claimedSun - shares.reduce((s, x) => s + x.sun, 0n);
  const largest = [...live].sort(
    (a, b) => b.amount_sun - a.amount_sun || (a.staking_id < b.staking_id ? -1 : 1),
  )[0]!;
  shares.find((s) => s.staking_id === largest.staking_id)!.sun += remainder;
  const bySum = (resource: 'ENERGY' | 'BANDWIDTH') =>
    shares.filter((s) => s.resource === resource).reduce((a, s) => a + s.sun, 0n);
  return {
    shares: shares.filter((s) => s.sun > 0n),
    energySun: bySum('ENERGY'),
    bandwidthSun: bySum('BANDWIDTH'),
    unattributedSun: 0n,
  };
}
