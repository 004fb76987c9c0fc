import { ErrorCode, StakingException, type Sun } from '@app/common';
import type { ChainAccount } from '@app/tron';

/** One entry of a TRON vote: votes are whole TRX of TRON power. */
export interface VoteEntry {
  witness: string;
  count: number;
}

export const SUN_PER_VOTE = 1_000_000n;

export const totalVotes = (votes: readonly VoteEntry[]) =>
  votes.reduce((sum, v) => sum + v.count, 0);

/**
 * TRON power in whole votes (Stake 2.0, new resource model off): all own stake, including what
 * is delegated out, less what in-flight unfreezes will take; received stake gives none.
 */
export function tronPowerVotes(account: ChainAccount, unfreezingSun: Sun = 0n): number {
  const sun =
    account.frozenSun.ENERGY +
    account.frozenSun.BANDWIDTH +
    account.delegatedOutSun.ENERGY +
    account.delegatedOutSun.BANDWIDTH -
    unfreezingSun;
  return sun > 0n ? Number(sun / SUN_PER_VOTE) : 0;
}

/**
 * The votes a new vote set MOVES: Σ over witnesses of max(0, new − current). VoteWitness
 * replaces the whole set, so a holder of 1,000 votes adding 100 re-sends 1,100 but moves 100;
 * moving 1,000 from one witness to another moves 1,000; removing votes moves none.
 */
export function movedVotes(current: readonly VoteEntry[], next: readonly VoteEntry[]): number {
  const before = new Map<string, number>();
  for (const v of current) before.set(v.witness, (before.get(v.witness) ?? 0) + v.count);
  const after = new Map<string, number>();
  for (const v of next) after.set(v.witness, (after.get(v.witness) ?? 0) + v.count);
  let moved = 0;
  for (const [witness, count] of after) moved += Math.max(0, count - (before.get(witness) ?? 0));
  return moved;
}

/** Same witnesses with the same counts, in any order. */
export function sameVotes(a: readonly VoteEntry[], b: readonly VoteEntry[]): boolean {
  if (a.length !== b.length) return false;
  const key = (v: readonly VoteEntry[]) =>
    v
      .map((e) => `${e.witness}:${e.count}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/**
 * A TRON vote replaces all of the account's votes: the requested entries replace the counts of
 * their witnesses in `current` and every other current vote is kept, unless `replace`.
 */
export function mergeVotes(
  current: readonly VoteEntry[],
  requested: readonly VoteEntry[],
  replace: boolean,
): VoteEntry[] {
  if (replace) return requested.map((v) => ({ ...v }));
  const byWitness = new Map(current.map((v) => [v.witness, v.count]));
  for (const v of requested) byWitness.set(v.witness, v.count);
  return [...byWitness].map(([witness, count]) => ({ witness, count }));
}

/** The request's own shape: 1–max entries, no witness twice. Checked before any node call. */
export function checkRequestShape(requested: readonly VoteEntry[], maxWitnesses: number): void {
  if (requested.length === 0)
    throw new StakingException(ErrorCode.INVALID_VOTE, 'Name at least one witness to vote for.');
  if (requested.length > maxWitnesses)
    throw new StakingException(ErrorCode.TOO_MANY_WITNESSES, undefined, {
      entries: requested.length,
      max_witnesses: maxWitnesses,
    });
  const seen = new Set<string>();
  for (const v of requested) {
    if (seen.has(v.witness))
      throw new StakingException(ErrorCode.INVALID_VOTE, 'A witness appears twice in the votes.', {
        duplicate_witness: v.witness,
      });
    seen.add(v.witness);
  }
}

/** The resulting vote set against the chain: entries, witnesses, TRON power. */
export function checkVoteSet(
  votes: readonly VoteEntry[],
  limits: { maxWitnesses: number; minVotes: number },
  witnesses: ReadonlySet<string>,
  powerVotes: number,
): void {
  if (votes.length > limits.maxWitnesses)
    throw new StakingException(
      ErrorCode.TOO_MANY_WITNESSES,
      'Merged with the current votes, the vote names more witnesses than the chain allows.',
      { entries: votes.length, max_witnesses: limits.maxWitnesses },
    );
  for (const v of votes) {
    if (!witnesses.has(v.witness))
      throw new StakingException(ErrorCode.WITNESS_NOT_FOUND, undefined, {
        witness_address: v.witness,
      });
  }
  const total = totalVotes(votes);
  if (total < limits.minVotes)
    throw new StakingException(ErrorCode.INVALID_VOTE, undefined, {
      total_votes: total,
      min_votes: limits.minVotes,
    });
  if (total > powerVotes)
    throw new StakingException(ErrorCode.INSUFFICIENT_TRON_POWER, undefined, {
      tron_power: powerVotes,
      total_votes: total,
      missing_votes: total - powerVotes,
    });
}

/**
 * Splits `power` votes over `witnesses` as evenly as whole votes allow (the first ones get the
 * remainder), dropping witnesses that would get none.
 */
export function splitEvenly(power: number, witnesses: readonly string[]): VoteEntry[] {
  if (power <= 0 || witnesses.length === 0) return [];
  const share = Math.floor(power / witnesses.length);
  const rest = power % witnesses.length;
  return witnesses
    .map((witness, i) => ({ witness, count: share + (i < rest ? 1 : 0) }))
    .filter((v) => v.count > 0);
}
