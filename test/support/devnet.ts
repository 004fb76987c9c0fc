import { startDevnet, type Devnet } from '../../apps/tron-devnet/src/devnet.js';

export interface GenesisAccount {
  address: string;
  private_key: string;
  balance: number;
}

export interface DevnetHandle {
  devnet: Devnet;
  /** Blocks the solidified head trails the head by. */
  solidityLagBlocks: number;
  url: string;
  accounts: GenesisAccount[];
  witnesses: { address: string }[];
  control<T = unknown>(
    path: string,
    body?: unknown,
    method?: 'GET' | 'POST' | 'DELETE',
  ): Promise<T>;
  close(): Promise<void>;
}

/** Mainnet's distance of the solidified head behind the full node's (java-tron: 70 % of 27). */
export const MAINNET_SOLIDITY_LAG_BLOCKS = 18;

/** The project's own TRON node, in-process on a free port, blocks on demand. */
export async function startTestDevnet(
  seed: string,
  blockIntervalMs = 0,
  solidityLagBlocks = MAINNET_SOLIDITY_LAG_BLOCKS,
): Promise<DevnetHandle> {
  const devnet = await startDevnet({
    port: 0,
    blockIntervalMs,
    quiet: true,
    seed,
    solidityLagBlocks,
  });
  const control = async <T>(
    path: string,
    body?: unknown,
    method: 'GET' | 'POST' | 'DELETE' = body === undefined ? 'GET' : 'POST',
  ): Promise<T> => {
    const res = await fetch(`${devnet.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`devnet ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  const state = await control<{
    genesis_accounts: GenesisAccount[];
    witnesses: { address: string }[];
  }>('/devnet/state');
  return {
    devnet,
    solidityLagBlocks,
    url: devnet.url,
    accounts: state.genesis_accounts,
    witnesses: state.witnesses,
    control,
    close: () => devnet.close(),
  };
}
