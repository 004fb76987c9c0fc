import type { DecodedTx } from '../tx/codec.js';

export interface Witness {
  address: string;
  url: string;
  /** Votes tallied at the last maintenance (whole TRX). */
  voteCount: number;
  /** Percent of rewards the SR keeps (java-tron default 20). */
  brokerage: number;
  totalProduced: number;
  totalMissed: number;
  latestBlockNum: number;
  latestSlotNum: number;
  isJobs: boolean;
  /** Accumulated voter reward per vote, scaled by REWARD_SCALE (rewards.ts). */
  rewardPerVote: bigint;
  privateKey: string;
}

/** A DelegatedResource record (V2). Locked and unlocked delegations are separate records. */
export interface DelegatedResource {
  from: string;
  to: string;
  bandwidth: number;
  energy: number;
  expireBandwidth: number;
  expireEnergy: number;
}

export interface TxInfoExtras {
  withdrawAmount?: number;
  withdrawExpireAmount?: number;
  cancelUnfreezeV2Amount?: [number, number, number];
}

export interface StoredTx {
  tx: DecodedTx;
  visible: boolean;
  fee: number;
  netUsage: number;
  netFee: number;
  extras: TxInfoExtras;
  blockNumber: number;
  blockTimestamp: number;
  /** Set when the transaction failed at execution: info shows result FAILED with this message. */
  failure?: string;
  json?: Record<string, unknown>;
  jsonVisible?: Record<string, unknown>;
}

export interface Block {
  number: number;
  timestamp: number;
  parentHash: string;
  txTrieRoot: string;
  witnessAddress: string;
  witnessSignature: string;
  blockID: string;
  version: number;
  transactions: StoredTx[];
}
