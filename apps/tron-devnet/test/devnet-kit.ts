import { TronWeb, utils } from 'tronweb';
import { type Devnet, type DevnetOptions, startDevnet } from '../src/devnet.js';

export interface GenesisAccount {
  address: string;
  address_hex: string;
  private_key: string;
  balance: number;
}

export interface WitnessInfo {
  address: string;
  address_hex: string;
  url: string;
  vote_count: number;
  brokerage: number;
}

export interface Kit {
  devnet: Devnet;
  url: string;
  accounts: GenesisAccount[];
  witnesses: WitnessInfo[];
  control<T = Record<string, unknown>>(path: string, body?: unknown, method?: string): Promise<T>;
  wallet<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T>;
  tronWeb(privateKey?: string): TronWeb;
  blocks(count?: number): Promise<void>;
  advance(seconds: number): Promise<void>;
  close(): Promise<void>;
}

/** Boots an in-process devnet on a free port with manual block production. */
export async function bootDevnet(options: DevnetOptions = {}): Promise<Kit> {
  const devnet = await startDevnet({ port: 0, blockIntervalMs: 0, quiet: true, ...options });
  const url = devnet.url;
  const control = async <T>(path: string, body?: unknown, method = 'POST'): Promise<T> => {
    const res = await fetch(url + path, {
      method: body === undefined && method === 'POST' ? 'POST' : method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as T;
  };
  const state = await control<{ genesis_accounts: GenesisAccount[]; witnesses: WitnessInfo[] }>(
    '/devnet/state',
    undefined,
    'GET',
  );
  return {
    devnet,
    url,
    accounts: state.genesis_accounts,
    witnesses: state.witnesses,
    control,
    wallet: (path, body) => control(path, body ?? {}),
    tronWeb: (privateKey) => new TronWeb({ fullHost: url, privateKey }),
    blocks: async (count = 1) => {
      await control('/devnet/blocks', { count });
    },
    advance: async (seconds) => {
      await control('/devnet/advance', { seconds });
    },
    close: () => devnet.close(),
  };
}

export interface SendResult {
  result?: boolean;
  code?: string;
  txid: string;
  message?: string;
  text: string;
  transaction: { txID: string };
}

/** Signs with the builder's key and broadcasts; `text` is the decoded node message. */
export async function signAndSend(
  tw: TronWeb,
  build: Promise<unknown> | unknown,
): Promise<SendResult> {
  const tx = await build;
  const signed = await tw.trx.sign(tx as Parameters<TronWeb['trx']['sign']>[0]);
  const res = (await tw.trx.sendRawTransaction(
    signed as Parameters<TronWeb['trx']['sendRawTransaction']>[0],
  )) as unknown as SendResult;
  res.text = res.message ? TronWeb.toUtf8(res.message) : '';
  return res;
}

/** A fresh key pair (not on chain until funded). */
export function newKey(): { privateKey: string; address: string; hex: string } {
  const acc = utils.accounts.generateAccount();
  return {
    privateKey: acc.privateKey,
    address: acc.address.base58,
    hex: acc.address.hex.toLowerCase(),
  };
}

export const TRX = 1_000_000;

/**
 * Builds a transaction the way tronweb's transactionBuilder does (same encoder, same TaPoS fields)
 * but without its client-side argument checks, so node-side rules can be exercised.
 */
export async function rawTx(
  tw: TronWeb,
  type: string,
  value: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const ref = await tw.trx.getCurrentRefBlockParams();
  const tx: Record<string, unknown> = {
    visible: false,
    txID: '',
    raw_data_hex: '',
    raw_data: {
      contract: [{ parameter: { value, type_url: `type.googleapis.com/protocol.${type}` }, type }],
      ...ref,
      ...header,
    },
  };
  const pb = utils.transaction.txJsonToPb(tx);
  tx.txID = utils.transaction.txPbToTxID(pb).replace(/^0x/, '');
  tx.raw_data_hex = utils.transaction.txPbToRawDataHex(pb).toLowerCase();
  return tx;
}

/** A new account funded through the faucet, with its own tronweb client. */
export async function fundedAccount(
  kit: Kit,
  sun = 10_000 * TRX,
): Promise<{ tw: TronWeb; address: string; hex: string; privateKey: string }> {
  const key = newKey();
  await kit.control('/devnet/faucet', { address: key.address, amount_sun: sun });
  return { tw: kit.tronWeb(key.privateKey), ...key };
}
