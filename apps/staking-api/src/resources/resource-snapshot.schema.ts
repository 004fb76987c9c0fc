import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/** One refresh of an address, compact: the figures a history point is made from. */
export interface ResourceSample {
  /** Unix ms of the refresh. */
  t: number;
  energy_limit: number;
  energy_available: number;
  bandwidth_limit: number;
  bandwidth_available: number;
  tron_power: number;
}

/**
 * All samples of one address on one UTC day (`_id` = "<address>:<day>"): a history window is a
 * handful of lookups by id, and retention deletes whole days by the `day` equality.
 */
@Schema({ collection: 'resource_snapshots', versionKey: false })
export class ResourceSnapshotDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) address: string;
  @Prop({ required: true, index: true }) day: string;
  @Prop({ required: true, default: 0 }) n: number;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) samples: ResourceSample[];
}

export const ResourceSnapshotSchema = SchemaFactory.createForClass(ResourceSnapshotDocument);
