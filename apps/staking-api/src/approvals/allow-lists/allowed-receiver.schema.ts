import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

@Schema({
  collection: 'allowed_receivers',
  versionKey: false,
  _id: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class AllowedReceiverDocument {
  /** `<owner>:<receiver>`: one entry per pair, found by equality. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) owner_address: string;
  @Prop({ required: true }) receiver_address: string;
  @Prop() label?: string;
  @Prop({ required: true }) active_from: Date;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) added_by: Record<string, unknown>;
}

export const AllowedReceiverSchema = SchemaFactory.createForClass(AllowedReceiverDocument);
AllowedReceiverSchema.index({ owner_address: 1 });

/**
 * Per-owner allow-list state: how many entries its list holds, maintained on every addition and
 * removal, so "is this owner restricted at all?" is one equality lookup by `_id`, never a count.
 */
@Schema({ collection: 'allow_list_states', versionKey: false, _id: false })
export class AllowListStateDocument {
  /** The owner's Base58 address. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true, default: 0 }) entries: number;
}

export const AllowListStateSchema = SchemaFactory.createForClass(AllowListStateDocument);
