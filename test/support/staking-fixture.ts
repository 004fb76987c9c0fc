import { OperationTrackerJob } from '../../apps/staking-api/src/operations/operation-tracker.job.js';
import {
  HoldingExpiryJob,
  UnfreezeWithdrawalJob,
} from '../../apps/staking-api/src/staking/staking-jobs.js';
import { adminAuth, type AuthHeaders } from './auth.js';
import { startTestDevnet, type DevnetHandle } from './devnet.js';
import { bootTestApp, type TestApp } from './test-app.js';

export const TRX = 1_000_000;

/** The real app wired to the project's devnet, plus an admin login and helpers to drive the chain. */
export interface StakingFixture {
  t: TestApp;
  node: DevnetHandle;
  auth: AuthHeaders;
  post(
    url: string,
    payload: unknown,
    headers?: Record<string, string>,
  ): ReturnType<TestApp['inject']>;
  get(url: string): ReturnType<TestApp['inject']>;
  /** A managed account funded with `trx` TRX on the devnet. */
  managedAccount(trx: number): Promise<string>;
  /**
   * Makes everything broadcast so far final: one block to include it, as many again as the
   * solidified head trails by, then one tracker run.
   */
  settle(): Promise<void>;
  /** Produces `count` blocks and runs the tracker once (final or not, as the lag decides). */
  blocks(count: number): Promise<void>;
  runJobs(): Promise<void>;
  close(): Promise<void>;
}

export async function startStakingFixture(
  suite: string,
  overrides: Record<string, string> = {},
  solidityLagBlocks?: number,
): Promise<StakingFixture> {
  const node = await startTestDevnet(suite, 0, solidityLagBlocks);
  const t = await bootTestApp(suite, {
    TRON_FULL_HOST: node.url,
    TRON_MAX_REQUESTS_PER_SECOND: '5000',
    TRON_RETRY_MAX_DELAY_MS: '50',
    ...overrides,
  });
  const auth = await adminAuth(t);
  const fixture: StakingFixture = {
    t,
    node,
    auth,
    post: (url, payload, headers = {}) =>
      t.inject({
        method: 'POST',
        url,
        payload: payload as never,
        headers: { ...auth, ...headers },
      }),
    get: (url) => t.inject({ method: 'GET', url, headers: auth }),
    managedAccount: async (trx) => {
      const res = await fixture.post('/api/v1/accounts', {
        label: `acct-${Math.random().toString(36).slice(2, 8)}`,
      });
      if (res.statusCode !== 201) throw new Error(`create account → ${res.statusCode} ${res.body}`);
      const address = res.json().address as string;
      await node.control('/devnet/faucet', { address, amount_sun: trx * TRX });
      return address;
    },
    settle: async () => {
      node.devnet.produceBlocks(1 + node.solidityLagBlocks);
      await t.app.get(OperationTrackerJob).runOnce();
    },
    blocks: async (count) => {
      node.devnet.produceBlocks(count);
      await t.app.get(OperationTrackerJob).runOnce();
    },
    runJobs: async () => {
      await t.app.get(HoldingExpiryJob).runOnce();
      await t.app.get(UnfreezeWithdrawalJob).runOnce();
    },
    close: async () => {
      await t.close();
      await node.close();
    },
  };
  return fixture;
}
