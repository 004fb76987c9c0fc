import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { TronWeb } from 'tronweb';
import type { AppModules, AuditEntry, BenchModels } from './app-modules.js';

/** Each seeded address has this many records (and operations, and audit entries). */
export const RECORDS_PER_ADDRESS = 10;

// One address's history, in order: most stakes live, some ended, a few failed. Every address
// gets the same mix, so per-address views do the same work at every database size.
const STATUS_CYCLE = [
  'active',
  'active',
  'active',
  'active',
  'expired',
  'inactive',
  'completed',
  'completed',
  'completed',
  'failed',
] as const;
const LIVE_DURATIONS = [90, 180, 365];
const ENDED_DURATIONS = [3, 7, 14, 30];
const DAY_MS = 86_400_000;
// Seeded history lies within the audit retention (90 days) and ends an hour before the run.
const HISTORY_MS = 60 * DAY_MS;

export interface SeedResult {
  seconds: number;
  /** Seeded addresses, in creation order; the first is the probe of the per-address reads. */
  addresses: string[];
  auditHead: { seq: number; hash: string };
}

const halves = <T>(docs: T[]): T[][] => {
  const mid = Math.ceil(docs.length / 2);
  return [docs.slice(0, mid), docs.slice(mid)].filter((h) => h.length);
};
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const randomAddress = () => TronWeb.address.fromHex(`41${hex(20)}`) as string;

/** The seeded history's one caller: an admin user other than the bench's own login. */
const SEED_ACTOR = { kind: 'user', id: hex(12), role: 'admin' } as const;

function fakeTx(owner: string, amountSun: number, resource: string, at: number) {
  const txID = hex(32);
  return {
    visible: false,
    txID,
    raw_data: {
      contract: [
        {
          parameter: {
            value: {
              owner_address: TronWeb.address.toHex(owner),
              frozen_balance: amountSun,
              resource,
            },
            type_url: 'type.googleapis.com/protocol.FreezeBalanceV2Contract',
          },
          type: 'FreezeBalanceV2Contract',
        },
      ],
      ref_block_bytes: hex(2),
      ref_block_hash: hex(8),
      expiration: at + 60_000,
      timestamp: at,
    },
    raw_data_hex: `0a02${hex(2)}2208${hex(8)}40${hex(5)}5a59083612550a34${hex(80)}`,
  };
}

/**
 * Seeds `count` staking records, `count` operations (one per record: its freeze) and `count`
 * audit entries, in batches through insertMany with the app's own schemas. The audit entries
 * are the chain from genesis (sealed by the app's code) and the head document points at the
 * last one, so the API's next append continues an intact chain. Everything seeded is settled:
 * no operation is open or in a tracker lane, no record is due for a job (holding periods and
 * unfreeze delays end in the future), so the jobs only read.
 */
export async function seedDatabase(
  models: BenchModels,
  app: AppModules,
  count: number,
  batch: number,
  onProgress?: (done: number) => void,
): Promise<SeedResult> {
  const started = performance.now();
  const { records: Records, operations: Operations, auditLogs: AuditLogs } = models;
  const ChainHead = models.chainHead;
  // The API's indexes exist before the data, as they would in a live deployment.
  await Promise.all([Records.init(), Operations.init(), AuditLogs.init(), ChainHead.init()]);

  const addressCount = Math.max(1, Math.floor(count / RECORDS_PER_ADDRESS));
  const addresses = Array.from({ length: addressCount }, randomAddress);
  const now = Date.now();
  const firstAt = now - HISTORY_MS - 3_600_000;
  const step = HISTORY_MS / count;
  let prevHash = app.GENESIS_HASH;
  // The maintained totals of what is seeded, as the API's write path would have kept them.
  const counters = new Map<string, Record<string, number>>();
  const tally = (id: string, delta: Record<string, number>) => {
    const c = counters.get(id) ?? {};
    for (const [k, v] of Object.entries(delta)) c[k] = (c[k] ?? 0) + v;
    counters.set(id, c);
  };

  for (let from = 0; from < count; from += batch) {
    const records: Record<string, unknown>[] = [];
    const operations: Record<string, unknown>[] = [];
    const audits: AuditEntry[] = [];
    for (let i = from; i < Math.min(count, from + batch); i++) {
      const address = addresses[i % addressCount]!;
      const status = STATUS_CYCLE[Math.floor(i / addressCount) % STATUS_CYCLE.length]!;
      const at = Math.floor(firstAt + i * step);
      const amountTrx = 1 + ((i * 7919) % 50_000);
      const amountSun = amountTrx * 1_000_000;
      const resource = i % 3 === 0 ? 'BANDWIDTH' : 'ENERGY';
      // Live holding periods (90+ days, history 60 days) end after the run: no job finds them due.
      const durations = status === 'active' ? LIVE_DURATIONS : ENDED_DURATIONS;
      const duration = durations[i % durations.length]!;
      const stakingId = hex(16);
      const operationId = randomUUID();
      const requestId = randomUUID();
      const failed = status === 'failed';
      const confirmedAt = at + 57_000;
      const expiresAt = confirmedAt + duration * DAY_MS;
      const tx = fakeTx(address, amountSun, resource, at);
      const blockNumber = 1_000 + Math.floor(i / 3);
      const txid = tx.txID;
      const unstakedAt = Math.min(expiresAt + DAY_MS, now - 3_600_000);
      records.push({
        staking_id: stakingId,
        address,
        amount_sun: amountSun,
        duration_days: duration,
        resource,
        status,
        operation_type: i % 2 ? 'stake' : 'freeze',
        operation_id: operationId,
        rewards_earned_sun: failed ? 0 : (i * 104_729) % 5_000_000,
        requested_by: { ...SEED_ACTOR },
        created_at: new Date(at),
        updated_at: new Date(failed ? at + 80 : confirmedAt),
        ...(failed
          ? { error_code: 'S201', error_message: 'Insufficient balance for this operation.' }
          : {
              transaction_hash: txid,
              block_number: blockNumber,
              confirmed_at: new Date(confirmedAt),
              expires_at: new Date(expiresAt),
            }),
        ...(status === 'inactive' || status === 'completed'
          ? {
              unstake_operation_id: randomUUID(),
              unstake_transaction_hash: hex(32),
              unstaked_at: new Date(unstakedAt),
              // Inactive: still in the chain's unfreeze delay, which ends after the run.
              unfreeze_available_at: new Date(
                status === 'inactive' ? now + 14 * DAY_MS : unstakedAt + 14 * DAY_MS,
              ),
            }
          : {}),
        ...(status === 'completed'
          ? {
              withdraw_operation_id: randomUUID(),
              withdrawn_at: new Date(unstakedAt + 14 * DAY_MS),
            }
          : {}),
      });
      const history = failed
        ? [
            { state: 'requested', at: new Date(at) },
            { state: 'failed', at: new Date(at + 80), note: 'refused: CONTRACT_VALIDATE_ERROR' },
          ]
        : [
            { state: 'requested', at: new Date(at) },
            { state: 'built', at: new Date(at + 12), note: 'verified against its intent' },
            { state: 'signed', at: new Date(at + 18), note: 'signed by keystore' },
            { state: 'broadcast', at: new Date(at + 30), note: 'accepted by node' },
            { state: 'confirmed', at: new Date(confirmedAt) },
          ];
      const body = { address, amount: amountTrx, resource };
      const requestHash = sha256(JSON.stringify(body));
      operations.push({
        _id: operationId,
        kind: 'freeze',
        mode: 'custodial',
        state: failed ? 'failed' : 'confirmed',
        params: { owner: address, amount_sun: String(amountSun), resource },
        owner_address: address,
        subject: { type: 'staking', id: stakingId },
        idempotency_scope: `${SEED_ACTOR.kind}:${SEED_ACTOR.id}`,
        idempotency_key: `seed-${requestId}`,
        idempotency_expires_at: new Date(at + DAY_MS),
        request_hash: requestHash,
        requested_by: { ...SEED_ACTOR },
        request_id: requestId,
        broadcast_attempts: 1,
        settled_at: new Date(failed ? at + 81 : confirmedAt + 5),
        history,
        created_at: new Date(at),
        updated_at: new Date(failed ? at + 81 : confirmedAt + 5),
        ...(failed
          ? {
              error: {
                code: 'S201',
                message: 'balance is not sufficient',
                node_code: 'CONTRACT_VALIDATE_ERROR',
              },
              unsigned_tx: tx,
              txid,
            }
          : {
              unsigned_tx: tx,
              signed_tx: { ...tx, signature: [hex(65)] },
              txid,
              expiration: tx.raw_data.expiration,
              block_number: blockNumber,
              block_timestamp: at + 3_000,
              included_at: new Date(at + 4_000),
              confirmed_at: new Date(confirmedAt),
              fee_sun: '0',
            }),
      });
      const entry = app.sealEntry(
        {
          time: new Date(at + 40).toISOString(),
          action: 'POST /api/v1/tron/staking/freeze',
          resource: '/api/v1/tron/staking/freeze',
          actor: { type: 'user', id: SEED_ACTOR.id, username: 'seed-admin', role: 'admin' },
          request_id: requestId,
          ip: '10.0.0.12',
          user_agent: 'treasury-bot/1.4',
          params: app.canonicalJson({ body, params: {}, query: {} }),
          result: failed
            ? { status: 'failure', error_code: 'S201', http_status: 422 }
            : { status: 'success', error_code: null, http_status: 201 },
        },
        i + 1,
        prevHash,
      );
      prevHash = entry.hash;
      audits.push(entry);
    }
    // Two concurrent inserts per collection: FerretDB converts each document on one core, and
    // the operations (nested transactions and history) cost it ~1 ms apiece.
    for (const record of records) {
      const due = app.dueKey(record);
      if (due) record.due = due;
      const delta = app.counterDelta(null, record);
      tally('global', delta);
      tally(`address:${String(record.address)}`, delta);
    }
    await Promise.all([
      ...halves(records).map((d) => Records.insertMany(d, { timestamps: false })),
      ...halves(operations).map((d) => Operations.insertMany(d, { timestamps: false })),
      ...halves(audits).map((d) =>
        AuditLogs.insertMany(
          d.map((e) => ({
            ...e,
            time: new Date(e.time),
            page: Math.floor(e.seq / app.AUDIT_PAGE_SIZE),
          })),
        ),
      ),
    ]);
    onProgress?.(Math.min(count, from + batch));
  }
  await ChainHead.updateOne(
    { _id: 'main' },
    {
      $set: {
        seq: count,
        hash: prevHash,
        archived_seq: 0,
        archived_hash: app.GENESIS_HASH,
        unpaged_through: 0,
      },
    },
    { upsert: true },
  );
  const docs = [...counters].map(([_id, fields]) => ({ _id, version: 1, ...fields }));
  for (let i = 0; i < docs.length; i += batch)
    await models.counters.insertMany(docs.slice(i, i + batch));
  // The due-bucket jobs resume at the current hour, as on a running deployment.
  const hour = new Date(now).toISOString().slice(0, 13);
  await models.counters.db
    .collection('staking_due_cursors')
    .insertMany(['holding', 'withdraw'].map((kind) => ({ _id: kind as never, next: hour })));
  return {
    seconds: (performance.now() - started) / 1000,
    addresses,
    auditHead: { seq: count, hash: prevHash },
  };
}
