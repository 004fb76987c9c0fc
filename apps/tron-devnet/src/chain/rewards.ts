import type { Account } from './account.js';
import type { Chain } from './chain.js';
import { STANDBY_WITNESS_COUNT } from './constants.js';
import type { Witness } from './types.js';
import type { StateView } from './view.js';

/**
 * Reward model (README "Rewards"): every block pays getWitnessPayPerBlock to its producer and
 * getWitness127PayPerBlock to the standby witnesses in proportion to their tallied votes
 * (MortgageService.payBlockReward / payStandbyWitness). Each payment is split by the witness's
 * brokerage: that percent goes to the witness's allowance, the rest to its voters, accrued per
 * vote in `rewardPerVote`. A voter earns on the votes tallied at the last maintenance
 * (`countedVotes`), so a new vote earns from the next maintenance on, as in java-tron's cycles.
 */
export const REWARD_SCALE = 10n ** 18n;

function earned(chain: StateView, acc: Account): number {
  let sum = 0n;
  for (const v of acc.countedVotes) {
    const w = chain.witnesses.get(v.address);
    if (!w) continue;
    const snap = acc.rewardSnapshot[v.address] ?? w.rewardPerVote;
    sum += (BigInt(v.count) * (w.rewardPerVote - snap)) / REWARD_SCALE;
  }
  return Number(sum);
}

/** MortgageService.queryReward + allowance: what getReward reports. */
export function queryReward(chain: StateView, acc: Account): number {
  return acc.allowance + acc.pendingReward + earned(chain, acc);
}

function settle(chain: Chain, acc: Account): void {
  const e = earned(chain, acc);
  if (e) acc.pendingReward += e;
  for (const v of acc.countedVotes) {
    const w = chain.witnesses.get(v.address);
    if (w) acc.rewardSnapshot[v.address] = w.rewardPerVote;
  }
}

/** MortgageService.withdrawReward: moves the voter reward into `allowance`. */
export function withdrawReward(chain: Chain, acc: Account): void {
  settle(chain, acc);
  if (acc.pendingReward) {
    acc.allowance += acc.pendingReward;
    acc.pendingReward = 0;
    chain.touch(acc);
  }
}

function payReward(chain: Chain, w: Witness, amount: number): void {
  if (amount <= 0) return;
  const acc = chain.account(w.address);
  if (!acc) return;
  if (w.voteCount <= 0) {
    acc.allowance += amount;
    chain.touch(acc);
    return;
  }
  const kept = Math.floor((amount * w.brokerage) / 100);
  acc.allowance += kept;
  chain.touch(acc);
  w.rewardPerVote += (BigInt(amount - kept) * REWARD_SCALE) / BigInt(w.voteCount);
}

export function payBlockRewards(chain: Chain, producer: Witness): void {
  payReward(chain, producer, chain.p('getWitnessPayPerBlock'));
  const standby = [...chain.witnesses.values()]
    .filter((w) => w.voteCount > 0)
    .sort((a, b) => b.voteCount - a.voteCount)
    .slice(0, STANDBY_WITNESS_COUNT);
  const total = standby.reduce((s, w) => s + w.voteCount, 0);
  if (total <= 0) return;
  const pool = BigInt(chain.p('getWitness127PayPerBlock'));
  for (const w of standby)
    payReward(chain, w, Number((pool * BigInt(w.voteCount)) / BigInt(total)));
}

/** MaintenanceManager: tallies the votes changed since the last maintenance into witnesses. */
export function tallyVotes(chain: Chain): void {
  for (const address of chain.dirtyVoters) {
    const acc = chain.account(address);
    if (!acc) continue;
    settle(chain, acc);
    for (const v of acc.countedVotes) {
      const w = chain.witnesses.get(v.address);
      if (w) w.voteCount -= v.count;
    }
    acc.countedVotes = acc.votes.map((v) => ({ ...v }));
    acc.rewardSnapshot = {};
    for (const v of acc.countedVotes) {
      const w = chain.witnesses.get(v.address);
      if (!w) continue;
      w.voteCount += v.count;
      acc.rewardSnapshot[v.address] = w.rewardPerVote;
    }
    chain.touch(acc);
  }
  chain.dirtyVoters.clear();
}
