/**
 * `npm run bench:resources`: the resource refresh job over many watched addresses against the
 * devnet, in this process (the built app from dist/, its job driven tick by tick), against the
 * baseline of the same run's budget-bound ideal: its node requests / the job's budget
 * (budget_share × TRON_MAX_REQUESTS_PER_SECOND), the fastest any run within the budget can be.
 * Prints the time, the node request rate the job used (overall and in its busiest second) and
 * the configured budget. Options: --addresses N (10000), --budget R (TRON_MAX_REQUESTS_PER_SECOND,
 * 1000).
 */
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { TronWeb } from 'tronweb';
import { freePort } from './proc.js';
import { Child, httpOk } from './processes.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist/apps/staking-api/src');
const DEVNET_ENTRY = join(ROOT, 'dist/apps/tron-devnet/src/main.js');
const REQUESTS_PER_ADDRESS = 2;

const { values } = parseArgs({
  options: {
    addresses: { type: 'string', default: '10000' },
    budget: { type: 'string', default: '1000' },
  },
});
const N = Number(values.addresses);
const BUDGET = Number(values.budget);
const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const say = (s: string) => process.stdout.write(`${s}\n`);
const load = async (path: string) =>
  (await import(pathToFileURL(join(DIST, path)).href)) as Record<string, unknown>;

/** The most timestamps (ms, sorted) inside any window of `windowMs`. */
function busiest(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

const undo: (() => Promise<unknown>)[] = [];
async function unwind(): Promise<void> {
  while (undo.length) await undo.pop()!().catch((e: unknown) => say(`  cleanup: ${String(e)}`));
}

async function main(): Promise<void> {
  const mongoUri = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/tron_staking');
  mongoUri.pathname = `/bench_resources_${runId}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  const prefix = `bench:res:${runId}:`;

  // The devnet, its own process.
  const port = await freePort();
  const devnet = new Child(
    'tron-devnet',
    DEVNET_ENTRY,
    {
      DEVNET_PORT: String(port),
      DEVNET_HOST: '127.0.0.1',
      DEVNET_BLOCK_INTERVAL_MS: '1000',
      DEVNET_SEED: `bench-res-${runId}`,
      DEVNET_QUIET: '1',
    },
    ROOT,
  );
  undo.push(() => devnet.stop());
  const devnetUrl = `http://127.0.0.1:${port}`;
  await devnet.waitUntil(() => httpOk(`${devnetUrl}/devnet/state`));

  // The policy with one tick able to take every address (the budget still paces it).
  const dir = join(tmpdir(), `tron-staking-bench-${runId}`);
  mkdirSync(dir, { recursive: true });
  const policyFile = join(dir, 'policies.yaml');
  const policy = readFileSync(join(ROOT, 'config/staking-security-policies.yaml'), 'utf8')
    .replace(/(\n {4}batch: )500\n/, `$1${Math.min(5_000, N)}\n`)
    .replace(/(\n {4}concurrency: )8\n/, '$116\n');
  writeFileSync(policyFile, policy);

  Object.assign(process.env, {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    MONGODB_URI: mongoUri.toString(),
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    KEYSTORE_MASTER_SECRET: randomBytes(32).toString('hex'),
    ADMIN_USERNAME: 'bench-admin',
    ADMIN_PASSWORD: `bench-${randomBytes(12).toString('hex')}`,
    JOBS_ENABLED: 'false',
    RATE_LIMIT_ENABLED: 'false',
    TRON_FULL_HOST: devnetUrl,
    TRON_MAX_REQUESTS_PER_SECOND: String(BUDGET),
    SECURITY_POLICIES_FILE: policyFile,
    AUDIT_ARCHIVE_DIR: join(dir, 'audit-archive'),
  });
  const { createApp } = (await load('app.factory.js')) as {
    createApp: () => Promise<{
      init(): Promise<unknown>;
      close(): Promise<void>;
      get<T>(token: unknown): T;
    }>;
  };
  const { ResourceRefreshJob } = await load('resources/resource-refresh.job.js');
  const { slotOf } = (await load('resources/watched-addresses.repository.js')) as {
    slotOf: (a: string, slots: number) => number;
  };
  const { TronGateway } = (await import(
    pathToFileURL(join(ROOT, 'dist/libs/tron/src/index.js')).href
  )) as { TronGateway: unknown };
  const app = await createApp();
  await app.init();
  undo.push(async () => {
    const conn = await mongoose.createConnection(mongoUri.toString()).asPromise();
    await conn.dropDatabase();
    await conn.close();
    const redis = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  });
  undo.push(() => app.close());

  type Job = {
    runOnce(): Promise<{ ran: boolean; result?: Record<string, number> }>;
    budgetPerSecond: number;
  };
  const job = app.get<Job>(ResourceRefreshJob);
  const slots = Number(/\n {4}slots: (\d+)\n/.exec(policy)![1]);

  // Seeding: N watched addresses filed as the API files them.
  const seedStarted = performance.now();
  const conn = await mongoose.createConnection(mongoUri.toString()).asPromise();
  const now = new Date();
  const docs = Array.from({ length: N }, () => {
    const address = TronWeb.address.fromPrivateKey(randomBytes(32).toString('hex')) as string;
    return {
      _id: address,
      slot: slotOf(address, slots),
      watched: true,
      managed: false,
      energy_alert: 'armed',
      energy_alert_seq: 0,
      bandwidth_alert: 'armed',
      bandwidth_alert_seq: 0,
      created_at: now,
    };
  });
  for (let i = 0; i < docs.length; i += 5_000)
    await conn.collection('watched_addresses').insertMany(docs.slice(i, i + 5_000) as never[]);
  await conn.close();
  say(
    `seeded ${N.toLocaleString('en-US')} watched addresses in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
  );

  // Count the job's node requests at the gateway (the calls still go to the devnet).
  const gateway = app.get<Record<string, (...a: unknown[]) => Promise<unknown>>>(TronGateway);
  const times: number[] = [];
  for (const name of ['getAccount', 'getAccountResources']) {
    const original = gateway[name]!.bind(gateway);
    gateway[name] = (...a: unknown[]) => {
      times.push(performance.now());
      return original(...a);
    };
  }

  // The run: ticks back to back until every address was refreshed once.
  const started = performance.now();
  let refreshed = 0;
  let failed = 0;
  let ticks = 0;
  while (refreshed + failed < N && ticks < 100) {
    const { result } = await job.runOnce();
    refreshed += result?.refreshed ?? 0;
    failed += result?.failed ?? 0;
    ticks++;
  }
  const seconds = (performance.now() - started) / 1000;
  const requests = times.length;
  const rate = requests / seconds;
  const peak = busiest(times, 1_000);
  const ideal = requests / job.budgetPerSecond;

  say('');
  say(`resource refresh: ${N.toLocaleString('en-US')} watched addresses, ${ticks} ticks`);
  say(
    `  refreshed ${refreshed}, failed ${failed}, in ${seconds.toFixed(1)} s (${(refreshed / seconds).toFixed(0)} addresses/s)`,
  );
  say(
    `  node requests ${requests} (${REQUESTS_PER_ADDRESS} per address): ${rate.toFixed(1)} req/s on average, ${peak} in the busiest second`,
  );
  say(
    `  budget: job ${job.budgetPerSecond} req/s = budget_share × TRON_MAX_REQUESTS_PER_SECOND ${BUDGET}; ${peak <= job.budgetPerSecond ? 'never above' : 'ABOVE THE BUDGET'}`,
  );
  say(
    `  baseline, budget-bound ideal ${ideal.toFixed(1)} s: measured / ideal = ${(seconds / ideal).toFixed(2)}`,
  );
}

try {
  await main();
} finally {
  await unwind();
}
process.exit(0);
