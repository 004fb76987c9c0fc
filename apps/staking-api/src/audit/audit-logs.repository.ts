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

/**
 * Entries are filed in pages of consecutive seqs, so the archiver and the verifier read and
 * delete with equality on `page` (DESIGN.md §4) instead of a seq range over the collection;
 * entries up to the chain's `unpaged_through` may predate pages and are read by range.
 */
export const AUDIT_PAGE_SIZE = 1_000;
const pageOf = (seq: number) => Math.floor(seq / AUDIT_PAGE_SIZE);

/** Splits [from, to] into the part that may be unpaged and the pages of the rest. */
function spans(from: number, to: number, unpagedThrough: number) {
  const legacy = from <= unpagedThrough ? { from, to: Math.min(to, unpagedThrough) } : null;
  const pagedFrom = Math.max(from, unpagedThrough + 1);
  const pages: number[] = [];
  for (let p = pageOf(pagedFrom); pagedFrom <= to && p <= pageOf(to); p++) pages.push(p);
  return { legacy, pages, pagedFrom };
}

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
      await this.model.create({ ...entry, time: new Date(entry.time), page: pageOf(entry.seq) });
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
  async range(fromSeq: number, toSeq: number, unpagedThrough: number): Promise<AuditEntry[]> {
    const { legacy, pages, pagedFrom } = spans(fromSeq, toSeq, unpagedThrough);
    const docs: AuditLogDoc[] = [];
    if (legacy)
      docs.push(
        ...(await this.model
          .find({ seq: { $gte: legacy.from, $lte: legacy.to } })
          .lean<AuditLogDoc[]>()),
      );
    for (const page of pages)
      for (const d of await this.model.find({ page }).lean<AuditLogDoc[]>())
        if (d.seq >= pagedFrom && d.seq <= toSeq) docs.push(d);
    return docs.map(toEntry).sort((a, b) => a.seq - b.seq);
  }

  /** The lowest seq in [fromSeq, toSeq] whose time is at or after `time`, if any. */
  async firstAtOrAfter(
    fromSeq: number,
    toSeq: number,
    time: Date,
    unpagedThrough: number,
  ): Promise<number | null> {
    const { legacy, pages, pagedFrom } = spans(fromSeq, toSeq, unpagedThrough);
    if (legacy) {
      const doc = await this.model
        .findOne({ seq: { $gte: legacy.from, $lte: legacy.to }, time: { $gte: time } })
        .sort({ seq: 1 })
        .select({ seq: 1 })
        .lean<{ seq: number }>();
      if (doc) return doc.seq;
    }
    for (const page of pages) {
      const docs = await this.model
        .find({ page })
        .select({ seq: 1, time: 1 })
        .lean<{ seq: number; time: Date }[]>();
      const young = docs
        .filter((d) => d.seq >= pagedFrom && d.seq <= toSeq && d.time >= time)
        .map((d) => d.seq);
      if (young.length) return Math.min(...young);
    }
    return null;
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

  /** Removes the entries with fromSeq ≤ seq ≤ toSeq (archived ones). */
  async deleteRange(fromSeq: number, toSeq: number, unpagedThrough: number): Promise<number> {
    const { legacy, pages, pagedFrom } = spans(fromSeq, toSeq, unpagedThrough);
    let deleted = 0;
    if (legacy)
      deleted += (await this.model.deleteMany({ seq: { $gte: legacy.from, $lte: legacy.to } }))
        .deletedCount;
    for (const page of pages) {
      const whole =
        page * AUDIT_PAGE_SIZE >= pagedFrom && (page + 1) * AUDIT_PAGE_SIZE - 1 <= toSeq;
      // The equality on page is the indexed part; the seq bounds apply within the page.
      const filter = whole ? { page } : { page, seq: { $gte: pagedFrom, $lte: toSeq } };
      deleted += (await this.model.deleteMany(filter)).deletedCount;
    }
    return deleted;
  }
}
