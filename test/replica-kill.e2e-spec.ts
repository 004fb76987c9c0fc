import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REPLICA_ID } from '../apps/staking-api/src/system/jobs/replica-id.js';
import { verifyWebhook } from '../apps/staking-api/src/webhooks/webhook-events.js';
import { WebhookDispatchJob } from '../apps/staking-api/src/webhooks/webhook-dispatch.job.js';
import { WebhookOutbox } from '../apps/staking-api/src/webhooks/webhook-outbox.js';
import { ApiProcess } from './support/api-process.js';
import { adminAuth } from './support/auth.js';
import { pollUntil } from './support/poll.js';
import { freePort } from './support/redis-process.js';
import { bootTestApp, type TestApp } from './support/test-app.js';
import { isolatedEnv } from './support/test-env.js';

interface Hit {
  eventId: string;
  body: string;
  timestamp: number;
  signature: string;
}

describe('a replica killed (SIGKILL) in the middle of a webhook-dispatch tick; the other replica completes the next tick', () => {
  let a: ApiProcess;
  let b: TestApp;
  let db: Connection;
  let server: Server;
  const hits: Hit[] = [];
  const held: ServerResponse[] = [];
  let firstArrived!: () => void;
  const arrived = new Promise<void>((r) => (firstArrived = r));

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hits.push({
          eventId: String(req.headers['x-webhook-event-id']),
          body,
          timestamp: Number(req.headers['x-webhook-timestamp']),
          signature: String(req.headers['x-webhook-signature']),
        });
        // The first attempt is never answered: its sender dies while it waits.
        if (hits.length === 1) {
          held.push(res);
          firstArrived();
        } else res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const env = isolatedEnv('replica_kill', {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      TRON_FULL_HOST: 'http://127.0.0.1:9',
      JOBS_ENABLED: 'true',
    });
    a = new ApiProcess(env);
    await a.start();
    const shared = ['MONGODB_URI', 'REDIS_KEY_PREFIX', 'JWT_SECRET', 'ADMIN_PASSWORD'] as const;
    b = await bootTestApp('replica_kill', {
      ...Object.fromEntries(shared.map((k) => [k, env[k]!])),
      // The webhook secret is encrypted under the keystore master secret: the same on both.
      KEYSTORE_MASTER_SECRET: env.KEYSTORE_MASTER_SECRET!,
      TRON_FULL_HOST: 'http://127.0.0.1:9',
    });
    db = b.app.get<Connection>(getConnectionToken());
  }, 60_000);
  afterAll(async () => {
    await a?.kill();
    await b?.close();
    for (const res of held) res.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('the event is delivered by the surviving replica, once more with the same event id, and its run is recorded', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const sub = await b.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: await adminAuth(b),
      payload: { url, event_types: ['operation.confirmed'] },
    });
    expect(sub.statusCode).toBe(201);
    const secret = sub.json().secret as string;
    await b.app.get(WebhookOutbox).publish({
      id: 'operation.confirmed:killed-replica',
      type: 'operation.confirmed',
      created_at: new Date().toISOString(),
      data: { operation_id: 'killed-replica' },
    });

    // Replica A's own scheduler picks the delivery up within a tick (2 s) and waits on the receiver.
    await arrived;
    await a.kill();
    const row = await db.collection('webhook_deliveries').findOne({});
    expect(row).toMatchObject({ state: 'pending', attempts: 0 });

    // A's lease is still held (it died mid-tick, nobody renews it): B's tick now cannot run.
    const job = b.app.get(WebhookDispatchJob);
    expect((await job.runOnce()).ran).toBe(false);
    const next = await pollUntil(async () => (await job.runOnce()).ran, 20_000, 500);
    expect(next.ok).toBe(true);

    expect(hits).toHaveLength(2);
    expect(new Set(hits.map((h) => h.eventId))).toEqual(
      new Set(['operation.confirmed:killed-replica']),
    );
    const now = Math.floor(Date.now() / 1000);
    for (const h of hits)
      expect(verifyWebhook(secret, h.timestamp, h.body, h.signature, now, 300)).toBe(true);
    expect(await db.collection('webhook_deliveries').findOne({})).toMatchObject({
      state: 'delivered',
      attempts: 1,
    });
    const state = await db
      .collection<{ _id: string }>('job_states')
      .findOne({ _id: 'webhook-dispatch' });
    expect(state).toMatchObject({ last_run: { replica: b.app.get(REPLICA_ID), outcome: 'ok' } });
  }, 60_000);
});
