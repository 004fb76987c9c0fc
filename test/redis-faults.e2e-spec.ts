import { adminAuth, type AuthHeaders } from './support/auth.js';
import { writeTestPolicy } from './support/policy.js';
import { pollUntil } from './support/poll.js';
import { RedisProcess } from './support/redis-process.js';
import { startStakingFixture, type StakingFixture } from './support/staking-fixture.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

/** Fails the test instead of hanging it: the answer must come within `ms`. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A real redis-server stopped under the running app: cached reads answer from the source,
 * writes fail closed (503 S806 with Retry-After, nothing recorded), and all recovers on return.
 */
describe('Redis faults: reads go around the cache, writes fail closed, everything recovers', () => {
  let redis: RedisProcess;
  let f: StakingFixture;
  let address: string;

  beforeAll(async () => {
    redis = await RedisProcess.start();
    f = await startStakingFixture('redis-faults', { REDIS_URL: redis.url });
    address = await f.managedAccount(1_000);
    expect(
      (
        await f.post('/api/v1/tron/staking/stake', {
          address,
          amount: 10,
          duration: 1,
          resource: 'ENERGY',
        })
      ).statusCode,
    ).toBe(201);
    await f.settle();
    // Warm the cache so that the reads below would be served from it if Redis were there.
    expect((await f.get(`/api/v1/tron/staking/${address}/status`)).statusCode).toBe(200);
  });
  afterAll(async () => {
    await f?.close();
    await redis?.stop();
  });

  it('with Redis stopped, cached reads answer from the node and the database', async () => {
    await redis.stop();
    for (const url of [
      `/api/v1/tron/staking/${address}/status`,
      `/api/v1/tron/staking/${address}/resources`,
      '/api/v1/tron/staking/stats',
      `/api/v1/tron/staking/list?address=${address}`,
    ]) {
      const res = await within(2_000, f.get(url));
      expect(res.statusCode).toBe(200);
    }
    const status = (await f.get(`/api/v1/tron/staking/${address}/status`)).json();
    expect(status.cached).toBe(false);
    expect(status.frozen.energy).toBe(10);
  });

  it('with Redis stopped, a write answers 503 S806 with Retry-After and records nothing', async () => {
    const before = (await f.get(`/api/v1/tron/staking/list?address=${address}`)).json();
    const res = await within(
      5_000,
      f.post('/api/v1/tron/staking/freeze', { address, amount: 5, resource: 'ENERGY' }),
    );
    expect(res.statusCode).toBe(503);
    expect(res.json().error_code).toBe('S806');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const after = (await f.get(`/api/v1/tron/staking/list?address=${address}`)).json();
    expect(after.total_count).toBe(before.total_count);
    const ops = (await f.get(`/api/v1/operations?address=${address}`)).json();
    expect(ops.total_count).toBe(1);
  });

  it('once Redis is back, writes go through again', async () => {
    await redis.start();
    const back = await pollUntil(
      async () =>
        (await f.post('/api/v1/tron/staking/freeze', { address, amount: 5, resource: 'ENERGY' }))
          .statusCode === 201,
      10_000,
      250,
    );
    expect(back.ok).toBe(true);
    await f.settle();
    const status = (await f.get(`/api/v1/tron/staking/${address}/status`)).json();
    expect(status.frozen.energy).toBe(15);
  });
});

/** The policy's `when_redis_unavailable`, with rate limits on and Redis stopped. */
describe('Redis faults: rate limits follow the policy while Redis cannot count', () => {
  let redis: RedisProcess;
  const apps: { mode: string; t: TestApp; auth: AuthHeaders }[] = [];

  beforeAll(async () => {
    redis = await RedisProcess.start();
    for (const mode of ['allow', 'refuse'] as const) {
      const policy = writeTestPolicy((p) => {
        p.rate_limiting.when_redis_unavailable = mode;
      });
      const t = await bootTestApp(`redis-rl-${mode}`, {
        REDIS_URL: redis.url,
        RATE_LIMIT_ENABLED: 'true',
        SECURITY_POLICIES_FILE: policy,
      });
      apps.push({ mode, t, auth: await adminAuth(t) });
    }
    await redis.stop();
  });
  afterAll(async () => {
    // Closing waits on the Redis client's quit: give it its server back first.
    await redis?.start();
    for (const { t } of apps) await t.close();
    await redis?.stop();
  });

  it('allow: requests pass uncounted and answer within 2 s', async () => {
    const { t, auth } = apps.find((a) => a.mode === 'allow')!;
    for (let i = 0; i < 3; i++) {
      const res = await within(
        2_000,
        t.inject({ method: 'GET', url: '/api/v1/accounts', headers: auth }),
      );
      expect(res.statusCode).toBe(200);
    }
  });

  it('refuse: 503 S806 with Retry-After, and the exempt probes still answer', async () => {
    const { t, auth } = apps.find((a) => a.mode === 'refuse')!;
    const res = await within(
      2_000,
      t.inject({ method: 'GET', url: '/api/v1/accounts', headers: auth }),
    );
    expect(res.statusCode).toBe(503);
    expect(res.json().error_code).toBe('S806');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await t.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});
