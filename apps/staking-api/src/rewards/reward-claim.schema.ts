import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const CLAIM_STATUSES = ['pending', 'confirmed', 'failed'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/**
 * One reward claim (withdrawbalance) and what became of it: created with its operation,
 * confirmed with the amount the chain really withdrew and its pro rata attribution to the
 * account's staking records. Amounts are integer SUN (safe integers).
 */
@Schema({
  collection: 'staking_reward_claims',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class RewardClaimDocument {
  @Prop({ required: true, unique: true }) claim_id: string;
  @Prop({ required: true }) address: string;
  @Prop({ required: true }) operation_id: string;
  @Prop({ required: true, enum: CLAIM_STATUSES }) status: string;
  /** `api` for POST /claim-reward, `policy` for the claim-policy job. */
  @Prop({ required: true }) source: string;
  @Prop({ type: Object }) requested_by?: Record<string, unknown>;
  /** getReward when the claim was requested; the chain withdraws what it holds at execution. */
  @Prop({ required: true, validate: Number.isSafeInteger }) expected_sun: number;
  @Prop({ validate: Number.isSafeInteger }) amount_sun?: number;
  @Prop() energy_sun?: number;
  @Prop() bandwidth_sun?: number;
  @Prop() unattributed_sun?: number;
  @Prop({ type: [Object], default: undefined }) attribution?: { staking_id: string; sun: number }[];
  @Prop() transaction_hash?: string;
  @Prop() block_number?: number;
  @Prop() claimed_at?: Date;
  @Prop() error_code?: string;
  @Prop() error_message?: string;
  /** Compounding (claim policy): freeze the claimed TRX for this resource afterwards. */
  @Prop() compound_resource?: string;
  /**
   * `pending` once the claim is confirmed, `freezing` while its freeze is on the way, then `done`
   * (the freeze confirmed) or `skipped` (refused, or failed every attempt).
   */
  @Prop() compound_state?: string;
  @Prop() compound_attempts?: number;
  @Prop() compound_staking_id?: string;
  @Prop() compound_operation_id?: string;
  @Prop() compound_note?: string;
  /** Set until its settlement has fully applied (reconciliation finds it by equality). */
  @Prop() settling?: boolean;
  created_at: Date;
  updated_at: Date;
}

export const RewardClaimSchema = SchemaFactory.createForClass(RewardClaimDocument);
RewardClaimSchema.index({ address: 1, status: 1 });
RewardClaimSchema.index({ operation_id: 1 });
RewardClaimSchema.index({ settling: 1 });
