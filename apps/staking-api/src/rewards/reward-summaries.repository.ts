import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RewardSummaryDocument, type ClaimHistoryEntry } from './reward-summary.schema.js';

export interface RewardSummary {
  address: string;
  total_reward_sun: number;
  energy_reward_sun: number;
  bandwidth_reward_sun: number;
  claims_count: number;
  last_reward_time?: Date;
  history: ClaimHistoryEntry[];
  claim_ids: string[];
}

const DUPLICATE_KEY = 11000;
const ATTEMPTS = 5;

/** `staking_rewards`: one document per address, read and written by `address` alone. */
@Injectable()
export class RewardSummariesRepository {
  constructor(
    @InjectModel(RewardSummaryDocument.name)
    private readonly model: Model<RewardSummaryDocument>,
  ) {}

  findByAddress(address: string): Promise<RewardSummary | null> {
    return this.model.findOne({ address }, { _id: 0 }).lean<RewardSummary>().exec();
  }

  /**
   * Adds a confirmed claim to the address's totals and history, once: the write is conditional
   * on the claim count read (so the capped history is computed from the document it replaces)
   * and on the claim not being in `claim_ids` yet. Returns false when it was already applied.
   */
  async applyClaim(
    address: string,
    entry: ClaimHistoryEntry,
    historySize: number,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const doc = await this.findByAddress(address);
      if (doc?.claim_ids.includes(entry.claim_id)) return false;
      const history = [entry, ...(doc?.history ?? [])]
        .sort((a, b) => new Date(b.claimed_at).getTime() - new Date(a.claimed_at).getTime())
        .slice(0, historySize);
      const last =
        doc?.last_reward_time && new Date(doc.last_reward_time) > entry.claimed_at
          ? doc.last_reward_time
          : entry.claimed_at;
      if (!doc) {
        try {
          await this.model.create([
            {
              address,
              total_reward_sun: entry.amount_sun,
              energy_reward_sun: entry.energy_sun,
              bandwidth_reward_sun: entry.bandwidth_sun,
              claims_count: 1,
              last_reward_time: entry.claimed_at,
              history,
              claim_ids: [entry.claim_id],
            },
          ]);
          return true;
        } catch (error) {
          if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
          continue; // Created meanwhile: read it again.
        }
      }
      const res = await this.model
        .updateOne(
          { address, claims_count: doc.claims_count, claim_ids: { $ne: entry.claim_id } },
          {
            $inc: {
              total_reward_sun: entry.amount_sun,
              energy_reward_sun: entry.energy_sun,
              bandwidth_reward_sun: entry.bandwidth_sun,
              claims_count: 1,
            },
            $set: { history, last_reward_time: last },
            $push: { claim_ids: entry.claim_id },
          },
        )
        .exec();
      if (res.modifiedCount === 1) return true;
    }
    throw new Error(`staking_rewards of ${address} kept changing; the claim is retried later`);
  }
}
