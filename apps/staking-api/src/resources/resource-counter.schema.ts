import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** Maintained totals of the resources module (the watched-address limit needs no count). */
@Schema({ collection: 'resource_counters', versionKey: false })
export class ResourceCounterDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true, default: 0 }) count: number;
}

export const ResourceCounterSchema = SchemaFactory.createForClass(ResourceCounterDocument);
