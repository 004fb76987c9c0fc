import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One audit entry. `seq` is unique: it is what makes concurrent appends safe (see audit-chain.writer.ts). */
@Schema({ collection: 'audit_logs', versionKey: false })
export class AuditLog {
  @Prop({ required: true, unique: true }) seq: number;
  @Prop({ required: true, index: true }) time: Date;
  @Prop({ required: true, index: true }) action: string;
  @Prop({ type: String, default: null }) resource: string | null;
  @Prop({ type: Object, required: true }) actor: Record<string, unknown>;
  @Prop({ type: String, default: null }) request_id: string | null;
  @Prop({ type: String, default: null }) ip: string | null;
  @Prop({ type: String, default: null }) user_agent: string | null;
  @Prop({ type: String, default: null }) params: string | null;
  @Prop({ type: Object, required: true }) result: Record<string, unknown>;
  @Prop({ required: true }) prev_hash: string;
  @Prop({ required: true }) hash: string;
  /** floor(seq / AUDIT_PAGE_SIZE): the archiver and the verifier read and delete by page. */
  @Prop() page?: number;
}

export const AuditLogSchema = SchemaFactory.createForClass(AuditLog);
AuditLogSchema.index({ 'actor.id': 1 });
AuditLogSchema.index({ page: 1 });

/** The chain's head (last appended seq and hash) and its anchor (last archived seq and hash). */
@Schema({ collection: 'audit_chain', versionKey: false })
export class AuditChainHead {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) seq: number;
  @Prop({ required: true }) hash: string;
  @Prop({ required: true }) archived_seq: number;
  @Prop({ required: true }) archived_hash: string;
  /** Entries up to this seq may predate `page` (written before it existed): read them by seq range. */
  @Prop() unpaged_through?: number;
}

export const AuditChainHeadSchema = SchemaFactory.createForClass(AuditChainHead);
