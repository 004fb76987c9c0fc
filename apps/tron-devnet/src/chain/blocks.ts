import { sha256 } from '../tx/address.js';
import { ProtoWriter } from '../tx/protobuf.js';
import { signHash } from '../tx/signature.js';
import type { Chain } from './chain.js';
import { ACTIVE_WITNESS_COUNT, BLOCK_PRODUCED_INTERVAL, BLOCK_VERSION } from './constants.js';
import { payBlockRewards, tallyVotes } from './rewards.js';
import type { Block, StoredTx, Witness } from './types.js';

const ZERO_HASH = '0'.repeat(64);

/** Merkle root over the transaction ids (pairwise sha256), zero hash for an empty block. */
function txTrieRoot(txs: StoredTx[]): string {
  if (txs.length === 0) return ZERO_HASH;
  let level: Buffer[] = txs.map((t) => Buffer.from(t.tx.txID, 'hex'));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? sha256(Buffer.concat([level[i], level[i + 1]])) : level[i]);
    level = next;
  }
  return level[0].toString('hex');
}

/** The 27 witnesses with the most tallied votes produce blocks in turn. */
export function activeWitnesses(chain: Chain): Witness[] {
  return [...chain.witnesses.values()]
    .sort((a, b) => b.voteCount - a.voteCount || (a.address < b.address ? -1 : 1))
    .slice(0, ACTIVE_WITNESS_COUNT);
}

/**
 * Seals a block: header hashed like java-tron's BlockCapsule (blockID = 8-byte number ‖
 * sha256(raw header)[8..32]) and signed by the slot's witness. Header timestamps are the chain
 * clock: a new block is 3 s after the head unless a later time is asked for (/devnet/advance).
 */
export function sealBlock(
  chain: Chain,
  txs: StoredTx[],
  timestamp: number,
  witness: Witness | undefined,
  parentHash: string,
  number: number,
): Block {
  const root = txTrieRoot(txs);
  const raw = new ProtoWriter()
    .int(1, timestamp)
    .bytes(2, Buffer.from(root, 'hex'))
    .bytes(3, Buffer.from(parentHash, 'hex'))
    .int(7, number)
    .bytes(9, witness ? Buffer.from(witness.address, 'hex') : new Uint8Array())
    .int(10, BLOCK_VERSION)
    .finish();
  const hash = sha256(raw).toString('hex');
  const blockID = number.toString(16).padStart(16, '0') + hash.slice(16);
  return {
    number,
    timestamp,
    parentHash,
    txTrieRoot: root,
    witnessAddress: witness?.address ?? '',
    witnessSignature: witness ? signHash(hash, witness.privateKey) : '',
    blockID,
    version: BLOCK_VERSION,
    transactions: txs,
  };
}

export function appendBlock(chain: Chain, block: Block): void {
  chain.blocks.push(block);
  chain.blocksById.set(block.blockID, block);
  chain.recentBlocks.set(
    (block.number & 0xffff).toString(16).padStart(4, '0'),
    block.blockID.slice(16, 32),
  );
  for (const t of block.transactions) {
    t.blockNumber = block.number;
    t.blockTimestamp = block.timestamp;
    chain.txs.set(t.tx.txID, t);
  }
}

export function produceBlock(chain: Chain, timestamp?: number): Block {
  const head = chain.head;
  const ts = Math.max(timestamp ?? 0, head.timestamp + BLOCK_PRODUCED_INTERVAL);
  const slot = Math.floor(ts / BLOCK_PRODUCED_INTERVAL);
  const active = activeWitnesses(chain);
  const witness = active[slot % active.length];
  const txs = chain.pending;
  chain.pending = [];
  chain.pendingIds.clear();
  const block = sealBlock(chain, txs, ts, witness, head.blockID, head.number + 1);
  appendBlock(chain, block);
  if (witness) {
    witness.totalProduced++;
    witness.latestBlockNum = block.number;
    witness.latestSlotNum = slot;
    payBlockRewards(chain, witness);
  }
  if (ts >= chain.nextMaintenanceTime) {
    tallyVotes(chain);
    const interval = chain.p('getMaintenanceTimeInterval');
    const behind = Math.floor((ts - chain.nextMaintenanceTime) / interval) + 1;
    chain.nextMaintenanceTime += behind * interval;
  }
  chain.commitBlock(block);
  return block;
}
