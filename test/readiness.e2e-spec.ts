import { FerretDbProcess } from './support/ferretdb-process.js';
import { pollUntil } from './support/poll.js';
import { RedisProcess } from './support/redis-process.js';
import { startTestDevnet, type DevnetHandle } from './support/devnet.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

describe('probes follow a real Redis going away and coming back', () => {
  let redis: RedisProcess;
  let node: DevnetHandle;
  let t: TestApp;

  beforeAll(async () => {
    redis = await RedisProcess.start();
    node = await startTestDevnet('readiness');
    t = await bootTestApp('readiness', { REDIS_URL: redis.url, TRON_FULL_HOST: node.url });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
    await node?.close();
  });

  const status = async (url: string) => (await t.inject({ method: 'GET', url })).statusCode;

  it('ready → 503 while Redis is down, live stays 200, ready → 200 within seconds of its return', async () => {
    await expect(
      pollUntil(async () => (await status('/health/ready')) === 200, 5000),
    ).resolves.toMatchObject({ ok: true });

    await redis.stop();
    const down = await pollUntil(async () => (await status('/health/ready')) === 503, 5000);
    expect(down.ok).toBe(true);
    const ready = await t.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.json().checks.redis.status).toBe('down');
    expect(ready.json().checks.mongodb.status).toBe('up');
    expect(await status('/health/live')).toBe(200);
    const health = await t.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json().status).toBe('unhealthy');

    await redis.start();
    const back = await pollUntil(async () => (await status('/health/ready')) === 200, 10_000);
    expect(back.ok).toBe(true);
    expect(back.ms).toBeLessThan(10_000);
    expect((await t.inject({ method: 'GET', url: '/health' })).json().status).toBe('healthy');
  });

  it('a TRON node that stops answering degrades health but keeps the pod ready', async () => {
    await node.control('/devnet/faults', { path: '/wallet/getnowblock', mode: 'error', count: 5 });
    const ready = await t.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.tron_node.status).toBe('degraded');
    const health = await t.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json().status).toBe('degraded');
    await node.control('/devnet/faults', undefined, 'DELETE');
    expect((await t.inject({ method: 'GET', url: '/health' })).json().checks.tron_node.status).toBe(
      'up',
    );
  });
});

describe('probes follow a real MongoDB-protocol server going away and coming back', () => {
  let db: FerretDbProcess;
  let t: TestApp;

  beforeAll(async () => {
    db = await FerretDbProcess.start();
    t = await bootTestApp('readiness-db', { MONGODB_URI: db.uri('readiness_db') });
  });
  afterAll(async () => {
    await t?.close();
    await db?.stop();
  });

  const status = async (url: string) => (await t.inject({ method: 'GET', url })).statusCode;

  it('ready → 503 while the database is down, live stays 200, ready → 200 after it returns', async () => {
    expect(await status('/health/ready')).toBe(200);
    await db.stop();
    expect((await pollUntil(async () => (await status('/health/ready')) === 503, 10_000)).ok).toBe(
      true,
    );
    const ready = await t.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.json().checks.mongodb.status).toBe('down');
    expect(ready.json().checks.redis.status).toBe('up');
    expect(await status('/health/live')).toBe(200);
    await db.start();
    const back = await pollUntil(async () => (await status('/health/ready')) === 200, 20_000, 200);
    expect(back.ok).toBe(true);
  });
});
