import { type Account, cloneAccount, newAccount } from './account.js';
import { BLOCK_PRODUCED_INTERVAL } from './constants.js';
import { type ChainParameters, param } from './params.js';
import type { Block, DelegatedResource, StoredTx, Witness } from './types.js';

export interface GenesisAccountInfo {
  address: string;
  privateKey: string;
  balance: number;
}

/**
 * The whole chain: accounts, witnesses, delegation records, blocks and the pending pool.
 * Transactions execute against this state when broadcast (java-tron's pending state) and are
 * sealed into the next block; "now" for every rule is the head block's timestamp.
 */
export class Chain {
  readonly accounts = new Map<string, Account>();
  /**
   * Accounts as of the head block, without the effects of pending transactions: what
   * /walletsolidity/getaccount answers (the devnet solidifies every block at once).
   */
  readonly solidAccounts = new Map<string, Account>();
  /** Accounts changed since the last block (copied into solidAccounts when a block is sealed). */
  readonly changedAccounts = new Set<string>();
  readonly witnesses = new Map<string, Witness>();
  /** Key: from + to + (lock ? '1' : '0'), like DelegatedResourceCapsule.createDbKeyV2. */
  readonly delegations = new Map<string, DelegatedResource>();
  /** from → (to → time of the latest delegation), and the reverse. */
  readonly delegatedTo = new Map<string, Map<string, number>>();
  readonly delegatedFrom = new Map<string, Map<string, number>>();
  readonly blocks: Block[] = [];
  readonly blocksById = new Map<string, Block>();
  readonly txs = new Map<string, StoredTx>();
  pending: StoredTx[] = [];
  readonly pendingIds = new Set<string>();
  /** TaPoS: low 2 bytes of a block number (hex) → blockID[16:32] of that block. */
  readonly recentBlocks = new Map<string, string>();
  /** Voters whose votes changed since the last maintenance. */
  readonly dirtyVoters = new Set<string>();
  /** Genesis guard representatives, refused by WithdrawBalance. */
  readonly guards = new Set<string>();
  totalNetWeight = 0;
  totalEnergyWeight = 0;
  totalTronPowerWeight = 0;
  nextMaintenanceTime = 0;
  genesisTimestamp = 0;
  genesisAccounts: GenesisAccountInfo[] = [];
  burnedSun = 0;

  constructor(readonly params: ChainParameters) {}

  p(key: string): number {
    return param(this.params, key);
  }

  get head(): Block {
    return this.blocks[this.blocks.length - 1];
  }

  /** DynamicPropertiesStore.getLatestBlockHeaderTimestamp. */
  now(): number {
    return this.head.timestamp;
  }

  /** ChainBaseManager.getHeadSlot: 3-second slots since genesis; resource windows use it. */
  headSlot(): number {
    return Math.floor((this.head.timestamp - this.genesisTimestamp) / BLOCK_PRODUCED_INTERVAL);
  }

  slotToTime(slot: number): number {
    return this.genesisTimestamp + slot * BLOCK_PRODUCED_INTERVAL;
  }

  blockByNumber(n: number): Block | undefined {
    const first = this.blocks[0]?.number ?? 0;
    return this.blocks[n - first];
  }

  account(address: string): Account | undefined {
    return this.accounts.get(address);
  }

  createAccount(address: string, type = 0): Account {
    const acc = newAccount(address, this.blocks.length ? this.now() : this.genesisTimestamp, type);
    this.accounts.set(address, acc);
    this.changedAccounts.add(address);
    return acc;
  }

  touch(acc: Account): void {
    acc.version++;
    this.changedAccounts.add(acc.address);
  }

  /**
   * Faucet credit: not a transaction, so it shows at once in the pending and the confirmed view.
   */
  credit(address: string, amount: number): { account: Account; created: boolean } {
    let acc = this.accounts.get(address);
    const created = !acc;
    acc ??= this.createAccount(address);
    acc.balance += amount;
    this.touch(acc);
    const solid = this.solidAccounts.get(address);
    if (solid) {
      solid.balance += amount;
      solid.version++;
    } else if (created) {
      this.solidAccounts.set(address, cloneAccount(acc));
    }
    return { account: acc, created };
  }

  /** Called when a block is sealed: pending effects become the confirmed view. */
  solidify(): void {
    for (const address of this.changedAccounts) {
      const acc = this.accounts.get(address);
      if (acc) this.solidAccounts.set(address, cloneAccount(acc));
    }
    this.changedAccounts.clear();
  }

  delegation(from: string, to: string, lock: boolean): DelegatedResource | undefined {
    return this.delegations.get(from + to + (lock ? '1' : '0'));
  }

  putDelegation(d: DelegatedResource, lock: boolean): void {
    const key = d.from + d.to + (lock ? '1' : '0');
    if (d.bandwidth === 0 && d.energy === 0) this.delegations.delete(key);
    else this.delegations.set(key, d);
  }

  isKnownTx(txID: string): boolean {
    return this.pendingIds.has(txID) || this.txs.has(txID);
  }
}
