/**
 * The read baseline: a bare Fastify server running the API's read queries (the same mongoose
 * calls as StakingRecordsRepository.list and StakingCountersRepository.totals — one lookup of
 * the maintained counters by _id — and the same tronweb calls as the gateway) against
 * the same database and devnet, without auth, validation, caching or Nest. Started by the bench
 * as its own process; env BENCH_BASELINE_PORT, MONGODB_URI, TRON_FULL_HOST, BENCH_ROOT.
 */
import Fastify from 'fastify';
import mongoose from 'mongoose';
import { TronWeb } from 'tronweb';
import { loadAppModules } from './app-modules.js';

type Filter = Record<string, unknown>;
const STAKED = ['pending', 'active', 'expired'];
const NO_ID = { _id: 0 } as const;

const env = process.env;
const app = await loadAppModules(env.BENCH_ROOT!);
const conn = await mongoose
  .createConnection(env.MONGODB_URI!, { maxPoolSize: 20, autoIndex: false, autoCreate: false })
  .asPromise();
const Records = conn.model('BaselineStakingRecord', app.StakingRecordSchema);
const tronWeb = new TronWeb({ fullHost: env.TRON_FULL_HOST! });

const Counters = conn.model('BaselineStakingCounter', app.StakingCounterSchema);

/** The maintained counters, read as the API does: one document by _id. */
async function totals(address?: string) {
  const doc = (await Counters.findOne({ _id: address ? `address:${address}` : 'global' })
    .lean()
    .exec()) as Record<string, number> | null;
  const pick = (prefix: string) =>
    Object.fromEntries(
      Object.entries(doc ?? {})
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, v]) => [k.slice(prefix.length), Number(v)]),
    ) as Record<string, number>;
  return {
    counts: pick('count_'),
    amounts: pick('sun_'),
    rewards: pick('rewards_'),
    byResource: pick('staked_'),
  };
}

const server = Fastify({ logger: false });

server.get('/stats', async () => {
  const t = await totals();
  const total = Object.values(t.counts).reduce((a, b) => a + b, 0);
  const staked = STAKED.reduce((a, s) => a + (t.amounts[s] ?? 0), 0);
  return {
    total_staking_records: total,
    active_staking_records: t.counts.active ?? 0,
    total_staked_sun: staked,
    by_resource: t.byResource,
    by_status: t.counts,
    total_rewards_sun: Object.values(t.rewards).reduce((a, b) => a + b, 0),
    timestamp: new Date().toISOString(),
  };
});

server.get<{ Params: { address: string } }>('/:address/status', async (req) => {
  const { address } = req.params;
  const [account, resources, head, reward, t] = await Promise.all([
    tronWeb.trx.getUnconfirmedAccount(address),
    tronWeb.trx.getAccountResources(address),
    tronWeb.trx.getCurrentBlock(),
    tronWeb.trx.getUnconfirmedReward(address),
    totals(address),
  ]);
  return {
    address,
    balance: account.balance ?? 0,
    frozen: account.frozenV2 ?? [],
    unfreezing: account.unfrozenV2 ?? [],
    tron_power: resources.tronPowerLimit ?? 0,
    votes: account.votes ?? [],
    unclaimed_reward: reward,
    records: {
      active: t.counts.active ?? 0,
      staked_sun: STAKED.reduce((a, s) => a + (t.amounts[s] ?? 0), 0),
    },
    chain_time: new Date(head.block_header.raw_data.timestamp).toISOString(),
    timestamp: new Date().toISOString(),
  };
});

server.get<{ Querystring: { address?: string; skip?: string; limit?: string } }>(
  '/list',
  async (req) => {
    const query: Filter = req.query.address ? { address: req.query.address } : {};
    const skip = Number(req.query.skip ?? 0);
    const limit = Number(req.query.limit ?? 100);
    const [items, total, activeCount, staked] = await Promise.all([
      Records.find(query, NO_ID).sort({ created_at: -1 }).skip(skip).limit(limit).lean().exec(),
      Records.countDocuments(query).exec(),
      Records.countDocuments({ ...query, status: 'active' }).exec(),
      Records.aggregate<{ staked: number }>([
        { $match: { ...query, status: { $in: STAKED } } },
        { $group: { _id: null, staked: { $sum: '$amount_sun' } } },
      ]),
    ]);
    return {
      stakings: items,
      total_count: total,
      active_count: activeCount,
      total_staked_sun: staked[0]?.staked ?? 0,
      skip,
      limit,
      timestamp: new Date().toISOString(),
    };
  },
);

server.get('/ping', async () => ({ ok: true }));

await server.listen({ port: Number(env.BENCH_BASELINE_PORT), host: '127.0.0.1' });
const stop = () => {
  void server
    .close()
    .then(() => conn.close())
    .finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
