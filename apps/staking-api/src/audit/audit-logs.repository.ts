import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AuditLog } from './audit-log.schema.js';
import type { AuditEntry } from './chain/audit-entry.js';

export interface AuditFilter {
  action?: string;
  actor_id?: string;
  actor_type?: string;
  result_status?: string;
  resource?: string;
  request_id?: string;
  from?: Date;
  to?: Date;
}

type AuditLogDoc = Omit<AuditEntry, 'time'> & { time: Date; _id?: unknown };

const toEntry = (d: AuditLogDoc): AuditEntry => ({
  seq: d.seq,
  time: d.time.toISOString(),
  action: d.action,
  resource: d.resource ?? null,
  actor: d.actor,
  request_id: d.request_id ?? null,
  ip: d.ip ?? null,
  user_agent: d.user_agent ?? null,
  params: d.params ?? null,
  result: d.result,
  prev_hash: d.prev_hash,
  hash: d.hash,
});

const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

function toQuery(f: AuditFilter): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (f.action) q.action = f.action;
  if (f.actor_id) q['actor.id'] = f.actor_id;
  if (f.actor_type) q['actor.type'] = f.actor_type;
  if (f.result_status) q['result.status'] = f.result_status;
  if (f.resource) q.resource = f.resource;
  if (f.request_id) q.request_id = f.request_id;
  if (f.from || f.to)
    q.time = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lte: f.to } : {}) };
  return q;
}

/** Append-only access to `audit_logs`: entries are inserted, read, and removed only after archival. */
@Injectable()
export class AuditLogsRepository implements OnModuleInit {
  constructor(@InjectModel(AuditLog.name) private readonly model: Model<AuditLog>) {}

  /** The unique seq index must exist before the first append: it arbitrates between replicas. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  /** Inserts the entry; false when its seq is already taken (another replica appended first). */
  async insert(entry: AuditEntry): Promise<boolean> {
    try {
      await this.model.create({ ...entry, time: new Date(entry.time) });
      return true;
    } catch (error) {
      if (isDuplicate(error)) return false;
      throw error;
    }
  }

  async findBySeq(seq: number): Promise<AuditEntry | null> {
    const doc = await this.model.findOne({ seq }).lean<AuditLogDoc>();
    return doc ? toEntry(doc) : null;
  }

  /** Entries with fromSeq ≤ seq ≤ toSeq, in seq order. */
  async range(fromSeq: number, toSeq: number): Promise<AuditEntry[]> {
    const docs = await this.model
      .find({ seq: { $gte: fromSeq, $lte: toSeq } })
      .lean<AuditLogDoc[]>();
    return docs.map(toEntry).sort((a, b) => a.seq - b.seq);
  }

  /** The lowest seq ≥ fromSeq whose time is at or after `time`, if any. */
  async firstAtOrAfter(fromSeq: number, time: Date): Promise<number | null> {
    const doc = await this.model
      .findOne({ seq: { $gte: fromSeq }, time: { $gte: time } })
      .sort({ seq: 1 })
      .select({ seq: 1 })
      .lean<{ seq: number }>();
    return doc?.seq ?? null;
  }

  async find(
    filter: AuditFilter,
    skip: number,
    limit: number,
  ): Promise<{ items: AuditEntry[]; total: number }> {
    const q = toQuery(filter);
    const [docs, total] = await Promise.all([
      this.model.find(q).sort({ seq: -1 }).skip(skip).limit(limit).lean<AuditLogDoc[]>(),
      this.model.countDocuments(q),
    ]);
    return { items: docs.map(toEntry), total };
  }

  /** Every matching entry in seq order, read in pages so an export never holds the collection in memory. */
  async *stream(filter: AuditFilter, pageSize = 500): AsyncGenerator<AuditEntry> {
    const q = toQuery(filter);
    let after = 0;
    for (;;) {
      const docs = await this.model
        .find({ ...q, seq: { $gt: after } })
        .sort({ seq: 1 })
        .limit(pageSize)
        .lean<AuditLogDoc[]>();
      for (const d of docs) yield toEntry(d);
      if (docs.length < pageSize) return;
      after = docs[docs.length - 1]!.seq;
    }
  }

  async deleteThrough(seq: number): Promise<number> {
    return (await this.model.deleteMany({ seq: { $lte: seq } })).deletedCount;
  }
}
