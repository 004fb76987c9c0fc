import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const ALERT_CHANNELS = ['email', 'slack', 'webhook'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** The outbox: one alert per incident, escalation level and channel, sent and retried by the job. */
@Schema({
  collection: 'compliance_alerts',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class AlertDocument {
  /** `incident:level:channel`: queuing the same alert twice inserts nothing. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) incident_id: string;
  @Prop({ required: true }) level: number;
  @Prop({ type: String, required: true, enum: ALERT_CHANNELS }) channel: AlertChannel;
  @Prop({ required: true, enum: ['pending', 'sent', 'failed'] }) state: string;
  @Prop({ required: true }) subject: string;
  @Prop({ required: true }) text: string;
  @Prop({ default: 0 }) attempts: number;
  @Prop({ required: true }) next_attempt_at: Date;
  @Prop() sent_at?: Date;
  @Prop() last_error?: string;
  created_at: Date;
  updated_at: Date;
}

export const AlertSchema = SchemaFactory.createForClass(AlertDocument);
AlertSchema.index({ state: 1 });
AlertSchema.index({ incident_id: 1 });
