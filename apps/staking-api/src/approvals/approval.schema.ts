import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

export const APPROVAL_STATUSES = [
  'pending',
  'approved',
  'executed',
  'rejected',
  'expired',
  'failed',
] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

@Schema({
  collection: 'approvals',
  versionKey: false,
  _id: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class ApprovalDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ type: String, required: true, enum: APPROVAL_STATUSES }) status: ApprovalStatus;
  /** Bumped by every decision: each update is conditional on the version it read. */
  @Prop({ required: true }) version: number;
  @Prop({ required: true }) rule: string;
  @Prop({ required: true }) required_approvals: number;
  @Prop({ required: true }) timeout_hours: number;
  @Prop({ required: true }) operation_id: string;
  @Prop({ required: true }) operation_kind: string;
  @Prop({ required: true }) owner_address: string;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) requester: Record<string, unknown>;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) request: Record<string, unknown>;
  @Prop({ required: true }) request_hash: string;
  @Prop({ required: true }) facts_hash: string;
  @Prop({ type: [String], default: undefined }) reasons?: string[];
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) effect: Record<string, unknown>;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) decisions: Record<string, unknown>[];
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) history: Record<string, unknown>[];
  @Prop({ required: true }) expires_at: Date;
  @Prop({ type: MongooseSchema.Types.Mixed }) failure?: Record<string, unknown>;
  /** UTC day it reached an ended status (executed, rejected, expired, failed): the cleanup bucket. */
  @Prop() ended_day?: string;
}

export const ApprovalSchema = SchemaFactory.createForClass(ApprovalDocument);
// Every access is an equality: by status (lists, the expiry job), by operation (repeats).
ApprovalSchema.index({ status: 1 });
ApprovalSchema.index({ operation_id: 1 }, { unique: true });
// The cleanup job finds ended approvals past the retention by an equality on their end day.
ApprovalSchema.index({ ended_day: 1 });
