import { BANDWIDTH, ENERGY, TRON_POWER } from './constants.js';

export interface UnfreezeEntry {
  type: number;
  amount: number;
  expireTime: number;
}

export interface Vote {
  address: string;
  count: number;
}

/** One account (java-tron's Account proto, Stake 2.0 part). Amounts are SUN, safe integers. */
export interface Account {
  address: string;
  /** AccountType: 0 Normal, 1 AssetIssue, 2 Contract. */
  type: number;
  balance: number;
  createTime: number;
  latestOperationTime: number;
  allowance: number;
  latestWithdrawTime: number;
  /** Own frozenV2 per resource, excluding what is delegated out. */
  frozen: [number, number, number];
  delegatedBandwidth: number;
  delegatedEnergy: number;
  acquiredBandwidth: number;
  acquiredEnergy: number;
  unfrozen: UnfreezeEntry[];
  votes: Vote[];
  /** Staked-bandwidth usage and the slot of its last update. */
  netUsage: number;
  latestConsumeTime: number;
  freeNetUsage: number;
  latestConsumeFreeTime: number;
  energyUsage: number;
  latestConsumeTimeForEnergy: number;
  netWindowUsed: boolean;
  energyWindowUsed: boolean;
  isWitness: boolean;
  /** Reward bookkeeping (see rewards.ts): votes as tallied at the last maintenance. */
  countedVotes: Vote[];
  rewardSnapshot: Record<string, bigint>;
  /** Voter reward settled from past blocks but not yet moved into `allowance`. */
  pendingReward: number;
  /** Bumped on every change; keys the formatted-JSON cache. */
  version: number;
}

export function newAccount(address: string, now: number, type = 0): Account {
  return {
    address,
    type,
    balance: 0,
    createTime: now,
    latestOperationTime: 0,
    allowance: 0,
    latestWithdrawTime: 0,
    frozen: [0, 0, 0],
    delegatedBandwidth: 0,
    delegatedEnergy: 0,
    acquiredBandwidth: 0,
    acquiredEnergy: 0,
    unfrozen: [],
    votes: [],
    netUsage: 0,
    latestConsumeTime: 0,
    freeNetUsage: 0,
    latestConsumeFreeTime: 0,
    energyUsage: 0,
    latestConsumeTimeForEnergy: 0,
    netWindowUsed: false,
    energyWindowUsed: false,
    isWitness: false,
    countedVotes: [],
    rewardSnapshot: {},
    pendingReward: 0,
    version: 0,
  };
}

export function cloneAccount(a: Account): Account {
  return {
    ...a,
    frozen: [...a.frozen],
    unfrozen: a.unfrozen.map((e) => ({ ...e })),
    votes: a.votes.map((v) => ({ ...v })),
    countedVotes: a.countedVotes.map((v) => ({ ...v })),
    rewardSnapshot: { ...a.rewardSnapshot },
  };
}

/** AccountCapsule.getTronPower with the new resource model off: all own V2 stake incl. delegated. */
export function tronPower(a: Account): number {
  return a.frozen[BANDWIDTH] + a.frozen[ENERGY] + a.delegatedBandwidth + a.delegatedEnergy;
}

export function frozenWithDelegated(a: Account, resource: number): number {
  if (resource === BANDWIDTH) return a.frozen[BANDWIDTH] + a.delegatedBandwidth;
  if (resource === ENERGY) return a.frozen[ENERGY] + a.delegatedEnergy;
  return a.frozen[TRON_POWER];
}

/** getAllFrozenBalanceForBandwidth: own (not delegated out) + received. */
export function allFrozenForBandwidth(a: Account): number {
  return a.frozen[BANDWIDTH] + a.acquiredBandwidth;
}

export function allFrozenForEnergy(a: Account): number {
  return a.frozen[ENERGY] + a.acquiredEnergy;
}

export function totalVotes(votes: Vote[]): number {
  let sum = 0;
  for (const v of votes) sum += v.count;
  return sum;
}

export function checkedAdd(a: number, b: number): number {
  const r = a + b;
  if (!Number.isSafeInteger(r)) throw new RangeError('long overflow');
  return r;
}
