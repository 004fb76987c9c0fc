import { Authenticated } from '@app/auth';
import {
  expiresBucketOf,
  Idempotent,
  IdempotencyCleanupJob,
  IdempotencyStore,
  idempotencyScope,
} from '@app/database';
import { Body, Controller, Module, Param, Post } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { IsInt, IsOptional, IsString } from 'class-validator';
import type { Collection, Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { adminAuth, createApiKey, type AuthHeaders } from './support/auth.js';
import { pollUntil } from './support/poll.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const HOUR_MS = 3_600_000;

class TouchDto {
  @IsString() note: string;
  @IsOptional() @IsInt() n?: number;
}

let handlerCalls = 0;

/** An idempotent write with an id in its path that needs no TRON node (mounted only here). */
@Controller('__test__/idempotent')
class IdempotentFixtureController {
  @Post(':id/touch')
  @Idempotent()
  @Authenticated()
  touch(@Param('id') id: string, @Body() body: TouchDto) {
    handlerCalls += 1;
    return { id, note: body.note, call: handlerCalls };
  }
}

@Module({ controllers: [IdempotentFixtureController] })
class IdempotentFixtureModule {}

describe('idempotency records: replay, real-path hash, expiry on read, bucket cleanup (real DB)', () => {
  let t: TestApp;
  let store: IdempotencyStore;
  let records: Collection;
  let admin: AuthHeaders;
  let adminScope: string;

  beforeAll(async () => {
    t = await bootTestApp('idempotency-store', {}, { extraImports: [IdempotentFixtureModule] });
    store = t.app.get(IdempotencyStore);
    records = t.app.get<Connection>(getConnectionToken()).collection('idempotency_records');
    admin = await adminAuth(t);
    const me = await t.inject({ method: 'GET', url: '/api/v1/auth/me', headers: admin });
    adminScope = idempotencyScope(me.json() as { kind: string; id: string });
  });
  afterAll(async () => t?.close());

  const touch = (id: string, key: string, payload: object, headers: object = admin) =>
    t.inject({
      method: 'POST',
      url: `/__test__/idempotent/${id}/touch`,
      payload: payload as never,
      headers: { ...headers, 'idempotency-key': key },
    });
  // The interceptor stores the first answer after sending it: wait for it before repeating.
  const stored = async (scope: string, key: string) =>
    expect((await pollUntil(async () => (await store.find(scope, key)) !== null, 5_000)).ok).toBe(
      true,
    );
  const expire = (scope: string, key: string, expiresAt: Date) =>
    records.updateOne(
      { scope, key },
      { $set: { expires_at: expiresAt, expires_bucket: expiresBucketOf(expiresAt) } },
    );

  it('a repeat within the TTL replays the first answer, whatever the key order of the body', async () => {
    const key = `replay-${randomUUID()}`;
    const first = await touch('a', key, { note: 'x', n: 1 });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    await stored(adminScope, key);
    const calls = handlerCalls;

    const again = await touch('a', key, { n: 1, note: 'x' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(handlerCalls).toBe(calls);

    const doc = await records.findOne({ scope: adminScope, key });
    const ttlMs = doc!.expires_at.getTime() - doc!.created_at.getTime();
    expect(ttlMs).toBe(24 * HOUR_MS);
    expect(doc!.expires_bucket).toBe(expiresBucketOf(doc!.expires_at));
  });

  it('the same key on another id is refused, neither replayed nor run, and the first stays', async () => {
    const key = `path-${randomUUID()}`;
    const onA = await touch('a', key, { note: 'same' });
    expect(onA.statusCode).toBe(201);
    await stored(adminScope, key);
    const calls = handlerCalls;

    const onB = await touch('b', key, { note: 'same' });
    expect(onB.statusCode).toBe(422);
    expect(onB.json().error_code).toBe('S706');
    expect(onB.headers['idempotent-replayed']).toBeUndefined();
    expect(handlerCalls).toBe(calls);

    const againA = await touch('a', key, { note: 'same' });
    expect(againA.headers['idempotent-replayed']).toBe('true');
    expect(againA.json()).toEqual(onA.json());
  });

  it('another caller using the same key makes a new request', async () => {
    const key = `caller-${randomUUID()}`;
    const mine = await touch('a', key, { note: 'c' });
    await stored(adminScope, key);
    const service = await createApiKey(t, 'admin');
    const theirs = await touch('a', key, { note: 'c' }, service.headers);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json().call).toBeGreaterThan(mine.json().call);
    await stored(idempotencyScope({ kind: 'api_key', id: service.id }), key);
  });

  it('a record past its expires_at reads as absent, is deleted, and the key works again at once', async () => {
    const key = `expiry-${randomUUID()}`;
    const first = await touch('c', key, { note: 'e' });
    await stored(adminScope, key);
    await expire(adminScope, key, new Date(Date.now() - 60_000));

    const calls = handlerCalls;
    const after = await touch('c', key, { note: 'e' });
    expect(after.statusCode).toBe(201);
    expect(after.headers['idempotent-replayed']).toBeUndefined();
    expect(after.json().call).toBe(calls + 1);
    expect(after.json().call).not.toBe(first.json().call);

    // The new answer is the one remembered now, with a fresh expiry.
    await stored(adminScope, key);
    const doc = await records.findOne({ scope: adminScope, key });
    expect(doc!.expires_at.getTime()).toBeGreaterThan(Date.now());
    expect((await touch('c', key, { note: 'e' })).json()).toEqual(after.json());
  });

  it('the store deletes only the expired record it read, including one written before buckets', async () => {
    const scope = 'test:lazy';
    await store.save(
      scope,
      'live-key-1',
      { request_hash: 'h', status_code: 201, body: 1 },
      HOUR_MS,
    );
    expect(await store.find(scope, 'live-key-1')).toEqual({
      request_hash: 'h',
      status_code: 201,
      body: 1,
    });
    // A record as saved before this change: no expires_bucket.
    const past = new Date(Date.now() - 2 * HOUR_MS);
    await records.insertOne({
      scope,
      key: 'legacy-key',
      request_hash: 'h',
      status_code: 201,
      body: null,
      created_at: new Date(past.getTime() - 24 * HOUR_MS),
      expires_at: past,
    });
    expect(await store.find(scope, 'legacy-key')).toBeNull();
    expect(await records.countDocuments({ scope, key: 'legacy-key' })).toBe(0);
    expect(await store.find(scope, 'live-key-1')).not.toBeNull();
  });

  it('the cleanup job deletes every ended hour bucket in its window, and a second run deletes nothing', async () => {
    const now = new Date();
    const hourStart = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
    const scope = 'test:cleanup';
    const save = (key: string) =>
      store.save(scope, key, { request_hash: 'h', status_code: 201, body: key }, 24 * HOUR_MS);
    const cases: [string, Date | null][] = [
      ['ended-1h', new Date(hourStart.getTime() - 30 * 60_000)],
      ['ended-30h', new Date(hourStart.getTime() - 30 * HOUR_MS)],
      ['ended-6d', new Date(hourStart.getTime() - 6 * 24 * HOUR_MS)],
      // Expired, but its hour has not ended: left to the next runs (reads already skip it).
      ['current-hour', hourStart],
      // Beyond the 7-day window: left alone (reads skip it and delete it).
      ['beyond-window', new Date(hourStart.getTime() - 8 * 24 * HOUR_MS)],
      ['live', null],
    ];
    for (const [key, expiresAt] of cases) {
      await save(key);
      if (expiresAt) await expire(scope, key, expiresAt);
    }

    const job = t.app.get(IdempotencyCleanupJob);
    expect(await job.runOnce(now)).toEqual({ ran: true, result: { deleted: 3 } });
    expect(await job.runOnce(now)).toEqual({ ran: true, result: { deleted: 0 } });

    const left = await records.find({ scope }).toArray();
    expect(left.map((d) => d.key).sort()).toEqual(['beyond-window', 'current-hour', 'live']);
    expect(await store.find(scope, 'current-hour', now)).toBeNull();
    expect(await store.find(scope, 'beyond-window', now)).toBeNull();
    expect(await store.find(scope, 'live', now)).not.toBeNull();
  });
});
