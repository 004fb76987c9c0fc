import type { Model } from 'mongoose';
import { TronWeb } from 'tronweb';
import { closedLoop, HttpClient, type RunResult } from './load.js';
import { median } from './stats.js';

export interface StageMedians {
  /** Stage name → median milliseconds, in pipeline order. */
  [stage: string]: number;
}

export interface WriteRun extends RunResult {
  stages: StageMedians;
  /** CPU milliseconds per successful write, per process (the whole machine's share of a write). */
  cpuMsPerOp?: Record<string, number>;
  /** Database commands per successful write (FerretDB serverStatus; every client of the server). */
  dbCommandsPerOp?: Record<string, number>;
}

const FREEZE = '/api/v1/tron/staking/freeze';

interface Sent {
  operationId: string;
  owner: string;
  sentAt: number;
  answeredAt: number;
}

interface StoredOperation {
  _id: string;
  history: { state: string; at: Date }[];
}

/**
 * Where the time of one write goes, from the operation's own history timestamps (set by the
 * API as it moves the operation) and the client's send/answer times on the same clock:
 * before "requested": auth, idempotency check, owner lock, balance precheck (node), limits;
 * requested → built: record insert, operation lock, node build + verify;
 * built → signed: keystore decrypt + sign; signed → broadcast: node broadcast;
 * after broadcast: record update, cache invalidation, idempotency store, audit append, answer.
 */
async function stagesOf(
  operations: Model<Record<string, unknown>>,
  sent: Sent[],
): Promise<StageMedians> {
  const owners = [...new Set(sent.map((s) => s.owner))];
  // One equality lookup per owner (indexed and pushed down), not an $in over the collection.
  const docs = (
    await Promise.all(
      owners.map((owner) =>
        operations.find({ owner_address: owner }, { history: 1 }).lean<StoredOperation[]>(),
      ),
    )
  ).flat();
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  const lanes: Record<string, number[]> = {
    'client → requested': [],
    'requested → built': [],
    'built → signed': [],
    'signed → broadcast': [],
    'broadcast → answer': [],
  };
  for (const s of sent) {
    const op = byId.get(s.operationId);
    if (!op) continue;
    const at = (state: string) => {
      const h = op.history.find((e) => e.state === state);
      return h ? new Date(h.at).getTime() : NaN;
    };
    const [req, built, signed, broadcast] = ['requested', 'built', 'signed', 'broadcast'].map(at);
    const add = (lane: string, v: number) => Number.isFinite(v) && lanes[lane]!.push(v);
    add('client → requested', req! - s.sentAt);
    add('requested → built', built! - req!);
    add('built → signed', signed! - built!);
    add('signed → broadcast', broadcast! - signed!);
    add('broadcast → answer', s.answeredAt - broadcast!);
  }
  return Object.fromEntries(Object.entries(lanes).map(([k, v]) => [k, median(v)]));
}

/** POST /freeze end to end: one managed account per worker (writes of one owner are serialised). */
export async function apiWrites(options: {
  api: HttpClient;
  token: string;
  accounts: string[];
  concurrency: number;
  requests: number;
  operations: Model<Record<string, unknown>>;
  tag: string;
  amountBase: number;
}): Promise<WriteRun> {
  const sent: Sent[] = [];
  const result = await closedLoop({
    concurrency: options.concurrency,
    requests: options.requests,
    send: async (i, w) => {
      const owner = options.accounts[w % options.accounts.length]!;
      // Distinct amounts: no two freezes are the same transaction.
      const amount = ((options.amountBase + i) / 1_000_000 + 1).toFixed(6);
      const sentAt = Date.now();
      const res = await options.api.post(
        FREEZE,
        { address: owner, amount, resource: 'ENERGY' },
        {
          authorization: `Bearer ${options.token}`,
          'idempotency-key': `bench-${options.tag}-${i}`,
        },
      );
      const answeredAt = Date.now();
      if (res.status !== 201) return `${res.status} ${res.body.slice(0, 100)}`;
      sent.push({
        operationId: (JSON.parse(res.body) as { operation_id: string }).operation_id,
        owner,
        sentAt,
        answeredAt,
      });
      return true;
    },
  });
  return { ...result, stages: await stagesOf(options.operations, sent) };
}

/** The baseline: tronweb build → sign → broadcast of the same freeze, straight to the devnet. */
export async function bareWrites(options: {
  devnetUrl: string;
  keys: { address: string; private_key: string }[];
  concurrency: number;
  requests: number;
  amountBase: number;
}): Promise<WriteRun> {
  const clients = options.keys.map(
    (k) => new TronWeb({ fullHost: options.devnetUrl, privateKey: k.private_key }),
  );
  const lanes = { build: [] as number[], sign: [] as number[], broadcast: [] as number[] };
  const result = await closedLoop({
    concurrency: options.concurrency,
    requests: options.requests,
    send: async (i, w) => {
      const tw = clients[w % clients.length]!;
      const owner = options.keys[w % clients.length]!.address;
      const t0 = performance.now();
      const tx = await tw.transactionBuilder.freezeBalanceV2(
        1_000_000 + options.amountBase + i,
        'ENERGY',
        owner,
      );
      const t1 = performance.now();
      const signed = await tw.trx.sign(tx);
      const t2 = performance.now();
      const res = (await tw.trx.sendRawTransaction(signed)) as { result?: boolean; code?: string };
      const t3 = performance.now();
      if (res.result !== true) return `refused ${res.code ?? JSON.stringify(res).slice(0, 80)}`;
      lanes.build.push(t1 - t0);
      lanes.sign.push(t2 - t1);
      lanes.broadcast.push(t3 - t2);
      return true;
    },
  });
  return {
    ...result,
    stages: {
      'build (node)': median(lanes.build),
      'sign (local)': median(lanes.sign),
      'broadcast (node)': median(lanes.broadcast),
    },
  };
}
