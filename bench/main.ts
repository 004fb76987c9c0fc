/**
 * `npm run bench`: the staking API against baselines measured in the same run, on the same
 * local services, at each database size. See bench/README.md.
 */
import { Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchModels, loadAppModules, type BenchModels } from './app-modules.js';
import { readOptions, type BenchOptions } from './bench-options.js';
import { HttpClient } from './load.js';
import { cpuSnapshot, freePort, memoryOf, readPid, sampleCpu } from './proc.js';
import { Child, httpOk } from './processes.js';
import { readEndpoint, type ReadResult } from './read-bench.js';
import { printSummary, say, type SizeResult } from './report.js';
import { seedDatabase } from './seed.js';
import { apiWrites, bareWrites, type WriteRun } from './write-bench.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const API_ENTRY = join(ROOT, 'dist/apps/staking-api/src/main.js');
const DEVNET_ENTRY = join(ROOT, 'dist/apps/tron-devnet/src/main.js');
const BASELINE_ENTRY = join(ROOT, 'dist/bench/read-baseline.server.js');
const TRX = 1_000_000;
const VERIFY_AUDIT_UP_TO = 10_000;

const opts = readOptions(process.argv.slice(2), process.env, ROOT);
const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const app = await loadAppModules(ROOT);

/** What to undo, newest first, on the way out (also on Ctrl-C). */
const undo: (() => Promise<unknown>)[] = [];
async function unwind(): Promise<void> {
  while (undo.length) await undo.pop()!().catch((e: unknown) => say(`  cleanup: ${String(e)}`));
}
process.once('SIGINT', () => {
  say('interrupted: cleaning up');
  void unwind().finally(() => process.exit(130));
});

function databaseUri(name: string): string {
  const url = new URL(opts.mongoUri);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropRedisPrefix(prefix: string): Promise<number> {
  const redis = new Redis(opts.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
  return deleted;
}

function databaseProcesses(): { name: string; pid: number; withChildren?: boolean }[] {
  const out: { name: string; pid: number; withChildren?: boolean }[] = [];
  const ferret = readPid(join(opts.localDir, 'run/mongo.pid'));
  if (ferret) out.push({ name: 'ferretdb', pid: ferret });
  const postgres = readPid(join(opts.localDir, 'postgres/postmaster.pid'));
  if (postgres) out.push({ name: 'postgres', pid: postgres, withChildren: true });
  return out;
}

async function startDevnet(): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = new Child(
    'tron-devnet',
    DEVNET_ENTRY,
    {
      DEVNET_PORT: String(port),
      DEVNET_HOST: '127.0.0.1',
      DEVNET_BLOCK_INTERVAL_MS: String(opts.blockIntervalMs),
      DEVNET_SOLIDITY_LAG_BLOCKS: String(opts.solidityLagBlocks),
      DEVNET_SEED: `bench-${runId}`,
      DEVNET_QUIET: '1',
    },
    ROOT,
  );
  undo.push(() => child.stop());
  const url = `http://127.0.0.1:${port}`;
  await child.waitUntil(() => httpOk(`${url}/devnet/state`));
  return { child, url };
}

async function devnetCall<T>(url: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`devnet ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function startApi(mongoUri: string, devnetUrl: string, prefix: string, admin: string) {
  const port = await freePort();
  const child = new Child(
    'staking-api',
    API_ENTRY,
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: opts.apiLogLevel,
      MONGODB_URI: mongoUri,
      REDIS_URL: opts.redisUrl,
      REDIS_KEY_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      KEYSTORE_MASTER_SECRET: randomBytes(32).toString('hex'),
      ADMIN_USERNAME: 'bench-admin',
      ADMIN_PASSWORD: admin,
      JOBS_ENABLED: 'true',
      // Capacity, not policy: the role's per-minute limit would cap the run at 1,000 requests.
      RATE_LIMIT_ENABLED: 'false',
      // TronGrid's 15 req/s budget does not apply to the local devnet.
      TRON_MAX_REQUESTS_PER_SECOND: '5000',
      TRON_FULL_HOST: devnetUrl,
      AUDIT_ARCHIVE_DIR: join(tmpdir(), `tron-staking-bench-${runId}`, 'audit-archive'),
    },
    ROOT,
    // A V8 CPU profile of the API, written when it stops (open it in Chrome DevTools).
    opts.apiCpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.apiCpuProfileDir}`] : [],
  );
  undo.push(() => child.stop());
  const url = `http://127.0.0.1:${port}`;
  await child.waitUntil(async () => (await fetch(`${url}/health/ready`)).status === 200, 120_000);
  return { child, url };
}

/** Commands the database server has answered so far, by command name (FerretDB serverStatus). */
async function dbCommands(conn: Connection): Promise<Record<string, number>> {
  try {
    const status = (await conn.db!.admin().command({ serverStatus: 1 })) as {
      metrics?: { commands?: Record<string, { total?: number }> };
    };
    return Object.fromEntries(
      Object.entries(status.metrics?.commands ?? {}).map(([k, v]) => [k, Number(v.total ?? 0)]),
    );
  } catch {
    return {};
  }
}

/** Waits until none of the owners has an open operation; returns how long that took. */
async function drainOpen(
  operations: BenchModels['operations'],
  owners: string[],
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const open = await Promise.all(
      owners.map((owner) => operations.countDocuments({ open_owner: owner })),
    );
    if (open.every((n) => n === 0)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return Date.now() - started;
}

type Targets = { name: string; pid: number; withChildren?: boolean }[];

/** Runs a write benchmark and charges the CPU and database commands it caused to each write. */
async function accounted(conn: Connection, targets: Targets, run: () => Promise<WriteRun>) {
  const [cpu0, db0] = [cpuSnapshot(targets), await dbCommands(conn)];
  const result = await run();
  const [cpu1, db1] = [cpuSnapshot(targets), await dbCommands(conn)];
  const per = (v: number) => (result.ok ? v / result.ok : NaN);
  result.cpuMsPerOp = Object.fromEntries(
    targets.map((t) => [
      t.name,
      cpu0[t.name] === null || cpu1[t.name] === null
        ? NaN
        : per((cpu1[t.name]! - cpu0[t.name]!) * 1000),
    ]),
  );
  const deltas = Object.entries(db1)
    .map(([k, v]) => [k, v - (db0[k] ?? 0)] as const)
    .filter(([, v]) => v > 0);
  result.dbCommandsPerOp = Object.fromEntries([
    ['total', per(deltas.reduce((a, [, v]) => a + v, 0))],
    ...deltas.sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, per(v)]),
  ]);
  return result;
}

async function benchSize(size: number, o: BenchOptions): Promise<SizeResult> {
  const result: SizeResult = { size, writes: {}, reads: {}, rss: {}, idle: [], background: [] };
  const dbName = `bench_${runId}_${size}`;
  const mongoUri = databaseUri(dbName);
  const prefix = `bench:${runId}:${size}:`;
  say(`\n== ${size.toLocaleString('en-US')} records — database ${dbName}, Redis prefix ${prefix}`);
  const mark = undo.length;

  const conn: Connection = await mongoose
    .createConnection(mongoUri, { maxPoolSize: 10 })
    .asPromise();
  undo.push(async () => {
    await conn.dropDatabase();
    await conn.close();
    say(`  dropped ${dbName}`);
  });
  undo.push(async () => {
    const n = await dropRedisPrefix(prefix);
    say(`  removed ${n} Redis keys under ${prefix}`);
  });
  const models = benchModels(conn, app);

  const devnet = await startDevnet();
  // A progress line on a terminal only; logs get the one line after.
  const tty = process.stdout.isTTY;
  const seeded = await seedDatabase(models, app, size, o.seedBatch, (done) => {
    if (tty)
      process.stdout.write(
        `\r  seeding ${done.toLocaleString('en-US')} / ${size.toLocaleString('en-US')}`,
      );
  });
  if (tty) process.stdout.write('\n');
  result.seedSeconds = seeded.seconds;
  say(
    `  seeded ${size} records + ${size} operations + ${size} audit entries in ${seeded.seconds.toFixed(1)} s (${Math.round((3 * size) / seeded.seconds)} docs/s); audit head seq ${seeded.auditHead.seq}`,
  );
  const probe = seeded.addresses[0]!;
  await devnetCall(devnet.url, '/devnet/faucet', { address: probe, amount_sun: 5_000 * TRX });

  const dbProcs = databaseProcesses();
  if (dbProcs.length) {
    const window = Math.min(10, o.idleSeconds);
    result.background = await sampleCpu(dbProcs, window);
    say(
      `  database CPU before the API starts (${window} s; other users of the shared services included): ${cpuLine(result.background)}`,
    );
  }

  const adminPassword = `bench-${randomBytes(12).toString('hex')}`;
  const api = await startApi(mongoUri, devnet.url, prefix, adminPassword);
  const client = new HttpClient(api.url);
  undo.push(async () => client.close());
  const login = await client.post('/api/v1/auth/login', {
    username: 'bench-admin',
    password: adminPassword,
  });
  if (login.status !== 200) throw new Error(`login → ${login.status} ${login.body}`);
  const token = (JSON.parse(login.body) as { access_token: string }).access_token;
  const auth = { authorization: `Bearer ${token}` };

  // Writes of one owner are serialised by the owner lock: one managed account per worker.
  const workers = Math.max(...o.writeConcurrency);
  const accounts: string[] = [];
  for (let i = 0; i < workers; i++) {
    const res = await client.post('/api/v1/accounts', { label: `bench-${i}` }, auth);
    if (res.status !== 201) throw new Error(`create account → ${res.status} ${res.body}`);
    const address = (JSON.parse(res.body) as { address: string }).address;
    await devnetCall(devnet.url, '/devnet/faucet', { address, amount_sun: 1_000_000 * TRX });
    accounts.push(address);
  }
  const state = await devnetCall<{
    genesis_accounts: { address: string; private_key: string }[];
  }>(devnet.url, '/devnet/state');
  const keys = state.genesis_accounts;

  let amountBase = 0;
  const nextBase = () => (amountBase += 100_000);
  // Warm-up (not measured): first sign per account derives its key, first builds fill caches.
  await apiWrites({
    api: client,
    token,
    accounts,
    concurrency: workers,
    requests: 2 * workers,
    operations: models.operations,
    tag: `${runId}-warm`,
    amountBase: nextBase(),
  });
  await bareWrites({
    devnetUrl: devnet.url,
    keys,
    concurrency: workers,
    requests: 2 * workers,
    amountBase: nextBase(),
  });

  const watched: Targets = [
    { name: 'staking-api', pid: api.child.pid },
    ...dbProcs,
    { name: 'tron-devnet', pid: devnet.child.pid },
    { name: 'load generator', pid: process.pid },
  ];
  for (const c of o.writeConcurrency) {
    const requests = o.writeRequests[c]!;
    const bare = await accounted(conn, watched, () =>
      bareWrites({ devnetUrl: devnet.url, keys, concurrency: c, requests, amountBase: nextBase() }),
    );
    const viaApi = await accounted(conn, watched, () =>
      apiWrites({
        api: client,
        token,
        accounts,
        concurrency: c,
        requests,
        operations: models.operations,
        tag: `${runId}-c${c}`,
        amountBase: nextBase(),
      }),
    );
    result.writes[c] = { api: viaApi, bare };
    say(`  writes c=${c}: ${writeLine('API ', viaApi)}`);
    say(`             ${writeLine('bare', bare)}`);
    say(`    API stages (median): ${stageLine(viaApi)}`);
    say(`    bare stages (median): ${stageLine(bare)}`);
    say(
      `    CPU ms per write: API run ${perOpLine(viaApi.cpuMsPerOp)}; bare run ${perOpLine(bare.cpuMsPerOp)}`,
    );
    say(
      `    DB commands per write (all clients): API run ${perOpLine(viaApi.dbCommandsPerOp)}; bare run ${perOpLine(bare.dbCommandsPerOp)}`,
    );
  }
  result.rss.afterWrites = memoryOf(api.child.pid)?.rssMb;
  // Reads start once every bench write is final: a settlement invalidates the cached views.
  const drained = await drainOpen(models.operations, accounts, 60_000);
  say(`  all bench writes final after ${(drained / 1000).toFixed(1)} s`);

  const basePort = await freePort();
  const baseline = new Child(
    'read-baseline',
    BASELINE_ENTRY,
    {
      BENCH_BASELINE_PORT: String(basePort),
      BENCH_ROOT: ROOT,
      MONGODB_URI: mongoUri,
      TRON_FULL_HOST: devnet.url,
    },
    ROOT,
  );
  undo.push(() => baseline.stop());
  const baseUrl = `http://127.0.0.1:${basePort}`;
  await baseline.waitUntil(() => httpOk(`${baseUrl}/ping`));
  const baseClient = new HttpClient(baseUrl);
  undo.push(async () => baseClient.close());
  await client.get('/health/live');
  await baseClient.get('/ping');

  const reads: [string, string, string][] = [
    ['stats', '/api/v1/tron/staking/stats', '/stats'],
    ['status', `/api/v1/tron/staking/${probe}/status`, `/${probe}/status`],
    ['list', `/api/v1/tron/staking/list?address=${probe}`, `/list?address=${probe}`],
  ];
  for (const [name, apiPath, basePath] of reads) {
    const common = {
      concurrency: o.readConcurrency,
      requests: o.readRequests,
      seconds: o.readSeconds,
      coldLimitMs: o.readColdLimitMs,
      coldTimeoutMs: o.readTimeoutMs,
    };
    const viaApi = await readEndpoint({ client, path: apiPath, headers: auth, ...common });
    // Minutes-long aggregations are timed once, through the API; the baseline runs the same
    // queries and would only double the wait.
    const bare: ReadResult =
      viaApi.coldMs !== null && viaApi.coldMs > o.readBaselineSkipMs
        ? {
            coldMs: null,
            skipped: `not run: the API's cold request took ${(viaApi.coldMs / 1000).toFixed(1)} s and the baseline runs the same queries`,
          }
        : await readEndpoint({ client: baseClient, path: basePath, ...common });
    result.reads[name] = { api: viaApi, bare };
    say(`  read ${name.padEnd(6)} API : ${readLine(viaApi)}`);
    say(`  ${''.padEnd(11)} bare: ${readLine(bare)}`);
  }
  result.rss.afterReads = memoryOf(api.child.pid)?.rssMb;
  await baseline.stop();

  if (dbProcs.length) {
    await new Promise((r) => setTimeout(r, 5_000));
    result.idle = await sampleCpu(
      [
        ...dbProcs,
        { name: 'staking-api', pid: api.child.pid },
        { name: 'tron-devnet', pid: devnet.child.pid },
      ],
      o.idleSeconds,
    );
    say(`  idle with jobs on (${o.idleSeconds} s): ${cpuLine(result.idle)}`);
  } else {
    say(`  idle CPU skipped: no FerretDB pid under ${opts.localDir}/run (set BENCH_LOCAL_DIR)`);
  }
  // The seeded chain and the API's appends on top of it must verify as one chain. The verifier
  // pages by seq range (evaluated in memory by FerretDB), so it is only asked on small sizes.
  if (size <= VERIFY_AUDIT_UP_TO) {
    const res = await client.get('/api/v1/audit/verify', auth, o.readTimeoutMs);
    const v = JSON.parse(res.body) as { valid?: boolean; checked?: number; head_seq?: number };
    result.auditValid = v.valid === true;
    say(
      `  audit chain: ${v.valid ? 'valid' : `BROKEN ${res.body.slice(0, 300)}`} (${v.checked} entries checked, head seq ${v.head_seq})`,
    );
  }
  const mem = memoryOf(api.child.pid);
  result.rss.afterIdle = mem?.rssMb;
  result.rss.peak = mem?.peakMb;
  say(
    `  API RSS: after writes ${mb(result.rss.afterWrites)}, after reads ${mb(result.rss.afterReads)}, after idle ${mb(result.rss.afterIdle)} (peak ${mb(result.rss.peak)})`,
  );

  while (undo.length > mark)
    await undo.pop()!().catch((e: unknown) => say(`  cleanup: ${String(e)}`));
  return result;
}

const mb = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v)} MB`);
const cpuLine = (rows: { name: string; percent: number | null }[]) =>
  rows.map((r) => `${r.name} ${r.percent === null ? '—' : r.percent.toFixed(1)} %`).join(', ');
const writeLine = (label: string, r: WriteRun) =>
  `${label} ${r.perSecond.toFixed(1)} ops/s, p50 ${r.latency.p50.toFixed(1)} ms, p99 ${r.latency.p99.toFixed(1)} ms (${r.ok} ok, ${r.failed} failed${r.failed ? `: ${JSON.stringify(r.failures)}` : ''})`;
const perOpLine = (m: Record<string, number> | undefined) =>
  Object.entries(m ?? {})
    .map(([k, v]) => `${k} ${Number.isNaN(v) ? '—' : v.toFixed(1)}`)
    .join(', ');
const stageLine = (r: WriteRun) =>
  Object.entries(r.stages)
    .map(([k, v]) => `${k} ${Number.isNaN(v) ? '—' : v.toFixed(1)}`)
    .join(' | ');
const readLine = (r: ReadResult) =>
  `cold ${r.coldMs === null ? '—' : `${r.coldMs.toFixed(1)} ms`}` +
  (r.run
    ? `; ${r.run.perSecond.toFixed(0)} req/s, p50 ${r.run.latency.p50.toFixed(1)} ms, p99 ${r.run.latency.p99.toFixed(1)} ms, max ${r.run.latency.max.toFixed(0)} ms (${r.run.ok} ok, ${r.run.failed} failed)`
    : `; ${r.skipped ?? ''}${r.coldError ? ` (${r.coldError})` : ''}`);

say(
  `tron-staking bench ${runId}: sizes ${opts.sizes.join(', ')}; writes ${opts.writeConcurrency
    .map((c) => `${opts.writeRequests[c]} at c=${c}`)
    .join(
      ', ',
    )}; reads c=${opts.readConcurrency}, ≤${opts.readRequests} requests or ${opts.readSeconds} s; idle ${opts.idleSeconds} s; API LOG_LEVEL=${opts.apiLogLevel}; devnet block every ${opts.blockIntervalMs} ms, solidity lag ${opts.solidityLagBlocks}`,
);
const results: SizeResult[] = [];
let exitCode = 0;
try {
  for (const size of opts.sizes) results.push(await benchSize(size, opts));
} catch (error) {
  say(`bench failed: ${(error as Error).stack ?? String(error)}`);
  exitCode = 1;
} finally {
  await unwind();
}
if (results.length) {
  printSummary(results, opts);
  const dir = join(ROOT, 'dist/bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${runId}.json`);
  writeFileSync(file, JSON.stringify({ runId, options: opts, results }, null, 2));
  say(`\nfigures as JSON: ${file}`);
}
process.exit(exitCode);
