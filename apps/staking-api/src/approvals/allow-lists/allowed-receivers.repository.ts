import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AllowedReceiverDocument, AllowListStateDocument } from './allowed-receiver.schema.js';

export interface AllowedReceiver {
  owner_address: string;
  receiver_address: string;
  label?: string;
  active_from: Date;
  added_by: Record<string, unknown>;
  created_at: Date;
}

const keyOf = (owner: string, receiver: string) => `${owner}:${receiver}`;
const toEntity = (doc: Record<string, unknown> | null): AllowedReceiver | null => {
  if (!doc) return null;
  const { _id: _ignored, updated_at: _u, ...rest } = doc;
  return rest as unknown as AllowedReceiver;
};
const DUPLICATE_KEY = 11000;

/** allowed_receivers: by pair (`_id`) or by owner, equality only, bounded by the policy's max. */
@Injectable()
export class AllowedReceiversRepository implements OnModuleInit {
  constructor(
    @InjectModel(AllowedReceiverDocument.name)
    private readonly model: Model<AllowedReceiverDocument>,
    @InjectModel(AllowListStateDocument.name)
    private readonly states: Model<AllowListStateDocument>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.model.init(), this.states.init()]);
  }

  /**
   * Whether the owner has any allow-list entry (then only listed receivers are accepted). The
   * counter is raised before an insert and lowered after a delete: a crash in between leaves it
   * too high, which restricts (fails closed), never too low.
   */
  async hasList(owner: string): Promise<boolean> {
    const state = await this.states.findOne({ _id: owner }).lean<{ entries: number }>().exec();
    return (state?.entries ?? 0) > 0;
  }

  private async count(owner: string, by: 1 | -1): Promise<void> {
    await this.states.updateOne({ _id: owner }, { $inc: { entries: by } }, { upsert: true }).exec();
  }

  async find(owner: string, receiver: string): Promise<AllowedReceiver | null> {
    return toEntity(
      await this.model
        .findOne({ _id: keyOf(owner, receiver) })
        .lean<Record<string, unknown>>()
        .exec(),
    );
  }

  async listFor(owner: string, limit: number): Promise<AllowedReceiver[]> {
    const docs = await this.model
      .find({ owner_address: owner })
      .limit(limit)
      .lean<Record<string, unknown>[]>()
      .exec();
    return docs.map((d) => toEntity(d)!);
  }

  /** Inserts; an existing entry is returned unchanged (its cooling-off does not restart). */
  async add(
    entry: Omit<AllowedReceiver, 'created_at'>,
  ): Promise<{ entry: AllowedReceiver; created: boolean }> {
    await this.count(entry.owner_address, 1);
    try {
      const doc = await this.model.create({
        _id: keyOf(entry.owner_address, entry.receiver_address),
        ...entry,
      } as unknown as AllowedReceiverDocument);
      return {
        entry: toEntity(doc.toObject() as unknown as Record<string, unknown>)!,
        created: true,
      };
    } catch (error) {
      await this.count(entry.owner_address, -1);
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      const existing = await this.find(entry.owner_address, entry.receiver_address);
      if (!existing) throw error;
      return { entry: existing, created: false };
    }
  }

  async remove(owner: string, receiver: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: keyOf(owner, receiver) }).exec();
    if (result.deletedCount === 0) return false;
    await this.count(owner, -1);
    return true;
  }
}
