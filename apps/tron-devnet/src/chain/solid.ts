import type { Account } from './account.js';
import type { Chain } from './chain.js';
import { BLOCK_PRODUCED_INTERVAL } from './constants.js';
import { param } from './params.js';
import type { Block, DelegatedResource, StoredTx, Witness } from './types.js';
import { delegationKey, type StateView } from './view.js';

/**
 * What one block changed, copied when the block was sealed: the accounts, delegation records
 * and delegation index entries it touched (undefined = deleted), and the witnesses and global
 * weights after it. Waits in the chain's queue until the block is solidified.
 */
export interface BlockSnapshot {
  block: Block;
  accounts: Account[];
  delegations: Array<[string, DelegatedResource | undefined]>;
  delegatedTo: Array<[string, Map<string, number> | undefined]>;
  delegatedFrom: Array<[string, Map<string, number> | undefined]>;
  witnesses: Map<string, Witness>;
  totalNetWeight: number;
  totalEnergyWeight: number;
  totalTronPowerWeight: number;
}

/**
 * The state as of the solidified block (java-tron's solidity view). It only moves forward, by
 * applying block snapshots in order; blocks and transactions above it are unknown to it.
 */
export class SolidState implements StateView {
  readonly accounts = new Map<string, Account>();
  readonly delegations = new Map<string, DelegatedResource>();
  readonly delegatedTo = new Map<string, Map<string, number>>();
  readonly delegatedFrom = new Map<string, Map<string, number>>();
  witnesses = new Map<string, Witness>();
  totalNetWeight = 0;
  totalEnergyWeight = 0;
  totalTronPowerWeight = 0;
  private block: Block | undefined;

  constructor(private readonly chain: Chain) {}

  get params() {
    return this.chain.params;
  }

  p(key: string): number {
    return param(this.chain.params, key);
  }

  get head(): Block {
    return this.block ?? this.chain.blocks[0];
  }

  get number(): number {
    return this.head.number;
  }

  now(): number {
    return this.head.timestamp;
  }

  headSlot(): number {
    return Math.floor((this.now() - this.chain.genesisTimestamp) / BLOCK_PRODUCED_INTERVAL);
  }

  slotToTime(slot: number): number {
    return this.chain.slotToTime(slot);
  }

  account(address: string): Account | undefined {
    return this.accounts.get(address);
  }

  delegation(from: string, to: string, lock: boolean): DelegatedResource | undefined {
    return this.delegations.get(delegationKey(from, to, lock));
  }

  blockByNumber(n: number): Block | undefined {
    return n <= this.number ? this.chain.blockByNumber(n) : undefined;
  }

  blockById(id: string): Block | undefined {
    const b = this.chain.blockById(id);
    return b && b.number <= this.number ? b : undefined;
  }

  transaction(txID: string): StoredTx | undefined {
    const t = this.chain.transaction(txID);
    return t && t.blockNumber <= this.number ? t : undefined;
  }

  /** Makes `s` (the block right after the current solid block) the solidified state. */
  apply(s: BlockSnapshot): void {
    for (const a of s.accounts) this.accounts.set(a.address, a);
    for (const [key, d] of s.delegations)
      if (d) this.delegations.set(key, d);
      else this.delegations.delete(key);
    setOrDelete(this.delegatedTo, s.delegatedTo);
    setOrDelete(this.delegatedFrom, s.delegatedFrom);
    this.witnesses = s.witnesses;
    this.totalNetWeight = s.totalNetWeight;
    this.totalEnergyWeight = s.totalEnergyWeight;
    this.totalTronPowerWeight = s.totalTronPowerWeight;
    this.block = s.block;
  }
}

function setOrDelete<V>(map: Map<string, V>, entries: Array<[string, V | undefined]>): void {
  for (const [key, v] of entries)
    if (v === undefined) map.delete(key);
    else map.set(key, v);
}
