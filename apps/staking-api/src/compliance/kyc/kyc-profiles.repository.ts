import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { KycProfileDocument, type KycLevel, type KycStatus } from './kyc-profile.schema.js';

export interface NameHit {
  list: string;
  ref: string;
  name: string;
  matched: string;
  similarity: number;
}

export interface ProfileScreening {
  sanctions: NameHit[];
  pep: NameHit[];
  screened_at: Date;
}

export interface KycProfile {
  profile_id: string;
  name: string;
  kind: 'customer' | 'platform';
  level: KycLevel;
  status: KycStatus;
  country?: string;
  verified_at?: Date;
  expires_at?: Date;
  document_refs: { type: string; reference: string }[];
  screening?: ProfileScreening;
  review_due: string;
  created_at: Date;
  updated_at: Date;
}

export type KycProfileFields = Omit<KycProfile, 'created_at' | 'updated_at' | 'screening'>;

const NO_ID = { _id: 0 } as const;

@Injectable()
export class KycProfilesRepository {
  constructor(
    @InjectModel(KycProfileDocument.name) private readonly model: Model<KycProfileDocument>,
  ) {}

  async insert(profile: KycProfileFields): Promise<KycProfile> {
    await this.model.create(profile as unknown as KycProfileDocument);
    return (await this.find(profile.profile_id))!;
  }

  find(profileId: string): Promise<KycProfile | null> {
    return this.model.findOne({ profile_id: profileId }, NO_ID).lean<KycProfile>().exec();
  }

  async update(profileId: string, fields: Partial<KycProfileFields>): Promise<KycProfile | null> {
    const res = await this.model.updateOne({ profile_id: profileId }, { $set: fields }).exec();
    return res.matchedCount === 1 ? this.find(profileId) : null;
  }

  async saveScreening(
    profileId: string,
    screening: ProfileScreening,
    reviewDue: string,
  ): Promise<void> {
    await this.model
      .updateOne({ profile_id: profileId }, { $set: { screening, review_due: reviewDue } })
      .exec();
  }

  async delete(profileId: string): Promise<boolean> {
    return (await this.model.deleteOne({ profile_id: profileId }).exec()).deletedCount === 1;
  }

  /** Profiles due for their periodic re-screen on `day` (equality on the indexed bucket). */
  dueOn(day: string, limit: number): Promise<KycProfile[]> {
    return this.model.find({ review_due: day }, NO_ID).limit(limit).lean<KycProfile[]>().exec();
  }

  /** Every profile, in batches, for a re-screen after a PEP import (off the write path). */
  async *all(batch = 500): AsyncGenerator<KycProfile> {
    for await (const doc of this.model.find({}, NO_ID).batchSize(batch).lean<KycProfile>().cursor())
      yield doc as KycProfile;
  }

  async list(skip: number, limit: number): Promise<{ items: KycProfile[]; total: number }> {
    const [items, total] = await Promise.all([
      this.model
        .find({}, NO_ID)
        .sort({ created_at: -1 })
        .skip(skip)
        .limit(limit)
        .lean<KycProfile[]>()
        .exec(),
      this.model.countDocuments().exec(),
    ]);
    return { items, total };
  }
}
