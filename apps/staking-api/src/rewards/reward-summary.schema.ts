import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export interface ClaimHistoryEntry {
  claim_id: string;
  amount_sun: number;
  energy_sun: number;
  bandwidth_sun: number;
  transaction_hash?: string;
  block_number?: number;
  claimed_at: Date;
  source: string;
}

/**
 * `staking_rewards`: the seeds' RewardInfo per address (energy_reward, bandwidth_reward,
 * total_reward, last_reward_time, claim history), maintained on every confirmed claim so the
 * per-address view is one equality lookup. `claim_ids` is the once-only marker of each claim;
 * `history` keeps the newest claims (policy `rewards.history_size`).
 */
@Schema({
  collection: 'staking_rewards',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class RewardSummaryDocument {
  @Prop({ required: true, unique: true }) address: string;
  @Prop({ default: 0 }) total_reward_sun: number;
  @Prop({ default: 0 }) energy_reward_sun: number;
  @Prop({ default: 0 }) bandwidth_reward_sun: number;
  @Prop({ default: 0 }) claims_count: number;
  @Prop() last_reward_time?: Date;
  @Prop({ type: [Object], default: [] }) history: ClaimHistoryEntry[];
  @Prop({ type: [String], default: [] }) claim_ids: string[];
  created_at: Date;
  updated_at: Date;
}

export const RewardSummarySchema = SchemaFactory.createForClass(RewardSummaryDocument);
