import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ClaimPolicyDocument } from './claim-policy.schema.js';

export interface ClaimPolicy {
  address: string;
  enabled: boolean;
  min_reward_sun: number;
  compound_resource?: 'ENERGY' | 'BANDWIDTH';
  last_claim_id?: string;
  refused_claims?: number;
  updated_by?: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

const NO_ID = { _id: 0 } as const;

@Injectable()
export class ClaimPoliciesRepository {
  constructor(
    @InjectModel(ClaimPolicyDocument.name) private readonly model: Model<ClaimPolicyDocument>,
  ) {}

  findByAddress(address: string): Promise<ClaimPolicy | null> {
    return this.model.findOne({ address }, NO_ID).lean<ClaimPolicy>().exec();
  }

  /** Creates or replaces the policy's settings; the job's own field (last_claim_id) is kept. */
  async upsert(
    address: string,
    settings: Pick<ClaimPolicy, 'enabled' | 'min_reward_sun' | 'compound_resource' | 'updated_by'>,
  ): Promise<ClaimPolicy> {
    const { compound_resource, ...rest } = settings;
    const doc = await this.model
      .findOneAndUpdate(
        { address },
        {
          $set: { ...rest, ...(compound_resource ? { compound_resource } : {}) },
          ...(compound_resource ? {} : { $unset: { compound_resource: '' } }),
        },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<ClaimPolicy & { _id?: unknown }>()
      .exec();
    const { _id, ...policy } = doc!;
    return policy;
  }

  async remove(address: string): Promise<boolean> {
    return (await this.model.deleteOne({ address }).exec()).deletedCount === 1;
  }

  /** Enabled policies, a bounded batch (policy `rewards.claim_policy.job_batch`). */
  enabled(limit: number): Promise<ClaimPolicy[]> {
    return this.model.find({ enabled: true }, NO_ID).limit(limit).lean<ClaimPolicy[]>().exec();
  }

  async countRefusedClaim(address: string): Promise<void> {
    await this.model.updateOne({ address }, { $inc: { refused_claims: 1 } }).exec();
  }

  async setLastClaim(address: string, claimId: string): Promise<void> {
    await this.model.updateOne({ address }, { $set: { last_claim_id: claimId } }).exec();
  }
}
