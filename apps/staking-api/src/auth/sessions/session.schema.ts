import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A sign-in session: the family of refresh tokens (and the access tokens issued with them)
 * that began with one login. Revoking it ends every token of the family at once.
 */
@Schema({ collection: 'auth_sessions', versionKey: false })
export class Session {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true, index: true }) user_id: string;
  @Prop({ required: true }) created_at: Date;
  @Prop({ required: true }) expires_at: Date;
  /** The hour the cleanup job deletes it in (expiry + grace): an equality, not a date range. */
  @Prop({ index: true }) delete_bucket?: string;
  @Prop({ type: Date, default: null }) revoked_at: Date | null;
  @Prop({ type: String, default: null }) revoked_reason: string | null;
}

export const SessionSchema = SchemaFactory.createForClass(Session);

export interface SessionRecord {
  id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}
