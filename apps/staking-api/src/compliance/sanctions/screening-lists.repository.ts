import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import {
  ListLoadDocument,
  ScreeningEntryDocument,
  ScreeningListDocument,
} from './sanctions.schema.js';

export interface ScreeningEntry {
  list: string;
  version: string;
  kind: 'address' | 'name';
  address?: string;
  name?: string;
  ref: string;
  label: string;
  party?: string;
  country?: string;
}

export interface ListLoad {
  load_id: string;
  list: string;
  kind: string;
  location: string;
  fetched_at: Date;
  status: 'active' | 'superseded' | 'unchanged' | 'rejected';
  parties: number;
  entries: number;
  checksum?: string;
  reason?: string;
  trigger?: string;
}

export interface ActiveList {
  list: string;
  version: string;
  entries: number;
  checksum: string;
  activated_at: Date;
}

/** Hits an address can have at most in one lookup: bounded even if a list repeats it. */
const MAX_ADDRESS_HITS = 50;
const NO_ID = { _id: 0 } as const;

/** Sanctions and PEP lists: versioned loads, the version in force per list, and their entries. */
@Injectable()
export class ScreeningListsRepository {
  constructor(
    @InjectModel(ScreeningEntryDocument.name)
    private readonly entries: Model<ScreeningEntryDocument>,
    @InjectModel(ListLoadDocument.name) private readonly loads: Model<ListLoadDocument>,
    @InjectModel(ScreeningListDocument.name) private readonly lists: Model<ScreeningListDocument>,
  ) {}

  active(list: string): Promise<ActiveList | null> {
    return this.lists.findOne({ list }, NO_ID).lean<ActiveList>().exec();
  }

  async recordLoad(load: ListLoad): Promise<void> {
    await this.loads.create(load);
  }

  loadsOf(list: string, limit: number): Promise<ListLoad[]> {
    return this.loads.find({ list }, NO_ID).limit(limit).lean<ListLoad[]>().exec();
  }

  async insertEntries(entries: ScreeningEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += 1000)
      await this.entries.insertMany(entries.slice(i, i + 1000), { ordered: false });
  }

  /**
   * Puts `next` in force for its list and drops the entries of the version it replaces. Until the
   * old entries are gone both versions answer, so a lookup never sees an empty list.
   */
  async activate(next: ActiveList, previous: ActiveList | null): Promise<void> {
    await this.lists.updateOne({ list: next.list }, { $set: next }, { upsert: true }).exec();
    if (previous && previous.version !== next.version) {
      await this.entries.deleteMany({ version: previous.version }).exec();
      await this.loads
        .updateOne({ load_id: previous.version }, { $set: { status: 'superseded' } })
        .exec();
    }
  }

  async dropVersion(version: string): Promise<void> {
    await this.entries.deleteMany({ version }).exec();
  }

  /** The write path's lookup: equality on the indexed address, bounded. */
  byAddress(address: string): Promise<ScreeningEntry[]> {
    return this.entries
      .find({ address }, NO_ID)
      .limit(MAX_ADDRESS_HITS)
      .lean<ScreeningEntry[]>()
      .exec();
  }

  /** Every listed name (off the write path: the name index is built from it once per version). */
  names(): Promise<ScreeningEntry[]> {
    return this.entries.find({ kind: 'name' }, NO_ID).lean<ScreeningEntry[]>().exec();
  }
}
