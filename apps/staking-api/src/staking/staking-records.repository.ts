import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import type { StakingStatus } from './dto/staking-read.dto.js';
import {
  counterDelta,
  dueKey,
  MANUAL_WITHDRAWAL,
  STAKED_STATUSES,
  type DueKind,
  type StakingTotals,
} from './record-bookkeeping.js';
import { StakingCountersRepository } from './staking-counters.repository.js';
import { StakingRecordDocument } from './staking-record.schema.js';

export { STAKED_STATUSES } from './record-bookkeeping.js';

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
  /** Reward claims already attributed to this record (rewards module): each adds once. */
  reward_claims?: string[];
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
  /** The due bucket of the job that must look at the record next (record-bookkeeping.ts). */
  due?: string;
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
    private readonly counters: StakingCountersRepository,
  ) {}

  /**
   * Every change of a record's status or amount goes through here after its conditional write:
   * the record is filed under its due bucket (the jobs' equality lookup) and the change is added
   * to the counters. Two more single-document writes, not a transaction: a crash in between
   * leaves a drift that StakingCountersRepairJob recounts.
   */
  private async bookkeep(
    before: StakingRecord | null,
    after: StakingRecord | null,
  ): Promise<StakingRecord | null> {
    if (after) {
      const due = dueKey(after);
      if (due !== after.due) {
        await this.model
          .updateOne(
            { staking_id: after.staking_id, status: after.status },
            due ? { $set: { due } } : { $unset: { due: '' } },
            { timestamps: false },
          )
          .exec();
        after = { ...after, due };
      }
      if (due && due !== before?.due && due !== MANUAL_WITHDRAWAL) await this.fileDue(due);
    }
    const subject = after ?? before;
    if (subject) await this.counters.add(subject.address, counterDelta(before, after));
    return after;
  }

  private async fileDue(due: string): Promise<void> {
    const [kind, bucket] = due.split(':', 2) as [DueKind, string];
    await this.counters.lowerCursor(kind, bucket);
  }

  async insert(
    record: Omit<
      StakingRecord,
      'created_at' | 'updated_at' | 'rewards_earned_sun' | 'due' | 'reward_claims'
    >,
  ): Promise<StakingRecord> {
    const due = dueKey(record);
    const created = await this.model.create({
      ...record,
      ...(due ? { due } : {}),
    } as unknown as StakingRecordDocument);
    const inserted = withoutId(created.toObject() as unknown as StakingRecord)!;
    await this.bookkeep(null, inserted);
    return inserted;
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
    // The document before the change: the counters need what it was, and `after` follows from it.
    const before = withoutId(
      await this.model
        .findOneAndUpdate(query, update, { returnDocument: 'before' })
        .lean<StakingRecord & { _id?: unknown }>()
        .exec(),
    );
    if (!before) return null;
    const after = { ...before, ...set, updated_at: new Date() } as StakingRecord;
    for (const key of unset) delete after[key];
    return this.bookkeep(before, after);
  }

  /**
   * Adds a claim's share to the record's rewards_earned_sun, once per claim: the claim id is
   * pushed in the same conditional update, so a repeated settlement matches nothing. The
   * counters' rewards_<status> follow through the bookkeeping.
   */
  async addRewards(stakingId: string, claimId: string, sun: number): Promise<boolean> {
    const before = withoutId(
      await this.model
        .findOneAndUpdate(
          { staking_id: stakingId, reward_claims: { $ne: claimId } },
          { $inc: { rewards_earned_sun: sun }, $push: { reward_claims: claimId } },
          { returnDocument: 'before' },
        )
        .lean<StakingRecord & { _id?: unknown }>()
        .exec(),
    );
    if (!before) return false;
    const earned = (before.rewards_earned_sun ?? 0) + sun;
    await this.bookkeep(before, {
      ...before,
      rewards_earned_sun: earned,
      reward_claims: [...(before.reward_claims ?? []), claimId],
    });
    return true;
  }

  /** Parks an unfrozen record no job can withdraw: it leaves the withdrawal buckets. */
  async parkForManualWithdrawal(stakingId: string): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { staking_id: stakingId, status: 'inactive' },
        { $set: { due: MANUAL_WITHDRAWAL } },
        { timestamps: false },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  /**
   * Records filed under one due bucket, at most `limit`, leaving out `except`: the equality on
   * `due` is the indexed part; the exclusion is applied to that bucket's records only.
   */
  findDue(due: string, limit: number, except: string[] = []): Promise<StakingRecord[]> {
    const query = except.length ? { due, staking_id: { $nin: except } } : { due };
    return this.model.find(query, NO_ID).limit(limit).lean<StakingRecord[]>().exec();
  }

  /** Sets the due field the repair job found wrong (conditional on the status it read). */
  async refile(record: StakingRecord, due: string | undefined): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { staking_id: record.staking_id, status: record.status },
        due ? { $set: { due } } : { $unset: { due: '' } },
        { timestamps: false },
      )
      .exec();
    if (res.modifiedCount === 1 && due && due !== MANUAL_WITHDRAWAL) await this.fileDue(due);
    return res.modifiedCount === 1;
  }

  /** Every record, a batch at a time, in no particular order (the repair job's recount). */
  async *all(batchSize: number): AsyncGenerator<StakingRecord> {
    const cursor = this.model.find({}, NO_ID).batchSize(batchSize).lean<StakingRecord>().cursor();
    for await (const doc of cursor) yield doc as StakingRecord;
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
      // FerretDB v1 has no $cond in $group: filter first, then sum. One flat filter, so its
      // equality parts (address) are pushed down; an $and would be evaluated over every record.
      filter.status && !STAKED_STATUSES.includes(filter.status)
        ? Promise.resolve([])
        : this.model.aggregate<{ staked: number }>([
            {
              $match: filter.status ? query : { ...query, status: { $in: STAKED_STATUSES } },
            },
            { $group: { _id: null, staked: { $sum: '$amount_sun' } } },
          ]),
    ]);
    return { items, total, activeCount, stakedSun: staked[0]?.staked ?? 0 };
  }

  /** Count, SUN and rewards per status, and staked SUN per resource: the maintained counters. */
  totals(address?: string): Promise<StakingTotals> {
    return this.counters.totals(address);
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
    const before = withoutId(
      await this.model
        .findOneAndUpdate(
          {
            staking_id: record.staking_id,
            amount_sun: record.amount_sun,
            unstake_operation_id: { $exists: false },
          },
          { $set: { amount_sun: rest } },
          { returnDocument: 'before' },
        )
        .lean<StakingRecord & { _id?: unknown }>()
        .exec(),
    );
    if (!before) return null;
    await this.bookkeep(before, { ...before, amount_sun: rest });
    // Rewards already earned stay with the original record: the part taken starts at zero, so a
    // split never counts them twice.
    const {
      created_at: _c,
      updated_at: _u,
      due: _d,
      rewards_earned_sun: _r,
      reward_claims: _rc,
      ...fields
    } = record;
    return this.insert({
      ...fields,
      staking_id: newId,
      amount_sun: takeSun,
      split_from: record.staking_id,
    });
  }

  /**
   * Marks an owner's unfrozen records matured by `upTo` as withdrawn, one conditional update
   * each (so each change is counted): found by equality on owner and status.
   */
  async markWithdrawn(address: string, upTo: Date, operationId: string, at: Date): Promise<number> {
    let done = 0;
    for (const r of await this.unfrozenFor(address)) {
      if (!r.unfreeze_available_at || new Date(r.unfreeze_available_at) > upTo) continue;
      const after = await this.update(r.staking_id, ['inactive'], {
        status: 'completed',
        withdrawn_at: at,
        withdraw_operation_id: operationId,
      });
      if (after) done++;
    }
    return done;
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
