import { pollUntil } from './support/poll.js';
import { RedisProcess } from './support/redis-process.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

describe('probes follow a real Redis going away and coming back', () => {
  let redis: RedisProcess;
  let t: TestApp;

  beforeAll(async () => {
    redis = await RedisProcess.start();
    t = await bootTestApp('readiness', { REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
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
});
