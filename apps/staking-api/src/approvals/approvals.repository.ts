import { utcDay } from '@app/common';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ApprovalDocument, type ApprovalStatus } from './approval.schema.js';
import type { Approval } from './approval.types.js';
import { StateCountersRepository } from '../state-counters/state-counters.repository.js';

/** Statuses an approval never leaves: it is filed under `ended_day` for the cleanup job. */
export const ENDED_APPROVAL_STATUSES: readonly ApprovalStatus[] = [
  'executed',
  'rejected',
  'expired',
  'failed',
];

const toEntity = (doc: Record<string, unknown> | null): Approval | null => {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { id: _id as string, ...rest } as unknown as Approval;
};

/**
 * The approvals collection: equality lookups only, every change conditional on `version`.
 * Every status change also moves the maintained per-status counts (`staking_approvals_pending`).
 */
@Injectable()
export class ApprovalsRepository implements OnModuleInit {
  constructor(
    @InjectModel(ApprovalDocument.name) private readonly model: Model<ApprovalDocument>,
    private readonly counters: StateCountersRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  async insert(approval: Omit<Approval, 'created_at' | 'updated_at'>): Promise<Approval> {
    const { id, ...fields } = approval;
    const doc = await this.model.create({ _id: id, ...fields } as unknown as ApprovalDocument);
    await this.counters.move('approvals', undefined, approval.status);
    return toEntity(doc.toObject() as unknown as Record<string, unknown>)!;
  }

  async findById(id: string): Promise<Approval | null> {
    return toEntity(await this.model.findOne({ _id: id }).lean<Record<string, unknown>>().exec());
  }

  async findByOperation(operationId: string): Promise<Approval | null> {
    return toEntity(
      await this.model
        .findOne({ operation_id: operationId })
        .lean<Record<string, unknown>>()
        .exec(),
    );
  }

  /** A bounded page of one status (no sort: an equality on an indexed field, DESIGN §4). */
  async listByStatus(status: ApprovalStatus, skip: number, limit: number): Promise<Approval[]> {
    const docs = await this.model
      .find({ status })
      .skip(skip)
      .limit(limit)
      .lean<Record<string, unknown>[]>()
      .exec();
    return docs.map((d) => toEntity(d)!);
  }

  /**
   * Applies `set` only if the approval is still at `from.version` in `from.status`: two
   * approvers deciding at once never both count on the same state. Null when it moved.
   */
  async update(
    from: Pick<Approval, 'id' | 'status' | 'version'>,
    set: Partial<Omit<Approval, 'id' | 'version'>>,
    event: Record<string, unknown>,
  ): Promise<Approval | null> {
    const ended =
      set.status && ENDED_APPROVAL_STATUSES.includes(set.status)
        ? { ended_day: utcDay(new Date()) }
        : {};
    const doc = await this.model
      .findOneAndUpdate(
        { _id: from.id, status: from.status, version: from.version },
        { $set: { ...set, ...ended, version: from.version + 1 }, $push: { history: event } },
        { returnDocument: 'after' },
      )
      .lean<Record<string, unknown>>()
      .exec();
    // Only the writer that won the conditional update moves the counts.
    if (doc && set.status) await this.counters.move('approvals', from.status, set.status);
    return toEntity(doc);
  }

  /** Up to `limit` ids of approvals that ended on `day` (equality on the indexed `ended_day`). */
  async endedOn(day: string, limit: number): Promise<{ id: string; status: ApprovalStatus }[]> {
    const docs = await this.model
      .find({ ended_day: day }, { _id: 1, status: 1 })
      .limit(limit)
      .lean<{ _id: string; status: ApprovalStatus }[]>()
      .exec();
    return docs.map((d) => ({ id: d._id, status: d.status }));
  }

  /** Deletes an ended approval (its operation keeps its own history); false if already gone. */
  async deleteEnded(id: string, day: string, status: ApprovalStatus): Promise<boolean> {
    const res = await this.model.deleteOne({ _id: id, ended_day: day }).exec();
    if (res.deletedCount !== 1) return false;
    await this.counters.move('approvals', status, undefined);
    return true;
  }

  /**
   * Every approval's status, end day and last change, in batches: only for the hourly recount
   * of the state counters (the one reader of the whole collection).
   */
  async *allStates(batchSize: number): AsyncGenerator<ApprovalState> {
    const cursor = this.model
      .find({}, { _id: 1, status: 1, ended_day: 1, updated_at: 1 })
      .batchSize(batchSize)
      .lean<{ _id: string; status: ApprovalStatus; ended_day?: string; updated_at?: Date }>()
      .cursor();
    for await (const d of cursor)
      yield { id: d._id, status: d.status, ended_day: d.ended_day, updated_at: d.updated_at };
  }

  /** Files an ended approval from before `ended_day` existed under `day` (still ended). */
  async fileEnded(id: string, status: ApprovalStatus, day: string): Promise<boolean> {
    const res = await this.model
      .updateOne({ _id: id, status }, { $set: { ended_day: day } }, { timestamps: false })
      .exec();
    return res.modifiedCount === 1;
  }
}

export interface ApprovalState {
  id: string;
  status: ApprovalStatus;
  ended_day?: string;
  updated_at?: Date;
}
