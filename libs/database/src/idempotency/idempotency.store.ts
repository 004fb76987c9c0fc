import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { IdempotencyRecordDocument } from './idempotency-record.schema.js';

export interface StoredAnswer {
  request_hash: string;
  status_code: number;
  body: unknown;
}

/** First answers of idempotent requests, kept for the policy's TTL. */
@Injectable()
export class IdempotencyStore {
  constructor(
    @InjectModel(IdempotencyRecordDocument.name)
    private readonly model: Model<IdempotencyRecordDocument>,
  ) {}

  find(scope: string, key: string): Promise<StoredAnswer | null> {
    return this.model
      .findOne({ scope, key }, { _id: 0, request_hash: 1, status_code: 1, body: 1 })
      .lean<StoredAnswer>()
      .exec();
  }

  /** Keeps the first answer only: a concurrent second writer does not overwrite it. */
  async save(scope: string, key: string, answer: StoredAnswer, ttlMs: number): Promise<void> {
    const now = new Date();
    try {
      await this.model.updateOne(
        { scope, key },
        {
          $setOnInsert: {
            ...answer,
            scope,
            key,
            created_at: now,
            expires_at: new Date(now.getTime() + ttlMs),
          },
        },
        { upsert: true },
      );
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.model.deleteMany({ expires_at: { $lt: now } }).exec()).deletedCount;
  }
}
