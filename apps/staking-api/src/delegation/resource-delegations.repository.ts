import type { Resource } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { ResourceDelegationDocument, type DelegationStatus } from './resource-delegation.schema.js';

export interface ResourceDelegation {
  delegation_id: string;
  from_address: string;
  to_address: string;
  pair: string;
  resource: Resource;
  amount_sun: number;
  remaining_sun: number;
  locked: boolean;
  lock_period_blocks: number;
  status: DelegationStatus;
  operation_id: string;
  transaction_hash?: string;
  block_number?: number;
  confirmed_at?: Date;
  expires_at?: Date;
  policy_id?: string;
  undelegations: { operation_id: string; sun: number }[];
  error_code?: string;
  error_message?: string;
  requested_by?: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export type NewDelegation = Omit<
  ResourceDelegation,
  'pair' | 'remaining_sun' | 'undelegations' | 'created_at' | 'updated_at'
>;

export const newDelegationId = () => randomBytes(16).toString('hex');
export const pairKey = (from: string, to: string, resource: Resource) =>
  `${from}:${to}:${resource}`;

// An address's view is bounded: the newest this many records per direction.
export const RECORDS_PER_VIEW = 200;
const NO_ID = { _id: 0 } as const;

/** resource_delegations: equality lookups only (by id, pair, from or to address, operation). */
@Injectable()
export class ResourceDelegationsRepository {
  constructor(
    @InjectModel(ResourceDelegationDocument.name)
    private readonly model: Model<ResourceDelegationDocument>,
  ) {}

  async insert(record: NewDelegation): Promise<void> {
    await this.model.create({
      ...record,
      pair: pairKey(record.from_address, record.to_address, record.resource),
      remaining_sun: record.amount_sun,
      undelegations: [],
    });
  }

  async findById(id: string): Promise<ResourceDelegation | null> {
    return this.model.findOne({ delegation_id: id }, NO_ID).lean<ResourceDelegation>().exec();
  }

  /** Records of one chain delegation, oldest first (sorted here: the pair's set is small). */
  async ofPair(from: string, to: string, resource: Resource): Promise<ResourceDelegation[]> {
    const rows = await this.model
      .find({ pair: pairKey(from, to, resource) }, NO_ID)
      .limit(RECORDS_PER_VIEW)
      .lean<ResourceDelegation[]>()
      .exec();
    return rows.sort((a, b) => +new Date(a.created_at) - +new Date(b.created_at));
  }

  async fromAddress(address: string): Promise<ResourceDelegation[]> {
    return this.model
      .find({ from_address: address }, NO_ID)
      .limit(RECORDS_PER_VIEW)
      .lean<ResourceDelegation[]>()
      .exec();
  }

  async toAddress(address: string): Promise<ResourceDelegation[]> {
    return this.model
      .find({ to_address: address }, NO_ID)
      .limit(RECORDS_PER_VIEW)
      .lean<ResourceDelegation[]>()
      .exec();
  }

  /** Moves a record out of `from` (conditional: a repeated settlement changes nothing). */
  async settle(
    id: string,
    from: DelegationStatus,
    set: Partial<ResourceDelegation>,
  ): Promise<boolean> {
    const res = await this.model.updateOne({ delegation_id: id, status: from }, { $set: set });
    return res.modifiedCount > 0;
  }

  /**
   * Takes `sun` of an undelegation off a record, once per operation: the filter names the
   * record and refuses one that already carries this operation.
   */
  async applyUndelegation(
    id: string,
    operationId: string,
    sun: number,
    remainingAfter: number,
  ): Promise<boolean> {
    const res = await this.model.updateOne(
      { delegation_id: id, 'undelegations.operation_id': { $ne: operationId } },
      {
        $push: { undelegations: { operation_id: operationId, sun } },
        $set: {
          remaining_sun: remainingAfter,
          ...(remainingAfter === 0 ? { status: 'undelegated' } : {}),
        },
      },
    );
    return res.modifiedCount > 0;
  }
}
