import { ClaimPolicyJob } from '../apps/staking-api/src/rewards/claim-policy.job.js';
import { UnfreezeWithdrawalJob } from '../apps/staking-api/src/staking/staking-jobs.js';
import { OperationReconciliationJob } from '../apps/staking-api/src/operations/operation-reconciliation.job.js';
import { VotePolicyJob } from '../apps/staking-api/src/voting/vote-policy.job.js';
import { login } from './support/auth.js';
import { writeTestPolicy } from './support/policy.js';
import { startStakingFixture, type StakingFixture } from './support/staking-fixture.js';

const HOUR_MS = 3_600_000;

describe('maintenance windows: writes 503 S711 with Retry-After, reads and probes work, fund-moving jobs pause', () => {
  let f: StakingFixture;
  const start = new Date(Date.now() - HOUR_MS);
  const end = new Date(Date.now() + HOUR_MS);
  const nextStart = new Date(Date.now() + 24 * HOUR_MS);

  beforeAll(async () => {
    // The app boots inside a window that is on now, and a next one planned.
    const policy = writeTestPolicy((p) => {
      p.operations.maintenance.windows = [
        { start: start.toISOString(), end: end.toISOString(), reason: 'node upgrade' },
        {
          start: nextStart.toISOString(),
          end: new Date(nextStart.getTime() + HOUR_MS).toISOString(),
          reason: 'database upgrade',
        },
      ];
    });
    f = await startStakingFixture('maintenance', { SECURITY_POLICIES_FILE: policy });
  });
  afterAll(() => f?.close());

  it('a write answers 503 S711 with Retry-After up to the end of the window, and reaches neither DB nor node', async () => {
    const res = await f.post('/api/v1/accounts', { label: 'during-maintenance' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error_code: 'S711', details: { reason: 'node upgrade' } });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(HOUR_MS / 1000 - 60);
    expect(retryAfter).toBeLessThanOrEqual(HOUR_MS / 1000);
    const list = await f.get('/api/v1/accounts');
    expect(list.json()).toMatchObject({ accounts: [], total_count: 0 });
    const freeze = await f.post('/api/v1/tron/staking/freeze', {
      address: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
      amount: 10,
      resource: 'ENERGY',
      duration: 3,
    });
    expect([freeze.statusCode, freeze.json().error_code]).toEqual([503, 'S711']);
    const ops = await f.get('/api/v1/operations');
    expect(ops.statusCode).toBe(200);
    expect(ops.json().operations).toHaveLength(0);
  });

  it('reads, probes, metrics and sign-in keep working', async () => {
    for (const url of ['/api/v1/tron/staking/stats', '/health/ready', '/health/live', '/metrics'])
      expect((await f.t.inject({ method: 'GET', url, headers: f.auth })).statusCode).toBe(200);
    const pair = await login(f.t, f.t.env.ADMIN_USERNAME!, f.t.env.ADMIN_PASSWORD!);
    expect(pair.access_token).toBeTruthy();
  });

  it('/status shows the current window and the next one', async () => {
    const status = (await f.t.inject({ method: 'GET', url: '/status' })).json();
    expect(status.maintenance).toEqual({
      active: true,
      reason: 'node upgrade',
      started_at: start.toISOString(),
      ends_at: end.toISOString(),
      next_starts_at: nextStart.toISOString(),
      next_reason: 'database upgrade',
    });
  });

  it('jobs that move funds skip their ticks inside the window and run after it; the others run', async () => {
    for (const job of [UnfreezeWithdrawalJob, VotePolicyJob, ClaimPolicyJob]) {
      expect(await f.t.app.get(job).runOnce()).toEqual({ ran: false, paused: true });
      expect((await f.t.app.get(job).runOnce(new Date(end.getTime() + 1))).ran).toBe(true);
    }
    expect((await f.t.app.get(OperationReconciliationJob).runOnce()).ran).toBe(true);
  });
});
