import type { EncryptedKey } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ManagedAccountDocument } from './managed-account.schema.js';

export interface ManagedAccount {
  address: string;
  label: string;
  kyc_profile_id?: string;
  origin: 'generated' | 'imported';
  created_by?: { kind: string; id: string };
  created_at: Date;
  updated_at: Date;
}

const PUBLIC_FIELDS = { encrypted_key: 0, _id: 0 } as const;

/** Managed accounts. Reads for answers never load the key envelope. */
@Injectable()
export class ManagedAccountsRepository {
  constructor(
    @InjectModel(ManagedAccountDocument.name) private readonly model: Model<ManagedAccountDocument>,
  ) {}

  async insert(
    account: Omit<ManagedAccount, 'created_at' | 'updated_at'> & { encrypted_key: EncryptedKey },
  ): Promise<ManagedAccount> {
    await this.model.create(account as unknown as ManagedAccountDocument);
    return (await this.findByAddress(account.address))!;
  }

  async findByAddress(address: string): Promise<ManagedAccount | null> {
    return this.model.findOne({ address }, PUBLIC_FIELDS).lean<ManagedAccount>().exec();
  }

  async setProfile(address: string, kycProfileId: string | null): Promise<ManagedAccount | null> {
    // updateOne + read: FerretDB's findAndModify takes no projection (the key must stay out).
    const res = await this.model
      .updateOne(
        { address },
        kycProfileId === null
          ? { $unset: { kyc_profile_id: 1 } }
          : { $set: { kyc_profile_id: kycProfileId } },
      )
      .exec();
    return res.matchedCount === 1 ? this.findByAddress(address) : null;
  }

  async exists(address: string): Promise<boolean> {
    return (await this.model.exists({ address })) !== null;
  }

  async list(skip: number, limit: number): Promise<{ items: ManagedAccount[]; total: number }> {
    const [items, total] = await Promise.all([
      this.model
        .find({}, PUBLIC_FIELDS)
        .sort({ created_at: -1 })
        .skip(skip)
        .limit(limit)
        .lean<ManagedAccount[]>()
        .exec(),
      this.model.countDocuments().exec(),
    ]);
    return { items, total };
  }

  async keyOf(address: string): Promise<EncryptedKey | null> {
    const doc = await this.model
      .findOne({ address }, { encrypted_key: 1 })
      .lean<{ encrypted_key: EncryptedKey }>()
      .exec();
    return doc?.encrypted_key ?? null;
  }

  /** Every managed address with its label (start-up sync of resource monitoring; never a key). */
  async *addresses(): AsyncGenerator<{ address: string; label: string }> {
    for await (const doc of this.model
      .find({}, { address: 1, label: 1 })
      .lean<{ address: string; label: string }>()
      .cursor()) {
      yield { address: doc.address, label: doc.label };
    }
  }

  /** Every address with its envelope, for re-encryption under a new master secret. */
  async *allKeys(): AsyncGenerator<{ address: string; encrypted_key: EncryptedKey }> {
    for await (const doc of this.model
      .find({}, { address: 1, encrypted_key: 1 })
      .lean<{ address: string; encrypted_key: EncryptedKey }>()
      .cursor()) {
      yield doc;
    }
  }

  /** Replaces an envelope only if it is still the one read (no lost update during rotation). */
  async replaceKey(address: string, previous: EncryptedKey, next: EncryptedKey): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { address, 'encrypted_key.ciphertext': previous.ciphertext },
        { $set: { encrypted_key: next } },
      )
      .exec();
    return res.modifiedCount === 1;
  }
}
