import { EventEmitter2 } from '@nestjs/event-emitter';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import {
  OPERATION_STUCK,
  StuckOperationsJob,
  type OperationStuckEvent,
} from '../apps/staking-api/src/monitoring/stuck-operations.job.js';
import { startStakingFixture, type StakingFixture } from './support/staking-fixture.js';

const MINUTE_MS = 60_000;

describe('stuck operations: broadcast and not confirmed past the threshold', () => {
  let f: StakingFixture;
  let db: Connection;
  const seen: OperationStuckEvent[] = [];

  beforeAll(async () => {
    f = await startStakingFixture('stuck_ops');
    db = f.t.app.get<Connection>(getConnectionToken());
    f.t.app.get(EventEmitter2).on(OPERATION_STUCK, (e: OperationStuckEvent) => void seen.push(e));
    const hook = await f.post('/api/v1/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      event_types: ['operation.stuck'],
    });
    expect(hook.statusCode).toBe(201);
  });
  afterAll(() => f?.close());

  it('is reported once to webhooks, every tick to the app event and the gauge, and no more once confirmed', async () => {
    const address = await f.managedAccount(1_000);
    const res = await f.post('/api/v1/tron/staking/freeze', {
      address,
      amount: 10,
      resource: 'ENERGY',
      duration: 3,
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().operation_id as string;
    expect((await f.get(`/api/v1/operations/${id}`)).json().state).toBe('broadcast');
    const job = f.t.app.get(StuckOperationsJob);

    // Before the threshold (15 min in the policy): not stuck.
    expect((await job.runOnce(new Date(Date.now() + 14 * MINUTE_MS))).result).toMatchObject({
      checked: 1,
      stuck: 0,
    });
    const later = new Date(Date.now() + 16 * MINUTE_MS);
    expect((await job.runOnce(later)).result).toEqual({ checked: 1, stuck: 1, queued: 1 });
    expect((await job.runOnce(later)).result).toEqual({ checked: 1, stuck: 1, queued: 0 });
    expect(seen).toHaveLength(2);
    expect(seen[0]!.operation.id).toBe(id);
    expect(seen[0]!.stuck_seconds).toBeGreaterThanOrEqual(16 * 60 - 5);
    const deliveries = await db
      .collection('webhook_deliveries')
      .find({ event_type: 'operation.stuck' })
      .toArray();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.event_id).toBe(`operation.stuck:${id}`);
    expect(JSON.parse(deliveries[0]!.body as string).data).toMatchObject({
      operation_id: id,
      state: 'broadcast',
    });
    expect((await f.t.inject({ method: 'GET', url: '/metrics' })).body).toMatch(
      /^staking_operations_stuck 1$/m,
    );

    await f.settle();
    expect((await job.runOnce(later)).result).toMatchObject({ stuck: 0 });
    expect((await f.t.inject({ method: 'GET', url: '/metrics' })).body).toMatch(
      /^staking_operations_stuck 0$/m,
    );
  });
});
