import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const DELEGATION_STATUSES = ['pending', 'active', 'undelegated', 'failed'] as const;
export type DelegationStatus = (typeof DELEGATION_STATUSES)[number];

/**
 * One delegation the service made (one DelegateResourceContract), the seeds'
 * `resource_delegations`. Amounts are integer SUN in a JS number (exact below 2^53 SUN).
 */
@Schema({
  collection: 'resource_delegations',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class ResourceDelegationDocument {
  @Prop({ required: true, unique: true }) delegation_id: string;
  @Prop({ required: true }) from_address: string;
  @Prop({ required: true }) to_address: string;
  /** `from:to:resource`: every record of one chain delegation, by equality. */
  @Prop({ required: true }) pair: string;
  @Prop({ required: true, enum: ['ENERGY', 'BANDWIDTH'] }) resource: string;
  @Prop({ required: true, validate: Number.isSafeInteger }) amount_sun: number;
  /** What is still delegated of it after undelegations the service settled. */
  @Prop({ required: true, validate: Number.isSafeInteger }) remaining_sun: number;
  @Prop({ required: true }) locked: boolean;
  @Prop({ required: true, default: 0 }) lock_period_blocks: number;
  @Prop({ required: true, enum: DELEGATION_STATUSES }) status: string;
  @Prop({ required: true }) operation_id: string;
  @Prop() transaction_hash?: string;
  @Prop() block_number?: number;
  @Prop() confirmed_at?: Date;
  /** End of the lock (chain time); none for an unlocked delegation. */
  @Prop() expires_at?: Date;
  /** The energy top-up policy that made it, if any. */
  @Prop() policy_id?: string;
  /** Undelegations applied to this record: makes their settlement idempotent. */
  @Prop({ type: [Object], default: [] }) undelegations: { operation_id: string; sun: number }[];
  @Prop() error_code?: string;
  @Prop() error_message?: string;
  @Prop({ type: Object }) requested_by?: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export const ResourceDelegationSchema = SchemaFactory.createForClass(ResourceDelegationDocument);
ResourceDelegationSchema.index({ from_address: 1 });
ResourceDelegationSchema.index({ to_address: 1 });
ResourceDelegationSchema.index({ pair: 1 });
ResourceDelegationSchema.index({ operation_id: 1 });
