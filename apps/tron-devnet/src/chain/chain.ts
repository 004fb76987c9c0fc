import { type Account, cloneAccount, newAccount } from './account.js';
import { BLOCK_PRODUCED_INTERVAL, DEFAULT_SOLIDITY_LAG_BLOCKS } from './constants.js';
import { type ChainParameters, param } from './params.js';
import { type BlockSnapshot, SolidState } from './solid.js';
import type { Block, DelegatedResource, StoredTx, Witness } from './types.js';
import { delegationKey, type StateView } from './view.js';

export interface GenesisAccountInfo {
  address: string;
  privateKey: string;
  balance: number;
}

/**
 * The whole chain: accounts, witnesses, delegation records, blocks and the pending pool.
 * Transactions execute against this state when broadcast (java-tron's pending state) and are
 * sealed into the next block; "now" for every rule is the head block's timestamp.
 *
 * Solidity: when a block is sealed, what it changed is copied into a snapshot that waits in
 * `unsolid` until the block is `solidityLag` blocks below the head; then it is applied to
 * `solid`, the state /walletsolidity answers from.
 */
export class Chain implements StateView {
  readonly accounts = new Map<string, Account>();
  /** The state as of the solidified block: max(genesis, head − solidityLag). */
  readonly solid: SolidState;
  /** Snapshots of the sealed blocks above the solid block, oldest first (at most the lag). */
  private readonly unsolid: BlockSnapshot[] = [];
  /** What changed since the last sealed block (copied into that block's snapshot). */
  readonly changedAccounts = new Set<string>();
  private readonly changedDelegations = new Set<string>();
  private readonly changedDelegatedTo = new Set<string>();
  private readonly changedDelegatedFrom = new Set<string>();
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

  constructor(
    readonly params: ChainParameters,
    private lag: number = DEFAULT_SOLIDITY_LAG_BLOCKS,
  ) {
    this.solid = new SolidState(this);
  }

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

  blockById(id: string): Block | undefined {
    return this.blocksById.get(id);
  }

  transaction(txID: string): StoredTx | undefined {
    return this.txs.get(txID);
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
   * Faucet credit: not a transaction, so it shows at once in the pending and the solid view.
   * The queued snapshots of the account get it too, so solidifying them later keeps it.
   */
  credit(address: string, amount: number): { account: Account; created: boolean } {
    let acc = this.accounts.get(address);
    const created = !acc;
    acc ??= this.createAccount(address);
    acc.balance += amount;
    this.touch(acc);
    const solid = this.solid.accounts.get(address);
    if (solid) {
      solid.balance += amount;
      solid.version++;
    } else if (created) {
      this.solid.accounts.set(address, cloneAccount(acc));
    }
    for (const s of this.unsolid)
      for (const a of s.accounts)
        if (a.address === address) {
          a.balance += amount;
          a.version++;
        }
    return { account: acc, created };
  }

  get solidityLag(): number {
    return this.lag;
  }

  /** A smaller lag solidifies the queued blocks at once; a larger one never moves back. */
  setSolidityLag(blocks: number): void {
    this.lag = blocks;
    this.solidifyUpTo();
  }

  /** Number of the solidified block: max(genesis, head − lag) once enough blocks are sealed. */
  get solidNumber(): number {
    return this.solid.number;
  }

  /** Blocks sealed but not yet solid (their snapshots are held). */
  get unsolidCount(): number {
    return this.unsolid.length;
  }

  /**
   * Called once a block is sealed and its effects (transactions, rewards, maintenance) are
   * applied: snapshots what changed and solidifies the blocks that are now deep enough.
   */
  commitBlock(block: Block): void {
    const accounts: Account[] = [];
    for (const address of this.changedAccounts) {
      const acc = this.accounts.get(address);
      if (acc) accounts.push(cloneAccount(acc));
    }
    const delegations: BlockSnapshot['delegations'] = [];
    for (const key of this.changedDelegations) {
      const d = this.delegations.get(key);
      delegations.push([key, d ? { ...d } : undefined]);
    }
    const copyIndex = (index: Map<string, Map<string, number>>, keys: Set<string>) =>
      [...keys].map((k): [string, Map<string, number> | undefined] => {
        const m = index.get(k);
        return [k, m ? new Map(m) : undefined];
      });
    const witnesses = new Map<string, Witness>();
    for (const [address, w] of this.witnesses) witnesses.set(address, { ...w });
    this.unsolid.push({
      block,
      accounts,
      delegations,
      delegatedTo: copyIndex(this.delegatedTo, this.changedDelegatedTo),
      delegatedFrom: copyIndex(this.delegatedFrom, this.changedDelegatedFrom),
      witnesses,
      totalNetWeight: this.totalNetWeight,
      totalEnergyWeight: this.totalEnergyWeight,
      totalTronPowerWeight: this.totalTronPowerWeight,
    });
    this.changedAccounts.clear();
    this.changedDelegations.clear();
    this.changedDelegatedTo.clear();
    this.changedDelegatedFrom.clear();
    this.solidifyUpTo();
  }

  private solidifyUpTo(): void {
    const target = Math.max(this.blocks[0]?.number ?? 0, this.head.number - this.lag);
    while (this.unsolid.length > 0 && this.unsolid[0].block.number <= target)
      this.solid.apply(this.unsolid.shift() as BlockSnapshot);
  }

  delegation(from: string, to: string, lock: boolean): DelegatedResource | undefined {
    return this.delegations.get(delegationKey(from, to, lock));
  }

  putDelegation(d: DelegatedResource, lock: boolean): void {
    const key = delegationKey(d.from, d.to, lock);
    if (d.bandwidth === 0 && d.energy === 0) this.delegations.delete(key);
    else this.delegations.set(key, d);
    this.changedDelegations.add(key);
  }

  /** Records the delegation from → to in both indexes, most recent last. */
  indexDelegation(from: string, to: string, time: number): void {
    indexPut(this.delegatedTo, from, to, time);
    indexPut(this.delegatedFrom, to, from, time);
    this.changedDelegatedTo.add(from);
    this.changedDelegatedFrom.add(to);
  }

  unindexDelegation(from: string, to: string): void {
    indexDelete(this.delegatedTo, from, to);
    indexDelete(this.delegatedFrom, to, from);
    this.changedDelegatedTo.add(from);
    this.changedDelegatedFrom.add(to);
  }

  isKnownTx(txID: string): boolean {
    return this.pendingIds.has(txID) || this.txs.has(txID);
  }
}

function indexPut(index: Map<string, Map<string, number>>, a: string, b: string, t: number): void {
  let m = index.get(a);
  if (!m) index.set(a, (m = new Map()));
  // Re-inserting moves the counterpart to the end: the index is ordered by latest delegation.
  m.delete(b);
  m.set(b, t);
}

function indexDelete(index: Map<string, Map<string, number>>, a: string, b: string): void {
  const m = index.get(a);
  if (!m) return;
  m.delete(b);
  if (m.size === 0) index.delete(a);
}
