import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { createHash } from 'node:crypto';
import type { Model } from 'mongoose';
import { ResourceCounterDocument } from './resource-counter.schema.js';
import { WatchedAddressDocument, type AlertArm } from './watched-address.schema.js';

const WATCHED_COUNTER = 'watched';

export type MonitoredResource = 'energy' | 'bandwidth';

export interface WatchedAddress {
  address: string;
  slot: number;
  watched: boolean;
  managed: boolean;
  label?: string;
  energy_floor?: number;
  bandwidth_floor?: number;
  energy_alert: AlertArm;
  energy_alert_seq: number;
  bandwidth_alert: AlertArm;
  bandwidth_alert_seq: number;
  created_by?: string;
  created_at: Date;
}

/** The refresh bucket of an address: stable, spread evenly, no counter to keep. */
export function slotOf(address: string, slots: number): number {
  return createHash('sha256').update(address).digest().readUInt32BE(0) % slots;
}

const toEntity = (doc: Record<string, unknown>): WatchedAddress => {
  const { _id, ...rest } = doc;
  return { address: String(_id), ...rest } as unknown as WatchedAddress;
};

@Injectable()
export class WatchedAddressesRepository {
  constructor(
    @InjectModel(WatchedAddressDocument.name)
    private readonly model: Model<WatchedAddressDocument>,
    @InjectModel(ResourceCounterDocument.name)
    private readonly counters: Model<ResourceCounterDocument>,
  ) {}

  /** Takes one place under `max` watched addresses; false at the limit. */
  async reservePlace(max: number): Promise<boolean> {
    try {
      const res = await this.counters
        .updateOne(
          { _id: WATCHED_COUNTER, count: { $lt: max } },
          { $inc: { count: 1 } },
          { upsert: true },
        )
        .exec();
      return res.modifiedCount + res.upsertedCount === 1;
    } catch (error) {
      // At the limit the filter misses and the upsert collides with the counter's _id.
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  async releasePlace(): Promise<void> {
    await this.counters.updateOne({ _id: WATCHED_COUNTER }, { $inc: { count: -1 } }).exec();
  }

  async watchedCount(): Promise<number> {
    const doc = await this.counters
      .findOne({ _id: WATCHED_COUNTER })
      .lean<{ count: number }>()
      .exec();
    return doc?.count ?? 0;
  }

  async find(address: string): Promise<WatchedAddress | null> {
    const doc = await this.model.findOne({ _id: address }).lean<Record<string, unknown>>().exec();
    return doc ? toEntity(doc) : null;
  }

  /**
   * Marks the address watched with its label and floors. False when it was watched already;
   * a managed account's entry becomes watched too.
   */
  async watch(
    entry: Pick<WatchedAddress, 'address' | 'slot' | 'label' | 'energy_floor' | 'bandwidth_floor'>,
    by: string,
    now: Date,
  ): Promise<boolean> {
    const { address, slot, ...fields } = entry;
    const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    try {
      const res = await this.model
        .updateOne(
          { _id: address, watched: { $ne: true } },
          {
            $set: { ...set, watched: true, created_by: by },
            $setOnInsert: { slot, managed: false, ...initialAlerts, created_at: now },
          },
          { upsert: true },
        )
        .exec();
      return res.modifiedCount + res.upsertedCount === 1;
    } catch (error) {
      // The upsert of an address already watched collides on _id.
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  /** A managed account is monitored from its creation on (idempotent). */
  async markManaged(address: string, label: string, slot: number, now: Date): Promise<void> {
    await this.model
      .updateOne(
        { _id: address },
        {
          $set: { managed: true },
          $setOnInsert: { slot, watched: false, label, ...initialAlerts, created_at: now },
        },
        { upsert: true },
      )
      .exec();
  }

  /** Ends watching; the entry of a managed account stays (it is still monitored). */
  async unwatch(address: string): Promise<boolean> {
    const gone = await this.model.deleteOne({ _id: address, watched: true, managed: false }).exec();
    if (gone.deletedCount === 1) return true;
    const res = await this.model
      // A managed account goes back to the policy's floors.
      .updateOne(
        { _id: address, watched: true },
        { $set: { watched: false }, $unset: { energy_floor: 1, bandwidth_floor: 1 } },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  /** One page of a slot: equality on the indexed bucket, bounded. */
  async inSlot(slot: number, skip: number, limit: number): Promise<WatchedAddress[]> {
    if (limit <= 0) return [];
    const docs = await this.model
      .find({ slot })
      .skip(skip)
      .limit(limit)
      .lean<Record<string, unknown>[]>()
      .exec();
    return docs.map(toEntity);
  }

  /** The watched addresses of a slot (the paged list of the API). */
  async watchedInSlot(slot: number, skip: number, limit: number): Promise<WatchedAddress[]> {
    const docs = await this.model
      .find({ slot, watched: true })
      .skip(skip)
      .limit(limit)
      .lean<Record<string, unknown>[]>()
      .exec();
    return docs.map(toEntity);
  }

  /**
   * Moves one resource's alert from `from` to `to` if it is still there: the one caller that
   * wins fires (or re-arms). Firing counts `seq`, which names the incident and the event.
   */
  async flipAlert(
    address: string,
    resource: MonitoredResource,
    from: AlertArm,
    to: AlertArm,
  ): Promise<number | null> {
    const field = `${resource}_alert`;
    const update =
      to === 'fired'
        ? { $set: { [field]: to }, $inc: { [`${field}_seq`]: 1 } }
        : { $set: { [field]: to } };
    const res = await this.model.updateOne({ _id: address, [field]: from }, update).exec();
    if (res.modifiedCount !== 1) return null;
    const now = await this.find(address);
    return now ? now[`${resource}_alert_seq`] : null;
  }

  /** Start-up only: every entry's address and slot, to re-file entries after a slot change. */
  async *slotsOfAll(): AsyncGenerator<{ address: string; slot: number }> {
    for await (const doc of this.model
      .find({}, { slot: 1 })
      .lean<{ _id: string; slot: number }>()
      .cursor())
      yield { address: doc._id, slot: doc.slot };
  }

  async refile(address: string, slot: number): Promise<void> {
    await this.model.updateOne({ _id: address }, { $set: { slot } }).exec();
  }
}

const initialAlerts = {
  energy_alert: 'armed',
  energy_alert_seq: 0,
  bandwidth_alert: 'armed',
  bandwidth_alert_seq: 0,
} as const;
