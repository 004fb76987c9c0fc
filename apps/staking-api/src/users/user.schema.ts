import { ROLES, type Role } from '@app/common';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const USER_STATUSES = ['active', 'disabled', 'deleted'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

@Schema({
  collection: 'users',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
  versionKey: false,
})
export class User {
  @Prop({ required: true, unique: true }) username: string;
  @Prop({ required: true }) password_hash: string;
  @Prop({ type: String, required: true, enum: ROLES }) role: Role;
  @Prop({ type: String, required: true, enum: USER_STATUSES, default: 'active' })
  status: UserStatus;
  // Failed sign-ins within the current window (policy authentication.lockout).
  @Prop({ type: Number, default: 0 }) failed_logins: number;
  @Prop({ type: Date, default: null }) failed_window_started_at: Date | null;
  @Prop({ type: Date, default: null }) locked_until: Date | null;
  @Prop({ type: Date, default: null }) last_login_at: Date | null;
  @Prop({ type: String, default: null }) created_by: string | null;
}

export const UserSchema = SchemaFactory.createForClass(User);
UserSchema.index({ role: 1, status: 1 });

/** A user as services see it: a plain object, never a mongoose document. */
export interface UserRecord {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  status: UserStatus;
  failed_logins: number;
  failed_window_started_at: Date | null;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}
