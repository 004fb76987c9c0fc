import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One refresh token, stored as the SHA-256 of its value. Spent on first use (rotation). */
@Schema({ collection: 'refresh_tokens', versionKey: false })
export class RefreshToken {
  @Prop({ required: true, unique: true }) token_hash: string;
  @Prop({ required: true, index: true }) session_id: string;
  @Prop({ required: true }) user_id: string;
  @Prop({ required: true }) created_at: Date;
  @Prop({ required: true }) expires_at: Date;
  /** The hour the cleanup job deletes it in (expiry + grace): an equality, not a date range. */
  @Prop({ index: true }) delete_bucket?: string;
  @Prop({ type: Date, default: null }) used_at: Date | null;
}

export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshToken);

export interface RefreshTokenRecord {
  token_hash: string;
  session_id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}
