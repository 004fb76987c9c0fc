import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  verifyWebhook,
  type WebhookEvent,
} from '../apps/staking-api/src/webhooks/webhook-events.js';
import { WebhookDeliveriesCleanupJob } from '../apps/staking-api/src/webhooks/webhook-deliveries-cleanup.job.js';
import { WebhookDispatchJob } from '../apps/staking-api/src/webhooks/webhook-dispatch.job.js';
import { WebhookOutbox } from '../apps/staking-api/src/webhooks/webhook-outbox.js';
import { NODE_ENDPOINTS } from '@app/tron';
import { loginAs } from './support/auth.js';
import { startStakingFixture, type StakingFixture } from './support/staking-fixture.js';

interface Received {
  eventId: string;
  deliveryId: string;
  body: string;
  timestamp: number;
  signature: string;
}

/**
 * A receiver on loopback that answers 503 to the first `failFirst` attempts of every event id,
 * then 200. It keeps every request, so the test can tell attempts from events.
 */
class Receiver {
  readonly requests: Received[] = [];
  private readonly attempts = new Map<string, number>();
  private server!: Server;
  constructor(private readonly failFirst: number) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const eventId = String(req.headers['x-webhook-event-id']);
        this.requests.push({
          eventId,
          deliveryId: String(req.headers['x-webhook-delivery-id']),
          body,
          timestamp: Number(req.headers['x-webhook-timestamp']),
          signature: String(req.headers['x-webhook-signature']),
        });
        const n = (this.attempts.get(eventId) ?? 0) + 1;
        this.attempts.set(eventId, n);
        res.statusCode = n <= this.failFirst ? 503 : 200;
        res.end(n <= this.failFirst ? 'try later' : 'ok');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** The events a de-duplicating receiver keeps: the first 2xx-answered body per event id. */
  accepted(): Map<string, WebhookEvent> {
    const seen = new Map<string, number>();
    const kept = new Map<string, WebhookEvent>();
    for (const r of this.requests) {
      const n = (seen.get(r.eventId) ?? 0) + 1;
      seen.set(r.eventId, n);
      if (n > this.failFirst && !kept.has(r.eventId))
        kept.set(r.eventId, JSON.parse(r.body) as WebhookEvent);
    }
    return kept;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('webhooks: signed, from a persisted outbox, at least once with retries', () => {
  let f: StakingFixture;
  let db: Connection;
  let receiver: Receiver;
  let hook: { id: string; secret: string };
  let address: string;
  const dispatch = (now = new Date()) => f.t.app.get(WebhookDispatchJob).runOnce(now);

  beforeAll(async () => {
    f = await startStakingFixture('webhooks');
    db = f.t.app.get<Connection>(getConnectionToken());
    receiver = new Receiver(2);
    const url = await receiver.start();
    const res = await f.post('/api/v1/webhooks', {
      url,
      event_types: ['operation.confirmed', 'operation.failed'],
      description: 'test receiver',
    });
    expect(res.statusCode).toBe(201);
    hook = res.json() as { id: string; secret: string };
    address = await f.managedAccount(10_000);
  });
  afterAll(async () => {
    await receiver?.close();
    await f?.close();
  });

  it('the secret is shown once: at creation, never in the list or the database', async () => {
    expect(hook.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const list = await f.get('/api/v1/webhooks');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        id: hook.id,
        event_types: ['operation.confirmed', 'operation.failed'],
      }),
    ]);
    expect(list.body).not.toContain(hook.secret.slice(6));
    const stored = JSON.stringify(await db.collection('webhook_subscriptions').findOne({}));
    expect(stored).not.toContain(hook.secret.slice(6));
  });

  it('confirmed and failed operations reach the receiver exactly once by event id despite 503s, each signature verifying', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await f.post('/api/v1/tron/staking/freeze', {
        address,
        amount: 100 + i,
        resource: 'ENERGY',
        duration: 3,
      });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().operation_id as string);
    }
    await f.settle();
    await f.node.control('/devnet/faults', { mode: 'fail_in_block' });
    const failing = await f.post('/api/v1/tron/staking/freeze', {
      address,
      amount: 7,
      resource: 'BANDWIDTH',
      duration: 3,
    });
    expect(failing.statusCode).toBe(201);
    ids.push(failing.json().operation_id as string);
    await f.settle();

    // Attempt 1 and 2 answer 503; the retries wait the backoff (5 s, then 10 s), driven by the clock.
    let clock = Date.now();
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push((await dispatch(new Date(clock))).result);
      clock += 11_000;
    }
    expect(results[0]).toMatchObject({ due: 3, retry: 3, delivered: 0 });
    expect(results[1]).toMatchObject({ due: 3, retry: 3 });
    expect(results[2]).toMatchObject({ due: 3, delivered: 3 });
    expect(results[3]).toMatchObject({ due: 0 });

    const accepted = receiver.accepted();
    expect([...accepted.keys()].sort()).toEqual(
      [
        `operation.confirmed:${ids[0]}`,
        `operation.confirmed:${ids[1]}`,
        `operation.failed:${ids[2]}`,
      ].sort(),
    );
    expect(receiver.requests).toHaveLength(9);
    const now = Math.floor(Date.now() / 1000);
    for (const r of receiver.requests)
      expect(verifyWebhook(hook.secret, r.timestamp, r.body, r.signature, now, 300)).toBe(true);
    // A tampered body or another secret does not verify.
    const one = receiver.requests[0]!;
    expect(verifyWebhook(hook.secret, one.timestamp, `${one.body} `, one.signature, now, 300)).toBe(
      false,
    );
    expect(verifyWebhook('whsec_other', one.timestamp, one.body, one.signature, now, 300)).toBe(
      false,
    );
    expect(verifyWebhook(hook.secret, one.timestamp, one.body, one.signature, now + 301, 300)).toBe(
      false,
    );
    const failed = accepted.get(`operation.failed:${ids[2]}`)!;
    expect(failed.data).toMatchObject({ operation_id: ids[2], state: 'failed', kind: 'freeze' });
    expect(JSON.stringify([...accepted.values()])).not.toMatch(/signed_tx|raw_data|signature/);
  });

  it('an event published again (another replica, a retry) is queued once per subscription', async () => {
    const outbox = f.t.app.get(WebhookOutbox);
    const event: WebhookEvent = {
      id: 'operation.confirmed:replayed',
      type: 'operation.confirmed',
      created_at: new Date().toISOString(),
      data: {},
    };
    expect(await outbox.publish(event)).toBe(1);
    expect(await outbox.publish(event)).toBe(0);
    // A type the subscription did not ask for is not queued.
    expect(await outbox.publish({ ...event, id: 'x', type: 'resource.low' })).toBe(0);
  });

  it('the delivery log shows each delivery; resend sends the same event id again', async () => {
    const log = await f.get(`/api/v1/webhooks/${hook.id}/deliveries`);
    expect(log.statusCode).toBe(200);
    const items = log.json().items as {
      id: string;
      state: string;
      attempts: number;
      event_id: string;
    }[];
    const delivered = items.filter((d) => d.state === 'delivered');
    expect(delivered).toHaveLength(3);
    expect(delivered.every((d) => d.attempts === 3)).toBe(true);
    const target = delivered[0]!;
    const resend = await f.post(`/api/v1/webhooks/${hook.id}/deliveries/${target.id}/resend`, {});
    expect(resend.statusCode).toBe(202);
    expect(resend.json()).toMatchObject({ id: target.id, state: 'pending', attempts: 0 });
    const before = receiver.requests.length;
    await dispatch(new Date(Date.now() + 60_000));
    const again = receiver.requests.slice(before).filter((r) => r.deliveryId === target.id);
    expect(again).toHaveLength(1);
    expect(again[0]!.eventId).toBe(target.event_id);
  });

  it('a receiver that keeps failing ends failed after max_attempts; unknown ids answer S708/S709', async () => {
    const dead = await f.post('/api/v1/webhooks', {
      url: 'http://127.0.0.1:9/closed',
      event_types: ['operation.confirmed'],
    });
    expect(dead.statusCode).toBe(201);
    await f.t.app.get(WebhookOutbox).publish({
      id: 'operation.confirmed:to-dead',
      type: 'operation.confirmed',
      created_at: new Date().toISOString(),
      data: {},
    });
    let clock = Date.now();
    for (let i = 0; i < 10; i++) {
      await dispatch(new Date(clock));
      clock += 3_700_000;
    }
    const log = (await f.get(`/api/v1/webhooks/${dead.json().id}/deliveries`)).json().items;
    expect(log).toEqual([expect.objectContaining({ state: 'failed', attempts: 8 })]);
    expect(log[0].last_error).toBeTruthy();

    const missing = '00000000-0000-4000-8000-000000000000';
    const a = await f.get(`/api/v1/webhooks/${missing}/deliveries`);
    expect([a.statusCode, a.json().error_code]).toEqual([404, 'S708']);
    const b = await f.post(`/api/v1/webhooks/${hook.id}/deliveries/${missing}/resend`, {});
    expect([b.statusCode, b.json().error_code]).toEqual([404, 'S709']);
    const c = await f.t.inject({
      method: 'DELETE',
      url: `/api/v1/webhooks/${missing}`,
      headers: f.auth,
    });
    expect([c.statusCode, c.json().error_code]).toEqual([404, 'S708']);
  });

  it('refuses bad input with catalog codes: not http(s) (S190), credentials in the URL (S191), unknown event type (S100)', async () => {
    const bad = async (payload: unknown) => {
      const res = await f.post('/api/v1/webhooks', payload);
      return [res.statusCode, res.json().error_code];
    };
    expect(await bad({ url: 'ftp://x.example/', event_types: ['operation.failed'] })).toEqual([
      400,
      'S190',
    ]);
    expect(await bad({ url: 'https://u:p@x.example/', event_types: ['operation.failed'] })).toEqual(
      [400, 'S190'],
    );
    expect(await bad({ url: 'https://x.example/', event_types: ['nope'] })).toEqual([400, 'S100']);
    expect(await bad({ url: 'https://x.example/', event_types: [] })).toEqual([400, 'S100']);
    expect(await bad({ url: 'http://[::1/', event_types: ['operation.failed'] })).toEqual([
      422,
      'S191',
    ]);
  });

  it('only webhooks:manage (admin) may manage subscriptions', async () => {
    const manager = await loginAs(f.t, 'manager');
    const res = await f.t.inject({ method: 'GET', url: '/api/v1/webhooks', headers: manager });
    expect([res.statusCode, res.json().error_code]).toEqual([403, 'S125']);
  });

  it('deleting a subscription ends its pending deliveries; cleanup removes finished ones past the retention', async () => {
    await f.t.app.get(WebhookOutbox).publish({
      id: 'operation.failed:orphan',
      type: 'operation.failed',
      created_at: new Date().toISOString(),
      data: {},
    });
    const del = await f.t.inject({
      method: 'DELETE',
      url: `/api/v1/webhooks/${hook.id}`,
      headers: f.auth,
    });
    expect(del.statusCode).toBe(204);
    expect((await dispatch(new Date(Date.now() + 10_000))).result).toMatchObject({ dropped: 1 });
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    await db.collection('webhook_deliveries').updateMany({}, { $set: { day: old } });
    const pendingBefore = await db
      .collection('webhook_deliveries')
      .countDocuments({ state: 'pending' });
    const run = await f.t.app.get(WebhookDeliveriesCleanupJob).runOnce();
    expect((run.result as { deleted: number }).deleted).toBeGreaterThan(0);
    const left = await db.collection('webhook_deliveries').find({}).toArray();
    expect(left.every((d) => d.state === 'pending')).toBe(true);
    expect(left).toHaveLength(pendingBefore);
  });

  it('/metrics counts queued events and attempts by event type and outcome, node calls and the circuit', async () => {
    const text = (await f.t.inject({ method: 'GET', url: '/metrics' })).body;
    // Node calls carry the wallet API path they reached: each write built, broadcast, tracked.
    const okCalls = (endpoint: string) =>
      Number(
        new RegExp(
          `staking_tron_node_calls_total\\{endpoint="${endpoint}",outcome="ok"\\} (\\d+)`,
        ).exec(text)?.[1],
      );
    expect(okCalls('freezebalancev2')).toBeGreaterThanOrEqual(3);
    expect(okCalls('broadcasttransaction')).toBeGreaterThanOrEqual(3);
    expect(okCalls('getaccount')).toBeGreaterThan(0);
    expect(okCalls('gettransactioninfobyid')).toBeGreaterThan(0);
    expect(okCalls('delegateresource')).toBe(0);
    expect(text).toMatch(
      /staking_tron_node_call_duration_seconds_count\{endpoint="broadcasttransaction"\} [1-9]/,
    );
    // No label value outside the fixed list: the label set stays bounded.
    const endpoints = new Set(
      [...text.matchAll(/staking_tron_node_calls_total\{endpoint="([^"]+)"/g)].map((m) => m[1]),
    );
    expect([...endpoints].every((e) => (NODE_ENDPOINTS as readonly string[]).includes(e!))).toBe(
      true,
    );
    expect(text).toMatch(/staking_tron_circuit_state 0/);
    expect(text).toMatch(
      /staking_webhook_events_queued_total\{event_type="operation.confirmed"\} \d/,
    );
    expect(text).toMatch(
      /staking_webhook_delivery_attempts_total\{event_type="operation.confirmed",outcome="retry"\} \d/,
    );
    expect(text).toMatch(
      /staking_webhook_delivery_attempts_total\{event_type="operation.confirmed",outcome="failed"\} 1/,
    );
  });
});
