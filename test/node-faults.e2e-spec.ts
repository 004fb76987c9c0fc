import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { TronWeb } from 'tronweb';
import { captureStdoutLogs } from './support/capture-logs.js';
import { startStakingFixture, type StakingFixture } from './support/staking-fixture.js';

type Fault = { mode: 'error'; status: number } | { mode: 'delay' } | { mode: 'drop' };

// What each way the node can fail answers: an S9xx code and its HTTP status, never a 500.
const CASES: [string, Fault, string, number][] = [
  ['HTTP 400', { mode: 'error', status: 400 }, 'S906', 502],
  ['HTTP 401 (bad API key)', { mode: 'error', status: 401 }, 'S904', 503],
  ['HTTP 403 (missing API key)', { mode: 'error', status: 403 }, 'S904', 503],
  ['HTTP 404 (wrong TRON_FULL_HOST)', { mode: 'error', status: 404 }, 'S904', 503],
  ['HTTP 429 (rate limited)', { mode: 'error', status: 429 }, 'S903', 503],
  ['HTTP 500', { mode: 'error', status: 500 }, 'S906', 502],
  ['HTTP 503', { mode: 'error', status: 503 }, 'S906', 502],
  ['a hang past the timeout', { mode: 'delay' }, 'S902', 504],
  ['a dropped connection', { mode: 'drop' }, 'S901', 503],
];

/**
 * Every node failure mode, for reads, builds and broadcasts, against the real app and devnet:
 * an S9xx answer (never a 500), and the TronGrid API key found in no log line and no document.
 */
describe('node faults: S9xx for every failure, and the API key never leaves the HTTP client', () => {
  const marker = `tronkey-${randomBytes(12).toString('hex')}`;
  let logs: ReturnType<typeof captureStdoutLogs>;
  let f: StakingFixture;
  let address: string;

  beforeAll(async () => {
    logs = captureStdoutLogs();
    f = await startStakingFixture('node-faults', {
      LOG_LEVEL: 'debug',
      TRON_API_KEY: marker,
      TRON_REQUEST_TIMEOUT_MS: '400',
      TRON_RETRY_MAX_DELAY_MS: '20',
      // Each case is judged on its own answer, not on a circuit opened by the previous ones.
      TRON_CIRCUIT_VOLUME_THRESHOLD: '10000',
    });
    address = await f.managedAccount(1_000);
  });
  afterAll(async () => {
    await f?.close();
    logs?.restore();
  });

  const inject = (path: string, fault: Fault) =>
    f.node.control('/devnet/faults', {
      path,
      count: 1_000,
      ...fault,
      ...(fault.mode === 'delay' ? { delay_ms: 1_500 } : {}),
    });
  const clear = () => f.node.control('/devnet/faults', undefined, 'DELETE');

  describe.each(CASES)('%s', (_name, fault, code, status) => {
    afterEach(clear);

    it(`a read answers ${status} ${code}`, async () => {
      await inject('*', fault);
      const res = await f.get(`/api/v1/tron/staking/${TronWeb.createRandom().address}/status`);
      expect(res.statusCode).toBe(status);
      expect(res.json().error_code).toBe(code);
    });

    it(`a write whose checks cannot reach the node answers ${status} ${code}, nothing recorded`, async () => {
      await inject('*', fault);
      const before = (await f.get(`/api/v1/tron/staking/list?address=${address}`)).json();
      const res = await f.post('/api/v1/tron/staking/freeze', {
        address,
        amount: 1,
        resource: 'ENERGY',
      });
      expect(res.statusCode).toBe(status);
      expect(res.json().error_code).toBe(code);
      await clear();
      const after = (await f.get(`/api/v1/tron/staking/list?address=${address}`)).json();
      expect(after.total_count).toBe(before.total_count);
    });

    it('a broadcast the node fails leaves the signed operation to be re-sent, never a 500', async () => {
      await inject('/wallet/broadcasttransaction', fault);
      const res = await f.post('/api/v1/tron/staking/freeze', {
        address,
        amount: 1,
        resource: 'ENERGY',
      });
      // A node that hangs may still take the transaction after the client gave up: then the
      // retry is a duplicate, and the answer is 201 broadcast. Either way it is sent once.
      expect([201, 202]).toContain(res.statusCode);
      expect(['signed', 'broadcast']).toContain(res.json().operation_state);
      await clear();
      await f.settle(); // the tracker re-sends the same bytes
      await f.settle(); // … and sees them final
      const op = (await f.get(`/api/v1/operations/${res.json().operation_id}`)).json();
      expect(op.state).toBe('confirmed');
    });
  });

  it('/health says when the node refuses the service configuration; readiness stays up', async () => {
    await inject('*', { mode: 'error', status: 401 });
    try {
      const health = await f.t.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json().checks.tron_node).toMatchObject({
        error_code: 'S904',
        reason: expect.stringContaining('TRON_API_KEY'),
      });
      expect((await f.t.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    } finally {
      await clear();
    }
  });

  it('the API key appears in no log line and no stored document', async () => {
    const text = logs.text();
    expect(text).toContain('"level"'); // the capture did see the app's log lines
    expect(text).toMatch(/S90[1-6]|node (answered|refused|unreachable|timed out)/);
    expect(text).not.toContain(marker);
    const db = f.t.app.get<Connection>(getConnectionToken()).db!;
    for (const { name } of await db.listCollections().toArray()) {
      const docs = await db.collection(name).find({}).toArray();
      expect(JSON.stringify(docs)).not.toContain(marker);
    }
  });
});
