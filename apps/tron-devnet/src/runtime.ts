import type { Account } from './chain/account.js';
import type { Chain } from './chain/chain.js';
import { BroadcastError } from './chain/errors.js';
import { createGenesis, type GenesisOptions } from './chain/genesis.js';
import { produceBlock } from './chain/blocks.js';
import { processTransaction } from './chain/processor.js';
import type { Block } from './chain/types.js';
import type { LogSink } from './log.js';
import type { DecodedTx } from './tx/codec.js';

export interface BroadcastReply {
  result?: true;
  code?: string;
  txid: string;
  message?: string;
}

/**
 * Holds the current chain (replaced by /devnet/reset) and the operations the HTTP layer and the
 * block timer share.
 */
export class DevnetRuntime {
  chain: Chain;
  /** Wall-clock ms when the head block was produced: builder endpoints stamp txs with it. */
  headWallTime = Date.now();
  readonly accountCache = new Map<
    string,
    { account: Account; version: number; slot: number; json: string }
  >();

  constructor(
    private readonly genesis: GenesisOptions,
    readonly log: LogSink,
  ) {
    this.chain = createGenesis(genesis);
  }

  /** Back to genesis; the solidity lag in force stays (it is node configuration, not state). */
  reset(): void {
    this.chain = createGenesis({ ...this.genesis, solidityLagBlocks: this.chain.solidityLag });
    this.accountCache.clear();
    this.headWallTime = Date.now();
    this.log({ event: 'reset', head: this.chain.head.number });
  }

  setSolidityLag(blocks: number): void {
    this.chain.setSolidityLag(blocks);
    this.log({ event: 'solidity', lag_blocks: blocks, solid: this.chain.solidNumber });
  }

  produceBlocks(count: number, timestamp?: number): Block[] {
    const blocks: Block[] = [];
    for (let i = 0; i < count; i++) {
      const b = produceBlock(this.chain, i === 0 ? timestamp : undefined);
      blocks.push(b);
      for (const t of b.transactions)
        this.log({ event: 'tx_in_block', txid: t.tx.txID, block: b.number });
    }
    this.headWallTime = Date.now();
    return blocks;
  }

  /** Moves the chain clock: one block stamped `seconds` after the head. */
  advance(seconds: number): Block {
    return this.produceBlocks(1, this.chain.now() + Math.round(seconds * 1000))[0];
  }

  /** Node wall clock for builder-made transactions, never before the head block. */
  nodeTime(): number {
    return this.chain.now() + Math.min(Math.max(Date.now() - this.headWallTime, 0), 2_999);
  }

  /** `failInBlock`: accept it, but let it fail at execution (control API fault). */
  broadcast(tx: DecodedTx, visible: boolean, failInBlock = false): BroadcastReply {
    const type = tx.contractType ?? String(tx.contractTypeCode);
    try {
      processTransaction(this.chain, tx, visible, failInBlock);
      this.log({
        event: 'tx',
        txid: tx.txID,
        type,
        owner: tx.contract?.owner,
        result: 'SUCCESS',
      });
      return { result: true, txid: tx.txID };
    } catch (e) {
      if (!(e instanceof BroadcastError)) throw e;
      this.log({ event: 'tx', txid: tx.txID, type, result: e.code, message: e.message });
      return { code: e.code, txid: tx.txID, message: e.message };
    }
  }
}
