import type { Sun } from '@app/common';
import type { Resource, TronTransaction, TxIntent } from '../tx/tx-intent.js';

export interface ChainAccount {
  address: string;
  /** False for an address the chain has never seen (not activated). */
  exists: boolean;
  balanceSun: Sun;
  /** Own Stake 2.0 stake still held by the account (excludes what it delegated out). */
  frozenSun: Record<Resource, Sun>;
  delegatedOutSun: Record<Resource, Sun>;
  acquiredSun: Record<Resource, Sun>;
  unfreezing: { resource: Resource; amountSun: Sun; expireAt: number }[];
  votes: { witness: string; count: number }[];
  allowanceSun: Sun;
  latestWithdrawTime: number;
}

export interface ChainResources {
  energyLimit: number;
  energyUsed: number;
  netLimit: number;
  netUsed: number;
  freeNetLimit: number;
  freeNetUsed: number;
  tronPowerLimit: number;
  tronPowerUsed: number;
  totalEnergyLimit: number;
  totalEnergyWeight: number;
  totalNetLimit: number;
  totalNetWeight: number;
}

/**
 * One getdelegatedresourcev2 entry: java-tron keeps an unlocked record and a locked one per
 * (from, to); a locked one carries its lock end per resource (0 = none), and stays locked
 * until that time has passed.
 */
export interface ChainDelegation {
  from: string;
  to: string;
  sun: Record<Resource, Sun>;
  /** Lock end per resource, ms; 0 on the unlocked record. */
  expireAt: Record<Resource, number>;
}

/** getdelegatedresourceaccountindexv2: whom an address delegates to and who delegates to it. */
export interface ChainDelegationIndex {
  toAccounts: string[];
  fromAccounts: string[];
}

export interface ChainBlock {
  number: number;
  id: string;
  timestamp: number;
}

export interface ChainParameters {
  unfreezeDelayDays: number;
  maxDelegateLockPeriodBlocks: number;
  raw: Record<string, number>;
}

export interface WitnessInfo {
  address: string;
  url: string;
  voteCount: number;
  totalProduced: number;
  totalMissed: number;
  isJobs: boolean;
}

export interface TxInfo {
  txid: string;
  blockNumber: number;
  blockTimestamp: number;
  success: boolean;
  feeSun: Sun;
  netUsage: number;
  netFeeSun: Sun;
  withdrawAmountSun: Sun;
  withdrawExpireAmountSun: Sun;
  /** cancelallunfreezev2: what went back to frozen, per resource. */
  cancelledUnfreezeSun: Record<Resource, Sun>;
  failureReason?: string;
}

export interface BroadcastResult {
  accepted: boolean;
  /** The node already has this exact transaction: treat as sent. */
  duplicate: boolean;
  code?: string;
  message?: string;
}

/**
 * Everything the service asks of a TRON node. The only implementation talks to a java-tron
 * HTTP API (TronGrid, an own node, or the devnet) through tronweb; tests may swap it.
 */
export abstract class TronGateway {
  abstract getAccount(address: string): Promise<ChainAccount>;
  abstract getAccountResources(address: string): Promise<ChainResources>;
  abstract getChainParameters(): Promise<ChainParameters>;
  /** getcandelegatedmaxsize: SUN of the owner's stake it can delegate now (0 below 1 TRX). */
  abstract getCanDelegatedMaxSize(owner: string, resource: Resource): Promise<Sun>;
  abstract getDelegatedResources(from: string, to: string): Promise<ChainDelegation[]>;
  abstract getDelegationIndex(address: string): Promise<ChainDelegationIndex>;
  abstract listWitnesses(): Promise<WitnessInfo[]>;
  abstract getBrokerage(witness: string): Promise<number>;
  /** Unclaimed voting reward (allowance + accrued), SUN. */
  abstract getReward(address: string): Promise<Sun>;
  /** When the next maintenance tallies votes (ms, chain time): /wallet/getnextmaintenancetime. */
  abstract getNextMaintenanceTime(): Promise<number>;
  abstract getLatestBlock(): Promise<ChainBlock>;
  /**
   * The solidified head (/walletsolidity): on mainnet ~18 blocks (~54 s) behind the full node's.
   * Only what it has passed is final.
   */
  abstract getSolidBlock(): Promise<ChainBlock>;
  /** The head block in one attempt, no retries: for health probes. */
  abstract probeLatestBlock(): Promise<ChainBlock>;
  /**
   * Builds the transaction for the intent from a fresh reference block and verifies it.
   * `extendExpirationSeconds` gives an outside signer more than the default minute.
   * `timestampOffsetMs` moves raw_data.timestamp: two equal intents built on the same block are
   * otherwise the same bytes (same txid), and the node would take the second as a duplicate.
   */
  abstract build(
    intent: TxIntent,
    options?: { extendExpirationSeconds?: number; timestampOffsetMs?: number },
  ): Promise<TronTransaction>;
  abstract broadcast(tx: TronTransaction): Promise<BroadcastResult>;
  /** The full node's info for a transaction: known as soon as it is in a block (not yet final). */
  abstract getTransactionInfo(txid: string): Promise<TxInfo | null>;
  /** The solidity node's info: null until the transaction's block is solidified. */
  abstract getSolidTransactionInfo(txid: string): Promise<TxInfo | null>;
  abstract get circuitState(): 'closed' | 'open' | 'half_open';
}
