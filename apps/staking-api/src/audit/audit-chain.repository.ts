import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AuditChainHead } from './audit-log.schema.js';
import { GENESIS_HASH } from './chain/audit-entry.js';

const MAIN = 'main';

export interface ChainHead {
  seq: number;
  hash: string;
  archived_seq: number;
  archived_hash: string;
  /** Entries up to this seq may have no `page` (see AuditLogsRepository). */
  unpaged_through: number;
}

// Entries a replica still on the previous version may append during a rolling upgrade.
const UPGRADE_MARGIN = 10_000;

/** The single head document of the audit chain; every change is a compare-and-set on `seq`. */
@Injectable()
export class AuditChainRepository implements OnModuleInit {
  constructor(@InjectModel(AuditChainHead.name) private readonly model: Model<AuditChainHead>) {}

  async onModuleInit(): Promise<void> {
    try {
      await this.model.updateOne(
        { _id: MAIN },
        {
          $setOnInsert: {
            seq: 0,
            hash: GENESIS_HASH,
            archived_seq: 0,
            archived_hash: GENESIS_HASH,
            unpaged_through: 0,
          },
        },
        { upsert: true },
      );
    } catch (error) {
      // Another replica created it at the same moment.
      if ((error as { code?: number }).code !== 11000) throw error;
    }
    // A chain from before pages: what exists (and what an old replica may still add) is unpaged.
    const doc = await this.model.findById(MAIN).lean<Partial<ChainHead>>();
    if (doc && doc.unpaged_through === undefined)
      await this.model.updateOne(
        { _id: MAIN, unpaged_through: { $exists: false } },
        { $set: { unpaged_through: (doc.seq ?? 0) + UPGRADE_MARGIN } },
      );
  }

  async head(): Promise<ChainHead> {
    const doc = await this.model.findById(MAIN).lean<ChainHead>();
    if (!doc) throw new Error('audit chain head missing');
    return {
      seq: doc.seq,
      hash: doc.hash,
      archived_seq: doc.archived_seq,
      archived_hash: doc.archived_hash,
      unpaged_through: doc.unpaged_through ?? Number.MAX_SAFE_INTEGER,
    };
  }

  /** Moves the head from `fromSeq` to the entry after it; a no-op if someone already did. */
  async advance(fromSeq: number, toSeq: number, hash: string): Promise<void> {
    await this.model.updateOne({ _id: MAIN, seq: fromSeq }, { $set: { seq: toSeq, hash } });
  }

  /** Moves the archive anchor forward (compare-and-set, so two archivers cannot both move it). */
  async advanceAnchor(fromSeq: number, toSeq: number, hash: string): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: MAIN, archived_seq: fromSeq },
      { $set: { archived_seq: toSeq, archived_hash: hash } },
    );
    return result.modifiedCount === 1;
  }
}
