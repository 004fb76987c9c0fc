import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { StateCounterDocument } from './state-counter.schema.js';

export type CounterScope = 'approvals' | 'incidents';
export const COUNTER_SCOPES: readonly CounterScope[] = ['approvals', 'incidents'];

/** A scope's counts as read, with the version the repair job's overwrite is conditional on. */
export interface StateCountsSnapshot {
  version: number | null;
  counts: Record<string, number>;
}

const DUPLICATE_KEY = 11000;
/** Stored fields that are not counts. */
const NOT_COUNTS = new Set(['_id', 'version']);
const countsOf = (doc: Record<string, unknown> | null): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(doc ?? {}))
    if (typeof v === 'number' && !NOT_COUNTS.has(k)) out[k] = v;
  return out;
};

/** The maintained per-state counts: every access is by `_id`. */
@Injectable()
export class StateCountersRepository {
  private readonly logger = new Logger(StateCountersRepository.name);

  constructor(
    @InjectModel(StateCounterDocument.name) private readonly model: Model<StateCounterDocument>,
  ) {}

  /**
   * Adds `delta` (field → ±n) to the scope's document. Never throws: the state change it
   * follows is already stored, and a lost increment only skews a gauge (logged).
   */
  async add(scope: CounterScope, delta: Record<string, number>): Promise<void> {
    const inc = Object.fromEntries(Object.entries(delta).filter(([, n]) => n !== 0));
    if (!Object.keys(inc).length) return;
    try {
      await this.model
        .updateOne(
          { _id: scope },
          // `version` moves with every increment: the repair job overwrites only an unchanged document.
          { $inc: { ...inc, version: 1 }, $set: { updated_at: new Date() } },
          { upsert: true, strict: false },
        )
        .exec();
    } catch (error) {
      this.logger.error({ err: (error as Error).message, scope }, 'State counter not updated');
    }
  }

  /** A state change from `from` to `to` (either may be absent: a record created or deleted). */
  move(scope: CounterScope, from: string | undefined, to: string | undefined): Promise<void> {
    if (from === to) return Promise.resolve();
    return this.add(scope, { ...(from ? { [from]: -1 } : {}), ...(to ? { [to]: 1 } : {}) });
  }

  async read(scope: CounterScope): Promise<Record<string, number>> {
    return countsOf(
      await this.model.findOne({ _id: scope }).lean<Record<string, unknown>>().exec(),
    );
  }

  /** The scope's counts and version (null: never counted). */
  async snapshot(scope: CounterScope): Promise<StateCountsSnapshot> {
    const doc = await this.model.findOne({ _id: scope }).lean<Record<string, unknown>>().exec();
    return { version: doc ? Number(doc.version ?? 0) : null, counts: countsOf(doc) };
  }

  /** Whether every scope was ever counted (its document exists). */
  async counted(): Promise<boolean> {
    for (const scope of COUNTER_SCOPES)
      if ((await this.model.exists({ _id: scope })) === null) return false;
    return true;
  }

  /**
   * Replaces a scope's counts with a recount, only if no increment landed since `version` was
   * read (or, when it did not exist, only if it still does not): false if busy.
   */
  async overwrite(
    scope: CounterScope,
    version: number | null,
    counts: Record<string, number>,
  ): Promise<boolean> {
    const body = { ...counts, updated_at: new Date(), repaired_at: new Date() };
    if (version === null) {
      try {
        await this.model.create([{ _id: scope, version: 1, ...body }]);
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
        throw error;
      }
    }
    // A document from before `version` existed has none stored: match that as version 0.
    const filter = version === 0 ? { _id: scope, version: null } : { _id: scope, version };
    const res = await this.model
      .replaceOne(filter, { _id: scope, version: version + 1, ...body }, { strict: false })
      .exec();
    return res.modifiedCount === 1;
  }
}
