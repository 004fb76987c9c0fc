import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** An account's automatic claim: the claim-policy job finds enabled ones by equality. */
@Schema({
  collection: 'claim_policies',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class ClaimPolicyDocument {
  @Prop({ required: true, unique: true }) address: string;
  @Prop({ required: true }) enabled: boolean;
  @Prop({ required: true, validate: Number.isSafeInteger }) min_reward_sun: number;
  @Prop({ enum: ['ENERGY', 'BANDWIDTH'] }) compound_resource?: string;
  /** The job's latest claim for this account: it compounds it before claiming again. */
  @Prop() last_claim_id?: string;
  /** Claims of the job the node refused outright: part of the next claim's idempotency key. */
  @Prop() refused_claims?: number;
  @Prop({ type: Object }) updated_by?: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export const ClaimPolicySchema = SchemaFactory.createForClass(ClaimPolicyDocument);
ClaimPolicySchema.index({ enabled: 1 });
