import { TronWeb } from 'tronweb';
import { ApiProcess } from './support/api-process.js';
import { startTestDevnet, type DevnetHandle } from './support/devnet.js';
import { freePort } from './support/redis-process.js';
import { isolatedEnv } from './support/test-env.js';

/** SIGTERM as Kubernetes sends it, to the built service as an OS process. */
describe('graceful shutdown within SHUTDOWN_TIMEOUT_MS (real OS process)', () => {
  let node: DevnetHandle;
  const address = TronWeb.address.fromPrivateKey(
    TronWeb.createRandom().privateKey.replace(/^0x/, ''),
  ) as string;

  beforeAll(async () => {
    node = await startTestDevnet('graceful-shutdown');
  });
  afterAll(async () => {
    await node?.close();
  });
  afterEach(() => node.control('/devnet/faults', undefined, 'DELETE'));

  const boot = async (overrides: Record<string, string>) => {
    const api = new ApiProcess(
      isolatedEnv('shutdown', {
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        TRON_FULL_HOST: node.url,
        TRON_MAX_REQUESTS_PER_SECOND: '5000',
        LOG_LEVEL: 'warn',
        ...overrides,
      }),
    );
    await api.start();
    return api;
  };
  const login = async (api: ApiProcess) => {
    const res = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: api.env.ADMIN_USERNAME,
        password: api.env.ADMIN_PASSWORD,
      }),
    });
    return `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
  };
  /** A status view whose node call the devnet holds for `delayMs`. */
  const slowStatus = async (api: ApiProcess, delayMs: number) => {
    const auth = await login(api);
    await node.control('/devnet/faults', {
      path: '/wallet/getaccount',
      mode: 'delay',
      delay_ms: delayMs,
      count: 1,
    });
    const answer = fetch(`${api.url}/api/v1/tron/staking/${address}/status`, {
      headers: { authorization: auth },
    }).then(
      (res) => res.status,
      () => 'connection lost' as const,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    return answer;
  };

  it('lets an in-flight request finish, then ends by the signal it got (no forced exit)', async () => {
    const api = await boot({ SHUTDOWN_TIMEOUT_MS: '15000' });
    const answer = await slowStatus(api, 1500);
    const exited = api.stop();
    expect(await answer).toBe(200);
    expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(api.output).not.toContain('SHUTDOWN_TIMEOUT_MS');
  });

  it('exits 1 with a log line once the deadline passes while a request still hangs', async () => {
    const api = await boot({ SHUTDOWN_TIMEOUT_MS: '1500', TRON_REQUEST_TIMEOUT_MS: '60000' });
    const answer = slowStatus(api, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    expect(await api.stop()).toEqual({ code: 1, signal: null });
    // Well before the node would have answered (30 s): the deadline, not the request, ended it.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(api.output).toMatch(/shutdown did not finish within SHUTDOWN_TIMEOUT_MS \(1500 ms\)/);
    expect(await answer).toBe('connection lost');
  });
});
