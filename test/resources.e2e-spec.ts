import { TronGateway } from '@app/tron';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TronWeb } from 'tronweb';
import { ResourceAlertsService } from '../apps/staking-api/src/resources/resource-alerts.service.js';
import { WatchedAddressesRepository } from '../apps/staking-api/src/resources/watched-addresses.repository.js';
import { ResourceRefreshJob } from '../apps/staking-api/src/resources/resource-refresh.job.js';
import { ResourceSnapshotsCleanupJob } from '../apps/staking-api/src/resources/resource-snapshots-cleanup.job.js';
import { WebhookDispatchJob } from '../apps/staking-api/src/webhooks/webhook-dispatch.job.js';
import { loginAs } from './support/auth.js';
import { startStakingFixture, type StakingFixture } from './support/staking-fixture.js';

const W = '/api/v1/tron/staking/watched-addresses';
const HOUR_MS = 3_600_000;
// The suite's node budget: the refresh job keeps to budget_share (0.5) of it.
const NODE_BUDGET = 40;
const randomAddress = () => TronWeb.createRandom().address;

/** A webhook receiver on loopback that answers 200 and keeps every event body. */
class Receiver {
  readonly events: { id: string; type: string; data: Record<string, unknown> }[] = [];
  private server!: Server;
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        this.events.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('resource monitoring: watched addresses, refresh job, cache, history, low-resource alerts', () => {
  let f: StakingFixture;
  let db: Connection;
  let receiver: Receiver;
  let account: string;
  let limit: number;
  const tick = (now = new Date()) => f.t.app.get(ResourceRefreshJob).runOnce(now);
  const view = async (address: string, query = '') => {
    const res = await f.get(`/api/v1/tron/staking/${address}/resources${query}`);
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const dispatch = () => f.t.app.get(WebhookDispatchJob).runOnce();
  const lowIncidents = async () =>
    (await f.get(`/api/v1/compliance/incidents?type=low_energy`))
      .json()
      .incidents.filter((i: { subject: string }) => i.subject === account);

  beforeAll(async () => {
    receiver = new Receiver();
    const url = await receiver.start();
    f = await startStakingFixture('resources', {
      TRON_MAX_REQUESTS_PER_SECOND: String(NODE_BUDGET),
      NOTIFICATIONS_ENABLED: 'true',
      // Alerts are queued (the outbox is what this suite checks), not sent anywhere.
      SMTP_URL: 'smtp://127.0.0.1:9',
    });
    db = f.t.app.get<Connection>(getConnectionToken());
    const hook = await f.post('/api/v1/webhooks', {
      url,
      event_types: ['resource.low', 'resource.recovered'],
    });
    expect(hook.statusCode).toBe(201);
    account = await f.managedAccount(5_000);
    const freeze = await f.post('/api/v1/tron/staking/freeze', {
      address: account,
      amount: 1_000,
      resource: 'ENERGY',
      duration: 1,
    });
    expect(freeze.statusCode).toBe(201);
    await f.settle();
  });
  afterAll(async () => {
    await f?.close();
    await receiver?.close();
  });

  it('watched addresses: create, list by bucket, duplicate, delete; the literal path wins over :staking_id', async () => {
    const address = randomAddress();
    const created = await f.post(W, { address, label: 'payout', energy_floor: 5_000 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      address,
      label: 'payout',
      watched: true,
      managed: false,
      energy_floor: 5_000,
      bandwidth_floor: 0,
      energy_alert: 'armed',
    });
    const again = await f.post(W, { address });
    expect(again.statusCode).toBe(409);
    expect(again.json().error_code).toBe('S607');
    const slot = created.json().slot as number;
    const list = await f.get(`${W}?slot=${slot}`);
    // Not the staking controller's GET :staking_id (that would answer S107 for this id).
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ slot, slots: 60, total_watched: 1 });
    expect(list.json().items.map((i: { address: string }) => i.address)).toContain(address);
    const otherSlot = (slot + 1) % 60;
    expect(
      (await f.get(`${W}?slot=${otherSlot}`))
        .json()
        .items.map((i: { address: string }) => i.address),
    ).not.toContain(address);
    // Bad input is refused by the schema, never reaches the DB.
    expect((await f.post(W, { address: 'nope' })).statusCode).toBe(400);
    expect((await f.post(W, { address, energy_floor: -1 })).statusCode).toBe(400);
    const viewer = await loginAs(f.t, 'viewer');
    expect((await f.t.inject({ method: 'GET', url: W, headers: viewer })).statusCode).toBe(200);
    expect(
      (
        await f.t.inject({
          method: 'POST',
          url: W,
          headers: viewer,
          payload: { address: randomAddress() },
        })
      ).statusCode,
    ).toBe(403);
    const del = await f.t.inject({ method: 'DELETE', url: `${W}/${address}`, headers: f.auth });
    expect(del.statusCode).toBe(204);
    const gone = await f.t.inject({ method: 'DELETE', url: `${W}/${address}`, headers: f.auth });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error_code).toBe('S606');
    expect((await f.get(`${W}?slot=${slot}`)).json().total_watched).toBe(0);
  });

  it('a tick refreshes the managed account; the view answers from the cache with its age', async () => {
    const at = new Date(Date.now() - 120_000);
    const result = (await tick(at)).result as Record<string, number>;
    expect(result.refreshed).toBeGreaterThanOrEqual(1);
    expect(result.failed).toBe(0);
    const v = await view(account);
    expect(v.cached).toBe(true);
    expect(Date.parse(v.cached_at)).toBeGreaterThanOrEqual(at.getTime());
    expect(v.age_seconds).toBeGreaterThanOrEqual(119);
    expect(v.energy.limit).toBeGreaterThan(0);
    expect(v.frozen.energy).toBe(1_000);
    expect(v.tron_power.limit).toBe(1_000);
    limit = v.energy.limit as number;
    // The tick was recorded like every leader job's.
    const jobs = (await f.get('/api/v1/system/jobs')).json().items;
    expect(jobs.find((j: { name: string }) => j.name === 'resource-refresh')).toMatchObject({
      runs_total: 1,
    });
    // An address nobody refreshed is read from the node (age 0, not cached).
    const stranger = randomAddress();
    const fresh = await view(stranger);
    expect(fresh).toMatchObject({ address: stranger, cached: false, age_seconds: 0 });
    // Resource levels per managed account only, by address.
    const metrics = (await f.t.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      new RegExp(`staking_account_energy_available\\{address="${account}"\\} ${limit}`),
    );
  });

  it('?history=24h|7d answers downsampled points from the snapshots (earlier ticks, other days)', async () => {
    const now = Date.now();
    for (const hoursAgo of [20, 10, 1]) await tick(new Date(now - hoursAgo * HOUR_MS));
    const day = (await view(account, '?history=24h')).history;
    expect(day.window).toBe('24h');
    // 20 h, 10 h, 1 h and 2 min ago: four 30-minute buckets of the 48.
    expect(day.points).toHaveLength(4);
    expect(day.points.every((p: { samples: number }) => p.samples === 1)).toBe(true);
    expect(day.points[0].energy_limit).toBe(limit);
    const times = day.points.map((p: { at: string }) => Date.parse(p.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const week = (await view(account, '?history=7d')).history;
    expect(week.points.length).toBeGreaterThanOrEqual(3);
    expect(week.points.length).toBeLessThanOrEqual(84);
    expect(week.points.reduce((a: number, p: { samples: number }) => a + p.samples, 0)).toBe(4);
    expect((await f.get(`/api/v1/tron/staking/${account}/resources?history=1y`)).statusCode).toBe(
      400,
    );
  });

  it('the low-energy alert fires once on a drop, not again while low, again after recovery and a new drop', async () => {
    const floor = Math.floor(limit / 2);
    const watched = await f.post(W, { address: account, energy_floor: floor });
    expect(watched.statusCode).toBe(201);
    expect(watched.json()).toMatchObject({ managed: true, watched: true, energy_floor: floor });
    const consume = (energy: number) =>
      f.node.control('/devnet/consume', { address: account, energy });

    await consume(Math.floor(limit * 0.8));
    expect((await tick()).result).toMatchObject({ fired: 1 });
    expect(await lowIncidents()).toHaveLength(1);
    const [incident] = await lowIncidents();
    const alerts = await db
      .collection('compliance_alerts')
      .find({ incident_id: incident.id })
      .toArray();
    expect(alerts.length).toBeGreaterThan(0);
    // Still low, lower even: nothing new.
    await consume(Math.floor(limit * 0.1));
    expect((await tick()).result).toMatchObject({ fired: 0, recovered: 0 });
    expect((await tick()).result).toMatchObject({ fired: 0 });
    expect(await lowIncidents()).toHaveLength(1);
    expect((await view(account)).energy.available).toBeLessThan(floor);

    // A day later usage has recovered: re-armed (above floor + 20 %), one recovered event.
    f.node.devnet.advance(86_400);
    f.node.devnet.produceBlocks(1);
    expect((await tick()).result).toMatchObject({ recovered: 1, fired: 0 });
    expect((await tick()).result).toMatchObject({ recovered: 0, fired: 0 });
    const entry = (await f.get(`${W}?slot=${watched.json().slot as number}`))
      .json()
      .items.find((i: { address: string }) => i.address === account);
    expect(entry.energy_alert).toBe('armed');
    // The recovery resolved the drop's incident (policy resolve_on_recovery).
    const [resolved] = await lowIncidents();
    expect(resolved).toMatchObject({
      id: incident.id,
      status: 'resolved',
      resolved_by: 'system:resource-refresh',
    });
    expect(resolved.resolution).toContain('recovered');

    await consume(Math.floor(limit * 0.9));
    expect((await tick()).result).toMatchObject({ fired: 1 });
    expect(await lowIncidents()).toHaveLength(2);
    expect(
      (await lowIncidents()).filter((i: { status: string }) => i.status === 'open'),
    ).toHaveLength(1);

    await dispatch();
    const mine = receiver.events.filter((e) => e.data.address === account);
    expect(mine.map((e) => e.type)).toEqual(['resource.low', 'resource.recovered', 'resource.low']);
    expect(mine[1]!.data.resolved_incident_id).toBe(incident.id);
    expect(new Set(mine.map((e) => e.id)).size).toBe(3);
    expect(mine[0]!.data).toMatchObject({ resource: 'energy', floor, managed: true });
    expect(mine[0]!.data.incident_id).toBe(incident.id);
    // A second dispatch sends nothing again.
    await dispatch();
    expect(receiver.events.filter((e) => e.data.address === account)).toHaveLength(3);
  });

  it('two replicas checking the same drop at once fire it once (the arm state moves by a conditional update)', async () => {
    const address = randomAddress();
    expect((await f.post(W, { address, energy_floor: 1_000 })).statusCode).toBe(201);
    const entry = (await f.t.app.get(WatchedAddressesRepository).find(address))!;
    const low = {
      ...(await view(account)),
      address,
      energy: { limit: 5_000, used: 4_900, available: 100 },
    };
    const alerts = f.t.app.get(ResourceAlertsService);
    const outcomes = await Promise.all([
      alerts.check(entry, low, new Date()),
      alerts.check(entry, low, new Date()),
    ]);
    expect(outcomes.reduce((a, o) => a + o.fired, 0)).toBe(1);
    const incidents = (await f.get('/api/v1/compliance/incidents?type=low_energy'))
      .json()
      .incidents.filter((i: { subject: string }) => i.subject === address);
    expect(incidents).toHaveLength(1);
    expect((await f.t.app.get(WatchedAddressesRepository).find(address))!.energy_alert).toBe(
      'fired',
    );
    const del = await f.t.inject({ method: 'DELETE', url: `${W}/${address}`, headers: f.auth });
    expect(del.statusCode).toBe(204);
  });

  it('unwatching a managed account keeps it monitored, back on the policy floors', async () => {
    const del = await f.t.inject({ method: 'DELETE', url: `${W}/${account}`, headers: f.auth });
    expect(del.statusCode).toBe(204);
    const entry = (await f.t.app.get(WatchedAddressesRepository).find(account))!;
    expect(entry).toMatchObject({ managed: true, watched: false });
    expect(entry.energy_floor).toBeUndefined();
    expect((await tick()).result).toMatchObject({ failed: 0 });
    expect((await view(account)).cached).toBe(true);
  });

  it('the refresh job keeps to its share of the node budget', async () => {
    const job = f.t.app.get(ResourceRefreshJob);
    expect(job.budgetPerSecond).toBe(NODE_BUDGET * 0.5);
    for (let i = 0; i < 24; i++)
      expect((await f.post(W, { address: randomAddress() })).statusCode).toBe(201);
    const gateway = f.t.app.get(TronGateway);
    const times: number[] = [];
    const spies = (['getAccount', 'getAccountResources'] as const).map((name) => {
      const original = gateway[name].bind(gateway);
      return vi.spyOn(gateway, name).mockImplementation(((address: string) => {
        times.push(performance.now());
        return original(address);
      }) as never);
    });
    const started = performance.now();
    try {
      const result = (await tick()).result as Record<string, number>;
      expect(result.refreshed).toBe(25);
      expect(result.node_requests).toBe(50);
    } finally {
      for (const s of spies) s.mockRestore();
    }
    const elapsed = performance.now() - started;
    expect(times).toHaveLength(50);
    // A ceiling, not a speed: no 1-second window holds more than the job's budget.
    for (const t of times)
      expect(times.filter((u) => u >= t && u < t + 1_000).length).toBeLessThanOrEqual(
        job.budgetPerSecond,
      );
    // 50 requests at 20 per second cannot take less than two full windows.
    expect(elapsed).toBeGreaterThanOrEqual(2_000);
  });

  it('snapshots older than the retention are deleted by day', async () => {
    const later = new Date(Date.now() + 32 * 24 * HOUR_MS);
    const result = (await f.t.app.get(ResourceSnapshotsCleanupJob).runOnce(later)).result;
    expect((result as { deleted: number }).deleted).toBeGreaterThanOrEqual(1);
    expect(await db.collection('resource_snapshots').countDocuments({ address: account })).toBe(0);
  });
});
