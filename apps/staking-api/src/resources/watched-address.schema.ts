import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export type AlertArm = 'armed' | 'fired';

/**
 * One monitored address: a watched address (POST /watched-addresses), a managed account, or both.
 * `slot` is the refresh job's equality bucket (a hash of the address); the alert fields are the
 * per-resource hysteresis state, changed only by conditional updates so replicas fire once.
 */
@Schema({ collection: 'watched_addresses', versionKey: false })
export class WatchedAddressDocument {
  /** The Base58 address. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true, index: true }) slot: number;
  @Prop({ required: true }) watched: boolean;
  @Prop({ required: true }) managed: boolean;
  @Prop() label?: string;
  @Prop() energy_floor?: number;
  @Prop() bandwidth_floor?: number;
  @Prop({ type: String, required: true, default: 'armed' }) energy_alert: AlertArm;
  @Prop({ required: true, default: 0 }) energy_alert_seq: number;
  @Prop({ type: String, required: true, default: 'armed' }) bandwidth_alert: AlertArm;
  @Prop({ required: true, default: 0 }) bandwidth_alert_seq: number;
  @Prop() created_by?: string;
  @Prop({ required: true }) created_at: Date;
}

export const WatchedAddressSchema = SchemaFactory.createForClass(WatchedAddressDocument);
