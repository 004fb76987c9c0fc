import { createHash } from 'node:crypto';
import { addressFromPrivateKey, base58ToHex, isValidAddressHex } from '../tx/address.js';
import { type Account } from './account.js';
import { appendBlock, produceBlock, sealBlock } from './blocks.js';
import { Chain } from './chain.js';
import { BANDWIDTH, BLOCK_PRODUCED_INTERVAL, ENERGY, TRX_PRECISION } from './constants.js';
import { buildChainParameters } from './params.js';

export interface GenesisFileAccount {
  address?: string;
  private_key?: string;
  balance: number;
}

export interface GenesisFileWitness {
  private_key?: string;
  url?: string;
  /** Self-staked TRX the witness votes for itself with. */
  votes?: number;
  brokerage?: number;
  /** Genesis guard representative: may not withdraw rewards. */
  guard?: boolean;
}

/** Optional genesis file (DEVNET_GENESIS_FILE). Every field is optional. */
export interface GenesisFile {
  timestamp?: number;
  genesis_account_count?: number;
  genesis_account_balance?: number;
  accounts?: GenesisFileAccount[];
  witnesses?: GenesisFileWitness[];
  witness_count?: number;
  chain_parameters?: Record<string, number>;
}

export interface GenesisOptions {
  seed: string;
  genesis?: GenesisFile;
  chainParameters?: Record<string, number>;
  /** Genesis time in ms; defaults to the current 3 s slot minus one so block 1 is "now". */
  timestamp?: number;
  /** Blocks between the head and the solidified block (default 18; 0 = solid at once). */
  solidityLagBlocks?: number;
}

export const DEFAULT_GENESIS_ACCOUNTS = 10;
export const DEFAULT_GENESIS_BALANCE = 100_000_000 * TRX_PRECISION;
const WITNESS_BALANCE = 100_000 * TRX_PRECISION;

export function deriveKey(seed: string, label: string, index: number): string {
  return createHash('sha256').update(`${seed}/${label}/${index}`).digest('hex');
}

function hashInt(seed: string, label: string, modulo: number): number {
  const h = createHash('sha256').update(`${seed}/${label}`).digest();
  return h.readUInt32BE(0) % modulo;
}

const BROKERAGES = [20, 20, 20, 10, 0, 20, 30, 20, 100, 20, 5, 20, 15];

function stakeAndVote(chain: Chain, acc: Account, trx: number): void {
  const sun = trx * TRX_PRECISION;
  const bw = Math.floor(trx / 2) * TRX_PRECISION;
  acc.frozen[BANDWIDTH] += bw;
  acc.frozen[ENERGY] += sun - bw;
  chain.totalNetWeight += bw / TRX_PRECISION;
  chain.totalEnergyWeight += (sun - bw) / TRX_PRECISION;
  acc.votes = [{ address: acc.address, count: trx }];
  acc.countedVotes = [{ address: acc.address, count: trx }];
  acc.rewardSnapshot = { [acc.address]: 0n };
}

/**
 * Deterministic genesis: witnesses and funded accounts get private keys derived from the seed,
 * each witness self-stakes and votes for itself, then block 0 is sealed and block 1 produced
 * (tronweb cannot build transactions on top of block 0).
 */
export function createGenesis(opts: GenesisOptions): Chain {
  const file = opts.genesis ?? {};
  const chain = new Chain(
    buildChainParameters({ ...(file.chain_parameters ?? {}), ...(opts.chainParameters ?? {}) }),
    opts.solidityLagBlocks,
  );
  const ts =
    opts.timestamp ??
    file.timestamp ??
    Math.floor(Date.now() / BLOCK_PRODUCED_INTERVAL) * BLOCK_PRODUCED_INTERVAL -
      BLOCK_PRODUCED_INTERVAL;
  chain.genesisTimestamp = ts;
  chain.nextMaintenanceTime = ts + chain.p('getMaintenanceTimeInterval');

  const witnessSpecs: GenesisFileWitness[] =
    file.witnesses ??
    Array.from({ length: file.witness_count ?? 27 }, (_, i) => ({
      votes: 1_000_000 + hashInt(opts.seed, `votes/${i}`, 9_000_001),
      brokerage: BROKERAGES[i % BROKERAGES.length],
    }));
  witnessSpecs.forEach((spec, i) => {
    const privateKey = spec.private_key ?? deriveKey(opts.seed, 'witness', i);
    const address = addressFromPrivateKey(privateKey);
    const acc = chain.createAccount(address);
    acc.balance = WITNESS_BALANCE;
    acc.isWitness = true;
    const votes = spec.votes ?? 1_000_000;
    if (votes > 0) stakeAndVote(chain, acc, votes);
    chain.witnesses.set(address, {
      address,
      url: spec.url ?? `https://sr-${String(i + 1).padStart(2, '0')}.devnet.tron.local`,
      voteCount: votes,
      brokerage: spec.brokerage ?? 20,
      totalProduced: 0,
      totalMissed: 0,
      latestBlockNum: 0,
      latestSlotNum: 0,
      isJobs: i < 27,
      rewardPerVote: 0n,
      privateKey,
    });
    if (spec.guard) chain.guards.add(address);
  });

  const count = file.genesis_account_count ?? DEFAULT_GENESIS_ACCOUNTS;
  const balance = file.genesis_account_balance ?? DEFAULT_GENESIS_BALANCE;
  for (let i = 0; i < count; i++) {
    const privateKey = deriveKey(opts.seed, 'account', i);
    const address = addressFromPrivateKey(privateKey);
    chain.createAccount(address).balance = balance;
    chain.genesisAccounts.push({ address, privateKey, balance });
  }
  for (const a of file.accounts ?? []) {
    const address = a.private_key
      ? addressFromPrivateKey(a.private_key)
      : a.address && isValidAddressHex(a.address.toLowerCase())
        ? a.address.toLowerCase()
        : base58ToHex(String(a.address));
    if (!Number.isSafeInteger(a.balance) || a.balance < 0)
      throw new Error(`genesis balance of ${address} must be a non-negative safe integer`);
    const acc = chain.account(address) ?? chain.createAccount(address);
    acc.balance = a.balance;
    if (a.private_key)
      chain.genesisAccounts.push({ address, privateKey: a.private_key, balance: a.balance });
  }

  const parent = createHash('sha256').update(`tron-devnet/${opts.seed}`).digest('hex');
  const block0 = sealBlock(chain, [], ts, undefined, parent, 0);
  appendBlock(chain, block0);
  chain.commitBlock(block0);
  produceBlock(chain);
  return chain;
}
