import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_SOLIDITY_LAG_BLOCKS } from '../chain/constants.js';
import { BroadcastError } from '../chain/errors.js';
import { consumeBandwidth, consumeEnergy, usageView } from '../chain/resources.js';
import type { DevnetRuntime } from '../runtime.js';
import { base58ToHex, hexToBase58, isValidAddressHex } from '../tx/address.js';
import type { FaultMode, FaultRegistry } from './faults.js';
import { sendJson } from './route.js';

class ControlError extends Error {}

function body(req: FastifyRequest): Record<string, unknown> {
  const raw = typeof req.body === 'string' ? req.body.trim() : '';
  if (!raw) return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v === 'object' && v !== null && !Array.isArray(v))
      return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ControlError('body must be a JSON object');
}

function positiveInt(v: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0 || n > max)
    throw new ControlError(
      `${name} must be a positive integer${max < Number.MAX_SAFE_INTEGER ? ` ≤ ${max}` : ''}`,
    );
  return n;
}

function nonNegativeInt(v: unknown, name: string, max: number): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > max)
    throw new ControlError(`${name} must be an integer from 0 to ${max}`);
  return n;
}

function parseAddress(v: unknown): string {
  if (typeof v !== 'string') throw new ControlError('address is required');
  const lower = v.toLowerCase().replace(/^0x/, '41');
  if (isValidAddressHex(lower)) return lower;
  try {
    const hex = base58ToHex(v);
    if (isValidAddressHex(hex)) return hex;
  } catch {
    // reported below
  }
  throw new ControlError(`invalid address: ${v}`);
}

/** The /devnet control API: not part of java-tron; plain REST with real status codes. */
export function registerControlRoutes(
  app: FastifyInstance,
  rt: DevnetRuntime,
  faults: FaultRegistry,
): void {
  const solidity = () => {
    const chain = rt.chain;
    const solid = chain.solid.head;
    return {
      solidity_lag_blocks: chain.solidityLag,
      solid_block_number: solid.number,
      solid_block: { number: solid.number, blockID: solid.blockID, timestamp: solid.timestamp },
    };
  };

  const handle =
    (fn: (b: Record<string, unknown>, req: FastifyRequest) => unknown) =>
    (req: FastifyRequest, reply: FastifyReply): void => {
      try {
        sendJson(reply, fn(body(req), req));
      } catch (e) {
        if (!(e instanceof ControlError)) throw e;
        reply.code(400);
        sendJson(reply, { error: e.message });
      }
    };

  app.post(
    '/devnet/faucet',
    handle((b) => {
      const hex = parseAddress(b.address);
      const amount = positiveInt(b.amount_sun, 'amount_sun');
      const current = rt.chain.account(hex)?.balance ?? 0;
      if (!Number.isSafeInteger(current + amount)) throw new ControlError('balance would overflow');
      const { account: acc, created } = rt.chain.credit(hex, amount);
      rt.log({ event: 'faucet', address: hex, amount_sun: amount, created });
      return { address: hexToBase58(hex), address_hex: hex, balance: acc.balance, created };
    }),
  );

  // Spends an account's resources as its own transactions would: `bandwidth` bytes through
  // BandwidthProcessor (stake, then free, then burn), `energy` units through payEnergyBill
  // (stake and received energy, then burn). Usage recovers over 24 h like any other.
  app.post(
    '/devnet/consume',
    handle((b) => {
      const hex = parseAddress(b.address);
      const acc = rt.chain.account(hex);
      if (!acc) throw new ControlError(`account ${hexToBase58(hex)} does not exist`);
      if (b.energy === undefined && b.bandwidth === undefined)
        throw new ControlError('energy or bandwidth is required');
      const energy = b.energy === undefined ? 0 : positiveInt(b.energy, 'energy', 1e12);
      const bytes = b.bandwidth === undefined ? 0 : positiveInt(b.bandwidth, 'bandwidth', 1e9);
      try {
        const net = bytes ? consumeBandwidth(rt.chain, acc, bytes, false) : undefined;
        const bill = energy ? consumeEnergy(rt.chain, acc, energy) : undefined;
        rt.chain.touch(acc);
        const usage = usageView(rt.chain, acc);
        rt.log({ event: 'consume', address: hex, energy, bandwidth: bytes });
        return {
          address: hexToBase58(hex),
          energy_used: bill?.energyUsage ?? 0,
          energy_fee_sun: bill?.energyFee ?? 0,
          bandwidth_used: net?.netUsage ?? 0,
          bandwidth_fee_sun: net?.netFee ?? 0,
          energy_usage: usage.energyUsed,
          net_usage: usage.netUsed,
          free_net_usage: usage.freeNetUsed,
          balance: acc.balance,
        };
      } catch (e) {
        if (e instanceof BroadcastError) throw new ControlError(e.message);
        throw e;
      }
    }),
  );

  app.post(
    '/devnet/advance',
    handle((b) => {
      const seconds = positiveInt(b.seconds, 'seconds', 10 * 365 * 86_400);
      const block = rt.advance(seconds);
      return { number: block.number, timestamp: block.timestamp, blockID: block.blockID };
    }),
  );

  app.post(
    '/devnet/blocks',
    handle((b) => {
      const count = b.count === undefined ? 1 : positiveInt(b.count, 'count', 100_000);
      const blocks = rt.produceBlocks(count);
      const head = blocks[blocks.length - 1];
      return { count, number: head.number, timestamp: head.timestamp, blockID: head.blockID };
    }),
  );

  app.post(
    '/devnet/faults',
    handle((b) => {
      const mode = b.mode as FaultMode;
      if (!['error', 'delay', 'drop', 'fail_in_block'].includes(mode))
        throw new ControlError('mode must be error, delay, drop or fail_in_block');
      if (mode === 'fail_in_block') b.path ??= '/wallet/broadcasttransaction';
      if (typeof b.path !== 'string' || !b.path) throw new ControlError('path is required');
      const count = b.count === undefined ? 1 : positiveInt(b.count, 'count');
      const delayMs = mode === 'delay' ? positiveInt(b.delay_ms ?? 5_000, 'delay_ms') : 0;
      const status = b.status === undefined ? 503 : positiveInt(b.status, 'status', 599);
      faults.add({ path: b.path, mode, remaining: count, delayMs, status });
      return { faults: faults.list() };
    }),
  );
  app.delete(
    '/devnet/faults',
    handle(() => {
      faults.clear();
      return { faults: [] };
    }),
  );
  app.get(
    '/devnet/faults',
    handle(() => ({ faults: faults.list() })),
  );

  app.post(
    '/devnet/reset',
    handle(() => {
      rt.reset();
      faults.clear();
      const head = rt.chain.head;
      return { number: head.number, timestamp: head.timestamp, blockID: head.blockID };
    }),
  );

  app.post(
    '/devnet/solidity',
    handle((b) => {
      if (b.lag_blocks === undefined) throw new ControlError('lag_blocks is required');
      rt.setSolidityLag(nonNegativeInt(b.lag_blocks, 'lag_blocks', MAX_SOLIDITY_LAG_BLOCKS));
      return solidity();
    }),
  );

  app.get(
    '/devnet/state',
    handle(() => {
      const chain = rt.chain;
      const head = chain.head;
      return {
        head: { number: head.number, blockID: head.blockID, timestamp: head.timestamp },
        ...solidity(),
        genesis_timestamp: chain.genesisTimestamp,
        next_maintenance_time: chain.nextMaintenanceTime,
        genesis_accounts: chain.genesisAccounts.map((a) => ({
          address: hexToBase58(a.address),
          address_hex: a.address,
          private_key: a.privateKey,
          balance: a.balance,
        })),
        witnesses: [...chain.witnesses.values()].map((w) => ({
          address: hexToBase58(w.address),
          address_hex: w.address,
          private_key: w.privateKey,
          url: w.url,
          vote_count: w.voteCount,
          brokerage: w.brokerage,
          guard: chain.guards.has(w.address),
        })),
        account_count: chain.accounts.size,
        pending_transactions: chain.pending.length,
        total_net_weight: chain.totalNetWeight,
        total_energy_weight: chain.totalEnergyWeight,
        burned_sun: chain.burnedSun,
        chain_parameters: Object.fromEntries(chain.params),
        faults: faults.list(),
      };
    }),
  );
}
