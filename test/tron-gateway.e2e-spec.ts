import { ErrorCatalog, errorCatalogSchema, loadPolicyFile, StakingException } from '@app/common';
import {
  generateKeyPair,
  recoverSigner,
  signWithKey,
  verifyTransaction,
  type TronTransaction,
  type TxIntent,
} from '@app/tron';
import { TronWeb } from 'tronweb';
import { TronwebGateway } from '../libs/tron/src/gateway/tronweb-gateway.js';
import { NodeCallPolicy } from '../libs/tron/src/resilience/node-call-policy.js';
import { startTestDevnet, type DevnetHandle } from './support/devnet.js';

const catalog = new ErrorCatalog(
  loadPolicyFile('config/staking-error-codes.yaml', errorCatalogSchema),
);
const policyOptions = {
  maxRequestsPerSecond: 1000,
  maxQueueWaitMs: 1000,
  circuitVolumeThreshold: 50,
  circuitResetMs: 500,
  maxRetryDelayMs: 50,
};

describe('TronwebGateway against the devnet (real tronweb, real HTTP)', () => {
  let node: DevnetHandle;
  let gateway: TronwebGateway;
  let owner: { address: string; private_key: string; balance: number };

  beforeAll(async () => {
    node = await startTestDevnet('gateway-suite');
    gateway = new TronwebGateway(
      new TronWeb({ fullHost: node.url }),
      new NodeCallPolicy(catalog, policyOptions),
    );
    owner = node.accounts[0]!;
  });
  afterAll(async () => node?.close());

  it('reads an account, resources, parameters, witnesses and the head block', async () => {
    const account = await gateway.getAccount(owner.address);
    expect(account.exists).toBe(true);
    expect(account.balanceSun).toBe(BigInt(owner.balance));
    const missing = await gateway.getAccount(generateKeyPair().address);
    expect(missing.exists).toBe(false);
    const params = await gateway.getChainParameters();
    expect(params.unfreezeDelayDays).toBe(14);
    expect((await gateway.listWitnesses()).length).toBeGreaterThanOrEqual(27);
    expect((await gateway.getLatestBlock()).number).toBeGreaterThan(0);
    expect((await gateway.getAccountResources(owner.address)).freeNetLimit).toBeGreaterThan(0);
  });

  it('builds, verifies, signs, broadcasts and settles a freeze', async () => {
    const intent = {
      kind: 'freeze' as const,
      owner: owner.address,
      amountSun: 5_000_000n,
      resource: 'ENERGY' as const,
    };
    const tx = await gateway.build(intent);
    const signed = signWithKey(tx, owner.private_key);
    expect(recoverSigner(signed.txID, signed.signature![0]!)).toBe(owner.address);
    const sent = await gateway.broadcast(signed);
    expect(sent).toMatchObject({ accepted: true, duplicate: false });
    expect(await gateway.getTransactionInfo(signed.txID)).toBeNull();
    node.devnet.produceBlocks(1);
    const info = await gateway.getTransactionInfo(signed.txID);
    expect(info).toMatchObject({ txid: signed.txID, success: true });
    expect(info!.blockNumber).toBeGreaterThan(0);
    expect((await gateway.getAccount(owner.address)).frozenSun.ENERGY).toBe(5_000_000n);
    // The same bytes again are a duplicate, never a second freeze.
    expect(await gateway.broadcast(signed)).toMatchObject({ accepted: true, duplicate: true });
    node.devnet.produceBlocks(1);
    expect((await gateway.getAccount(owner.address)).frozenSun.ENERGY).toBe(5_000_000n);
  });

  it('reports chain-rule refusals with the node code and decoded message', async () => {
    const tx = await gateway.build({
      kind: 'unfreeze',
      owner: owner.address,
      amountSun: 999_000_000n,
      resource: 'BANDWIDTH',
    });
    const result = await gateway.broadcast(signWithKey(tx, owner.private_key));
    expect(result.accepted).toBe(false);
    expect(result.code).toBe('CONTRACT_VALIDATE_ERROR');
    expect(result.message).toMatch(/frozenBalance|unfreeze/i);
  });

  describe('verifyTransaction refuses a transaction that differs from its intent', () => {
    let tx: TronTransaction;
    const intent = (): Extract<TxIntent, { kind: 'delegate' }> => ({
      kind: 'delegate',
      owner: owner.address,
      receiver: node.accounts[1]!.address,
      amountSun: 2_000_000n,
      resource: 'ENERGY',
      lock: true,
      lockPeriodBlocks: 100,
    });

    beforeAll(async () => {
      tx = await gateway.build(intent());
    });

    it('accepts the honest one', () => {
      expect(() => verifyTransaction(tx, intent())).not.toThrow();
    });

    const mismatch = (changed: Partial<ReturnType<typeof intent>>, field: string) => {
      try {
        verifyTransaction(tx, { ...intent(), ...changed });
        throw new Error('accepted');
      } catch (error) {
        expect(error).toBeInstanceOf(StakingException);
        expect((error as StakingException).code).toBe('S207');
        expect(JSON.stringify((error as StakingException).details)).toContain(field);
      }
    };
    it.each([
      [{ amountSun: 2_000_001n }, 'balance'],
      [
        { owner: node?.accounts?.[2]?.address ?? 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8' },
        'owner_address',
      ],
      [{ resource: 'BANDWIDTH' as const }, 'resource'],
      [{ lock: false }, 'lock'],
      [{ lockPeriodBlocks: 101 }, 'lock_period'],
    ])('intent %o → mismatch on %s', (changed, field) => mismatch(changed, field));

    it('a different receiver', () =>
      mismatch({ receiver: node.accounts[3]!.address }, 'receiver_address'));

    it('bytes re-encoded with another amount (txID recomputed) are refused', async () => {
      const other = await gateway.build({ ...intent(), amountSun: 9_000_000n });
      expect(() => verifyTransaction(other, intent())).toThrow(StakingException);
    });

    it('raw_data JSON that says something else than the signed bytes is refused', () => {
      const forged = structuredClone(tx);
      (
        forged.raw_data.contract[0] as { parameter: { value: { balance: number } } }
      ).parameter.value.balance = 1;
      expect(() => verifyTransaction(forged, intent())).toThrow(/does not match/);
    });

    it('a transaction built by the node for another amount is refused', async () => {
      const built = await node.control<TronTransaction>('/wallet/delegateresource', {
        owner_address: owner.address,
        receiver_address: node.accounts[1]!.address,
        balance: 3_000_000,
        resource: 'ENERGY',
        lock: true,
        lock_period: 100,
        visible: true,
      });
      expect(built.txID).toMatch(/^[0-9a-f]{64}$/);
      expect(() => verifyTransaction(built, { ...intent(), amountSun: 3_000_000n })).not.toThrow();
      expect(() => verifyTransaction(built, intent())).toThrow(StakingException);
    });

    it('a txID that is not the hash of the bytes is refused', () => {
      expect(() => verifyTransaction({ ...tx, txID: 'ab'.repeat(32) }, intent())).toThrow(
        StakingException,
      );
    });

    it('a different contract type is refused', async () => {
      const freeze = await gateway.build({
        kind: 'freeze',
        owner: owner.address,
        amountSun: 2_000_000n,
        resource: 'ENERGY',
      });
      expect(() => verifyTransaction(freeze, intent())).toThrow(StakingException);
    });

    it('votes must match exactly', async () => {
      const w = node.witnesses.slice(0, 2).map((x) => x.address);
      const voteIntent = {
        kind: 'vote' as const,
        owner: owner.address,
        votes: [
          { witness: w[0]!, count: 2 },
          { witness: w[1]!, count: 1 },
        ],
      };
      const vote = await gateway.build(voteIntent);
      expect(() => verifyTransaction(vote, voteIntent)).not.toThrow();
      expect(() =>
        verifyTransaction(vote, { ...voteIntent, votes: [{ witness: w[0]!, count: 3 }] }),
      ).toThrow(StakingException);
    });
  });

  it('retries a node 5xx per policy and then succeeds, without duplicating', async () => {
    await node.control('/devnet/faults', { path: '/wallet/getaccount', mode: 'error', count: 2 });
    const account = await gateway.getAccount(owner.address);
    expect(account.exists).toBe(true);
  });

  it('maps an unreachable node to S901 after retries', async () => {
    const dead = new TronwebGateway(
      new TronWeb({ fullHost: 'http://127.0.0.1:1' }),
      new NodeCallPolicy(catalog, policyOptions),
    );
    await expect(dead.getLatestBlock()).rejects.toMatchObject({ code: 'S901' });
  });
});
