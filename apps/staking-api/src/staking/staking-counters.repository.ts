import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { STAKING_STATUSES } from './dto/staking-read.dto.js';
import {
  counterFieldsOf,
  totalsOf,
  type CounterFields,
  type DueKind,
  type StakingTotals,
} from './record-bookkeeping.js';
import { StakingCounterDocument, StakingDueCursorDocument } from './staking-counters.schema.js';

const GLOBAL = 'global';
const addressId = (address: string) => `address:${address}`;
const DUPLICATE_KEY = 11000;

export interface CounterSnapshot {
  id: string;
  version: number;
  fields: CounterFields;
}

/** The maintained staking totals and the due-bucket cursors: every access is by `_id`. */
@Injectable()
export class StakingCountersRepository {
  private readonly cursorExists = new Set<DueKind>();

  constructor(
    @InjectModel(StakingCounterDocument.name)
    private readonly counters: Model<StakingCounterDocument>,
    @InjectModel(StakingDueCursorDocument.name)
    private readonly cursors: Model<StakingDueCursorDocument>,
  ) {}

  /** Adds a record change to the global and the owner's totals. */
  async add(address: string, delta: CounterFields): Promise<void> {
    if (!Object.keys(delta).length) return;
    const update = { $inc: { ...delta, version: 1 }, $set: { updated_at: new Date() } };
    await Promise.all(
      [GLOBAL, addressId(address)].map((id) =>
        this.counters.updateOne({ _id: id }, update, { upsert: true, strict: false }).exec(),
      ),
    );
  }

  async totals(address?: string): Promise<StakingTotals> {
    const doc = await this.counters
      .findOne({ _id: address ? addressId(address) : GLOBAL })
      .lean<Record<string, unknown>>()
      .exec();
    return totalsOf(counterFieldsOf(doc), STAKING_STATUSES);
  }

  /** Whether anything was ever counted (the global document exists). */
  async counted(): Promise<boolean> {
    return (await this.counters.exists({ _id: GLOBAL })) !== null;
  }

  /** Every counters document (one per owner that ever staked, plus the global one). */
  async snapshot(): Promise<Map<string, CounterSnapshot>> {
    const docs = await this.counters.find().lean<Record<string, unknown>[]>().exec();
    return new Map(
      docs.map((d) => [
        String(d._id),
        { id: String(d._id), version: Number(d.version ?? 0), fields: counterFieldsOf(d) },
      ]),
    );
  }

  /**
   * Overwrites one counters document with a recount, only if no increment landed since
   * `version` was read (or, when it did not exist, only if it still does not): false if busy.
   */
  async overwrite(id: string, version: number | null, fields: CounterFields): Promise<boolean> {
    const body = { ...fields, updated_at: new Date(), repaired_at: new Date() };
    if (version === null) {
      try {
        await this.counters.create([{ _id: id, version: 1, ...body }]);
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
        throw error;
      }
    }
    const res = await this.counters
      .replaceOne(
        { _id: id, version },
        { _id: id, version: version + 1, ...body },
        {
          strict: false,
        },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  static idFor(address?: string): string {
    return address ? addressId(address) : GLOBAL;
  }

  async cursor(kind: DueKind): Promise<string | null> {
    const doc = await this.cursors.findOne({ _id: kind }).lean<{ next: string }>().exec();
    return doc?.next ?? null;
  }

  /** Makes sure the job of `kind` looks at `bucket` again: the cursor never passes a due record. */
  async lowerCursor(kind: DueKind, bucket: string): Promise<void> {
    const res = await this.cursors
      .updateOne({ _id: kind, next: { $gt: bucket } }, { $set: { next: bucket } })
      .exec();
    // Cursors are never deleted: once one exists, an unmatched update means it is at or before.
    if (res.matchedCount || this.cursorExists.has(kind)) return;
    try {
      await this.cursors.create([{ _id: kind, next: bucket }]);
    } catch (error) {
      // It exists and is already at or before the bucket.
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    }
    this.cursorExists.add(kind);
  }

  /** Moves the cursor past a drained bucket, unless a write lowered it meanwhile. */
  async advanceCursor(kind: DueKind, from: string, to: string): Promise<boolean> {
    const res = await this.cursors
      .updateOne({ _id: kind, next: from }, { $set: { next: to } })
      .exec();
    return res.modifiedCount === 1;
  }
}
