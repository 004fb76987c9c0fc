import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AllowedReceiverDocument } from './allowed-receiver.schema.js';

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
  ) {}

  async onModuleInit(): Promise<void> {
    await this.model.init();
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
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      const existing = await this.find(entry.owner_address, entry.receiver_address);
      if (!existing) throw error;
      return { entry: existing, created: false };
    }
  }

  async remove(owner: string, receiver: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: keyOf(owner, receiver) }).exec();
    return result.deletedCount > 0;
  }
}
