import { ROLES, type Role } from '@app/common';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A service credential: stored as the SHA-256 of the key, which is shown once at creation. */
@Schema({ collection: 'api_keys', versionKey: false })
export class ApiKey {
  @Prop({ required: true }) name: string;
  @Prop({ type: String, required: true, enum: ROLES }) role: Role;
  @Prop({ required: true, unique: true }) key_hash: string;
  // The first characters, so people can tell keys apart without the secret.
  @Prop({ required: true }) key_prefix: string;
  @Prop({ type: String, default: null }) created_by: string | null;
  @Prop({ required: true }) created_at: Date;
  // null: never expires.
  @Prop({ type: Date, default: null }) expires_at: Date | null;
  @Prop({ type: Date, default: null }) revoked_at: Date | null;
  @Prop({ type: Date, default: null }) last_used_at: Date | null;
}

export const ApiKeySchema = SchemaFactory.createForClass(ApiKey);

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  key_hash: string;
  key_prefix: string;
  created_by: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}
