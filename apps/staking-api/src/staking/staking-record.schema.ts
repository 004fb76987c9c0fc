import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { STAKING_STATUSES } from './dto/staking-read.dto.js';

// Amounts are integer SUN in a JS number: exact below 2^53 SUN (9 billion TRX), far above the
// policy's 10 M TRX per stake, and summable by the database for stats.
@Schema({
  collection: 'staking_records',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class StakingRecordDocument {
  @Prop({ required: true, unique: true }) staking_id: string;
  @Prop({ required: true }) address: string;
  @Prop({ required: true, validate: Number.isSafeInteger }) amount_sun: number;
  @Prop({ required: true }) duration_days: number;
  @Prop({ required: true, enum: ['ENERGY', 'BANDWIDTH'] }) resource: string;
  @Prop({ required: true, enum: STAKING_STATUSES }) status: string;
  @Prop({ required: true, default: 'freeze' }) operation_type: string;
  @Prop({ required: true }) operation_id: string;
  @Prop() transaction_hash?: string;
  @Prop() block_number?: number;
  @Prop() confirmed_at?: Date;
  @Prop() expires_at?: Date;
  @Prop() unstake_operation_id?: string;
  @Prop() unstake_transaction_hash?: string;
  @Prop() unstaked_at?: Date;
  @Prop() unfreeze_available_at?: Date;
  @Prop() withdraw_operation_id?: string;
  @Prop() withdrawn_at?: Date;
  @Prop({ default: 0 }) rewards_earned_sun: number;
  /** Claim ids already attributed (rewards module): the once-only marker of addRewards. */
  @Prop({ type: [String], default: undefined }) reward_claims?: string[];
  @Prop() error_code?: string;
  @Prop() error_message?: string;
  @Prop({ type: Object }) requested_by?: Record<string, unknown>;
  @Prop() settling?: boolean;
  @Prop() settling_operation_id?: string;
  @Prop() split_from?: string;
  @Prop() cancel_operation_id?: string;
  /** `holding:<hour>` / `withdraw:<hour>`: where the jobs find the record (record-bookkeeping.ts). */
  @Prop() due?: string;
  created_at: Date;
  updated_at: Date;
}

export const StakingRecordSchema = SchemaFactory.createForClass(StakingRecordDocument);
StakingRecordSchema.index({ address: 1, status: 1, created_at: -1 });
StakingRecordSchema.index({ created_at: -1 });
StakingRecordSchema.index({ due: 1 });
StakingRecordSchema.index({ unstake_operation_id: 1 });
StakingRecordSchema.index({ settling: 1 });
StakingRecordSchema.index({ operation_id: 1 });
