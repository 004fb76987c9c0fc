import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Maintained totals of the staking records: `_id` is `global` or `address:<base58>`; the
 * counter fields (`count_<status>`, `sun_<status>`, `rewards_<status>`, `staked_<resource>`)
 * are incremented with every record change, so they are not declared one by one.
 * `version` moves with every increment: the repair job overwrites only an unchanged document.
 */
@Schema({ collection: 'staking_counters', versionKey: false, strict: false })
export class StakingCounterDocument {
  @Prop({ type: String }) _id: string;
  @Prop({ default: 0 }) version: number;
  @Prop() updated_at?: Date;
  @Prop() repaired_at?: Date;
}

export const StakingCounterSchema = SchemaFactory.createForClass(StakingCounterDocument);

/**
 * Where a due-bucket job resumes: `_id` is the kind (`holding`, `withdraw`), `next` the
 * earliest hour bucket that may still hold work. Every write that files a record under an
 * earlier bucket lowers it, so no due record is ever behind the cursor.
 */
@Schema({ collection: 'staking_due_cursors', versionKey: false })
export class StakingDueCursorDocument {
  @Prop({ type: String }) _id: string;
  @Prop({ required: true }) next: string;
}

export const StakingDueCursorSchema = SchemaFactory.createForClass(StakingDueCursorDocument);
