import { parseArgs } from 'node:util';
import { DEFAULT_SOLIDITY_LAG_BLOCKS } from './chain/constants.js';
import { startDevnet } from './devnet.js';

/**
 * Entry point: env vars, overridden by CLI flags (--port, --host, --block-interval-ms, --seed,
 * --genesis-file, --solidity-lag-blocks, --quiet).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'block-interval-ms': { type: 'string' },
      seed: { type: 'string' },
      'genesis-file': { type: 'string' },
      'solidity-lag-blocks': { type: 'string' },
      quiet: { type: 'boolean' },
    },
  });
  const env = process.env;
  const num = (v: string | undefined, fallback: number): number => {
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`invalid number: ${v}`);
    return n;
  };
  const devnet = await startDevnet({
    port: num(values.port ?? env.DEVNET_PORT, 8090),
    host: values.host ?? env.DEVNET_HOST ?? '127.0.0.1',
    blockIntervalMs: num(values['block-interval-ms'] ?? env.DEVNET_BLOCK_INTERVAL_MS, 3_000),
    seed: values.seed ?? env.DEVNET_SEED ?? 'tron-devnet',
    genesisFile: values['genesis-file'] ?? env.DEVNET_GENESIS_FILE ?? undefined,
    solidityLagBlocks: num(
      values['solidity-lag-blocks'] ?? env.DEVNET_SOLIDITY_LAG_BLOCKS,
      DEFAULT_SOLIDITY_LAG_BLOCKS,
    ),
    quiet: values.quiet ?? env.DEVNET_QUIET === '1',
  });
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    process.stdout.write(JSON.stringify({ time: Date.now(), event: 'stopping', signal }) + '\n');
    devnet.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(
    `tron-devnet failed to start: ${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exit(1);
});
