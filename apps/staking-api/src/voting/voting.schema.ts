import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

const voteEntry = { _id: false, witness: String, count: Number };

/**
 * One change of an account's votes: a confirmed vote/unvote/re-vote operation, or a change the
 * service observed on chain (an unfreeze scales votes down). Filed by `page_key`
 * (`<address>:<page>`, HISTORY_PAGE_SIZE entries a page) so the newest entries are read by
 * equality, never by sorting the collection.
 */
@Schema({ collection: 'voting_history', versionKey: false })
export class VotingHistoryDocument {
  @Prop({ type: String }) _id: string;
  @Prop({ required: true }) address: string;
  @Prop({ required: true }) page_key: string;
  @Prop({ required: true }) seq: number;
  @Prop({ required: true }) kind: string;
  @Prop({ type: [voteEntry], default: [] }) votes: { witness: string; count: number }[];
  @Prop({ type: [voteEntry], default: [] }) previous_votes: { witness: string; count: number }[];
  @Prop() operation_id?: string;
  @Prop() txid?: string;
  @Prop() block_number?: number;
  @Prop({ type: Object }) actor?: Record<string, unknown>;
  @Prop({ required: true }) at: Date;
}

export const VotingHistorySchema = SchemaFactory.createForClass(VotingHistoryDocument);
VotingHistorySchema.index({ page_key: 1 });

/** Per address (`_id`): the votes the service last knew of and the history's sequence. */
@Schema({ collection: 'voting_accounts', versionKey: false })
export class VotingAccountDocument {
  @Prop({ type: String }) _id: string;
  @Prop({ type: [voteEntry], default: [] }) last_votes: { witness: string; count: number }[];
  @Prop({ default: 0 }) seq: number;
  @Prop() updated_at?: Date;
}

export const VotingAccountSchema = SchemaFactory.createForClass(VotingAccountDocument);

/** A managed account's vote policy (`_id` = address); the job finds them by `enabled`. */
@Schema({
  collection: 'vote_policies',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class VotePolicyDocument {
  @Prop({ type: String }) _id: string;
  @Prop({ required: true, enum: ['fixed', 'best_apr'] }) strategy: string;
  @Prop({ type: [String], default: [] }) witnesses: string[];
  @Prop({ type: [String], default: [] }) allowed: string[];
  @Prop({ required: true }) keep_fully_voted: boolean;
  @Prop({ required: true }) enabled: boolean;
  @Prop({ type: Object }) updated_by?: Record<string, unknown>;
  @Prop() last_run_at?: Date;
  @Prop() last_operation_id?: string;
  created_at: Date;
  updated_at: Date;
}

export const VotePolicySchema = SchemaFactory.createForClass(VotePolicyDocument);
VotePolicySchema.index({ enabled: 1 });
