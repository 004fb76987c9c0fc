import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * An address an account has a confirmed write with (a delegation receiver, a vote target): the
 * novelty lookup of the pattern rule and the risk score is one `_id` equality read.
 */
@Schema({ collection: 'compliance_known_counterparties', versionKey: false })
export class KnownCounterpartyDocument {
  /** `<owner>:<counterparty>`. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) owner: string;
  @Prop({ required: true }) counterparty: string;
  /** The operation that first confirmed a write with it. */
  @Prop({ required: true }) operation_id: string;
  @Prop({ required: true }) kind: string;
  @Prop({ required: true }) first_at: Date;
}

export const KnownCounterpartySchema = SchemaFactory.createForClass(KnownCounterpartyDocument);
