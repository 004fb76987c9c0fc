import { SpendingLimits, type Principal } from '@app/auth';
import { StakingException, trxToSun } from '@app/common';
import { bootTestApp, type TestApp } from './support/test-app.js';

const principal = (
  role: Principal['role'],
  id = `p-${Math.random().toString(16).slice(2)}`,
): Principal => ({ kind: 'user', id, role });
const codeOf = async (work: Promise<unknown>) => {
  try {
    await work;
    return 'ok';
  } catch (error) {
    if (error instanceof StakingException) return error.code;
    throw error;
  }
};

describe('per-role TRX limits (policy rbac.roles.*), daily totals shared through Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let limitsA: SpendingLimits;
  let limitsB: SpendingLimits;

  beforeAll(async () => {
    a = await bootTestApp('spending_limits');
    b = await bootTestApp('spending_limits', {
      MONGODB_URI: a.env.MONGODB_URI!,
      REDIS_KEY_PREFIX: a.env.REDIS_KEY_PREFIX!,
      ADMIN_PASSWORD: a.env.ADMIN_PASSWORD!,
    });
    limitsA = a.app.get(SpendingLimits);
    limitsB = b.app.get(SpendingLimits);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('admin is unlimited', async () => {
    const r = await limitsA.reserve(principal('admin'), trxToSun(50_000_000), 'freeze');
    expect(r).toMatchObject({ key: null, remainingSun: null });
  });

  it('viewer may not move any TRX (S127)', async () => {
    expect(await codeOf(limitsA.reserve(principal('viewer'), trxToSun('0.000001'), 'freeze'))).toBe(
      'S127',
    );
  });

  it('operator: 10,000 TRX per operation (S127 above), 50,000 a day (S128 beyond), release gives it back once', async () => {
    const p = principal('operator');
    expect(await codeOf(limitsA.reserve(p, trxToSun('10000.000001'), 'freeze'))).toBe('S127');
    const reservations = [];
    for (let i = 0; i < 5; i++)
      reservations.push(await (i % 2 ? limitsB : limitsA).reserve(p, trxToSun(10_000), 'freeze'));
    expect(reservations[4]!.remainingSun).toBe(0n);
    const refused = await limitsA.reserve(p, trxToSun(1), 'vote').catch((e: StakingException) => e);
    expect(refused).toBeInstanceOf(StakingException);
    expect((refused as StakingException).code).toBe('S128');
    expect((refused as StakingException).details).toMatchObject({
      daily_limit_trx: '50000',
      used_today_trx: '50000',
      amount_trx: '1',
    });

    await limitsB.release(reservations[0]!);
    await limitsA.release(reservations[0]!); // a retry does not give it back twice
    expect(await limitsA.usedToday(p)).toBe(trxToSun(40_000));
    expect(await codeOf(limitsA.reserve(p, trxToSun(10_000), 'freeze'))).toBe('ok');
    expect(await codeOf(limitsA.reserve(p, trxToSun(1), 'freeze'))).toBe('S128');
  });

  it('manager: 100,000 per operation and 500,000 a day', async () => {
    const p = principal('manager');
    expect(await codeOf(limitsA.reserve(p, trxToSun(100_001), 'delegate'))).toBe('S127');
    for (let i = 0; i < 5; i++)
      expect(await codeOf(limitsB.reserve(p, trxToSun(100_000), 'delegate'))).toBe('ok');
    expect(await codeOf(limitsA.reserve(p, trxToSun(1), 'delegate'))).toBe('S128');
  });

  it('replicas racing on one principal never overshoot the daily total', async () => {
    const p = principal('operator');
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        codeOf((i % 2 ? limitsB : limitsA).reserve(p, trxToSun(5_000), 'freeze')),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(10);
    expect(results.filter((r) => r === 'S128')).toHaveLength(14);
    expect(await limitsA.usedToday(p)).toBe(trxToSun(50_000));
  });

  it('the day is the UTC day: a new day starts a new total; principals are counted apart', async () => {
    const p = principal('operator');
    const today = new Date('2030-03-01T23:59:59.000Z');
    const tomorrow = new Date('2030-03-02T00:00:00.000Z');
    for (let i = 0; i < 5; i++) await limitsA.reserve(p, trxToSun(10_000), 'freeze', today);
    expect(await codeOf(limitsA.reserve(p, trxToSun(1), 'freeze', today))).toBe('S128');
    expect((await limitsA.reserve(p, trxToSun(10_000), 'freeze', tomorrow)).day).toBe('2030-03-02');
    expect(
      await codeOf(limitsA.reserve({ ...p, kind: 'api_key' }, trxToSun(10_000), 'freeze', today)),
    ).toBe('ok');
  });
});
