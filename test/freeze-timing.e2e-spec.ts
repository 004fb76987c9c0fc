import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { startStakingFixture, type StakingFixture } from './support/staking-fixture.js';

const SEED = Number(process.env.SEED_DOCS ?? 0);
const N = 20;

describe('freeze timing', () => {
  let f: StakingFixture;
  beforeAll(async () => {
    f = await startStakingFixture('freeze-timing');
  }, 600_000);
  afterAll(async () => f?.close());

  it('measures', async () => {
    const db = f.t.app.get<Connection>(getConnectionToken());
    for (let done = 0; done < SEED; done += 1000) {
      const ops = Array.from({ length: 1000 }, (_, i) => ({
        _id: randomUUID(), kind: 'freeze', mode: 'custodial', state: 'confirmed',
        params: { owner: 'TSeed', amount_sun: '1000000', resource: 'ENERGY' },
        owner_address: `TSeed${(done + i) % 500}`, idempotency_scope: 'user:seed',
        idempotency_key: randomUUID(), request_hash: 'x', requested_by: { kind: 'user', id: 'seed' },
        txid: randomUUID(), broadcast_attempts: 1, history: [], created_at: new Date(), updated_at: new Date(),
      }));
      await db.collection('operations').insertMany(ops as never[]);
      await db.collection('staking_records').insertMany(ops.map((o) => ({
        staking_id: randomUUID().replace(/-/g, ''), address: o.owner_address, amount_sun: 1000000,
        duration_days: 1, resource: 'ENERGY', status: 'active', operation_type: 'stake',
        operation_id: o._id, rewards_earned_sun: 0, created_at: new Date(), updated_at: new Date(),
      })) as never[]);
    }
    const address = await f.managedAccount(100_000);
    const answer: number[] = [];
    const toBroadcast: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const res = await f.post('/api/v1/tron/staking/freeze', { address, amount: 1, resource: 'ENERGY' });
      answer.push(performance.now() - t0);
      const op = (await f.get(`/api/v1/operations/${res.json().operation_id}`)).json();
      const at = (s: string) => Date.parse(op.history.find((h: { state: string }) => h.state === s).at);
      toBroadcast.push(at('broadcast') - at('requested'));
      f.node.devnet.produceBlocks(1);
    }
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    console.log(`TIMING seed=${SEED} answer_ms_median=${med(answer).toFixed(0)} requested_to_broadcast_ms_median=${med(toBroadcast)} min=${Math.min(...toBroadcast)} max=${Math.max(...toBroadcast)}`);
    expect(answer.length).toBe(N);
  }, 900_000);
});
