import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { OPERATION_STATES, type OperationState } from './operation.types.js';

@Schema({
  collection: 'operations',
  versionKey: false,
  _id: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class OperationDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) kind: string;
  @Prop({ required: true, enum: ['custodial', 'unsigned'] }) mode: string;
  @Prop({ type: String, required: true, enum: OPERATION_STATES }) state: OperationState;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) params: Record<string, unknown>;
  @Prop({ required: true }) owner_address: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) subject?: { type: string; id: string };
  @Prop({ required: true }) idempotency_scope: string;
  @Prop({ required: true }) idempotency_key: string;
  @Prop({ required: true }) request_hash: string;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) requested_by: Record<string, unknown>;
  @Prop() request_id?: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) unsigned_tx?: Record<string, unknown>;
  @Prop({ type: MongooseSchema.Types.Mixed }) signed_tx?: Record<string, unknown>;
  @Prop() txid?: string;
  @Prop() expiration?: number;
  @Prop() block_number?: number;
  @Prop() block_timestamp?: number;
  @Prop() included_at?: Date;
  @Prop() confirmed_at?: Date;
  @Prop() fee_sun?: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) result?: Record<string, unknown>;
  @Prop({ type: MongooseSchema.Types.Mixed }) error?: Record<string, unknown>;
  @Prop({ default: 0 }) broadcast_attempts: number;
  @Prop({ type: String }) tracking?: string;
  @Prop() open_owner?: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) reservation?: Record<string, unknown>;
  @Prop({ type: MongooseSchema.Types.Mixed }) compliance?: Record<string, unknown>;
  @Prop() idempotency_expires_at?: Date;
  @Prop() settlement_pending?: boolean;
  @Prop() settled_at?: Date;
  @Prop() settled_day?: string;
  @Prop() details_pruned_at?: Date;
  @Prop() released_idempotency_key?: string;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) history: Record<string, unknown>[];
  created_at: Date;
  updated_at: Date;
}

export const OperationSchema = SchemaFactory.createForClass(OperationDocument);
// Exactly-once gate: a repeated Idempotency-Key (any replica) finds the first operation.
OperationSchema.index({ idempotency_scope: 1, idempotency_key: 1 }, { unique: true });
// Hot paths read by equality only (DESIGN.md §4): the tracker by lane, writes by open owner,
// reconciliation by the pending-settlement flag.
OperationSchema.index({ tracking: 1 });
OperationSchema.index({ open_owner: 1 });
OperationSchema.index({ settlement_pending: 1 });
OperationSchema.index({ state: 1 });
OperationSchema.index({ owner_address: 1, created_at: -1 });
OperationSchema.index({ txid: 1 });
// The details cleanup finds settled operations past the retention by their settlement day.
OperationSchema.index({ settled_day: 1 });
