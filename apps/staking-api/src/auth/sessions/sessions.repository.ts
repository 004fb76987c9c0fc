import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { deleteBucketOf } from './session-retention.js';
import { Session, type SessionRecord } from './session.schema.js';

type SessionDoc = Omit<SessionRecord, 'id'> & { _id: string };
const toRecord = ({ _id, ...rest }: SessionDoc): SessionRecord => ({ id: _id, ...rest });

@Injectable()
export class SessionsRepository {
  constructor(@InjectModel(Session.name) private readonly model: Model<Session>) {}

  async create(session: Omit<SessionRecord, 'revoked_at' | 'revoked_reason'>): Promise<void> {
    const { id, ...rest } = session;
    await this.model.create({
      _id: id,
      ...rest,
      revoked_at: null,
      revoked_reason: null,
      delete_bucket: deleteBucketOf(rest.expires_at),
    });
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const doc = await this.model.findById(id).lean<SessionDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Revokes the session (idempotent); true when this call revoked it. */
  async revoke(id: string, reason: string, now: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: id, revoked_at: null },
      { $set: { revoked_at: now, revoked_reason: reason } },
    );
    return result.modifiedCount === 1;
  }

  async revokeAllOfUser(userId: string, reason: string, now: Date): Promise<number> {
    const result = await this.model.updateMany(
      { user_id: userId, revoked_at: null },
      { $set: { revoked_at: now, revoked_reason: reason } },
    );
    return result.modifiedCount;
  }

  /** Deletes the sessions of one ended delete bucket. */
  async deleteBucket(bucket: string): Promise<number> {
    return (await this.model.deleteMany({ delete_bucket: bucket })).deletedCount;
  }
}
