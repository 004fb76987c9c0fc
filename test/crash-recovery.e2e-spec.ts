import mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';
import { TronWeb } from 'tronweb';
import { ApiProcess, runCli } from './support/api-process.js';
import { startTestDevnet, type DevnetHandle } from './support/devnet.js';
import { pollUntil } from './support/poll.js';
import { freePort } from './support/redis-process.js';
import { isolatedEnv } from './support/test-env.js';

const TRX = 1_000_000;

describe('a process killed between signed and broadcast (real OS processes)', () => {
  let node: DevnetHandle;
  let env: Record<string, string>;
  let db: mongoose.Connection;
  const key = TronWeb.createRandom().privateKey.replace(/^0x/, '');
  const address = TronWeb.address.fromPrivateKey(key) as string;
  const outputs: string[] = [];

  beforeAll(async () => {
    node = await startTestDevnet('crash-recovery');
    env = isolatedEnv('crash', {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      TRON_FULL_HOST: node.url,
      TRON_MAX_REQUESTS_PER_SECOND: '5000',
      TRON_RETRY_MAX_DELAY_MS: '50',
      JOBS_ENABLED: 'true',
      LOG_LEVEL: 'debug',
    });
    db = await mongoose.createConnection(env.MONGODB_URI!).asPromise();
  });
  afterAll(async () => {
    await db?.close();
    await node?.close();
  });

  const frozen = async () => {
    const a = await node.control<{ frozenV2?: { type?: string; amount?: number }[] }>(
      `/wallet/getaccount?address=${address}&visible=true`,
    );
    return a.frozenV2?.find((x) => x.type === 'ENERGY')?.amount ?? 0;
  };
  const login = async (api: ApiProcess) => {
    const res = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD }),
    });
    return `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
  };

  it('imports a key from stdin through the CLI, never echoing it', async () => {
    const result = await runCli(env, ['keystore:import', '--label', 'crash-test'], key);
    outputs.push(result.stdout, result.stderr);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      address,
      label: 'crash-test',
      origin: 'imported',
    });
    const again = await runCli(env, ['keystore:import', '--label', 'dup'], key);
    outputs.push(again.stdout, again.stderr);
    expect(again.code).toBe(1);
    const bad = await runCli(env, ['keystore:import', '--label', 'bad'], 'not-a-key');
    expect(bad.code).toBe(1);
    await node.control('/devnet/faucet', { address, amount_sun: 1000 * TRX });
    node.devnet.produceBlocks(1);
  });

  it('ends with exactly one transaction on chain after a SIGKILL in the broadcast step', async () => {
    const first = new ApiProcess(env);
    await first.start();
    const auth = await login(first);
    // The node holds the broadcast long enough for us to kill the caller mid-call.
    await node.control('/devnet/faults', {
      path: '/wallet/broadcasttransaction',
      mode: 'delay',
      delay_ms: 3000,
      count: 1,
    });
    void fetch(`${first.url}/api/v1/tron/staking/stake`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: auth,
        'idempotency-key': `crash-${randomBytes(6).toString('hex')}`,
      },
      body: JSON.stringify({ address, amount: 100, duration: 1, resource: 'ENERGY' }),
    }).catch(() => undefined);
    const signed = await pollUntil(
      async () =>
        (await db.collection('operations').findOne({ owner_address: address, state: 'signed' })) !==
        null,
      10_000,
      20,
    );
    expect(signed.ok).toBe(true);
    await first.kill();
    outputs.push(first.output);

    const second = new ApiProcess(env);
    await second.start();
    const confirmed = await pollUntil(
      async () => {
        node.devnet.produceBlocks(1);
        return (
          (await db.collection('operations').findOne({ owner_address: address }))?.state ===
          'confirmed'
        );
      },
      20_000,
      500,
    );
    await second.stop();
    outputs.push(second.output);
    expect(confirmed.ok).toBe(true);
    expect(await frozen()).toBe(100 * TRX);
    const ops = await db.collection('operations').find({ owner_address: address }).toArray();
    expect(ops).toHaveLength(1);
    expect(ops[0]!.history.map((h: { state: string }) => h.state)).toEqual(
      expect.arrayContaining(['signed', 'confirmed']),
    );
    const record = await db.collection('staking_records').findOne({ address });
    expect(record?.status).toBe('active');
  });

  it('rotates the master secret with the CLI and keeps signing with the new one only', async () => {
    const rotated = {
      ...env,
      KEYSTORE_MASTER_SECRET: randomBytes(32).toString('hex'),
      KEYSTORE_PREVIOUS_MASTER_SECRETS: env.KEYSTORE_MASTER_SECRET!,
    };
    const result = await runCli(rotated, ['keystore:rotate']);
    outputs.push(result.stdout, result.stderr);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ rotated: 1, unchanged: 0 });
    const api = new ApiProcess({ ...rotated, KEYSTORE_PREVIOUS_MASTER_SECRETS: '' });
    await api.start();
    try {
      const res = await fetch(`${api.url}/api/v1/tron/staking/stake`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: await login(api) },
        body: JSON.stringify({ address, amount: 5, duration: 1, resource: 'ENERGY' }),
      });
      expect(res.status).toBe(201);
    } finally {
      await api.stop();
      outputs.push(api.output);
    }
  });

  it('no key material in any log line, answer or database field other than the encrypted blob', async () => {
    const forms = [key, key.toUpperCase(), Buffer.from(key, 'hex').toString('base64')];
    const logs = outputs.join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    for (const form of forms) expect(logs).not.toContain(form);
    for (const name of (await db.db!.listCollections().toArray()).map((c) => c.name)) {
      const dump = JSON.stringify(await db.collection(name).find({}).toArray());
      for (const form of forms) expect(dump, name).not.toContain(form);
    }
    const account = await db.collection('managed_accounts').findOne({ address });
    expect(account?.encrypted_key).toMatchObject({ alg: 'aes-256-gcm', kdf: 'pbkdf2-sha256' });
  });
});
