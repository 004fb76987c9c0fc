import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** What the top-up job remembers of a policy between ticks. */
export interface EnergyPolicyState {
  /** The operation the last action created, while it is not final: nothing else is done. */
  pending_operation_id?: string;
  pending_action?: 'top_up' | 'reclaim';
  /** Actions taken so far: part of each action's idempotency key. */
  actions: number;
  /** energy + bandwidth usage last seen: a rise means the receiver used its resources. */
  last_usage?: number;
  last_activity_at?: Date;
  /** After an idle reclaim: no top-up until the receiver is seen active again. */
  dormant?: boolean;
  /** Set once when the pool cannot cover a top-up: the alert is raised only then. */
  pool_dry_since?: Date;
  last_checked_at?: Date;
  last_outcome?: string;
}

@Schema({
  collection: 'energy_policies',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class EnergyPolicyDocument {
  @Prop({ required: true, unique: true }) policy_id: string;
  /** `pool:receiver:resource`, unique: one policy per pool, receiver and resource. */
  @Prop({ required: true, unique: true }) key: string;
  @Prop({ required: true }) pool_address: string;
  @Prop({ required: true }) receiver_address: string;
  @Prop({ required: true, enum: ['ENERGY', 'BANDWIDTH'] }) resource: string;
  @Prop({ required: true }) min_available: number;
  @Prop({ required: true }) target_available: number;
  @Prop({ required: true, validate: Number.isSafeInteger }) max_delegated_sun: number;
  @Prop({ required: true, default: 0 }) lock_period: number;
  @Prop() reclaim_idle_hours?: number;
  @Prop({ required: true }) enabled: boolean;
  /** Which of the job's buckets holds it (equality lookups, a bounded batch per bucket). */
  @Prop({ required: true }) bucket: number;
  @Prop({ type: Object, required: true }) state: EnergyPolicyState;
  @Prop({ type: Object }) created_by?: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export const EnergyPolicySchema = SchemaFactory.createForClass(EnergyPolicyDocument);
EnergyPolicySchema.index({ bucket: 1 });
EnergyPolicySchema.index({ pool_address: 1 });
