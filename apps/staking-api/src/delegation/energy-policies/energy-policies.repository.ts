import type { Resource } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { EnergyPolicyDocument, type EnergyPolicyState } from './energy-policy.schema.js';

export interface EnergyPolicy {
  policy_id: string;
  key: string;
  pool_address: string;
  receiver_address: string;
  resource: Resource;
  min_available: number;
  target_available: number;
  max_delegated_sun: number;
  lock_period: number;
  reclaim_idle_hours?: number;
  enabled: boolean;
  bucket: number;
  state: EnergyPolicyState;
  created_by?: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export type PolicySettings = Pick<
  EnergyPolicy,
  | 'min_available'
  | 'target_available'
  | 'max_delegated_sun'
  | 'lock_period'
  | 'reclaim_idle_hours'
  | 'enabled'
>;

export const policyKey = (pool: string, receiver: string, resource: Resource) =>
  `${pool}:${receiver}:${resource}`;
const NO_ID = { _id: 0 } as const;
// Listing is an operator's page, not a hot path; still bounded.
export const MAX_LISTED = 500;

@Injectable()
export class EnergyPoliciesRepository {
  constructor(
    @InjectModel(EnergyPolicyDocument.name) private readonly model: Model<EnergyPolicyDocument>,
  ) {}

  /** False when a policy with the same key exists (unique index). */
  async insert(policy: Omit<EnergyPolicy, 'created_at' | 'updated_at'>): Promise<boolean> {
    try {
      await this.model.create(policy);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  findById(id: string): Promise<EnergyPolicy | null> {
    return this.model.findOne({ policy_id: id }, NO_ID).lean<EnergyPolicy>().exec();
  }

  findByKey(key: string): Promise<EnergyPolicy | null> {
    return this.model.findOne({ key }, NO_ID).lean<EnergyPolicy>().exec();
  }

  list(pool?: string): Promise<EnergyPolicy[]> {
    return this.model
      .find(pool ? { pool_address: pool } : {}, NO_ID)
      .limit(MAX_LISTED)
      .lean<EnergyPolicy[]>()
      .exec();
  }

  inBucket(bucket: number, limit: number): Promise<EnergyPolicy[]> {
    return this.model.find({ bucket }, NO_ID).limit(limit).lean<EnergyPolicy[]>().exec();
  }

  async update(
    id: string,
    set: Partial<PolicySettings>,
    wake: boolean,
  ): Promise<EnergyPolicy | null> {
    return this.model
      .findOneAndUpdate(
        { policy_id: id },
        { $set: { ...set, ...(wake ? { 'state.dormant': false } : {}) } },
        // FerretDB v1 has no projection on findAndModify: _id is dropped below.
        { new: true },
      )
      .lean<EnergyPolicy>()
      .exec()
      .then((doc) => (doc ? withoutId(doc) : null));
  }

  async delete(id: string): Promise<boolean> {
    return (await this.model.deleteOne({ policy_id: id })).deletedCount > 0;
  }

  /**
   * Saves what a tick learnt. `expectActions` makes it conditional: a tick that lost a race to
   * another writer changes nothing.
   */
  async saveState(
    id: string,
    expectActions: number,
    state: Partial<EnergyPolicyState>,
    unset: (keyof EnergyPolicyState)[] = [],
  ): Promise<boolean> {
    const $set = Object.fromEntries(Object.entries(state).map(([k, v]) => [`state.${k}`, v]));
    const $unset = Object.fromEntries(unset.map((k) => [`state.${k}`, '']));
    const res = await this.model.updateOne(
      { policy_id: id, 'state.actions': expectActions },
      { $set, ...(unset.length ? { $unset } : {}) },
    );
    return res.matchedCount > 0;
  }
}

const withoutId = (doc: EnergyPolicy & { _id?: unknown }): EnergyPolicy => {
  const { _id, ...rest } = doc;
  return rest;
};
