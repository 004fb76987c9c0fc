import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Maintained counts of records by state, one document per area (`_id`: `approvals`,
 * `incidents`): every state change of a record adds −1 to the state it left and +1 to the one
 * it entered, in the same code path that makes the change. The fields are state names (and
 * `<status>_<severity>` for incidents), so they are not declared one by one. The gauges
 * `staking_approvals_pending` and `staking_incidents_open` read them: never a count (DESIGN §4).
 * `version` moves with every increment; the hourly recount (StateCountersRepairJob) overwrites
 * a document only if it did not move since it was read.
 */
@Schema({ collection: 'state_counters', versionKey: false, strict: false })
export class StateCounterDocument {
  @Prop({ type: String }) _id: string;
  @Prop() version?: number;
  @Prop() updated_at?: Date;
  @Prop() repaired_at?: Date;
}

export const StateCounterSchema = SchemaFactory.createForClass(StateCounterDocument);
