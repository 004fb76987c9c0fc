import type { WitnessInfo } from '@app/tron';

/** java-tron constants the estimate needs (shared/reference: BLOCK_PRODUCED_INTERVAL, SR counts). */
export const BLOCK_INTERVAL_MS = 3_000;
export const ACTIVE_WITNESS_COUNT = 27;
export const STANDBY_WITNESS_COUNT = 127;
const YEAR_MS = 365 * 86_400_000;
const SUN_PER_VOTE = 1_000_000;

export interface AprParameters {
  /** getWitnessPayPerBlock: SUN to the producer of each block. */
  payPerBlockSun: number;
  /** getWitness127PayPerBlock: SUN per block shared by the top 127 by votes. */
  standbyPayPerBlockSun: number;
  /** getMaintenanceTimeInterval: ms between vote tallies (reward cycles). */
  maintenanceIntervalMs: number;
  blockIntervalMs: number;
}

export interface RankedWitness extends WitnessInfo {
  rank: number;
  isActive: boolean;
}

/** listwitnesses is unsorted: rank by tallied votes (ties by address, stable across replicas). */
export function rankWitnesses(list: readonly WitnessInfo[]): RankedWitness[] {
  return [...list]
    .sort((a, b) => b.voteCount - a.voteCount || a.address.localeCompare(b.address))
    .map((w, i) => ({ ...w, rank: i + 1, isActive: i < ACTIVE_WITNESS_COUNT }));
}

/**
 * Estimated yearly voter reward per TRX voted, in percent (README "Voting" has the formula):
 *   cycles/year   = year / maintenance interval
 *   blocks/cycle  = maintenance interval / block interval
 *   block reward  = (active ? blocks/cycle / 27 × payPerBlock : 0)             per cycle
 *   standby pay   = (rank ≤ 127 ? blocks/cycle × pay127PerBlock × votes / Σvotes(top 127) : 0)
 *   voter share   = (block reward + standby pay) × (100 − brokerage) / 100
 *   APR %         = voter share × cycles/year / (votes × 1,000,000 SUN) × 100
 * An estimate for a marginal voter: it ignores the dilution of one's own votes, missed blocks
 * and that a new vote earns from the next maintenance on. Not money: floating point is fine here.
 */
export function estimateVoterApr(
  w: RankedWitness,
  brokeragePercent: number,
  standbyVotes: number,
  p: AprParameters,
): number {
  if (w.voteCount <= 0) return 0;
  const cyclesPerYear = YEAR_MS / p.maintenanceIntervalMs;
  const blocksPerCycle = p.maintenanceIntervalMs / p.blockIntervalMs;
  const blockReward = w.isActive ? (blocksPerCycle / ACTIVE_WITNESS_COUNT) * p.payPerBlockSun : 0;
  const standbyPay =
    w.rank <= STANDBY_WITNESS_COUNT && standbyVotes > 0
      ? (blocksPerCycle * p.standbyPayPerBlockSun * w.voteCount) / standbyVotes
      : 0;
  const voterShare = ((blockReward + standbyPay) * (100 - brokeragePercent)) / 100;
  return ((voterShare * cyclesPerYear) / (w.voteCount * SUN_PER_VOTE)) * 100;
}

/** Σ votes of the top 127: the standby pay's denominator. */
export const standbyVotesOf = (ranked: readonly RankedWitness[]) =>
  ranked
    .filter((w) => w.rank <= STANDBY_WITNESS_COUNT)
    .reduce((sum, w) => sum + Math.max(0, w.voteCount), 0);

export function aprParametersOf(raw: Record<string, number>): AprParameters {
  return {
    payPerBlockSun: raw.getWitnessPayPerBlock ?? 16_000_000,
    standbyPayPerBlockSun: raw.getWitness127PayPerBlock ?? 160_000_000,
    maintenanceIntervalMs: raw.getMaintenanceTimeInterval ?? 21_600_000,
    blockIntervalMs: BLOCK_INTERVAL_MS,
  };
}
