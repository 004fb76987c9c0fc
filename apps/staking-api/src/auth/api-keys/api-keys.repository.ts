import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model, type Types } from 'mongoose';
import { ApiKey, type ApiKeyRecord } from './api-key.schema.js';

type ApiKeyDoc = Omit<ApiKeyRecord, 'id' | 'expires_at'> & {
  _id: Types.ObjectId;
  expires_at?: Date | null; // absent on keys created before keys could expire
};
const toRecord = ({ _id, expires_at, ...rest }: ApiKeyDoc): ApiKeyRecord => ({
  id: _id.toHexString(),
  ...rest,
  expires_at: expires_at ?? null,
});

@Injectable()
export class ApiKeysRepository implements OnModuleInit {
  constructor(@InjectModel(ApiKey.name) private readonly model: Model<ApiKey>) {}

  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  async create(
    key: Omit<ApiKeyRecord, 'id' | 'revoked_at' | 'last_used_at'>,
  ): Promise<ApiKeyRecord> {
    const doc = await this.model.create({ ...key, revoked_at: null, last_used_at: null });
    return toRecord(doc.toObject() as ApiKeyDoc);
  }

  async findById(id: string): Promise<ApiKeyRecord | null> {
    if (!isValidObjectId(id)) return null;
    const doc = await this.model.findOne({ _id: id }).lean<ApiKeyDoc>();
    return doc ? toRecord(doc) : null;
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const doc = await this.model.findOne({ key_hash: keyHash }).lean<ApiKeyDoc>();
    return doc ? toRecord(doc) : null;
  }

  async list(skip: number, limit: number): Promise<{ items: ApiKeyRecord[]; total: number }> {
    const [docs, total] = await Promise.all([
      this.model.find().sort({ _id: 1 }).skip(skip).limit(limit).lean<ApiKeyDoc[]>(),
      this.model.countDocuments(),
    ]);
    return { items: docs.map(toRecord), total };
  }

  /** Revokes the key (idempotent: the first revocation time is kept). */
  async revoke(id: string, now: Date): Promise<ApiKeyRecord | null> {
    if (!isValidObjectId(id)) return null;
    await this.model.updateOne({ _id: id, revoked_at: null }, { $set: { revoked_at: now } });
    const doc = await this.model.findById(id).lean<ApiKeyDoc>();
    return doc ? toRecord(doc) : null;
  }

  /**
   * Records a use at most once per `resolutionMs` (one write a minute, not one per request).
   * True when this call updated it — the caller audits the use then.
   */
  async touch(id: string, now: Date, resolutionMs: number): Promise<boolean> {
    const before = new Date(now.getTime() - resolutionMs);
    const result = await this.model.updateOne(
      { _id: id, $or: [{ last_used_at: null }, { last_used_at: { $lt: before } }] },
      { $set: { last_used_at: now } },
    );
    return result.modifiedCount === 1;
  }
}
