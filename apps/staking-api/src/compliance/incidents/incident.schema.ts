import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

@Schema({
  collection: 'compliance_incidents',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class IncidentDocument {
  /** Derived from what happened (type + subject + window) so a repeat opens no second incident. */
  @Prop({ type: String, required: true }) _id: string;
  /** A type of the policy's incident_response.incidents (sanctions_hit, high_velocity, …). */
  @Prop({ required: true }) type: string;
  @Prop({ type: String, required: true, enum: INCIDENT_SEVERITIES }) severity: IncidentSeverity;
  @Prop({ type: String, required: true, enum: INCIDENT_STATUSES }) status: IncidentStatus;
  @Prop({ required: true }) summary: string;
  /** What it is about: an address, a profile id, a list. */
  @Prop() subject?: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) details?: Record<string, unknown>;
  @Prop() assignee?: string;
  /** The escalation level whose alerts have been queued (0 = none yet). */
  @Prop({ default: 0 }) escalation_level: number;
  @Prop() acknowledged_by?: string;
  @Prop() acknowledged_at?: Date;
  @Prop() resolved_by?: string;
  @Prop() resolved_at?: Date;
  @Prop() resolution?: string;
  created_at: Date;
  updated_at: Date;
}

export const IncidentSchema = SchemaFactory.createForClass(IncidentDocument);
IncidentSchema.index({ status: 1 });
IncidentSchema.index({ type: 1 });
IncidentSchema.index({ created_at: -1 });
