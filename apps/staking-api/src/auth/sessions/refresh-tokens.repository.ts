import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RefreshToken, type RefreshTokenRecord } from './refresh-token.schema.js';
import { deleteBucketOf } from './session-retention.js';

type RefreshTokenDoc = RefreshTokenRecord & { _id: unknown };
const toRecord = ({ _id: _ignored, ...rest }: RefreshTokenDoc): RefreshTokenRecord => rest;

@Injectable()
export class RefreshTokensRepository implements OnModuleInit {
  constructor(@InjectModel(RefreshToken.name) private readonly model: Model<RefreshToken>) {}

  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  async create(token: Omit<RefreshTokenRecord, 'used_at'>): Promise<void> {
    await this.model.create({
      ...token,
      used_at: null,
      delete_bucket: deleteBucketOf(token.expires_at),
    });
  }

  /**
   * Marks the token spent and returns it as it was, in one atomic step: of two concurrent uses
   * exactly one gets the token, the other sees it spent (reuse).
   */
  async spend(tokenHash: string, now: Date): Promise<RefreshTokenRecord | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { token_hash: tokenHash, used_at: null },
        { $set: { used_at: now } },
        { returnDocument: 'before' },
      )
      .lean<RefreshTokenDoc>();
    return doc ? toRecord(doc) : null;
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const doc = await this.model.findOne({ token_hash: tokenHash }).lean<RefreshTokenDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Deletes the refresh tokens of one ended delete bucket. */
  async deleteBucket(bucket: string): Promise<number> {
    return (await this.model.deleteMany({ delete_bucket: bucket })).deletedCount;
  }
}
