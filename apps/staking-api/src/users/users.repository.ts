import { ErrorCode, StakingException, type Role } from '@app/common';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import { User, type UserRecord, type UserStatus } from './user.schema.js';

type UserDoc = User & { _id: Types.ObjectId; created_at: Date; updated_at: Date };

const toRecord = (d: UserDoc): UserRecord => ({
  id: d._id.toHexString(),
  username: d.username,
  password_hash: d.password_hash,
  role: d.role,
  status: d.status,
  failed_logins: d.failed_logins ?? 0,
  failed_window_started_at: d.failed_window_started_at ?? null,
  locked_until: d.locked_until ?? null,
  last_login_at: d.last_login_at ?? null,
  created_by: d.created_by ?? null,
  created_at: d.created_at,
  updated_at: d.updated_at,
});

const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

export interface NewUser {
  username: string;
  password_hash: string;
  role: Role;
  created_by: string | null;
}

@Injectable()
export class UsersRepository implements OnModuleInit {
  constructor(@InjectModel(User.name) private readonly model: Model<User>) {}

  /** The unique username index must exist before the first-admin race starts. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  async create(user: NewUser): Promise<UserRecord> {
    try {
      const doc = await this.model.create({ ...user, status: 'active' });
      return toRecord(doc.toObject() as unknown as UserDoc);
    } catch (error) {
      if (isDuplicate(error))
        throw new StakingException(
          ErrorCode.DUPLICATE_RECORD,
          'A user with this username already exists.',
        );
      throw error;
    }
  }

  /** Inserts only if the username is free; false when another replica got there first. */
  async createIfAbsent(user: NewUser): Promise<boolean> {
    try {
      const result = await this.model.updateOne(
        { username: user.username },
        { $setOnInsert: { ...user, status: 'active', failed_logins: 0 } },
        { upsert: true },
      );
      return result.upsertedCount === 1;
    } catch (error) {
      if (isDuplicate(error)) return false;
      throw error;
    }
  }

  async findById(id: string): Promise<UserRecord | null> {
    if (!isValidObjectId(id)) return null;
    const doc = await this.model.findById(id).lean<UserDoc>();
    return doc ? toRecord(doc) : null;
  }

  async findByUsername(username: string): Promise<UserRecord | null> {
    const doc = await this.model.findOne({ username }).lean<UserDoc>();
    return doc ? toRecord(doc) : null;
  }

  async countActive(role: Role): Promise<number> {
    return this.model.countDocuments({ role, status: 'active' });
  }

  async list(skip: number, limit: number): Promise<{ items: UserRecord[]; total: number }> {
    const filter = { status: { $ne: 'deleted' as const } };
    const [docs, total] = await Promise.all([
      this.model.find(filter).sort({ _id: 1 }).skip(skip).limit(limit).lean<UserDoc[]>(),
      this.model.countDocuments(filter),
    ]);
    return { items: docs.map(toRecord), total };
  }

  async update(
    id: string,
    changes: Partial<
      Pick<UserRecord, 'role' | 'status' | 'password_hash' | 'locked_until' | 'failed_logins'>
    >,
  ): Promise<UserRecord | null> {
    if (!isValidObjectId(id)) return null;
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id, status: { $ne: 'deleted' } },
        { $set: changes },
        { returnDocument: 'after' },
      )
      .lean<UserDoc>();
    return doc ? toRecord(doc) : null;
  }

  /**
   * Counts one failed sign-in in the current window, atomically (replicas may race). Returns the
   * count after this failure.
   */
  async recordFailedLogin(id: string, now: Date, windowMs: number): Promise<number> {
    const windowStart = new Date(now.getTime() - windowMs);
    for (let attempt = 0; attempt < 5; attempt++) {
      const inWindow = await this.model
        .findOneAndUpdate(
          { _id: id, failed_window_started_at: { $gt: windowStart } },
          { $inc: { failed_logins: 1 } },
          { returnDocument: 'after' },
        )
        .lean<UserDoc>();
      if (inWindow) return inWindow.failed_logins;
      // No open window: start one, unless another request just did (then count in it).
      const fresh = await this.model
        .findOneAndUpdate(
          {
            _id: id,
            $or: [
              { failed_window_started_at: null },
              { failed_window_started_at: { $lte: windowStart } },
            ],
          },
          { $set: { failed_logins: 1, failed_window_started_at: now } },
          { returnDocument: 'after' },
        )
        .lean<UserDoc>();
      if (fresh) return fresh.failed_logins;
    }
    return 1;
  }

  /** Locks the account unless it is already locked; true when this call locked it. */
  async lock(id: string, now: Date, until: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: id, $or: [{ locked_until: null }, { locked_until: { $lte: now } }] },
      { $set: { locked_until: until, failed_logins: 0, failed_window_started_at: null } },
    );
    return result.modifiedCount === 1;
  }

  async recordSuccessfulLogin(id: string, now: Date): Promise<void> {
    await this.model.updateOne(
      { _id: id },
      {
        $set: {
          last_login_at: now,
          failed_logins: 0,
          failed_window_started_at: null,
          locked_until: null,
        },
      },
    );
  }

  async markDeleted(id: string): Promise<UserRecord | null> {
    return this.update(id, { status: 'deleted' as UserStatus });
  }
}
