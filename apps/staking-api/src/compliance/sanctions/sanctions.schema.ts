import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One address or name of a listed party, in one version (load) of one list. */
@Schema({ collection: 'screening_entries', versionKey: false })
export class ScreeningEntryDocument {
  /** The list: a configured source (e.g. `ofac-sdn-csv`) or `pep`. */
  @Prop({ required: true }) list: string;
  @Prop({ required: true }) version: string;
  @Prop({ required: true, enum: ['address', 'name'] }) kind: string;
  /** Base58 TRON address: the equality key of the write path. */
  @Prop() address?: string;
  @Prop() name?: string;
  @Prop({ required: true }) ref: string;
  @Prop({ required: true }) label: string;
  /** The party's primary name, for answers about an address or alias. */
  @Prop() party?: string;
  @Prop() country?: string;
}

export const ScreeningEntrySchema = SchemaFactory.createForClass(ScreeningEntryDocument);
ScreeningEntrySchema.index({ address: 1 });
ScreeningEntrySchema.index({ kind: 1 });
ScreeningEntrySchema.index({ version: 1 });

/** One load of a list: what was fetched, how much, its checksum and whether it is in force. */
@Schema({ collection: 'screening_list_loads', versionKey: false })
export class ListLoadDocument {
  @Prop({ required: true, unique: true }) load_id: string;
  @Prop({ required: true }) list: string;
  @Prop({ required: true }) kind: string;
  /** The location without credentials or query string. */
  @Prop({ required: true }) location: string;
  @Prop({ required: true }) fetched_at: Date;
  @Prop({ required: true, enum: ['active', 'superseded', 'unchanged', 'rejected'] })
  status: string;
  @Prop({ default: 0 }) parties: number;
  @Prop({ default: 0 }) entries: number;
  @Prop() checksum?: string;
  @Prop() reason?: string;
  @Prop() trigger?: string;
}

export const ListLoadSchema = SchemaFactory.createForClass(ListLoadDocument);
ListLoadSchema.index({ list: 1 });

/** The version of each list in force (one document per list). */
@Schema({ collection: 'screening_lists', versionKey: false })
export class ScreeningListDocument {
  @Prop({ required: true, unique: true }) list: string;
  @Prop({ required: true }) version: string;
  @Prop({ required: true }) entries: number;
  @Prop({ required: true }) checksum: string;
  @Prop({ required: true }) activated_at: Date;
}

export const ScreeningListSchema = SchemaFactory.createForClass(ScreeningListDocument);
