import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/** A one-time data migration that completed on this database (`_id`: its name): it never runs again. */
@Schema({ collection: 'data_migrations', versionKey: false })
export class DataMigrationDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) completed_at: Date;
  /** What it changed (counts per kind of record), for the operator. */
  @Prop({ type: MongooseSchema.Types.Mixed }) result?: Record<string, unknown>;
}

export const DataMigrationSchema = SchemaFactory.createForClass(DataMigrationDocument);
