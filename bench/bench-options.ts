import { parseArgs } from 'node:util';

/** Everything a run can be told, from flags first, then BENCH_* variables, then defaults. */
export interface BenchOptions {
  quick: boolean;
  /** Record counts to seed, one full pass each (staking records, operations and audit entries each). */
  sizes: number[];
  /** Documents per insertMany call. */
  seedBatch: number;
  /** Concurrency levels of the write bench. */
  writeConcurrency: number[];
  /** Writes measured per concurrency level (each side: API and bare loop). */
  writeRequests: Record<number, number>;
  readConcurrency: number;
  /** A read run stops at this many requests or after `readSeconds`, whichever comes first. */
  readRequests: number;
  readSeconds: number;
  /** A read whose cold request takes longer is not put under load; a request is abandoned after the timeout. */
  readColdLimitMs: number;
  readTimeoutMs: number;
  /** When the API's cold request took longer, the baseline's same queries are not timed again. */
  readBaselineSkipMs: number;
  /** Length of the idle CPU window with jobs on. */
  idleSeconds: number;
  /** Devnet block interval and solidity lag: how soon the tracker confirms (and closes) writes. */
  blockIntervalMs: number;
  solidityLagBlocks: number;
  mongoUri: string;
  redisUrl: string;
  /** The local services' directory (pid files), for the FerretDB and PostgreSQL CPU figures. */
  localDir: string;
  apiLogLevel: string;
  /** BENCH_API_CPU_PROFILE_DIR: the API runs with --cpu-prof into this directory. */
  apiCpuProfileDir?: string;
}

const ints = (v: string): number[] =>
  v
    .split(',')
    .map((s) => s.trim().replace(/_/g, ''))
    .filter(Boolean)
    .map((s) => {
      const n = /^\d+k$/i.test(s) ? Number(s.slice(0, -1)) * 1000 : Number(s);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`not a positive integer: ${s}`);
      return n;
    });

export function readOptions(argv: string[], env: NodeJS.ProcessEnv, root: string): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      'seed-batch': { type: 'string' },
      'write-concurrency': { type: 'string' },
      'write-requests': { type: 'string' },
      'read-concurrency': { type: 'string' },
      'read-requests': { type: 'string' },
      'read-seconds': { type: 'string' },
      'idle-seconds': { type: 'string' },
      'block-interval-ms': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      [
        'npm run bench -- [--quick] [--sizes 1000,100000] [--write-concurrency 1,10]',
        '  [--write-requests 60,200] [--read-concurrency 8] [--read-requests 3000]',
        '  [--read-seconds 6] [--idle-seconds 60] [--seed-batch 5000] [--block-interval-ms 1000]',
        'Each flag has a BENCH_* variable twin (BENCH_SIZES, BENCH_WRITE_REQUESTS, …).',
        '',
      ].join('\n'),
    );
    process.exit(0);
  }
  const quick = values.quick || env.BENCH_QUICK === '1';
  const pick = (flag: string | undefined, name: string, fallback: string): string =>
    flag ?? env[`BENCH_${name}`] ?? fallback;
  const writeConcurrency = ints(pick(values['write-concurrency'], 'WRITE_CONCURRENCY', '1,10'));
  const writeCounts = ints(
    pick(values['write-requests'], 'WRITE_REQUESTS', quick ? '20,60' : '60,200'),
  );
  const writeRequests = Object.fromEntries(
    writeConcurrency.map((c, i) => [c, writeCounts[Math.min(i, writeCounts.length - 1)]!]),
  );
  return {
    quick,
    sizes: ints(pick(values.sizes, 'SIZES', quick ? '1000,10000' : '1000,100000')),
    seedBatch: ints(pick(values['seed-batch'], 'SEED_BATCH', '5000'))[0]!,
    writeConcurrency,
    writeRequests,
    readConcurrency: ints(pick(values['read-concurrency'], 'READ_CONCURRENCY', '8'))[0]!,
    readRequests: ints(pick(values['read-requests'], 'READ_REQUESTS', quick ? '300' : '3000'))[0]!,
    readSeconds: ints(pick(values['read-seconds'], 'READ_SECONDS', quick ? '3' : '6'))[0]!,
    readColdLimitMs: ints(env.BENCH_READ_COLD_LIMIT_MS ?? '5000')[0]!,
    readTimeoutMs: ints(env.BENCH_READ_TIMEOUT_MS ?? '240000')[0]!,
    readBaselineSkipMs: ints(env.BENCH_READ_BASELINE_SKIP_MS ?? '20000')[0]!,
    idleSeconds: ints(pick(values['idle-seconds'], 'IDLE_SECONDS', quick ? '15' : '60'))[0]!,
    blockIntervalMs: ints(pick(values['block-interval-ms'], 'BLOCK_INTERVAL_MS', '1000'))[0]!,
    solidityLagBlocks: Number(env.BENCH_SOLIDITY_LAG_BLOCKS ?? '1'),
    mongoUri: env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/tron_staking',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    localDir: env.BENCH_LOCAL_DIR ?? `${root}/.local`,
    apiLogLevel: env.BENCH_API_LOG_LEVEL ?? 'warn',
    apiCpuProfileDir: env.BENCH_API_CPU_PROFILE_DIR || undefined,
  };
}
