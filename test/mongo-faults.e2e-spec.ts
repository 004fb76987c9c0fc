import { FerretDbProcess } from './support/ferretdb-process.js';
import { pollUntil } from './support/poll.js';
import { startStakingFixture, TRX, type StakingFixture } from './support/staking-fixture.js';

/**
 * A private MongoDB-protocol server stopped under the running app: 503 S804 with Retry-After,
 * never a 500; nothing reaches the chain without its persisted operation; recovery on return.
 */
describe('MongoDB faults: 503 S804, no on-chain action without its operation, recovery', () => {
  let db: FerretDbProcess;
  let f: StakingFixture;
  let address: string;

  beforeAll(async () => {
    db = await FerretDbProcess.start();
    f = await startStakingFixture('mongo-faults', {
      MONGODB_URI: db.uri('mongo_faults'),
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1000',
    });
    address = await f.managedAccount(1_000);
  });
  afterAll(async () => {
    await f?.close();
    await db?.stop();
  });

  const frozenEnergy = async () =>
    (
      await f.node.control<{ frozenV2?: { type?: string; amount?: number }[] }>(
        `/wallet/getaccount?address=${address}&visible=true`,
      )
    ).frozenV2?.find((x) => x.type === 'ENERGY')?.amount ?? 0;

  it('with the database stopped, reads and writes answer 503 S804 with Retry-After; nothing is sent', async () => {
    await db.stop();
    for (const res of [
      await f.get('/api/v1/tron/staking/list'),
      await f.get(`/api/v1/tron/staking/${address}/status`),
      await f.post('/api/v1/tron/staking/freeze', { address, amount: 5, resource: 'ENERGY' }),
    ]) {
      expect(res.statusCode).toBe(503);
      expect(res.json().error_code).toBe('S804');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    f.node.devnet.produceBlocks(1);
    expect(await frozenEnergy()).toBe(0);
  });

  it('once the database is back, the same write goes through, once', async () => {
    await db.start();
    const back = await pollUntil(
      async () =>
        (await f.post('/api/v1/tron/staking/freeze', { address, amount: 5, resource: 'ENERGY' }))
          .statusCode === 201,
      20_000,
      250,
    );
    expect(back.ok).toBe(true);
    await f.settle();
    expect(await frozenEnergy()).toBe(5 * TRX);
    const list = (await f.get(`/api/v1/tron/staking/list?address=${address}`)).json();
    expect(list.total_count).toBe(1);
    expect(list.stakings[0].status).toBe('active');
  });
});
