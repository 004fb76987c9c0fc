import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

@Schema({ collection: 'idempotency_records', versionKey: false })
export class IdempotencyRecordDocument {
  @Prop({ required: true }) scope: string;
  @Prop({ required: true }) key: string;
  @Prop({ required: true }) request_hash: string;
  @Prop({ required: true }) status_code: number;
  @Prop({ type: MongooseSchema.Types.Mixed }) body: unknown;
  @Prop({ required: true }) created_at: Date;
  /** FerretDB v1 has no TTL indexes: the cleanup job deletes past this. */
  @Prop({ required: true }) expires_at: Date;
}

export const IdempotencyRecordSchema = SchemaFactory.createForClass(IdempotencyRecordDocument);
IdempotencyRecordSchema.index({ scope: 1, key: 1 }, { unique: true });
IdempotencyRecordSchema.index({ expires_at: 1 });
