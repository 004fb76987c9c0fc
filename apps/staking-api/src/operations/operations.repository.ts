import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { OperationDocument } from './operation.schema.js';
import { TRANSITIONS, type Operation, type OperationState } from './operation.types.js';

type NewOperation = Omit<Operation, 'created_at' | 'updated_at' | 'history' | 'broadcast_attempts'>;

export interface OperationFilter {
  owner_address?: string;
  state?: OperationState;
  kind?: string;
}

const toEntity = (doc: Record<string, unknown> | null): Operation | null => {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { id: String(_id), ...rest } as unknown as Operation;
};

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

/** Operations persistence: atomic conditional transitions are the only way state moves. */
@Injectable()
export class OperationsRepository {
  constructor(
    @InjectModel(OperationDocument.name) private readonly model: Model<OperationDocument>,
  ) {}

  /** Inserts, or returns the operation that already holds this idempotency key. */
  async createOrGet(op: NewOperation): Promise<{ operation: Operation; created: boolean }> {
    const { id, ...fields } = op;
    try {
      await this.model.create({
        _id: id,
        ...fields,
        history: [{ state: op.state, at: new Date() }],
        broadcast_attempts: 0,
      } as unknown as OperationDocument);
      return { operation: (await this.findById(id))!, created: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.findByIdempotencyKey(op.idempotency_scope, op.idempotency_key);
      if (!existing) throw error;
      return { operation: existing, created: false };
    }
  }

  async findById(id: string): Promise<Operation | null> {
    return toEntity(await this.model.findById(id).lean<Record<string, unknown>>().exec());
  }

  async findByIdempotencyKey(scope: string, key: string): Promise<Operation | null> {
    return toEntity(
      await this.model
        .findOne({ idempotency_scope: scope, idempotency_key: key })
        .lean<Record<string, unknown>>()
        .exec(),
    );
  }

  /**
   * Moves an operation from one of `from` to `to` in one conditional update, so two replicas
   * can never both advance it. Returns null when another writer moved it first.
   */
  async transition(
    id: string,
    from: readonly OperationState[],
    to: OperationState,
    set: Partial<Operation> = {},
    note?: string,
  ): Promise<Operation | null> {
    for (const state of from) {
      if (!TRANSITIONS[state].includes(to)) throw new Error(`illegal transition ${state} → ${to}`);
    }
    const { id: _ignored, ...fields } = set;
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id, state: { $in: from } },
        {
          $set: { ...fields, state: to },
          $push: { history: { state: to, at: new Date(), ...(note ? { note } : {}) } },
        },
        { returnDocument: 'after' },
      )
      .lean<Record<string, unknown>>()
      .exec();
    return toEntity(doc);
  }

  async recordBroadcastAttempt(id: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $inc: { broadcast_attempts: 1 } }).exec();
  }

  async list(
    filter: OperationFilter,
    skip: number,
    limit: number,
  ): Promise<{ items: Operation[]; total: number }> {
    const query = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    const [docs, total] = await Promise.all([
      this.model
        .find(query)
        .sort({ created_at: -1 })
        .skip(skip)
        .limit(limit)
        .lean<Record<string, unknown>[]>()
        .exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items: docs.map((d) => toEntity(d)!), total };
  }

  /** Operations waiting in any of `states`, oldest first (for the tracker and reconciliation). */
  async findInStates(states: readonly OperationState[], limit: number): Promise<Operation[]> {
    const docs = await this.model
      .find({ state: { $in: states } })
      .sort({ updated_at: 1 })
      .limit(limit)
      .lean<Record<string, unknown>[]>()
      .exec();
    return docs.map((d) => toEntity(d)!);
  }
}
