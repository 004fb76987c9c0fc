import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import type { StakingStatus } from './dto/staking-read.dto.js';
import { StakingRecordDocument } from './staking-record.schema.js';

export interface StakingRecord {
  staking_id: string;
  address: string;
  amount_sun: number;
  duration_days: number;
  resource: 'ENERGY' | 'BANDWIDTH';
  status: StakingStatus;
  operation_type: string;
  operation_id: string;
  transaction_hash?: string;
  block_number?: number;
  confirmed_at?: Date;
  expires_at?: Date;
  unstake_operation_id?: string;
  unstake_transaction_hash?: string;
  unstaked_at?: Date;
  unfreeze_available_at?: Date;
  withdraw_operation_id?: string;
  withdrawn_at?: Date;
  rewards_earned_sun: number;
  error_code?: string;
  error_message?: string;
  requested_by?: Record<string, unknown>;
  /** Set while the record waits on an operation (reconciliation finds it by equality). */
  settling?: boolean;
  settling_operation_id?: string;
  /** The record this one was split from, when an unfreeze took only part of it. */
  split_from?: string;
  /** The cancel-unfreeze that returned this record's TRX to frozen. */
  cancel_operation_id?: string;
  created_at: Date;
  updated_at: Date;
}

export interface StakingFilter {
  address?: string;
  status?: StakingStatus;
  resource?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

/** A new record id: 32 lowercase hex, the seeds' staking_id shape. */
export const newStakingId = () => randomBytes(16).toString('hex');

/** Statuses whose TRX is still frozen on chain for the record. */
export const STAKED_STATUSES: StakingStatus[] = ['pending', 'active', 'expired'];

const NO_ID = { _id: 0 } as const;
// FerretDB v1 has no projection on findAndModify: drop _id here instead.
const withoutId = (doc: (StakingRecord & { _id?: unknown }) | null): StakingRecord | null => {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return rest;
};

@Injectable()
export class StakingRecordsRepository {
  constructor(
    @InjectModel(StakingRecordDocument.name) private readonly model: Model<StakingRecordDocument>,
  ) {}

  async insert(
    record: Omit<StakingRecord, 'created_at' | 'updated_at' | 'rewards_earned_sun'>,
  ): Promise<StakingRecord> {
    const created = await this.model.create(record as unknown as StakingRecordDocument);
    return withoutId(created.toObject() as unknown as StakingRecord)!;
  }

  findById(stakingId: string): Promise<StakingRecord | null> {
    return this.model.findOne({ staking_id: stakingId }, NO_ID).lean<StakingRecord>().exec();
  }

  findByOperation(operationId: string): Promise<StakingRecord | null> {
    return this.model.findOne({ operation_id: operationId }, NO_ID).lean<StakingRecord>().exec();
  }

  /** Conditional update: applies only while the record is in one of `from`. */
  async update(
    stakingId: string,
    from: StakingStatus[] | null,
    set: Partial<StakingRecord>,
    unset: (keyof StakingRecord)[] = [],
  ): Promise<StakingRecord | null> {
    const query: QueryFilter<StakingRecordDocument> = {
      staking_id: stakingId,
      ...(from ? { status: { $in: from } } : {}),
    };
    const update: Record<string, unknown> = { $set: set };
    if (unset.length) update.$unset = Object.fromEntries(unset.map((k) => [k, '']));
    return withoutId(
      await this.model
        .findOneAndUpdate(query, update, { returnDocument: 'after' })
        .lean<StakingRecord & { _id?: unknown }>()
        .exec(),
    );
  }

  /** Claims the record for an unstake: only one request can set the unstake operation. */
  async claimForUnstake(stakingId: string, operationId: string): Promise<StakingRecord | null> {
    return withoutId(
      await this.model
        .findOneAndUpdate(
          {
            staking_id: stakingId,
            status: { $in: ['active', 'expired'] },
            unstake_operation_id: { $exists: false },
          },
          {
            $set: {
              unstake_operation_id: operationId,
              settling: true,
              settling_operation_id: operationId,
            },
          },
          { returnDocument: 'after' },
        )
        .lean<StakingRecord & { _id?: unknown }>()
        .exec(),
    );
  }

  async list(
    filter: StakingFilter,
    skip: number,
    limit: number,
  ): Promise<{ items: StakingRecord[]; total: number; activeCount: number; stakedSun: number }> {
    const query = this.toQuery(filter);
    const [items, total, activeCount, staked] = await Promise.all([
      this.model
        .find(query, NO_ID)
        .sort({ created_at: -1 })
        .skip(skip)
        .limit(limit)
        .lean<StakingRecord[]>()
        .exec(),
      this.model.countDocuments(query).exec(),
      this.model.countDocuments({ ...query, status: 'active' }).exec(),
      // FerretDB v1 has no $cond in $group: filter first, then sum.
      this.model.aggregate<{ staked: number }>([
        { $match: { $and: [query, { status: { $in: STAKED_STATUSES } }] } },
        { $group: { _id: null, staked: { $sum: '$amount_sun' } } },
      ]),
    ]);
    return { items, total, activeCount, stakedSun: staked[0]?.staked ?? 0 };
  }

  /** Count, SUN and rewards per status, and staked SUN per resource. */
  async totals(address?: string): Promise<{
    byStatus: { status: string; count: number; amount_sun: number; rewards_sun: number }[];
    stakedByResource: Record<string, number>;
  }> {
    const scope = address ? { address } : {};
    const [counts, amounts, rewards, byResource] = await Promise.all([
      this.sumBy(scope, '$status', 1),
      this.sumBy(scope, '$status', '$amount_sun'),
      this.sumBy(scope, '$status', '$rewards_earned_sun'),
      this.sumBy({ ...scope, status: { $in: STAKED_STATUSES } }, '$resource', '$amount_sun'),
    ]);
    return {
      byStatus: Object.keys(counts).map((status) => ({
        status,
        count: counts[status]!,
        amount_sun: amounts[status] ?? 0,
        rewards_sun: rewards[status] ?? 0,
      })),
      stakedByResource: byResource,
    };
  }

  // One accumulator per pipeline: FerretDB v1 computes only the first accumulator of a $group.
  private async sumBy(
    match: QueryFilter<StakingRecordDocument>,
    key: string,
    value: 1 | string,
  ): Promise<Record<string, number>> {
    const rows = await this.model.aggregate<{ _id: string; total: number }>([
      { $match: match },
      { $group: { _id: key, total: { $sum: value } } },
    ]);
    return Object.fromEntries(rows.map((r) => [r._id, Number(r.total)]));
  }

  /**
   * An owner's records whose TRX is still frozen (pending, active, expired), by one equality
   * lookup per status: bounded by the owner's live stake, never by its history.
   */
  async liveFor(address: string): Promise<StakingRecord[]> {
    const lists = await Promise.all(
      STAKED_STATUSES.map((status) =>
        this.model.find({ address, status }, NO_ID).lean<StakingRecord[]>().exec(),
      ),
    );
    return lists.flat();
  }

  /** Records in the chain's unfreeze delay (unfrozen, not yet withdrawn). */
  unfrozenFor(address: string): Promise<StakingRecord[]> {
    return this.model.find({ address, status: 'inactive' }, NO_ID).lean<StakingRecord[]>().exec();
  }

  /** Records an unfreeze operation released. */
  releasedBy(operationId: string): Promise<StakingRecord[]> {
    return this.model
      .find({ unstake_operation_id: operationId }, NO_ID)
      .lean<StakingRecord[]>()
      .exec();
  }

  /** Records waiting on an operation (for reconciliation). */
  findSettling(limit: number): Promise<StakingRecord[]> {
    return this.model.find({ settling: true }, NO_ID).limit(limit).lean<StakingRecord[]>().exec();
  }

  /**
   * Claims unfreezable records for one unfreeze operation: each claim is conditional, so a
   * record is released by one operation only. Returns the ids it could claim.
   */
  async claimForUnfreeze(stakingIds: string[], operationId: string): Promise<string[]> {
    const claimed: string[] = [];
    for (const stakingId of stakingIds) {
      if (await this.claimForUnstake(stakingId, operationId)) claimed.push(stakingId);
    }
    return claimed;
  }

  /** Gives back claims that an unfreeze operation no longer needs (refused, expired…). */
  async releaseClaims(operationId: string, set: Partial<StakingRecord>): Promise<number> {
    const res = await this.model
      .updateMany(
        { unstake_operation_id: operationId, status: { $in: ['active', 'expired'] } },
        {
          $set: set,
          $unset: { unstake_operation_id: '', settling: '', settling_operation_id: '' },
        },
      )
      .exec();
    return res.modifiedCount;
  }

  /**
   * Splits `takeSun` off an unfreezable record: the original keeps the rest, a new record with
   * the same holding data carries the part taken. Conditional on the record being unclaimed.
   */
  async split(
    record: StakingRecord,
    takeSun: number,
    newId: string,
  ): Promise<StakingRecord | null> {
    const rest = record.amount_sun - takeSun;
    const shrunk = await this.model
      .findOneAndUpdate(
        {
          staking_id: record.staking_id,
          amount_sun: record.amount_sun,
          unstake_operation_id: { $exists: false },
        },
        { $set: { amount_sun: rest } },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    if (!shrunk) return null;
    const { created_at: _c, updated_at: _u, ...fields } = record;
    return this.insert({
      ...fields,
      staking_id: newId,
      amount_sun: takeSun,
      split_from: record.staking_id,
    });
  }

  // status is the equality part; the date range is applied to active records only.
  findHoldingEnded(chainNow: Date, limit: number): Promise<StakingRecord[]> {
    return this.model
      .find({ status: 'active', expires_at: { $lte: chainNow } }, NO_ID)
      .limit(limit)
      .lean<StakingRecord[]>()
      .exec();
  }

  findMatured(chainNow: Date, limit: number): Promise<StakingRecord[]> {
    return this.model
      .find({ status: 'inactive', unfreeze_available_at: { $lte: chainNow } }, NO_ID)
      .sort({ unfreeze_available_at: 1 })
      .limit(limit)
      .lean<StakingRecord[]>()
      .exec();
  }

  async markWithdrawn(address: string, upTo: Date, operationId: string, at: Date): Promise<number> {
    const res = await this.model
      .updateMany(
        { address, status: 'inactive', unfreeze_available_at: { $lte: upTo } },
        { $set: { status: 'completed', withdrawn_at: at, withdraw_operation_id: operationId } },
      )
      .exec();
    return res.modifiedCount;
  }

  private toQuery(filter: StakingFilter): QueryFilter<StakingRecordDocument> {
    const query: QueryFilter<StakingRecordDocument> = {};
    if (filter.address) query.address = filter.address;
    if (filter.status) query.status = filter.status;
    if (filter.resource) query.resource = filter.resource;
    if (filter.createdFrom || filter.createdTo) {
      query.created_at = {
        ...(filter.createdFrom ? { $gte: filter.createdFrom } : {}),
        ...(filter.createdTo ? { $lte: filter.createdTo } : {}),
      };
    }
    return query;
  }
}
