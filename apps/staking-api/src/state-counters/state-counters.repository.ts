import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { StateCounterDocument } from './state-counter.schema.js';

export type CounterScope = 'approvals' | 'incidents';

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
          { $inc: inc, $set: { updated_at: new Date() } },
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
    const doc = await this.model.findOne({ _id: scope }).lean<Record<string, unknown>>().exec();
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(doc ?? {}))
      if (typeof v === 'number' && k !== '_id') out[k] = v;
    return out;
  }
}
