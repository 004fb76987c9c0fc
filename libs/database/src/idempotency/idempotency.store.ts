import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { expiresBucketOf } from './expires-bucket.js';
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

  /** The stored answer, or null when there is none or it has expired (the key is free again). */
  async find(scope: string, key: string, now: Date = new Date()): Promise<StoredAnswer | null> {
    const doc = await this.model
      .findOne({ scope, key }, { _id: 0, request_hash: 1, status_code: 1, body: 1, expires_at: 1 })
      .lean<StoredAnswer & { expires_at: Date }>()
      .exec();
    if (!doc) return null;
    const { expires_at: expiresAt, ...answer } = doc;
    if (expiresAt.getTime() > now.getTime()) return answer;
    // Only the record we saw: a fresh one a concurrent request saved meanwhile stays.
    await this.model.deleteOne({ scope, key, expires_at: expiresAt }).exec();
    return null;
  }

  /** Keeps the first answer only: a concurrent second writer does not overwrite it. */
  async save(scope: string, key: string, answer: StoredAnswer, ttlMs: number): Promise<void> {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ttlMs);
    try {
      await this.model.updateOne(
        { scope, key },
        {
          $setOnInsert: {
            ...answer,
            scope,
            key,
            created_at: now,
            expires_at: expiresAt,
            expires_bucket: expiresBucketOf(expiresAt),
          },
        },
        { upsert: true },
      );
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }

  /** Deletes one hour bucket (see `expiresBucketOf`) by equality; the count deleted. */
  async deleteBucket(bucket: string): Promise<number> {
    return (await this.model.deleteMany({ expires_bucket: bucket }).exec()).deletedCount;
  }
}
