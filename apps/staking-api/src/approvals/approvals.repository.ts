import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ApprovalDocument, type ApprovalStatus } from './approval.schema.js';
import type { Approval } from './approval.types.js';

const toEntity = (doc: Record<string, unknown> | null): Approval | null => {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { id: _id as string, ...rest } as unknown as Approval;
};

/** The approvals collection: equality lookups only, every change conditional on `version`. */
@Injectable()
export class ApprovalsRepository implements OnModuleInit {
  constructor(
    @InjectModel(ApprovalDocument.name) private readonly model: Model<ApprovalDocument>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  async insert(approval: Omit<Approval, 'created_at' | 'updated_at'>): Promise<Approval> {
    const { id, ...fields } = approval;
    const doc = await this.model.create({ _id: id, ...fields } as unknown as ApprovalDocument);
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
    const doc = await this.model
      .findOneAndUpdate(
        { _id: from.id, status: from.status, version: from.version },
        { $set: { ...set, version: from.version + 1 }, $push: { history: event } },
        { returnDocument: 'after' },
      )
      .lean<Record<string, unknown>>()
      .exec();
    return toEntity(doc);
  }
}
