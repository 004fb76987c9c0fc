import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { type DispatchLane, dueKey, logPageOf } from './webhook-due-buckets.js';
import { WebhookDelivery, WebhookDispatchCursor, WebhookSubscription } from './webhook.schema.js';

const DUPLICATE_KEY = 11000;

@Injectable()
export class WebhooksRepository {
  constructor(
    @InjectModel(WebhookSubscription.name) private readonly subs: Model<WebhookSubscription>,
    @InjectModel(WebhookDelivery.name) private readonly deliveries: Model<WebhookDelivery>,
    @InjectModel(WebhookDispatchCursor.name)
    private readonly cursors: Model<WebhookDispatchCursor>,
  ) {}

  async createSubscription(doc: WebhookSubscription): Promise<void> {
    await this.subs.create(doc);
  }

  /** Every subscription (the policy caps them at a few dozen): equality on `active`. */
  activeSubscriptions(limit: number): Promise<WebhookSubscription[]> {
    return this.subs.find({ active: true }).limit(limit).lean<WebhookSubscription[]>().exec();
  }

  subscription(id: string): Promise<WebhookSubscription | null> {
    return this.subs.findById(id).lean<WebhookSubscription>().exec();
  }

  async deleteSubscription(id: string): Promise<boolean> {
    return (await this.subs.deleteOne({ _id: id })).deletedCount === 1;
  }

  /** Inserts the outbox row; false when this event is already queued for the subscription. */
  async enqueue(doc: WebhookDelivery): Promise<boolean> {
    try {
      await this.deliveries.create(doc);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /**
   * Numbers the next delivery of a subscription (its log position); null when it was deleted.
   * No projection: FerretDB refuses findOneAndUpdate with one.
   */
  async nextLogSeq(subscriptionId: string): Promise<number | null> {
    const doc = await this.subs
      .findOneAndUpdate(
        { _id: subscriptionId },
        { $inc: { delivery_seq: 1 } },
        { returnDocument: 'after' },
      )
      .lean<WebhookSubscription>()
      .exec();
    return doc ? (doc.delivery_seq ?? 1) : null;
  }

  /** Up to `limit` pending rows filed under one due bucket (equality on `due`). */
  dueIn(due: string, limit: number): Promise<WebhookDelivery[]> {
    return this.deliveries.find({ due }).limit(limit).lean<WebhookDelivery[]>().exec();
  }

  /** Pending rows queued before the due buckets existed (no `due`): refiled once per process. */
  pendingUnfiled(limit: number): Promise<WebhookDelivery[]> {
    return this.deliveries
      .find({ state: 'pending', due: null })
      .limit(limit)
      .lean<WebhookDelivery[]>()
      .exec();
  }

  async fileDue(id: string, due: string): Promise<void> {
    await this.deliveries.updateOne({ _id: id, state: 'pending' }, { $set: { due } }).exec();
  }

  async cursor(lane: DispatchLane): Promise<string | null> {
    return (
      (await this.cursors.findOne({ _id: lane }).lean<WebhookDispatchCursor>().exec())?.next ?? null
    );
  }

  /** Makes the lane's walk look at `minute` again (a row filed behind the cursor). */
  async lowerCursor(lane: DispatchLane, minute: string): Promise<void> {
    const res = await this.cursors
      .updateOne({ _id: lane, next: { $gt: minute } }, { $set: { next: minute } })
      .exec();
    if (res.matchedCount) return;
    try {
      await this.cursors.create({ _id: lane, next: minute });
    } catch (error) {
      // It exists, at or before `minute`.
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    }
  }

  /** Moves the cursor past a drained minute, unless a write lowered it meanwhile. */
  async advanceCursor(lane: DispatchLane, from: string, to: string): Promise<boolean> {
    const res = await this.cursors
      .updateOne({ _id: lane, next: from }, { $set: { next: to } })
      .exec();
    return res.modifiedCount === 1;
  }

  /**
   * Every delivery's log and dispatch fields, in batches: only for the one-time backfill of
   * `log_seq`/`log_page` and `due` (LegacyBucketsBackfillJob), never on a hot path.
   */
  async *allDeliveryPositions(batchSize: number): AsyncGenerator<DeliveryPosition> {
    const cursor = this.deliveries
      .find(
        {},
        {
          _id: 1,
          subscription_id: 1,
          created_at: 1,
          log_seq: 1,
        },
      )
      .batchSize(batchSize)
      .lean<DeliveryPosition>()
      .cursor();
    for await (const d of cursor) yield d;
  }

  /** Gives a delivery from before the paged log its place in it (only if it has none yet). */
  async placeInLog(id: string, seq: number): Promise<boolean> {
    const res = await this.deliveries.updateOne(
      { _id: id, log_seq: null },
      { $set: { log_seq: seq, log_page: logPageOf(seq) } },
    );
    return res.modifiedCount === 1;
  }

  delivery(id: string): Promise<WebhookDelivery | null> {
    return this.deliveries.findById(id).lean<WebhookDelivery>().exec();
  }

  /** One page of a subscription's delivery log (equality on subscription and page). */
  logPage(subscriptionId: string, page: number, limit: number): Promise<WebhookDelivery[]> {
    return this.deliveries
      .find({ subscription_id: subscriptionId, log_page: page })
      .limit(limit)
      .lean<WebhookDelivery[]>()
      .exec();
  }

  /**
   * Records an attempt, only if nobody else recorded one since this replica read the row
   * (same state and attempt count): two dispatchers never both advance one delivery.
   */
  async recordAttempt(
    id: string,
    seenAttempts: number,
    set: Partial<WebhookDelivery>,
  ): Promise<boolean> {
    // A row that stays pending is filed under the retry lane's minute of its next attempt.
    const filed =
      set.state === 'pending' && set.next_attempt_at
        ? { $set: { ...set, due: dueKey('retry', set.next_attempt_at) } }
        : { $set: set, $unset: { due: '' } };
    const res = await this.deliveries.updateOne(
      { _id: id, state: 'pending', attempts: seenAttempts },
      { ...filed, $inc: { attempts: 1 } },
    );
    return res.modifiedCount === 1;
  }

  /** Queues a delivery again from its first attempt (resend), in the `new` lane. */
  async requeue(id: string, now: Date): Promise<void> {
    await this.deliveries.updateOne(
      { _id: id },
      { $set: { state: 'pending', attempts: 0, next_attempt_at: now, due: dueKey('new', now) } },
    );
  }

  async deleteFinishedOfDay(day: string): Promise<number> {
    let deleted = 0;
    for (const state of ['delivered', 'failed'] as const)
      deleted += (await this.deliveries.deleteMany({ day, state })).deletedCount;
    return deleted;
  }
}

export type DeliveryPosition = Pick<
  WebhookDelivery,
  '_id' | 'subscription_id' | 'created_at' | 'log_seq'
>;
