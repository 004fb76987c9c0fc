import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IncidentsService } from '../apps/staking-api/src/compliance/incidents/incidents.service.js';
import { dueKey, minuteOf } from '../apps/staking-api/src/webhooks/webhook-due-buckets.js';
import { WebhookDispatchJob } from '../apps/staking-api/src/webhooks/webhook-dispatch.job.js';
import type { WebhookEvent } from '../apps/staking-api/src/webhooks/webhook-events.js';
import { WebhookOutbox } from '../apps/staking-api/src/webhooks/webhook-outbox.js';
import { WebhookUrlGuard } from '../apps/staking-api/src/webhooks/webhook-url-guard.js';
import { WebhooksRepository } from '../apps/staking-api/src/webhooks/webhooks.repository.js';
import { adminAuth, type AuthHeaders } from './support/auth.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

/** A loopback receiver that answers 200 and keeps every request's event id and body. */
class Receiver {
  readonly events: { id: string; body: WebhookEvent }[] = [];
  private server!: Server;
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        this.events.push({
          id: String(req.headers['x-webhook-event-id']),
          body: JSON.parse(body) as WebhookEvent,
        });
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

const event = (id: string, type: WebhookEvent['type'] = 'operation.confirmed'): WebhookEvent => ({
  id,
  type,
  created_at: new Date().toISOString(),
  data: {},
});

describe('webhooks, production switches: no internal addresses (S712), https only (S713), hosts must resolve (S714)', () => {
  let t: TestApp;
  let auth: AuthHeaders;
  const hosts: Record<string, string[]> = {
    'public.example': ['93.184.216.34'],
    'internal.example': ['10.0.0.5'],
    'metadata.example': ['169.254.169.254'],
    'mixed.example': ['93.184.216.34', '127.0.0.1'],
  };
  const create = async (url: string) => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url, event_types: ['operation.confirmed'] },
      headers: auth,
    });
    return res;
  };
  const refusal = async (url: string) => {
    const res = await create(url);
    return [res.statusCode, res.json().error_code];
  };

  beforeAll(async () => {
    t = await bootTestApp('webhooks_ssrf', {
      WEBHOOK_ALLOW_PRIVATE_URLS: 'false',
      WEBHOOK_ALLOW_HTTP: 'false',
    });
    auth = await adminAuth(t);
    t.app.get(WebhookUrlGuard).useResolver(async (host) => {
      const found = hosts[host];
      if (!found) throw new Error(`ENOTFOUND ${host}`);
      return found;
    });
  });
  afterAll(async () => t?.close());

  it('refuses loopback, private, link-local/metadata and mixed answers, and plain http', async () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://127.1.2.3:8443/hook',
      'https://10.1.2.3/hook',
      'https://192.168.0.10/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'https://[fd00:ec2::254]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://internal.example/hook',
      'https://metadata.example/hook',
      'https://mixed.example/hook',
    ])
      expect([url, ...(await refusal(url))]).toEqual([url, 422, 'S712']);
    expect(await refusal('http://public.example/hook')).toEqual([422, 'S713']);
    expect(await refusal('https://nowhere.example/hook')).toEqual([422, 'S714']);
    const list = await t.inject({ method: 'GET', url: '/api/v1/webhooks', headers: auth });
    expect(list.json().items).toEqual([]);
  });

  it('accepts an https URL whose host resolves to public addresses only', async () => {
    const res = await create('https://public.example/hook');
    expect(res.statusCode).toBe(201);
  });

  it('checks again before each delivery: a host that now resolves inward is not called', async () => {
    const sub = (await create('https://public.example/rebind')).json() as { id: string };
    hosts['public.example'] = ['127.0.0.1'];
    try {
      expect(await t.app.get(WebhookOutbox).publish(event('operation.confirmed:rebind'))).toBe(2);
      const tick = await t.app.get(WebhookDispatchJob).runOnce();
      expect(tick.result).toMatchObject({ due: 2, retry: 2, delivered: 0 });
      const log = await t.inject({
        method: 'GET',
        url: `/api/v1/webhooks/${sub.id}/deliveries`,
        headers: auth,
      });
      expect(log.json().items).toEqual([
        expect.objectContaining({ state: 'pending', attempts: 1 }),
      ]);
      expect(log.json().items[0].last_error).toMatch(/loopback, private/);
      expect(log.json().items[0].last_status_code).toBeUndefined();
    } finally {
      hosts['public.example'] = ['93.184.216.34'];
    }
  });
});

describe('webhooks at scale: a paged delivery log, dispatch by due bucket behind a retry backlog, incident events', () => {
  let t: TestApp;
  let db: Connection;
  let auth: AuthHeaders;
  let receiver: Receiver;
  let hook: { id: string };
  const dispatch = (now = new Date()) => t.app.get(WebhookDispatchJob).runOnce(now);
  const get = (url: string) => t.inject({ method: 'GET', url, headers: auth });

  beforeAll(async () => {
    t = await bootTestApp('webhooks_scale');
    db = t.app.get<Connection>(getConnectionToken());
    auth = await adminAuth(t);
    receiver = new Receiver();
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: {
        url: await receiver.start(),
        event_types: [
          'operation.confirmed',
          'incident.opened',
          'incident.acknowledged',
          'incident.resolved',
        ],
      },
      headers: auth,
    });
    expect(res.statusCode).toBe(201);
    hook = res.json() as { id: string };
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('the delivery log comes in pages of 50, newest first, each page one lookup, until no next_cursor', async () => {
    const outbox = t.app.get(WebhookOutbox);
    for (let i = 0; i < 120; i++) await outbox.publish(event(`operation.confirmed:page-${i}`));
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 5; n++) {
      const res = await get(
        `/api/v1/webhooks/${hook.id}/deliveries${cursor === undefined ? '' : `?cursor=${cursor}`}`,
      );
      expect(res.statusCode).toBe(200);
      pages.push(res.json().items.map((d: { event_id: string }) => d.event_id));
      cursor = res.json().next_cursor as string | undefined;
      if (cursor === undefined) break;
    }
    expect(pages.map((p) => p.length)).toEqual([20, 50, 50]);
    const all = pages.flat();
    expect(all).toEqual(
      Array.from({ length: 120 }, (_, i) => `operation.confirmed:page-${119 - i}`),
    );
    const bad = await get(`/api/v1/webhooks/${hook.id}/deliveries?cursor=-1`);
    expect([bad.statusCode, bad.json().error_code]).toEqual([400, 'S100']);
    // Drain them so the next test starts from an empty outbox.
    while (((await dispatch()).result as { due: number }).due > 0);
    expect(new Set(receiver.events.map((e) => e.id)).size).toBe(120);
  });

  it('a backlog of 300 retries (due and not yet due) does not hold up a new event: it goes out on the first tick', async () => {
    const now = new Date();
    const past = new Date(now.getTime() - 10 * 60_000);
    const later = new Date(now.getTime() + 30 * 60_000);
    // Retries of a subscription that no longer exists (each attempt ends it as dropped).
    const gone = randomUUID();
    const row = (i: number, at: Date) => ({
      _id: randomUUID(),
      subscription_id: gone,
      event_id: `operation.confirmed:backlog-${i}`,
      event_type: 'operation.confirmed',
      body: '{}',
      state: 'pending',
      attempts: 1,
      next_attempt_at: at,
      created_at: past,
      day: past.toISOString().slice(0, 10),
      due: dueKey('retry', at),
    });
    await db
      .collection('webhook_deliveries')
      .insertMany([
        ...Array.from({ length: 150 }, (_, i) => row(i, past)),
        ...Array.from({ length: 150 }, (_, i) => row(150 + i, later)),
      ] as never[]);
    await t.app.get(WebhooksRepository).lowerCursor('retry', minuteOf(past));
    const before = receiver.events.length;
    await t.app.get(WebhookOutbox).publish(event('operation.confirmed:fresh'));

    const first = (await dispatch()).result as Record<string, number>;
    expect(first).toMatchObject({ new: 1, delivered: 1 });
    expect(first.retries).toBe(99); // the rest of the batch of 100 went to the backlog
    expect(receiver.events.slice(before).map((e) => e.id)).toEqual(['operation.confirmed:fresh']);
    // The due part of the backlog drains over the next ticks; the rows not yet due wait.
    expect(((await dispatch()).result as Record<string, number>).dropped).toBe(51);
    expect(((await dispatch()).result as Record<string, number>).due).toBe(0);
    const waiting = await db
      .collection('webhook_deliveries')
      .find({ subscription_id: gone, state: 'pending' })
      .toArray();
    expect(waiting).toHaveLength(150);
    expect(waiting.every((d) => d.attempts === 1)).toBe(true);
    // Once they fall due, the walk from the cursor finds them.
    const atLater = new Date(later.getTime() + 1_000);
    let dropped = 0;
    for (let i = 0; i < 3; i++)
      dropped += ((await dispatch(atLater)).result as Record<string, number>).dropped ?? 0;
    expect(dropped).toBe(150);
  });

  it('incidents publish incident.opened / acknowledged / resolved, each received once by event id; the gauge follows', async () => {
    const incidents = t.app.get(IncidentsService);
    const report = {
      type: 'sanctions_hit',
      summary: 'Counterparty on a sanctions list',
      subject: 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf',
      dedupeKey: 'webhook-test',
    };
    const gauge = async (status: string) => {
      const text = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      const m = new RegExp(
        `staking_incidents_open\\{severity="critical",status="${status}"\\} (\\d+)`,
      ).exec(text);
      return Number(m?.[1]);
    };
    expect(await gauge('open')).toBe(0);
    const opened = (await incidents.open(report))!;
    expect(await incidents.open(report)).toMatchObject({ id: opened.id }); // a repeat: same incident
    expect(await gauge('open')).toBe(1);
    const ack = await t.inject({
      method: 'POST',
      url: `/api/v1/compliance/incidents/${opened.id}/acknowledge`,
      payload: {},
      headers: auth,
    });
    expect(ack.statusCode).toBe(200);
    expect([await gauge('open'), await gauge('acknowledged')]).toEqual([0, 1]);
    const again = await t.inject({
      method: 'POST',
      url: `/api/v1/compliance/incidents/${opened.id}/acknowledge`,
      payload: {},
      headers: auth,
    });
    expect(again.statusCode).toBe(409);
    const resolved = await t.inject({
      method: 'POST',
      url: `/api/v1/compliance/incidents/${opened.id}/resolve`,
      payload: { resolution: 'false positive: a different entity' },
      headers: auth,
    });
    expect(resolved.statusCode).toBe(200);
    expect([await gauge('open'), await gauge('acknowledged')]).toEqual([0, 0]);

    const before = receiver.events.length;
    while (((await dispatch()).result as { due: number }).due > 0);
    const got = receiver.events.slice(before);
    expect(got.map((e) => e.id).sort()).toEqual(
      [
        `incident.acknowledged:${opened.id}`,
        `incident.opened:${opened.id}`,
        `incident.resolved:${opened.id}`,
      ].sort(),
    );
    const byType = Object.fromEntries(got.map((e) => [e.body.type, e.body.data]));
    expect(byType['incident.opened']).toMatchObject({
      incident_id: opened.id,
      type: 'sanctions_hit',
      severity: 'critical',
      status: 'open',
    });
    expect(byType['incident.acknowledged']).toMatchObject({ status: 'acknowledged' });
    expect(byType['incident.resolved']).toMatchObject({ status: 'resolved' });
    expect(byType['incident.resolved']!.resolved_at).toBeTruthy();
    // Details (screening hits and the like) never leave in a webhook.
    expect(JSON.stringify(got)).not.toContain('details');
  });
});
