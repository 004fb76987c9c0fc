import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

export const KYC_LEVELS = ['none', 'basic', 'intermediate', 'advanced'] as const;
export type KycLevel = (typeof KYC_LEVELS)[number];
export const KYC_STATUSES = ['pending', 'verified', 'rejected', 'expired'] as const;
export type KycStatus = (typeof KYC_STATUSES)[number];

@Schema({
  collection: 'kyc_profiles',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class KycProfileDocument {
  @Prop({ required: true, unique: true }) profile_id: string;
  @Prop({ required: true }) name: string;
  @Prop({ required: true, enum: ['customer', 'platform'] }) kind: string;
  @Prop({ type: String, required: true, enum: KYC_LEVELS }) level: KycLevel;
  @Prop({ type: String, required: true, enum: KYC_STATUSES }) status: KycStatus;
  @Prop() country?: string;
  @Prop() verified_at?: Date;
  @Prop() expires_at?: Date;
  /** References to documents held elsewhere (type + id), never their content. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) document_refs: Record<
    string,
    unknown
  >[];
  /** The last name screening (sanctions and PEP), read by the write decision instead of redoing it. */
  @Prop({ type: MongooseSchema.Types.Mixed }) screening?: Record<string, unknown>;
  /** Day (YYYY-MM-DD) of the next periodic re-screen: the job finds profiles by equality on it. */
  @Prop({ required: true }) review_due: string;
  created_at: Date;
  updated_at: Date;
}

export const KycProfileSchema = SchemaFactory.createForClass(KycProfileDocument);
KycProfileSchema.index({ review_due: 1 });
KycProfileSchema.index({ created_at: -1 });
