import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { VoteEntry } from './vote-rules.js';
import {
  VotePolicyDocument,
  VotingAccountDocument,
  VotingHistoryDocument,
} from './voting.schema.js';

export const HISTORY_PAGE_SIZE = 50;
const DUPLICATE_KEY = 11000;
const pageKey = (address: string, seq: number) =>
  `${address}:${Math.floor(seq / HISTORY_PAGE_SIZE)}`;

export type HistoryKind =
  'vote' | 'unvote' | 'policy_revote' | 'chain_scaled_down' | 'chain_changed';

export interface VotingHistoryEntry {
  id: string;
  address: string;
  seq: number;
  kind: HistoryKind;
  votes: VoteEntry[];
  previous_votes: VoteEntry[];
  operation_id?: string;
  txid?: string;
  block_number?: number;
  actor?: Record<string, unknown>;
  at: Date;
}

export interface VotePolicy {
  address: string;
  strategy: 'fixed' | 'best_apr';
  witnesses: string[];
  allowed: string[];
  keep_fully_voted: boolean;
  enabled: boolean;
  updated_by?: Record<string, unknown>;
  last_run_at?: Date;
  last_operation_id?: string;
  created_at: Date;
  updated_at: Date;
}

const plainVotes = (v: { witness: string; count: number }[] | undefined): VoteEntry[] =>
  (v ?? []).map((e) => ({ witness: e.witness, count: e.count }));

/** voting_history, voting_accounts and vote_policies: every access is by an equality on a key. */
@Injectable()
export class VotingRepository {
  constructor(
    @InjectModel(VotingHistoryDocument.name)
    private readonly history: Model<VotingHistoryDocument>,
    @InjectModel(VotingAccountDocument.name)
    private readonly accounts: Model<VotingAccountDocument>,
    @InjectModel(VotePolicyDocument.name)
    private readonly policies: Model<VotePolicyDocument>,
  ) {}

  async lastKnownVotes(address: string): Promise<{ votes: VoteEntry[]; seq: number } | null> {
    const doc = await this.accounts.findOne({ _id: address }).lean().exec();
    return doc ? { votes: plainVotes(doc.last_votes), seq: doc.seq } : null;
  }

  async hasEntry(id: string): Promise<boolean> {
    return (await this.history.exists({ _id: id })) !== null;
  }

  /**
   * Appends an entry and makes its votes the last known ones. Idempotent by `id`: a repeated
   * settlement finds the entry and changes nothing (a crash between the steps may leave a gap
   * in `seq`, never a second entry).
   */
  async append(entry: Omit<VotingHistoryEntry, 'seq'>): Promise<boolean> {
    if (await this.hasEntry(entry.id)) return false;
    const account = await this.accounts
      .findOneAndUpdate(
        { _id: entry.address },
        { $inc: { seq: 1 }, $set: { last_votes: entry.votes, updated_at: new Date() } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean()
      .exec();
    const seq = account!.seq;
    try {
      await this.history.create({
        _id: entry.id,
        address: entry.address,
        page_key: pageKey(entry.address, seq),
        seq,
        kind: entry.kind,
        votes: entry.votes,
        previous_votes: entry.previous_votes,
        operation_id: entry.operation_id,
        txid: entry.txid,
        block_number: entry.block_number,
        actor: entry.actor,
        at: entry.at,
      });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /** The newest `limit` (≤ 2 pages) entries, newest first: two equality lookups at most. */
  async recentHistory(address: string, seq: number, limit: number): Promise<VotingHistoryEntry[]> {
    if (seq <= 0) return [];
    const last = Math.floor(seq / HISTORY_PAGE_SIZE);
    const pages = last > 0 ? [last, last - 1] : [last];
    const docs = (
      await Promise.all(
        pages.map((p) =>
          this.history
            .find({ page_key: `${address}:${p}` })
            .limit(HISTORY_PAGE_SIZE)
            .lean()
            .exec(),
        ),
      )
    ).flat();
    return docs
      .map((d) => ({
        id: d._id,
        address: d.address,
        seq: d.seq,
        kind: d.kind as HistoryKind,
        votes: plainVotes(d.votes),
        previous_votes: plainVotes(d.previous_votes),
        operation_id: d.operation_id,
        txid: d.txid,
        block_number: d.block_number,
        actor: d.actor,
        at: d.at,
      }))
      .sort((a, b) => b.seq - a.seq)
      .slice(0, limit);
  }

  async findPolicy(address: string): Promise<VotePolicy | null> {
    const doc = await this.policies.findOne({ _id: address }).lean().exec();
    return doc ? policyOf(doc) : null;
  }

  async savePolicy(
    policy: Omit<VotePolicy, 'created_at' | 'updated_at' | 'last_run_at' | 'last_operation_id'>,
  ): Promise<VotePolicy> {
    const { address, ...fields } = policy;
    const doc = await this.policies
      .findOneAndUpdate(
        { _id: address },
        { $set: fields },
        { upsert: true, returnDocument: 'after' },
      )
      .lean()
      .exec();
    return policyOf(doc!);
  }

  async deletePolicy(address: string): Promise<boolean> {
    return (await this.policies.deleteOne({ _id: address }).exec()).deletedCount > 0;
  }

  /** The policies the job runs, by equality on `enabled`, bounded. */
  async enabledPolicies(limit: number): Promise<VotePolicy[]> {
    const docs = await this.policies.find({ enabled: true }).limit(limit).lean().exec();
    return docs.map(policyOf);
  }

  async markPolicyRun(address: string, at: Date, operationId?: string): Promise<void> {
    await this.policies
      .updateOne(
        { _id: address },
        { $set: { last_run_at: at, ...(operationId ? { last_operation_id: operationId } : {}) } },
      )
      .exec();
  }
}

function policyOf(doc: VotePolicyDocument): VotePolicy {
  return {
    address: doc._id,
    strategy: doc.strategy as VotePolicy['strategy'],
    witnesses: [...(doc.witnesses ?? [])],
    allowed: [...(doc.allowed ?? [])],
    keep_fully_voted: doc.keep_fully_voted,
    enabled: doc.enabled,
    updated_by: doc.updated_by,
    last_run_at: doc.last_run_at,
    last_operation_id: doc.last_operation_id,
    created_at: doc.created_at,
    updated_at: doc.updated_at,
  };
}
