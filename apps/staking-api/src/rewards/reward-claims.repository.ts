import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RewardClaimDocument, type ClaimStatus } from './reward-claim.schema.js';

export interface RewardClaim {
  claim_id: string;
  address: string;
  operation_id: string;
  status: ClaimStatus;
  source: 'api' | 'policy';
  requested_by?: Record<string, unknown>;
  expected_sun: number;
  amount_sun?: number;
  energy_sun?: number;
  bandwidth_sun?: number;
  unattributed_sun?: number;
  attribution?: { staking_id: string; sun: number }[];
  transaction_hash?: string;
  block_number?: number;
  claimed_at?: Date;
  error_code?: string;
  error_message?: string;
  compound_resource?: 'ENERGY' | 'BANDWIDTH';
  compound_state?: 'pending' | 'freezing' | 'done' | 'skipped';
  compound_attempts?: number;
  compound_staking_id?: string;
  compound_operation_id?: string;
  compound_note?: string;
  settling?: boolean;
  created_at: Date;
  updated_at: Date;
}

const NO_ID = { _id: 0 } as const;
const withoutId = (doc: (RewardClaim & { _id?: unknown }) | null): RewardClaim | null => {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return rest;
};

/** Reward claims; every lookup is an equality on an indexed field. */
@Injectable()
export class RewardClaimsRepository {
  constructor(
    @InjectModel(RewardClaimDocument.name) private readonly model: Model<RewardClaimDocument>,
  ) {}

  async insert(claim: Omit<RewardClaim, 'created_at' | 'updated_at'>): Promise<RewardClaim> {
    const created = await this.model.create(claim as unknown as RewardClaimDocument);
    return withoutId(created.toObject() as unknown as RewardClaim)!;
  }

  findById(claimId: string): Promise<RewardClaim | null> {
    return this.model.findOne({ claim_id: claimId }, NO_ID).lean<RewardClaim>().exec();
  }

  /** An address's claims still waiting on their operation (at most one in practice). */
  pendingFor(address: string): Promise<RewardClaim[]> {
    return this.model
      .find({ address, status: 'pending' }, NO_ID)
      .limit(10)
      .lean<RewardClaim[]>()
      .exec();
  }

  /** Conditional update: applies only while the claim is in `from` (null: any status). */
  async update(
    claimId: string,
    from: ClaimStatus | null,
    set: Partial<RewardClaim>,
    unset: (keyof RewardClaim)[] = [],
  ): Promise<RewardClaim | null> {
    const update: Record<string, unknown> = { $set: set };
    if (unset.length) update.$unset = Object.fromEntries(unset.map((k) => [k, '']));
    return withoutId(
      await this.model
        .findOneAndUpdate({ claim_id: claimId, ...(from ? { status: from } : {}) }, update, {
          returnDocument: 'after',
        })
        .lean<RewardClaim & { _id?: unknown }>()
        .exec(),
    );
  }

  /** Moves the compounding step on, only from the state the caller read. */
  async moveCompound(
    claimId: string,
    from: RewardClaim['compound_state'],
    set: Partial<RewardClaim>,
  ): Promise<RewardClaim | null> {
    return withoutId(
      await this.model
        .findOneAndUpdate(
          { claim_id: claimId, compound_state: from },
          { $set: set },
          { returnDocument: 'after' },
        )
        .lean<RewardClaim & { _id?: unknown }>()
        .exec(),
    );
  }

  findSettling(limit: number): Promise<RewardClaim[]> {
    return this.model.find({ settling: true }, NO_ID).limit(limit).lean<RewardClaim[]>().exec();
  }
}
