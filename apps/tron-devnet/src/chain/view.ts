import type { Account } from './account.js';
import type { ChainParameters } from './params.js';
import type { Block, DelegatedResource, StoredTx, Witness } from './types.js';

/**
 * Read access to the state as of one block: the Chain itself (head block plus pending
 * transactions, what /wallet answers) or its SolidState (the solidified block, what
 * /walletsolidity answers). Query endpoints and the formatters read only through this.
 */
export interface StateView {
  readonly params: ChainParameters;
  p(key: string): number;
  /** The block the view is as of: the head, or the solidified block. */
  readonly head: Block;
  /** That block's timestamp (DynamicPropertiesStore.getLatestBlockHeaderTimestamp). */
  now(): number;
  headSlot(): number;
  slotToTime(slot: number): number;
  account(address: string): Account | undefined;
  readonly witnesses: ReadonlyMap<string, Witness>;
  delegation(from: string, to: string, lock: boolean): DelegatedResource | undefined;
  /** from → (to → time of the latest delegation), and the reverse. */
  readonly delegatedTo: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly delegatedFrom: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly totalNetWeight: number;
  readonly totalEnergyWeight: number;
  readonly totalTronPowerWeight: number;
  /** Blocks up to the view's block only. */
  blockByNumber(n: number): Block | undefined;
  blockById(id: string): Block | undefined;
  /** A transaction sealed in a block the view knows. */
  transaction(txID: string): StoredTx | undefined;
}

export function delegationKey(from: string, to: string, lock: boolean): string {
  return from + to + (lock ? '1' : '0');
}
