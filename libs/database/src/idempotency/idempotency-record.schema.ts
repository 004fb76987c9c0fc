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
  /** Past this the record is treated as absent on read (FerretDB v1 has no TTL indexes). */
  @Prop({ required: true }) expires_at: Date;
  /**
   * UTC hour of `expires_at` ("2026-12-02T05"), for the cleanup job's equality deletes. Records
   * written before this field existed have none: the job never sees them, the read-time expiry
   * check treats them as absent and deletes them when their key comes back.
   */
  @Prop() expires_bucket?: string;
}

export const IdempotencyRecordSchema = SchemaFactory.createForClass(IdempotencyRecordDocument);
IdempotencyRecordSchema.index({ scope: 1, key: 1 }, { unique: true });
IdempotencyRecordSchema.index({ expires_bucket: 1 });
