import { readFileSync } from 'node:fs';
import type { Chain } from './chain/chain.js';
import { DEFAULT_SOLIDITY_LAG_BLOCKS, MAX_SOLIDITY_LAG_BLOCKS } from './chain/constants.js';
import type { GenesisFile } from './chain/genesis.js';
import type { Block } from './chain/types.js';
import { FaultRegistry } from './http/faults.js';
import { buildServer } from './http/server.js';
import { createLogger, type LogSink } from './log.js';
import { DevnetRuntime } from './runtime.js';

export interface DevnetOptions {
  /** 0 picks a free port (tests). Default 8090. */
  port?: number;
  host?: string;
  /** Wall-clock interval of automatic block production; 0 turns it off. Default 3000. */
  blockIntervalMs?: number;
  /** Seed of every key and number in the genesis. Default "tron-devnet". */
  seed?: string;
  genesisFile?: string;
  genesis?: GenesisFile;
  /** Overrides of /wallet/getchainparameters values, e.g. { getUnfreezeDelayDays: 1 }. */
  chainParameters?: Record<string, number>;
  /** Fixed genesis timestamp (ms) for fully reproducible block hashes. */
  genesisTimestamp?: number;
  /**
   * Blocks between the head and the solidified block that /walletsolidity answers from.
   * Default 18 (java-tron with 27 producers taking turns); 0 solidifies every block at once.
   */
  solidityLagBlocks?: number;
  /** No log lines (tests). */
  quiet?: boolean;
  logger?: LogSink;
}

export interface Devnet {
  url: string;
  port: number;
  /** The live chain (a new object after reset()). */
  readonly chain: Chain;
  runtime: DevnetRuntime;
  produceBlocks(count?: number): Block[];
  advance(seconds: number): Block;
  reset(): void;
  close(): Promise<void>;
}

export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const log = options.logger ?? createLogger(options.quiet ?? false);
  const lag = options.solidityLagBlocks ?? DEFAULT_SOLIDITY_LAG_BLOCKS;
  if (!Number.isInteger(lag) || lag < 0 || lag > MAX_SOLIDITY_LAG_BLOCKS)
    throw new Error(`solidityLagBlocks must be an integer from 0 to ${MAX_SOLIDITY_LAG_BLOCKS}`);
  const genesis =
    options.genesis ??
    (options.genesisFile
      ? (JSON.parse(readFileSync(options.genesisFile, 'utf8')) as GenesisFile)
      : undefined);
  const runtime = new DevnetRuntime(
    {
      seed: options.seed ?? 'tron-devnet',
      genesis,
      chainParameters: options.chainParameters,
      timestamp: options.genesisTimestamp,
      solidityLagBlocks: lag,
    },
    log,
  );
  const faults = new FaultRegistry();
  const app = buildServer(runtime, faults);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 8090, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8090);

  const interval = options.blockIntervalMs ?? 3_000;
  const timer =
    interval > 0
      ? setInterval(() => {
          try {
            runtime.produceBlocks(1);
          } catch (e) {
            log({ event: 'error', message: e instanceof Error ? e.message : String(e) });
          }
        }, interval)
      : undefined;

  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  log({
    event: 'started',
    url: `http://${urlHost}:${port}`,
    head: runtime.chain.head.number,
    solidity_lag_blocks: lag,
  });
  return {
    url: `http://${urlHost}:${port}`,
    port,
    get chain() {
      return runtime.chain;
    },
    runtime,
    produceBlocks: (count = 1) => runtime.produceBlocks(count),
    advance: (seconds) => runtime.advance(seconds),
    reset: () => {
      runtime.reset();
      faults.clear();
    },
    close: async () => {
      if (timer) clearInterval(timer);
      await app.close();
    },
  };
}
