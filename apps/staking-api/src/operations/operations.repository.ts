import { utcDay } from '@app/common';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { OperationDocument } from './operation.schema.js';
import {
  isTerminal,
  laneOf,
  TRANSITIONS,
  type Operation,
  type OperationState,
  type TrackingLane,
} from './operation.types.js';

type NewOperation = Omit<
  Operation,
  'created_at' | 'updated_at' | 'history' | 'broadcast_attempts' | 'tracking' | 'open_owner'
>;

export interface OperationFilter {
  owner_address?: string;
  state?: OperationState;
  kind?: string;
}

const toEntity = (doc: Record<string, unknown> | null): Operation | null => {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { id: String(_id), ...rest } as unknown as Operation;
};

/** What a conditional move needs to know of the operation it moves. */
export type OperationRef = Pick<Operation, 'id' | 'mode'>;

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

// Enough for any one owner's in-flight work; more open operations than this is refused upstream.
export const OPEN_OPERATIONS_LIMIT = 500;

/**
 * Operations persistence. State moves only by conditional updates: `transition` for the steps
 * in flight, `finish` for the terminal ones, which only the settlement path calls.
 */
@Injectable()
export class OperationsRepository {
  constructor(
    @InjectModel(OperationDocument.name) private readonly model: Model<OperationDocument>,
  ) {}

  /** Inserts, or returns the operation that already holds this idempotency key. */
  async createOrGet(op: NewOperation): Promise<{ operation: Operation; created: boolean }> {
    const { id, ...fields } = op;
    try {
      const created = await this.model.create({
        _id: id,
        ...fields,
        tracking: laneOf(op.state, op.mode),
        open_owner: op.owner_address,
        history: [{ state: op.state, at: new Date() }],
        broadcast_attempts: 0,
      } as unknown as OperationDocument);
      // The inserted document as stored (defaults and timestamps included), without a re-read.
      return {
        operation: toEntity(created.toObject() as unknown as Record<string, unknown>)!,
        created: true,
      };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.findByIdempotencyKey(op.idempotency_scope, op.idempotency_key);
      if (!existing) throw error;
      return { operation: existing, created: false };
    }
  }

  async findById(id: string): Promise<Operation | null> {
    return toEntity(await this.model.findById(id).lean<Record<string, unknown>>().exec());
  }

  /** Another operation already holding these exact bytes (txid is indexed). */
  async findOtherWithTxid(txid: string, id: string): Promise<boolean> {
    const doc = await this.model.findOne({ txid }, { _id: 1 }).lean<{ _id: string }>().exec();
    return doc !== null && String(doc._id) !== id;
  }

  async findByIdempotencyKey(scope: string, key: string): Promise<Operation | null> {
    return toEntity(
      await this.model
        .findOne({ idempotency_scope: scope, idempotency_key: key })
        .lean<Record<string, unknown>>()
        .exec(),
    );
  }

  /**
   * Frees the Idempotency-Key of an operation (its TTL passed, or nothing was ever built), so the
   * same key can start a new operation. The old key is kept for the record.
   */
  async releaseIdempotencyKey(id: string, key: string): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: id, idempotency_key: key },
        { $set: { idempotency_key: `released:${id}`, released_idempotency_key: key } },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  /**
   * Moves an operation from one of `from` to a non-terminal `to` in one conditional update, so
   * two replicas can never both advance it. Returns null when another writer moved it first.
   */
  async transition(
    op: OperationRef,
    from: readonly OperationState[],
    to: OperationState,
    set: Partial<Operation> = {},
    note?: string,
  ): Promise<Operation | null> {
    if (isTerminal(to)) throw new Error(`terminal state ${to}: use the settlement path`);
    return this.move(op, from, to, set, note);
  }

  /**
   * The terminal move: marks the settlement as pending in the same update, so a crash before
   * the record and limits follow is found and repaired by reconciliation.
   */
  async finish(
    op: OperationRef,
    from: readonly OperationState[],
    to: OperationState,
    set: Partial<Operation> = {},
    note?: string,
  ): Promise<Operation | null> {
    if (!isTerminal(to)) throw new Error(`${to} is not terminal`);
    return this.move(op, from, to, { ...set, settlement_pending: true }, note);
  }

  private async move(
    op: OperationRef,
    from: readonly OperationState[],
    to: OperationState,
    set: Partial<Operation>,
    note?: string,
  ): Promise<Operation | null> {
    for (const state of from) {
      if (!TRANSITIONS[state].includes(to)) throw new Error(`illegal transition ${state} → ${to}`);
    }
    const { id: _ignored, ...fields } = set;
    const id = op.id;
    const lane = laneOf(to, op.mode);
    const unset: Record<string, ''> = {};
    if (!lane) unset.tracking = '';
    if (isTerminal(to)) unset.open_owner = '';
    const doc = await this.model
      .findOneAndUpdate(
        from.length === 1 ? { _id: id, state: from[0] } : { _id: id, state: { $in: from } },
        {
          $set: { ...fields, state: to, ...(lane ? { tracking: lane } : {}) },
          ...(Object.keys(unset).length ? { $unset: unset } : {}),
          $push: { history: { state: to, at: new Date(), ...(note ? { note } : {}) } },
        },
        { returnDocument: 'after' },
      )
      .lean<Record<string, unknown>>()
      .exec();
    return toEntity(doc);
  }

  /** Records where the full node saw the transaction, without a state change. */
  async recordInclusion(
    id: string,
    state: OperationState,
    blockNumber: number,
    blockTimestamp: number,
  ): Promise<Operation | null> {
    return toEntity(
      await this.model
        .findOneAndUpdate(
          { _id: id, state },
          {
            $set: {
              block_number: blockNumber,
              block_timestamp: blockTimestamp,
              included_at: new Date(),
            },
          },
          { returnDocument: 'after' },
        )
        .lean<Record<string, unknown>>()
        .exec(),
    );
  }

  /** The block seen earlier is solid but no longer holds the transaction (a fork): look again. */
  async forgetInclusion(id: string): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, state: 'broadcast' },
        { $unset: { block_number: '', block_timestamp: '', included_at: '' } },
      )
      .exec();
  }

  /** Clears the pending-settlement flag once; false when another settler cleared it first. */
  async markSettled(id: string, now: Date = new Date()): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: id, settlement_pending: true },
        {
          $unset: { settlement_pending: '' },
          $set: { settled_at: now, settled_day: utcDay(now) },
        },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  /** Up to `limit` ids of operations settled on `day` that still hold their details. */
  async settledOn(day: string, limit: number): Promise<string[]> {
    const docs = await this.model
      .find({ settled_day: day }, { _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    return docs.map((d) => d._id);
  }

  /**
   * Drops a settled operation's transaction bytes (unsigned and signed), keeping its summary,
   * state, txid, result and history; it leaves the bucket, so it is never looked at again.
   */
  async pruneDetails(id: string, day: string, now: Date): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: id, settled_day: day },
        {
          $unset: { unsigned_tx: '', signed_tx: '', settled_day: '' },
          $set: { details_pruned_at: now },
        },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  /**
   * Every operation's settlement fields, in batches: only for the one-time backfill of
   * `settled_day` (LegacyBucketsBackfillJob), never on a hot path.
   */
  async *allSettlements(batchSize: number): AsyncGenerator<{
    _id: string;
    settled_at?: Date;
    settled_day?: string;
    details_pruned_at?: Date;
  }> {
    const cursor = this.model
      .find({}, { _id: 1, settled_at: 1, settled_day: 1, details_pruned_at: 1 })
      .batchSize(batchSize)
      .lean<{ _id: string; settled_at?: Date; settled_day?: string; details_pruned_at?: Date }>()
      .cursor();
    for await (const d of cursor) yield d;
  }

  /** Files an operation settled before `settled_day` existed under `day` for the details cleanup. */
  async fileSettled(id: string, settledAt: Date, day: string): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: id, settled_at: settledAt },
        { $set: { settled_day: day } },
        { timestamps: false },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  async recordBroadcastAttempt(id: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $inc: { broadcast_attempts: 1 } }).exec();
  }

  /**
   * The operations of one tracker lane, oldest first; the lane holds only open operations.
   * `light` leaves out the transaction blobs and history (lanes that only judge expiry).
   */
  findInLane(lane: TrackingLane, limit: number, light = false): Promise<Operation[]> {
    return this.many({ tracking: lane }, limit, {
      sortOldestFirst: true,
      projection: light ? { unsigned_tx: 0, signed_tx: 0, history: 0 } : undefined,
    });
  }

  /** An owner's open operations (any non-terminal state), by equality on the open-owner field. */
  findOpenFor(owner: string): Promise<Operation[]> {
    return this.many({ open_owner: owner }, OPEN_OPERATIONS_LIMIT);
  }

  findSettlementPending(limit: number): Promise<Operation[]> {
    return this.many({ settlement_pending: true }, limit);
  }

  private async many(
    filter: Record<string, unknown>,
    limit: number,
    options: { sortOldestFirst?: boolean; projection?: Record<string, 0> } = {},
  ): Promise<Operation[]> {
    let query = this.model.find(filter, options.projection);
    if (options.sortOldestFirst) query = query.sort({ created_at: 1 });
    const docs = await query.limit(limit).lean<Record<string, unknown>[]>().exec();
    return docs.map((d) => toEntity(d)!);
  }

  async list(
    filter: OperationFilter,
    skip: number,
    limit: number,
  ): Promise<{ items: Operation[]; total: number }> {
    const query = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    const [docs, total] = await Promise.all([
      this.model
        .find(query)
        .sort({ created_at: -1 })
        .skip(skip)
        .limit(limit)
        .lean<Record<string, unknown>[]>()
        .exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items: docs.map((d) => toEntity(d)!), total };
  }
}
