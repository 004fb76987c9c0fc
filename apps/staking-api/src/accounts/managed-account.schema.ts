import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

@Schema({
  collection: 'managed_accounts',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class ManagedAccountDocument {
  @Prop({ required: true, unique: true }) address: string;
  @Prop({ required: true }) label: string;
  @Prop() kyc_profile_id?: string;
  /** AES-256-GCM envelope; the only place key material exists, and never in clear. */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) encrypted_key: Record<
    string,
    unknown
  >;
  @Prop({ required: true, enum: ['generated', 'imported'] }) origin: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) created_by?: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export const ManagedAccountSchema = SchemaFactory.createForClass(ManagedAccountDocument);
ManagedAccountSchema.index({ created_at: -1 });
